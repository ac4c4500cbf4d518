/* SPDX-License-Identifier: MIT */
/* Unit tests for base64_decode/base64_data (rules/rule_kw_base64.c, the
 * decoder and walk in dataplane/detect/detect_inspect.c) and session tags
 * (tag keyword, dataplane/pipeline/pipeline_tag.c): parse errors with their
 * exact messages, exact alert counts, exact tagged packet counts. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "detect_fixture.h"
#include "dataplane/detect/detect.h"
#include "dataplane/flow/flow-t.h"
#include "dataplane/pipeline/pipeline_tag.h"
#include "rules/rules.h"

static struct rule_env *renv;
static char err[512];

#define PARSES(opts) CHECK_STR("(parsed)", rule_opts_err(renv, "tcp", opts))
#define FAILS(opts, msg) CHECK_STR(msg, rule_opts_err(renv, "tcp", opts))

static struct rule *parse(const char *opts)
{
	char text[1024];

	snprintf(text, sizeof(text), "alert tcp any any -> any any (%s sid:7;)", opts);
	err[0] = '\0';
	return rule_parse(renv, text, err, sizeof(err));
}

static void test_parse_base64(void)
{
	struct rule *r;

	PARSES("base64_decode; base64_data; content:\"x\";");
	PARSES("base64_decode:bytes 300, offset 0, relative; base64_data; content:\"x\";");
	PARSES("content:\"a\"; base64_decode:offset 0,relative; base64_data; content:\"x\";");
	PARSES("http.request_body; content:\"a\"; base64_decode:relative; base64_data;"
	       " content:\"x\";");
	FAILS("base64_data; content:\"x\";", "base64_data needs a preceding base64_decode");
	FAILS("base64_decode:relative, bytes 4;",
	      "invalid base64_decode option: 'bytes 4' (bytes N, offset N, relative, in that "
	      "order)");
	FAILS("base64_decode:bytes 65536;", "invalid base64_decode bytes: 'bytes 65536'");
	FAILS("base64_decode:bytes x;", "invalid base64_decode bytes: 'bytes x'");
	FAILS("base64_decode:offset -1;", "invalid base64_decode offset: 'offset -1'");
	FAILS("base64_decode:relatve;",
	      "invalid base64_decode option: 'relatve' (bytes N, offset N, relative, in that "
	      "order)");
	FAILS("base64_decode; base64_data; content:\"x\"; pkt_data; content:\"y\";",
	      "the buffer can't change after base64_data");
	FAILS("base64_decode; base64_data; http.uri; content:\"y\";",
	      "the buffer can't change after base64_data");
	FAILS("base64_decode; base64_data; content:\"x\"; http_uri;",
	      "the buffer can't change after base64_data");
	FAILS("base64_decode; base64_data; content:\"x\"; fast_pattern;",
	      "fast_pattern can't be used after base64_data");
	FAILS("base64_decode; base64_data; base64_decode;",
	      "base64_decode can't follow base64_data");
	FAILS("content:\"a\"; base64_decode; base64_data; within:5;",
	      "within needs a preceding content");

	r = parse("content:\"a\"; base64_decode:bytes 12, offset 3, relative; base64_data;"
		  " content:\"x\"; content:\"y\";");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(4, r->nmatch);
		CHECK_INT(MATCH_BASE64_DECODE, r->match[1].kind);
		CHECK_INT(12, r->match[1].b64dec.bytes);
		CHECK_INT(3, r->match[1].b64dec.offset);
		CHECK(r->match[1].b64dec.relative);
		CHECK_INT(0, r->match[0].b64);
		CHECK_INT(0, r->match[1].b64);
		CHECK_INT(1, r->match[2].b64);
		CHECK_INT(1, r->match[3].b64);
		rule_free(r);
	}
	r = parse("base64_decode;");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(65535, r->match[0].b64dec.bytes);
		CHECK_INT(0, r->match[0].b64dec.offset);
		rule_free(r);
	}
}

static void test_parse_tag(void)
{
	struct rule *r;

	PARSES("tag:session;");
	PARSES("tag: session, 20, packets;");
	PARSES("tag:session,300,seconds;");
	PARSES("tag:host;");
	PARSES("tag:host,100,packets,src;");
	PARSES("tag: host, 10, seconds, dst;");
	FAILS("tag:host,100,packets,both;", "invalid tag direction 'both': src or dst");
	FAILS("tag:flow;", "invalid tag scope 'flow': session or host");
	FAILS("tag:session,5;", "tag count needs a metric: packets, bytes or seconds");
	FAILS("tag:session,5,frames;", "invalid tag metric 'frames': packets, bytes or seconds");
	FAILS("tag:session,x,packets;", "invalid tag count 'x'");
	FAILS("tag:session,5,packets,src;", "a tag direction ('src') is for tag:host only");
	FAILS("tag;", "keyword 'tag' needs a value");

	r = parse("tag:session;");
	CHECK(r != NULL && (r->flags & RULE_F_TAG));
	if (r != NULL) {
		CHECK_INT(TAG_SCOPE_SESSION, r->tag.scope);
		CHECK_INT(TAG_METRIC_PACKETS, r->tag.metric);
		CHECK_INT(256, r->tag.count);
		rule_free(r);
	}
	r = parse("tag:host;");
	CHECK(r != NULL && (r->flags & RULE_F_TAG));
	if (r != NULL) {
		CHECK_INT(TAG_SCOPE_HOST, r->tag.scope);
		CHECK_INT(TAG_METRIC_PACKETS, r->tag.metric);
		CHECK_INT(256, r->tag.count);
		CHECK(!r->tag.host_src);
		rule_free(r);
	}
	r = parse("tag:host,1000,bytes,src;");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(TAG_SCOPE_HOST, r->tag.scope);
		CHECK_INT(TAG_METRIC_BYTES, r->tag.metric);
		CHECK_INT(1000, r->tag.count);
		CHECK(r->tag.host_src);
		rule_free(r);
	}
	r = parse("tag:session,300,seconds; tag:session,5,packets;");
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(TAG_METRIC_SECONDS, r->tag.metric);
		CHECK_INT(300, r->tag.count);
		rule_free(r);
	}
}

/* ---- base64 matching ---- */

