/* SPDX-License-Identifier: MIT */
/* Unit tests for pat_refs_unshare_tails (detect_patdb.c): patterns that end
 * in the same 8 bytes as enough others are cut back to an end whose 8 bytes
 * no pattern ends in, as slices of what they were; the others stay; and a
 * database of the cut patterns still finds every pattern's full bytes while
 * the shared token alone no longer reports them. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "dataplane/detect/detect-int.h"

#define SHARED 4u

/* Five end in "</title>" (one in another case, one caseless), one is
 * "</title>" itself (8 bytes: nothing to cut), one ends alone. */
static const char *const title_pats[] = {
	"WSO 2.5</title>", "c99shell</title>", "tle>CIBC</title>", "x</TITLE>",
	"Example!</title>", "</title>", "abcdefgh12345678",
};
#define NTITLE (sizeof(title_pats) / sizeof(title_pats[0]))

static struct pat_ref ref_of(const char *s, uint32_t rank, bool nocase)
{
	return (struct pat_ref){ .b = (const uint8_t *)s, .len = (uint32_t)strlen(s),
				 .nocase = nocase, .rank = rank };
}

/* The ref of rank (pat_refs_unshare_tails reorders them). */
static const struct pat_ref *by_rank(const struct pat_ref *refs, uint32_t n, uint32_t rank)
{
	for (uint32_t i = 0; i < n; i++)
		if (refs[i].rank == rank)
			return &refs[i];
	return &refs[0];
}

static bool ends_in(const struct pat_ref *r, const char *tail)
{
	const uint32_t n = (uint32_t)strlen(tail);

	return r->len >= n && strncasecmp((const char *)r->b + r->len - n, tail, n) == 0;
}

static void test_cut(void)
{
	struct pat_ref refs[NTITLE];

	for (uint32_t i = 0; i < NTITLE; i++)
		refs[i] = ref_of(title_pats[i], i, i == 1);
	CHECK_INT(0, pat_refs_unshare_tails(refs, NTITLE, SHARED));
	for (uint32_t i = 0; i < NTITLE; i++) {
		const uint32_t whole = (uint32_t)strlen(title_pats[i]);
		const struct pat_ref *r = by_rank(refs, NTITLE, i);

		/* a slice from the same start, never below the matcher's 8 bytes */
		CHECK(r->b == (const uint8_t *)title_pats[i]);
		CHECK(r->len >= 8 && r->len <= whole);
		if (i == 5 || i == 6) {
			CHECK_INT(whole, r->len);
			continue;
		}
		/* one byte back ends where no pattern of the set ends */
		CHECK_INT(whole - 1, r->len);
		CHECK(!ends_in(r, "</title>"));
	}
	/* below the threshold nothing moves */
	for (uint32_t i = 0; i < NTITLE; i++)
		refs[i] = ref_of(title_pats[i], i, false);
	CHECK_INT(0, pat_refs_unshare_tails(refs, NTITLE, NTITLE));
	for (uint32_t i = 0; i < NTITLE; i++)
		CHECK_INT(strlen(title_pats[i]), by_rank(refs, NTITLE, i)->len);
}

/* One pattern of many rules is one pattern: its tail is not shared. */
static void test_one_pattern_many_rules(void)
{
	static const char pat[] = "Example!</title>";
	struct pat_ref refs[6];

	for (uint32_t i = 0; i < 6; i++)
		refs[i] = ref_of(pat, i, i % 2 == 0);
	CHECK_INT(0, pat_refs_unshare_tails(refs, 6, SHARED));
	for (uint32_t i = 0; i < 6; i++)
		CHECK_INT(strlen(pat), refs[i].len);
}

/* Every earlier end's 8 bytes are some pattern's tail: the pattern stays
 * whole rather than take a tail as common as its own. */
static void test_no_free_end(void)
{
	static const char *const pats[] = {
		"ABCDEFGHIJ", "1CDEFGHIJ", "2CDEFGHIJ", "3CDEFGHIJ", "xBCDEFGHI", "ABCDEFGH",
	};
	struct pat_ref refs[6];

	for (uint32_t i = 0; i < 6; i++)
		refs[i] = ref_of(pats[i], i, false);
	CHECK_INT(0, pat_refs_unshare_tails(refs, 6, SHARED));
	CHECK_INT(10, by_rank(refs, 6, 0)->len);
	/* the 9-byte ones end one back, where no pattern ends */
	for (uint32_t i = 1; i < 4; i++)
		CHECK_INT(8, by_rank(refs, 6, i)->len);
	CHECK_INT(9, by_rank(refs, 6, 4)->len);
	CHECK_INT(8, by_rank(refs, 6, 5)->len);
}

static int add_rank(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	const struct pat_db *db = ((void **)ctx)[0];
	uint32_t *hit = ((void **)ctx)[1];

	(void)from;
	(void)to;
	(void)flags;
	for (uint32_t k = db->pat_first[id]; k < db->pat_first[id + 1]; k++)
		hit[db->pat_rules[k]]++;
	return 0;
}

/* The ranks whose patterns db reports in text. */
static void scan(const struct pat_db *db, hs_scratch_t *scratch, struct pat_seen *seen,
		 const char *text, uint32_t *hit)
{
	void *ctx[2] = { (void *)db, hit };

	memset(hit, 0, NTITLE * sizeof(*hit));
	CHECK_INT(HS_SUCCESS, pat_db_scan(db, (const uint8_t *)text, (uint32_t)strlen(text),
					  scratch, seen, add_rank, ctx));
}

static void test_scan(void)
{
	static const struct detect_engine de;
	struct pat_ref refs[NTITLE];
	struct pat_db db = { 0 };
	hs_scratch_t *scratch = NULL;
	uint32_t stamp[64] = { 0 }, hit[NTITLE];
	struct pat_seen seen = { .stamp = stamp, .n = 64 };
	char err[128], text[256];

	for (uint32_t i = 0; i < NTITLE; i++)
		refs[i] = ref_of(title_pats[i], i, i == 3);
	CHECK_INT(0, pat_refs_unshare_tails(refs, NTITLE, SHARED));
	CHECK_INT(0, pat_db_build(&de, &db, refs, NTITLE, err, sizeof(err)));
	CHECK(db.npat <= 64);
	CHECK_INT(HS_SUCCESS, pat_db_scratch(&db, &scratch));
	/* each content in full: its rank is reported (a superset still) */
	for (uint32_t i = 0; i < NTITLE; i++) {
		snprintf(text, sizeof(text), "<html><head><title>%s<body>", title_pats[i]);
		scan(&db, scratch, &seen, text, hit);
		CHECK(hit[i] > 0);
	}
	/* the shared token after other text: only "</title>" itself reports */
	scan(&db, scratch, &seen, "<title>Example page</title><title>Other</title>", hit);
	for (uint32_t i = 0; i < NTITLE; i++)
		CHECK_INT(i == 5, hit[i] > 0);
	hs_free_scratch(scratch);
	pat_db_free(&db);
}

int main(void)
{
	test_cut();
	test_one_pattern_many_rules();
	test_no_free_end();
	test_scan();
	return check_result("pattail");
}
