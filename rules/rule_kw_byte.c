// SPDX-License-Identifier: MIT
/* Byte keywords (byte_test, byte_jump, byte_extract, byte_math), isdataat,
 * bsize, the sticky header buffers (ipv4.hdr, tcp.hdr, ...) and
 * offset/depth/distance/within given a byte_extract variable, with
 * Suricata's syntax and limits:
 *   byte_test:<n>,[!]<op>,<value>,<offset>[,relative][,big|little]
 *             [,string[,hex|dec|oct]][,bitmask <m>]
 *   byte_jump:<n>,<offset>[,relative][,multiplier <m>][,big|little]
 *             [,string[,hex|dec|oct]][,align][,from_beginning|from_end]
 *             [,post_offset <p>][,bitmask <m>]
 *   byte_extract:<n>,<offset>,<name>[,relative][,multiplier <m>]
 *             [,big|little][,string[,hex|dec|oct]][,align <2|4>]
 *   byte_math:bytes <n>,offset <o>,oper <op>,rvalue <v>,result <name>
 *             [,relative][,endian big|little][,string hex|dec|oct][,bitmask <m>]
 *   isdataat:[!]<n>[,relative][,rawbytes]
 * A value or offset that starts with a letter names a variable written by an
 * earlier byte_extract or byte_math of the same rule. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"

#define MAX_ARGS 16
#define ARG_LEN  64

/* The value split at commas, each item trimmed. Returns the count, or -1
 * when an item is too long or there are too many. */
static int split_args(const char *v, char out[MAX_ARGS][ARG_LEN])
{
	int n = 0;

	for (;;) {
		size_t len = strcspn(v, ",");
		const char *s = v;
		size_t l = len;

		while (l && isspace((unsigned char)*s)) {
			s++;
			l--;
		}
		while (l && isspace((unsigned char)s[l - 1]))
			l--;
		if (n == MAX_ARGS || l >= ARG_LEN)
			return -1;
		memcpy(out[n], s, l);
		out[n][l] = '\0';
		n++;
		if (v[len] == '\0')
			return n;
		v += len + 1;
	}
}

static bool is_var_name(const char *s)
{
	return isalpha((unsigned char)s[0]) != 0;
}

static int var_find(const struct rule_ctx *c, const char *name)
{
	for (int i = 0; i < c->nvars; i++)
		if (strcmp(c->var_names[i], name) == 0)
			return i;
	return -1;
}

/* A new variable for byte_extract/byte_math; its index or -EINVAL. A
 * Snort 3 rule may extract into a name again: the variable is then
 * overwritten from there on, as Snort 3 keeps one slot per name. */
static int var_add(struct rule_ctx *c, const char *kw, const char *name)
{
	if (!is_var_name(name) || strlen(name) >= sizeof(c->var_names[0]))
		return rule_err(c, "invalid %s variable name '%s'", kw, name);
	if (var_find(c, name) >= 0 && c->snort3)
		return var_find(c, name);
	if (var_find(c, name) >= 0)
		return rule_err(c, "%s variable '%s' already defined", kw, name);
	if (c->nvars == RULE_MAX_BYTE_VARS)
		return rule_err(c, "too many byte_extract/byte_math variables (max %d)",
				RULE_MAX_BYTE_VARS);
	strcpy(c->var_names[c->nvars], name);
	return c->nvars++;
}

/* A variable reference: its index, or -EINVAL with the message. */
static int var_ref(struct rule_ctx *c, const char *name)
{
	int i = var_find(c, name);

	if (i < 0)
		return rule_err(c, "unknown byte_extract variable '%s'", name);
	return i;
}

/* strtoull with base 0 (decimal, 0x hex, 0 octal), the whole string. */
static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return (errno || *end) ? -EINVAL : 0;
}

