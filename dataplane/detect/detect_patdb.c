/* SPDX-License-Identifier: MIT */
/* Fast patterns -> one Hyperscan block database and its pattern id -> rule
 * ranks table. The packet prefilter and each app-layer buffer build theirs
 * through here. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "detect-int.h"

void pat_ref_set(struct pat_ref *p, const struct rule_content *c, uint32_t rank)
{
	p->b = c->pat;
	p->len = c->len;
	/* fast_pattern:<off>,<len> searches only that slice */
	if ((c->flags & CONTENT_FP_CHOP) && c->fp_len &&
	    (uint32_t)c->fp_off + c->fp_len <= c->len) {
		p->b = c->pat + c->fp_off;
		p->len = c->fp_len;
	}
	/* Only a prefilter: any slice of the content is as necessary a
	 * condition, and a short one bounds what a resumed scan repeats. */
	if (p->len > DETECT_PF_LEN_MAX) {
		p->b += p->len - DETECT_PF_LEN_MAX;
		p->len = DETECT_PF_LEN_MAX;
	}
	p->nocase = (c->flags & CONTENT_NOCASE) != 0;
	p->rank = rank;
}

static int cmp_pat_bytes(const struct pat_ref *x, const struct pat_ref *y)
{
	if (x->nocase != y->nocase)
		return x->nocase ? 1 : -1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	for (uint32_t i = 0; i < x->len; i++) {
		int a = x->b[i], b = y->b[i];

		if (x->nocase) {
			a = tolower(a);
			b = tolower(b);
		}
		if (a != b)
			return a < b ? -1 : 1;
	}
	return 0;
}

/* Equal patterns together, ranks ascending within them. */
static int cmp_pat(const void *a, const void *b)
{
	const struct pat_ref *x = a, *y = b;
	int c = cmp_pat_bytes(x, y);

	if (c)
		return c;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Every rule of pattern id goes to de->reject with reason. */
static void reject_pattern(const struct detect_engine *de, const struct pat_db *db, uint32_t id,
			   const char *reason)
{
	for (uint32_t i = db->pat_first[id]; i < db->pat_first[id + 1]; i++)
		de->reject(de->reject_ctx, de->rules[db->pat_rules[i]].r, reason);
}

/* Drop pattern k of the n to compile (order does not matter to Hyperscan:
 * ids travel with their pattern). */
static void drop(const char **expr, unsigned *flags, unsigned *ids, size_t *lens, uint32_t k,
		 uint32_t n)
{
	expr[k] = expr[n - 1];
	flags[k] = flags[n - 1];
	ids[k] = ids[n - 1];
	lens[k] = lens[n - 1];
}

/* Compile the npat patterns; with de->reject, one Hyperscan refuses is
 * rejected and the rest compiled again (each retry drops one). */
static int compile(const struct detect_engine *de, struct pat_db *db, const char **expr,
		   unsigned *flags, unsigned *ids, size_t *lens, uint32_t npat, char *err,
		   size_t errlen)
{
	hs_compile_error_t *cerr = NULL;
	char reason[160];

	while (npat > 0 && hs_compile_lit_multi(expr, flags, ids, lens, npat, HS_MODE_BLOCK, NULL,
						&db->db, &cerr) != HS_SUCCESS) {
		int k = cerr ? cerr->expression : -1;

		snprintf(reason, sizeof(reason), "hyperscan: %s",
			 cerr ? cerr->message : "compile failed");
		hs_free_compile_error(cerr);
		cerr = NULL;
		if (de->reject == NULL || k < 0 || (uint32_t)k >= npat) {
			snprintf(err, errlen, "%s (pattern %d)", reason, k);
			return -EINVAL;
		}
		reject_pattern(de, db, ids[k], reason);
		drop(expr, flags, ids, lens, (uint32_t)k, npat--);
	}
	return 0;
}

int pat_db_build(const struct detect_engine *de, struct pat_db *db, struct pat_ref *refs,
		 uint32_t n, char *err, size_t errlen)
{
	const char **expr = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t *lens = NULL;
	uint32_t npat = 0;
	int ret = -ENOMEM;

	qsort(refs, n, sizeof(*refs), cmp_pat);
	for (uint32_t i = 0; i < n; i++)
		refs[i].id = (i && cmp_pat_bytes(&refs[i - 1], &refs[i]) == 0) ? refs[i - 1].id
										: npat++;
	db->npat = npat;
	db->pat_first = calloc(npat + 1, sizeof(uint32_t));
	db->pat_rules = calloc(n ? n : 1, sizeof(uint32_t));
	expr = calloc(npat ? npat : 1, sizeof(*expr));
	flags = calloc(npat ? npat : 1, sizeof(*flags));
	ids = calloc(npat ? npat : 1, sizeof(*ids));
	lens = calloc(npat ? npat : 1, sizeof(*lens));
	if (!db->pat_first || !db->pat_rules || !expr || !flags || !ids || !lens) {
		snprintf(err, errlen, "out of memory building a prefilter");
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t id = refs[i].id;

		db->pat_rules[i] = refs[i].rank;
		db->pat_first[id + 1] = i + 1;
		if (i && refs[i - 1].id == id)
			continue;
		expr[id] = (const char *)refs[i].b;
		lens[id] = refs[i].len;
		if (refs[i].len > db->maxlen)
			db->maxlen = refs[i].len;
		if (db->minlen == 0 || refs[i].len < db->minlen)
			db->minlen = refs[i].len;
		ids[id] = id;
		flags[id] = HS_FLAG_SINGLEMATCH | (refs[i].nocase ? HS_FLAG_CASELESS : 0);
	}
	ret = compile(de, db, expr, flags, ids, lens, npat, err, errlen);
out:
	free(lens);
	free(ids);
	free(flags);
	free(expr);
	return ret;
}

void pat_db_free(struct pat_db *db)
{
	hs_free_database(db->db);
	free(db->pat_first);
	free(db->pat_rules);
	*db = (struct pat_db){ 0 };
}
