/* SPDX-License-Identifier: MIT */
/* Fast patterns -> one Hyperscan block database and its pattern id -> rule
 * ranks table. The packet prefilter and each app-layer buffer build theirs
 * through here. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect-int.h"

/* How far into its buffer an absolute content must end (offset + depth,
 * startswith), 0 when anywhere. A scan starts at the buffer's start or
 * after it, so a hit the verification can accept ends within this many
 * bytes of the scan's start too: how far the head is scanned. It keeps
 * short anchored patterns (a "|00|" at depth 1) out of the literal matcher
 * that runs over every byte, where they confirm at nearly every position. */
static uint32_t content_end_bound(const struct rule_content *c)
{
	const uint32_t f = c->flags;
	uint32_t start = (f & CONTENT_OFFSET) ? (uint32_t)c->offset : 0;

	if (f & (CONTENT_RELATIVE | CONTENT_OFFSET_VAR | CONTENT_DEPTH_VAR | CONTENT_ENDSWITH))
		return 0;
	if (f & CONTENT_STARTSWITH)
		return start + c->len;
	return (f & CONTENT_DEPTH) ? start + (uint32_t)c->depth : 0;
}

/* Where the DETECT_PF_RARE_LEN-byte slice of b[0..len) whose last
 * DETECT_PF_RARE_TAIL bytes are rarest in traffic ends (the latest of
 * equals). A literal matcher filters on the end of its patterns: endings
 * common in text ("</title>", ".php?") pass its filter at every other
 * position of a page and cost a confirmation each. */
static uint32_t rare_slice_end(const uint8_t *b, uint32_t len, bool nocase)
{
	const uint8_t *rar = nocase ? detect_byte_rarity_nocase : detect_byte_rarity;
	uint32_t best = len, best_score = 0, score = 0;

	for (uint32_t end = 1; end <= len; end++) {
		score += rar[b[end - 1]];
		if (end > DETECT_PF_RARE_TAIL)
			score -= rar[b[end - 1 - DETECT_PF_RARE_TAIL]];
		if (end >= DETECT_PF_RARE_LEN && score >= best_score) {
			best_score = score;
			best = end;
		}
	}
	return best;
}

/* Hyperscan's literal matcher (FDR) tells candidate positions by the last
 * HS_LIT_FILTER_LEN bytes of each literal and confirms the rest at each:
 * a literal that ends in a run of one byte ("z" and eleven zeros) is
 * confirmed at every position of such a run in the data: zero padding in
 * UDP payloads made ET Open's UDP to-server set (220 patterns) take 30.9 M
 * instructions on corpus-mix, 12.0 M with that one pattern cut. */
#define HS_LIT_FILTER_LEN 8u

static bool same_byte(uint8_t a, uint8_t b, bool nocase)
{
	return nocase ? tolower(a) == tolower(b) : a == b;
}

/* b[0..len) ends, if a filter's length of it is one repeated byte while
 * the whole is not, this far back at most: its filter then holds the last
 * other byte. A shorter slice of a content is as necessary a condition. */
static uint32_t runless_end(const uint8_t *b, uint32_t len, bool nocase)
{
	uint32_t j = len - 1;

	if (len <= HS_LIT_FILTER_LEN)
		return len;
	while (j > 0 && same_byte(b[j - 1], b[len - 1], nocase))
		j--;
	/* b[j..len) is the run; b[j - 1] the last byte before it */
	if (j == 0 || len - j < HS_LIT_FILTER_LEN)
		return len;
	return j - 1 + HS_LIT_FILTER_LEN;
}

