// SPDX-License-Identifier: MIT
/* Rule parser: header algebra, every keyword, validation messages, files,
 * and (when present) the ET Open corpus. Run with workdir tests/unit. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"
#include "check.h"

#define ET_DIR "../../../shared/corpus/rules/et-open-suricata-5.0-2024-04-21"

static struct rule_env *env;
static char err[512];

static struct rule *ok(const char *text)
{
	struct rule *r = rule_parse(env, text, err, sizeof(err));

	if (r == NULL)
		fprintf(stderr, "unexpected failure: %s\n  rule: %s\n", err, text);
	CHECK(r != NULL);
	return r;
}

/* Asserts the rule fails with exactly this reason. */
#define FAILS(text, reason) do { \
	struct rule *r_ = rule_parse(env, text, err, sizeof(err)); \
	CHECK(r_ == NULL); \
	rule_free(r_); \
	CHECK_STR(reason, r_ ? "(parsed)" : err); \
} while (0)

/* "lo-hi,lo-hi" for both families, v4 first. */
static const char *addrs(const struct addr_set *s)
{
	static char buf[1024];
	size_t o = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < s->n4 + s->n6; i++) {
		const struct addr_range *r = i < s->n4 ? &s->v4[i] : &s->v6[i - s->n4];
		int fam = i < s->n4 ? AF_INET : AF_INET6;
		char a[64], b[64];

		inet_ntop(fam, r->lo.b, a, sizeof(a));
		inet_ntop(fam, r->hi.b, b, sizeof(b));
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s-%s", i ? "," : "", a, b);
	}
	return buf;
}

static const char *ports(const struct port_set *s)
{
	static char buf[512];
	size_t o = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < s->n; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u-%u", i ? "," : "",
				      s->r[i].lo, s->r[i].hi);
	return buf;
}

/* Parses "alert ip SRC any -> any any (sid:1;)" and returns the src set text. */
static const char *src_of(const char *src)
{
	static char out[1024];
	char text[2048];
	struct rule *r;

	snprintf(text, sizeof(text), "alert ip %s any -> any any (sid:1;)", src);
	r = rule_parse(env, text, err, sizeof(err));
	if (r == NULL)
		return err;
	snprintf(out, sizeof(out), "%s%s", r->src.any ? "any:" : "", addrs(&r->src));
	rule_free(r);
	return out;
}

static const char *dp_of(const char *dp)
{
	static char out[512];
	char text[1024];
	struct rule *r;

	snprintf(text, sizeof(text), "alert tcp any any -> any %s (sid:1;)", dp);
	r = rule_parse(env, text, err, sizeof(err));
	if (r == NULL)
		return err;
	snprintf(out, sizeof(out), "%s%s", r->dp.any ? "any:" : "", ports(&r->dp));
	rule_free(r);
	return out;
}

static void test_header(void)
{
	struct rule *r;

	r = ok("alert tcp $HOME_NET any -> $EXTERNAL_NET $HTTP_PORTS (msg:\"x\"; sid:10;)");
	if (r) {
		CHECK_INT(RULE_ACT_ALERT, r->action);
		CHECK_INT(RULE_PROTO_TCP, r->proto);
		CHECK_INT(0, r->flags);
		CHECK_STR("10.0.0.0-10.255.255.255,172.16.0.0-172.31.255.255,"
			  "192.168.0.0-192.168.255.255", addrs(&r->src));
		CHECK_STR("0.0.0.0-9.255.255.255,11.0.0.0-172.15.255.255,"
			  "172.32.0.0-192.167.255.255,192.169.0.0-255.255.255.255,"
			  "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", addrs(&r->dst));
		CHECK(!r->dst.any);
		CHECK(r->sp.any);
		CHECK_STR("0-65535", ports(&r->sp));
		CHECK_STR("80-80", ports(&r->dp));
		CHECK_INT(1, r->gid);
		CHECK_INT(10, r->sid);
		CHECK_INT(0, r->rev);
		CHECK_INT(3, r->priority);
		CHECK_INT(-1, r->fp_index);
		CHECK_STR("x", r->msg);
		rule_free(r);
	}
	static const struct { const char *a; int act, rej; } acts[] = {
		{ "pass", RULE_ACT_PASS, REJECT_NONE }, { "drop", RULE_ACT_DROP, REJECT_NONE },
		{ "reject", RULE_ACT_REJECT, REJECT_SRC },
		{ "rejectsrc", RULE_ACT_REJECT, REJECT_SRC },
		{ "rejectdst", RULE_ACT_REJECT, REJECT_DST },
		{ "rejectboth", RULE_ACT_REJECT, REJECT_BOTH },
	};
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		char t[128];

		snprintf(t, sizeof(t), "%s udp any any <> any any (sid:1;)", acts[i].a);
		r = ok(t);
		if (r) {
			CHECK_INT(acts[i].act, r->action);
			CHECK_INT(acts[i].rej, r->reject);
			CHECK_INT(RULE_PROTO_UDP, r->proto);
			CHECK_INT(RULE_F_BIDIR, r->flags);
			rule_free(r);
		}
	}
	static const struct { const char *p; int proto; uint32_t flags; } protos[] = {
		{ "ip", RULE_PROTO_IP, 0 }, { "ipv4", RULE_PROTO_IP, RULE_F_IPV4_ONLY },
		{ "ipv6", RULE_PROTO_IP, RULE_F_IPV6_ONLY }, { "tcp-pkt", RULE_PROTO_TCP_PKT, 0 },
		{ "tcp-stream", RULE_PROTO_TCP_STREAM, 0 }, { "icmp", RULE_PROTO_ICMP, 0 },
		{ "icmpv4", RULE_PROTO_ICMPV4, 0 }, { "icmpv6", RULE_PROTO_ICMPV6, 0 },
	};
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		char t[128];

		snprintf(t, sizeof(t), "alert %s any any -> any any (sid:1;)", protos[i].p);
		r = ok(t);
		if (r) {
			CHECK_INT(protos[i].proto, r->proto);
			CHECK_INT(protos[i].flags, r->flags);
			rule_free(r);
		}
	}
	r = ok("alert ip !1.2.3.4 any -> ![5.0.0.0/8] any (sid:1;)");
	if (r) {
		CHECK_INT(RULE_F_SRC_NEGATED | RULE_F_DST_NEGATED, r->flags);
		rule_free(r);
	}
	FAILS("alert ftp-dat any any -> any any (sid:1;)", "unsupported protocol 'ftp-dat'");
	FAILS("block tcp any any -> any any (sid:1;)", "unknown action 'block'");
	FAILS("alert tcp any any <- any any (sid:1;)", "invalid direction '<-'");
	FAILS("alert tcp any any -> any (sid:1;)", "incomplete rule header");
	FAILS("alert tcp any any -> any any any (sid:1;)",
	      "unexpected text in rule header: 'any'");
	FAILS("alert tcp any any -> any any sid:1;",
	      "rule options must be enclosed in '(' and ')'");
	FAILS("alert tcp any any -> any any (sid:1;) x", "unexpected text after ')'");
	FAILS("alert tcp any any -> any any (sid:1)", "missing ';' after the last option");
	FAILS("alert tcp any any -> any any (msg:\"x\";)", "missing sid");
}

