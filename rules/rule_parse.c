// SPDX-License-Identifier: MIT
/* One rule: header (action proto src sp dir dst dp) and options, dispatched
 * through the keyword table. A rule rule_snort3_detect finds to be Snort 3
 * may elide its header and goes to rule_snort3_option first. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/bug.h"
#include "rule-int.h"
#include "rules.h"

/* Suricata's option keywords handled here; anything else fails the rule
 * with "unsupported keyword 'name'". */
const struct rule_kw rule_kw_table[] = {
	{ "msg",              kw_msg,              KW_VAL | KW_ONCE },
	{ "sid",              kw_sid,              KW_VAL | KW_ONCE },
	{ "rev",              kw_rev,              KW_VAL | KW_ONCE },
	{ "gid",              kw_gid,              KW_VAL | KW_ONCE },
	{ "classtype",        kw_classtype,        KW_VAL | KW_ONCE },
	{ "priority",         kw_priority,         KW_VAL | KW_ONCE },
	{ "reference",        kw_reference,        KW_VAL },
	{ "metadata",         kw_metadata,         KW_VAL },
	{ "target",           kw_target,           KW_VAL | KW_ONCE },
	{ "content",          kw_content,          KW_VAL },
	{ "nocase",           kw_nocase,           KW_NOVAL },
	{ "offset",           kw_offset_var,       KW_VAL },
	{ "depth",            kw_depth_var,        KW_VAL },
	{ "distance",         kw_distance_var,     KW_VAL },
	{ "within",           kw_within_var,       KW_VAL },
	{ "fast_pattern",     kw_fast_pattern,     0 },
	{ "rawbytes",         kw_rawbytes,         KW_NOVAL },
	{ "startswith",       kw_startswith,       KW_NOVAL },
	{ "endswith",         kw_endswith,         KW_NOVAL },
	{ "pcre",             kw_pcre,             KW_VAL },
	{ "pkt_data",         kw_pkt_data,         KW_NOVAL },
	{ "flow",             kw_flow,             KW_VAL | KW_ONCE },
	{ "dsize",            kw_dsize,            KW_VAL | KW_ONCE },
	{ "ttl",              kw_ttl,              KW_VAL | KW_ONCE },
	{ "itype",            kw_itype,            KW_VAL | KW_ONCE },
	{ "icode",            kw_icode,            KW_VAL | KW_ONCE },
	{ "ip_proto",         kw_ip_proto,         KW_VAL | KW_ONCE },
	{ "flowbits",         kw_flowbits,         KW_VAL },
	{ "noalert",          kw_noalert,          KW_NOVAL },
	{ "threshold",        kw_threshold,        KW_VAL },
	{ "detection_filter", kw_detection_filter, KW_VAL },
	{ "prefilter",        kw_accept,           KW_NOVAL },
	/* rule_kw_byte.c */
	{ "byte_test",        kw_byte_test,        KW_VAL },
	{ "byte_jump",        kw_byte_jump,        KW_VAL },
	{ "byte_extract",     kw_byte_extract,     KW_VAL },
	{ "byte_math",        kw_byte_math,        KW_VAL },
	{ "isdataat",         kw_isdataat,         KW_VAL },
	{ "bsize",            kw_bsize,            KW_VAL },
	{ "ipv4.hdr",         kw_sticky_ipv4_hdr,  KW_NOVAL },
	{ "ipv6.hdr",         kw_sticky_ipv6_hdr,  KW_NOVAL },
	{ "tcp.hdr",          kw_sticky_tcp_hdr,   KW_NOVAL },
	{ "udp.hdr",          kw_sticky_udp_hdr,   KW_NOVAL },
	{ "icmpv4.hdr",       kw_sticky_icmpv4_hdr, KW_NOVAL },
	{ "icmpv6.hdr",       kw_sticky_icmpv6_hdr, KW_NOVAL },
	/* rule_kw_hdr.c: the handlers refuse duplicates themselves */
	{ "flags",            kw_flags,            KW_VAL },
	{ "tcp.flags",        kw_flags,            KW_VAL },
	{ "ack",              kw_ack,              KW_VAL },
	{ "tcp.ack",          kw_ack,              KW_VAL },
	{ "seq",              kw_seq,              KW_VAL },
	{ "tcp.seq",          kw_seq,              KW_VAL },
	{ "window",           kw_window,           KW_VAL },
	{ "id",               kw_id,               KW_VAL },
	{ "fragbits",         kw_fragbits,         KW_VAL },
	{ "fragoffset",       kw_fragoffset,       KW_VAL },
	{ "tos",              kw_tos,              KW_VAL },
	{ "ipopts",           kw_ipopts,           KW_VAL },
	{ "sameip",           kw_sameip,           KW_NOVAL },
	{ "stream_size",      kw_stream_size,      KW_VAL },
	{ "icmp_id",          kw_icmp_id,          KW_VAL },
	{ "icmp_seq",         kw_icmp_seq,         KW_VAL },
	{ "tcp.mss",          kw_tcp_mss,          KW_VAL },
	{ "icmpv6.mtu",       kw_icmpv6_mtu,       KW_VAL },
	/* rule_kw_flow.c */
	{ "flow.age",         kw_flow_age,         KW_VAL },
	{ "flow.pkts_toserver", kw_flow_pkts_toserver, KW_VAL },
	{ "flow.pkts_toclient", kw_flow_pkts_toclient, KW_VAL },
	{ "flow.bytes_toserver", kw_flow_bytes_toserver, KW_VAL },
	{ "flow.bytes_toclient", kw_flow_bytes_toclient, KW_VAL },
	{ "flow.pkts",        kw_flow_pkts,        KW_VAL },
	{ "flow.bytes",       kw_flow_bytes,       KW_VAL },
	{ "xbits",            kw_xbits,            KW_VAL },
	{ "hostbits",         kw_hostbits,         KW_VAL },
	{ "flowint",          kw_flowint,          KW_VAL },
	{ "flowvar",          kw_flowvar,          KW_VAL },
	{ "pktvar",           kw_pktvar,           KW_VAL },
	{ "decode-event",     kw_decode_event,     KW_VAL | KW_ONCE },
	{ "stream-event",     kw_stream_event,     KW_VAL },
	{ "engine-event",     kw_engine_event,     KW_VAL },
	{ "l3_proto",         kw_l3_proto,         KW_VAL | KW_ONCE },
	{ "asn1",             kw_asn1,             KW_VAL },
	{ "app-layer-event",  kw_app_layer_event,  KW_VAL },
	{ "ipv4-csum",        kw_ipv4_csum,        KW_VAL },
	{ "tcpv4-csum",       kw_tcpv4_csum,       KW_VAL },
	{ "tcpv6-csum",       kw_tcpv6_csum,       KW_VAL },
	{ "udpv4-csum",       kw_udpv4_csum,       KW_VAL },
	{ "udpv6-csum",       kw_udpv6_csum,       KW_VAL },
	{ "icmpv4-csum",      kw_icmpv4_csum,      KW_VAL },
	{ "icmpv6-csum",      kw_icmpv6_csum,      KW_VAL },
	/* rule_kw_base64.c */
	{ "base64_decode",    kw_base64_decode,    0 },
	{ "base64_data",      kw_base64_data,      KW_NOVAL },
	{ "tag",              kw_tag,              KW_VAL },
	/* rule_kw_requires.c: evaluated before the other options (rule_parse) */
	{ "requires",         kw_requires,         KW_VAL | KW_ONCE },
};
const uint32_t rule_kw_count = sizeof(rule_kw_table) / sizeof(rule_kw_table[0]);