void pat_ref_set(struct pat_ref *p, const struct rule_content *c, uint32_t rank,
		 enum pf_slice slice)
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
	/* Only a prefilter: any slice of the content is as necessary a
	 * condition, and a short one bounds what a resumed scan repeats. */
	if (slice == PF_SLICE_RARE && p->len > DETECT_PF_RARE_LEN) {
		p->b += rare_slice_end(p->b, p->len, p->nocase) - DETECT_PF_RARE_LEN;
		p->len = DETECT_PF_RARE_LEN;
	} else if (p->len > DETECT_PF_LEN_MAX) {
		p->b += p->len - DETECT_PF_LEN_MAX;
		p->len = DETECT_PF_LEN_MAX;
	}
	p->len = runless_end(p->b, p->len, p->nocase);
	p->bound = content_end_bound(c);
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

/* A pattern's literal as Hyperscan's literal matcher confirms it: its last
 * HS_LIT_FILTER_LEN bytes, case folded (a caseless and a cased pattern with
 * the same tail count as sharing it). */
struct lit_tail {
	uint8_t b[HS_LIT_FILTER_LEN];
};

static struct lit_tail tail_at(const uint8_t *end)
{
	const uint8_t *s = end - HS_LIT_FILTER_LEN;
	struct lit_tail t;

	for (uint32_t i = 0; i < HS_LIT_FILTER_LEN; i++)
		t.b[i] = (uint8_t)tolower(s[i]);
	return t;
}

static int cmp_tail(const void *a, const void *b)
{
	return memcmp(a, b, HS_LIT_FILTER_LEN);
}

