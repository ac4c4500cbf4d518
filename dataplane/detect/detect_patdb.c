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

int pat_db_build(struct pat_db *db, struct pat_ref *refs, uint32_t n, char *err, size_t errlen)
{
	const char **expr = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t *lens = NULL;
	hs_compile_error_t *cerr = NULL;
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
		ids[id] = id;
		flags[id] = HS_FLAG_SINGLEMATCH | (refs[i].nocase ? HS_FLAG_CASELESS : 0);
	}
	ret = 0;
	if (npat > 0 && hs_compile_lit_multi(expr, flags, ids, lens, npat, HS_MODE_BLOCK, NULL,
					     &db->db, &cerr) != HS_SUCCESS) {
		snprintf(err, errlen, "hyperscan: %s (pattern %d)",
			 cerr ? cerr->message : "compile failed", cerr ? cerr->expression : -1);
		hs_free_compile_error(cerr);
		ret = -EINVAL;
	}
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
