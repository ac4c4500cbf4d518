/* SPDX-License-Identifier: MIT */
/* Unit tests for dataplane/detect: rules parsed by rules/, packets filled by
 * hand, exact alert counts. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dataplane/detect/detect.h"
#include "detect_fixture.h"
#include "dataplane/flow/flow-t.h"
#include "rules/rules.h"

/* Rules text -> engine and thread, in IDS or IPS mode. */
static struct detect_env setup(const char *text, int ips)
{
	struct detect_env e = detect_env_setup(NULL, text, "detect");

	detect_thread_set_ips(e.dt, ips);
	return e;
}

static struct packet tcp(const char *payload)
{
	return detect_pkt(6, "10.0.0.1", 1234, "192.168.1.1", 80, payload);
}

static struct packet udp(const char *payload)
{
	return detect_pkt(17, "10.0.0.1", 1234, "192.168.1.1", 53, payload);
}

static void in_flow(struct packet *p, struct flow *f, enum pkt_dir dir, bool est)
{
	p->flow = f;
	p->flags |= PKT_F_HAS_FLOW;
	p->dir = dir;
	p->flow_flags = (dir == PKT_TO_SERVER ? PKT_FLOW_TOSERVER : PKT_FLOW_TOCLIENT) |
			(est ? PKT_FLOW_ESTABLISHED : 0);
}

static struct detect_result res;

static uint32_t run(struct detect_env *e, struct packet *p)
{
	detect_packet(e->dt, p, &res);
	return res.nalerts;
}

/* Alerts for one packet with payload s against one rule. */
static uint32_t one(const char *rule, struct packet p)
{
	struct detect_env e = setup(rule, 0);
	uint32_t n = run(&e, &p);

	detect_env_teardown(&e);
	return n;
}

#define R(opts) "alert tcp any any -> any any (" opts " sid:1;)\n"
#define T(opts) "alert tcp any any -> any any (" opts ")\n"
#define U(opts) "alert udp any any -> any any (" opts ")\n"
#define P(opts) "alert tcp-pkt any any -> any any (" opts ")\n"

static void test_content(void)
{
	CHECK_INT(1, one(R("content:\"abc\";"), tcp("xxabcxx")));
	CHECK_INT(0, one(R("content:\"abc\";"), tcp("xxabxcx")));
	CHECK_INT(0, one(R("content:\"abc\";"), tcp("")));
	CHECK_INT(1, one(R("content:\"a|62|c\";"), tcp("abc")));
	/* nocase */
	CHECK_INT(0, one(R("content:\"ABC\";"), tcp("xabcx")));
	CHECK_INT(1, one(R("content:\"ABC\"; nocase;"), tcp("xabcx")));
	CHECK_INT(1, one(R("content:\"abc\"; nocase;"), tcp("xAbCx")));
	/* offset/depth: depth counts from offset, window [2, 7) */
	CHECK_INT(1, one(R("content:\"abc\"; offset:2; depth:5;"), tcp("xxabcxx")));
	CHECK_INT(1, one(R("content:\"abc\"; offset:2; depth:5;"), tcp("xxxxabcx")));
	CHECK_INT(0, one(R("content:\"abc\"; offset:2; depth:5;"), tcp("xxxxxabc")));
	CHECK_INT(0, one(R("content:\"abc\"; offset:2; depth:5;"), tcp("abcxxxxx")));
	CHECK_INT(1, one(R("content:\"abc\"; depth:3;"), tcp("abcxx")));
	CHECK_INT(0, one(R("content:\"abc\"; depth:3;"), tcp("xabc")));
	CHECK_INT(1, one(R("content:\"abc\"; offset:1;"), tcp("xabc")));
	CHECK_INT(0, one(R("content:\"abc\"; offset:1;"), tcp("abcx")));
	/* startswith / endswith */
	CHECK_INT(1, one(R("content:\"GET\"; startswith;"), tcp("GET /")));
	CHECK_INT(0, one(R("content:\"GET\"; startswith;"), tcp(" GET /")));
	CHECK_INT(1, one(R("content:\"end\"; endswith;"), tcp("the end")));
	CHECK_INT(0, one(R("content:\"end\"; endswith;"), tcp("end of it")));
	CHECK_INT(1, one(R("content:\"end\"; endswith;"), tcp("end the end")));
	CHECK_INT(1, one(R("content:\"END\"; nocase; endswith;"), tcp("the end")));
	/* negation */
	CHECK_INT(1, one(R("content:\"abc\"; content:!\"xyz\";"), tcp("abc")));
	CHECK_INT(0, one(R("content:\"abc\"; content:!\"xyz\";"), tcp("xyzabc")));
	CHECK_INT(1, one(R("content:!\"xyz\";"), tcp("abc")));
	CHECK_INT(0, one(R("content:!\"xyz\";"), tcp("axyz")));
	CHECK_INT(1, one(R("content:!\"xyz\"; depth:3;"), tcp("axyz")));
	/* negated relative: only the window after the match counts */
	CHECK_INT(0, one(R("content:\"abc\"; content:!\"def\"; distance:0; within:3;"),
			 tcp("abcdef")));
	CHECK_INT(1, one(R("content:\"abc\"; content:!\"def\"; distance:0; within:3;"),
			 tcp("abcxxxdef")));
	CHECK_INT(1, one(R("content:\"abc\"; content:!\"def\"; distance:1;"), tcp("abcdef")));
	/* a negated match moves nothing: the next is relative to "ab" */
	CHECK_INT(1, one(R("content:\"ab\"; content:!\"zz\"; content:\"cd\"; distance:0;"
			   " within:2;"), tcp("abcd")));
}

/* Suricata's WITHIN_NEXT rule: a content is retried at a later occurrence
 * only when the next match is bounded by it; otherwise the buffer is given
 * up at once, so a long buffer full of near misses costs one pass, not the
 * step limit. */
static void test_abandon(void)
{
	static char body[60000];
	struct detect_env e;
	struct packet p;
	size_t n = 0;

	while (n + 12 < sizeof(body) - 1) {
		memcpy(body + n, "<script <<<<", 12);
		n += 12;
	}
	body[n] = '\0';
	/* the shape of ET sid 2025185: ".length" never comes */
	e = setup(R("content:\"<script\"; nocase; content:\"<\"; distance:0;"
		    " content:\".length\"; distance:0; nocase; fast_pattern;"), 0);
	p = tcp(body);
	CHECK_INT(0, run(&e, &p));
	CHECK_INT(0, detect_thread_stats(e.dt)->inspect_limit);
	detect_env_teardown(&e);
	/* the same with the last content present once, at the very end */
	memcpy(body + n - 7, ".LENGTH", 7);
	e = setup(R("content:\"<script\"; nocase; content:\"<\"; distance:0;"
		    " content:\".length\"; distance:0; nocase; fast_pattern;"), 0);
	p = tcp(body);
	CHECK_INT(1, run(&e, &p));
	detect_env_teardown(&e);
	/* a bounded next match is still retried: the third "ab" fits */
	CHECK_INT(1, one(R("content:\"ab\"; content:\"cd\"; distance:0; within:2;"),
			 tcp("abxxabxxabcd")));
	/* an unbounded one is not, and need not be: a later start only narrows it */
	CHECK_INT(0, one(R("content:\"ab\"; content:\"cd\"; distance:5;"), tcp("abxabcd")));
	CHECK_INT(1, one(R("content:\"ab\"; content:\"cd\"; distance:3;"), tcp("abxabcd")));
	/* nocase patterns written in capitals */
	CHECK_INT(1, one(R("content:\"ABC\"; nocase;"), tcp("xxabc")));
	CHECK_INT(1, one(R("content:\"aBc\"; nocase;"), tcp("xxxxxxxxxxxxxxxxxxxxAbCxx")));
}

