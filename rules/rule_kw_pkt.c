// SPDX-License-Identifier: MIT
/* Packet and state keywords: flow, dsize, ttl, itype, icode, ip_proto,
 * flowbits, noalert, threshold, detection_filter. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"

/* Suricata 7's unsigned forms: N, =N, <N, >N, <=N, >=N, !N, !=N, and the
 * exclusive ranges N-M and N<>M, which must leave at least one value. */
int rule_parse_u32_cmp(const char *s, uint32_t max, struct u32_cmp *out)
{
	static const struct {
		const char *tok;
		enum u32_op op;
	} modes[] = {
		{ "<=", U32_LE }, { ">=", U32_GE }, { "!=", U32_NE }, { "<>", U32_RANGE },
		{ "<", U32_LT }, { ">", U32_GT }, { "!", U32_NE }, { "=", U32_EQ },
	};
	char buf[64];
	char *p, *sep, *rest;
	uint32_t a, b;

	s += strspn(s, " \t");
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	p = buf;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		size_t l = strlen(modes[i].tok);

		if (modes[i].op == U32_RANGE || strncmp(p, modes[i].tok, l) != 0)
			continue;
		if (rule_parse_u32(p + l, &a) || a > max)
			return -EINVAL;
		/* comparisons any or no value satisfies, refused as Suricata 7
		 * does: <0, >max, <=max, >=0 */
		if ((modes[i].op == U32_LT && a == 0) || (modes[i].op == U32_GT && a == max) ||
		    (modes[i].op == U32_LE && a == max) || (modes[i].op == U32_GE && a == 0))
			return -EINVAL;
		*out = (struct u32_cmp){ .op = modes[i].op, .a = a };
		return 0;
	}
	sep = strstr(p, "<>");
	if (sep == NULL)
		sep = strchr(p, '-');
	if (sep == NULL) {
		if (rule_parse_u32(p, &a) || a > max)
			return -EINVAL;
		*out = (struct u32_cmp){ .op = U32_EQ, .a = a };
		return 0;
	}
	rest = sep + (sep[0] == '<' ? 2 : 1);
	*sep = '\0';
	if (rule_parse_u32(p, &a) || rule_parse_u32(rest, &b) ||
	    b > max || b <= a || b - a < 2)
		return -EINVAL;
	*out = (struct u32_cmp){ .op = U32_RANGE, .a = a, .b = b };
	return 0;
}

static int cmp_kw(struct rule_ctx *c, const char *kw, const char *v, uint32_t max,
		  struct u32_cmp *field, uint32_t has)
{
	if (rule_parse_u32_cmp(v, max, field))
		return rule_err(c, "invalid %s: '%s'", kw, v);
	c->r->has |= has;
	return 0;
}

int kw_dsize(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "dsize", v, 65535, &c->r->dsize, RULE_HAS_DSIZE);
}

int kw_ttl(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "ttl", v, 255, &c->r->ttl, RULE_HAS_TTL);
}

int kw_itype(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "itype", v, 255, &c->r->itype, RULE_HAS_ITYPE);
}

int kw_icode(struct rule_ctx *c, const char *v)
{
	return cmp_kw(c, "icode", v, 255, &c->r->icode, RULE_HAS_ICODE);
}

/* Each option, the flags it sets, and the flags it cannot share a rule with. */
static const struct {
	const char *name;
	uint32_t flag;
	uint32_t conflicts;
} flow_opts[] = {
	{ "to_server", RULE_FLOW_TOSERVER, RULE_FLOW_TOCLIENT },
	{ "from_client", RULE_FLOW_TOSERVER, RULE_FLOW_TOCLIENT },
	{ "to_client", RULE_FLOW_TOCLIENT, RULE_FLOW_TOSERVER },
	{ "from_server", RULE_FLOW_TOCLIENT, RULE_FLOW_TOSERVER },
	{ "established", RULE_FLOW_ESTABLISHED, RULE_FLOW_NOT_ESTABLISHED | RULE_FLOW_STATELESS },
	{ "not_established", RULE_FLOW_NOT_ESTABLISHED,
	  RULE_FLOW_ESTABLISHED | RULE_FLOW_STATELESS },
	{ "stateless", RULE_FLOW_STATELESS, RULE_FLOW_ESTABLISHED | RULE_FLOW_NOT_ESTABLISHED },
	{ "only_stream", RULE_FLOW_ONLY_STREAM, RULE_FLOW_NO_STREAM },
	{ "no_stream", RULE_FLOW_NO_STREAM, RULE_FLOW_ONLY_STREAM },
};