static void test_addresses(void)
{
	CHECK_STR("1.2.3.4-1.2.3.4", src_of("1.2.3.4"));
	CHECK_STR("10.1.0.0-10.1.255.255", src_of("10.1.2.3/16"));
	CHECK_STR("10.1.0.0-10.1.255.255", src_of("10.1.0.0/255.255.0.0"));
	CHECK_STR("1.1.1.1-1.1.1.9", src_of("1.1.1.1-1.1.1.9"));
	CHECK_STR("2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff", src_of("2001:db8::/48"));
	CHECK_STR("::1-::1", src_of("::1"));
	CHECK_STR("1.2.3.4-1.2.3.5,::1-::1", src_of("[1.2.3.5, ::1,1.2.3.4]"));
	CHECK_STR("any:0.0.0.0-255.255.255.255,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		  src_of("any"));
	/* positives minus negatives */
	CHECK_STR("10.0.0.0-10.0.255.255,10.2.0.0-10.255.255.255",
		  src_of("[10.0.0.0/8,!10.1.0.0/16]"));
	/* only negations: everything minus them */
	CHECK_STR("0.0.0.0-9.255.255.255,11.0.0.0-255.255.255.255,"
		  "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", src_of("!10.0.0.0/8"));
	CHECK_STR("0.0.0.0-0.255.255.255,3.0.0.0-255.255.255.255,"
		  "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", src_of("![1.0.0.0/8,2.0.0.0/8]"));
	/* nested lists with a negation inside a negation */
	CHECK_STR("1.0.0.0-1.1.255.255,1.2.3.0-1.2.3.255,1.3.0.0-1.255.255.255",
		  src_of("[1.0.0.0/8,![1.2.0.0/16,!1.2.3.0/24]]"));
	CHECK_STR("192.168.0.0-192.168.0.255",
		  src_of("[$HOME_NET,!$EXTERNAL_NET,![10.0.0.0/8,172.16.0.0/12,"
			 "192.168.1.0-192.168.255.255]]"));
	CHECK_STR("no addresses left after negation: '[1.2.3.4,!1.2.3.0/24]'",
		  src_of("[1.2.3.4,!1.2.3.0/24]"));
	CHECK_STR("'!any' is not allowed", src_of("!any"));
	CHECK_STR("invalid address: '1.2.3.256'", src_of("1.2.3.256"));
	CHECK_STR("invalid address: '1.2.3.0/33'", src_of("1.2.3.0/33"));
	CHECK_STR("invalid netmask: '1.2.3.0/255.0.255.0'", src_of("1.2.3.0/255.0.255.0"));
	CHECK_STR("invalid address range: '1.2.3.9-1.2.3.1'", src_of("1.2.3.9-1.2.3.1"));
	CHECK_STR("unbalanced brackets: '1.2.3.4]'", src_of("1.2.3.4]"));
	CHECK_STR("empty address in list", src_of("[1.2.3.4,]"));
	CHECK_STR("unknown variable '$NOPE'", src_of("$NOPE"));

	CHECK_INT(0, rule_env_set_var(env, 'a', "CYC_A", "[1.2.3.4,$CYC_B]", err, sizeof(err)));
	CHECK_INT(0, rule_env_set_var(env, 'a', "CYC_B", "$CYC_A", err, sizeof(err)));
	CHECK_STR("variable cycle at '$CYC_A'", src_of("$CYC_A"));
	CHECK_INT(0, rule_env_set_var(env, 'a', "NET2", "[$NET1,5.5.5.5]", err, sizeof(err)));
	CHECK_INT(0, rule_env_set_var(env, 'a', "NET1", "4.4.4.4", err, sizeof(err)));
	CHECK_STR("4.4.4.4-4.4.4.4,5.5.5.5-5.5.5.5", src_of("$NET2"));
	CHECK_INT(-EINVAL, rule_env_set_var(env, 'a', "BAD", "[1.2.3.4", err, sizeof(err)));
	CHECK_STR("unbalanced brackets in variable 'BAD'", err);
	CHECK_INT(-EINVAL, rule_env_set_var(env, 'p', "a b", "80", err, sizeof(err)));
	CHECK_STR("invalid variable name 'a b'", err);
	CHECK_STR("0.0.0.0-9.255.255.255,11.0.0.0-172.15.255.255,172.32.0.0-192.167.255.255,"
		  "192.169.0.0-255.255.255.255,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		  src_of("$AIM_SERVERS"));

	/* ports */
	CHECK_STR("80-80", dp_of("80"));
	CHECK_STR("1024-65535", dp_of("1024:"));
	CHECK_STR("0-1024", dp_of(":1024"));
	CHECK_STR("80-90", dp_of("80:90"));
	CHECK_STR("0-79,81-65535", dp_of("$SHELLCODE_PORTS"));
	CHECK_STR("80-80,110-110,143-143", dp_of("$FILE_DATA_PORTS"));
	CHECK_STR("21-21,80-80,1000-1999,2001-2999", dp_of("[80,21,[1000:2999,!2000]]"));
	CHECK_STR("0-21,23-65535", dp_of("![22]"));
	CHECK_STR("any:0-65535", dp_of("[0:100,101:]"));
	CHECK_STR("no ports left after negation: '[80,!80]'", dp_of("[80,!80]"));
	CHECK_STR("invalid port: '65536'", dp_of("65536"));
	CHECK_STR("invalid port range: '90:80'", dp_of("90:80"));
	CHECK_STR("invalid port range: ':'", dp_of(":"));
	CHECK_STR("unknown variable '$HOME_NET'", dp_of("$HOME_NET"));
	CHECK_STR("3544-3544", dp_of("$TEREDO_PORTS"));
}

static const struct rule_content *content(const struct rule *r, uint32_t i)
{
	CHECK(i < r->nmatch && r->match[i].kind == MATCH_CONTENT);
	return &r->match[i].content;
}

static void test_content(void)
{
	struct rule *r = ok("alert tcp any any -> any any ("
			    "content:\"a|20 3b|b\\\"\\;\\\\\\:|ff|\"; "
			    "nocase; offset:2; depth:20; content:!\"xyz\"; distance:-3; within:10; "
			    "content:\"abcdef\"; fast_pattern:2,3; rawbytes; content:\"q\"; "
			    "startswith; endswith; sid:5;)");

	if (r) {
		const struct rule_content *c = content(r, 0);

		CHECK_INT(4, r->nmatch);
		CHECK_INT(9, c->len);
		CHECK(memcmp(c->pat, "a ;b\";\\:\xff", 9) == 0);
		CHECK_INT(CONTENT_NOCASE | CONTENT_OFFSET | CONTENT_DEPTH, c->flags);
		CHECK_INT(2, c->offset);
		CHECK_INT(20, c->depth);
		c = content(r, 1);
		CHECK_INT(CONTENT_NEGATED | CONTENT_DISTANCE | CONTENT_WITHIN, c->flags);
		CHECK_INT(-3, c->distance);
		CHECK_INT(10, c->within);
		c = content(r, 2);
		CHECK_INT(CONTENT_FAST_PATTERN | CONTENT_FP_CHOP | CONTENT_RAWBYTES, c->flags);
		CHECK_INT(2, c->fp_off);
		CHECK_INT(3, c->fp_len);
		c = content(r, 3);
		CHECK_INT(CONTENT_STARTSWITH | CONTENT_ENDSWITH, c->flags);
		CHECK_INT(RULE_BUF_PAYLOAD, r->match[3].buf);
		rule_free(r);
	}
	r = ok("alert tcp any any -> any any (content:\"abc\"; fast_pattern:only; pkt_data; "
	       "content:\"d\"; sid:1;)");
	if (r) {
		CHECK_INT(CONTENT_FAST_PATTERN | CONTENT_FP_ONLY, content(r, 0)->flags);
		CHECK_INT(0, content(r, 1)->flags);
		rule_free(r);
	}
#define T(opts) "alert tcp any any -> any any (" opts " sid:1;)"
	FAILS(T("nocase;"), "nocase needs a preceding content");
	FAILS(T("depth:3;"), "depth needs a preceding content");
	FAILS(T("content:\"a\"; nocase; nocase;"), "duplicate nocase for the same content");
	FAILS(T("content:\"a\"; depth:1; depth:2;"), "duplicate depth for the same content");
	FAILS(T("content:\"abcde\"; depth:3;"), "depth smaller than content length: 3 < 5");
	FAILS(T("content:\"abcde\"; within:4;"), "within smaller than content length: 4 < 5");
	FAILS(T("content:\"a\"; offset:1; distance:2;"),
	      "can't mix offset/depth with distance/within on one content");
	FAILS(T("content:\"a\"; offset:-1;"), "invalid offset: '-1'");
	FAILS(T("content:\"a\"; depth:-1;"), "invalid depth: '-1'");
	FAILS(T("content:\"a\"; depth:x;"), "unknown byte_extract variable 'x'");
	FAILS(T("content:\"a\"; startswith; offset:1;"),
	      "startswith can't be mixed with offset, depth, distance or within");
	FAILS(T("content:!\"a\"; fast_pattern:only;"),
	      "fast_pattern:only can't be used on a negated content");
	FAILS(T("content:\"a\"; fast_pattern:only; within:4;"),
	      "fast_pattern:only can't be used with offset, depth, distance or within");
	FAILS(T("content:!\"a\"; fast_pattern; depth:4;"),
	      "fast_pattern can't be used on a negated content with offset, depth, distance or "
	      "within");
	FAILS(T("content:\"a\"; fast_pattern; content:\"b\"; fast_pattern;"),
	      "fast_pattern can be used on only one content per buffer");
	FAILS(T("content:\"abc\"; fast_pattern:2,2;"),
	      "fast_pattern chop beyond the content: 2,2 with length 3");
	FAILS(T("content:\"abc\"; fast_pattern:x;"), "invalid fast_pattern argument: 'x'");
	FAILS(T("content:\"\";"), "content is empty");
	FAILS(T("content:abc;"), "content must be a quoted string");
	FAILS(T("content:\"|4|\";"), "invalid content: odd number of hex digits");
	FAILS(T("content:\"|4g|\";"), "invalid content: bad hex character 'g'");
	FAILS(T("content:\"|41\";"), "invalid content: unterminated hex block");
	FAILS(T("content:\"a\\x\";"), "invalid content: bad escape sequence");
	FAILS(T("content:\"a\"b\";"), "invalid content: unescaped '\"'");
	FAILS(T("content:\"a\"; nocase:1;"), "keyword 'nocase' takes no value");
	FAILS(T("content;"), "keyword 'content' needs a value");
}

static void test_pcre(void)
{
	struct rule *r = ok(T("content:\"x\"; pcre:\"/a\\;b(c)?/ismxAEGRBO\"; "
			      "pcre:!\"/^\\d+$/\";"));

	if (r) {
		CHECK_INT(3, r->nmatch);
		CHECK_INT(MATCH_PCRE, r->match[1].kind);
		CHECK_STR("a\\;b(c)?", r->match[1].pcre.expr);
		CHECK_INT(PCRE_F_RELATIVE | PCRE_F_RAWBYTES, r->match[1].pcre.flags);
		CHECK(r->match[1].pcre.pcre2_opts != 0);
		CHECK(r->match[1].pcre.code != NULL);
		CHECK_INT(PCRE_F_NEGATED, r->match[2].pcre.flags);
		CHECK_STR("^\\d+$", r->match[2].pcre.expr);
		rule_free(r);
	}
	FAILS(T("pcre:\"/a/q\";"), "unknown pcre flag 'q'");
	FAILS(T("pcre:\"/a/z\";"), "unknown pcre flag 'z'");
	FAILS(T("pcre:\"/a(/\";"), "pcre compile error: missing closing parenthesis at offset 2");
	FAILS(T("pcre:\"abc\";"), "pcre must be a quoted \"/expression/flags\"");
	FAILS(T("pcre:/abc;"), "pcre must be a quoted \"/expression/flags\"");
	/* the bare form Suricata also takes */
	r = ok(T("pcre:/(one){2,}/Ui;"));
	if (r) {
		CHECK_INT(1, r->nmatch);
		CHECK_STR("(one){2,}", r->match[0].pcre.expr);
		CHECK_INT(RULE_BUF_HTTP_URI, r->match[0].buf);
		CHECK(r->match[0].pcre.code != NULL);
		rule_free(r);
	}
}

/* An escaped quote is not a closing quote; an escaped backslash before
 * the closing quote is. */
static void test_escaped_quote(void)
{
	struct rule *r;

	FAILS("alert tcp any any -> any any (msg:\"\\\"; sid:2;)",
	      "msg is missing its closing quote");
	FAILS("alert tcp any any -> any any (msg:\"a\\\\\\\"; sid:2;)",
	      "msg is missing its closing quote");
	r = ok("alert tcp any any -> any any (msg:\"a\\\\\"; sid:2;)");
	if (r)
		CHECK_STR("a\\", r->msg);
	rule_free(r);
}

static void test_meta(void)
{
	struct rule *r = ok("alert tcp any any -> any any (msg:\"a \\\"q\\\" \\; \\\\ b\"; "
			    "gid:3; sid:7; rev:9; classtype:trojan-activity; "
			    "reference:url,example.com; reference:cve,2020-1; "
			    "metadata:created_at 2020, tag x; target:dest_ip; prefilter;)");

	if (r) {
		CHECK_STR("a \"q\" ; \\ b", r->msg);
		CHECK_INT(3, r->gid);
		CHECK_INT(7, r->sid);
		CHECK_INT(9, r->rev);
		CHECK_STR("trojan-activity", r->classtype);
		CHECK_STR("A Network Trojan was detected", r->class_desc);
		CHECK_INT(1, r->priority);
		rule_free(r);
	}
	r = ok(T("classtype:misc-activity; priority:1;"));
	if (r) {
		CHECK_INT(1, r->priority);
		rule_free(r);
	}
	r = ok(T("priority:2; classtype:bad-unknown;"));
	if (r) {
		CHECK_INT(2, r->priority);
		CHECK_STR("Potentially Bad Traffic", r->class_desc);
		rule_free(r);
	}
	r = ok(T("classtype:misc-activity;"));
	if (r) {
		CHECK_INT(3, r->priority);
		rule_free(r);
	}
	FAILS(T("classtype:xyz;"), "unknown classtype 'xyz'");
	FAILS(T("reference:foo,bar;"), "unknown reference type 'foo'");
	FAILS(T("reference:foo;"), "invalid reference: 'foo'");
	FAILS(T("priority:0;"), "invalid priority: '0'");
	FAILS(T("target:both;"), "invalid target 'both'");
	FAILS("alert tcp any any -> any any (sid:1; sid:2;)", "duplicate keyword 'sid'");
	FAILS("alert tcp any any -> any any (sid:0;)", "invalid sid: '0'");
	FAILS("alert tcp any any -> any any (sid:1x;)", "invalid sid: '1x'");
	FAILS(T("smb.share;"), "unsupported keyword 'smb.share'");
	FAILS(T("content:\"a\"; byte_test:1,>,2;"),
	      "byte_test needs bytes, operator, value and offset");
	FAILS(T("flags:X;"), "invalid flags: 'X'");
}

static void test_packet_kw(void)
{
	struct rule *r = ok(T("flow:established,to_server; dsize:>10; ttl:<=64; itype:8; "
			      "icode:1<>5; ip_proto:!tcp;"));

	if (r) {
		CHECK_INT(RULE_FLOW_ESTABLISHED | RULE_FLOW_TOSERVER, r->flow_flags);
		CHECK_INT(RULE_HAS_DSIZE | RULE_HAS_TTL | RULE_HAS_ITYPE | RULE_HAS_ICODE |
			  RULE_HAS_IPPROTO, r->has);
		CHECK_INT(U32_GT, r->dsize.op);
		CHECK_INT(10, r->dsize.a);
		CHECK_INT(U32_LE, r->ttl.op);
		CHECK_INT(64, r->ttl.a);
		CHECK_INT(U32_EQ, r->itype.op);
		CHECK_INT(8, r->itype.a);
		CHECK_INT(U32_RANGE, r->icode.op);
		CHECK_INT(1, r->icode.a);
		CHECK_INT(5, r->icode.b);
		CHECK_INT(6, r->ip_proto);
		CHECK(r->ip_proto_neg);
		rule_free(r);
	}
	static const struct { const char *s; int op; uint32_t a, b; } cmps[] = {
		{ "5", U32_EQ, 5, 0 }, { "<5", U32_LT, 5, 0 }, { ">=5", U32_GE, 5, 0 },
		{ "!5", U32_NE, 5, 0 }, { "!=5", U32_NE, 5, 0 }, { "3-9", U32_RANGE, 3, 9 },
		{ " 3 <> 9 ", U32_RANGE, 3, 9 }, { "=7", U32_EQ, 7, 0 },
		/* every Suricata 7 form (rust detect/uint.rs): blanks after the
		 * operator and around a range's separator, bounds that can hold */
		{ "= 7", U32_EQ, 7, 0 }, { "> 5", U32_GT, 5, 0 }, { "<= 65534", U32_LE, 65534, 0 },
		{ ">=1", U32_GE, 1, 0 }, { "<1", U32_LT, 1, 0 }, { "! 0", U32_NE, 0, 0 },
		{ "0-2", U32_RANGE, 0, 2 }, { "0 - 65535", U32_RANGE, 0, 65535 },
		{ "1<>3 ", U32_RANGE, 1, 3 }, { "65535", U32_EQ, 65535, 0 }, { ">65534", U32_GT, 65534, 0 },
	};
	for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		char t[128];

		snprintf(t, sizeof(t), "alert tcp any any -> any any (dsize:%s; sid:1;)",
			 cmps[i].s);
		r = ok(t);
		if (r) {
			CHECK_INT(cmps[i].op, r->dsize.op);
			CHECK_INT(cmps[i].a, r->dsize.a);
			CHECK_INT(cmps[i].b, r->dsize.b);
			rule_free(r);
		}
	}
	FAILS(T("dsize:5-6;"), "invalid dsize: '5-6'");
	/* what no value, or every value, satisfies; forms Suricata 7 does not know */
	FAILS(T("dsize:<0;"), "invalid dsize: '<0'");
	FAILS(T("dsize:>=0;"), "invalid dsize: '>=0'");
	FAILS(T("dsize:<=65535;"), "invalid dsize: '<=65535'");
	FAILS(T("dsize:>65535;"), "invalid dsize: '>65535'");
	FAILS(T("dsize:9-3;"), "invalid dsize: '9-3'");
	FAILS(T("dsize:!1-5;"), "invalid dsize: '!1-5'");
	FAILS(T("dsize:0x10;"), "invalid dsize: '0x10'");
	FAILS(T("dsize:5 6;"), "invalid dsize: '5 6'");
	FAILS(T("dsize:=>5;"), "invalid dsize: '=>5'");
	FAILS(T("dsize:70000;"), "invalid dsize: '70000'");
	FAILS(T("ttl:256;"), "invalid ttl: '256'");
	FAILS(T("itype:<0;"), "invalid itype: '<0'");
	FAILS(T("ip_proto:fish;"), "invalid ip_proto: 'fish'");
	FAILS(T("ip_proto:<6;"), "unsupported ip_proto comparison '<'");
	r = ok(T("ip_proto:ipv6-icmp;"));
	if (r) {
		CHECK_INT(58, r->ip_proto);
		CHECK(!r->ip_proto_neg);
		rule_free(r);
	}
	r = ok(T("flow:from_server,not_established,no_stream;"));
	if (r) {
		CHECK_INT(RULE_FLOW_TOCLIENT | RULE_FLOW_NOT_ESTABLISHED | RULE_FLOW_NO_STREAM,
			  r->flow_flags);
		rule_free(r);
	}
	r = ok(T("flow:stateless,only_stream;"));
	if (r) {
		CHECK_INT(RULE_FLOW_STATELESS | RULE_FLOW_ONLY_STREAM, r->flow_flags);
		rule_free(r);
	}
	FAILS(T("flow:to_server,to_client;"), "conflicting flow option 'to_client'");
	FAILS(T("flow:established,stateless;"), "conflicting flow option 'stateless'");
	FAILS(T("flow:only_stream,no_stream;"), "conflicting flow option 'no_stream'");
	FAILS(T("flow:to_server,from_client;"), "duplicate flow option 'from_client'");
	FAILS(T("flow:sideways;"), "invalid flow option 'sideways'");
	FAILS(T("flow:only_frag;"), "unsupported flow option 'only_frag'");

	r = ok(T("flowbits:set,a&b; flowbits:isset, x|y |z; flowbits:noalert; "
		 "threshold:type both, track by_dst, count 5, seconds 60;"));
	if (r) {
		CHECK_INT(3, r->nflowbit);
		CHECK_INT(FB_SET, r->flowbit[0].op);
		CHECK_INT(2, r->flowbit[0].n);
		CHECK_STR("a", r->flowbit[0].names[0]);
		CHECK_STR("b", r->flowbit[0].names[1]);
		CHECK_INT(RULE_FLOWBIT_UNRESOLVED, r->flowbit[0].ids[0]);
		CHECK_INT(FB_ISSET, r->flowbit[1].op);
		CHECK_INT(3, r->flowbit[1].n);
		CHECK_STR("z", r->flowbit[1].names[2]);
		CHECK_INT(FB_NOALERT, r->flowbit[2].op);
		CHECK_INT(0, r->flowbit[2].n);
		CHECK_INT(RULE_F_NOALERT, r->flags);
		CHECK_INT(THRESH_BOTH, r->threshold.type);
		CHECK_INT(TRACK_BY_DST, r->threshold.track);
		CHECK_INT(5, r->threshold.count);
		CHECK_INT(60, r->threshold.seconds);
		rule_free(r);
	}
	r = ok(T("noalert; detection_filter:track by_flow,count 2,seconds 1;"));
	if (r) {
		CHECK_INT(RULE_F_NOALERT, r->flags);
		CHECK_INT(THRESH_DETECTION_FILTER, r->threshold.type);
		CHECK_INT(TRACK_BY_FLOW, r->threshold.track);
		CHECK_INT(2, r->threshold.count);
		CHECK_INT(1, r->threshold.seconds);
		rule_free(r);
	}
	r = ok(T("threshold: seconds 10, count 1, track by_rule, type limit;"));
	if (r) {
		CHECK_INT(THRESH_LIMIT, r->threshold.type);
		CHECK_INT(TRACK_BY_RULE, r->threshold.track);
		rule_free(r);
	}
	FAILS(T("flowbits:set,a|b;"), "invalid flowbits separator '|'");
	FAILS(T("flowbits:isset,a&b;"), "invalid flowbits separator '&'");
	FAILS(T("flowbits:bump,a;"), "invalid flowbits operation 'bump'");
	FAILS(T("flowbits:isset;"), "flowbits:isset needs a name");
	FAILS(T("flowbits:noalert,a;"), "flowbits:noalert takes no name");
	FAILS(T("flowbits:set,a b;"), "invalid flowbit name 'a b'");
	FAILS(T("threshold:type limit, track by_src, count 1;"),
	      "threshold needs type, track, count and seconds");
	FAILS(T("threshold:type sometimes, track by_src, count 1, seconds 2;"),
	      "invalid threshold type 'sometimes'");
	r = ok(T("threshold:type backoff, track by_flow, count 1, multiplier 10;"));
	if (r) {
		CHECK_INT(THRESH_BACKOFF, r->threshold.type);
		CHECK_INT(TRACK_BY_FLOW, r->threshold.track);
		CHECK_INT(1, r->threshold.count);
		CHECK_INT(10, r->threshold.multiplier);
		rule_free(r);
	}
	FAILS(T("threshold:type backoff, track by_src, count 1, multiplier 10;"),
	      "threshold type backoff needs track by_flow");
	FAILS(T("threshold:type backoff, track by_flow, count 1, seconds 10;"),
	      "threshold type backoff needs track, count and multiplier");
	FAILS(T("threshold:type limit, track by_flow, count 1, multiplier 10;"),
	      "threshold needs type, track, count and seconds");
	FAILS(T("threshold:type backoff, track by_flow, count 1, multiplier 1;"),
	      "invalid threshold multiplier '1'");
	FAILS(T("detection_filter:track by_flow, count 1, multiplier 2;"),
	      "invalid detection_filter item 'multiplier'");
	FAILS(T("threshold:type limit, track by_ip, count 1, seconds 2;"),
	      "invalid threshold track 'by_ip'");
	FAILS(T("detection_filter:type limit, track by_src, count 1, seconds 2;"),
	      "invalid detection_filter item 'type'");
	FAILS(T("detection_filter:track by_src, count 0, seconds 2;"),
	      "invalid detection_filter count '0'");
	FAILS(T("threshold:type limit, track by_src, count 1, seconds 2; "
		"detection_filter:track by_src, count 1, seconds 2;"),
	      "only one threshold or detection_filter per rule");
#undef T
}

/* Reads a whole file into a string. */
static char *slurp(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n)
		s[0] = '\0';
	return s;
}