static void test_relative(void)
{
	/* backtracking: the first "a" fails within:2, the second one fits */
	CHECK_INT(1, one(R("content:\"a\"; content:\"Y\"; distance:0; within:2;"),
			 tcp("aXbaYc")));
	CHECK_INT(0, one(R("content:\"a\"; content:\"Y\"; distance:0; within:2;"),
			 tcp("aXbYc")));
	/* within counts from the distance point */
	CHECK_INT(1, one(R("content:\"ab\"; content:\"cd\"; distance:2; within:2;"),
			 tcp("abxxcd")));
	CHECK_INT(0, one(R("content:\"ab\"; content:\"cd\"; distance:2; within:2;"),
			 tcp("abxxxcd")));
	CHECK_INT(0, one(R("content:\"ab\"; content:\"cd\"; distance:2; within:2;"),
			 tcp("abxcd")));
	/* negative distance */
	CHECK_INT(1, one(R("content:\"cd\"; content:\"ab\"; distance:-4; within:2;"),
			 tcp("abcd")));
	CHECK_INT(0, one(R("content:\"cd\"; content:\"bc\"; distance:-4; within:2;"),
			 tcp("abcd")));
	/* three levels: only the last "a" followed by "b" then "c" works */
	CHECK_INT(1, one(R("content:\"a\"; content:\"b\"; distance:0; within:1;"
			   " content:\"c\"; distance:0; within:1;"), tcp("abxabyabc")));
	CHECK_INT(0, one(R("content:\"a\"; content:\"b\"; distance:0; within:1;"
			   " content:\"c\"; distance:0; within:1;"), tcp("abxabyab")));
	/* distance alone */
	CHECK_INT(1, one(R("content:\"GET\"; content:\"HTTP\"; distance:5;"),
			 tcp("GET /abcd HTTP/1.1")));
	CHECK_INT(0, one(R("content:\"GET\"; content:\"HTTP\"; distance:15;"),
			 tcp("GET /abcd HTTP/1.1")));
	/* a second absolute content is independent of the first */
	CHECK_INT(1, one(R("content:\"world\"; content:\"hello\";"), tcp("hello world")));
}

static void test_pcre(void)
{
	CHECK_INT(1, one(R("pcre:\"/ab+c/\";"), tcp("xabbbc")));
	CHECK_INT(0, one(R("pcre:\"/ab+c/\";"), tcp("xac")));
	CHECK_INT(0, one(R("pcre:\"/ABC/\";"), tcp("abc")));
	CHECK_INT(1, one(R("pcre:\"/ABC/i\";"), tcp("abc")));
	CHECK_INT(1, one(R("pcre:!\"/xyz/\";"), tcp("abc")));
	CHECK_INT(0, one(R("pcre:!\"/xyz/\";"), tcp("axyz")));
	CHECK_INT(1, one(R("content:\"foo\"; pcre:\"/^bar/R\";"), tcp("foobar")));
	CHECK_INT(0, one(R("content:\"foo\"; pcre:\"/^bar/R\";"), tcp("fooxbar")));
	/* the first foo fails ^bar, the second one passes */
	CHECK_INT(1, one(R("content:\"foo\"; pcre:\"/^bar/R\";"), tcp("fooxfoobar")));
	/* relative after pcre, with retry of the pcre */
	CHECK_INT(1, one(R("pcre:\"/a./\"; content:\"Z\"; distance:0; within:1;"),
			 tcp("aXbaYZ")));
	CHECK_INT(0, one(R("pcre:\"/a./\"; content:\"Z\"; distance:0; within:1;"),
			 tcp("aXbaYcZ")));
}

static void test_packet_keywords(void)
{
	CHECK_INT(1, one(R("dsize:>5;"), tcp("123456")));
	CHECK_INT(0, one(R("dsize:>5;"), tcp("12345")));
	CHECK_INT(1, one(R("dsize:5;"), tcp("12345")));
	CHECK_INT(0, one(R("dsize:5;"), tcp("1234")));
	CHECK_INT(1, one(R("dsize:<3;"), tcp("")));
	CHECK_INT(1, one(R("dsize:2-5;"), tcp("1234")));
	CHECK_INT(0, one(R("dsize:2-5;"), tcp("12345")));
	CHECK_INT(0, one(R("dsize:2-5;"), tcp("12")));
	CHECK_INT(1, one(R("dsize:!4;"), tcp("12345")));
	CHECK_INT(0, one(R("dsize:!=5;"), tcp("12345")));
	CHECK_INT(1, one(R("dsize:<=5;"), tcp("12345")));
	CHECK_INT(0, one(R("dsize:<=4;"), tcp("12345")));
	CHECK_INT(1, one(R("dsize:>=5;"), tcp("12345")));
	CHECK_INT(1, one(R("dsize:4<>6;"), tcp("12345")));
	CHECK_INT(0, one(R("dsize:5<>7;"), tcp("12345")));

	struct packet p = tcp("");

	/* every packet type: UDP and ICMP payloads (after the 8-byte header),
	 * an IP packet with no transport (0); never a stream's pseudo packet */
	p = detect_pkt(17, "10.0.0.1", 53, "10.0.0.2", 53, "abc");
	CHECK_INT(1, one("alert udp any any -> any any (dsize:3; sid:1;)\n", p));
	p = detect_pkt(1, "10.0.0.1", 0, "10.0.0.2", 0, "abcd");
	CHECK_INT(1, one("alert icmp any any -> any any (dsize:4; sid:1;)\n", p));
	p = detect_pkt(47, "10.0.0.1", 0, "10.0.0.2", 0, "");
	CHECK_INT(1, one("alert ip any any -> any any (dsize:0; sid:1;)\n", p));
	CHECK_INT(0, one("alert ip any any -> any any (dsize:>0; sid:1;)\n", p));
	p = tcp("");
	p.flags |= PKT_F_PSEUDO;
	CHECK_INT(0, one(R("dsize:0;"), p));
	CHECK_INT(0, one(R("dsize:<10;"), p));
	p = tcp("");

	p.ttl = 5;
	CHECK_INT(1, one(R("ttl:<10;"), p));
	CHECK_INT(0, one(R("ttl:>10;"), p));
	CHECK_INT(1, one(R("ttl:5;"), p));

	p = detect_pkt(1, "10.0.0.1", 0, "10.0.0.2", 0, "");
	p.icmp.type = 8;
	p.icmp.code = 0;
	CHECK_INT(1, one("alert icmp any any -> any any (itype:8; sid:1;)\n", p));
	CHECK_INT(0, one("alert icmp any any -> any any (itype:0; sid:1;)\n", p));
	CHECK_INT(1, one("alert icmp any any -> any any (itype:8; icode:0; sid:1;)\n", p));
	CHECK_INT(0, one("alert icmp any any -> any any (icode:>0; sid:1;)\n", p));
	CHECK_INT(0, one("alert icmpv6 any any -> any any (sid:1;)\n", p));
	CHECK_INT(0, one("alert ip any any -> any any (itype:8; sid:1;)\n", tcp("")));
	p = detect_pkt(58, "2001:db8::1", 0, "2001:db8::2", 0, "");
	p.icmp.type = 128;
	CHECK_INT(1, one("alert icmp any any -> any any (itype:128; sid:1;)\n", p));
	CHECK_INT(1, one("alert icmpv6 any any -> any any (sid:1;)\n", p));

	CHECK_INT(1, one("alert ip any any -> any any (ip_proto:17; sid:1;)\n",
			 detect_pkt(17, "10.0.0.1", 1, "10.0.0.2", 2, "")));
	CHECK_INT(0, one("alert ip any any -> any any (ip_proto:17; sid:1;)\n", tcp("")));
	CHECK_INT(1, one("alert ip any any -> any any (ip_proto:!17; sid:1;)\n", tcp("")));
	CHECK_INT(1, one("alert ip any any -> any any (ip_proto:tcp; sid:1;)\n", tcp("")));
}