static struct detect_result res;
static uint8_t frame[2048];

/* One rule (options opts) against a TCP packet with payload pl. */
static uint32_t on_tcp(const char *opts, const char *pl)
{
	char text[1024];
	struct detect_env e;
	struct packet p = { 0 };
	uint32_t n = (uint32_t)strlen(pl);

	snprintf(text, sizeof(text), "alert tcp any any -> any any (%s sid:1;)\n", opts);
	e = detect_env_setup(renv, text, "base64_tag");
	memset(frame, 0, sizeof(frame));
	frame[0] = 0x45;
	frame[9] = 6;
	frame[32] = 5 << 4;
	memcpy(frame + 40, pl, n);
	p.data = frame;
	p.len = 40 + n;
	p.ip_ver = 4;
	p.proto = 6;
	p.ip_hlen = 20;
	p.l3 = frame;
	p.l4 = frame + 20;
	p.l4_len = 20 + n;
	p.payload = frame + 40;
	p.payload_len = n;
	p.sp = 1234;
	p.dp = 80;
	p.tcp.flags = 0x18;
	p.tcp.hlen = 20;
	p.src.b[0] = 10;
	p.dst.b[0] = 192;
	detect_packet(e.dt, &p, &res);
	n = res.nalerts;
	detect_env_teardown(&e);
	return n;
}

