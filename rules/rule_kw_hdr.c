// SPDX-License-Identifier: MIT
/* Header keywords (flags, ack, seq, window, id, fragbits, fragoffset, tos,
 * ipopts, sameip, stream_size, icmp_id, icmp_seq, tcp.mss) and the state
 * keywords xbits, hostbits and flowint, with Suricata's syntax. Numeric values take
 * the unsigned comparison forms of rule_parse_u32_cmp (N, !N, <N, >N, ...). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"

uint64_t rule_name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* TCP flag letters as Suricata reads them (1 and 2 are the old names of CWR
 * and ECE); values as on the wire. */
static int tcp_flag_bit(char ch)
{
	switch (ch) {
	case 'F': return 0x01;
	case 'S': return 0x02;
	case 'R': return 0x04;
	case 'P': return 0x08;
	case 'A': return 0x10;
	case 'U': return 0x20;
	case 'E': case '2': return 0x40;
	case 'C': case '1': return 0x80;
	default: return -1;
	}
}

/* IPv4 flag letters of fragbits: M more fragments, D don't fragment, R reserved. */
static int frag_flag_bit(char ch)
{
	switch (toupper((unsigned char)ch)) {
	case 'M': return 0x1;
	case 'D': return 0x2;
	case 'R': return 0x4;
	default: return -1;
	}
}

/* "[+*!]LETTERS[,MASK]": the modifier may stand anywhere among the letters,
 * as Suricata accepts "SA+" and "+SA"; '0' means "no flag". */
static int parse_bits(struct rule_ctx *c, const char *kw, const char *v, int (*bit)(char),
		      bool allow_mask, struct rule_bits *out)
{
	const char *comma = strchr(v, ',');
	const char *end = comma ? comma : v + strlen(v);
	struct rule_bits b = { .mode = BITS_EXACT };
	bool seen_mod = false, any = false;

	for (const char *p = v; p < end; p++) {
		int f;

		if (isspace((unsigned char)*p))
			continue;
		if (*p == '+' || *p == '*' || *p == '!') {
			if (seen_mod)
				return rule_err(c, "invalid %s: '%s'", kw, v);
			seen_mod = true;
			b.mode = *p == '+' ? BITS_PLUS : *p == '*' ? BITS_ANY : BITS_NOT;
			continue;
		}
		if (*p == '0' && bit == tcp_flag_bit) {
			any = true;
			continue;
		}
		f = bit(*p);
		if (f < 0)
			return rule_err(c, "invalid %s: '%s'", kw, v);
		b.bits |= (uint8_t)f;
		any = true;
	}
	if (!any)
		return rule_err(c, "invalid %s: '%s'", kw, v);
	if (comma) {
		const char *p = comma + 1;

		if (!allow_mask)
			return rule_err(c, "invalid %s: '%s'", kw, v);
		p += strspn(p, " \t");
		if (*p == '\0')
			return rule_err(c, "invalid %s: '%s'", kw, v);
		for (; *p; p++) {
			int f = bit(*p);

			if (isspace((unsigned char)*p))
				continue;
			if (f < 0)
				return rule_err(c, "invalid %s mask: '%s'", kw, comma + 1);
			b.ignore |= (uint8_t)f;
		}
	}
	*out = b;
	return 0;
}

int kw_flags(struct rule_ctx *c, const char *v)
{
	if (c->r->has & RULE_HAS_TCPFLAGS)
		return rule_err(c, "duplicate keyword 'flags'");
	if (parse_bits(c, "flags", v, tcp_flag_bit, true, &c->r->tcpflags))
		return -EINVAL;
	c->r->has |= RULE_HAS_TCPFLAGS;
	return 0;
}

int kw_fragbits(struct rule_ctx *c, const char *v)
{
	if (parse_bits(c, "fragbits", v, frag_flag_bit, false, &c->r->fragbits))
		return -EINVAL;
	c->r->has |= RULE_HAS_FRAGBITS;
	return 0;
}

static int cmp_kw(struct rule_ctx *c, const char *kw, const char *v, uint32_t max,
		  struct u32_cmp *field, uint32_t has)
{
	if (c->r->has & has)
		return rule_err(c, "duplicate keyword '%s'", kw);
	if (rule_parse_u32_cmp(v, max, field))
		return rule_err(c, "invalid %s: '%s'", kw, v);
	c->r->has |= has;
	return 0;
}

int kw_ack(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "ack", v, UINT32_MAX, &c->r->ack, RULE_HAS_ACK);
}

int kw_seq(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "seq", v, UINT32_MAX, &c->r->seq, RULE_HAS_SEQ);
}

int kw_window(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "window", v, 65535, &c->r->window, RULE_HAS_WINDOW);
}

int kw_id(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "id", v, 65535, &c->r->ipid, RULE_HAS_IPID);
}

