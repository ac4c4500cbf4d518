/* SPDX-License-Identifier: MIT */
/* requires (Suricata 7.0.3 and later): "requires: feature NAME, version
 * EXPR" names what a rule needs of the engine. The engine answers as the
 * Suricata release whose rule language it follows (RULE_COMPAT_VERSION) and
 * with the features it provides. A rule whose requirements are not met is
 * skipped, not failed: it is read before any other option, so a rule that
 * requires a newer release may use keywords this one does not know.
 *
 * EXPR: alternatives separated by '|', each one or more comparisons that
 * must all hold ("version: >= 7.0.3 < 8 | >= 8.0.3"); a comparison is
 * >, >=, < or <= and a version MAJOR[.MINOR[.PATCH]] (each 0-255, missing
 * parts 0). version may be given once. A requirement of another kind is
 * unknown to this engine, so unmet, as Suricata treats it by default. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule-int.h"

/* The Suricata release whose rule language this engine follows. */
#define RULE_COMPAT_MAJOR 7
#define RULE_COMPAT_MINOR 0
#define RULE_COMPAT_PATCH 10

/* Features provided, as Suricata's "feature" names: only those whose
 * behaviour this engine really has. */
static const char *const features[] = {
	"ja3",
};

static uint32_t compat_version(void)
{
	return (uint32_t)RULE_COMPAT_MAJOR << 16 | RULE_COMPAT_MINOR << 8 | RULE_COMPAT_PATCH;
}

static bool feature_provided(const char *name)
{
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (strcmp(features[i], name) == 0)
			return true;
	return false;
}

static const char *skip_blanks(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* One version part (0-255) at *s; -EINVAL if none. */
static int version_part(const char **s, uint32_t *out)
{
	const char *p = *s;
	uint32_t v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (uint32_t)(*p++ - '0');
		if (v > 255)
			return -EINVAL;
	}
	*s = p;
	*out = v;
	return 0;
}

/* "OP VERSION" at *s into op ('>', 'G' for >=, '<', 'L' for <=) and the
 * version packed as compat_version(). */
static int comparison(const char **s, char *op, uint32_t *ver)
{
	const char *p = skip_blanks(*s);
	uint32_t part[3] = { 0, 0, 0 };

	if (*p != '<' && *p != '>')
		return -EINVAL;
	*op = *p++;
	if (*p == '=') {
		*op = *op == '>' ? 'G' : 'L';
		p++;
	}
	p = skip_blanks(p);
	for (int i = 0; i < 3; i++) {
		if (i > 0 && *p != '.')
			break;
		if (i > 0)
			p++;
		if (version_part(&p, &part[i]))
			return -EINVAL;
	}
	if (*p && !isspace((unsigned char)*p) && *p != '|')
		return -EINVAL;
	*ver = part[0] << 16 | part[1] << 8 | part[2];
	*s = p;
	return 0;
}

static bool holds(char op, uint32_t want, uint32_t have)
{
	switch (op) {
	case '>':
		return have > want;
	case 'G':
		return have >= want;
	case '<':
		return have < want;
	default:
		return have <= want;
	}
}

/* A version expression: 1 when it holds for this engine, 0 when not,
 * -EINVAL when it does not parse. Every alternative is parsed. */
static int version_holds(const char *expr)
{
	const char *p = skip_blanks(expr);
	bool any = false;

	for (;;) {
		bool all = true;
		int n = 0;

		while (*(p = skip_blanks(p)) && *p != '|') {
			char op;
			uint32_t v;

			if (comparison(&p, &op, &v))
				return -EINVAL;
			all &= holds(op, v, compat_version());
			n++;
		}
		if (n == 0)
			return -EINVAL;
		any |= all;
		if (*p != '|')
			return any;
		p++;
	}
}

int rule_requires_check(const char *v, char *why, size_t whylen)
{
	char item[256], word[32];
	const char *p = v;
	bool have_version = false;
	int unmet = 0;

	if (v == NULL || *skip_blanks(v) == '\0') {
		snprintf(why, whylen, "requires needs a value");
		return -EINVAL;
	}
	while (rule_next_field(&p, item, sizeof(item))) {
		const char *rest;
		size_t n = strcspn(item, " \t");

		if (n == 0 || n >= sizeof(word)) {
			snprintf(why, whylen, "invalid requires: '%s'", v);
			return -EINVAL;
		}
		memcpy(word, item, n);
		word[n] = '\0';
		rest = skip_blanks(item + n);
		if (strcmp(word, "version") == 0) {
			int h;

			if (have_version) {
				snprintf(why, whylen, "invalid requires: version given twice");
				return -EINVAL;
			}
			have_version = true;
			h = version_holds(rest);
			if (h < 0) {
				snprintf(why, whylen, "invalid requires version: '%s'", rest);
				return -EINVAL;
			}
			if (!h && !unmet) {
				snprintf(why, whylen, "requires version %s (this engine follows "
					 "Suricata %d.%d.%d)", rest, RULE_COMPAT_MAJOR,
					 RULE_COMPAT_MINOR, RULE_COMPAT_PATCH);
				unmet = 1;
			}
		} else if (strcmp(word, "feature") == 0) {
			if (*rest == '\0') {
				snprintf(why, whylen, "invalid requires: feature needs a name");
				return -EINVAL;
			}
			if (!feature_provided(rest) && !unmet) {
				snprintf(why, whylen, "requires feature %s, which this engine "
					 "does not provide", rest);
				unmet = 1;
			}
		} else if (!unmet) {
			snprintf(why, whylen, "requires '%s', unknown to this engine", item);
			unmet = 1;
		}
	}
	if (*p != '\0') {
		snprintf(why, whylen, "invalid requires: '%s'", v);
		return -EINVAL;
	}
	return unmet;
}

int kw_requires(struct rule_ctx *c, const char *v)
{
	return rule_requires_check(v, c->err, c->errlen) < 0 ? -EINVAL : 0;
}