static uint32_t reason_count(const struct ruleset *rs, const char *reason)
{
	for (uint32_t i = 0; i < rs->nreasons; i++)
		if (strcmp(rs->reasons[i].reason, reason) == 0)
			return rs->reasons[i].count;
	return 0;
}

/* A folder as a rule path: its *.rules files in name order, nothing else;
 * a folder read as one file is an error, not an empty file. */
static void test_folder(void)
{
	char dir[] = "/tmp/test_rules_dir_XXXXXX", path[256], failed[256];
	static const char *const files[][2] = {
		{ "b.rules", "alert tcp any any -> any any (content:\"b\"; sid:2;)\n" },
		{ "a.rules", "alert tcp any any -> any any (content:\"a\"; sid:1;)\n" },
		{ "c.txt", "alert tcp any any -> any any (content:\"c\"; sid:3;)\n" },
		{ ".d.rules", "alert tcp any any -> any any (content:\"d\"; sid:4;)\n" },
	};
	struct ruleset *rs = ruleset_new();
	FILE *f;

	CHECK(rs != NULL && mkdtemp(dir) != NULL);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
		f = fopen(path, "w");
		CHECK(f != NULL);
		if (f) {
			fputs(files[i][1], f);
			fclose(f);
		}
	}
	CHECK_INT(-EISDIR, ruleset_load_file(rs, env, dir, stderr));
	CHECK_INT(0, ruleset_load_path(rs, env, dir, stderr, failed, sizeof(failed)));
	CHECK_INT(2, rs->n);
	if (rs->n == 2) {
		CHECK_INT(1, rs->rules[0]->sid);
		CHECK_INT(2, rs->rules[1]->sid);
	}
	CHECK_INT(-ENOENT, ruleset_load_path(rs, env, "/nonexistent/x.rules", stderr, failed,
					     sizeof(failed)));
	CHECK_STR("/nonexistent/x.rules", failed);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
		unlink(path);
	}
	rmdir(dir);
	ruleset_free(rs);
}