int kw_flow(struct rule_ctx *c, const char *v)
{
	const char *p = v;

	while (*p) {
		size_t len = strcspn(p, ",");
		char *opt = rule_strtrim(p, len);
		size_t i;
		int rc = 0;

		if (opt == NULL)
			return -ENOMEM;
		for (i = 0; i < sizeof(flow_opts) / sizeof(flow_opts[0]); i++)
			if (strcmp(opt, flow_opts[i].name) == 0)
				break;
		if (strcmp(opt, "only_frag") == 0 || strcmp(opt, "no_frag") == 0)
			rc = rule_err(c, "unsupported flow option '%s'", opt);
		else if (i == sizeof(flow_opts) / sizeof(flow_opts[0]))
			rc = rule_err(c, "invalid flow option '%s'", opt);
		else if (c->r->flow_flags & flow_opts[i].flag)
			rc = rule_err(c, "duplicate flow option '%s'", opt);
		else if (c->r->flow_flags & flow_opts[i].conflicts)
			rc = rule_err(c, "conflicting flow option '%s'", opt);
		else
			c->r->flow_flags |= flow_opts[i].flag;
		free(opt);
		if (rc)
			return rc;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* IANA numbers of the names Suricata resolves through /etc/protocols. */
static const struct {
	const char *name;
	uint8_t num;
} ip_protos[] = {
	{ "hopopt", 0 }, { "icmp", 1 }, { "igmp", 2 }, { "ggp", 3 }, { "ipencap", 4 },
	{ "st", 5 }, { "tcp", 6 }, { "egp", 8 }, { "igp", 9 }, { "pup", 12 }, { "udp", 17 },
	{ "hmp", 20 }, { "xns-idp", 22 }, { "rdp", 27 }, { "iso-tp4", 29 }, { "dccp", 33 },
	{ "xtp", 36 }, { "ddp", 37 }, { "idpr-cmtp", 38 }, { "ipv6", 41 }, { "ipv6-route", 43 },
	{ "ipv6-frag", 44 }, { "idrp", 45 }, { "rsvp", 46 }, { "gre", 47 }, { "esp", 50 },
	{ "ah", 51 }, { "skip", 57 }, { "ipv6-icmp", 58 }, { "icmpv6", 58 },
	{ "ipv6-nonxt", 59 }, { "ipv6-opts", 60 }, { "rspf", 73 }, { "vmtp", 81 },
	{ "eigrp", 88 }, { "ospf", 89 }, { "ax.25", 93 }, { "ipip", 94 }, { "etherip", 97 },
	{ "encap", 98 }, { "pim", 103 }, { "ipcomp", 108 }, { "vrrp", 112 }, { "l2tp", 115 },
	{ "isis", 124 }, { "sctp", 132 }, { "fc", 133 }, { "mobility-header", 135 },
	{ "udplite", 136 }, { "mpls-in-ip", 137 }, { "manet", 138 }, { "hip", 139 },
	{ "shim6", 140 }, { "wesp", 141 }, { "rohc", 142 },
};

/* N, !N, or a protocol name; Suricata's <N and >N have no field here. */
int kw_ip_proto(struct rule_ctx *c, const char *v)
{
	const char *p = v;
	uint32_t n;

	if (*p == '<' || *p == '>')
		return rule_err(c, "unsupported ip_proto comparison '%c'", *p);
	if (*p == '!') {
		c->r->ip_proto_neg = true;
		p++;
		p += strspn(p, " \t");
	}
	if (rule_parse_u32(p, &n) == 0) {
		if (n > 255)
			return rule_err(c, "invalid ip_proto: '%s'", v);
		c->r->ip_proto = (uint8_t)n;
		c->r->has |= RULE_HAS_IPPROTO;
		return 0;
	}
	for (size_t i = 0; i < sizeof(ip_protos) / sizeof(ip_protos[0]); i++) {
		if (strcasecmp(p, ip_protos[i].name) == 0) {
			c->r->ip_proto = ip_protos[i].num;
			c->r->has |= RULE_HAS_IPPROTO;
			return 0;
		}
	}
	return rule_err(c, "invalid ip_proto: '%s'", v);
}

/* l3_proto:ipv4|ip4|ipv6|ip6 (Suricata 7's detect-l3proto.c): the rule
 * matches that IP version only, as the header protocols ipv4/ipv6 do. */
int kw_l3_proto(struct rule_ctx *c, const char *v)
{
	uint32_t flag, other;

	if (strcasecmp(v, "ipv4") == 0 || strcasecmp(v, "ip4") == 0) {
		flag = RULE_F_IPV4_ONLY;
		other = RULE_F_IPV6_ONLY;
	} else if (strcasecmp(v, "ipv6") == 0 || strcasecmp(v, "ip6") == 0) {
		flag = RULE_F_IPV6_ONLY;
		other = RULE_F_IPV4_ONLY;
	} else {
		return rule_err(c, "invalid l3_proto: '%s' (ipv4 or ipv6)", v);
	}
	if (c->r->flags & other)
		return rule_err(c, "l3_proto:%s conflicts with the rule's IP version", v);
	c->r->flags |= flag;
	return 0;
}

static const struct {
	const char *name;
	enum flowbit_op op;
	char sep;                 /* the list separator this operation accepts */
} fb_ops[] = {
	{ "set", FB_SET, '&' }, { "unset", FB_UNSET, '&' }, { "toggle", FB_TOGGLE, '&' },
	{ "isset", FB_ISSET, '|' }, { "isnotset", FB_ISNOTSET, '|' },
	{ "noalert", FB_NOALERT, 0 },
};

static bool valid_fb_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (isspace((unsigned char)*s) || *s == ',' || *s == '|' || *s == '&')
			return false;
	return true;
}

static int fb_names(struct rule_ctx *c, struct rule_flowbit *fb, const char *list, char sep)
{
	const char *p = list;
	uint32_t cap = 1;

	for (const char *q = list; *q; q++)
		if (*q == '|' || *q == '&') {
			if (*q != sep)
				return rule_err(c, "invalid flowbits separator '%c'", *q);
			cap++;
		}
	fb->names = calloc(cap, sizeof(*fb->names));
	fb->ids = calloc(cap, sizeof(*fb->ids));
	if (fb->names == NULL || fb->ids == NULL)
		return -ENOMEM;
	while (fb->n < cap) {
		size_t len = strcspn(p, "|&");
		char *name = rule_strtrim(p, len);

		if (name == NULL)
			return -ENOMEM;
		if (!valid_fb_name(name)) {
			rule_err(c, "invalid flowbit name '%s'", name);
			free(name);
			return -EINVAL;
		}
		fb->ids[fb->n] = RULE_FLOWBIT_UNRESOLVED;
		fb->names[fb->n++] = name;
		p += len + (p[len] != '\0');
	}
	return 0;
}

int kw_flowbits(struct rule_ctx *c, const char *v)
{
	struct rule *r = c->r;
	struct rule_flowbit *fb;
	size_t oplen = strcspn(v, ",");
	char *op = rule_strtrim(v, oplen);
	size_t i;

	if (op == NULL)
		return -ENOMEM;
	for (i = 0; i < sizeof(fb_ops) / sizeof(fb_ops[0]); i++)
		if (strcmp(op, fb_ops[i].name) == 0)
			break;
	if (i == sizeof(fb_ops) / sizeof(fb_ops[0])) {
		rule_err(c, "invalid flowbits operation '%s'", op);
		free(op);
		return -EINVAL;
	}
	free(op);
	if (fb_ops[i].op == FB_NOALERT && v[oplen] != '\0')
		return rule_err(c, "flowbits:noalert takes no name");
	if (fb_ops[i].op != FB_NOALERT && v[oplen] == '\0')
		return rule_err(c, "flowbits:%s needs a name", fb_ops[i].name);
	fb = realloc(r->flowbit, (r->nflowbit + 1) * sizeof(*fb));
	if (fb == NULL)
		return -ENOMEM;
	r->flowbit = fb;
	fb = &r->flowbit[r->nflowbit++];
	memset(fb, 0, sizeof(*fb));
	fb->op = fb_ops[i].op;
	if (fb->op == FB_NOALERT) {
		r->flags |= RULE_F_NOALERT;
		return 0;
	}
	return fb_names(c, fb, v + oplen + 1, fb_ops[i].sep);
}

int kw_noalert(struct rule_ctx *c, const char *v)
{
	(void)v;
	c->r->flags |= RULE_F_NOALERT;
	return 0;
}

static const struct {
	const char *name;
	int val;
} thresh_types[] = {
	{ "limit", THRESH_LIMIT }, { "threshold", THRESH_THRESHOLD }, { "both", THRESH_BOTH },
	{ "backoff", THRESH_BACKOFF },
}, thresh_tracks[] = {
	{ "by_src", TRACK_BY_SRC }, { "by_dst", TRACK_BY_DST }, { "by_rule", TRACK_BY_RULE },
	{ "by_both", TRACK_BY_BOTH }, { "by_flow", TRACK_BY_FLOW },
};

#define TH_TYPE    0x1u
#define TH_TRACK   0x2u
#define TH_COUNT   0x4u
#define TH_SECONDS 0x8u
#define TH_MULTIPLIER 0x10u

/* One "key value" item of threshold/detection_filter; returns the TH_ bit. */
static int thresh_item(struct rule_ctx *c, const char *kw, char *item, struct rule_threshold *t)
{
	char *val = item + strcspn(item, " \t");
	size_t i;

	if (*val == '\0')
		return rule_err(c, "invalid %s item '%s'", kw, item);
	*val++ = '\0';
	val += strspn(val, " \t");
	if (strcmp(item, "type") == 0 && strcmp(kw, "threshold") == 0) {
		for (i = 0; i < sizeof(thresh_types) / sizeof(thresh_types[0]); i++) {
			if (strcmp(val, thresh_types[i].name) == 0) {
				t->type = (enum thresh_type)thresh_types[i].val;
				return TH_TYPE;
			}
		}
		return rule_err(c, "invalid %s type '%s'", kw, val);
	}
	if (strcmp(item, "track") == 0) {
		for (i = 0; i < sizeof(thresh_tracks) / sizeof(thresh_tracks[0]); i++) {
			if (strcmp(val, thresh_tracks[i].name) == 0) {
				t->track = (enum thresh_track)thresh_tracks[i].val;
				return TH_TRACK;
			}
		}
		return rule_err(c, "invalid %s track '%s'", kw, val);
	}
	if (strcmp(item, "count") == 0) {
		if (rule_parse_u32(val, &t->count) || t->count == 0)
			return rule_err(c, "invalid %s count '%s'", kw, val);
		return TH_COUNT;
	}
	if (strcmp(item, "seconds") == 0) {
		if (rule_parse_u32(val, &t->seconds) || t->seconds == 0)
			return rule_err(c, "invalid %s seconds '%s'", kw, val);
		return TH_SECONDS;
	}
	if (strcmp(item, "multiplier") == 0 && strcmp(kw, "threshold") == 0) {
		if (rule_parse_u32(val, &t->multiplier) || t->multiplier < 2)
			return rule_err(c, "invalid %s multiplier '%s'", kw, val);
		return TH_MULTIPLIER;
	}
	return rule_err(c, "invalid %s item '%s'", kw, item);
}

static int thresh_parse(struct rule_ctx *c, const char *kw, const char *v, uint32_t need)
{
	struct rule_threshold t = { 0 };
	uint32_t seen = 0;
	const char *p = v;

	if (c->r->threshold.type != THRESH_NONE)
		return rule_err(c, "only one threshold or detection_filter per rule");
	while (*p) {
		size_t len = strcspn(p, ",");
		char *item = rule_strtrim(p, len);
		int bit;

		if (item == NULL)
			return -ENOMEM;
		bit = thresh_item(c, kw, item, &t);
		if (bit > 0 && (seen & (uint32_t)bit))
			bit = rule_err(c, "duplicate %s item '%s'", kw, item);
		free(item);
		if (bit < 0)
			return bit;
		seen |= (uint32_t)bit;
		p += len;
		if (*p == ',')
			p++;
	}
	/* backoff counts per flow, with a multiplier in place of seconds */
	if (t.type == THRESH_BACKOFF) {
		if (seen != (TH_TYPE | TH_TRACK | TH_COUNT | TH_MULTIPLIER))
			return rule_err(c, "threshold type backoff needs track, count and multiplier");
		if (t.track != TRACK_BY_FLOW)
			return rule_err(c, "threshold type backoff needs track by_flow");
		c->r->threshold = t;
		return 0;
	}
	if (seen != need)
		return rule_err(c, "%s needs %s", kw, need & TH_TYPE ?
				"type, track, count and seconds" : "track, count and seconds");
	if (!(need & TH_TYPE))
		t.type = THRESH_DETECTION_FILTER;
	c->r->threshold = t;
	return 0;
}

int kw_threshold(struct rule_ctx *c, const char *v)
{
	return thresh_parse(c, "threshold", v, TH_TYPE | TH_TRACK | TH_COUNT | TH_SECONDS);
}

int kw_detection_filter(struct rule_ctx *c, const char *v)
{
	return thresh_parse(c, "detection_filter", v, TH_TRACK | TH_COUNT | TH_SECONDS);
}
