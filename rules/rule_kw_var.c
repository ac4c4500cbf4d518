// SPDX-License-Identifier: MIT
/* Variables as Suricata 7 keeps them: a pcre's captures into packet and
 * flow variables (detect-pcre.c's DetectPcreParseCapture), and the
 * keywords that read them, flowvar:name,"content" and pktvar:name,"content"
 * (detect-flowvar.c, detect-pktvar.c). Suricata 7 knows the pkt and flow
 * kinds only: (?P<alert_x>..) and other prefixes stay plain named groups. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rule-int.h"

static int cap_add(struct rule_ctx *c, struct rule_pcre *p, uint8_t kind, const char *name,
		   size_t len)
{
	struct rule_capture *cap;

	if (len == 0)
		return rule_err(c, "pcre: empty %s var capture name",
				kind == RULE_VAR_PKT ? "pkt" : "flow");
	if (p->ncap >= RULE_PCRE_CAP_MAX)
		return rule_err(c, "pcre: rule can have maximally %d pkt/flow var captures",
				RULE_PCRE_CAP_MAX);
	if (p->cap == NULL) {
		p->cap = calloc(RULE_PCRE_CAP_MAX, sizeof(*p->cap));
		if (p->cap == NULL)
			return -ENOMEM;
	}
	cap = &p->cap[p->ncap];
	cap->name = strndup(name, len);
	if (cap->name == NULL)
		return -ENOMEM;
	cap->kind = kind;
	cap->name_hash = rule_name_hash(cap->name);
	p->ncap++;
	return 0;
}

/* The list after the expression: names separated by spaces or commas,
 * each "pkt:NAME" or "flow:NAME", at most one per capture group. */
static int names_list(struct rule_ctx *c, struct rule_pcre *p, const char *s, size_t len,
		      uint32_t ngroups)
{
	size_t i = 0;

	while (i < len) {
		size_t n;
		const char *t;

		i += strspn(s + i, " ,");
		if (i >= len)
			break;
		t = s + i;
		n = strcspn(t, " ,");
		if (n > len - i)
			n = len - i;
		i += n;
		if (p->ncap >= ngroups)
			return rule_err(c, "pcre: more pkt/flow var capture names than capturing "
				       "substrings");
		if ((n == 7 && strncmp(t, "pkt:key", 7) == 0) ||
		    (n == 9 && strncmp(t, "pkt:value", 9) == 0))
			return rule_err(c, "pcre: pkt:key/pkt:value captures are not supported");
		if (n >= 5 && strncmp(t, "flow:", 5) == 0) {
			if (cap_add(c, p, RULE_VAR_FLOW, t + 5, n - 5))
				return -EINVAL;
		} else if (n >= 4 && strncmp(t, "pkt:", 4) == 0) {
			if (cap_add(c, p, RULE_VAR_PKT, t + 4, n - 4))
				return -EINVAL;
		} else {
			return rule_err(c, "pcre: pkt/flow var capture names must start with "
				       "'pkt:' or 'flow:' ('%.*s')", (int)n, t);
		}
	}
	return 0;
}

/* Suricata's capture regex "\(\?P\<([A-z]+)\_([A-z0-9_]+)\>" (ungreedy):
 * the kind is what comes before the first '_' of the group name. */
static bool in_az(char ch)
{
	return ch >= 'A' && ch <= 'z';
}

static int named_groups(struct rule_ctx *c, struct rule_pcre *p)
{
	for (const char *g = strstr(p->expr, "(?P<"); g != NULL; g = strstr(g + 1, "(?P<")) {
		const char *n = g + 4, *end = strchr(n, '>'), *us;
		size_t tlen;
		bool ok = end != NULL && end > n;

		for (const char *q = n; ok && q < end; q++)
			ok = isalnum((unsigned char)*q) || in_az(*q);
		if (!ok)
			continue;
		us = memchr(n + 1, '_', (size_t)(end - n - 1));
		if (us == NULL || us + 1 == end)
			continue;
		tlen = (size_t)(us - n);
		for (size_t k = 0; k < tlen && ok; k++)
			ok = in_az(n[k]);
		if (!ok)
			continue;
		if (tlen == 3 && strncmp(n, "pkt", 3) == 0) {
			if (cap_add(c, p, RULE_VAR_PKT, us + 1, (size_t)(end - us - 1)))
				return -EINVAL;
		} else if (tlen == 4 && strncmp(n, "flow", 4) == 0) {
			if (cap_add(c, p, RULE_VAR_FLOW, us + 1, (size_t)(end - us - 1)))
				return -EINVAL;
		}
	}
	return 0;
}

