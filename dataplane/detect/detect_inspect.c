/* SPDX-License-Identifier: MIT */
/* Payload inspection with Suricata's content-inspection semantics
 * (DetectEngineContentInspection):
 * - offset/depth are absolute; depth counts from offset (offset:3; depth:5
 *   searches bytes [3, 8)).
 * - distance/within are relative to the end of the previous positive match
 *   (0 before any); within counts from the distance point.
 * - a negated content matches when the pattern is absent from its window;
 *   it moves nothing, so the next relative match counts from the same point.
 * - when a later relative match fails, the earlier match is retried at its
 *   next occurrence (start + 1), as long as the next match is relative to it;
 *   a non-relative content that is absent ends the rule at once.
 * - pcre: /R starts the subject at the previous match end; retried from the
 *   previous match start + 1 in the same way.
 * Total work per rule is bounded by INSPECT_MAX_STEPS. */
#include <ctype.h>
#include <string.h>

#include "detect-int.h"

enum { INSP_NO = 0, INSP_YES = 1, INSP_STOP = -1 };

struct insp {
	struct detect_thread *dt;
	const struct de_rule *dr;
	const uint8_t *buf;
	uint32_t len;
	uint32_t steps;
};

static int inspect(struct insp *c, uint32_t i, uint32_t prev);

static bool next_is_relative(const struct rule *r, uint32_t i)
{
	const struct rule_match *m;

	if (i + 1 >= r->nmatch)
		return false;
	m = &r->match[i + 1];
	if (m->kind == MATCH_PCRE)
		return (m->pcre.flags & PCRE_F_RELATIVE) != 0;
	return (m->content.flags & CONTENT_RELATIVE) != 0;
}

/* First occurrence of pat in buf[from, end), or -1. */
static int64_t search(const uint8_t *buf, uint32_t from, uint32_t end,
		      const uint8_t *pat, uint32_t plen, bool nocase)
{
	if (end < from || end - from < plen)
		return -1;
	if (plen == 0)
		return from;
	if (!nocase) {
		const uint8_t *f = memmem(buf + from, end - from, pat, plen);

		return f ? f - buf : -1;
	}
	const int first = tolower(pat[0]);

	for (uint32_t i = from; i + plen <= end; i++) {
		uint32_t k;

		if (tolower(buf[i]) != first)
			continue;
		for (k = 1; k < plen; k++)
			if (tolower(buf[i + k]) != tolower(pat[k]))
				break;
		if (k == plen)
			return i;
	}
	return -1;
}

/* The search window [start, end) for content i after a match ending at prev. */
static bool content_window(const struct rule_content *ct, uint32_t blen, uint32_t prev,
			   uint32_t *pstart, uint32_t *pend)
{
	int64_t start = 0, end = blen;

	if (ct->flags & CONTENT_RELATIVE) {
		int64_t dist = (ct->flags & CONTENT_DISTANCE) ? ct->distance : 0;

		start = (int64_t)prev + dist;
		if (start < 0)
			start = 0;
		if ((ct->flags & CONTENT_WITHIN) && (int64_t)prev + dist + ct->within < end)
			end = (int64_t)prev + dist + ct->within;
	} else {
		if (ct->flags & CONTENT_OFFSET)
			start = ct->offset;
		if ((ct->flags & CONTENT_DEPTH) && start + ct->depth < end)
			end = start + ct->depth;
	}
	if ((ct->flags & CONTENT_STARTSWITH) && start + ct->len < end)
		end = start + ct->len;
	if (ct->flags & CONTENT_ENDSWITH) {
		/* only an occurrence ending at the buffer end counts */
		if (end < blen || blen < ct->len || start > (int64_t)(blen - ct->len))
			return false;
		start = blen - ct->len;
	}
	if (end <= 0 || start > end)
		return false;
	*pstart = (uint32_t)start;
	*pend = (uint32_t)end;
	return true;
}

