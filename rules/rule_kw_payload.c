// SPDX-License-Identifier: MIT
/* Payload keywords: content and its modifiers, fast_pattern, pcre, pkt_data,
 * with Suricata's validation of how they combine. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../common/hex.h"
#include "rule-int.h"

struct rule_match *rule_match_new(struct rule_ctx *c, enum rule_match_kind kind)
{
	struct rule *r = c->r;
	struct rule_match *m;

	if (r->nmatch == c->cap_match) {
		uint32_t cap = c->cap_match ? c->cap_match * 2 : 4;

		m = realloc(r->match, cap * sizeof(*m));
		if (m == NULL)
			return NULL;
		r->match = m;
		c->cap_match = cap;
	}
	m = &r->match[r->nmatch++];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->buf = c->cur_buf;
	if (c->cur_buf >= RULE_BUF_APP_FIRST)
		m->xf = c->cur_xf;
	m->grp = c->cur_grp;
	m->b64 = c->in_b64;
	return m;
}

/* Decodes the text between the quotes: |hex| blocks and \" \; \\ \: escapes. */
int rule_content_decode(struct rule_ctx *c, const char *s, size_t len, uint8_t *out,
			uint32_t *olen)
{
	bool hex = false;
	int nib = -1;
	uint32_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (hex) {
			if (ch == '|') {
				if (nib >= 0)
					return rule_err(c, "invalid content: %s",
							"odd number of hex digits");
				hex = false;
			} else if (ch == ' ') {
				continue;
			} else if (hex_digit(ch) < 0) {
				return rule_err(c, "invalid content: bad hex character '%c'", ch);
			} else if (nib < 0) {
				nib = hex_digit(ch);
			} else {
				out[n++] = (uint8_t)(nib << 4 | hex_digit(ch));
				nib = -1;
			}
		} else if (ch == '|') {
			hex = true;
		} else if (ch == '\\') {
			if (i + 1 == len || !strchr("\";\\:", s[i + 1]))
				return rule_err(c, "invalid content: bad escape sequence");
			out[n++] = (uint8_t)s[++i];
		} else if (ch == '"') {
			return rule_err(c, "invalid content: unescaped '\"'");
		} else {
			out[n++] = (uint8_t)ch;
		}
	}
	if (hex)
		return rule_err(c, "invalid content: unterminated hex block");
	*olen = n;
	return 0;
}

int kw_content(struct rule_ctx *c, const char *v)
{
	bool negated = false;
	struct rule_match *m;
	size_t len;
	uint8_t *pat;
	uint32_t plen = 0;

	if (*v == '!') {
		negated = true;
		v++;
		v += strspn(v, " \t");
	}
	len = strlen(v);
	if (len < 2 || v[0] != '"' || v[len - 1] != '"')
		return rule_err(c, "content must be a quoted string");
	pat = malloc(len);
	if (pat == NULL)
		return -ENOMEM;
	if (rule_content_decode(c, v + 1, len - 2, pat, &plen)) {
		free(pat);
		return -EINVAL;
	}
	if (plen == 0) {
		free(pat);
		return rule_err(c, "content is empty");
	}
	m = rule_match_new(c, MATCH_CONTENT);
	if (m == NULL) {
		free(pat);
		return -ENOMEM;
	}
	m->content.pat = pat;
	m->content.len = plen;
	if (negated)
		m->content.flags |= CONTENT_NEGATED;
	c->last_content = (int)(c->r->nmatch - 1);
	return 0;
}

/* The content a modifier applies to: the latest one of the rule. */
static struct rule_content *last_content(struct rule_ctx *c, const char *kw)
{
	if (c->last_content < 0) {
		rule_err(c, "%s needs a preceding content", kw);
		return NULL;
	}
	return &c->r->match[c->last_content].content;
}

static int set_flag_once(struct rule_ctx *c, const char *kw, uint32_t flag)
{
	struct rule_content *ct = last_content(c, kw);

	if (ct == NULL)
		return -EINVAL;
	if (ct->flags & flag)
		return rule_err(c, "duplicate %s for the same content", kw);
	ct->flags |= flag;
	return 0;
}

int kw_nocase(struct rule_ctx *c, const char *v)
{
	(void)v;
	return set_flag_once(c, "nocase", CONTENT_NOCASE);
}

int kw_rawbytes(struct rule_ctx *c, const char *v)
{
	(void)v;
	return set_flag_once(c, "rawbytes", CONTENT_RAWBYTES);
}

int kw_startswith(struct rule_ctx *c, const char *v)
{
	(void)v;
	return set_flag_once(c, "startswith", CONTENT_STARTSWITH);
}

int kw_endswith(struct rule_ctx *c, const char *v)
{
	(void)v;
	return set_flag_once(c, "endswith", CONTENT_ENDSWITH);
}

