// SPDX-License-Identifier: MIT
/* base64_decode, base64_data and tag, as Suricata 7 reads them
 * (detect-base64-decode.c, detect-base64-data.c, detect-tag.c):
 * - base64_decode is a match of the current buffer; its options come in the
 *   order bytes, offset, relative (each optional, comma separated).
 * - base64_data needs an earlier base64_decode; the matches after it inspect
 *   the decoded bytes, and the buffer may not change after it.
 * - tag:session[,count,packets|bytes|seconds]; tag:host is refused (this
 *   engine keeps no per-host tag table). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"

/* Next comma-separated field of *s, trimmed, into out (size outlen), *s
 * moved past it; false (*s unmoved) when s is exhausted or the field is
 * too long. */
static bool next_field(const char **s, char *out, size_t outlen)
{
	const char *p = *s, *end, *next;
	size_t n;

	if (*p == '\0')
		return false;
	end = strchr(p, ',');
	if (end == NULL)
		end = p + strlen(p);
	next = *end ? end + 1 : end;
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - p);
	if (n >= outlen)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	*s = next;
	return true;
}

/* "name N" with blanks between; 0 or -EINVAL. */
static int named_u32(const char *f, const char *name, uint32_t max, uint32_t *out)
{
	size_t n = strlen(name);

	if (strncmp(f, name, n) != 0 || !isspace((unsigned char)f[n]))
		return -EINVAL;
	if (rule_parse_u32(f + n, out) || *out > max)
		return -EINVAL;
	return 0;
}

int kw_base64_decode(struct rule_ctx *c, const char *v)
{
	struct rule_b64 d = { 0 };
	struct rule_match *m;
	char f[32];
	int stage = 0;            /* 0: bytes next, 1: offset next, 2: relative next, 3: done */

	if (c->in_b64)
		return rule_err(c, "base64_decode can't follow base64_data");
	while (v != NULL && next_field(&v, f, sizeof(f))) {
		if (stage == 0 && strncmp(f, "bytes", 5) == 0) {
			if (named_u32(f, "bytes", RULE_B64_MAX_BYTES, &d.bytes))
				return rule_err(c, "invalid base64_decode bytes: '%s'", f);
			stage = 1;
		} else if (stage <= 1 && strncmp(f, "offset", 6) == 0) {
			if (named_u32(f, "offset", UINT32_MAX, &d.offset))
				return rule_err(c, "invalid base64_decode offset: '%s'", f);
			stage = 2;
		} else if (stage <= 2 && strcmp(f, "relative") == 0) {
			d.relative = true;
			stage = 3;
		} else {
			return rule_err(c, "invalid base64_decode option: '%s' (bytes N, offset N, "
				       "relative, in that order)", f);
		}
	}
	if (v != NULL && *v != '\0')
		return rule_err(c, "invalid base64_decode option: '%s'", v);
	if (d.bytes == 0)
		d.bytes = RULE_B64_MAX_BYTES;
	m = rule_match_new(c, MATCH_BASE64_DECODE);
	if (m == NULL)
		return -ENOMEM;
	m->b64dec = d;
	c->have_b64_decode = true;
	return 0;
}

int kw_base64_data(struct rule_ctx *c, const char *v)
{
	(void)v;
	if (!c->have_b64_decode)
		return rule_err(c, "base64_data needs a preceding base64_decode");
	c->in_b64 = true;
	c->b64_buf = c->cur_buf;
	c->b64_xf = c->cur_buf >= RULE_BUF_APP_FIRST ? c->cur_xf : 0;
	c->last_content = -1;	/* modifiers can't reach back out of base64_data */
	return 0;
}

int rule_b64_check(struct rule_ctx *c)
{
	uint8_t xf = c->cur_buf >= RULE_BUF_APP_FIRST ? c->cur_xf : 0;

	if (c->in_b64 && (c->cur_buf != c->b64_buf || xf != c->b64_xf))
		return rule_err(c, "the buffer can't change after base64_data");
	return 0;
}

int rule_b64_finish(struct rule_ctx *c)
{
	const struct rule *r = c->r;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_match *m = &r->match[i];

		if (!m->b64)
			continue;
		/* a legacy modifier (http_uri, ...) or pcre flag moved it */
		if (m->buf != c->b64_buf)
			return rule_err(c, "the buffer can't change after base64_data");
		/* base64_data is no prefilter buffer in Suricata either */
		if (m->kind == MATCH_CONTENT && (m->content.flags & CONTENT_FAST_PATTERN))
			return rule_err(c, "fast_pattern can't be used after base64_data");
	}
	return 0;
}

int kw_tag(struct rule_ctx *c, const char *v)
{
	struct rule_tag t = { .metric = TAG_METRIC_PACKETS, .count = RULE_TAG_DEFAULT_COUNT };
	static const char *const metrics[] = { "packets", "bytes", "seconds" };
	char f[32];

	if (!next_field(&v, f, sizeof(f)))
		return rule_err(c, "invalid tag: '%s'", v);
	if (strcasecmp(f, "host") == 0)
		return rule_err(c, "tag:host is not supported (tag:session is)");
	if (strcasecmp(f, "session") != 0)
		return rule_err(c, "invalid tag scope '%s': session or host", f);
	if (next_field(&v, f, sizeof(f))) {
		size_t k;

		if (rule_parse_u32(f, &t.count))
			return rule_err(c, "invalid tag count '%s'", f);
		if (!next_field(&v, f, sizeof(f)))
			return rule_err(c, "tag count needs a metric: packets, bytes or seconds");
		for (k = 0; k < sizeof(metrics) / sizeof(metrics[0]); k++)
			if (strcasecmp(f, metrics[k]) == 0)
				break;
		if (k == sizeof(metrics) / sizeof(metrics[0]))
			return rule_err(c, "invalid tag metric '%s': packets, bytes or seconds", f);
		t.metric = (uint8_t)k;
		if (next_field(&v, f, sizeof(f)))
			return rule_err(c, "a tag direction ('%s') is for tag:host only", f);
	}
	if (*v != '\0')
		return rule_err(c, "invalid tag: unexpected '%s'", v);
	/* Suricata keeps one tag per rule and flow: a second tag:session of the
	 * same rule only restarts the first, so the first one's count holds */
	if (!(c->r->flags & RULE_F_TAG)) {
		c->r->tag = t;
		c->r->flags |= RULE_F_TAG;
	}
	return 0;
}