static void test_file(void)
{
	struct ruleset *rs = ruleset_new();
	FILE *errs = tmpfile();
	char *out;

	CHECK(rs != NULL && errs != NULL);
	CHECK_INT(0, ruleset_load_file(rs, env, "rules/mixed.rules", errs));
	out = slurp(errs);
	CHECK_STR("rules/mixed.rules:6: unsupported keyword 'smb.share'\n"
		  "rules/mixed.rules:7: unknown classtype 'xyz'\n"
		  "rules/mixed.rules:9: unsupported keyword 'smb.share'\n"
		  "rules/mixed.rules:13: duplicate signature: 1:1001\n"
		  "rules/mixed.rules:14: depth smaller than content length: 1 < 3\n"
		  "rules/mixed.rules:16: invalid tag direction 'both': src or dst\n", out);
	free(out);
	CHECK_INT(6, rs->nfailed);
	CHECK_INT(5, rs->n);
	CHECK_INT(1, reason_count(rs, "unknown classtype 'xyz'"));
	CHECK_INT(2, reason_count(rs, "unsupported keyword 'smb.share'"));
	CHECK_INT(1, reason_count(rs, "duplicate signature"));
	CHECK_INT(1, reason_count(rs, "depth smaller than content length"));
	CHECK_INT(5, rs->nreasons);
	/* each failure kept one by one, for "idsctl rules failed" */
	CHECK_INT(6, rs->nfailures);
	if (rs->nfailures == 6) {
		CHECK_STR("rules/mixed.rules", rs->failures[0].file);
		CHECK_INT(6, rs->failures[0].line);
		CHECK_STR("unsupported keyword 'smb.share'", rs->failures[0].reason);
		CHECK_INT(13, rs->failures[3].line);
		CHECK_STR("duplicate signature: 1:1001", rs->failures[3].reason);
		CHECK_INT(16, rs->failures[5].line);
	}
	if (rs->n == 5) {
		/* line of the first line of a continued rule */
		CHECK_INT(10, rs->rules[2]->line);
		CHECK_STR("rules/mixed.rules", rs->rules[2]->file);
		CHECK_INT(1003, rs->rules[2]->sid);
		CHECK_INT(2, rs->rules[2]->nmatch);
		/* flowbits interned across rules */
		CHECK_INT(2, rs->flowbits.n);
		CHECK_STR("seen", rs->flowbits.names[0]);
		CHECK_STR("other", rs->flowbits.names[1]);
		CHECK_INT(0, rs->rules[3]->flowbit[0].ids[0]);
		CHECK_INT(0, rs->rules[4]->flowbit[0].ids[0]);
		CHECK_INT(1, rs->rules[4]->flowbit[1].ids[0]);
	}
	rewind(errs);
	ruleset_finalize(rs, errs);
	out = slurp(errs);
	CHECK_STR("rules/mixed.rules:17: warning: flowbit 'other' is checked but never set\n",
		  out);
	free(out);
	/* reasons sorted by count */
	CHECK_STR("unsupported keyword 'smb.share'", rs->reasons[0].reason);
	if (rs->n == 5) {
		/* action first: drop 1004; then the alerts: 1005 checks flowbits (before
		 * rules without any), then by priority 1001 (1), then sid 1002, 1003 */
		CHECK_INT(0, rs->rules[3]->order);
		CHECK_INT(2, rs->rules[0]->order);
		CHECK_INT(3, rs->rules[1]->order);
		CHECK_INT(4, rs->rules[2]->order);
		CHECK_INT(1, rs->rules[4]->order);
	}
	/* action-order alert, drop, reject, pass: the alerts before the drop */
	ruleset_set_action_order(rs, (const enum rule_action[RULE_ACT_MAX]){
		RULE_ACT_ALERT, RULE_ACT_DROP, RULE_ACT_REJECT, RULE_ACT_PASS });
	ruleset_finalize(rs, errs);
	if (rs->n == 5) {
		CHECK_INT(0, rs->rules[4]->order);
		CHECK_INT(1, rs->rules[0]->order);
		CHECK_INT(2, rs->rules[1]->order);
		CHECK_INT(3, rs->rules[2]->order);
		CHECK_INT(4, rs->rules[3]->order);
	}
	fclose(errs);
	ruleset_free(rs);
	rs = ruleset_new();
	CHECK_INT(-ENOENT, ruleset_load_file(rs, env, "rules/none.rules", NULL));
	CHECK_INT(0, rs->n);
	ruleset_free(rs);
}