/* offset and depth are 0..65535 as in Suricata; distance and within are
 * signed 32-bit. */
static int set_number(struct rule_ctx *c, const char *kw, const char *v, uint32_t flag,
		      int32_t *field, int32_t min, int32_t max)
{
	int32_t n;

	if (rule_parse_i32(v, &n) || n < min || n > max)
		return rule_err(c, "invalid %s: '%s'", kw, v);
	if (set_flag_once(c, kw, flag))
		return -EINVAL;
	*field = n;
	return 0;
}

int kw_offset(struct rule_ctx *c, const char *v)
{
	struct rule_content *ct = last_content(c, "offset");

	return ct ? set_number(c, "offset", v, CONTENT_OFFSET, &ct->offset, 0, 65535) : -EINVAL;
}

int kw_depth(struct rule_ctx *c, const char *v)
{
	struct rule_content *ct = last_content(c, "depth");

	return ct ? set_number(c, "depth", v, CONTENT_DEPTH, &ct->depth, 0, 65535) : -EINVAL;
}

int kw_distance(struct rule_ctx *c, const char *v)
{
	struct rule_content *ct = last_content(c, "distance");

	return ct ? set_number(c, "distance", v, CONTENT_DISTANCE, &ct->distance,
			       INT32_MIN, INT32_MAX) : -EINVAL;
}

int kw_within(struct rule_ctx *c, const char *v)
{
	struct rule_content *ct = last_content(c, "within");

	return ct ? set_number(c, "within", v, CONTENT_WITHIN, &ct->within,
			       INT32_MIN, INT32_MAX) : -EINVAL;
}

/* fast_pattern, fast_pattern:only, fast_pattern:<offset>,<length> */
int kw_fast_pattern(struct rule_ctx *c, const char *v)
{
	struct rule_content *ct;
	const char *comma;
	uint32_t off, len;

	if (set_flag_once(c, "fast_pattern", CONTENT_FAST_PATTERN))
		return -EINVAL;
	ct = &c->r->match[c->last_content].content;
	if (v == NULL)
		return 0;
	if (strcmp(v, "only") == 0) {
		ct->flags |= CONTENT_FP_ONLY;
		return 0;
	}
	comma = strchr(v, ',');
	if (comma) {
		char a[16];
		size_t l = (size_t)(comma - v);

		if (l < sizeof(a)) {
			memcpy(a, v, l);
			a[l] = '\0';
			if (rule_parse_u32(a, &off) == 0 && rule_parse_u32(comma + 1, &len) == 0 &&
			    off <= 65535 && len <= 65535 && len > 0) {
				ct->flags |= CONTENT_FP_CHOP;
				ct->fp_off = (uint16_t)off;
				ct->fp_len = (uint16_t)len;
				return 0;
			}
		}
	}
	return rule_err(c, "invalid fast_pattern argument: '%s'", v);
}

/* Back to the packet payload after a sticky buffer. */
int kw_pkt_data(struct rule_ctx *c, const char *v)
{
	(void)v;
	if (c->in_b64)
		return rule_err(c, "the buffer can't change after base64_data");
	c->cur_buf = RULE_BUF_PAYLOAD;
	c->cur_grp = 0;
	return 0;
}

void rule_pcre_code_free(void *code)
{
	pcre2_code_free(code);
}

/* Suricata's pcre flags; the HTTP ones (U, I, P, ...) pick the buffer. */
static int pcre_flag(struct rule_ctx *c, char f, struct rule_pcre *p, enum rule_buffer *buf)
{
	static const struct {
		char f;
		uint32_t opt;
	} opts[] = {
		{ 'i', PCRE2_CASELESS }, { 's', PCRE2_DOTALL }, { 'm', PCRE2_MULTILINE },
		{ 'x', PCRE2_EXTENDED }, { 'A', PCRE2_ANCHORED }, { 'E', PCRE2_DOLLAR_ENDONLY },
		{ 'G', PCRE2_UNGREEDY },
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (opts[i].f == f) {
			p->pcre2_opts |= opts[i].opt;
			return 0;
		}
	}
	switch (f) {
	case 'R':
		p->flags |= PCRE_F_RELATIVE;
		return 0;
	case 'B':
		p->flags |= PCRE_F_RAWBYTES;
		return 0;
	case 'O':
		/* match-limit override: the engine's limits apply anyway */
		return 0;
	default:
		break;
	}
	if (rule_pcre_http_flag(f, buf) == 0)
		return 0;
	return rule_err(c, "unknown pcre flag '%c'", f);
}

