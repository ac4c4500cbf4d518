// SPDX-License-Identifier: MIT
/* Transform keywords (Suricata's "transforms"): written after a sticky
 * buffer (before its first match in Suricata 7, anywhere in it in 5 and 6:
 * both are read), they turn the buffer into something else
 * (dotprefix, to_lowercase, to_sha256, url_decode, xor:"key", ...), in the
 * order written; the matches that follow inspect the result. The chain is
 * kept per (rule, sticky buffer occurrence) in rule->xchain, and each match
 * names its chain (rule_match.xf). The detect stage applies them
 * (dataplane/detect/detect_transform.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../common/hex.h"
#include "rule-int.h"

static const struct {
	const char *name;
	enum rule_xform_kind kind;
	bool val;                 /* takes a (quoted) value */
} xforms[] = {
	{ "dotprefix",            XFORM_DOTPREFIX,            false },
	{ "strip_whitespace",     XFORM_STRIP_WHITESPACE,     false },
	{ "compress_whitespace",  XFORM_COMPRESS_WHITESPACE,  false },
	{ "to_lowercase",         XFORM_TO_LOWERCASE,         false },
	{ "to_uppercase",         XFORM_TO_UPPERCASE,         false },
	{ "to_md5",               XFORM_TO_MD5,               false },
	{ "to_sha1",              XFORM_TO_SHA1,              false },
	{ "to_sha256",            XFORM_TO_SHA256,            false },
	{ "url_decode",           XFORM_URL_DECODE,           false },
	{ "header_lowercase",     XFORM_HEADER_LOWERCASE,     false },
	{ "strip_pseudo_headers", XFORM_STRIP_PSEUDO_HEADERS, false },
	{ "xor",                  XFORM_XOR,                  true },
	{ "pcrexform",            XFORM_PCREXFORM,            true },
};

static const char *xform_name(uint8_t kind)
{
	for (size_t i = 0; i < sizeof(xforms) / sizeof(xforms[0]); i++)
		if (xforms[i].kind == kind)
			return xforms[i].name;
	return "transform";
}

/* xor:"0d0ac8ff": an even number of hex digits, at least one byte. */
static int parse_xor(struct rule_ctx *c, const char *q, struct rule_xform *x)
{
	size_t n = strlen(q);

	if (n == 0 || n % 2)
		return rule_err(c, "invalid xor key '%s': an even number of hex digits", q);
	x->arg = malloc(n / 2);
	if (x->arg == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit(q[i]), lo = hex_digit(q[i + 1]);

		if (hi < 0 || lo < 0)
			return rule_err(c, "invalid xor key '%s': an even number of hex digits", q);
		x->arg[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	x->arglen = (uint32_t)(n / 2);
	return 0;
}

/* pcrexform:"regex": compiled as written (no delimiters, no flags); the
 * first capture group becomes the buffer, so one is required. */
static int parse_pcrexform(struct rule_ctx *c, const char *q, struct rule_xform *x)
{
	PCRE2_SIZE eoff;
	uint32_t ncap = 0;
	int ecode;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)q, PCRE2_ZERO_TERMINATED, 0, &ecode,
					 &eoff, NULL);

	if (code == NULL) {
		PCRE2_UCHAR msg[120];

		pcre2_get_error_message(ecode, msg, sizeof(msg));
		return rule_err(c, "invalid pcrexform '%s': %s at offset %zu", q, (char *)msg,
				(size_t)eoff);
	}
	x->code = code;
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ncap);
	if (ncap == 0)
		return rule_err(c, "pcrexform '%s' needs a capture group", q);
	x->arg = (uint8_t *)strdup(q);
	if (x->arg == NULL)
		return -ENOMEM;
	x->arglen = (uint32_t)strlen(q);
	return 0;
}

/* The chain new matches of the current sticky buffer go to, opened on the
 * first transform after it. */
