/* SPDX-License-Identifier: MIT */
/* Unit tests for the head database's gate (detect_patgate.c): on random
 * short patterns (either case, one to four bytes) and random bytes, half
 * of them from the patterns' small alphabet, the gate passes exactly when
 * Hyperscan's scan of the head reports a hit; a head with more patterns
 * than the gate holds has none. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dataplane/detect/detect-int.h"

static const uint8_t alphabet[] = { 0x00, 0x01, 'a', 'A', 'b', 'B', 0xff };

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static int count_hit(unsigned int id, unsigned long long from, unsigned long long to,
		     unsigned int flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	++*(uint32_t *)ctx;
	return 0;
}

/* npat random head patterns (and two long unbounded ones, which stay out
 * of the head) into db; pats holds their bytes. */
static int build(struct pat_db *db, uint8_t (*pats)[4], uint32_t npat, uint32_t *seed)
{
	static const struct detect_engine de;
	static const uint8_t longp[2][8] = { "abababab", "\x00\x01\x00\x01\x00\x01\x00\x02" };
	struct pat_ref refs[80];
	char err[128];

	for (uint32_t i = 0; i < npat; i++) {
		uint32_t len = rnd(seed) % 8 == 0 ? 1 : 2 + rnd(seed) % 3;

		for (uint32_t k = 0; k < len; k++)
			pats[i][k] = alphabet[rnd(seed) % sizeof(alphabet)];
		refs[i] = (struct pat_ref){ .b = pats[i], .len = len, .nocase = rnd(seed) % 3 == 0,
					    .bound = len + rnd(seed) % 20, .rank = i };
	}
	for (uint32_t i = 0; i < 2; i++)
		refs[npat + i] = (struct pat_ref){ .b = longp[i], .len = 8, .rank = npat + i };
	return pat_db_build(&de, db, refs, npat + 2, err, sizeof(err));
}

static void test_exact(void)
{
	uint32_t seed = 0x1234567u, passes = 0, rounds = 0;

	for (uint32_t npat = 1; npat <= 40; npat += 3) {
		uint8_t pats[80][4];
		struct pat_db db = { 0 };
		hs_scratch_t *scratch = NULL;

		CHECK_INT(0, build(&db, pats, npat, &seed));
		CHECK(db.head != NULL && db.gate != NULL && db.db != NULL);
		if (db.head == NULL || db.gate == NULL ||
		    hs_alloc_scratch(db.head, &scratch) != HS_SUCCESS) {
			pat_db_free(&db);
			continue;
		}
		for (uint32_t t = 0; t < 400; t++) {
			uint8_t buf[48];
			uint32_t len = rnd(&seed) % sizeof(buf), n, hits = 0;

			for (uint32_t k = 0; k < len; k++)
				buf[k] = rnd(&seed) % 2 ? alphabet[rnd(&seed) % sizeof(alphabet)]
							: (uint8_t)rnd(&seed);
			n = len < db.head_len ? len : db.head_len;
			CHECK_INT(HS_SUCCESS, hs_scan(db.head, (const char *)buf, n, 0, scratch,
						      count_hit, &hits));
			CHECK_INT(hits > 0, pat_gate_pass(db.gate, buf, n));
			passes += hits > 0;
			rounds++;
		}
		hs_free_scratch(scratch);
		pat_db_free(&db);
		CHECK(db.gate == NULL);
	}
	/* both answers were exercised */
	CHECK(passes > rounds / 10 && passes < rounds - rounds / 10);
}

/* More head patterns than the gate's bits: no gate, the head scanned. */
static void test_too_many(void)
{
	static const struct detect_engine de;
	uint8_t pats[70][3];
	struct pat_ref refs[70];
	struct pat_db db = { 0 };
	char err[128];

	for (uint32_t i = 0; i < 70; i++) {
		pats[i][0] = 'p';
		pats[i][1] = (uint8_t)i;
		pats[i][2] = 'q';
		refs[i] = (struct pat_ref){ .b = pats[i], .len = 3, .bound = 3, .rank = i };
	}
	CHECK_INT(0, pat_db_build(&de, &db, refs, 70, err, sizeof(err)));
	CHECK_INT(70, db.npat);
	CHECK(db.head != NULL);
	CHECK(db.gate == NULL);
	pat_db_free(&db);
}

int main(void)
{
	test_exact();
	test_too_many();
	return check_result("patgate");
}
