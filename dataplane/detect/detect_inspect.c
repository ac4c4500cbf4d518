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
 *   next occurrence (start + 1) only where that can help: the next match is
 *   a content with within, or a relative pcre or byte keyword (Suricata's
 *   WITHIN_NEXT); otherwise the rule gives up on the buffer;
 *   a non-relative content that is absent ends the rule at once.
 * - pcre: /R starts the subject at the previous match end; retried from the
 *   previous match start + 1 in the same way.
 * - byte_test/byte_jump/byte_extract/byte_math/isdataat/bsize (detect_byte.c)
 *   take part in the chain: byte_jump, byte_extract and byte_math move the
 *   relative point, a failure lets the earlier match retry.
 * - each buffer (payload, a header sticky buffer, an app buffer after its
 *   transforms) has its own chain: only the matches of the buffer inspected
 *   are walked.
 * - base64_decode (Suricata 7, detect-base64-decode.c) decodes from the
 *   buffer start, or the previous match end with relative, plus offset (no
 *   match when offset reaches the end), at most bytes encoded bytes, into
 *   the thread's scratch; the base64_data matches are then walked over the
 *   decoded bytes and decide the whole buffer ("a terminal list": matches
 *   after base64_decode in the buffer are not looked at). Nothing decoded, or
 *   no base64_data match in the rule: no match (the earlier match may retry).
 * Total work per rule is bounded by INSPECT_MAX_STEPS. */
#include <string.h>

#include "../../common/bug.h"
#include "../decode/packet-t.h"
#include "detect_applayer-int.h"

enum { INSP_NO = 0, INSP_YES = 1, INSP_STOP = -1 };

struct insp {
	struct detect_thread *dt;
	const struct de_rule *dr;
	const uint8_t *buf;
	uint32_t len;
	uint32_t base;            /* offset of buf[0] in the whole buffer */
	uint32_t steps;
	enum rule_buffer b;       /* the buffer whose matches are walked */
	uint8_t xf;               /* and their transform chain (rule_match.xf) */
	uint8_t grp;              /* and list (rule_match.grp) */
	uint8_t b64;              /* 1: the base64_data matches, over the decoded bytes */
	uint64_t vars[RULE_MAX_BYTE_VARS]; /* byte_extract/byte_math results */
};

static int inspect(struct insp *c, uint32_t i, uint32_t prev);

/* The first match at or after i that inspects c's buffer (nmatch: none). */
static uint32_t next_in_buf(const struct insp *c, uint32_t i)
{
	const struct rule *r = c->dr->r;

	if (c->b64) {
		while (i < r->nmatch && !r->match[i].b64)
			i++;
		return i;
	}
	while (i < r->nmatch && (r->match[i].buf != c->b || r->match[i].xf != c->xf ||
				 r->match[i].grp != c->grp || r->match[i].b64))
		i++;
	return i;
}

bool detect_match_is_relative(const struct rule_match *m)
{
	switch (m->kind) {
	case MATCH_CONTENT:
		return (m->content.flags & CONTENT_RELATIVE) != 0;
	case MATCH_PCRE:
		return (m->pcre.flags & PCRE_F_RELATIVE) != 0;
	case MATCH_BSIZE:
		return false;
	case MATCH_BASE64_DECODE:
		return m->b64dec.relative;
	case MATCH_ASN1:
		return (m->asn1.flags & ASN1_F_RELATIVE) != 0;
	default:
		return (m->byte.flags & BYTE_F_RELATIVE) != 0;
	}
}

static bool next_is_relative(const struct insp *c, uint32_t i)
{
	const struct rule *r = c->dr->r;

	i = next_in_buf(c, i + 1);
	return i < r->nmatch && detect_match_is_relative(&r->match[i]);
}

/* Whether a later occurrence of content i can make the rest match once it
 * failed after this one (Suricata's DETECT_CONTENT_WITHIN_NEXT): only when
 * the next match is relative with an end bound (a content with within) or
 * not a content (pcre /R, relative byte keywords). A next content with a
 * distance alone searches to the buffer end, and a later start only shrinks
 * that window; a next match that is not relative does not depend on i at
 * all. Either way retrying is wasted work, quadratic on long buffers. */
static bool next_may_retry(const struct insp *c, uint32_t i)
{
	const struct rule *r = c->dr->r;
	const struct rule_match *m;

	i = next_in_buf(c, i + 1);
	if (i >= r->nmatch)
		return false;
	m = &r->match[i];
	if (!detect_match_is_relative(m))
		return false;
	return m->kind != MATCH_CONTENT ||
	       (m->content.flags & (CONTENT_WITHIN | CONTENT_WITHIN_VAR)) != 0;
}