static struct rule_xchain *cur_chain(struct rule_ctx *c)
{
	struct rule *r = c->r;
	struct rule_xchain *ch;

	if (c->cur_xf)
		return &r->xchain[c->cur_xf - 1];
	if (r->nxchain == UINT8_MAX)
		return NULL;
	ch = realloc(r->xchain, (r->nxchain + 1u) * sizeof(*ch));
	if (ch == NULL)
		return NULL;
	r->xchain = ch;
	ch = &r->xchain[r->nxchain++];
	memset(ch, 0, sizeof(*ch));
	ch->buf = c->cur_buf;
	c->cur_xf = r->nxchain;
	return ch;
}

int rule_kw_transform(struct rule_ctx *c, const char *name, const char *val)
{
	struct rule_xchain *ch;
	struct rule_xform *x;
	char *q;
	size_t k;
	int rc = 0;

	for (k = 0; k < sizeof(xforms) / sizeof(xforms[0]); k++)
		if (strcasecmp(name, xforms[k].name) == 0)
			break;
	if (k == sizeof(xforms) / sizeof(xforms[0]))
		return -ENOENT;
	name = xforms[k].name;
	if (!xforms[k].val && val)
		return rule_err(c, "keyword '%s' takes no value", name);
	if (xforms[k].val && (val == NULL || val[0] == '\0'))
		return rule_err(c, "keyword '%s' needs a value", name);
	if (c->cur_buf == RULE_BUF_PAYLOAD)
		return rule_err(c, "%s needs a sticky buffer before it", name);
	if (c->cur_buf < RULE_BUF_APP_FIRST)
		return rule_err(c, "%s is not supported on a header sticky buffer", name);
	ch = cur_chain(c);
	if (ch == NULL)
		return -ENOMEM;
	/* Suricata 7 wants transforms before the buffer's first match; rules
	 * written for 5 and 6 (ET Open) put some after, where they applied to
	 * the whole buffer: so they do here */
	for (uint32_t i = c->sticky_nmatch; i < c->r->nmatch; i++)
		if (c->r->match[i].buf == c->cur_buf)
			c->r->match[i].xf = c->cur_xf;
	if (ch->n == RULE_XFORM_MAX)
		return rule_err(c, "too many transforms on one sticky buffer (at most %d)",
				RULE_XFORM_MAX);
	x = &ch->x[ch->n++];
	*x = (struct rule_xform){ .kind = (uint8_t)xforms[k].kind };
	if (!xforms[k].val)
		return 0;
	q = rule_unquote(val);
	if (q == NULL)
		return rule_err(c, "%s needs a quoted value: '%s'", name, val);
	if (x->kind == XFORM_XOR)
		rc = parse_xor(c, q, x);
	else
		rc = parse_pcrexform(c, q, x);
	free(q);
	return rc;
}

int rule_xform_finish(struct rule_ctx *c)
{
	struct rule *r = c->r;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		struct rule_match *m = &r->match[i];

		/* a legacy modifier or pcre flag moved it to another buffer */
		if (m->xf && r->xchain[m->xf - 1].buf != m->buf)
			m->xf = 0;
	}
	for (uint32_t k = 0; k < r->nxchain; k++) {
		uint32_t i;

		for (i = 0; i < r->nmatch; i++)
			if (r->match[i].xf == k + 1)
				break;
		if (i == r->nmatch)
			return rule_err(c, "no match follows the transform '%s'",
					xform_name(r->xchain[k].x[0].kind));
	}
	return 0;
}

void rule_xchain_free(struct rule *r)
{
	for (uint32_t k = 0; k < r->nxchain; k++) {
		for (uint32_t i = 0; i < r->xchain[k].n; i++) {
			free(r->xchain[k].x[i].arg);
			pcre2_code_free(r->xchain[k].x[i].code);
		}
	}
	free(r->xchain);
	r->xchain = NULL;
	r->nxchain = 0;
}