int rule_errbuf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int rule_err(struct rule_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int rule_parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	s += strspn(s, " \t");
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	end += strspn(end, " \t");
	if (errno || *end != '\0' || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int rule_parse_i32(const char *s, int32_t *out)
{
	char *end;
	long long v;

	s += strspn(s, " \t");
	if (!isdigit((unsigned char)*s) && !(*s == '-' && isdigit((unsigned char)s[1])))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	end += strspn(end, " \t");
	if (errno || *end != '\0' || v > INT32_MAX || v < INT32_MIN)
		return -EINVAL;
	*out = (int32_t)v;
	return 0;
}

char *rule_strtrim(const char *s, size_t len)
{
	char *out;

	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	out = malloc(len + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

char *rule_unquote(const char *s)
{
	size_t len = strlen(s), bs = 0;
	char *out, *o;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return NULL;
	/* the closing quote must not itself be escaped: "\" is an opening
	 * quote and an escaped one, with no closing quote */
	while (bs < len - 2 && s[len - 2 - bs] == '\\')
		bs++;
	if (bs % 2)
		return NULL;
	out = malloc(len);
	if (out == NULL)
		return NULL;
	o = out;
	for (size_t i = 1; i < len - 1; i++) {
		if (s[i] == '\\' && i + 1 < len - 1 && strchr("\";\\:", s[i + 1]))
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

void rule_match_free(struct rule_match *m)
{
	if (m->kind == MATCH_CONTENT) {
		free(m->content.pat);
	} else if (m->kind == MATCH_PCRE) {
		free(m->pcre.expr);
		rule_pcre_code_free(m->pcre.code);
		rule_pcre_captures_free(&m->pcre);
	}
}

void rule_free(struct rule *r)
{
	if (r == NULL)
		return;
	free(r->msg);
	free(r->meta);
	for (uint32_t i = 0; i < r->nsupp; i++) {
		free(r->supp[i].ips.v4);
		free(r->supp[i].ips.v6);
	}
	free(r->supp);
	free(r->decode_event);
	free(r->file);
	free(r->src.v4);
	free(r->src.v6);
	free(r->dst.v4);
	free(r->dst.v6);
	free(r->sp.r);
	free(r->dp.r);
	for (uint32_t i = 0; i < r->nmatch; i++)
		rule_match_free(&r->match[i]);
	free(r->match);
	rule_xchain_free(r);
	rule_file_free(r);
	for (uint32_t i = 0; i < r->nflowbit; i++) {
		for (uint32_t k = 0; k < r->flowbit[i].n; k++)
			free(r->flowbit[i].names[k]);
		free(r->flowbit[i].names);
		free(r->flowbit[i].ids);
	}
	free(r->flowbit);
	for (uint32_t i = 0; i < r->nxbit; i++)
		free(r->xbit[i].name);
	free(r->xbit);
	for (uint32_t i = 0; i < r->nflowint; i++) {
		free(r->flowint[i].name);
		free(r->flowint[i].value_name);
	}
	free(r->flowint);
	rule_varmatch_free(r);
	free(r);
}

static const struct {
	const char *name;
	enum rule_action act;
	enum rule_reject rej;
} actions[] = {
	{ "alert", RULE_ACT_ALERT, REJECT_NONE },
	{ "pass", RULE_ACT_PASS, REJECT_NONE },
	{ "drop", RULE_ACT_DROP, REJECT_NONE },
	{ "reject", RULE_ACT_REJECT, REJECT_SRC },
	{ "rejectsrc", RULE_ACT_REJECT, REJECT_SRC },
	{ "rejectdst", RULE_ACT_REJECT, REJECT_DST },
	{ "rejectboth", RULE_ACT_REJECT, REJECT_BOTH },
};

static const struct {
	const char *name;
	enum rule_proto proto;
	uint32_t flags;
	enum app_proto app;
} protos[] = {
	{ "ip", RULE_PROTO_IP, 0, APP_PROTO_UNKNOWN },
	{ "ipv4", RULE_PROTO_IP, RULE_F_IPV4_ONLY, APP_PROTO_UNKNOWN },
	{ "ip4", RULE_PROTO_IP, RULE_F_IPV4_ONLY, APP_PROTO_UNKNOWN },
	{ "ipv6", RULE_PROTO_IP, RULE_F_IPV6_ONLY, APP_PROTO_UNKNOWN },
	{ "ip6", RULE_PROTO_IP, RULE_F_IPV6_ONLY, APP_PROTO_UNKNOWN },
	/* every packet, IP or not: for decode-event rules */
	{ "pkthdr", RULE_PROTO_IP, RULE_F_PKTHDR, APP_PROTO_UNKNOWN },
	{ "tcp", RULE_PROTO_TCP, 0, APP_PROTO_UNKNOWN },
	{ "tcp-pkt", RULE_PROTO_TCP_PKT, 0, APP_PROTO_UNKNOWN },
	{ "tcp-stream", RULE_PROTO_TCP_STREAM, 0, APP_PROTO_UNKNOWN },
	{ "udp", RULE_PROTO_UDP, 0, APP_PROTO_UNKNOWN },
	{ "icmp", RULE_PROTO_ICMP, 0, APP_PROTO_UNKNOWN },
	{ "icmpv4", RULE_PROTO_ICMPV4, 0, APP_PROTO_UNKNOWN },
	{ "icmpv6", RULE_PROTO_ICMPV6, 0, APP_PROTO_UNKNOWN },
	/* app-layer protocols: tcp or udp flows whose detection found them */
	{ "http", RULE_PROTO_TCP, 0, APP_PROTO_HTTP },
	{ "http1", RULE_PROTO_TCP, 0, APP_PROTO_HTTP },
	{ "tls", RULE_PROTO_TCP, 0, APP_PROTO_TLS },
	{ "dns", RULE_PROTO_IP, 0, APP_PROTO_DNS },
	/* detected only: raw content inspects the flow's TCP stream */
	{ "smtp", RULE_PROTO_TCP, 0, APP_PROTO_SMTP },
	{ "ftp", RULE_PROTO_TCP, 0, APP_PROTO_FTP },
	{ "smb", RULE_PROTO_TCP, 0, APP_PROTO_SMB },
	{ "ssh", RULE_PROTO_TCP, 0, APP_PROTO_SSH },
	{ "dcerpc", RULE_PROTO_TCP, 0, APP_PROTO_DCERPC },
	{ "ftp-data", RULE_PROTO_TCP, 0, APP_PROTO_FTPDATA },
};

/* SMB and DCERPC are detected but not parsed: a rule on one of them may
 * only inspect the stream. Any app-layer buffer or keyword would need the
 * parser: refused, never ignored. SSH has its identification strings
 * parsed, SMTP its mails, FTP its commands (ftpbounce), ftp-data its file
 * (the file keywords): their buffers and keywords are allowed (another
 * protocol's are refused as a mix). */
static int detect_only_finish(struct rule_ctx *c)
{
	const struct rule *r = c->r;
	char name[16];
	size_t i;
	bool app = r->app_has || c->cur_buf >= RULE_BUF_APP_FIRST;

	if (r->app_proto <= APP_PROTO_FTP || r->app_proto == APP_PROTO_SSH ||
	    r->app_proto == APP_PROTO_FTPDATA)
		return 0;
	for (uint32_t m = 0; m < r->nmatch; m++)
		app |= r->match[m].buf >= RULE_BUF_APP_FIRST;
	if (!app)
		return 0;
	snprintf(name, sizeof(name), "%s", rule_app_proto_name((enum app_proto)r->app_proto));
	for (i = 0; name[i]; i++)
		name[i] = (char)toupper((unsigned char)name[i]);
	return rule_err(c, "unsupported app-layer keyword on %s (needs the %s parser)",
			rule_app_proto_name((enum app_proto)r->app_proto), name);
}

/* Next header token; brackets may hold blanks ("[1.2.3.4, 5.6.7.8]"). */
static char *next_token(const char **p, const char *end)
{
	const char *s = *p, *start;
	int level = 0;

	while (s < end && isspace((unsigned char)*s))
		s++;
	start = s;
	while (s < end && (level > 0 || !isspace((unsigned char)*s))) {
		if (*s == '[')
			level++;
		else if (*s == ']')
			level--;
		s++;
	}
	*p = s;
	if (s == start)
		return NULL;
	return rule_strtrim(start, (size_t)(s - start));
}

/* action proto src sp dir dst dp. A Snort 3 rule may leave out the ports
 * (action proto src dir dst) or everything after proto: those match any. */
static int parse_header(struct rule_ctx *c, const char *h, const char *end)
{
	struct rule *r = c->r;
	char *tok[8] = { 0 };
	const char *f[7];
	size_t i, n;
	int rc = -EINVAL;

	for (n = 0; n < 8; n++) {
		tok[n] = next_token(&h, end);
		if (tok[n] == NULL)
			break;
	}
	if (n == 8) {
		rule_err(c, "unexpected text in rule header: '%s'", tok[7]);
		goto out;
	}
	if (n != 7 && !(c->snort3 && (n == 2 || n == 5))) {
		rule_err(c, "incomplete rule header");
		goto out;
	}
	for (i = 0; i < 7; i++)
		f[i] = i == 4 ? "->" : "any";
	f[0] = tok[0];
	f[1] = tok[1];
	if (n == 5) {
		f[2] = tok[2];
		f[4] = tok[3];
		f[5] = tok[4];
	} else if (n == 7) {
		for (i = 2; i < 7; i++)
			f[i] = tok[i];
	}
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(f[0], actions[i].name) == 0)
			break;
	if (i == sizeof(actions) / sizeof(actions[0])) {
		rule_err(c, "unknown action '%s'", f[0]);
		goto out;
	}
	r->action = actions[i].act;
	r->reject = actions[i].rej;
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcasecmp(f[1], protos[i].name) == 0)
			break;
	if (i < sizeof(protos) / sizeof(protos[0])) {
		r->proto = protos[i].proto;
		r->flags |= protos[i].flags;
		r->app_proto = (uint8_t)protos[i].app;
	} else if (c->snort3 && (strcasecmp(f[1], "file") == 0 ||
				 rule_snort3_service(f[1], strlen(f[1])) != APP_PROTO_UNKNOWN)) {
		/* Snort 3 service rules named otherwise here (ssl, netbios-ssn);
		 * a file rule is a tcp rule on any flow */
		r->proto = RULE_PROTO_TCP;
		r->app_proto = (uint8_t)rule_snort3_service(f[1], strlen(f[1]));
	} else {
		rule_err(c, "unsupported protocol '%s'", f[1]);
		goto out;
	}
	if (strcmp(f[4], "<>") == 0) {
		r->flags |= RULE_F_BIDIR;
	} else if (strcmp(f[4], "->") != 0) {
		rule_err(c, "invalid direction '%s'", f[4]);
		goto out;
	}
	if (f[2][0] == '!')
		r->flags |= RULE_F_SRC_NEGATED;
	if (f[5][0] == '!')
		r->flags |= RULE_F_DST_NEGATED;
	rc = rule_parse_addr(c->env, f[2], &r->src, c->err, c->errlen);
	if (!rc)
		rc = rule_parse_ports(c->env, f[3], &r->sp, c->err, c->errlen);
	if (!rc)
		rc = rule_parse_addr(c->env, f[5], &r->dst, c->err, c->errlen);
	if (!rc)
		rc = rule_parse_ports(c->env, f[6], &r->dp, c->err, c->errlen);
out:
	for (i = 0; i < n && i < 8; i++)
		free(tok[i]);
	return rc;
}

static const struct rule_kw *kw_find(const char *name)
{
	for (uint32_t i = 0; i < rule_kw_count; i++)
		if (strcasecmp(rule_kw_table[i].name, name) == 0)
			return &rule_kw_table[i];
	return NULL;
}

/* One "name[:value]" option, without its ';'. */
static int parse_option(struct rule_ctx *c, const char *opt, size_t len, uint64_t *seen)
{
	const char *colon = memchr(opt, ':', len);
	size_t nlen = colon ? (size_t)(colon - opt) : len;
	char *name = rule_strtrim(opt, nlen), *val = NULL;
	const struct rule_kw *kw;
	int rc = -ENOMEM;

	if (name == NULL)
		return -ENOMEM;
	if (colon) {
		val = rule_strtrim(colon + 1, len - nlen - 1);
		if (val == NULL)
			goto out;
	}
	if (c->snort3) {
		rc = rule_snort3_option(c, name, val);
		if (rc == 0)
			rc = rule_b64_check(c);
		if (rc != -ENOENT)
			goto out;
	}
	kw = kw_find(name);
	if (kw == NULL) {
		rc = rule_kw_applayer(c, name, val);
		if (rc == -ENOENT)
			rc = rule_kw_file(c, name, val);
		if (rc == 0)
			rc = rule_b64_check(c);
		if (rc != -ENOENT)
			goto out;
		rc = name[0] ? rule_err(c, "unsupported keyword '%s'", name)
			     : rule_err(c, "empty rule option");
		goto out;
	}
	if ((kw->flags & KW_NOVAL) && val) {
		rc = rule_err(c, "keyword '%s' takes no value", kw->name);
		goto out;
	}
	if ((kw->flags & KW_VAL) && (val == NULL || val[0] == '\0')) {
		rc = rule_err(c, "keyword '%s' needs a value", kw->name);
		goto out;
	}
	if (kw->flags & KW_ONCE) {
		size_t idx = (size_t)(kw - rule_kw_table);
		uint64_t bit = 1ull << (idx % 64);

		if (seen[idx / 64] & bit) {
			rc = rule_err(c, "duplicate keyword '%s'", kw->name);
			goto out;
		}
		seen[idx / 64] |= bit;
	}
	rc = kw->parse(c, val);
	if (rc == 0)
		rc = rule_b64_check(c);
out:
	free(name);
	free(val);
	return rc;
}

/* The next option at *p (before end) (rule-int.h). Options end at a ';'
 * not escaped by '\'; quotes do not protect, as in Suricata (and Snort),
 * so a literal ';' in content must be written \; or |3B|. */
int rule_next_option(const char **p, const char *end, const char **opt, size_t *len)
{
	const char *s, *q = *p;

	while (q < end && isspace((unsigned char)*q))
		q++;
	if (q == end)
		return 0;
	for (s = q; s < end && *s != ';'; s++)
		if (*s == '\\' && s + 1 < end)
			s++;
	if (s == end)
		return -EINVAL;
	*opt = q;
	*len = (size_t)(s - q);
	*p = s + 1;
	return 1;
}

static int parse_options(struct rule_ctx *c, const char *p, const char *end)
{
	uint64_t seen[2] = { 0 };
	const char *opt;
	size_t len;
	int more;

	BUG_ON(rule_kw_count > 128);
	while ((more = rule_next_option(&p, end, &opt, &len)) > 0) {
		int rc = parse_option(c, opt, len, seen);

		if (rc)
			return rc;
	}
	return more < 0 ? rule_err(c, "missing ';' after the last option") : 0;
}

/* Suricata reads "requires" before the other options: a rule whose
 * requirements this engine does not meet is skipped whatever else it
 * holds. 0: met (or none), 1: skipped (err says why), -EINVAL: a requires
 * that does not parse (err says why). */
static int requires_first(struct rule_ctx *c, const char *p, const char *end)
{
	static const char name[] = "requires";
	const char *opt;
	size_t len;

	while (rule_next_option(&p, end, &opt, &len) > 0) {
		char *val;
		int rc;

		if (len < sizeof(name) - 1 || strncasecmp(opt, name, sizeof(name) - 1) != 0)
			continue;
		val = rule_strtrim(opt + sizeof(name) - 1, len - (sizeof(name) - 1));
		if (val == NULL)
			return rule_err(c, "out of memory");
		/* "requires" alone or "requires: ...", not "requiresfoo" */
		if (val[0] != '\0' && val[0] != ':') {
			free(val);
			continue;
		}
		rc = rule_requires_check(val[0] ? val + 1 : val, c->err, c->errlen);
		free(val);
		if (rc)
			return rc;
	}
	return 0;
}

struct rule *rule_parse(const struct rule_env *env, const char *text, char *err, size_t errlen)
{
	return rule_parse_ex(env, text, err, errlen, NULL);
}

struct rule *rule_parse_ex(const struct rule_env *env, const char *text, char *err,
			   size_t errlen, bool *skipped)
{
	struct rule *r = calloc(1, sizeof(*r));
	struct rule_ctx c = { .env = env, .r = r, .err = err, .errlen = errlen,
			      .last_content = -1 };
	const char *open, *close, *end;
	const char *sname, *desc;
	uint32_t prio;
	int rc;

	if (skipped != NULL)
		*skipped = false;
	if (r == NULL) {
		rule_errbuf(err, errlen, "out of memory");
		return NULL;
	}
	r->gid = 1;
	r->fp_index = -1;
	open = strchr(text, '(');
	close = strrchr(text, ')');
	if (open == NULL || close == NULL || close < open) {
		rule_errbuf(err, errlen, "rule options must be enclosed in '(' and ')'");
		goto fail;
	}
	for (end = close + 1; *end; end++) {
		if (!isspace((unsigned char)*end)) {
			rule_errbuf(err, errlen, "unexpected text after ')'");
			goto fail;
		}
	}
	rc = requires_first(&c, open + 1, close);
	if (rc > 0 && skipped != NULL)
		*skipped = true;
	if (rc)
		goto fail;
	c.snort3 = rule_snort3_detect(text, open, close);
	if (c.snort3) {
		r->flags |= RULE_F_SNORT3;
		rule_snort3_prescan(&c, open + 1, close);
	}
	if (parse_header(&c, text, open) || parse_options(&c, open + 1, close) ||
	    rule_payload_validate(&c) || detect_only_finish(&c) || rule_applayer_finish(&c) ||
	    (c.snort3 && rule_snort3_finish(&c)) || rule_b64_finish(&c))
		goto fail;
	if (!c.have_sid) {
		rule_errbuf(err, errlen, "missing sid");
		goto fail;
	}
	if (c.seen_prio)
		r->priority = c.seen_prio;
	else if (r->classtype && rule_env_class(env, r->classtype, &sname, &desc, &prio))
		r->priority = prio;
	else
		r->priority = 3;
	return r;
fail:
	rule_free(r);
	return NULL;
}

/* A keyword option's next field (rule-int.h). */
bool rule_next_field(const char **s, char *out, size_t outlen)
{
	const char *p = *s, *end, *next;
	size_t n;

	if (*p == '\0')
		return false;
	end = strchr(p, ',');
	if (end == NULL)
		end = p + strlen(p);
	next = *end ? end + 1 : end;
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - p);
	if (n >= outlen)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	*s = next;
	return true;
}