int kw_fragoffset(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "fragoffset", v, 65535, &c->r->fragoff, RULE_HAS_FRAGOFF);
}

int kw_tcp_mss(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "tcp.mss", v, 65535, &c->r->tcpmss, RULE_HAS_TCPMSS);
}

/* icmp_id/icmp_seq accept the number in double quotes, as Suricata. */
static int icmp_kw(struct rule_ctx *c, const char *kw, const char *v, struct u32_cmp *field,
		   uint32_t has)
{
	size_t len = strlen(v);
	char buf[32];

	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		if (len - 2 >= sizeof(buf))
			return rule_err(c, "invalid %s: '%s'", kw, v);
		memcpy(buf, v + 1, len - 2);
		buf[len - 2] = '\0';
		v = buf;
	}
	return cmp_kw(c, kw, v, 65535, field, has);
}

int kw_icmp_id(struct rule_ctx *c, const char *v)
{
	return icmp_kw(c, "icmp_id", v, &c->r->icmpid, RULE_HAS_ICMPID);
}

int kw_icmp_seq(struct rule_ctx *c, const char *v)
{
	return icmp_kw(c, "icmp_seq", v, &c->r->icmpseq, RULE_HAS_ICMPSEQ);
}

/* icmpv6.mtu: the MTU of an ICMPv6 Packet Too Big (type 2, code 0) */
int kw_icmpv6_mtu(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "icmpv6.mtu", v, UINT32_MAX, &c->r->icmpv6mtu, RULE_HAS_ICMPV6MTU);
}

/* tos:[!]N, N decimal or x-prefixed hex (Suricata's "x10"), at most 255. */
int kw_tos(struct rule_ctx *c, const char *v)
{
	const char *p = v;
	bool neg = false;
	char *end;
	unsigned long n;

	if (c->r->has & RULE_HAS_TOS)
		return rule_err(c, "duplicate keyword 'tos'");
	if (*p == '!') {
		neg = true;
		p++;
		p += strspn(p, " \t");
	}
	if (*p == 'x' || *p == 'X') {
		p++;
		if (!isxdigit((unsigned char)*p))
			return rule_err(c, "invalid tos: '%s'", v);
		n = strtoul(p, &end, 16);
	} else {
		if (!isdigit((unsigned char)*p))
			return rule_err(c, "invalid tos: '%s'", v);
		n = strtoul(p, &end, 10);
	}
	end += strspn(end, " \t");
	if (*end || n > 255)
		return rule_err(c, "invalid tos: '%s'", v);
	c->r->tos = (struct u32_cmp){ .op = neg ? U32_NE : U32_EQ, .a = (uint32_t)n };
	c->r->has |= RULE_HAS_TOS;
	return 0;
}

/* Names and bits as packet-t.h's IPV4_OPT_* (the decoder fills those). */
int kw_ipopts(struct rule_ctx *c, const char *v)
{
	static const struct {
		const char *name;
		uint16_t bit;
	} opts[] = {
		{ "rr", 0x0001 }, { "eol", 0x0002 }, { "nop", 0x0004 }, { "ts", 0x0008 },
		{ "sec", 0x0010 }, { "esec", 0x0020 }, { "lsrr", 0x0040 }, { "ssrr", 0x0080 },
		{ "satid", 0x0100 }, { "any", 0xffff },
	};

	if (c->r->has & RULE_HAS_IPOPTS)
		return rule_err(c, "duplicate keyword 'ipopts'");
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (strcmp(v, opts[i].name) == 0) {
			c->r->ipopts = opts[i].bit;
			c->r->has |= RULE_HAS_IPOPTS;
			return 0;
		}
	}
	return rule_err(c, "invalid ipopts: '%s'", v);
}

int kw_sameip(struct rule_ctx *c, const char *v)
{
	(void)v;
	c->r->has |= RULE_HAS_SAMEIP;
	return 0;
}