static void test_header(void)
{
	const char *r = "alert tcp 10.0.0.0/8 any -> 192.168.1.1 80 (sid:1;)\n";
	const char *bi = "alert tcp 10.0.0.1 any <> 192.168.1.1 80 (sid:1;)\n";

	CHECK_INT(1, one(r, detect_pkt(6, "10.1.2.3", 999, "192.168.1.1", 80, "")));
	CHECK_INT(0, one(r, detect_pkt(6, "11.1.2.3", 999, "192.168.1.1", 80, "")));
	CHECK_INT(0, one(r, detect_pkt(6, "10.1.2.3", 999, "192.168.1.2", 80, "")));
	CHECK_INT(0, one(r, detect_pkt(6, "10.1.2.3", 999, "192.168.1.1", 81, "")));
	CHECK_INT(0, one(r, detect_pkt(17, "10.1.2.3", 999, "192.168.1.1", 80, "")));
	CHECK_INT(0, one(r, detect_pkt(6, "192.168.1.1", 80, "10.1.2.3", 999, "")));
	CHECK_INT(1, one(bi, detect_pkt(6, "10.0.0.1", 999, "192.168.1.1", 80, "")));
	CHECK_INT(1, one(bi, detect_pkt(6, "192.168.1.1", 80, "10.0.0.1", 999, "")));
	CHECK_INT(0, one(bi, detect_pkt(6, "192.168.1.1", 999, "10.0.0.1", 80, "")));
	/* port lists and ranges, negation */
	r = "alert udp any [1000:2000,!1500] -> any ![53,80] (sid:1;)\n";
	CHECK_INT(1, one(r, detect_pkt(17, "1.1.1.1", 1000, "2.2.2.2", 443, "")));
	CHECK_INT(1, one(r, detect_pkt(17, "1.1.1.1", 2000, "2.2.2.2", 443, "")));
	CHECK_INT(0, one(r, detect_pkt(17, "1.1.1.1", 1500, "2.2.2.2", 443, "")));
	CHECK_INT(0, one(r, detect_pkt(17, "1.1.1.1", 2001, "2.2.2.2", 443, "")));
	CHECK_INT(0, one(r, detect_pkt(17, "1.1.1.1", 1200, "2.2.2.2", 53, "")));
	/* ports on a protocol without ports: no match */
	CHECK_INT(0, one("alert ip any 80 -> any any (sid:1;)\n",
			 detect_pkt(1, "1.1.1.1", 0, "2.2.2.2", 0, "")));
	/* address negation and families */
	r = "alert ip !10.0.0.0/8 any -> any any (sid:1;)\n";
	CHECK_INT(0, one(r, detect_pkt(6, "10.9.9.9", 1, "2.2.2.2", 2, "")));
	CHECK_INT(1, one(r, detect_pkt(6, "11.9.9.9", 1, "2.2.2.2", 2, "")));
	r = "alert ip 2001:db8::/32 any -> any any (sid:1;)\n";
	CHECK_INT(1, one(r, detect_pkt(6, "2001:db8::5", 1, "2001:db9::1", 2, "")));
	CHECK_INT(0, one(r, detect_pkt(6, "2001:db9::5", 1, "2001:db8::1", 2, "")));
	CHECK_INT(0, one(r, detect_pkt(6, "10.0.0.1", 1, "10.0.0.2", 2, "")));
	CHECK_INT(1, one("alert ipv6 any any -> any any (sid:1;)\n",
			 detect_pkt(17, "::1", 1, "::2", 2, "")));
	CHECK_INT(0, one("alert ipv6 any any -> any any (sid:1;)\n", tcp("")));
	CHECK_INT(0, one("alert ipv4 any any -> any any (sid:1;)\n",
			 detect_pkt(17, "::1", 1, "::2", 2, "")));
	/* tcp-stream needs reassembled data, which does not exist yet */
	CHECK_INT(0, one("alert tcp-stream any any -> any any (sid:1;)\n", tcp("abc")));
	CHECK_INT(1, one("alert tcp-pkt any any -> any any (sid:1;)\n", tcp("abc")));
}

static void test_flow_keyword(void)
{
	struct flow f;
	struct packet p = tcp("x");

	memset(&f, 0, sizeof(f));
	CHECK_INT(0, one(R("flow:to_server;"), p));	/* no flow */
	CHECK_INT(1, one(R("flow:stateless;"), p));
	in_flow(&p, &f, PKT_TO_SERVER, true);
	CHECK_INT(1, one(R("flow:to_server;"), p));
	CHECK_INT(1, one(R("flow:from_client,established;"), p));
	CHECK_INT(0, one(R("flow:to_client;"), p));
	CHECK_INT(0, one(R("flow:not_established;"), p));
	in_flow(&p, &f, PKT_TO_CLIENT, false);
	CHECK_INT(1, one(R("flow:to_client,not_established;"), p));
	CHECK_INT(0, one(R("flow:established;"), p));
	CHECK_INT(0, one(R("flow:to_server;"), p));
}

static void test_fast_pattern(void)
{
	struct detect_env e = setup(
		T("content:\"ab\"; content:\"abcd\"; content:\"xyz\"; sid:1;")
		T("content:\"ab\"; fast_pattern; content:\"abcd\"; sid:2;")
		T("content:\"aaaa\"; content:\"wxyz\"; sid:3;")
		T("content:\"wxyz\"; content:\"qrst\"; sid:4;")
		T("content:!\"longer\"; content:\"ab\"; sid:5;")
		T("content:!\"abc\"; sid:6;")
		T("pcre:\"/abc/\"; sid:7;")
		T("content:\"ABCD\"; nocase; sid:8;")
		T("content:\"abcdef\"; fast_pattern:2,3; sid:9;")
		T("content:\"only\"; fast_pattern:only; sid:10;"),
		0);
	int32_t want[] = { 1, 0, 1, 0, 1, -1, -1, 0, 0, 0 };
	struct detect_engine_info info;

	for (uint32_t i = 0; i < e.rs->n; i++)
		CHECK_INT(want[i], detect_fast_pattern_select(e.rs->rules[i]));
	detect_engine_info(e.de, &info);
	CHECK_INT(10, info.rules);
	CHECK_INT(8, info.with_fast_pattern);
	CHECK_INT(2, info.without_fast_pattern);
	/* abcd, ab (twice), aaaa (no: wxyz), wxyz (twice), ABCD/i, cde, only:
	 * in the TCP stream prefilter and in each direction's */
	CHECK_INT(3 * 6, info.patterns);
	CHECK(info.db_bytes > 0);

	struct packet p = tcp("xxABCDEFxx");

	/* 6 (no "abc": case matters) and 8 (nocase); not 9: the chopped "cde" only
	 * prefilters, "abcdef" must be there as written */
	CHECK_INT(2, run(&e, &p));
	CHECK_INT(6, res.alerts[0].rule->sid);
	CHECK_INT(8, res.alerts[1].rule->sid);
	p = tcp("abcdef");
	/* 2 (ab + abcd), 5 (ab, no "longer"), 7 (pcre), 8, 9 */
	CHECK_INT(5, run(&e, &p));
	CHECK_INT(2, res.alerts[0].rule->sid);
	CHECK_INT(5, res.alerts[1].rule->sid);
	CHECK_INT(7, res.alerts[2].rule->sid);
	CHECK_INT(8, res.alerts[3].rule->sid);
	CHECK_INT(9, res.alerts[4].rule->sid);
	p = tcp("xonlyx zzz");
	CHECK_INT(2, run(&e, &p));	/* 6 (no "abc") and 10 */
	CHECK_INT(6, res.alerts[0].rule->sid);
	CHECK_INT(10, res.alerts[1].rule->sid);
	CHECK_INT(9, detect_thread_stats(e.dt)->alerts);
	detect_env_teardown(&e);
}

/* A flow's packet is prefiltered with its direction's patterns only: a rule
 * of the other direction is no candidate; without a flow every rule is. */
