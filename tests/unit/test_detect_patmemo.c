/* SPDX-License-Identifier: MIT */
/* Unit tests for dataplane/detect/detect_patmemo.c: a remembered answer is
 * the scan's (the same pattern ids, in order) for buffers of every length
 * the memo keeps, buffers that differ only in their last byte are
 * remembered apart (the hash covers the tail of every length), and a
 * buffer in use is not pushed out by buffers seen once. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dataplane/detect/detect-int.h"
#include "detect_fixture.h"

static unsigned int ids[16];
static uint32_t nids;

static int on_id(unsigned int id, unsigned long long from, unsigned long long to,
		 unsigned int flags, void *ctx)
{
	(void)from;
	(void)to;
	(void)flags;
	(void)ctx;
	if (nids < 16)
		ids[nids] = id;
	nids++;
	return 0;
}

/* buf through the UDP set with the thread's memo: its ids in ids, whether
 * remembered returned. */
static bool scan(struct detect_env *e, const uint8_t *buf, uint32_t len)
{
	const struct pat_db *db = &e->de->pf[PFK_UDP];
	bool remembered = true;

	nids = 0;
	CHECK_INT(HS_SUCCESS, pat_db_scan_memo(e->dt->memo, db, buf, len, e->dt->scratch,
					       &e->dt->seen, on_id, NULL, &remembered));
	return remembered;
}

/* Every length up to PAT_MEMO_LEN: scanned, then remembered with the same
 * ids; one past it is never remembered. */
static void test_lengths(struct detect_env *e)
{
	uint8_t buf[PAT_MEMO_LEN + 1];

	for (uint32_t len = 1; len <= PAT_MEMO_LEN + 1; len++) {
		unsigned int first[16];
		uint32_t nfirst;

		memset(buf, 'q', len);
		if (len >= 6)
			memcpy(buf + len - 6, "zebra!", 6);
		if (len >= 14)
			memcpy(buf, "kangaroo", 8);
		CHECK(!scan(e, buf, len));
		nfirst = nids;
		memcpy(first, ids, sizeof(ids));
		CHECK_INT(len >= 14 ? 2 : len >= 6 ? 1 : 0, nfirst);
		CHECK(scan(e, buf, len) == (len <= PAT_MEMO_LEN));
		CHECK_INT(nfirst, nids);
		CHECK(memcmp(first, ids, nfirst * sizeof(ids[0])) == 0);
	}
}

/* Three buffers equal but for their last byte, scanned in turn: each is
 * remembered the second time (a hash that missed the tail would put all
 * three in one set of two ways, each pushing another out). */
static void test_tail(struct detect_env *e)
{
	static const uint32_t lens[] = { 3, 7, 8, 13, 16, 21, 24 };
	static const uint8_t last[] = { 'v', 'w', 'x' };

	for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		uint8_t b[3][32];

		for (int i = 0; i < 3; i++) {
			memset(b[i], 'w', lens[k]);
			b[i][lens[k] - 1] = last[i];
			CHECK(!scan(e, b[i], lens[k]));
		}
		for (int i = 0; i < 3; i++)
			CHECK(scan(e, b[i], lens[k]));
	}
}

/* A buffer asked again after each of 4,000 buffers seen once (three times
 * the memo's entries) is answered every time: a buffer scanned once fills
 * the way of its set not used last. Direct-mapped, or filling the way just
 * used, some of them land on its entry. */
static void test_kept(struct detect_env *e)
{
	static const uint8_t kept[] = "User-Agent: kept";
	uint32_t answered = 0;

	CHECK(!scan(e, kept, sizeof(kept) - 1));
	for (uint32_t i = 0; i < 4000; i++) {
		char once[32];
		int n = snprintf(once, sizeof(once), "/once/%u.html", i);

		CHECK(!scan(e, (const uint8_t *)once, (uint32_t)n));
		answered += scan(e, kept, sizeof(kept) - 1);
	}
	CHECK_INT(4000, answered);
}

int main(void)
{
	struct detect_env e = detect_env_setup(
		NULL,
		"alert udp any any -> any any (content:\"zebra!\"; sid:1;)\n"
		"alert udp any any -> any any (content:\"kangaroo\"; sid:2;)\n",
		"detect_patmemo");

	CHECK(!pat_db_empty(&e.de->pf[PFK_UDP]));
	test_lengths(&e);
	test_tail(&e);
	test_kept(&e);
	detect_env_teardown(&e);
	return check_result("detect_patmemo");
}