/* "SGVsbG8gV29ybGQ=" is "Hello World" */
static void test_base64_match(void)
{
	/* whole payload, content and its modifiers on the decoded bytes */
	CHECK_INT(1, on_tcp("base64_decode; base64_data; content:\"Hello World\";",
			    "SGVsbG8gV29ybGQ="));
	CHECK_INT(1, on_tcp("base64_decode; base64_data; content:\"World\"; offset:6; depth:5;",
			    "SGVsbG8gV29ybGQ="));
	CHECK_INT(0, on_tcp("base64_decode; base64_data; content:\"World\"; depth:10;",
			    "SGVsbG8gV29ybGQ="));
	CHECK_INT(1, on_tcp("base64_decode; base64_data; content:\"Hello\"; startswith;"
			    " content:\"World\"; distance:1; within:5;", "SGVsbG8gV29ybGQ="));
	CHECK_INT(1, on_tcp("base64_decode; base64_data; pcre:\"/^Hel+o\\sW/\";",
			    "SGVsbG8gV29ybGQ="));
	CHECK_INT(1, on_tcp("base64_decode; base64_data; byte_test:1,=,0x48,0;",
			    "SGVsbG8gV29ybGQ="));
	CHECK_INT(0, on_tcp("base64_decode; base64_data; byte_test:1,=,0x48,1;",
			    "SGVsbG8gV29ybGQ="));
	/* the raw payload is not the decoded one */
	CHECK_INT(0, on_tcp("base64_decode; base64_data; content:\"SGVs\";",
			    "SGVsbG8gV29ybGQ="));
	/* base64_decode alone never matches (Suricata: both are needed) */
	CHECK_INT(0, on_tcp("base64_decode;", "SGVsbG8gV29ybGQ="));
	/* offset, relative, bytes */
	CHECK_INT(1, on_tcp("base64_decode:offset 8; base64_data; content:\"Hello World\";",
			    "aaaaaaaaSGVsbG8gV29ybGQ="));
	CHECK_INT(1, on_tcp("content:\"aaaaaaaa\"; base64_decode:relative; base64_data;"
			    " content:\"Hello World\"; startswith;", "aaaaaaaaSGVsbG8gV29ybGQ="));
	CHECK_INT(1, on_tcp("content:\"x=\"; base64_decode:offset 1, relative; base64_data;"
			    " content:\"Hello\"; startswith;", "zzx=.SGVsbG8gV29ybGQ="));
	CHECK_INT(1, on_tcp("base64_decode:bytes 8; base64_data; content:\"Hello\";"
			    " content:!\"W\";", "SGVsbG8gV29ybGQ="));
	CHECK_INT(0, on_tcp("base64_decode:bytes 8; base64_data; content:\"Hello W\";",
			    "SGVsbG8gV29ybGQ="));
	/* bytes beyond the data: what there is is decoded */
	CHECK_INT(1, on_tcp("base64_decode:bytes 1000; base64_data; content:\"World\";"
			    " endswith;", "SGVsbG8gV29ybGQ="));
	/* offset at or past the end: no match */
	CHECK_INT(0, on_tcp("base64_decode:offset 16; base64_data; content:\"H\";",
			    "SGVsbG8gV29ybGQ="));
	/* RFC 4648 as Suricata: decoding stops at the first invalid byte */
	CHECK_INT(1, on_tcp("base64_decode; base64_data; content:\"Hello\"; bsize:6;",
			    "SGVsbG8g V29ybGQ="));
	CHECK_INT(1, on_tcp("base64_decode; base64_data; content:\"Hel\"; bsize:3;",
			    "SGVs!bG8g"));
	/* nothing decodable: no match, even for a negated content */
	CHECK_INT(0, on_tcp("base64_decode; base64_data; content:!\"x\";", "!SGVs"));
	/* padding: "Zg==" is one byte, decoding goes on after it */
	CHECK_INT(1, on_tcp("base64_decode; base64_data; content:\"ffoo\"; bsize:4;",
			    "Zg==Zm9v"));
	/* a partial last block: 3 sextets give 2 bytes, 2 give 1 */
	CHECK_INT(1, on_tcp("base64_decode; base64_data; content:\"fo\"; bsize:2;", "Zm8"));
	CHECK_INT(1, on_tcp("base64_decode; base64_data; content:\"f\"; bsize:1;", "Zm"));
	/* the earlier content retries at its next occurrence */
	CHECK_INT(1, on_tcp("content:\"=\"; base64_decode:relative; base64_data;"
			    " content:\"foo\"; startswith;", "a=!!b=Zm9v"));
	/* base64 in a negated-only rule never prefilters on the decoded content */
	CHECK_INT(1, on_tcp("content:\"b=\"; base64_decode:relative; base64_data;"
			    " content:\"foobar\";", "xxb=Zm9vYmFy"));
}

/* ---- session tags ---- */

static struct packet tpkt(uint64_t ts_s, uint32_t len)
{
	struct packet p = { 0 };

	p.ts_us = ts_s * 1000000u;
	p.len = len;
	return p;
}

static struct rule tag_rule(uint32_t sid, uint8_t metric, uint32_t count)
{
	struct rule r = { 0 };

	r.sid = sid;
	r.gid = 1;
	r.flags = RULE_F_TAG;
	r.tag.metric = metric;
	r.tag.count = count;
	return r;
}

/* Tagged packets among the n packets after the alerting one (1 s apart). */
static uint32_t tagged_after(struct tag_pool *tp, struct flow *f, uint32_t n, uint32_t len)
{
	uint32_t k = 0;

	for (uint32_t i = 1; i <= n; i++) {
		struct packet p = tpkt(100 + i, len);

		k += tag_packet(tp, f, &p);
	}
	return k;
}