static int parse_i32_range(const char *s, int32_t lo, int32_t hi, int32_t *out)
{
	int32_t v;

	if (rule_parse_i32(s, &v) || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int set_bitmask(struct rule_ctx *c, const char *kw, const char *s, int base,
		       struct rule_byte *b)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || end == s || *end || v == 0 || v > UINT32_MAX)
		return rule_err(c, "invalid %s bitmask '%s'", kw, s);
	b->flags |= BYTE_F_BITMASK;
	b->bitmask = (uint32_t)v;
	b->shift = (uint8_t)__builtin_ctz(b->bitmask);
	return 0;
}

/* The options shared by byte_test, byte_jump and byte_extract. 1 if the
 * option was one of them, 0 if not, -EINVAL on a bad value. */
static int common_opt(struct rule_ctx *c, const char *kw, const char *a, struct rule_byte *b)
{
	if (strcmp(a, "relative") == 0)
		b->flags |= BYTE_F_RELATIVE;
	else if (strcasecmp(a, "big") == 0)
		b->flags &= ~BYTE_F_LITTLE;
	else if (strcasecmp(a, "little") == 0)
		b->flags |= BYTE_F_LITTLE;
	else if (strcasecmp(a, "string") == 0)
		b->flags |= BYTE_F_STRING;
	else if (strcasecmp(a, "hex") == 0)
		b->base = 16;
	else if (strcasecmp(a, "dec") == 0)
		b->base = 10;
	else if (strcasecmp(a, "oct") == 0)
		b->base = 8;
	else if (strcasecmp(a, "dce") == 0)
		return rule_err(c, "unsupported %s option 'dce' (DCERPC is not inspected)", kw);
	else if (strncasecmp(a, "bitmask ", 8) == 0)
		return set_bitmask(c, kw, a + 8, 0, b) ? -EINVAL : 1;
	else
		return 0;
	return 1;
}

/* Byte count and base checks once all options are read (Suricata: at most 8
 * bytes as binary, 23 characters as a string, a base only with string; 0
 * characters with string reads the digits that are there, up to 23). A
 * binary read of 0 bytes only where zero_ok: Suricata 7's byte_jump takes
 * it (DetectBytejumpValidateNbytes has no lower bound) as a value of 0, a
 * jump by post_offset alone. */
static int check_nbytes(struct rule_ctx *c, const char *kw, const char *a, struct rule_byte *b,
			bool zero_ok)
{
	uint32_t n;

	if (rule_parse_u32(a, &n) || (n == 0 && !zero_ok && !(b->flags & BYTE_F_STRING)))
		return rule_err(c, "invalid %s byte count '%s'", kw, a);
	if (!(b->flags & BYTE_F_STRING) && n > 8)
		return rule_err(c, "%s can't read more than 8 bytes without string", kw);
	if ((b->flags & BYTE_F_STRING) && n > 23)
		return rule_err(c, "%s can't read more than 23 bytes with string", kw);
	if (b->base && !(b->flags & BYTE_F_STRING))
		return rule_err(c, "%s: a base needs string", kw);
	if ((b->flags & BYTE_F_STRING) && !b->base)
		b->base = 10;
	b->nbytes = (uint8_t)n;
	return 0;
}

/* offset: a number in [-65535, 65535] or a variable. */
static int set_offset(struct rule_ctx *c, const char *kw, const char *a, struct rule_byte *b)
{
	int i;

	if (is_var_name(a)) {
		i = var_ref(c, a);
		if (i < 0)
			return i;
		b->flags |= BYTE_F_OFFSET_VAR;
		b->offset = i;
		return 0;
	}
	if (parse_i32_range(a, -65535, 65535, &b->offset))
		return rule_err(c, "invalid %s offset '%s'", kw, a);
	return 0;
}

/* Where a relative byte keyword or isdataat written outside a sticky
 * buffer goes: as Suricata 7's setups (DetectIsdataatSetup,
 * DetectBytetestSetup, ...), into the list of the last content, pcre, byte
 * keyword or isdataat before it, so `content:"/c/"; http_raw_uri;
 * isdataat:4,relative;` looks past the match in the raw URI, not in the
 * packet payload. NULL: the payload, as written. */