/* First occurrence of pat in buf[from, end), or -1. */
static int64_t search(const uint8_t *buf, uint32_t from, uint32_t end,
		      const uint8_t *pat, uint32_t plen, bool nocase)
{
	const uint8_t *f;

	if (end < from)
		return -1;
	f = detect_spm_find(buf + from, end - from, pat, plen, nocase);
	return f ? f - buf : -1;
}

/* A content modifier: its number, or the variable it names. */
static inline int64_t modifier(const struct insp *c, uint32_t flags, uint32_t var_flag,
			       int32_t v)
{
	return (flags & var_flag) ? (int64_t)(int32_t)c->vars[v] : v;
}

/* content_window(): no occurrence can count, negated or not */
#define WINDOW_NEVER (-1)

/* An end bound of the whole buffer (depth, or within from its start) on the
 * part inspected, which starts at c->base (Suricata's stream_start_offset):
 * a bound before the part rules the content out, one inside it is moved;
 * the offset stays as written, as Suricata's. */
static int64_t based_end(const struct insp *c, int64_t end, uint32_t blen, bool *never)
{
	if (c->base == 0 || end >= (int64_t)c->base + blen)
		return end;
	if (end <= (int64_t)c->base)
		*never = true;
	return end - c->base;
}

/* The search window [start, end) for content i after a match ending at
 * prev: 1, 0 when empty, WINDOW_NEVER. */
static int content_window(const struct insp *c, const struct rule_content *ct, uint32_t blen,
			  uint32_t prev, uint32_t *pstart, uint32_t *pend)
{
	const uint32_t f = ct->flags;
	int64_t start = 0, end = blen;
	bool never = false;

	if (f & CONTENT_RELATIVE) {
		int64_t dist = modifier(c, f, CONTENT_DISTANCE_VAR, ct->distance);
		int64_t within = modifier(c, f, CONTENT_WITHIN_VAR, ct->within);

		if (!(f & (CONTENT_DISTANCE | CONTENT_DISTANCE_VAR)))
			dist = 0;
		start = (int64_t)prev + dist;
		if (start < 0)
			start = 0;
		if (f & (CONTENT_WITHIN | CONTENT_WITHIN_VAR)) {
			int64_t w = (int64_t)prev + dist + within;

			if (prev == 0)
				w = based_end(c, w, blen, &never);
			if (w < end)
				end = w;
		}
	} else {
		if (f & (CONTENT_OFFSET | CONTENT_OFFSET_VAR))
			start = modifier(c, f, CONTENT_OFFSET_VAR, ct->offset);
		if (f & (CONTENT_DEPTH | CONTENT_DEPTH_VAR | CONTENT_STARTSWITH)) {
			int64_t d = (f & CONTENT_STARTSWITH) ? ct->len :
				    modifier(c, f, CONTENT_DEPTH_VAR, ct->depth);
			int64_t e = based_end(c, start + d, blen, &never);

			if (e < end)
				end = e;
		}
	}
	if (never)
		return WINDOW_NEVER;
	if ((ct->flags & CONTENT_STARTSWITH) && start + ct->len < end)
		end = start + ct->len;
	if (ct->flags & CONTENT_ENDSWITH) {
		/* only an occurrence ending at the buffer end counts */
		if (end < blen || blen < ct->len || start > (int64_t)(blen - ct->len))
			return 0;
		start = blen - ct->len;
	}
	if (end <= 0 || start > end)
		return 0;
	*pstart = (uint32_t)start;
	*pend = (uint32_t)end;
	return 1;
}

static int inspect_content(struct insp *c, uint32_t i, uint32_t prev)
{
	const struct rule *r = c->dr->r;
	const struct rule_content *ct = &r->match[i].content;
	const bool neg = ct->flags & CONTENT_NEGATED;
	const bool rel = ct->flags & CONTENT_RELATIVE;
	const bool next_rel = next_is_relative(c, i);
	const bool retry = next_may_retry(c, i);
	uint32_t start, end;
	int w = content_window(c, ct, c->len, prev, &start, &end);

	if (w == WINDOW_NEVER)
		return INSP_NO;
	if (w == 0)
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
		if (!retry)
			return INSP_STOP;
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
	const bool next_rel = next_is_relative(c, i);
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
		if (pc->ncap)
			detect_capture_store(dt, pc, c->buf + base, ov, rc);
		res = inspect(c, i + 1, base + (uint32_t)ov[1]);
		if (res != INSP_NO || !next_rel)
			return res;
		so = ov[0] + 1;
		if (so > c->len - base || ++c->steps > INSPECT_MAX_STEPS)
			return INSP_NO;
	}
}

