/* SPDX-License-Identifier: MIT */
/* Typed access to configuration values, with Suricata's value forms:
 * booleans as ConfValIsTrue/ConfValIsFalse, sizes as ParseSizeString
 * ("10", "10kb", "1.5 MB": units kb/mb/gb, powers of 1024). Unlike Suricata,
 * a value that is none of these is an error, not silently "false" or 0. */
#include <ctype.h>
#include <errno.h>
#include <strings.h>

#include "conf.h"
#include "conf-priv.h"

int conf_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Decimal digits only (no sign, blanks or base prefix). */
int conf_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -EINVAL;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

int conf_parse_int(const char *s, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t v;
	int ret;

	if (*s == '-' || *s == '+')
		s++;
	ret = conf_parse_u64(s, &v);
	if (ret < 0)
		return ret;
	if (v > (uint64_t)INT64_MAX + neg)
		return -ERANGE;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int conf_parse_size(const char *s, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, denom = 1, mult = 1, v;
	const char *p = s;

	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		/* Nine fractional digits are plenty for a byte count. */
		for (; isdigit((unsigned char)*p); p++) {
			if (denom < 1000000000u) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				denom *= 10;
			}
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0' && p[1] != '\0' && (p[1] == 'b' || p[1] == 'B')) {
		switch (*p) {
		case 'k': case 'K': mult = 1ull << 10; break;
		case 'm': case 'M': mult = 1ull << 20; break;
		case 'g': case 'G': mult = 1ull << 30; break;
		default: return -EINVAL;
		}
		p += 2;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		return -EINVAL;
	if (whole > UINT64_MAX / mult)
		return -ERANGE;
	v = whole * mult;
	/* frac < denom <= 1e9 and mult <= 2^30: the product fits in 64 bits. */
	if (v > UINT64_MAX - frac * mult / denom)
		return -ERANGE;
	*out = v + frac * mult / denom;
	return 0;
}

/* The node for path, or NULL if it is absent or has an empty scalar value
 * (YAML "key:" with nothing after it means "not set"). */
static const struct conf_node *scalar_node(const struct conf_node *base, const char *path)
{
	const struct conf_node *n = conf_node_get(base, path);

	if (n == NULL || (n->child == NULL && (n->value == NULL || n->value[0] == '\0')))
		return NULL;
	return n;
}

/* A container where a scalar is expected. */
static int not_scalar(const struct conf_node *n, const char *what, char *err, size_t errlen)
{
	char buf[8];

	return conf_node_err(n, err, errlen, "expected %s, got %s", what,
			     conf_node_kind(n, buf, sizeof(buf)));
}

int conf_node_get_str(const struct conf_node *base, const char *path, const char *def,
		      const char **out, char *err, size_t errlen)
{
	const struct conf_node *n = conf_node_get(base, path);

	if (n == NULL) {
		*out = def;
		return 0;
	}
	/* A sequence element naming a mapping has both: its name is the string. */
	if (n->value == NULL && n->child != NULL)
		return not_scalar(n, "a string", err, errlen);
	*out = n->value ? n->value : "";
	return 0;
}

int conf_node_get_bool(const struct conf_node *base, const char *path, bool def,
		       bool *out, char *err, size_t errlen)
{
	const struct conf_node *n = scalar_node(base, path);

	if (n == NULL) {
		*out = def;
		return 0;
	}
	if (n->child != NULL)
		return not_scalar(n, "a boolean", err, errlen);
	if (conf_parse_bool(n->value, out) < 0)
		return conf_node_err(n, err, errlen, "expected a boolean, got '%s'", n->value);
	return 0;
}

int conf_node_get_int(const struct conf_node *base, const char *path, int64_t def,
		      int64_t *out, char *err, size_t errlen)
{
	const struct conf_node *n = scalar_node(base, path);
	int64_t v;
	int ret;

	if (n == NULL) {
		*out = def;
		return 0;
	}
	if (n->child != NULL)
		return not_scalar(n, "an integer", err, errlen);
	ret = conf_parse_int(n->value, &v);
	if (ret == -ERANGE)
		return conf_node_err(n, err, errlen, "integer out of range: '%s'", n->value);
	if (ret < 0)
		return conf_node_err(n, err, errlen, "expected an integer, got '%s'", n->value);
	*out = v;
	return 0;
}

int conf_node_get_u64(const struct conf_node *base, const char *path, uint64_t def,
		      uint64_t *out, char *err, size_t errlen)
{
	const struct conf_node *n = scalar_node(base, path);
	uint64_t v;
	int ret;

	if (n == NULL) {
		*out = def;
		return 0;
	}
	if (n->child != NULL)
		return not_scalar(n, "a non-negative integer", err, errlen);
	ret = conf_parse_u64(n->value, &v);
	if (ret == -ERANGE)
		return conf_node_err(n, err, errlen, "integer out of range: '%s'", n->value);
	if (ret < 0)
		return conf_node_err(n, err, errlen, "expected a non-negative integer, got '%s'",
				     n->value);
	*out = v;
	return 0;
}

int conf_node_get_size(const struct conf_node *base, const char *path, uint64_t def,
		       uint64_t *out, char *err, size_t errlen)
{
	const struct conf_node *n = scalar_node(base, path);
	uint64_t v;
	int ret;

	if (n == NULL) {
		*out = def;
		return 0;
	}
	if (n->child != NULL)
		return not_scalar(n, "a size", err, errlen);
	ret = conf_parse_size(n->value, &v);
	if (ret == -ERANGE)
		return conf_node_err(n, err, errlen, "size out of range: '%s'", n->value);
	if (ret < 0)
		return conf_node_err(n, err, errlen,
				     "expected a size (4096, 64kb, 32mb, 1gb), got '%s'",
				     n->value);
	*out = v;
	return 0;
}

int conf_get_str(const struct conf *c, const char *path, const char *def,
		 const char **out, char *err, size_t errlen)
{
	return conf_node_get_str(c->root, path, def, out, err, errlen);
}

int conf_get_bool(const struct conf *c, const char *path, bool def,
		  bool *out, char *err, size_t errlen)
{
	return conf_node_get_bool(c->root, path, def, out, err, errlen);
}

int conf_get_int(const struct conf *c, const char *path, int64_t def,
		 int64_t *out, char *err, size_t errlen)
{
	return conf_node_get_int(c->root, path, def, out, err, errlen);
}

int conf_get_u64(const struct conf *c, const char *path, uint64_t def,
		 uint64_t *out, char *err, size_t errlen)
{
	return conf_node_get_u64(c->root, path, def, out, err, errlen);
}

int conf_get_size(const struct conf *c, const char *path, uint64_t def,
		  uint64_t *out, char *err, size_t errlen)
{
	return conf_node_get_size(c->root, path, def, out, err, errlen);
}