static const struct rule_match *relative_anchor(const struct rule_ctx *c, const struct rule_byte *b)
{
	const struct rule *r = c->r;

	if (!(b->flags & BYTE_F_RELATIVE) || c->cur_buf != RULE_BUF_PAYLOAD || c->in_b64)
		return NULL;
	for (uint32_t i = r->nmatch; i-- > 0;) {
		const struct rule_match *m = &r->match[i];

		if (m->kind <= MATCH_ISDATAAT)
			return m->buf != RULE_BUF_PAYLOAD ? m : NULL;
	}
	return NULL;
}

static int push(struct rule_ctx *c, enum rule_match_kind kind, const struct rule_byte *b)
{
	const struct rule_match *a = relative_anchor(c, b);
	enum rule_buffer buf = a ? a->buf : RULE_BUF_PAYLOAD;
	uint8_t xf = a ? a->xf : 0, grp = a ? a->grp : 0, b64 = a ? a->b64 : 0;
	struct rule_match *m = rule_match_new(c, kind);

	if (m == NULL)
		return -ENOMEM;
	if (a) {
		m->buf = buf;
		m->xf = xf;
		m->grp = grp;
		m->b64 = b64;
	}
	m->byte = *b;
	return 0;
}

int kw_byte_test(struct rule_ctx *c, const char *v)
{
	static const struct {
		const char *s;
		enum byte_op op;
	} ops[] = {
		{ "<=", BOP_LE }, { ">=", BOP_GE }, { "<", BOP_LT }, { ">", BOP_GT },
		{ "=", BOP_EQ }, { "&", BOP_AND }, { "^", BOP_XOR },
	};
	char a[MAX_ARGS][ARG_LEN];
	struct rule_byte b = { .multiplier = 1 };
	const char *op;
	int n = split_args(v, a), rc;
	size_t i;

	if (n < 4)
		return rule_err(c, "byte_test needs bytes, operator, value and offset");
	for (int k = 4; k < n; k++) {
		rc = common_opt(c, "byte_test", a[k], &b);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return rule_err(c, "unknown byte_test option '%s'", a[k]);
	}
	if (check_nbytes(c, "byte_test", a[0], &b, false))
		return -EINVAL;
	op = a[1];
	if (*op == '!') {
		b.flags |= BYTE_F_NEGATED;
		op++;
		op += strspn(op, " \t");
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i].s) == 0)
			break;
	if (i < sizeof(ops) / sizeof(ops[0]))
		b.op = (uint8_t)ops[i].op;
	else if (*op == '\0' && (b.flags & BYTE_F_NEGATED))
		b.op = BOP_EQ;	/* "!" alone is "not equal" */
	else
		return rule_err(c, "invalid byte_test operator '%s'", a[1]);
	if (is_var_name(a[2])) {
		rc = var_ref(c, a[2]);
		if (rc < 0)
			return rc;
		b.flags |= BYTE_F_VALUE_VAR;
		b.value = (uint64_t)rc;
	} else if (parse_u64(a[2], &b.value)) {
		return rule_err(c, "invalid byte_test value '%s'", a[2]);
	}
	if (set_offset(c, "byte_test", a[3], &b))
		return -EINVAL;
	return push(c, MATCH_BYTE_TEST, &b);
}