static void test_directed_prefilter(void)
{
	struct detect_env e = setup(
		T("flow:to_server; content:\"reqpat\"; sid:1;")
		T("flow:to_client; content:\"resppat\"; sid:2;")
		T("content:\"anypat\"; sid:3;")
		T("flow:to_server; content:\"reqpat\"; dsize:<100; sid:4;"),
		0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	struct flow f;
	struct packet p;
	uint64_t c0;

	memset(&f, 0, sizeof(f));
	p = tcp("reqpat resppat anypat");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	c0 = st->candidates;
	CHECK_INT(3, run(&e, &p));	/* 1, 3, 4 */
	CHECK_INT(1, res.alerts[0].rule->sid);
	CHECK_INT(3, res.alerts[1].rule->sid);
	CHECK_INT(4, res.alerts[2].rule->sid);
	CHECK_INT((long long)c0 + 3, (long long)st->candidates);
	p = tcp("reqpat resppat anypat");
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	c0 = st->candidates;
	CHECK_INT(2, run(&e, &p));	/* 2, 3 */
	CHECK_INT(2, res.alerts[0].rule->sid);
	CHECK_INT(3, res.alerts[1].rule->sid);
	CHECK_INT((long long)c0 + 2, (long long)st->candidates);
	/* no flow: the whole sets; flow:to_* needs one, 3 alerts. 1, 2 and 3
	 * are candidates; sid 4's set is not scanned: its one rule's flow
	 * test fails first (detect_pfcheck.c) */
	p = tcp("reqpat resppat anypat");
	c0 = st->candidates;
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(3, res.alerts[0].rule->sid);
	CHECK_INT((long long)c0 + 3, (long long)st->candidates);
	CHECK_INT(1, (long long)st->mpm_checked_out);
	detect_env_teardown(&e);
}

/* A flow's packet is scanned with its server port's set (detect_pfport.c):
 * a rule bound to other server ports is no candidate there, yet alerts on
 * its own; any-port and bidirectional rules are candidates on every port;
 * a to-client packet is grouped by its source port. */
static struct packet tcp_ports(uint16_t sp, uint16_t dp, const char *payload)
{
	return detect_pkt(6, "10.0.0.1", sp, "192.168.1.1", dp, payload);
}

static void test_port_group_prefilter(void)
{
	static const char pay[] = "smbpat rngpat anypat bipat resppat";
	struct detect_env e = setup(
		"alert tcp any any -> any 445 (content:\"smbpat\"; sid:1;)\n"
		"alert tcp any any -> any 6000:6010 (content:\"rngpat\"; sid:2;)\n"
		"alert tcp any any -> any any (content:\"anypat\"; sid:3;)\n"
		"alert tcp any any <> any 445 (content:\"bipat\"; sid:4;)\n"
		"alert tcp any 445 -> any any (flow:to_client; content:\"resppat\"; sid:5;)\n",
		0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	struct flow f;
	struct packet p;
	uint64_t c0;

	memset(&f, 0, sizeof(f));
	p = tcp_ports(1234, 445, pay);
	in_flow(&p, &f, PKT_TO_SERVER, true);
	c0 = st->candidates;
	CHECK_INT(3, run(&e, &p));	/* 1, 3, 4 */
	CHECK_INT(1, res.alerts[0].rule->sid);
	CHECK_INT(3, res.alerts[1].rule->sid);
	CHECK_INT(4, res.alerts[2].rule->sid);
	CHECK_INT((long long)c0 + 3, (long long)st->candidates);
	/* port 80: 1 and 2 are not in its set; 4 is, and its header refuses */
	p = tcp_ports(1234, 80, pay);
	in_flow(&p, &f, PKT_TO_SERVER, true);
	c0 = st->candidates;
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(3, res.alerts[0].rule->sid);
	CHECK_INT((long long)c0 + 2, (long long)st->candidates);
	/* inside the range, at both its ends */
	for (uint16_t port = 6000; port <= 6010; port += 10) {
		p = tcp_ports(1234, port, pay);
		in_flow(&p, &f, PKT_TO_SERVER, true);
		c0 = st->candidates;
		CHECK_INT(2, run(&e, &p));	/* 2, 3 */
		CHECK_INT(2, res.alerts[0].rule->sid);
		CHECK_INT((long long)c0 + 3, (long long)st->candidates);
	}
	/* just past it: not a candidate */
	p = tcp_ports(1234, 6011, pay);
	in_flow(&p, &f, PKT_TO_SERVER, true);
	c0 = st->candidates;
	CHECK_INT(1, run(&e, &p));
	CHECK_INT((long long)c0 + 2, (long long)st->candidates);
	/* to the client from 445: 5 is a candidate, and 4 reversed alerts */
	p = tcp_ports(445, 1234, pay);
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	c0 = st->candidates;
	CHECK_INT(3, run(&e, &p));	/* 3, 4, 5 */
	CHECK_INT(3, res.alerts[0].rule->sid);
	CHECK_INT(4, res.alerts[1].rule->sid);
	CHECK_INT(5, res.alerts[2].rule->sid);
	CHECK_INT((long long)c0 + 5, (long long)st->candidates);
	/* from 80: 5 is no candidate (1, 2: their source ports are any) */
	p = tcp_ports(80, 1234, pay);
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	c0 = st->candidates;
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(3, res.alerts[0].rule->sid);
	CHECK_INT((long long)c0 + 4, (long long)st->candidates);
	/* no flow: the whole set, every rule a candidate */
	p = tcp_ports(1234, 445, pay);
	c0 = st->candidates;
	CHECK_INT(3, run(&e, &p));	/* 1, 3, 4 */
	CHECK_INT((long long)c0 + 5, (long long)st->candidates);
	detect_env_teardown(&e);
}

/* Port groups with the same rules share one database: 139 and 445 hold
 * the same rules (3 sets: theirs, 1433's, the unnamed ports'), and a set as
 * whole as its kind's (the to-client side: no rule binds a source port) is
 * the kind's own. */
static void test_port_group_dedupe(void)
{
	struct detect_env e = setup(
		"alert tcp any any -> any [139,445] (content:\"smbpat\"; sid:1;)\n"
		"alert tcp any any -> any 1433 (content:\"sqlpat\"; sid:2;)\n"
		"alert tcp any any -> any any (content:\"anypat\"; sid:3;)\n",
		0);
	struct detect_engine_info info;
	struct flow f;
	struct packet p;

	detect_engine_info(e.de, &info);
	CHECK_INT(3, info.port_dbs);
	memset(&f, 0, sizeof(f));
	for (uint16_t port = 139; port <= 445; port += 306) {
		p = tcp_ports(1234, port, "smbpat sqlpat anypat");
		in_flow(&p, &f, PKT_TO_SERVER, true);
		CHECK_INT(2, run(&e, &p));	/* 1, 3 */
		CHECK_INT(1, res.alerts[0].rule->sid);
	}
	p = tcp_ports(1234, 1433, "smbpat sqlpat anypat");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	CHECK_INT(2, run(&e, &p));	/* 2, 3 */
	CHECK_INT(2, res.alerts[0].rule->sid);
	detect_env_teardown(&e);
}

/* Packet rules whose dsize admits only short payloads have a prefilter of
 * their own, which a longer payload skips: its rules are then no
 * candidates and the scan is not made; a short payload takes both sets. */
static void test_small_payload_prefilter(void)
{
	struct detect_env e = setup(
		T("content:\"small\"; dsize:<50; sid:1;")
		T("content:\"small\"; dsize:>49; sid:2;")
		U("content:\"small\"; dsize:10<>60; sid:3;")
		U("content:\"small\"; sid:4;"),
		0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	static char big[1501];
	struct packet p;
	uint64_t c0, s0;

	memset(big, 'x', sizeof(big) - 1);
	memcpy(big + 700, "small", 5);
	p = tcp("a small one");
	c0 = st->candidates;
	s0 = st->mpm_scans;
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(1, res.alerts[0].rule->sid);
	/* sid 2's set is not scanned: its one rule's dsize fails first */
	CHECK_INT((long long)c0 + 1, (long long)st->candidates);
	CHECK_INT((long long)s0 + 1, (long long)st->mpm_scans);
	p = tcp(big);
	c0 = st->candidates;
	s0 = st->mpm_scans;
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(2, res.alerts[0].rule->sid);
	CHECK_INT((long long)c0 + 1, (long long)st->candidates);
	CHECK_INT((long long)s0 + 1, (long long)st->mpm_scans);
	p = udp("a small one, over UDP");
	CHECK_INT(2, run(&e, &p));
	CHECK_INT(3, res.alerts[0].rule->sid);
	CHECK_INT(4, res.alerts[1].rule->sid);
	p = udp(big);
	c0 = st->candidates;
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(4, res.alerts[0].rule->sid);
	CHECK_INT((long long)c0 + 1, (long long)st->candidates);
	detect_env_teardown(&e);
}

/* Scans of one packet: Hyperscan calls plus answers from the memo. */
static uint64_t scans(const struct detect_stats *st)
{
	return st->mpm_scans + st->mpm_remembered;
}

/* A flow's payload due for both of its family's packet sets (any size,
 * short only) is scanned once, with their pair's database of its port
 * slot: each set's rules are candidates as with two scans. A payload due
 * for one set (too long for the short one, or the other's check fails) is
 * scanned with that set alone. */
static void test_packet_set_pair(void)
{
	struct detect_env e = setup(
		"alert tcp-pkt any any -> any any (content:\"anypat\"; sid:1;)\n"
		T("dsize:<200; content:\"smallpat\"; sid:2;")
		"alert tcp any any -> any 445 (dsize:<200; content:\"smbpat\"; sid:3;)\n"
		U("content:\"udppat\"; sid:4;")
		U("dsize:<200; content:\"udpsmall\"; sid:5;"),
		0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	static char big[301];
	uint64_t c0, s0, b0;
	struct flow f;
	struct packet p;

	memset(&f, 0, sizeof(f));
	/* port 445's slot: all three TCP rules, one scan */
	p = tcp_ports(1234, 445, "anypat smallpat smbpat");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	c0 = st->candidates;
	s0 = scans(st);
	b0 = st->mpm_pkt_both;
	CHECK_INT(3, run(&e, &p));
	CHECK_INT(1, res.alerts[0].rule->sid);
	CHECK_INT(2, res.alerts[1].rule->sid);
	CHECK_INT(3, res.alerts[2].rule->sid);
	CHECK_INT((long long)c0 + 3, (long long)st->candidates);
	CHECK_INT((long long)s0 + 1, (long long)scans(st));
	CHECK_INT((long long)b0 + 1, (long long)st->mpm_pkt_both);
	/* another port's slot: sid 3 is not in its pair */
	p = tcp_ports(1234, 80, "anypat smallpat smbpat");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	c0 = st->candidates;
	CHECK_INT(2, run(&e, &p));
	CHECK_INT((long long)c0 + 2, (long long)st->candidates);
	CHECK_INT((long long)b0 + 2, (long long)st->mpm_pkt_both);
	/* too long for the short set: the other alone */
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big + 100, "anypat smallpat smbpat", 22);
	p = tcp_ports(1234, 445, big);
	in_flow(&p, &f, PKT_TO_SERVER, true);
	c0 = st->candidates;
	s0 = scans(st);
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(1, res.alerts[0].rule->sid);
	CHECK_INT((long long)c0 + 1, (long long)st->candidates);
	CHECK_INT((long long)s0 + 1, (long long)scans(st));
	CHECK_INT((long long)b0 + 2, (long long)st->mpm_pkt_both);
	/* UDP: its two sets the same way */
	p = detect_pkt(17, "10.0.0.1", 1234, "192.168.1.1", 53, "udppat udpsmall");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	s0 = scans(st);
	CHECK_INT(2, run(&e, &p));
	CHECK_INT(4, res.alerts[0].rule->sid);
	CHECK_INT(5, res.alerts[1].rule->sid);
	CHECK_INT((long long)s0 + 1, (long long)scans(st));
	CHECK_INT((long long)b0 + 3, (long long)st->mpm_pkt_both);
	detect_env_teardown(&e);

	/* the any-size set's check leaves it out: the short set alone */
	e = setup(P("flow:to_client; ttl:<10; content:\"lowpat\"; sid:1;")
		  T("flow:to_client; dsize:<100; content:\"smallpat\"; sid:2;"), 0);
	st = detect_thread_stats(e.dt);
	memset(&f, 0, sizeof(f));
	p = tcp("lowpat smallpat");
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	c0 = st->candidates;
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(2, res.alerts[0].rule->sid);
	CHECK_INT((long long)c0 + 1, (long long)st->candidates);
	CHECK_INT(1, (long long)st->mpm_checked_out);
	CHECK_INT(0, (long long)st->mpm_pkt_both);
	p.ttl = 5;
	CHECK_INT(2, run(&e, &p));
	CHECK_INT(1, (long long)st->mpm_pkt_both);
	detect_env_teardown(&e);
}

/* Short absolute fast patterns go into a head prefilter scanned over the
 * payload's first bytes, as far as their loosest bound (offset + depth,
 * startswith): a hit past it is no candidate, one within it is; a literal
 * one rule bounds and another does not stays in the whole-payload set; a
 * longer pattern is bounded by the verification alone. */
static void test_bounded_prefilter(void)
{
	struct detect_env e = setup(
		T("content:\"ab\"; depth:2; sid:1;")
		T("content:\"cd\"; offset:3; depth:2; sid:2;")
		T("content:\"ef\"; startswith; sid:3;")
		T("content:\"gh\"; sid:4;")
		T("content:\"xy\"; depth:3; sid:5;")
		T("content:\"xy\"; sid:6;")
		T("content:\"klmnopqr\"; depth:10; sid:7;"),
		0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	uint64_t c0;
	struct packet p = tcp("abxcdxx");

	CHECK_INT(2, run(&e, &p));	/* 1, 2 */
	CHECK_INT(1, res.alerts[0].rule->sid);
	CHECK_INT(2, res.alerts[1].rule->sid);
	p = tcp("efgh");
	CHECK_INT(2, run(&e, &p));	/* 3, 4 */
	CHECK_INT(3, res.alerts[0].rule->sid);
	CHECK_INT(4, res.alerts[1].rule->sid);
	/* every bounded one past its bound: no candidate at all */
	c0 = st->candidates;
	p = tcp("zzzzzzabcdef");
	CHECK_INT(0, run(&e, &p));
	CHECK_INT((long long)c0, (long long)st->candidates);
	/* xy past sid 5's bound: the literal is sid 6's too, unbounded */
	p = tcp("zzzzxy");
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(6, res.alerts[0].rule->sid);
	p = tcp("zxy");
	CHECK_INT(2, run(&e, &p));
	/* 8 bytes: prefiltered anywhere, verified within depth 10 */
	p = tcp("zzklmnopqr");
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(7, res.alerts[0].rule->sid);
	c0 = st->candidates;
	p = tcp("zzzklmnopqr");
	CHECK_INT(0, run(&e, &p));
	CHECK_INT((long long)c0 + 1, (long long)st->candidates);
	detect_env_teardown(&e);
}

/* The prefilter reports every occurrence of a pattern; its rules are
 * candidates once per scan, however often it occurs, and the next scan
 * starts afresh (the first-hit stamps are per scan). */
static void test_repeated_pattern(void)
{
	struct detect_env e = setup(
		T("content:\"abc\"; sid:1;")
		T("content:\"abc\"; content:\"zz\"; distance:0; sid:2;")
		T("content:\"qq\"; sid:3;"),
		0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	uint64_t c0 = st->candidates, m0 = st->mpm_matches;
	struct packet p = tcp("abcabcabcabcabcabcabcabcabcabcabcabc zz");

	CHECK_INT(2, run(&e, &p));	/* 1, 2 */
	CHECK_INT((long long)c0 + 2, (long long)st->candidates);
	CHECK_INT((long long)m0 + 1, (long long)st->mpm_matches);
	c0 = st->candidates;
	p = tcp("qq abc qq abc");
	CHECK_INT(2, run(&e, &p));	/* 1, 3 */
	CHECK_INT(1, res.alerts[0].rule->sid);
	CHECK_INT(3, res.alerts[1].rule->sid);
	CHECK_INT((long long)c0 + 3, (long long)st->candidates);
	detect_env_teardown(&e);
}

/* A fast pattern that ends in a run of one byte longer than Hyperscan's
 * literal filter goes into the prefilter cut after the filter's length
 * past the run's start ("z" and seven dashes): a run alone is no
 * candidate, the cut pattern is one, and only the whole content alerts. */
static void test_run_tail_prefilter(void)
{
	struct detect_env e = setup(T("content:\"z-----------\"; sid:1;")
				    T("content:\"Y--------\"; nocase; sid:2;"), 0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	uint64_t c0 = st->candidates;
	struct packet p = tcp("--------------------------------");

	CHECK_INT(0, run(&e, &p));
	CHECK_INT((long long)c0, (long long)st->candidates);
	p = tcp("xz-------q");
	CHECK_INT(0, run(&e, &p));
	CHECK_INT((long long)c0 + 1, (long long)st->candidates);
	p = tcp("xxz-----------xx");
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(1, res.alerts[0].rule->sid);
	p = tcp("xxy--------");
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(2, res.alerts[0].rule->sid);
	p = tcp("xxy-------x");
	c0 = st->candidates;
	CHECK_INT(0, run(&e, &p));
	CHECK_INT((long long)c0 + 1, (long long)st->candidates);
	detect_env_teardown(&e);
}

/* Periodic fast patterns report once per scan (SINGLEMATCH): the longer
 * run and the patterns that overlap a run's end are still found, in the
 * packet's scan and the next one. */
static void test_periodic_pattern(void)
{
	struct detect_env e = setup(T("content:\"AAAA\"; sid:1;")
				    T("content:\"AAAAAAAAAA\"; sid:2;")
				    T("content:\"Aq\"; sid:3;")
				    T("content:\"xyxyxy\"; nocase; sid:4;"), 0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	uint64_t c0 = st->candidates;
	struct packet p = tcp("AAAAAAAAAAAAAAAAAAAAq XYxyXyxY");

	CHECK_INT(4, run(&e, &p));
	CHECK_INT((long long)c0 + 4, (long long)st->candidates);
	for (uint32_t i = 0; i < 4; i++)
		CHECK_INT(i + 1, res.alerts[i].rule->sid);
	p = tcp("AAAAAAAAAq AAAAA xyxyx");
	CHECK_INT(2, run(&e, &p));
	CHECK_INT(1, res.alerts[0].rule->sid);
	CHECK_INT(3, res.alerts[1].rule->sid);
	detect_env_teardown(&e);
}

/* A content of one repeated byte is the fast pattern only when the rule
 * has no other (explicit fast_pattern aside): a run in the data makes no
 * candidate of such a rule, its other content does, and every content is
 * still verified. */
static void test_run_fast_pattern(void)
{
	struct detect_env e = setup(
		T("content:\"AAAAAAAAAAAAAAAA\"; content:\"|0d 0a|TV\"; sid:1;")
		T("content:\"|00 00 00 00 00|\"; content:!\"xy\"; sid:2;")
		T("content:\"aAaA\"; nocase; content:\"bc\"; sid:3;")
		T("content:\"aAaA\"; content:\"bc\"; sid:4;")
		T("content:\"AAAA\"; fast_pattern; content:\"xyz\"; sid:5;")
		T("content:\"q\"; content:\"zz\"; sid:6;"),
		0);
	int32_t want[] = { 1, 0, 1, 0, 0, 1 };
	const struct detect_stats *st = detect_thread_stats(e.dt);
	uint64_t c0;
	struct packet p;

	for (uint32_t i = 0; i < e.rs->n; i++)
		CHECK_INT(want[i], detect_fast_pattern_select(e.rs->rules[i]));
	/* a run of A: rule 5 alone (its explicit "AAAA") is a candidate */
	p = tcp("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	c0 = st->candidates;
	CHECK_INT(0, run(&e, &p));
	CHECK_INT((long long)c0 + 1, (long long)st->candidates);
	/* the other content without the run: a candidate, turned down */
	p = tcp("xx\r\nTVxx bc");
	c0 = st->candidates;
	CHECK_INT(0, run(&e, &p));
	CHECK_INT((long long)c0 + 2, (long long)st->candidates);	/* 1 and 3 */
	p = tcp("\r\nTVAAAAAAAAAAAAAAAA aaaabc");
	CHECK_INT(2, run(&e, &p));
	CHECK_INT(1, res.alerts[0].rule->sid);
	CHECK_INT(3, res.alerts[1].rule->sid);
	detect_env_teardown(&e);
}

/* Short payloads seen before take the prefilter's answer from the worker's
 * memo: the same alerts, other bytes of the same length scanned anew,
 * payloads longer than an entry holds scanned every time. */
static void test_payload_memo(void)
{
	struct detect_env e = setup(
		T("content:\"abc\"; sid:1;")
		T("content:\"abd\"; sid:2;"),
		0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	uint64_t r0 = st->mpm_remembered, s0;
	char big[300];
	struct packet p;

	for (int round = 0; round < 3; round++) {
		p = tcp("xx abc xx");
		CHECK_INT(1, run(&e, &p));
		CHECK_INT(1, res.alerts[0].rule->sid);
		p = tcp("xx abd xx");
		CHECK_INT(1, run(&e, &p));
		CHECK_INT(2, res.alerts[0].rule->sid);
		p = tcp("xx abe xx");
		CHECK_INT(0, run(&e, &p));
	}
	CHECK(st->mpm_remembered >= r0 + 6);	/* rounds 2 and 3 */
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big + 200, "abc", 3);
	r0 = st->mpm_remembered;
	s0 = st->mpm_scans;
	for (int round = 0; round < 2; round++) {
		p = tcp(big);
		CHECK_INT(1, run(&e, &p));
	}
	CHECK_INT(0, (long long)(st->mpm_remembered - r0));
	CHECK(st->mpm_scans >= s0 + 2);
	detect_env_teardown(&e);
}

static void test_flowbits(void)
{
	struct detect_env e = setup(
		T("content:\"data\"; flowbits:isset,auth; sid:2;")
		T("content:\"login\"; flowbits:set,auth; flowbits:noalert; sid:1;")
		T("content:\"data\"; flowbits:isnotset,auth; sid:3;")
		T("content:\"logout\"; flowbits:unset,auth; sid:4;")
		T("content:\"flip\"; flowbits:toggle,t; sid:5;")
		T("content:\"chk\"; flowbits:isset,t|auth; sid:6;"),
		0);
	struct flow f;
	struct packet p;

	memset(&f, 0, sizeof(f));
	p = tcp("data");
	CHECK_INT(0, run(&e, &p));		/* flowbits need a flow */
	in_flow(&p, &f, PKT_TO_SERVER, true);
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(3, res.alerts[0].rule->sid);
	p = tcp("login");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	CHECK_INT(0, run(&e, &p));		/* noalert */
	CHECK_INT(1, f.nbits);
	p = tcp("data");
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(2, res.alerts[0].rule->sid);
	p = tcp("logout data");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	/* 4 unsets, and flowbit writers run before readers: 3 fires, not 2 */
	CHECK_INT(2, run(&e, &p));
	CHECK_INT(4, res.alerts[0].rule->sid);
	CHECK_INT(3, res.alerts[1].rule->sid);
	CHECK_INT(0, f.nbits);

	/* set and check in one packet: the setter runs first */
	struct flow g;

	memset(&g, 0, sizeof(g));
	p = tcp("login data");
	in_flow(&p, &g, PKT_TO_SERVER, true);
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(2, res.alerts[0].rule->sid);

	/* toggle twice, OR list */
	memset(&g, 0, sizeof(g));
	p = tcp("chk");
	in_flow(&p, &g, PKT_TO_SERVER, true);
	CHECK_INT(0, run(&e, &p));
	p = tcp("flip");
	in_flow(&p, &g, PKT_TO_SERVER, true);
	CHECK_INT(1, run(&e, &p));
	p = tcp("chk");
	in_flow(&p, &g, PKT_TO_SERVER, true);
	CHECK_INT(1, run(&e, &p));
	p = tcp("flip");
	in_flow(&p, &g, PKT_TO_SERVER, true);
	CHECK_INT(1, run(&e, &p));
	p = tcp("chk");
	in_flow(&p, &g, PKT_TO_SERVER, true);
	CHECK_INT(0, run(&e, &p));
	detect_env_teardown(&e);
}

/* A packet set whose few rules each have a header or flowbit test is
 * scanned only for a packet one of them passes (detect_pfcheck.c): a failed
 * test (sid 6: its port, though its dsize passes) leaves the scan out, a
 * passed one scans as before; a flowbit a rule
 * of the same direction can set on the same packet is no test to ask. */
static void test_checked_prefilter(void)
{
	struct detect_env e = setup(
		P("flow:to_client; ttl:<10; content:\"lowpat\"; sid:1;")
		P("flow:to_client; flowbits:isset,seen; content:\"bitpat\"; sid:2;")
		P("flow:to_server; content:\"login\"; flowbits:set,seen; flowbits:noalert; sid:3;")
		"alert tcp-pkt any any -> any 53 (dsize:>5; content:\"portpat\"; sid:6;)\n",
		0);
	const struct detect_stats *st = detect_thread_stats(e.dt);
	struct flow f;
	struct packet p;
	uint64_t out0, b0;

	memset(&f, 0, sizeof(f));
	p = tcp("lowpat bitpat");
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	out0 = st->mpm_checked_out;
	b0 = st->mpm_pkt_bytes;
	CHECK_INT(0, run(&e, &p));
	CHECK_INT((long long)out0 + 1, (long long)st->mpm_checked_out);
	CHECK_INT((long long)b0, (long long)st->mpm_pkt_bytes);
	/* the TTL test passes: scanned, sid 1 alerts */
	p.ttl = 5;
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(1, res.alerts[0].rule->sid);
	CHECK_INT((long long)out0 + 1, (long long)st->mpm_checked_out);
	CHECK_INT((long long)b0 + p.payload_len, (long long)st->mpm_pkt_bytes);
	/* the bit, set by a to-server rule, opens the set for sid 2 */
	p = tcp("login");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	CHECK_INT(0, run(&e, &p));
	p = tcp("lowpat bitpat");
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(2, res.alerts[0].rule->sid);
	CHECK_INT((long long)out0 + 1, (long long)st->mpm_checked_out);
	detect_env_teardown(&e);

	/* the setter runs on to-client packets too (from the small set): the
	 * reader's set is scanned though the bit is unset when it starts */
	e = setup(P("flow:to_client; dsize:<100; content:\"setter\"; flowbits:set,b2; "
		    "flowbits:noalert; sid:4;")
		  P("flow:to_client; flowbits:isset,b2; content:\"reader\"; sid:5;"), 0);
	st = detect_thread_stats(e.dt);
	memset(&f, 0, sizeof(f));
	p = tcp("setter reader");
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(5, res.alerts[0].rule->sid);
	CHECK_INT(0, (long long)st->mpm_checked_out);
	detect_env_teardown(&e);
}

/* n packets, one per second from t0 (seconds), counting alerts. */
static uint32_t series(struct detect_env *e, struct packet *p, uint32_t n, uint64_t t0)
{
	uint32_t a = 0;

	for (uint32_t i = 0; i < n; i++) {
		p->ts_us = (t0 + i) * 1000000ull;
		a += run(e, p);
	}
	return a;
}

static void test_thresholds(void)
{
	struct detect_env e;
	struct packet p = tcp("x"), q = detect_pkt(6, "10.0.0.2", 1, "192.168.1.1", 80, "x");

	e = setup(R("threshold:type limit, track by_src, count 2, seconds 60;"), 0);
	CHECK_INT(2, series(&e, &p, 5, 0));		/* t = 0..4 */
	CHECK_INT(1, series(&e, &q, 1, 0));		/* another source */
	CHECK_INT(0, series(&e, &p, 1, 60));		/* window end is inclusive */
	CHECK_INT(2, series(&e, &p, 3, 61));		/* new window at 61 */
	CHECK_INT(3 + 2, detect_thread_stats(e.dt)->alerts_suppressed);
	detect_env_teardown(&e);

	e = setup(R("threshold:type threshold, track by_dst, count 3, seconds 60;"), 0);
	CHECK_INT(2, series(&e, &p, 7, 0));		/* the 3rd and the 6th */
	CHECK_INT(0, series(&e, &p, 2, 100));		/* new window: 1, 2 */
	CHECK_INT(1, series(&e, &q, 1, 102));		/* same dst: the 3rd */
	detect_env_teardown(&e);

	e = setup(R("threshold:type both, track by_src, count 3, seconds 10;"), 0);
	CHECK_INT(1, series(&e, &p, 8, 0));		/* only the 3rd, t = 0..7 */
	CHECK_INT(1, series(&e, &p, 3, 11));		/* window expired at 10 */
	detect_env_teardown(&e);

	e = setup(R("threshold:type limit, track by_rule, count 1, seconds 60;"), 0);
	CHECK_INT(1, series(&e, &p, 2, 0));
	CHECK_INT(0, series(&e, &q, 2, 2));		/* any source counts */
	detect_env_teardown(&e);

	e = setup(R("threshold:type limit, track by_both, count 1, seconds 60;"), 0);
	struct packet rev = detect_pkt(6, "192.168.1.1", 80, "10.0.0.1", 1234, "x");

	CHECK_INT(1, series(&e, &p, 2, 0));
	CHECK_INT(0, series(&e, &rev, 1, 2));		/* same pair, reversed */
	CHECK_INT(1, series(&e, &q, 1, 3));
	detect_env_teardown(&e);

	struct flow f1, f2;

	memset(&f1, 0, sizeof(f1));
	memset(&f2, 0, sizeof(f2));
	f1.flow_id = 1;
	f2.flow_id = 2;
	/* (content: a rule with only a threshold is IP-only: once per direction) */
	e = setup(R("content:\"x\"; threshold:type limit, track by_flow, count 2, seconds 60;"),
		  0);
	CHECK_INT(0, series(&e, &p, 2, 0));		/* by_flow without a flow */
	in_flow(&p, &f1, PKT_TO_SERVER, true);
	CHECK_INT(2, series(&e, &p, 4, 0));
	in_flow(&p, &f2, PKT_TO_SERVER, true);
	CHECK_INT(2, series(&e, &p, 4, 0));
	detect_env_teardown(&e);

	p = tcp("x");
	e = setup(R("detection_filter:track by_src, count 2, seconds 60;"), 0);
	CHECK_INT(5, series(&e, &p, 7, 0));		/* every match after the 2nd */
	CHECK_INT(1, series(&e, &p, 3, 100));		/* new window: only the 3rd */
	detect_env_teardown(&e);

	/* backoff: matches 1, 10, 100 of each flow alert, the rest are silent;
	 * no window: hours apart still count on */
	e = setup(R("content:\"x\"; threshold:type backoff, track by_flow, count 1, "
		    "multiplier 10;"), 0);
	memset(&f1, 0, sizeof(f1));
	memset(&f2, 0, sizeof(f2));
	f1.flow_id = 1;
	f2.flow_id = 2;
	in_flow(&p, &f1, PKT_TO_SERVER, true);
	CHECK_INT(1, series(&e, &p, 9, 0));		/* the 1st */
	CHECK_INT(1, series(&e, &p, 1, 9));		/* the 10th */
	CHECK_INT(0, series(&e, &p, 89, 10));		/* 11..99 */
	CHECK_INT(1, series(&e, &p, 1, 99));		/* the 100th */
	CHECK_INT(97, detect_thread_stats(e.dt)->alerts_suppressed);
	in_flow(&p, &f2, PKT_TO_SERVER, true);
	CHECK_INT(2, series(&e, &p, 10, 7200));		/* another flow: its 1st and 10th */
	detect_env_teardown(&e);
	/* count 5, multiplier 5: the 5th and the 25th */
	e = setup(R("content:\"x\"; threshold:type backoff, track by_flow, count 5, "
		    "multiplier 5;"), 0);
	in_flow(&p, &f1, PKT_TO_SERVER, true);
	CHECK_INT(1, series(&e, &p, 24, 0));
	CHECK_INT(1, series(&e, &p, 1, 24));
	CHECK_INT(0, series(&e, &p, 99, 25));
	detect_env_teardown(&e);
}

static void test_actions(void)
{
	struct detect_env e;
	struct packet p;
	struct flow f;

	/* pass ends inspection: later rules do not run, pass itself does not alert */
	e = setup("alert udp any any -> any any (content:\"x\"; sid:2;)\n"
		  "pass udp any any -> any any (content:\"ok\"; sid:1;)\n"
		  "alert udp any any -> any any (content:\"o\"; sid:3;)\n", 0);
	p = detect_pkt(17, "1.1.1.1", 1, "2.2.2.2", 2, "okx");
	CHECK_INT(0, run(&e, &p));
	p = detect_pkt(17, "1.1.1.1", 1, "2.2.2.2", 2, "ox");
	CHECK_INT(2, run(&e, &p));
	CHECK_INT(2, res.alerts[0].rule->sid);
	CHECK_INT(3, res.alerts[1].rule->sid);
	detect_env_teardown(&e);

	/* an IP-only pass passes the whole flow */
	e = setup("pass ip 1.1.1.1 any -> any any (sid:1;)\n"
		  "alert udp any any -> any any (content:\"x\"; sid:2;)\n", 0);
	memset(&f, 0, sizeof(f));
	p = detect_pkt(17, "1.1.1.1", 1, "2.2.2.2", 2, "x");
	in_flow(&p, &f, PKT_TO_SERVER, false);
	CHECK_INT(0, run(&e, &p));
	CHECK(f.flags & FLOW_F_ACTION_PASS);
	p = detect_pkt(17, "2.2.2.2", 2, "1.1.1.1", 1, "x");
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	CHECK_INT(0, run(&e, &p));
	CHECK_INT(1, detect_thread_stats(e.dt)->flow_passed);
	detect_env_teardown(&e);

	/* drop: IPS blocks, IDS only alerts */
	const char *drop = "drop udp any any -> any any (content:\"bad\"; sid:1;)\n";

	e = setup(drop, 1);
	p = detect_pkt(17, "1.1.1.1", 1, "2.2.2.2", 2, "a bad one");
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(VERDICT_DROP, res.verdict);
	CHECK_INT(ALERT_BLOCKED, res.alerts[0].action);
	p = detect_pkt(17, "1.1.1.1", 1, "2.2.2.2", 2, "a good one");
	CHECK_INT(0, run(&e, &p));
	CHECK_INT(VERDICT_ACCEPT, res.verdict);
	detect_env_teardown(&e);
	e = setup(drop, 0);
	p = detect_pkt(17, "1.1.1.1", 1, "2.2.2.2", 2, "a bad one");
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(VERDICT_ACCEPT, res.verdict);
	CHECK_INT(ALERT_ALLOWED, res.alerts[0].action);
	detect_env_teardown(&e);

	/* a UDP packet rule drops the packet, not the flow */
	e = setup(drop, 1);
	memset(&f, 0, sizeof(f));
	p = detect_pkt(17, "1.1.1.1", 1, "2.2.2.2", 2, "bad");
	in_flow(&p, &f, PKT_TO_SERVER, false);
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(0, f.flags & FLOW_F_ACTION_DROP);
	p = detect_pkt(17, "1.1.1.1", 1, "2.2.2.2", 2, "fine");
	in_flow(&p, &f, PKT_TO_SERVER, false);
	CHECK_INT(0, run(&e, &p));
	CHECK_INT(VERDICT_ACCEPT, res.verdict);
	detect_env_teardown(&e);

	/* IP-only drop (and a tcp payload drop on data that went into the
	 * stream, as a stream match) drop the flow */
	const char *flowdrop[] = {
		"drop ip 1.1.1.1 any -> any any (sid:1;)\n",
		"drop tcp any any -> any any (content:\"bad\"; sid:1;)\n",
	};

	for (int i = 0; i < 2; i++) {
		e = setup(flowdrop[i], 1);
		memset(&f, 0, sizeof(f));
		p = detect_pkt(6, "1.1.1.1", 1, "2.2.2.2", 2, "bad");
		in_flow(&p, &f, PKT_TO_SERVER, true);
		if (i == 1) {
			/* its data went into the stream, inspected there */
			const struct detect_stream st = { (const uint8_t *)"bad", 3, 0, 1,
							   e.mem };

			p.flags |= PKT_F_STREAM_ADD;
			detect_packet_stream(e.dt, &p, &st, &res);
		} else {
			run(&e, &p);
		}
		CHECK_INT(1, res.nalerts);
		CHECK(f.flags & FLOW_F_ACTION_DROP);
		p = detect_pkt(6, "2.2.2.2", 2, "1.1.1.1", 1, "fine");
		in_flow(&p, &f, PKT_TO_CLIENT, true);
		CHECK_INT(0, run(&e, &p));
		CHECK_INT(VERDICT_DROP, res.verdict);
		CHECK_INT(1, detect_thread_stats(e.dt)->flow_dropped);
		detect_flow_free(e.mem, &f);	/* the stream's carry state */
		detect_env_teardown(&e);
	}
	/* data the stream refused (a SYN's): the payload drop is the packet's
	 * alone (suricata-verify util-action-04) */
	e = setup(flowdrop[1], 1);
	memset(&f, 0, sizeof(f));
	p = detect_pkt(6, "1.1.1.1", 1, "2.2.2.2", 2, "bad");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(VERDICT_DROP, res.verdict);
	CHECK_INT(0, f.flags & FLOW_F_ACTION_DROP);
	p = detect_pkt(6, "2.2.2.2", 2, "1.1.1.1", 1, "fine");
	in_flow(&p, &f, PKT_TO_CLIENT, true);
	CHECK_INT(0, run(&e, &p));
	CHECK_INT(VERDICT_ACCEPT, res.verdict);
	detect_env_teardown(&e);
	/* same in IDS mode: alerts, nothing dropped */
	e = setup(flowdrop[0], 0);
	memset(&f, 0, sizeof(f));
	p = detect_pkt(6, "1.1.1.1", 1, "2.2.2.2", 2, "bad");
	in_flow(&p, &f, PKT_TO_SERVER, true);
	CHECK_INT(1, run(&e, &p));
	CHECK_INT(0, f.flags & FLOW_F_ACTION_DROP);
	detect_env_teardown(&e);
}

static void test_iponly(void)
{
	struct detect_env e = setup("alert ip any any -> any any (sid:1;)\n"
			     "alert ip any any -> any any (ttl:64; sid:2;)\n"
			     "alert ip any any -> any any (decode-event:icmpv4.unknown_type; "
			     "sid:3;)\n", 0);
	struct flow f;
	struct packet p;
	uint32_t n1 = 0, n2 = 0, n3 = 0;

	memset(&f, 0, sizeof(f));
	for (int i = 0; i < 5; i++) {
		bool ts = i != 1 && i != 3;

		p = ts ? detect_pkt(6, "1.1.1.1", 1, "2.2.2.2", 2, "")
		       : detect_pkt(6, "2.2.2.2", 2, "1.1.1.1", 1, "");
		in_flow(&p, &f, ts ? PKT_TO_SERVER : PKT_TO_CLIENT, i > 0);
		if (i == 4)
			p.dec_ev = 1ull << DEV_ICMPV4_UNKNOWN_TYPE;
		run(&e, &p);
		for (uint32_t k = 0; k < res.nalerts; k++) {
			n1 += res.alerts[k].rule->sid == 1;
			n2 += res.alerts[k].rule->sid == 2;
			n3 += res.alerts[k].rule->sid == 3;
		}
	}
	CHECK_INT(2, n1);	/* once per direction */
	CHECK_INT(5, n2);	/* ttl is not IP-only compatible: every packet */
	CHECK_INT(1, n3);	/* a decode event on a flow's fifth packet */
	/* no flow: every packet */
	p = detect_pkt(6, "1.1.1.1", 1, "2.2.2.2", 2, "");
	CHECK_INT(2, run(&e, &p));
	CHECK_INT(2, run(&e, &p));
	detect_env_teardown(&e);
}

static void test_order_and_cap(void)
{
	char rules[4096];
	size_t off = 0;

	for (int i = 1; i <= 20; i++)
		off += (size_t)snprintf(rules + off, sizeof(rules) - off,
					"alert udp any any -> any any (content:\"x\"; "
					"priority:%d; sid:%d;)\n", i == 20 ? 1 : 2, i);
	struct detect_env e = setup(rules, 0);
	struct packet p = detect_pkt(17, "1.1.1.1", 1, "2.2.2.2", 2, "x");

	CHECK_INT(DETECT_ALERTS_DEFAULT, run(&e, &p));	/* packet-alert-max unset */
	CHECK_INT(5, res.alerts_dropped);
	CHECK_INT(20, res.alerts[0].rule->sid);	/* priority 1 first */
	CHECK_INT(1, res.alerts[1].rule->sid);
	CHECK_INT(5, detect_thread_stats(e.dt)->alert_queue_overflow);
	CHECK_INT(15, detect_thread_stats(e.dt)->alerts);
	CHECK_INT(20, detect_thread_stats(e.dt)->candidates);
	detect_env_teardown(&e);

	/* one alert per rule and packet, whatever the number of occurrences */
	CHECK_INT(1, one(R("content:\"a\";"), tcp("aaaaaa")));
}

/* A flow's stream carry state comes from the pool its windows name and
 * goes back with detect_flow_free: the next flow takes the same block, and
 * nothing stays out (detect_env_teardown checks the pool). */
static void test_stream_state_pool(void)
{
	struct detect_env e = setup("alert tcp any any -> any any (content:\"abc\"; sid:1;)\n",
				    0);
	const struct detect_stream st = { (const uint8_t *)"xabcx", 5, 0, 1, e.mem };
	struct detect_flow_dir *first = NULL;
	struct packet p;
	struct flow f;

	for (int i = 0; i < 3; i++) {
		memset(&f, 0, sizeof(f));
		p = tcp("xabcx");
		in_flow(&p, &f, PKT_TO_SERVER, true);
		p.flags |= PKT_F_STREAM_ADD;
		detect_packet_stream(e.dt, &p, &st, &res);
		CHECK_INT(1, res.nalerts);
		CHECK(f.det.d[PKT_TO_SERVER] != NULL && f.det.d[PKT_TO_CLIENT] == NULL);
		CHECK_INT(sizeof(struct detect_flow_dir), wmem_used_bytes(e.mem));
		if (i == 0)
			first = f.det.d[PKT_TO_SERVER];
		CHECK(f.det.d[PKT_TO_SERVER] == first);
		detect_flow_free(e.mem, &f);
		CHECK(f.det.d[PKT_TO_SERVER] == NULL);
		CHECK_INT(0, wmem_used_bytes(e.mem));
	}
	detect_env_teardown(&e);
}

int main(void)
{
	test_content();
	test_relative();
	test_abandon();
	test_pcre();
	test_packet_keywords();
	test_header();
	test_flow_keyword();
	test_fast_pattern();
	test_run_fast_pattern();
	test_bounded_prefilter();
	test_directed_prefilter();
	test_small_payload_prefilter();
	test_packet_set_pair();
	test_port_group_prefilter();
	test_port_group_dedupe();
	test_repeated_pattern();
	test_run_tail_prefilter();
	test_periodic_pattern();
	test_payload_memo();
	test_flowbits();
	test_checked_prefilter();
	test_thresholds();
	test_actions();
	test_iponly();
	test_order_and_cap();
	test_stream_state_pool();
	return check_result("detect");
}
