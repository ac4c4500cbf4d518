// SPDX-License-Identifier: MIT
/* The Snort 3 dialect (rules/rule_snort3.c): each Snort 3 construct parses
 * to the same rule as its Suricata equivalent (header, every match with its
 * buffer and modifiers, packet tests), which is what the detect stage runs;
 * which dialect a rule is read in; the Snort 3 forms refused. */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules/rules.h"
#include "tests/unit/check.h"

static struct rule_env *env;
static char err[256];

static struct rule *parse(const char *s)
{
	err[0] = '\0';
	return rule_parse(env, s, err, sizeof(err));
}

/* memcmp of n bytes; no pointer is read when n is 0 (they may be NULL) */
static bool same_bytes(const void *a, const void *b, size_t n)
{
	return n == 0 || !memcmp(a, b, n);
}

static bool same_ports(const struct port_set *a, const struct port_set *b)
{
	return a->any == b->any && a->n == b->n && same_bytes(a->r, b->r, a->n * sizeof(*a->r));
}

static bool same_addrs(const struct addr_set *a, const struct addr_set *b)
{
	return a->any == b->any && a->n4 == b->n4 && a->n6 == b->n6 &&
	       same_bytes(a->v4, b->v4, a->n4 * sizeof(*a->v4)) &&
	       same_bytes(a->v6, b->v6, a->n6 * sizeof(*a->v6));
}

static bool same_match(const struct rule_match *a, const struct rule_match *b)
{
	if (a->kind != b->kind || a->buf != b->buf || a->xf != b->xf || a->grp != b->grp ||
	    a->b64 != b->b64)
		return false;
	switch (a->kind) {
	case MATCH_CONTENT: {
		const struct rule_content *x = &a->content, *y = &b->content;

		return x->len == y->len && same_bytes(x->pat, y->pat, x->len) && x->flags == y->flags &&
		       x->offset == y->offset && x->depth == y->depth &&
		       x->distance == y->distance && x->within == y->within &&
		       x->fp_off == y->fp_off && x->fp_len == y->fp_len;
	}
	case MATCH_PCRE:
		return !strcmp(a->pcre.expr, b->pcre.expr) && a->pcre.flags == b->pcre.flags &&
		       a->pcre.pcre2_opts == b->pcre.pcre2_opts;
	case MATCH_BSIZE:
		return !memcmp(&a->bsize, &b->bsize, sizeof(a->bsize));
	default:
		return !memcmp(&a->byte, &b->byte, sizeof(a->byte));
	}
}

/* The Snort 3 rule s3 and the Suricata rule su parse, and to the same rule. */
#define SAME(s3, su) do { \
	struct rule *a_ = parse(s3); \
	char e_[256]; \
	snprintf(e_, sizeof(e_), "%s", err); \
	struct rule *b_ = parse(su); \
	CHECK_STR("", e_); \
	CHECK_STR("", err); \
	CHECK(a_ != NULL && (a_->flags & RULE_F_SNORT3)); \
	CHECK(b_ != NULL && !(b_->flags & RULE_F_SNORT3)); \
	if (a_ && b_) \
		CHECK(same_rule(a_, b_)); \
	rule_free(a_); \
	rule_free(b_); \
} while (0)

static bool same_rule(const struct rule *a, const struct rule *b)
{
	bool ok = a->proto == b->proto && a->app_proto == b->app_proto &&
		  (a->flags & ~RULE_F_SNORT3) == b->flags && a->action == b->action &&
		  same_addrs(&a->src, &b->src) && same_addrs(&a->dst, &b->dst) &&
		  same_ports(&a->sp, &b->sp) && same_ports(&a->dp, &b->dp) &&
		  a->flow_flags == b->flow_flags && a->has == b->has && a->app_has == b->app_has &&
		  a->services == b->services && a->nmatch == b->nmatch && a->app_bufs == b->app_bufs &&
		  !memcmp(&a->tag, &b->tag, sizeof(a->tag)) && a->sid == b->sid;

	for (uint32_t i = 0; ok && i < a->nmatch; i++) {
		ok = same_match(&a->match[i], &b->match[i]);
		if (!ok)
			fprintf(stderr, "  match %u differs\n", i);
	}
	return ok;
}