size_t rule_pcre_names_cut(const char *v, size_t len)
{
	const char *f = memmem(v, len, "flow:", 5), *k = memmem(v, len, "pkt:", 4);
	const char *cut = f == NULL ? k : (k == NULL || f < k) ? f : k;
	size_t end;

	if (cut == NULL || cut - v <= 1)
		return len;
	end = (size_t)(cut - v);
	while (end > 0 && (v[end - 1] == ',' || v[end - 1] == ' '))
		end--;
	/* no separator before it: part of the expression */
	return end == (size_t)(cut - v) ? len : end;
}

int rule_pcre_captures(struct rule_ctx *c, struct rule_pcre *p, const char *names, size_t len)
{
	uint32_t ngroups = 0;

	if (pcre2_pattern_info(p->code, PCRE2_INFO_CAPTURECOUNT, &ngroups) != 0)
		ngroups = 0;
	if (len > 0 && names_list(c, p, names, len, ngroups))
		return -EINVAL;
	if (named_groups(c, p))
		return -EINVAL;
	if (p->ncap > 0)
		c->r->flags |= RULE_F_CAPTURE;
	return 0;
}

void rule_pcre_captures_free(struct rule_pcre *p)
{
	for (uint8_t i = 0; i < p->ncap; i++)
		free(p->cap[i].name);
	free(p->cap);
	p->cap = NULL;
	p->ncap = 0;
}

/* name,"content": the name up to the last comma (Suricata's "(.*),(.*)"),
 * the content quoted and decoded as content's. */
static int kw_varmatch(struct rule_ctx *c, const char *v, uint8_t kind, const char *kw)
{
	const char *comma = strrchr(v, ',');
	struct rule_varmatch vm = { .kind = kind }, *arr;
	char *q = NULL;
	size_t qlen;
	int rc;

	if (comma == NULL)
		return rule_err(c, "\"%s\" is not a valid setting for %s", v, kw);
	vm.name = rule_strtrim(v, (size_t)(comma - v));
	q = rule_strtrim(comma + 1, strlen(comma + 1));
	if (vm.name == NULL || q == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = -EINVAL;
	qlen = strlen(q);
	if (vm.name[0] == '\0') {
		rule_err(c, "%s needs a variable name", kw);
		goto fail;
	}
	if (qlen < 2 || q[0] != '"' || q[qlen - 1] != '"') {
		rule_err(c, "%s: content must be within quotes", kw);
		goto fail;
	}
	vm.content = malloc(qlen);
	if (vm.content == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	if (rule_content_decode(c, q + 1, qlen - 2, vm.content, &vm.len))
		goto fail;
	if (vm.len == 0) {
		rule_err(c, "%s: content is empty", kw);
		goto fail;
	}
	arr = realloc(c->r->varmatch, (c->r->nvarmatch + 1) * sizeof(*arr));
	if (arr == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	vm.name_hash = rule_name_hash(vm.name);
	c->r->varmatch = arr;
	arr[c->r->nvarmatch++] = vm;
	c->r->has |= RULE_HAS_VARMATCH;
	free(q);
	return 0;
fail:
	free(vm.content);
	free(vm.name);
	free(q);
	return rc;
}

int kw_flowvar(struct rule_ctx *c, const char *v)
{
	return kw_varmatch(c, v, RULE_VAR_FLOW, "flowvar");
}

int kw_pktvar(struct rule_ctx *c, const char *v)
{
	return kw_varmatch(c, v, RULE_VAR_PKT, "pktvar");
}

void rule_varmatch_free(struct rule *r)
{
	for (uint32_t i = 0; i < r->nvarmatch; i++) {
		free(r->varmatch[i].name);
		free(r->varmatch[i].content);
	}
	free(r->varmatch);
}