static void test_config_files(void)
{
	struct rule_env *e = rule_env_new();
	FILE *errs = tmpfile();
	char *out;
	struct rule *r;

	CHECK_INT(0, rule_env_load_classification(e, "rules/classification.config", errs));
	CHECK_INT(0, rule_env_load_references(e, "rules/reference.config", errs));
	out = slurp(errs);
	CHECK_STR("rules/classification.config:5: invalid classification line\n"
		  "rules/reference.config:3: invalid reference line\n", out);
	free(out);
	r = rule_parse(e, "alert ip any any -> any any (classtype:Local-Thing; "
		       "reference:mine,1; sid:1;)", err, sizeof(err));
	CHECK(r != NULL);
	if (r) {
		CHECK_STR("local-thing", r->classtype);
		CHECK_STR("A local thing", r->class_desc);
		CHECK_INT(4, r->priority);
		rule_free(r);
	}
	r = rule_parse(e, "alert ip any any -> any any (classtype:trojan-activity; sid:1;)", err,
		       sizeof(err));
	CHECK(r == NULL);
	CHECK_STR("unknown classtype 'trojan-activity'", err);
	r = rule_parse(e, "alert ip any any -> any any (reference:url,x; sid:1;)", err,
		       sizeof(err));
	CHECK(r == NULL);
	CHECK_STR("unknown reference type 'url'", err);
	CHECK_INT(-ENOENT, rule_env_load_classification(e, "rules/none.config", NULL));
	/* the repository's own copies load cleanly */
	rewind(errs);
	CHECK_INT(0, rule_env_load_classification(e, "../../rules/classification.config", errs));
	CHECK_INT(0, rule_env_load_references(e, "../../rules/reference.config", errs));
	CHECK_INT(0, ftell(errs));
	fclose(errs);
	rule_env_free(e);
}