int kw_pcre(struct rule_ctx *c, const char *v)
{
	struct rule_pcre p = { 0 };
	struct rule_match *m;
	enum rule_buffer buf = RULE_BUF_MAX;
	const char *slash, *names;
	size_t len, nlen;
	int errcode;
	PCRE2_SIZE erroff;

	if (*v == '!') {
		p.flags |= PCRE_F_NEGATED;
		v++;
		v += strspn(v, " \t");
	}
	len = strlen(v);
	/* Suricata takes the bare form too: pcre:/one/U; */
	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		v++;
		len -= 2;
	}
	/* (added) "/(..)/flags, pkt:name, flow:name": the capture names */
	nlen = len;
	len = rule_pcre_names_cut(v, len);
	names = v + len;
	nlen -= len;
	if (len < 2 || v[0] != '/')
		return rule_err(c, "pcre must be a quoted \"/expression/flags\"");
	slash = v + len - 1;
	while (slash > v && *slash != '/')
		slash--;
	if (slash == v)
		return rule_err(c, "pcre must be a quoted \"/expression/flags\"");
	for (const char *f = slash + 1; f < v + len; f++)
		if (pcre_flag(c, *f, &p, &buf))
			return -EINVAL;
	p.expr = strndup(v + 1, (size_t)(slash - v - 1));
	if (p.expr == NULL)
		return -ENOMEM;
	p.code = pcre2_compile((PCRE2_SPTR)p.expr, PCRE2_ZERO_TERMINATED, p.pcre2_opts,
			       &errcode, &erroff, NULL);
	if (p.code == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		free(p.expr);
		return rule_err(c, "pcre compile error: %s at offset %zu", (char *)msg,
				(size_t)erroff);
	}
	/* machine code, as Suricata's; a pattern the JIT refuses is interpreted */
	(void)pcre2_jit_compile(p.code, PCRE2_JIT_COMPLETE);
	if (rule_pcre_captures(c, &p, names, nlen)) {
		rule_pcre_captures_free(&p);
		pcre2_code_free(p.code);
		free(p.expr);
		return -EINVAL;
	}
	m = rule_match_new(c, MATCH_PCRE);
	if (m == NULL) {
		rule_pcre_captures_free(&p);
		pcre2_code_free(p.code);
		free(p.expr);
		return -ENOMEM;
	}
	m->pcre = p;
	if (buf != RULE_BUF_MAX) {
		m->buf = buf;
		m->grp = 0;
	}
	return 0;
}

/* Suricata's checks that depend on several keywords of one content. */
static int content_validate(struct rule_ctx *c, const struct rule_content *ct)
{
	uint32_t f = ct->flags;

	if ((f & (CONTENT_OFFSET | CONTENT_DEPTH)) && (f & CONTENT_RELATIVE))
		return rule_err(c, "can't mix offset/depth with distance/within on one content");
	if ((f & CONTENT_DEPTH) && ct->depth < (int32_t)ct->len)
		return rule_err(c, "depth smaller than content length: %d < %u", ct->depth,
				ct->len);
	if ((f & CONTENT_WITHIN) && ct->within < (int32_t)ct->len)
		return rule_err(c, "within smaller than content length: %d < %u", ct->within,
				ct->len);
	if ((f & CONTENT_STARTSWITH) && (f & (CONTENT_OFFSET | CONTENT_DEPTH | CONTENT_RELATIVE)))
		return rule_err(c, "startswith can't be mixed with offset, depth, distance or "
			       "within");
	if ((f & CONTENT_FP_ONLY) && (f & CONTENT_NEGATED))
		return rule_err(c, "fast_pattern:only can't be used on a negated content");
	if ((f & CONTENT_FP_ONLY) && (f & (CONTENT_OFFSET | CONTENT_DEPTH | CONTENT_RELATIVE)))
		return rule_err(c, "fast_pattern:only can't be used with offset, depth, "
			       "distance or within");
	if ((f & CONTENT_FAST_PATTERN) && (f & CONTENT_NEGATED) &&
	    (f & (CONTENT_OFFSET | CONTENT_DEPTH | CONTENT_RELATIVE)))
		return rule_err(c, "fast_pattern can't be used on a negated content with "
			       "offset, depth, distance or within");
	if ((f & CONTENT_FP_CHOP) && (uint32_t)ct->fp_off + ct->fp_len > ct->len)
		return rule_err(c, "fast_pattern chop beyond the content: %u,%u with length %u",
				ct->fp_off, ct->fp_len, ct->len);
	return 0;
}

int rule_payload_validate(struct rule_ctx *c)
{
	const struct rule *r = c->r;
	uint32_t nfp = 0;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_content *ct = &r->match[i].content;

		if (r->match[i].kind != MATCH_CONTENT)
			continue;
		if (content_validate(c, ct))
			return -EINVAL;
		if ((ct->flags & CONTENT_FAST_PATTERN) && ++nfp > 1)
			return rule_err(c, "fast_pattern can be used on only one content per "
				       "buffer");
	}
	return 0;
}