/* stream_size:<server|client|both|either>,<op>,<N>, op one of < > = != <= >= */
int kw_stream_size(struct rule_ctx *c, const char *v)
{
	static const char *const sides[] = { "server", "client", "both", "either" };
	static const struct {
		const char *s;
		enum u32_op op;
	} ops[] = {
		{ "<=", U32_LE }, { ">=", U32_GE }, { "!=", U32_NE }, { "<", U32_LT },
		{ ">", U32_GT }, { "=", U32_EQ },
	};
	struct rule_stream_size ss = { 0 };
	char *copy = strdup(v), *side, *op, *num, *save = NULL;
	size_t i;
	int rc = -EINVAL;

	if (copy == NULL)
		return -ENOMEM;
	side = strtok_r(copy, ",", &save);
	op = strtok_r(NULL, ",", &save);
	num = strtok_r(NULL, "", &save);
	if (!side || !op || !num) {
		rule_err(c, "stream_size needs side, operator and value");
		goto out;
	}
	side = side + strspn(side, " \t");
	side[strcspn(side, " \t")] = '\0';
	op = op + strspn(op, " \t");
	op[strcspn(op, " \t")] = '\0';
	for (i = 0; i < 4; i++)
		if (strcmp(side, sides[i]) == 0)
			break;
	if (i == 4) {
		rule_err(c, "invalid stream_size side '%s'", side);
		goto out;
	}
	ss.side = (uint8_t)i;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i].s) == 0)
			break;
	if (i == sizeof(ops) / sizeof(ops[0])) {
		rule_err(c, "invalid stream_size operator '%s'", op);
		goto out;
	}
	ss.cmp.op = ops[i].op;
	if (rule_parse_u32(num, &ss.cmp.a)) {
		rule_err(c, "invalid stream_size value '%s'", num);
		goto out;
	}
	c->r->stream_size = ss;
	c->r->has |= RULE_HAS_STREAMSIZE;
	rc = 0;
out:
	free(copy);
	return rc;
}

/* Split v at commas into at most max tokens, each trimmed; the count, or
 * -1 when there are more. The tokens point into copy. */
static int split_trimmed(char *copy, char **tok, int max)
{
	char *save = NULL;
	int n = 0;

	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return -1;
		t += strspn(t, " \t");
		for (size_t l = strlen(t); l && isspace((unsigned char)t[l - 1]); l--)
			t[l - 1] = '\0';
		tok[n++] = t;
	}
	return n;
}

/* An xbits/hostbits operation by name; false when unknown. */
static bool xbit_op(const char *s, uint8_t *op)
{
	static const struct {
		const char *s;
		enum flowbit_op op;
	} ops[] = {
		{ "set", FB_SET }, { "unset", FB_UNSET }, { "toggle", FB_TOGGLE },
		{ "isset", FB_ISSET }, { "isnotset", FB_ISNOTSET },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(s, ops[i].s) == 0) {
			*op = (uint8_t)ops[i].op;
			return true;
		}
	}
	return false;
}

/* Name xb (op, track, expire set) and add it to the rule. 0 or -errno. */
static int xbit_add(struct rule_ctx *c, struct rule_xbit *xb, const char *name, const char *kw)
{
	struct rule_xbit *arr;

	if (name[0] == '\0' || strpbrk(name, " \t|&")) {
		rule_err(c, "invalid %s name '%s'", kw, name);
		return -EINVAL;
	}
	xb->name = strdup(name);
	if (xb->name == NULL)
		return -ENOMEM;
	xb->name_hash = rule_name_hash(xb->name);
	arr = realloc(c->r->xbit, (c->r->nxbit + 1) * sizeof(*arr));
	if (arr == NULL) {
		free(xb->name);
		return -ENOMEM;
	}
	c->r->xbit = arr;
	arr[c->r->nxbit++] = *xb;
	c->r->has |= RULE_HAS_XBITS;
	return 0;
}

/* xbits:<set|unset|toggle|isset|isnotset>,<name>,track <ip_src|ip_dst|ip_pair>
 *       [,expire <seconds>] */
int kw_xbits(struct rule_ctx *c, const char *v)
{
	static const char *const tracks[] = { "ip_src", "ip_dst", "ip_pair" };
	struct rule_xbit xb = { .expire = 0 };
	char *copy = strdup(v), *tok[4] = { 0 };
	int n, rc = -EINVAL;
	size_t i;

	if (copy == NULL)
		return -ENOMEM;
	n = split_trimmed(copy, tok, 4);
	if (n < 0) {
		rule_err(c, "invalid xbits: '%s'", v);
		goto out;
	}
	if (n < 3) {
		rule_err(c, "xbits needs an operation, a name and a track");
		goto out;
	}
	if (!xbit_op(tok[0], &xb.op)) {
		rule_err(c, "invalid xbits operation '%s'", tok[0]);
		goto out;
	}
	if (strncmp(tok[2], "track ", 6) != 0) {
		rule_err(c, "invalid xbits track '%s'", tok[2]);
		goto out;
	}
	for (i = 0; i < 3; i++)
		if (strcmp(tok[2] + 6 + strspn(tok[2] + 6, " \t"), tracks[i]) == 0)
			break;
	if (i == 3) {
		rule_err(c, "invalid xbits track '%s'", tok[2]);
		goto out;
	}
	xb.track = (uint8_t)i;
	if (n == 4) {
		if (strncmp(tok[3], "expire ", 7) != 0 || rule_parse_u32(tok[3] + 7, &xb.expire) ||
		    xb.expire == 0) {
			rule_err(c, "invalid xbits expire '%s'", tok[3]);
			goto out;
		}
	}
	if (!xb.expire)
		xb.expire = 30;	/* Suricata's default */
	rc = xbit_add(c, &xb, tok[1], "xbits");
out:
	free(copy);
	return rc;
}