#define FAILS(text, reason) do { \
	struct rule *r_ = parse(text); \
	CHECK(r_ == NULL); \
	rule_free(r_); \
	CHECK_STR(reason, r_ ? "(parsed)" : err); \
} while (0)

#define HDR "alert tcp $EXTERNAL_NET any -> $HOME_NET 80 "

static void test_content_suboptions(void)
{
	SAME(HDR "(content:\"abc\",nocase,offset 2,depth 10; content:\"de\",distance 1,within 5,"
	     "fast_pattern; sid:1;)",
	     HDR "(content:\"abc\"; nocase; offset:2; depth:10; content:\"de\"; distance:1; "
	     "within:5; fast_pattern; sid:1;)");
	/* spaces anywhere between the parts; a negated content */
	SAME(HDR "(content:!\"x|3B|y\" , depth 8 ; sid:1;)",
	     HDR "(content:!\"x|3B|y\"; depth:8; sid:1;)");
	/* a comma inside the string is the string's */
	SAME(HDR "(content:\"a,b\",nocase; sid:1;)", HDR "(content:\"a,b\"; nocase; sid:1;)");
	/* fast_pattern_offset/_length: Suricata's fast_pattern:off,len */
	SAME(HDR "(content:\"abcdef\",fast_pattern,fast_pattern_offset 1,fast_pattern_length 3; "
	     "sid:1;)",
	     HDR "(content:\"abcdef\"; fast_pattern:1,3; sid:1;)");
	/* byte_extract variables in the suboptions */
	SAME(HDR "(content:\"L\"; byte_extract:1,0,n,relative; content:\"z\",distance n,"
	     "within 4; sid:1;)",
	     HDR "(content:\"L\"; byte_extract:1,0,n,relative; content:\"z\"; distance:n; within:4; "
	     "sid:1;)");
	/* Snort 3 has no ';'-separated suboptions */
	FAILS(HDR "(content:\"a\",nocase; content:\"b\"; nocase; sid:1;)",
	      "Snort 3 rule: 'nocase' must follow its content after a comma");
	FAILS(HDR "(content:\"a\",nocase,bogus 3; sid:1;)", "unsupported content suboption 'bogus'");
	FAILS(HDR "(content:\"a\",depth; sid:1;)", "content suboption 'depth' needs a value");
	/* Suricata's own checks still apply */
	FAILS(HDR "(content:\"abc\",depth 2; sid:1;)", "depth smaller than content length: 2 < 3");
}

