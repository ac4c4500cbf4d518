// SPDX-License-Identifier: MIT
/* Header addresses and ports: variables, lists, nesting, negation, CIDR and
 * ranges, resolved into interval sets.
 *
 * Semantics (set algebra, one rule at every level of nesting):
 *   value(list) = (union of positive elements, or everything if there are
 *                  none) minus (union of negated elements)
 * so "!$HOME_NET" is everything but HOME_NET, "[a,!b]" is a minus b and
 * "[!a,!b]" is everything but a and b. An empty final result is an error,
 * as in Suricata. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rule-int.h"

#define VAR_DEPTH_MAX 16

/* Both kinds share the evaluator; they differ in families and literals. */
struct eval {
	const struct rule_env *env;
	char kind;                /* 'a' or 'p' */
	int nfam;                 /* 2 (v4, v6) or 1 (ports) */
	const char *stack[VAR_DEPTH_MAX];
	int depth;
	char *err;
	size_t errlen;
};

struct sets {
	struct ivset f[2];
};

static const u128 fam_max[2][2] = {
	{ 0xffffffffu, ~(u128)0 },  /* addresses: v4, v6 */
	{ 65535, 0 },               /* ports */
};

static u128 famax(const struct eval *e, int f)
{
	return fam_max[e->kind == 'p'][f];
}

static void sets_free(struct sets *s)
{
	ivset_free(&s->f[0]);
	ivset_free(&s->f[1]);
}

static int sets_full(const struct eval *e, struct sets *s)
{
	for (int f = 0; f < e->nfam; f++)
		if (ivset_add(&s->f[f], 0, famax(e, f)))
			return -ENOMEM;
	return 0;
}

static u128 prefix_mask(int bits, int width)
{
	if (bits == 0)
		return 0;
	return (~(u128)0 << (width - bits)) & (width == 128 ? ~(u128)0 : (((u128)1 << width) - 1));
}

static int parse_ip(const char *s, int *fam, u128 *v)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, s, &a4) == 1) {
		*fam = 0;
		*v = ntohl(a4.s_addr);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		*fam = 1;
		*v = 0;
		for (int i = 0; i < 16; i++)
			*v = (*v << 8) | a6.s6_addr[i];
		return 0;
	}
	return -EINVAL;
}