int kw_byte_jump(struct rule_ctx *c, const char *v)
{
	char a[MAX_ARGS][ARG_LEN];
	struct rule_byte b = { .multiplier = 1 };
	int n = split_args(v, a), rc;
	uint32_t u;

	if (n < 2)
		return rule_err(c, "byte_jump needs bytes and offset");
	for (int k = 2; k < n; k++) {
		rc = common_opt(c, "byte_jump", a[k], &b);
		if (rc < 0)
			return rc;
		if (rc)
			continue;
		if (strcasecmp(a[k], "align") == 0) {
			b.flags |= BYTE_F_ALIGN;
		} else if (strcasecmp(a[k], "from_beginning") == 0) {
			b.flags |= BYTE_F_BEGIN;
		} else if (strcasecmp(a[k], "from_end") == 0) {
			b.flags |= BYTE_F_END;
		} else if (strncasecmp(a[k], "multiplier ", 11) == 0) {
			if (rule_parse_u32(a[k] + 11, &u) || u == 0 || u > 65535)
				return rule_err(c, "invalid byte_jump multiplier '%s'", a[k] + 11);
			b.multiplier = u;
		} else if (strncasecmp(a[k], "post_offset ", 12) == 0) {
			if (parse_i32_range(a[k] + 12, -65535, 65535, &b.post_offset))
				return rule_err(c, "invalid byte_jump post_offset '%s'", a[k] + 12);
		} else {
			return rule_err(c, "unknown byte_jump option '%s'", a[k]);
		}
	}
	if ((b.flags & BYTE_F_BEGIN) && (b.flags & BYTE_F_END))
		return rule_err(c, "byte_jump can't use both from_beginning and from_end");
	if (check_nbytes(c, "byte_jump", a[0], &b, true) || set_offset(c, "byte_jump", a[1], &b))
		return -EINVAL;
	return push(c, MATCH_BYTE_JUMP, &b);
}

int kw_byte_extract(struct rule_ctx *c, const char *v)
{
	char a[MAX_ARGS][ARG_LEN];
	struct rule_byte b = { .multiplier = 1 };
	int n = split_args(v, a), rc;
	uint32_t u;

	if (n < 3)
		return rule_err(c, "byte_extract needs bytes, offset and a variable name");
	for (int k = 3; k < n; k++) {
		if (strncasecmp(a[k], "bitmask ", 8) == 0)
			return rule_err(c, "unknown byte_extract option '%s'", a[k]);
		rc = common_opt(c, "byte_extract", a[k], &b);
		if (rc < 0)
			return rc;
		if (rc)
			continue;
		if (strncasecmp(a[k], "multiplier ", 11) == 0) {
			if (rule_parse_u32(a[k] + 11, &u) || u == 0 || u > 65535)
				return rule_err(c, "invalid byte_extract multiplier '%s'",
						a[k] + 11);
			b.multiplier = u;
		} else if (strncasecmp(a[k], "align ", 6) == 0) {
			if (rule_parse_u32(a[k] + 6, &u) || (u != 2 && u != 4))
				return rule_err(c, "invalid byte_extract align '%s'", a[k] + 6);
			b.align = u;
		} else {
			return rule_err(c, "unknown byte_extract option '%s'", a[k]);
		}
	}
	if (check_nbytes(c, "byte_extract", a[0], &b, false) ||
	    set_offset(c, "byte_extract", a[1], &b))
		return -EINVAL;
	rc = var_add(c, "byte_extract", a[2]);
	if (rc < 0)
		return rc;
	b.var = (uint8_t)rc;
	return push(c, MATCH_BYTE_EXTRACT, &b);
}

