// SPDX-License-Identifier: MIT
/* TLS certificate validity keywords (Suricata's tls-keywords):
 * tls_cert_notbefore and tls_cert_notafter:[<|>]DATE or DATE<>DATE, and
 * the value-less tls_cert_expired and tls_cert_valid.
 *
 * DATE is seconds since the epoch when it is all digits (so a bare year
 * is not a date, as Suricata), else UTC YYYY-MM[-DD[(T| )HH[:MM[:SS]]]],
 * the fields left out being the start of their period. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"

/* 1 to max decimal digits at *p, no further ones. */
static bool num_field(const char **p, const char *end, int max, int *out)
{
	int v = 0, n = 0;

	while (*p < end && **p >= '0' && **p <= '9' && n < max) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n == 0 || (*p < end && **p >= '0' && **p <= '9'))
		return false;
	*out = v;
	return true;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int month_days(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : md[m - 1];
}

/* The trimmed date s[0..len) as seconds since the epoch. */
static int parse_date(const char *s, size_t len, int64_t *out)
{
	const char *p = s, *end = s + len;
	int y, mo, d = 1, h = 0, mi = 0, sec = 0;

	if (len == 0)
		return -EINVAL;
	if (strspn(s, "0123456789") >= len) {
		int64_t v = 0;

		if (len > 12)
			return -ERANGE;
		for (size_t i = 0; i < len; i++)
			v = v * 10 + (s[i] - '0');
		*out = v;
		return 0;
	}
	if (!num_field(&p, end, 4, &y) || p - s != 4 || p == end || *p++ != '-' ||
	    !num_field(&p, end, 2, &mo) || mo < 1 || mo > 12)
		return -EINVAL;
	if (p < end && (*p++ != '-' || !num_field(&p, end, 2, &d) || d < 1 ||
			d > month_days(y, mo)))
		return -EINVAL;
	if (p < end) {
		if (*p != 'T' && *p != ' ')
			return -EINVAL;
		p++;
		if (!num_field(&p, end, 2, &h) || h > 23)
			return -EINVAL;
	}
	if (p < end && (*p++ != ':' || !num_field(&p, end, 2, &mi) || mi > 59))
		return -EINVAL;
	if (p < end && (*p++ != ':' || !num_field(&p, end, 2, &sec) || sec > 59))
		return -EINVAL;
	if (p != end)
		return -EINVAL;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

/* The date between s and end, blanks around it ignored. */
static int date_between(const char *s, const char *end, int64_t *out)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return parse_date(s, (size_t)(end - s), out);
}

static int parse_validity(const char *v, struct rule_tls_date *out)
{
	const char *range = strstr(v, "<>"), *end = v + strlen(v);

	while (*v == ' ' || *v == '\t')
		v++;
	if (range) {
		out->op = TLS_DATE_RANGE;
		if (date_between(v, range, &out->a) || date_between(range + 2, end, &out->b) ||
		    out->b <= out->a)
			return -EINVAL;
		return 0;
	}
	out->op = TLS_DATE_EQ;
	if (*v == '<' || *v == '>')
		out->op = *v++ == '<' ? TLS_DATE_LE : TLS_DATE_GE;
	return date_between(v, end, &out->a);
}

int rule_kw_tls_date(struct rule_ctx *c, const char *name, const char *val)
{
	static const struct {
		const char *name;
		uint8_t bit;
		bool valued;
	} kws[] = {
		{ "tls_cert_notbefore", RULE_TLS_NOTBEFORE, true },
		{ "tls_cert_notafter", RULE_TLS_NOTAFTER, true },
		{ "tls_cert_expired", RULE_TLS_EXPIRED, false },
		{ "tls_cert_valid", RULE_TLS_VALID, false },
	};
	struct rule *r = c->r;

	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
		if (strcasecmp(name, kws[i].name) != 0)
			continue;
		if (r->tls_validity & kws[i].bit)
			return rule_err(c, "duplicate keyword '%s'", kws[i].name);
		if (!kws[i].valued && val)
			return rule_err(c, "keyword '%s' takes no value", kws[i].name);
		if (kws[i].valued && (val == NULL || val[0] == '\0'))
			return rule_err(c, "keyword '%s' needs a value", kws[i].name);
		if (kws[i].valued &&
		    parse_validity(val, kws[i].bit == RULE_TLS_NOTBEFORE ? &r->tls_notbefore :
		                   &r->tls_notafter))
			return rule_err(c, "invalid %s: '%s'", kws[i].name, val);
		r->tls_validity |= kws[i].bit;
		r->app_has |= RULE_APP_HAS_TLS_VALIDITY;
		return 0;
	}
	return -ENOENT;
}