static void test_tag_packets(void)
{
	struct tag_pool tp;
	struct flow f = { 0 };
	struct rule r = tag_rule(1, TAG_METRIC_PACKETS, 5);
	struct packet p = tpkt(100, 60);

	CHECK_INT(0, tag_pool_init(&tp, 4));
	tag_add(&tp, &f, &r, &p);
	CHECK(f.tags != 0);
	/* the alerting packet counts as the first and is not tagged */
	CHECK(!tag_packet(&tp, &f, &p));
	/* then packets 2..5 are; the 6th ends the tag */
	CHECK_INT(4, tagged_after(&tp, &f, 10, 60));
	CHECK_INT(0, f.tags);
	CHECK_INT(4, tp.stats.tagged);
	/* the entry is back in the pool: four tags fit again */
	for (uint32_t i = 0; i < 4; i++) {
		struct flow g = { 0 };
		struct rule ri = tag_rule(10 + i, TAG_METRIC_PACKETS, 5);

		tag_add(&tp, &g, &ri, &p);
		CHECK(g.tags != 0);
		if (i == 3) {
			struct flow h = { 0 };

			tag_add(&tp, &h, &ri, &p);
			CHECK_INT(0, h.tags);
			CHECK_INT(1, tp.stats.pool_full);
		}
		tag_flow_release(&tp, &g);
		CHECK_INT(0, g.tags);
		tag_add(&tp, &g, &ri, &p);
		CHECK(g.tags != 0);
	}
	tag_pool_fini(&tp);
}

static void test_tag_seconds_bytes(void)
{
	struct tag_pool tp;
	struct flow f = { 0 }, g = { 0 };
	struct rule rs = tag_rule(1, TAG_METRIC_SECONDS, 3);
	struct rule rb = tag_rule(2, TAG_METRIC_BYTES, 250);
	struct packet p = tpkt(100, 100);

	CHECK_INT(0, tag_pool_init(&tp, 8));
	tag_add(&tp, &f, &rs, &p);
	CHECK(!tag_packet(&tp, &f, &p));
	/* seconds 101, 102, 103 are within 3 s of 100; 104 ends it */
	CHECK_INT(3, tagged_after(&tp, &f, 6, 100));
	CHECK_INT(0, f.tags);

	/* bytes: 100 (alerting, untagged), 200 and 250 tagged, 300 ends it */
	tag_add(&tp, &g, &rb, &p);
	CHECK(!tag_packet(&tp, &g, &p));
	CHECK_INT(1, tagged_after(&tp, &g, 1, 100));
	CHECK_INT(1, tagged_after(&tp, &g, 1, 50));
	CHECK_INT(0, tagged_after(&tp, &g, 3, 50));
	CHECK_INT(0, g.tags);
	tag_pool_fini(&tp);
}

static void test_tag_restart_and_release(void)
{
	struct tag_pool tp;
	struct flow f = { 0 };
	struct rule r = tag_rule(1, TAG_METRIC_PACKETS, 3);
	struct rule r2 = tag_rule(2, TAG_METRIC_PACKETS, 100);
	struct packet p = tpkt(100, 60);

	CHECK_INT(0, tag_pool_init(&tp, 8));
	tag_add(&tp, &f, &r, &p);
	CHECK(!tag_packet(&tp, &f, &p));
	CHECK_INT(1, tagged_after(&tp, &f, 1, 60));
	/* the rule fires again: its tag restarts (count from 0 again) */
	tag_add(&tp, &f, &r, &p);
	CHECK_INT(3, tagged_after(&tp, &f, 5, 60));
	CHECK_INT(0, f.tags);
	/* a restart is bounded: after RULE_TAG_MATCH_LIMIT the count goes on */
	tag_add(&tp, &f, &r, &p);
	for (uint32_t i = 0; i < RULE_TAG_MATCH_LIMIT + 2; i++)
		tag_add(&tp, &f, &r, &p);
	CHECK_INT(1, tp.stats.added == 2);
	/* two rules tag one flow; the flow ends: every entry is freed */
	tag_add(&tp, &f, &r2, &p);
	tag_flow_release(&tp, &f);
	CHECK_INT(0, f.tags);
	for (uint32_t i = 0; i < 8; i++) {
		struct flow g = { 0 };

		tag_add(&tp, &g, &r2, &p);
		CHECK(g.tags != 0);
	}
	CHECK_INT(0, tp.stats.pool_full);
	tag_pool_fini(&tp);
}

int main(void)
{
	renv = rule_env_new();
	rule_env_set_default_vars(renv);
	test_parse_base64();
	test_parse_tag();
	test_base64_match();
	test_tag_packets();
	test_tag_seconds_bytes();
	test_tag_restart_and_release();
	rule_env_free(renv);
	return check_result("base64_tag");
}