/* The byte keywords: a failure returns INSP_NO so that the earlier match
 * may retry; the keywords that move the relative point pass it on. */
static int inspect_byte(struct insp *c, uint32_t i, uint32_t prev)
{
	const struct rule_match *m = &c->dr->r->match[i];
	uint32_t to = prev;
	bool ok;

	switch (m->kind) {
	case MATCH_BYTE_TEST:
		ok = detect_byte_test(&m->byte, c->buf, c->len, prev, c->vars);
		break;
	case MATCH_BYTE_JUMP:
		ok = detect_byte_jump(&m->byte, c->buf, c->len, prev, c->vars, &to);
		break;
	case MATCH_BYTE_EXTRACT:
		ok = detect_byte_extract(&m->byte, c->buf, c->len, prev, c->vars, &to);
		break;
	case MATCH_BYTE_MATH:
		ok = detect_byte_math(&m->byte, c->buf, c->len, prev, c->vars, &to);
		break;
	case MATCH_ISDATAAT: {
		int r = detect_isdataat(&m->byte, c->len, prev, c->vars);

		if (r < 0)
			return INSP_STOP;
		ok = r > 0;
		break;
	}
	case MATCH_BSIZE:
		if (!detect_match_u32(&m->bsize, c->len))
			return INSP_STOP;
		ok = true;
		break;
	case MATCH_ASN1:	/* checks only: the relative point stays */
		ok = detect_asn1(&m->asn1, c->buf, c->len, prev);
		break;
	default:
		ok = false;
		break;
	}
	return ok ? inspect(c, i + 1, to) : INSP_NO;
}

/* Base64 as Suricata's base64_decode reads it (util-base64.c, RFC 4648
 * mode, not strict): decoding stops at the first byte outside the alphabet
 * that is not '='; '=' counts as a zero sextet and as padding, so a block
 * with k of them gives 3 - k bytes (at least 0), and decoding goes on after
 * it; a final partial block of n > 1 sextets gives n - 1 bytes, of one
 * sextet 1 byte. out has room for 3 bytes per started block of 4. Returns
 * the bytes written. */