/* a.b.c.d, a.b.c.d/len, a.b.c.d/mask, a-b, and the IPv6 forms. */
static int addr_literal(struct eval *e, const char *s, struct sets *out)
{
	char buf[128];
	char *slash, *dash;
	int fam, fam2, width;
	u128 lo, hi;

	if (strlen(s) >= sizeof(buf))
		return rule_errbuf(e->err, e->errlen, "invalid address: '%s'", s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	dash = strchr(buf, '-');
	if (slash) {
		uint32_t bits;
		u128 mask;

		*slash = '\0';
		if (parse_ip(buf, &fam, &lo))
			return rule_errbuf(e->err, e->errlen, "invalid address: '%s'", s);
		width = fam ? 128 : 32;
		if (rule_parse_u32(slash + 1, &bits) == 0 && bits <= (uint32_t)width) {
			mask = prefix_mask((int)bits, width);
		} else if (fam == 0 && parse_ip(slash + 1, &fam2, &mask) == 0 && fam2 == 0) {
			/* dotted netmask: must be contiguous ones */
			u128 inv = ~mask & 0xffffffffu;

			if ((inv & (inv + 1)) != 0)
				return rule_errbuf(e->err, e->errlen, "invalid netmask: '%s'", s);
		} else {
			return rule_errbuf(e->err, e->errlen, "invalid address: '%s'", s);
		}
		lo &= mask;
		hi = lo | (~mask & (width == 128 ? ~(u128)0 : 0xffffffffu));
	} else if (dash) {
		*dash = '\0';
		if (parse_ip(buf, &fam, &lo) || parse_ip(dash + 1, &fam2, &hi) || fam != fam2)
			return rule_errbuf(e->err, e->errlen, "invalid address range: '%s'", s);
		if (lo > hi)
			return rule_errbuf(e->err, e->errlen, "invalid address range: '%s'", s);
	} else {
		if (parse_ip(buf, &fam, &lo))
			return rule_errbuf(e->err, e->errlen, "invalid address: '%s'", s);
		hi = lo;
	}
	return ivset_add(&out->f[fam], lo, hi);
}

static int parse_port(const char *s, size_t len, uint32_t *out)
{
	char buf[8];

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (rule_parse_u32(buf, out) || *out > 65535)
		return -EINVAL;
	return 0;
}

/* N, N:M, N:, :M */
static int port_literal(struct eval *e, const char *s, struct sets *out)
{
	const char *colon = strchr(s, ':');
	uint32_t lo = 0, hi = 65535;

	if (colon == NULL) {
		if (parse_port(s, strlen(s), &lo))
			return rule_errbuf(e->err, e->errlen, "invalid port: '%s'", s);
		hi = lo;
	} else {
		size_t l1 = (size_t)(colon - s), l2 = strlen(colon + 1);

		if ((l1 == 0 && l2 == 0) || (l1 && parse_port(s, l1, &lo)) ||
		    (l2 && parse_port(colon + 1, l2, &hi)) || lo > hi)
			return rule_errbuf(e->err, e->errlen, "invalid port range: '%s'", s);
	}
	return ivset_add(&out->f[0], lo, hi);
}

static int eval_expr(struct eval *e, const char *s, struct sets *out);

static int eval_var(struct eval *e, const char *s, struct sets *out)
{
	const char *val = rule_env_var(e->env, e->kind, s + 1);
	int rc;

	if (val == NULL)
		return rule_errbuf(e->err, e->errlen, "unknown variable '%s'", s);
	for (int i = 0; i < e->depth; i++)
		if (strcmp(e->stack[i], s) == 0)
			return rule_errbuf(e->err, e->errlen, "variable cycle at '%s'", s);
	if (e->depth == VAR_DEPTH_MAX)
		return rule_errbuf(e->err, e->errlen, "variables nested too deep at '%s'", s);
	e->stack[e->depth++] = s;
	rc = eval_expr(e, val, out);
	e->depth--;
	return rc;
}

/* One element without its leading '!'s: a list, a variable, any, a literal. */
static int eval_elem(struct eval *e, const char *s, struct sets *out)
{
	if (s[0] == '\0')
		return rule_errbuf(e->err, e->errlen, "empty %s in list",
				   e->kind == 'a' ? "address" : "port");
	if (s[0] == '[')
		return eval_expr(e, s, out);
	if (s[0] == '$')
		return eval_var(e, s, out);
	if (strcmp(s, "any") == 0)
		return sets_full(e, out);
	return e->kind == 'a' ? addr_literal(e, s, out) : port_literal(e, s, out);
}

/* Splits a bracketed list at its top-level commas into positives and
 * negatives, or treats a bare element as a one-element list. */
static int eval_expr(struct eval *e, const char *s, struct sets *out)
{
	struct sets pos = { 0 }, neg = { 0 };
	char *text = rule_strtrim(s, strlen(s));
	char *p, *start;
	bool any_pos = false;
	int rc = -ENOMEM;

	if (text == NULL)
		return -ENOMEM;
	p = text;
	if (*p == '[') {
		size_t n = strlen(p);

		if (p[n - 1] != ']') {
			rc = rule_errbuf(e->err, e->errlen, "unbalanced brackets: '%s'", text);
			goto out;
		}
		p[n - 1] = '\0';
		p++;
	}
	start = p;
	for (int level = 0;; p++) {
		if (*p == '[') {
			level++;
		} else if (*p == ']') {
			if (--level < 0) {
				rc = rule_errbuf(e->err, e->errlen, "unbalanced brackets: '%s'", s);
				goto out;
			}
		} else if ((*p == ',' && level == 0) || *p == '\0') {
			bool end = *p == '\0';
			char *el;
			bool negated = false;

			if (level != 0) {
				rc = rule_errbuf(e->err, e->errlen, "unbalanced brackets: '%s'", s);
				goto out;
			}
			*p = '\0';
			el = rule_strtrim(start, strlen(start));
			if (el == NULL)
				goto out;
			if (el[0] == '!') {
				char *rest = rule_strtrim(el + 1, strlen(el + 1));

				free(el);
				if (rest == NULL)
					goto out;
				el = rest;
				negated = true;
				if (strcmp(el, "any") == 0) {
					free(el);
					rc = rule_errbuf(e->err, e->errlen,
							 "'!any' is not allowed");
					goto out;
				}
			}
			if (negated) {
				rc = eval_elem(e, el, &neg);
			} else {
				rc = eval_elem(e, el, &pos);
				any_pos = true;
			}
			free(el);
			if (rc)
				goto out;
			if (end)
				break;
			start = p + 1;
		}
	}
	rc = -ENOMEM;
	if (!any_pos && sets_full(e, &pos))
		goto out;
	for (int f = 0; f < e->nfam; f++) {
		if (ivset_norm(&pos.f[f]) || ivset_norm(&neg.f[f]) ||
		    ivset_sub(&pos.f[f], &neg.f[f]) || ivset_append(&out->f[f], &pos.f[f]))
			goto out;
	}
	rc = 0;
out:
	sets_free(&pos);
	sets_free(&neg);
	free(text);
	return rc;
}

static int eval_top(struct eval *e, const char *text, struct sets *s)
{
	int rc = eval_expr(e, text, s);

	if (rc)
		return rc;
	for (int f = 0; f < e->nfam; f++)
		if (ivset_norm(&s->f[f]))
			return -ENOMEM;
	return 0;
}

static bool is_full(const struct eval *e, const struct ivset *s, int f)
{
	return s->n == 1 && s->v[0].lo == 0 && s->v[0].hi == famax(e, f);
}

static int to_ranges(const struct ivset *s, struct addr_range **out, int fam)
{
	*out = NULL;
	if (s->n == 0)
		return 0;
	*out = calloc(s->n, sizeof(**out));
	if (*out == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < s->n; i++) {
		u128 b[2] = { s->v[i].lo, s->v[i].hi };
		union ip_addr *a[2] = { &(*out)[i].lo, &(*out)[i].hi };

		for (int k = 0; k < 2; k++) {
			int bytes = fam ? 16 : 4;

			for (int j = bytes - 1; j >= 0; j--) {
				a[k]->b[j] = (uint8_t)b[k];
				b[k] >>= 8;
			}
		}
	}
	return 0;
}

int rule_parse_addr(const struct rule_env *env, const char *text, struct addr_set *out,
		    char *err, size_t errlen)
{
	struct eval e = { .env = env, .kind = 'a', .nfam = 2, .err = err, .errlen = errlen };
	struct sets s = { 0 };
	int rc = eval_top(&e, text, &s);

	memset(out, 0, sizeof(*out));
	if (rc)
		goto out;
	if (s.f[0].n == 0 && s.f[1].n == 0) {
		rc = rule_errbuf(err, errlen, "no addresses left after negation: '%s'", text);
		goto out;
	}
	rc = -ENOMEM;
	if (to_ranges(&s.f[0], &out->v4, 0) || to_ranges(&s.f[1], &out->v6, 1))
		goto out;
	out->n4 = s.f[0].n;
	out->n6 = s.f[1].n;
	out->any = is_full(&e, &s.f[0], 0) && is_full(&e, &s.f[1], 1);
	rc = 0;
out:
	if (rc) {
		free(out->v4);
		free(out->v6);
		memset(out, 0, sizeof(*out));
	}
	sets_free(&s);
	return rc;
}

int rule_parse_ports(const struct rule_env *env, const char *text, struct port_set *out,
		     char *err, size_t errlen)
{
	struct eval e = { .env = env, .kind = 'p', .nfam = 1, .err = err, .errlen = errlen };
	struct sets s = { 0 };
	int rc = eval_top(&e, text, &s);

	memset(out, 0, sizeof(*out));
	if (rc)
		goto out;
	if (s.f[0].n == 0) {
		rc = rule_errbuf(err, errlen, "no ports left after negation: '%s'", text);
		goto out;
	}
	out->r = calloc(s.f[0].n, sizeof(*out->r));
	if (out->r == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < s.f[0].n; i++) {
		out->r[i].lo = (uint16_t)s.f[0].v[i].lo;
		out->r[i].hi = (uint16_t)s.f[0].v[i].hi;
	}
	out->n = s.f[0].n;
	out->any = is_full(&e, &s.f[0], 0);
out:
	sets_free(&s);
	return rc;
}