static int inspect_content(struct insp *c, uint32_t i, uint32_t prev)
{
	const struct rule *r = c->dr->r;
	const struct rule_content *ct = &r->match[i].content;
	const bool neg = ct->flags & CONTENT_NEGATED;
	const bool rel = ct->flags & CONTENT_RELATIVE;
	const bool next_rel = next_is_relative(r, i);
	uint32_t start, end;

	if ((int32_t)i == c->dr->fp && (c->dr->flags & DR_F_FP_SKIP))
		return inspect(c, i + 1, prev);
	if (!content_window(ct, c->len, prev, &start, &end))
		return neg ? inspect(c, i + 1, prev) : INSP_NO;

	for (;;) {
		int64_t pos = search(c->buf, start, end, ct->pat, ct->len,
				     ct->flags & CONTENT_NOCASE);
		int res;

		if (pos < 0) {
			if (neg)
				return inspect(c, i + 1, prev);
			/* an absolute content that is absent cannot appear by retrying */
			return rel ? INSP_NO : INSP_STOP;
		}
		if (neg)
			return (rel || next_rel) ? INSP_NO : INSP_STOP;
		res = inspect(c, i + 1, (uint32_t)pos + ct->len);
		if (res != INSP_NO)
			return res;
		if (!next_rel)
			return INSP_NO;
		start = (uint32_t)pos + 1;
		if (++c->steps > INSPECT_MAX_STEPS)
			return INSP_STOP;
	}
}

static int inspect_pcre(struct insp *c, uint32_t i, uint32_t prev)
{
	const struct rule *r = c->dr->r;
	const struct rule_pcre *pc = &r->match[i].pcre;
	const bool neg = pc->flags & PCRE_F_NEGATED;
	const bool next_rel = next_is_relative(r, i);
	struct detect_thread *dt = c->dt;
	uint32_t base = (pc->flags & PCRE_F_RELATIVE) ? prev : 0;
	PCRE2_SIZE so = 0;

	if (base > c->len)
		return neg ? inspect(c, i + 1, prev) : INSP_NO;
	for (;;) {
		int rc = pcre2_match(pc->code, c->buf + base, c->len - base, so, 0, dt->md,
				     dt->mctx);
		PCRE2_SIZE *ov;
		int res;

		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
			/* match or depth limit: counted, treated as no match */
			dt->stats.pcre_errors++;
			return INSP_NO;
		}
		if (neg)
			return rc == PCRE2_ERROR_NOMATCH ? inspect(c, i + 1, prev) : INSP_NO;
		if (rc == PCRE2_ERROR_NOMATCH)
			return INSP_NO;
		ov = pcre2_get_ovector_pointer(dt->md);
		res = inspect(c, i + 1, base + (uint32_t)ov[1]);
		if (res != INSP_NO || !next_rel)
			return res;
		so = ov[0] + 1;
		if (so > c->len - base || ++c->steps > INSPECT_MAX_STEPS)
			return INSP_NO;
	}
}

static int inspect(struct insp *c, uint32_t i, uint32_t prev)
{
	const struct rule *r = c->dr->r;

	if (i >= r->nmatch)
		return INSP_YES;
	if (++c->steps > INSPECT_MAX_STEPS)
		return INSP_STOP;
	if (r->match[i].kind == MATCH_PCRE)
		return inspect_pcre(c, i, prev);
	return inspect_content(c, i, prev);
}

bool detect_inspect_payload(struct detect_thread *dt, const struct de_rule *dr,
			    const uint8_t *buf, uint32_t len)
{
	static const uint8_t empty[1];
	struct insp c = { .dt = dt, .dr = dr, .buf = buf ? buf : empty, .len = len };
	int res = inspect(&c, 0, 0);

	if (c.steps > INSPECT_MAX_STEPS)
		dt->stats.inspect_limit++;
	return res == INSP_YES;
}