/* byte_math items are "key value" pairs in any order, except the flags. */
int kw_byte_math(struct rule_ctx *c, const char *v)
{
	static const struct {
		const char *s;
		enum byte_op op;
	} ops[] = {
		{ "+", BOP_ADD }, { "-", BOP_SUB }, { "*", BOP_MUL }, { "/", BOP_DIV },
		{ "<<", BOP_SHL }, { ">>", BOP_SHR },
	};
	char a[MAX_ARGS][ARG_LEN];
	struct rule_byte b = { .multiplier = 1 };
	const char *bytes = NULL, *offset = NULL, *rvalue = NULL, *result = NULL;
	bool have_op = false;
	int n = split_args(v, a), rc;

	if (n < 0)
		return rule_err(c, "invalid byte_math: '%s'", v);
	for (int k = 0; k < n; k++) {
		char *val = a[k] + strcspn(a[k], " \t");

		if (*val) {
			*val++ = '\0';
			val += strspn(val, " \t");
		}
		if (strcmp(a[k], "relative") == 0 && *val == '\0') {
			b.flags |= BYTE_F_RELATIVE;
		} else if (*val == '\0') {
			return rule_err(c, "unknown byte_math option '%s'", a[k]);
		} else if (strcmp(a[k], "bytes") == 0) {
			bytes = val;
		} else if (strcmp(a[k], "offset") == 0) {
			offset = val;
		} else if (strcmp(a[k], "rvalue") == 0) {
			rvalue = val;
		} else if (strcmp(a[k], "result") == 0) {
			result = val;
		} else if (strcmp(a[k], "oper") == 0) {
			size_t i;

			for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
				if (strcmp(val, ops[i].s) == 0)
					break;
			if (i == sizeof(ops) / sizeof(ops[0]))
				return rule_err(c, "invalid byte_math operator '%s'", val);
			b.op = (uint8_t)ops[i].op;
			have_op = true;
		} else if (strcmp(a[k], "endian") == 0) {
			if (strcmp(val, "big") == 0)
				b.flags &= ~BYTE_F_LITTLE;
			else if (strcmp(val, "little") == 0)
				b.flags |= BYTE_F_LITTLE;
			else
				return rule_err(c, "unsupported byte_math endian '%s'", val);
		} else if (strcmp(a[k], "string") == 0) {
			b.flags |= BYTE_F_STRING;
			if (strcmp(val, "hex") == 0)
				b.base = 16;
			else if (strcmp(val, "dec") == 0)
				b.base = 10;
			else if (strcmp(val, "oct") == 0)
				b.base = 8;
			else
				return rule_err(c, "invalid byte_math string base '%s'", val);
		} else if (strcmp(a[k], "bitmask") == 0) {
			if (set_bitmask(c, "byte_math", val, 16, &b))
				return -EINVAL;
		} else {
			return rule_err(c, "unknown byte_math option '%s'", a[k]);
		}
	}
	if (!bytes || !offset || !have_op || !rvalue || !result)
		return rule_err(c, "byte_math needs bytes, offset, oper, rvalue and result");
	if (check_nbytes(c, "byte_math", bytes, &b, false) || set_offset(c, "byte_math", offset, &b))
		return -EINVAL;
	if ((b.op == BOP_SHL || b.op == BOP_SHR) && b.nbytes > 4)
		return rule_err(c, "byte_math shifts read at most 4 bytes");
	if (is_var_name(rvalue)) {
		rc = var_ref(c, rvalue);
		if (rc < 0)
			return rc;
		b.flags |= BYTE_F_VALUE_VAR;
		b.value = (uint64_t)rc;
	} else if (parse_u64(rvalue, &b.value) || b.value > UINT32_MAX) {
		return rule_err(c, "invalid byte_math rvalue '%s'", rvalue);
	}
	rc = var_add(c, "byte_math", result);
	if (rc < 0)
		return rc;
	b.var = (uint8_t)rc;
	return push(c, MATCH_BYTE_MATH, &b);
}

int kw_isdataat(struct rule_ctx *c, const char *v)
{
	char a[MAX_ARGS][ARG_LEN];
	struct rule_byte b = { .multiplier = 1 };
	int n = split_args(v, a), rc;
	const char *pos;

	if (n < 1 || n > 3)
		return rule_err(c, "invalid isdataat: '%s'", v);
	for (int k = 1; k < n; k++) {
		if (strcmp(a[k], "relative") == 0)
			b.flags |= BYTE_F_RELATIVE;
		else if (strcmp(a[k], "rawbytes") != 0)
			return rule_err(c, "unknown isdataat option '%s'", a[k]);
	}
	pos = a[0];
	if (*pos == '!') {
		b.flags |= BYTE_F_NEGATED;
		pos++;
		pos += strspn(pos, " \t");
	}
	if (is_var_name(pos)) {
		rc = var_ref(c, pos);
		if (rc < 0)
			return rc;
		b.flags |= BYTE_F_VALUE_VAR;
		b.value = (uint64_t)rc;
	} else {
		uint32_t u;

		if (rule_parse_u32(pos, &u) || u > 65535)
			return rule_err(c, "invalid isdataat position '%s'", pos);
		b.value = u;
	}
	return push(c, MATCH_ISDATAAT, &b);
}