static void test_sticky_buffers(void)
{
	SAME(HDR "(flow:to_server,established; http_uri; content:\"/a\",nocase; content:\"b\","
	     "distance 0; http_header; content:\"X-Y\"; sid:2;)",
	     HDR "(flow:to_server,established; http.uri; content:\"/a\"; nocase; content:\"b\"; "
	     "distance:0; http.header; content:\"X-Y\"; sid:2;)");
	SAME(HDR "(http_method; content:\"POST\"; http_client_body; content:\"x=1\"; "
	     "http_raw_uri; content:\"%2e\"; http_cookie; content:\"s=\"; http_stat_code; "
	     "content:\"200\"; http_stat_msg; content:\"OK\"; http_raw_header; content:\"H\"; "
	     "sid:2;)",
	     HDR "(http.method; content:\"POST\"; http.request_body; content:\"x=1\"; "
	     "http.uri.raw; content:\"%2e\"; http.cookie; content:\"s=\"; http.stat_code; "
	     "content:\"200\"; http.stat_msg; content:\"OK\"; http.header.raw; content:\"H\"; "
	     "sid:2;)");
	SAME(HDR "(http_version; content:\"HTTP/1.0\"; http_raw_request; content:\"GET\"; "
	     "http_raw_status; content:\"404\"; pkt_data; content:\"p\"; raw_data; content:\"q\"; "
	     "sid:2;)",
	     HDR "(http.protocol; content:\"HTTP/1.0\"; http.request_line; content:\"GET\"; "
	     "http.response_line; content:\"404\"; pkt_data; content:\"p\"; pkt_data; "
	     "content:\"q\"; sid:2;)");
	/* http_header:field NAME: the header's own buffer; with_body and the
	 * like say when the part is available: nothing to map */
	SAME(HDR "(http_header:field user-agent; content:\"curl\"; http_uri:with_body; "
	     "content:\"/\"; sid:2;)",
	     HDR "(http.user_agent; content:\"curl\"; http.uri; content:\"/\"; sid:2;)");
	FAILS(HDR "(http_header:field x-custom; content:\"a\"; sid:2;)",
	      "unsupported http_header field 'x-custom'");
	FAILS(HDR "(http_uri:path; content:\"a\"; sid:2;)", "unsupported http_uri option 'path'");
	FAILS(HDR "(http_uri; pkt_data; content:\"a\",nocase; sid:2;)",
	      "Snort 3 rule: nothing follows 'http_uri' (a Snort 3 buffer comes before its "
	      "contents)");
	SAME(HDR "(rem:\"a remark\"; content:\"a\",nocase; sid:2;)",
	     HDR "(content:\"a\"; nocase; sid:2;)");
	/* file_data: the body of the rule's direction, an smtp rule's
	 * attachments; a service list picks its first file protocol */
	SAME(HDR "(flow:to_client; file_data; content:\"MZ\"; service:ftp-data,http,imap,pop3; "
	     "sid:3;)",
	     "alert tcp $EXTERNAL_NET any -> $HOME_NET any (flow:to_client; file.data; "
	     "content:\"MZ\"; sid:3;)");
	SAME(HDR "(flow:to_server; http_raw_body; content:\"a\"; file_data; content:\"b\"; sid:3;)",
	     HDR "(flow:to_server; http.request_body; content:\"a\"; http.request_body; "
	     "content:\"b\"; sid:3;)");
	SAME("alert tcp $EXTERNAL_NET any -> $HOME_NET 25 (flow:to_server; file_data; "
	     "content:\"x\",nocase; service:smtp; sid:3;)",
	     "alert smtp $EXTERNAL_NET any -> $HOME_NET any (flow:to_server; file_data; "
	     "content:\"x\"; nocase; sid:3;)");
	FAILS(HDR "(file_data; content:\"x\",nocase; service:imap,pop3; sid:3;)",
	      "file_data of the rule's services is not supported (the engine has file data of "
	      "http, smtp and ftp-data)");
	/* bufferlen: bsize on the current buffer; <=> is inclusive */
	SAME(HDR "(http_uri; bufferlen:17; content:\"/linkendorse.html\",nocase; sid:4;)",
	     HDR "(http.uri; bsize:17; content:\"/linkendorse.html\"; nocase; sid:4;)");
	SAME(HDR "(http_uri; bufferlen:24<=>26; content:\"/f/\"; sid:4;)",
	     HDR "(http.uri; bsize:23<>27; content:\"/f/\"; sid:4;)");
	SAME(HDR "(http_uri; bufferlen:0<=>5; content:\"/\"; sid:4;)",
	     HDR "(http.uri; bsize:<=5; content:\"/\"; sid:4;)");
	SAME(HDR "(http_uri; bufferlen:>13; content:\"/shell?\"; sid:4;)",
	     HDR "(http.uri; bsize:>13; content:\"/shell?\"; sid:4;)");
	FAILS(HDR "(http_uri; bufferlen:5,relative; content:\"/\"; sid:4;)",
	      "unsupported bufferlen option in '5,relative'");
	/* on pkt_data: the payload's length (Suricata's bsize has no such form) */
	struct rule *r = parse(HDR "(content:\"a\",depth 1; bufferlen:<64; sid:4;)");

	CHECK(r != NULL && r->nmatch == 2 && r->match[1].kind == MATCH_BSIZE &&
	      r->match[1].buf == RULE_BUF_PAYLOAD && r->match[1].bsize.op == U32_LT &&
	      r->match[1].bsize.a == 64);
	rule_free(r);
}