static int cmp_reason(const void *a, const void *b)
{
	const struct ruleset_reason *x = a, *y = b;

	return x->count != y->count ? (x->count > y->count ? -1 : 1) : 0;
}

/* Every failure of the corpus must be a feature this parser leaves out, not
 * a supported keyword it misreads. */
static bool reason_is_unsupported(const char *reason)
{
	return strncmp(reason, "unsupported ", 12) == 0;
}

static void test_et_open(void)
{
	DIR *d = opendir(ET_DIR);
	struct ruleset *rs;
	struct dirent *de;
	struct rule_env *e;
	FILE *errs;
	char path[1024];
	uint32_t files = 0;

	if (d == NULL) {
		printf("rules: %s not present, corpus test skipped\n", ET_DIR);
		return;
	}
	e = rule_env_new();
	rs = ruleset_new();
	errs = tmpfile();
	rule_env_set_default_vars(e);
	snprintf(path, sizeof(path), "%s/classification.config", ET_DIR);
	CHECK_INT(0, rule_env_load_classification(e, path, errs));
	snprintf(path, sizeof(path), "%s/reference.config", ET_DIR);
	CHECK_INT(0, rule_env_load_references(e, path, errs));
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 6, ".rules") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", ET_DIR, de->d_name);
		CHECK_INT(0, ruleset_load_file(rs, e, path, errs));
		files++;
	}
	closedir(d);
	ruleset_finalize(rs, NULL);
	if (rs->nreasons > 0)
		qsort(rs->reasons, rs->nreasons, sizeof(rs->reasons[0]), cmp_reason);
	printf("rules: ET Open: %u files, %u loaded, %u failed, %u flowbits\n", files, rs->n,
	       rs->nfailed, rs->flowbits.n);
	for (uint32_t i = 0; i < rs->nreasons && i < 10; i++)
		printf("  %6u  %s\n", rs->reasons[i].count, rs->reasons[i].reason);
	CHECK(rs->n > 0);
	/* every one of the 24,827 active rules loads: a failure is a regression */
	CHECK(rs->nfailed == 0);
	for (uint32_t i = 0; i < rs->nreasons; i++) {
		if (!reason_is_unsupported(rs->reasons[i].reason)) {
			fprintf(stderr, "ET Open: parse failure of a supported keyword: %u x %s\n",
				rs->reasons[i].count, rs->reasons[i].reason);
			CHECK(reason_is_unsupported(rs->reasons[i].reason));
		}
	}
	fclose(errs);
	ruleset_free(rs);
	rule_env_free(e);
}