/* How many of the sorted tails t[0..n) equal k. */
static uint32_t tail_count(const struct lit_tail *t, uint32_t n, const struct lit_tail *k)
{
	uint32_t lo = 0, hi = n, first;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (cmp_tail(&t[mid], k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < n && cmp_tail(&t[lo], k) == 0)
		lo++;
	return lo - first;
}

int pat_refs_unshare_tails(struct pat_ref *refs, uint32_t n, uint32_t shared)
{
	struct lit_tail *t = malloc((n ? n : 1) * sizeof(*t));
	uint32_t nt = 0;

	if (t == NULL)
		return -ENOMEM;
	/* one tail per distinct pattern: rules sharing a pattern share no token */
	qsort(refs, n, sizeof(*refs), cmp_pat);
	for (uint32_t i = 0; i < n; i++)
		if (refs[i].len >= HS_LIT_FILTER_LEN &&
		    (i == 0 || cmp_pat_bytes(&refs[i - 1], &refs[i]) != 0))
			t[nt++] = tail_at(refs[i].b + refs[i].len);
	qsort(t, nt, sizeof(*t), cmp_tail);
	for (uint32_t i = 0; i < n; i++) {
		struct pat_ref *r = &refs[i];
		struct lit_tail k;

		if (r->len <= HS_LIT_FILTER_LEN)
			continue;
		k = tail_at(r->b + r->len);
		if (tail_count(t, nt, &k) < shared)
			continue;
		/* the latest end whose tail no pattern of the set has: any
		 * shorter slice of a content is as necessary a condition */
		for (uint32_t len = r->len - 1; len >= HS_LIT_FILTER_LEN; len--) {
			k = tail_at(r->b + len);
			if (tail_count(t, nt, &k) == 0) {
				r->len = len;
				break;
			}
		}
	}
	free(t);
	return 0;
}

/* Every rule of pattern id goes to de->reject with reason. */
static void reject_pattern(const struct detect_engine *de, const struct pat_db *db, uint32_t id,
			   const char *reason)
{
	for (uint32_t i = db->pat_first[id]; i < db->pat_first[id + 1]; i++)
		de->reject(de->reject_ctx, de->rules[db->pat_rules[i]].r, reason);
}

/* The patterns of one compile, by position (ids travel with them). */
struct pat_set {
	const char **expr;       /* each a literal spelt as \\xHH escapes */
	unsigned *flags, *ids;
	uint32_t *head_bound;    /* by id: the loosest bound of its rules when short enough
				  * for the head, 0: not for the head */
	char *text;              /* the escapes, DETECT_PF_LEN_MAX * 4 + 1 per pattern */
};

/* Drop pattern k of the n to compile (order does not matter to Hyperscan:
 * ids travel with their pattern). */
static void drop(struct pat_set *ps, uint32_t k, uint32_t n)
{
	ps->expr[k] = ps->expr[n - 1];
	ps->flags[k] = ps->flags[n - 1];
	ps->ids[k] = ps->ids[n - 1];
}

/* Compile the npat patterns into *out; with de->reject, one Hyperscan
 * refuses is rejected and the rest compiled again (each retry drops one). */
static int compile(const struct detect_engine *de, const struct pat_db *db, struct pat_set *ps,
		   uint32_t npat, hs_database_t **out, char *err, size_t errlen)
{
	hs_compile_error_t *cerr = NULL;
	char reason[160];

	while (npat > 0 && hs_compile_multi(ps->expr, ps->flags, ps->ids, npat, HS_MODE_BLOCK,
					    NULL, out, &cerr) != HS_SUCCESS) {
		int k = cerr ? cerr->expression : -1;

		snprintf(reason, sizeof(reason), "hyperscan: %s",
			 cerr ? cerr->message : "compile failed");
		hs_free_compile_error(cerr);
		cerr = NULL;
		if (de->reject == NULL || k < 0 || (uint32_t)k >= npat) {
			snprintf(err, errlen, "%s (pattern %d)", reason, k);
			return -EINVAL;
		}
		reject_pattern(de, db, ps->ids[k], reason);
		drop(ps, (uint32_t)k, npat--);
	}
	return 0;
}

/* b[0..len) repeats a unit of at most half its length ("AAAA", "|00 00|",
 * "|ab cd ab cd|"): its occurrences overlap, so a run of the unit in the
 * data reports it at every unit. */
static bool periodic(const uint8_t *b, uint32_t len, bool nocase)
{
	for (uint32_t per = 1; per <= len / 2; per++) {
		uint32_t i = 0;

		while (i + per < len && same_byte(b[i], b[i + per], nocase))
			i++;
		if (i + per == len)
			return true;
	}
	return false;
}

/* Pattern id of ps from ref r, its bound the loosest of the rules that
 * share it (0, unbounded, wins). A periodic pattern reports once per scan
 * (Hyperscan's SINGLEMATCH, which Suricata sets on every pattern): its
 * first hit is all a rule needs (struct pat_seen), and the reports of a
 * run cost Hyperscan ~150 instructions each (ET's "A" x 32 of exploit
 * padding: 35,000 reports on corpus-mix for one candidate). The others
 * report every occurrence: SINGLEMATCH on all made ET Open's databases a
 * fifth bigger. */
static void pat_set_fill(struct pat_set *ps, uint32_t id, const struct pat_ref *r, bool first)
{
	static const char hex[] = "0123456789abcdef";
	char *t = ps->text + (size_t)id * (DETECT_PF_LEN_MAX * 4 + 1);

	if (first) {
		for (uint32_t i = 0; i < r->len; i++) {
			t[4 * i] = '\\';
			t[4 * i + 1] = 'x';
			t[4 * i + 2] = hex[r->b[i] >> 4];
			t[4 * i + 3] = hex[r->b[i] & 15];
		}
		t[4 * r->len] = '\0';
		ps->expr[id] = t;
		ps->ids[id] = id;
		ps->flags[id] = (r->nocase ? HS_FLAG_CASELESS : 0) |
				(periodic(r->b, r->len, r->nocase) ? HS_FLAG_SINGLEMATCH : 0);
		ps->head_bound[id] = r->len <= DETECT_PF_BOUNDED_LEN ? r->bound : 0;
	} else if (r->bound == 0) {
		ps->head_bound[id] = 0;
	} else if (ps->head_bound[id] != 0 && r->bound > ps->head_bound[id]) {
		ps->head_bound[id] = r->bound;
	}
}

/* Move the head patterns (short, bounded) of ps[0..npat) to its end, into
 * head (a view of the same arrays); db->head_len their loosest bound.
 * Returns how many stay. */
static uint32_t split_head(struct pat_db *db, struct pat_set *ps, uint32_t npat,
			   struct pat_set *head)
{
	uint32_t keep = npat;

	for (uint32_t k = npat; k-- > 0;) {
		const uint32_t id = ps->ids[k];
		const uint32_t b = ps->head_bound[id];

		if (b == 0)
			continue;
		if (b > db->head_len)
			db->head_len = b;
		keep--;
		const char *e = ps->expr[k];
		const unsigned f = ps->flags[k];

		ps->expr[k] = ps->expr[keep];
		ps->flags[k] = ps->flags[keep];
		ps->ids[k] = ps->ids[keep];
		ps->expr[keep] = e;
		ps->flags[keep] = f;
		ps->ids[keep] = id;
	}
	*head = (struct pat_set){ .expr = ps->expr + keep, .flags = ps->flags + keep,
				  .ids = ps->ids + keep, .head_bound = ps->head_bound };
	return keep;
}

int pat_db_build(const struct detect_engine *de, struct pat_db *db, struct pat_ref *refs,
		 uint32_t n, char *err, size_t errlen)
{
	struct pat_set ps = { 0 };
	uint32_t npat = 0, m;
	int ret = -ENOMEM;

	qsort(refs, n, sizeof(*refs), cmp_pat);
	for (uint32_t i = 0; i < n; i++)
		refs[i].id = (i && cmp_pat_bytes(&refs[i - 1], &refs[i]) == 0) ? refs[i - 1].id
										: npat++;
	db->npat = npat;
	m = npat ? npat : 1;
	db->pat_first = calloc(npat + 1, sizeof(uint32_t));
	db->pat_rules = calloc(n ? n : 1, sizeof(uint32_t));
	db->info = calloc(m, sizeof(*db->info));
	ps.expr = calloc(m, sizeof(*ps.expr));
	ps.flags = calloc(m, sizeof(*ps.flags));
	ps.ids = calloc(m, sizeof(*ps.ids));
	ps.head_bound = calloc(m, sizeof(*ps.head_bound));
	ps.text = malloc((size_t)m * (DETECT_PF_LEN_MAX * 4 + 1));
	if (!db->pat_first || !db->pat_rules || !db->info || !ps.expr || !ps.flags || !ps.ids || !ps.head_bound ||
	    !ps.text) {
		snprintf(err, errlen, "out of memory building a prefilter");
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t id = refs[i].id;
		bool first = i == 0 || refs[i - 1].id != id;

		db->pat_rules[i] = refs[i].rank;
		db->pat_first[id + 1] = i + 1;
		pat_set_fill(&ps, id, &refs[i], first);
		if (!first)
			continue;
		db->info[id].len = (uint8_t)refs[i].len;
		if (refs[i].len > db->maxlen)
			db->maxlen = refs[i].len;
		if (db->minlen == 0 || refs[i].len < db->minlen)
			db->minlen = refs[i].len;
	}
	struct pat_set head;
	const uint32_t nmain = split_head(db, &ps, npat, &head);

	/* not the address: where a run's buffers meet in the memo would
	 * change with every start (and a test of it with them) */
	db->memo_key = npat * 0x9e3779b1u ^ (n ? db->pat_rules[0] : 0) ^ db->maxlen << 24;

	for (uint32_t k = nmain; k < npat; k++)
		db->info[head.ids[k - nmain]].head = true;

	ret = compile(de, db, &ps, nmain, &db->db, err, errlen);
	if (ret == 0)
		ret = compile(de, db, &head, npat - nmain, &db->head, err, errlen);
	if (ret == 0 && db->head != NULL && pat_gate_build(db, refs, n) != 0) {
		snprintf(err, errlen, "out of memory building a prefilter");
		ret = -ENOMEM;
	}
out:
	free(ps.text);
	free(ps.head_bound);
	free(ps.ids);
	free(ps.flags);
	free(ps.expr);
	return ret;
}

hs_error_t pat_db_scratch(const struct pat_db *db, hs_scratch_t **scratch)
{
	hs_error_t e = HS_SUCCESS;

	if (db->db != NULL)
		e = hs_alloc_scratch(db->db, scratch);
	if (e == HS_SUCCESS && db->head != NULL)
		e = hs_alloc_scratch(db->head, scratch);
	return e;
}

void pat_db_count(struct detect_engine *de, const struct pat_db *db)
{
	size_t sz = 0;

	if (db->db != NULL && hs_database_size(db->db, &sz) == HS_SUCCESS)
		de->info.db_bytes += sz;
	if (db->head != NULL && hs_database_size(db->head, &sz) == HS_SUCCESS)
		de->info.db_bytes += sz;
	de->info.patterns += db->npat;
	if (db->npat > de->max_npat)
		de->max_npat = db->npat;
}

static int first_hit(unsigned int id, unsigned long long from, unsigned long long to,
		     unsigned int flags, void *ctx)
{
	struct pat_seen *s = ctx;

	if (s->stamp[id] == s->cur)
		return 0;
	s->stamp[id] = s->cur;
	if (s->rec != NULL)
		pat_memo_record(s->rec, id);
	return s->cb(id, from, to, flags, s->ctx);
}

/* A new scan's stamp: no pattern has reported in it yet. */
static void seen_next(struct pat_seen *seen, match_event_handler cb, void *ctx)
{
	if (++seen->cur == 0) {
		/* wrapped: no stamp may look current */
		memset(seen->stamp, 0, seen->n * sizeof(*seen->stamp));
		seen->cur = 1;
	}
	seen->cb = cb;
	seen->ctx = ctx;
}

static hs_error_t scan_head(const struct pat_db *db, const uint8_t *buf, uint32_t len,
			    hs_scratch_t *scratch, match_event_handler cb, void *ctx)
{
	const uint32_t n = len < db->head_len ? len : db->head_len;

	if (db->head == NULL || (db->gate != NULL && !pat_gate_pass(db->gate, buf, n)))
		return HS_SUCCESS;
	return hs_scan(db->head, (const char *)buf, n, 0, scratch, cb, ctx);
}

/* The main database over buf, then the head over its first bytes. */
static hs_error_t scan_both(const struct pat_db *db, const uint8_t *buf, uint32_t len,
			    hs_scratch_t *scratch, match_event_handler cb, void *ctx)
{
	hs_error_t e = HS_SUCCESS;

	if (db->db != NULL)
		e = hs_scan(db->db, (const char *)buf, len, 0, scratch, cb, ctx);
	if (e == HS_SUCCESS)
		e = scan_head(db, buf, len, scratch, cb, ctx);
	return e;
}

hs_error_t pat_db_scan(const struct pat_db *db, const uint8_t *buf, uint32_t len,
		       hs_scratch_t *scratch, struct pat_seen *seen, match_event_handler cb,
		       void *ctx)
{
	seen_next(seen, cb, ctx);
	return scan_both(db, buf, len, scratch, first_hit, seen);
}

hs_error_t pat_db_scan_head(const struct pat_db *db, const uint8_t *buf, uint32_t len,
			    hs_scratch_t *scratch, struct pat_seen *seen, match_event_handler cb,
			    void *ctx)
{
	seen_next(seen, cb, ctx);
	return scan_head(db, buf, len, scratch, first_hit, seen);
}

hs_error_t pat_db_scan_every(const struct pat_db *db, const uint8_t *buf, uint32_t len,
			     hs_scratch_t *scratch, struct pat_seen *seen,
			     match_event_handler cb, void *ctx)
{
	seen_next(seen, cb, ctx);
	return scan_both(db, buf, len, scratch, cb, ctx);
}

void pat_db_free(struct pat_db *db)
{
	hs_free_database(db->db);
	hs_free_database(db->head);
	pat_gate_free(db);
	free(db->check);
	free(db->pat_first);
	free(db->pat_rules);
	free(db->info);
	*db = (struct pat_db){ 0 };
}