/* Which dialect: only what Suricata cannot read makes a rule Snort 3. */
static void test_dialect(void)
{
	struct rule *r;

	/* no Snort 3 sign: Suricata's modifier, on the content before it */
	r = parse(HDR "(content:\"GET\"; http_method; content:\"/x\"; sid:5;)");
	CHECK(r != NULL && !(r->flags & RULE_F_SNORT3) && r->nmatch == 2 &&
	      r->match[0].buf == RULE_BUF_HTTP_METHOD && r->match[1].buf == RULE_BUF_PAYLOAD);
	rule_free(r);
	/* the same options with service: Snort 3's sticky buffer, on the
	 * content after it */
	r = parse(HDR "(content:\"GET\"; http_method; content:\"/x\"; service:http; sid:5;)");
	CHECK(r != NULL && (r->flags & RULE_F_SNORT3) && r->nmatch == 2 &&
	      r->match[0].buf == RULE_BUF_PAYLOAD && r->match[1].buf == RULE_BUF_HTTP_METHOD);
	rule_free(r);
	/* a buffer keyword before any content, a content after it */
	r = parse(HDR "(http_uri; content:\"/x\"; sid:5;)");
	CHECK(r != NULL && (r->flags & RULE_F_SNORT3) && r->match[0].buf == RULE_BUF_HTTP_URI);
	rule_free(r);
	/* with no content at all, Suricata's error as before */
	FAILS(HDR "(http_uri; sid:5;)", "http_uri needs a preceding content");
	/* a content with text that is no suboption list: Suricata's error */
	FAILS(HDR "(content:\"a\"b\"; sid:5;)", "invalid content: unescaped '\"'");
	/* a Snort 3 only keyword */
	r = parse(HDR "(content:\"a\"; http_uri; bufferlen:3; sid:5;)");
	CHECK(r != NULL && (r->flags & RULE_F_SNORT3) && r->match[0].buf == RULE_BUF_PAYLOAD &&
	      r->match[1].kind == MATCH_BSIZE && r->match[1].buf == RULE_BUF_HTTP_URI);
	rule_free(r);
	/* a Suricata rule keeps its modifiers; Snort 3's header forms are not
	 * Suricata's */
	FAILS("alert http (msg:\"x\"; content:\"a\"; http_uri; sid:5;)",
	      "Snort 3 rule: nothing follows 'http_uri' (a Snort 3 buffer comes before its "
	      "contents)");
	FAILS(HDR "(http_uri; content:\"a\",nocase; http_header; http_method; content:\"b\"; "
	      "sid:5;)",
	      "Snort 3 rule: nothing follows 'http_header' (a Snort 3 buffer comes before its "
	      "contents)");
	FAILS("alert tcp any any (sid:5;)", "incomplete rule header");
}