/* Rules taken out after loading (the engine refused them): reported with
 * file:line, counted, tallied; the rest stay in order. */
static void test_reject(void)
{
	struct ruleset *rs = ruleset_new();
	FILE *f = tmpfile(), *errs = tmpfile();
	const struct rule *bad[3];
	const char *why[3] = { "too long", "too long", "too long" };
	char path[64], *out;

	CHECK(rs != NULL && f != NULL && errs != NULL);
	if (rs == NULL || f == NULL || errs == NULL)
		return;
	for (int i = 1; i <= 4; i++)
		fprintf(f, "alert tcp any any -> any any (content:\"x%d\"; sid:%d;)\n", i, i);
	fflush(f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(f));
	CHECK_INT(0, ruleset_load_file(rs, env, path, errs));
	CHECK_INT(4, rs->n);
	if (rs->n == 4) {
		bad[0] = rs->rules[3];
		bad[1] = rs->rules[1];
		bad[2] = rs->rules[3];	/* listed twice: one failure */
		rewind(errs);
		CHECK_INT(0, ruleset_reject(rs, bad, why, 3, errs));
		CHECK_INT(2, rs->n);
		CHECK_INT(2, rs->nfailed);
		CHECK_INT(1, rs->rules[0]->sid);
		CHECK_INT(3, rs->rules[1]->sid);
		CHECK_INT(2, reason_count(rs, "too long"));
		out = slurp(errs);
		CHECK(out != NULL && strstr(out, ":2: too long\n") && strstr(out, ":4: too long\n"));
		free(out);
	}
	ruleset_free(rs);
	fclose(f);
	fclose(errs);
}

/* 20k distinct flowbit names (each set by one rule and read by another)
 * and 20k address variables the rules refer to: names are interned and
 * variables found through hash indexes; ids are dense, in order of first
 * use. (100k names and 50k groups load in about 2 s with -T; the scale is
 * kept down so the sanitizer build stays within the test timeout.) */
static void test_scale(void)
{
	enum { NFB = 20000, NVAR = 20000 };
	struct ruleset *rs = ruleset_new();
	FILE *f = tmpfile(), *errs = tmpfile();
	char path[64], name[32], val[32], err[128];

	CHECK(rs != NULL && f != NULL && errs != NULL);
	if (rs == NULL || f == NULL || errs == NULL)
		return;
	for (unsigned i = 0; i < NVAR; i++) {
		snprintf(name, sizeof(name), "GRP%u", i);
		snprintf(val, sizeof(val), "10.%u.%u.0/24", i / 256 % 256, i % 256);
		CHECK_INT(0, rule_env_set_var(env, 'a', name, val, err, sizeof(err)));
	}
	for (unsigned i = 0; i < NFB; i++)
		fprintf(f, "alert tcp $GRP%u any -> any any (flowbits:set,fb%u; sid:%u;)\n"
			"alert tcp any any -> any any (flowbits:isset,fb%u; sid:%u;)\n",
			i % NVAR, i, 2 * i + 1, NFB - 1 - i, 2 * i + 2);
	fflush(f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(f));
	CHECK_INT(0, ruleset_load_file(rs, env, path, errs));
	CHECK_INT(2 * NFB, rs->n);
	CHECK_INT(NFB, rs->flowbits.n);
	if (rs->n == 2 * NFB && rs->flowbits.n == NFB) {
		CHECK_INT(2 * 2345, rs->rules[2 * 2345]->flowbit[0].ids[0]);
		CHECK_STR("fb19999", rs->flowbits.names[rs->rules[1]->flowbit[0].ids[0]]);
	}
	ruleset_free(rs);
	fclose(f);
	fclose(errs);
}

/* rules text loaded into rs through a temporary file. */
static void load_text(struct ruleset *rs, const char *text)
{
	FILE *f = tmpfile();
	char path[64];

	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs(text, f);
	fflush(f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(f));
	CHECK_INT(0, ruleset_load_file(rs, env, path, NULL));
	fclose(f);
}

/* (added) Flowint names are interned as flowbit names, in their own table
 * (a counter's value may name another); a reload's ruleset seeded with the
 * running one's names keeps their ids, new names come after them. */