static uint32_t b64_decode(const uint8_t *src, uint32_t len, uint8_t *out)
{
	static const int8_t val[256] = {
		['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7,
		['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13,
		['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19,
		['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25,
		['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31,
		['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
		['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42, ['q'] = 43,
		['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49,
		['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55,
		['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61,
		['9'] = 62, ['+'] = 63, ['/'] = 64,
	};   /* sextet + 1; 0: not in the alphabet */
	uint8_t q[4];
	uint32_t n = 0, k = 0, pad = 0;

	for (uint32_t i = 0; i < len; i++) {
		int v = val[src[i]] - 1;

		if (v < 0) {
			if (src[i] != '=')
				break;
			pad++;
			v = 0;
		}
		q[k++] = (uint8_t)v;
		if (k < 4)
			continue;
		out[n] = (uint8_t)(q[0] << 2 | q[1] >> 4);
		out[n + 1] = (uint8_t)(q[1] << 4 | q[2] >> 2);
		out[n + 2] = (uint8_t)(q[2] << 6 | q[3]);
		n += 3 - (pad < 3 ? pad : 3);
		k = pad = 0;
	}
	if (k > 0) {
		for (uint32_t j = k; j < 4; j++)
			q[j] = 0;
		out[n] = (uint8_t)(q[0] << 2 | q[1] >> 4);
		out[n + 1] = (uint8_t)(q[1] << 4 | q[2] >> 2);
		n += k > 1 ? k - 1 : 1;
	}
	return n;
}

static int inspect_b64(struct insp *c, uint32_t i, uint32_t prev)
{
	const struct rule_b64 *d = &c->dr->r->match[i].b64dec;
	struct insp in = { .dt = c->dt, .dr = c->dr, .b = c->b, .xf = c->xf, .grp = c->grp,
			   .b64 = 1, .steps = c->steps };
	const uint8_t *src = c->buf;
	uint32_t len = c->len;
	int res;

	BUG_ON_HOT(c->b64);	/* the parser refuses base64_decode after base64_data */
	if (d->relative) {
		if (prev > len)
			return INSP_NO;
		src += prev;
		len -= prev;
	}
	if (d->offset) {
		if (d->offset >= len)
			return INSP_NO;
		src += d->offset;
		len -= d->offset;
	}
	in.len = b64_decode(src, len < d->bytes ? len : d->bytes, c->dt->b64);
	if (in.len == 0 || next_in_buf(&in, 0) >= c->dr->r->nmatch)
		return INSP_NO;
	in.buf = c->dt->b64;
	memcpy(in.vars, c->vars, sizeof(in.vars));
	res = inspect(&in, 0, 0);
	c->steps = in.steps;
	if (res == INSP_YES)
		return INSP_YES;
	return c->steps > INSPECT_MAX_STEPS ? INSP_STOP : INSP_NO;
}

static int inspect(struct insp *c, uint32_t i, uint32_t prev)
{
	const struct rule *r = c->dr->r;

	i = next_in_buf(c, i);
	if (i >= r->nmatch)
		return INSP_YES;
	if (++c->steps > INSPECT_MAX_STEPS)
		return INSP_STOP;
	switch (r->match[i].kind) {
	case MATCH_CONTENT:
		return inspect_content(c, i, prev);
	case MATCH_PCRE:
		return inspect_pcre(c, i, prev);
	case MATCH_BASE64_DECODE:
		return inspect_b64(c, i, prev);
	default:
		return inspect_byte(c, i, prev);
	}
}

bool detect_inspect_xbuffer(struct detect_thread *dt, const struct de_rule *dr,
			    const struct app_rule_buf *rb, const uint8_t *buf, uint32_t len,
			    uint32_t base)
{
	static const uint8_t empty[1];
	struct insp c = { .dt = dt, .dr = dr, .buf = buf ? buf : empty, .len = len,
			  .base = base, .b = (enum rule_buffer)rb->buf, .xf = rb->xf,
			  .grp = rb->grp };
	int res = inspect(&c, 0, 0);

	if (c.steps > INSPECT_MAX_STEPS)
		dt->stats.inspect_limit++;
	return res == INSP_YES;
}

bool detect_inspect_buffer(struct detect_thread *dt, const struct de_rule *dr,
			   enum rule_buffer b, const uint8_t *buf, uint32_t len)
{
	const struct app_rule_buf rb = { .buf = (uint8_t)b };

	return detect_inspect_xbuffer(dt, dr, &rb, buf, len, 0);
}

bool detect_inspect_payload(struct detect_thread *dt, const struct de_rule *dr,
			    const uint8_t *buf, uint32_t len)
{
	return detect_inspect_buffer(dt, dr, RULE_BUF_PAYLOAD, buf, len);
}

/* The header a sticky buffer names, as decoded: from the header's first byte
 * to the payload (options included); false when the packet has none. */
static bool hdr_buffer(const struct packet *p, enum rule_buffer b, const uint8_t **buf,
		       uint32_t *len)
{
	switch (b) {
	case RULE_BUF_IPV4_HDR:
		if (p->ip_ver != 4 || !p->l3)
			return false;
		*buf = p->l3;
		*len = p->ip_hlen;
		return true;
	case RULE_BUF_IPV6_HDR:
		if (p->ip_ver != 6 || !p->l3)
			return false;
		*buf = p->l3;
		*len = 40;
		return true;
	case RULE_BUF_TCP_HDR:
		if (p->proto != 6)
			break;
		goto l4;
	case RULE_BUF_UDP_HDR:
		if (p->proto != 17)
			break;
		goto l4;
	case RULE_BUF_ICMPV4_HDR:
		if (p->ip_ver != 4 || p->proto != 1)
			break;
		goto l4;
	case RULE_BUF_ICMPV6_HDR:
		if (p->ip_ver != 6 || p->proto != 58)
			break;
		goto l4;
	default:
		break;
	}
	return false;
l4:
	if (!p->l4 || !p->payload || p->payload < p->l4)
		return false;
	*buf = p->l4;
	*len = (uint32_t)(p->payload - p->l4);
	return true;
}

bool detect_inspect_hdr_buffers(struct detect_thread *dt, const struct de_rule *dr,
				const struct packet *p)
{
	const struct rule *r = dr->r;
	uint32_t done = 0;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		enum rule_buffer b = r->match[i].buf;
		const uint8_t *buf;
		uint32_t len;

		if (b == RULE_BUF_PAYLOAD || b > RULE_BUF_ICMPV6_HDR || (done & (1u << b)))
			continue;
		done |= 1u << b;
		if (!hdr_buffer(p, b, &buf, &len) || !detect_inspect_buffer(dt, dr, b, buf, len))
			return false;
	}
	return true;
}