/* hostbits:<set|unset|toggle|isset|isnotset>,<name>[,<src|dst>] or
 * hostbits:noalert, as Suricata 7 (detect-hostbits.c): a bit on the source
 * (default) or destination host, the same bit xbits track ip_src/ip_dst
 * names, expiring 300 s after it is set ("both" is refused, as there). */
int kw_hostbits(struct rule_ctx *c, const char *v)
{
	struct rule_xbit xb = { .track = XB_IP_SRC, .expire = 300 };
	char *copy = strdup(v), *tok[3] = { 0 };
	int n, rc = -EINVAL;

	if (copy == NULL)
		return -ENOMEM;
	n = split_trimmed(copy, tok, 3);
	if (n < 0) {
		rule_err(c, "invalid hostbits: '%s'", v);
		goto out;
	}
	if (n == 1 && strcmp(tok[0], "noalert") == 0) {
		c->r->flags |= RULE_F_NOALERT;
		rc = 0;
		goto out;
	}
	if (n < 2) {
		rule_err(c, "hostbits needs an operation and a name: '%s'", v);
		goto out;
	}
	if (!xbit_op(tok[0], &xb.op)) {
		rule_err(c, "invalid hostbits operation '%s'", tok[0]);
		goto out;
	}
	if (n == 3) {
		if (strcmp(tok[2], "dst") == 0) {
			xb.track = XB_IP_DST;
		} else if (strcmp(tok[2], "src") != 0) {
			rule_err(c, "invalid hostbits direction '%s': src or dst", tok[2]);
			goto out;
		}
	}
	rc = xbit_add(c, &xb, tok[1], "hostbits");
out:
	free(copy);
	return rc;
}

/* flowint:<name>,<op>[,<value|name>]; op = + - (modify), == != < <= > >=
 * (test), isset, notset/isnotset. */
int kw_flowint(struct rule_ctx *c, const char *v)
{
	static const struct {
		const char *s;
		enum flowint_op op;
	} ops[] = {
		{ "==", FI_EQ }, { "!=", FI_NE }, { "<=", FI_LE }, { ">=", FI_GE },
		{ "<", FI_LT }, { ">", FI_GT }, { "=", FI_SET }, { "+", FI_ADD }, { "-", FI_SUB },
		{ "isset", FI_ISSET }, { "notset", FI_NOTSET }, { "isnotset", FI_NOTSET },
	};
	struct rule_flowint fi = { 0 };
	struct rule_flowint *arr;
	char *copy = strdup(v), *name, *op, *val, *save = NULL;
	size_t i;
	int rc = -EINVAL;

	if (copy == NULL)
		return -ENOMEM;
	name = strtok_r(copy, ",", &save);
	op = strtok_r(NULL, ",", &save);
	val = strtok_r(NULL, "", &save);
	if (!name || !op) {
		rule_err(c, "flowint needs a name and an operation");
		goto out;
	}
	name += strspn(name, " \t");
	name[strcspn(name, " \t")] = '\0';
	op += strspn(op, " \t");
	op[strcspn(op, " \t")] = '\0';
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i].s) == 0)
			break;
	if (i == sizeof(ops) / sizeof(ops[0])) {
		rule_err(c, "invalid flowint operation '%s'", op);
		goto out;
	}
	fi.op = (uint8_t)ops[i].op;
	if (name[0] == '\0') {
		rule_err(c, "invalid flowint name ''");
		goto out;
	}
	fi.id = fi.value_id = RULE_FLOWBIT_UNRESOLVED;
	fi.name = strdup(name);
	if (fi.name == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	if (fi.op == FI_ISSET || fi.op == FI_NOTSET) {
		if (val) {
			rule_err(c, "flowint:%s takes no value", op);
			goto out;
		}
	} else {
		if (!val) {
			rule_err(c, "flowint:%s needs a value", op);
			goto out;
		}
		val += strspn(val, " \t");
		val[strcspn(val, " \t")] = '\0';
		if (isalpha((unsigned char)val[0])) {
			fi.value_is_var = true;
			fi.value_name = strdup(val);
			if (fi.value_name == NULL) {
				rc = -ENOMEM;
				goto out;
			}
		} else if (rule_parse_u32(val, &fi.value)) {
			rule_err(c, "invalid flowint value '%s'", val);
			goto out;
		}
	}
	arr = realloc(c->r->flowint, (c->r->nflowint + 1) * sizeof(*arr));
	if (arr == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	c->r->flowint = arr;
	arr[c->r->nflowint++] = fi;
	c->r->has |= RULE_HAS_FLOWINT;
	fi = (struct rule_flowint){ 0 };	/* the rule owns the names now */
	rc = 0;
out:
	free(fi.name);
	free(fi.value_name);
	free(copy);
	return rc;
}