/* bsize measures a sticky buffer, as in Suricata (not the packet payload). */
int kw_bsize(struct rule_ctx *c, const char *v)
{
	struct rule_match *m;
	struct u32_cmp cmp;

	/* base64_data is a sticky buffer too */
	if (c->cur_buf == RULE_BUF_PAYLOAD && !c->in_b64)
		return rule_err(c, "bsize needs a sticky buffer before it");
	if (rule_parse_u32_cmp(v, UINT32_MAX, &cmp))
		return rule_err(c, "invalid bsize: '%s'", v);
	m = rule_match_new(c, MATCH_BSIZE);
	if (m == NULL)
		return -ENOMEM;
	m->bsize = cmp;
	return 0;
}

/* Sticky buffers: the matches that follow inspect this buffer. */
static int sticky(struct rule_ctx *c, enum rule_buffer b)
{
	c->cur_buf = b;
	c->cur_grp = 0;
	c->last_content = -1;	/* modifiers can't reach back into another buffer */
	return 0;
}

int kw_sticky_ipv4_hdr(struct rule_ctx *c, const char *v)
{
	(void)v;
	return sticky(c, RULE_BUF_IPV4_HDR);
}

int kw_sticky_ipv6_hdr(struct rule_ctx *c, const char *v)
{
	(void)v;
	return sticky(c, RULE_BUF_IPV6_HDR);
}

int kw_sticky_tcp_hdr(struct rule_ctx *c, const char *v)
{
	(void)v;
	return sticky(c, RULE_BUF_TCP_HDR);
}

int kw_sticky_udp_hdr(struct rule_ctx *c, const char *v)
{
	(void)v;
	return sticky(c, RULE_BUF_UDP_HDR);
}

int kw_sticky_icmpv4_hdr(struct rule_ctx *c, const char *v)
{
	(void)v;
	return sticky(c, RULE_BUF_ICMPV4_HDR);
}

int kw_sticky_icmpv6_hdr(struct rule_ctx *c, const char *v)
{
	(void)v;
	return sticky(c, RULE_BUF_ICMPV6_HDR);
}

/* offset/depth/distance/within: a variable name is handled here, a number
 * by the payload keyword handler. */
static int content_var(struct rule_ctx *c, const char *kw, const char *v, uint32_t num_flag,
		       uint32_t var_flag, int (*plain)(struct rule_ctx *, const char *))
{
	struct rule_content *ct;
	int i;

	if (!is_var_name(v))
		return plain(c, v);
	if (c->last_content < 0)
		return rule_err(c, "%s needs a preceding content", kw);
	ct = &c->r->match[c->last_content].content;
	if (ct->flags & (num_flag | var_flag))
		return rule_err(c, "duplicate %s for the same content", kw);
	i = var_ref(c, v);
	if (i < 0)
		return i;
	ct->flags |= var_flag;
	switch (var_flag) {
	case CONTENT_OFFSET_VAR:
		ct->offset = i;
		break;
	case CONTENT_DEPTH_VAR:
		ct->depth = i;
		break;
	case CONTENT_DISTANCE_VAR:
		ct->distance = i;
		break;
	default:
		ct->within = i;
		break;
	}
	return 0;
}

int kw_offset_var(struct rule_ctx *c, const char *v)
{
	return content_var(c, "offset", v, CONTENT_OFFSET, CONTENT_OFFSET_VAR, kw_offset);
}

int kw_depth_var(struct rule_ctx *c, const char *v)
{
	return content_var(c, "depth", v, CONTENT_DEPTH, CONTENT_DEPTH_VAR, kw_depth);
}

int kw_distance_var(struct rule_ctx *c, const char *v)
{
	return content_var(c, "distance", v, CONTENT_DISTANCE, CONTENT_DISTANCE_VAR,
			   kw_distance);
}

int kw_within_var(struct rule_ctx *c, const char *v)
{
	return content_var(c, "within", v, CONTENT_WITHIN, CONTENT_WITHIN_VAR, kw_within);
}
