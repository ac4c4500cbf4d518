// SPDX-License-Identifier: MIT
/* base64_decode and base64_data, as Suricata 7 reads them
 * (detect-base64-decode.c, detect-base64-data.c):
 * - base64_decode is a match of the current buffer; its options come in the
 *   order bytes, offset, relative (each optional, comma separated).
 * - base64_data needs an earlier base64_decode; the matches after it inspect
 *   the decoded bytes, and the buffer may not change after it. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"

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
	while (v != NULL && rule_next_field(&v, f, sizeof(f))) {
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