static void test_headers_services(void)
{
	/* service rules and headers without ports: any address and port */
	SAME("alert http (msg:\"x\"; flow:to_server; http_uri; content:\"/a\"; sid:6;)",
	     "alert http any any -> any any (msg:\"x\"; flow:to_server; http.uri; content:\"/a\"; "
	     "sid:6;)");
	SAME("alert tcp $HOME_NET -> $EXTERNAL_NET (content:\"a\",nocase; sid:6;)",
	     "alert tcp $HOME_NET any -> $EXTERNAL_NET any (content:\"a\"; nocase; sid:6;)");
	SAME("alert ssl (content:\"|16 03|\",depth 2; sid:6;)",
	     "alert tls any any -> any any (content:\"|16 03|\"; depth:2; sid:6;)");
	SAME("alert file (file_data; content:\"%PDF\",depth 4; sid:6;)",
	     "alert tcp any any -> any any (file.data; content:\"%PDF\"; depth:4; sid:6;)");
	FAILS("alert sip (content:\"INVITE\",nocase; sid:6;)", "unsupported protocol 'sip'");
	/* a rule whose buffers need a listed service ignores its ports */
	SAME(HDR "(http_uri; content:\"/a\"; service:http,ssl; sid:7;)",
	     "alert http $EXTERNAL_NET any -> $HOME_NET any (http.uri; content:\"/a\"; sid:7;)");
	/* raw content: the services stand for the ports (detect_service_match);
	 * those the engine does not detect add nothing */
	struct rule *r = parse("alert tcp $EXTERNAL_NET any -> $HOME_NET 21 (flow:to_server; "
			       "content:\"USER\",nocase; service:ftp,telnet,netbios-ssn; sid:8;)");

	CHECK(r != NULL && r->services == ((1u << APP_PROTO_FTP) | (1u << APP_PROTO_SMB)));
	CHECK(r != NULL && r->app_proto == APP_PROTO_UNKNOWN && !r->dp.any && r->dp.n == 1 &&
	      r->dp.r[0].lo == 21);
	rule_free(r);
	r = parse(HDR "(content:\"a\",nocase; service:sunrpc; sid:8;)");
	CHECK(r != NULL && r->services == 0 && !r->dp.any);
	rule_free(r);
	/* a rule that needs another protocol gains nothing from the list */
	r = parse(HDR "(http_uri; content:\"/a\"; service:smtp; sid:8;)");
	CHECK(r != NULL && r->services == 0 && !r->dp.any && r->app_proto == APP_PROTO_HTTP);
	rule_free(r);
	FAILS(HDR "(content:\"a\",nocase; service:http; service:ftp; sid:8;)",
	      "duplicate keyword 'service'");
	FAILS(HDR "(content:\"a\",nocase; service:http ftp; sid:8;)",
	      "invalid service: 'http ftp'");
}

static void test_other_options(void)
{
	struct rule *r;

	SAME(HDR "(content:\"a\",nocase; tag:session,packets 5; sid:9;)",
	     HDR "(content:\"a\"; nocase; tag:session,5,packets; sid:9;)");
	SAME(HDR "(content:\"a\",nocase; tag:host_src,seconds 60; sid:9;)",
	     HDR "(content:\"a\"; nocase; tag:host,60,seconds,src; sid:9;)");
	SAME(HDR "(content:\"a\",nocase; tag:host_dst; sid:9;)",
	     HDR "(content:\"a\"; nocase; tag:host,256,packets,dst; sid:9;)");
	FAILS(HDR "(content:\"a\",nocase; tag:session,packets 5,seconds 3; sid:9;)",
	      "unsupported tag: more than one limit in 'session,packets 5,seconds 3'");
	/* Snort 3 extracts into a name again: one variable, overwritten */
	r = parse(HDR "(content:\"L\",nocase; byte_extract:1,0,n,relative; content:\"z\","
		  "distance n; byte_extract:1,0,n,relative; content:\"y\",distance n; sid:9;)");
	CHECK(r != NULL && r->nmatch == 5 && r->match[1].byte.var == 0 &&
	      r->match[3].byte.var == 0);
	rule_free(r);
	FAILS(HDR "(content:\"L\"; byte_extract:1,0,n,relative; byte_extract:1,0,n,relative; "
	      "sid:9;)",
	      "byte_extract variable 'n' already defined");
	/* Snort 3 options with nothing to map to: counted rejections */
	FAILS(HDR "(content:\"a\",nocase; dce_iface:4b324fc8-1670-01d3-1278-5a47bf6ee188; sid:9;)",
	      "unsupported keyword 'dce_iface'");
	FAILS(HDR "(content:\"a\",nocase; js_data; content:\"b\"; sid:9;)",
	      "unsupported keyword 'js_data'");
}

int main(void)
{
	env = rule_env_new();
	CHECK(env != NULL);
	if (env == NULL)
		return check_result("snort3_rules");
	rule_env_set_default_vars(env);
	test_content_suboptions();
	test_sticky_buffers();
	test_dialect();
	test_headers_services();
	test_other_options();
	rule_env_free(env);
	return check_result("snort3_rules");
}