static void test_var_names_seed(void)
{
	struct ruleset *a = ruleset_new(), *b = ruleset_new();

	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	load_text(a, "alert tcp any any -> any any (flowbits:set,x; flowint:c,+,1; sid:1;)\n"
		     "alert tcp any any -> any any (flowbits:isset,y; flowint:d,>,c; sid:2;)\n");
	CHECK_INT(2, a->flowbits.n);
	CHECK_INT(2, a->flowints.n);
	if (a->n == 2 && a->flowints.n == 2) {
		CHECK_STR("c", a->flowints.names[a->rules[0]->flowint[0].id]);
		CHECK_STR("d", a->flowints.names[a->rules[1]->flowint[0].id]);
		CHECK_INT(a->rules[0]->flowint[0].id, a->rules[1]->flowint[0].value_id);
	}
	CHECK_INT(0, ruleset_seed_names(b, a));
	load_text(b, "alert tcp any any -> any any (flowbits:set,z; flowbits:set,y; "
		     "flowint:d,=,3; flowint:e,=,1; sid:1;)\n");
	CHECK_INT(3, b->flowbits.n);
	CHECK_INT(3, b->flowints.n);
	if (b->n == 1 && b->flowbits.n == 3 && b->flowints.n == 3) {
		CHECK_INT(2, b->rules[0]->flowbit[0].ids[0]);      /* z: new */
		CHECK_INT(1, b->rules[0]->flowbit[1].ids[0]);      /* y: as in a */
		CHECK_INT(1, b->rules[0]->flowint[0].id);          /* d: as in a */
		CHECK_INT(2, b->rules[0]->flowint[1].id);          /* e: new */
		CHECK_STR("x", b->flowbits.names[0]);
	}
	/* only into a ruleset without names */
	CHECK_INT(-EINVAL, ruleset_seed_names(b, a));
	ruleset_free(a);
	ruleset_free(b);
}

/* metadata: "key value" items kept packed for EVE; blanks trimmed, an item
 * without a value skipped, several metadata keywords appended. */
static void test_metadata(void)
{
	struct rule *r = ok("alert tcp any any -> any any (msg:\"m\"; metadata: created_at "
			    "2024_01_01,  tag  dns , lonely, tag policy; metadata:former_category "
			    "INFO; sid:77;)");
	static const char want[] = "created_at\0" "2024_01_01\0" "tag\0" "dns\0" "tag\0"
				   "policy\0" "former_category\0" "INFO";

	if (r == NULL)
		return;
	CHECK_INT(4, r->nmeta);
	CHECK_INT(sizeof(want), r->meta_len);
	CHECK(r->meta != NULL && r->meta_len == sizeof(want) &&
	      memcmp(r->meta, want, sizeof(want)) == 0);
	rule_free(r);
}

/* requires: read before every other option; unmet skips, bad fails */
static const char *req(const char *opts, bool *skipped)
{
	static char text[1024];
	struct rule *r;

	snprintf(text, sizeof(text), "alert tcp any any -> any any (%s sid:1;)", opts);
	r = rule_parse_ex(env, text, err, sizeof(err), skipped);
	if (r == NULL)
		return err;
	rule_free(r);
	return "(parsed)";
}

static void test_requires(void)
{
	struct ruleset *rs;
	FILE *f, *errs;
	char path[] = "/tmp/test_rules_req_XXXXXX";
	char *out;
	bool sk;
	int fd;

	CHECK_STR("(parsed)", req("requires: version >= 7.0.3 < 8; content:\"a\";", &sk));
	CHECK(!sk);
	CHECK_STR("(parsed)", req("requires:version >= 7;", &sk));
	CHECK_STR("(parsed)", req("requires: version >= 8 | >= 7.0 < 7.1;", &sk));
	CHECK_STR("(parsed)", req("requires: feature ja3, version >= 7;", &sk));
	/* unmet: skipped before the unknown keyword could fail it */
	CHECK_STR("requires version >= 8 (this engine follows Suricata 7.0.10)",
		  req("requires: version >= 8; foo.bar; content:\"a\";", &sk));
	CHECK(sk);
	CHECK_STR("requires version < 7.0.10 (this engine follows Suricata 7.0.10)",
		  req("content:\"a\"; requires: version < 7.0.10;", &sk));
	CHECK(sk);
	CHECK_STR("requires version > 7.0.10 (this engine follows Suricata 7.0.10)",
		  req("requires: version > 7.0.10;", &sk));
	CHECK_STR("(parsed)", req("requires: version <= 7.0.10;", &sk));
	CHECK_STR("requires feature lua, which this engine does not provide",
		  req("requires: feature lua; lua:x.lua;", &sk));
	CHECK(sk);
	CHECK_STR("requires 'keyword foo', unknown to this engine",
		  req("requires: keyword foo;", &sk));
	CHECK(sk);
	/* invalid: failed, not skipped */
	CHECK_STR("invalid requires version: '7'", req("requires: version 7;", &sk));
	CHECK(!sk);
	CHECK_STR("invalid requires version: '>= 7.256'", req("requires: version >= 7.256;", &sk));
	CHECK_STR("invalid requires version: '>= 7 |'", req("requires: version >= 7 |;", &sk));
	CHECK_STR("invalid requires version: '>= 7x'", req("requires: version >= 7x;", &sk));
	CHECK_STR("invalid requires: version given twice",
		  req("requires: version >= 7, version < 8;", &sk));
	CHECK_STR("invalid requires: feature needs a name", req("requires: feature;", &sk));
	CHECK_STR("requires needs a value", req("requires;", &sk));
	CHECK(!sk);
	/* rule_parse: a skipped rule is no rule */
	CHECK(rule_parse(env, "alert tcp any any -> any any (requires: version >= 9; sid:1;)",
			 err, sizeof(err)) == NULL);

	/* a file: skipped rules are counted apart, said once, and fail nothing */
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	CHECK(f != NULL);
	fputs("alert tcp any any -> any any (requires: version >= 8; x.y; sid:1;)\n"
	      "alert tcp any any -> any any (requires: version >= 7; content:\"a\"; sid:2;)\n"
	      "alert tcp any any -> any any (requires: version; sid:3;)\n", f);
	fclose(f);
	rs = ruleset_new();
	errs = tmpfile();
	CHECK(rs != NULL && errs != NULL);
	CHECK_INT(0, ruleset_load_file(rs, env, path, errs));
	CHECK_INT(1, rs->n);
	CHECK_INT(1, rs->nskipped);
	CHECK_INT(1, rs->nfailed);
	out = slurp(errs);
	CHECK(strstr(out, ":1: skipped: requires version >= 8 (this engine follows Suricata "
			  "7.0.10)\n") != NULL);
	CHECK(strstr(out, ":3: invalid requires version: ''\n") != NULL);
	free(out);
	fclose(errs);
	ruleset_free(rs);
	unlink(path);
}

int main(void)
{
	env = rule_env_new();
	CHECK(env != NULL);
	if (env == NULL)
		return check_result("rules");
	rule_env_set_default_vars(env);
	test_header();
	test_addresses();
	test_content();
	test_pcre();
	test_meta();
	test_metadata();
	test_packet_kw();
	test_file();
	test_folder();
	test_config_files();
	test_et_open();
	test_scale();
	test_var_names_seed();
	test_escaped_quote();
	test_reject();
	test_requires();
	rule_env_free(env);
	return check_result("rules");
}
