/* SPDX-License-Identifier: MIT */
/* Unit tests for pcre captures into packet and flow variables and the
 * keywords that read them (rules/rule_kw_var.c, dataplane/detect/
 * detect_capture.c, detect_vars.c), as Suricata 7's detect-pcre.c,
 * detect-flowvar.c and detect-pktvar.c: the capture specs and their
 * errors, the values kept, and the bounds (a huge capture, many variables,
 * bytes that are not UTF-8). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "detect_fixture.h"
#include "dataplane/detect/detect.h"
#include "dataplane/flow/flow-t.h"
#include "rules/rules.h"

static struct rule_env *renv;

#define PARSES(opts) CHECK_STR("(parsed)", rule_opts_err(renv, "udp", opts))
#define FAILS(opts, msg) CHECK_STR(msg, rule_opts_err(renv, "udp", opts))

static struct rule *one(const char *opts)
{
	char text[1024], err[256];
	struct rule *r;

	snprintf(text, sizeof(text), "alert udp any any -> any any (%s sid:1;)", opts);
	r = rule_parse(renv, text, err, sizeof(err));
	CHECK(r != NULL);
	return r;
}

static void test_parse(void)
{
	struct rule *r = one("pcre:\"/ua=(?P<pkt_user_agent>[a-z]+)/\";");

	/* Suricata's capture regex: the kind before the first '_' */
	CHECK(r != NULL && (r->flags & RULE_F_CAPTURE) && r->match[0].pcre.ncap == 1 &&
	      r->match[0].pcre.cap[0].kind == RULE_VAR_PKT &&
	      strcmp(r->match[0].pcre.cap[0].name, "user_agent") == 0);
	rule_free(r);
	/* the list first, then the named groups */
	r = one("pcre:\"/(a)(b)(?P<flow_c>c)/i, pkt:one,flow:two\";");
	CHECK(r != NULL && r->match[0].pcre.ncap == 3 &&
	      r->match[0].pcre.pcre2_opts != 0 &&
	      strcmp(r->match[0].pcre.cap[0].name, "one") == 0 &&
	      r->match[0].pcre.cap[1].kind == RULE_VAR_FLOW &&
	      strcmp(r->match[0].pcre.cap[2].name, "c") == 0);
	rule_free(r);
	/* not a capture: a plain named group, Suricata 8's alert vars, and a
	 * "pkt:" inside the expression without a separator */
	r = one("pcre:\"/(?P<name>a)(?P<alert_x>b)pkt:c/\";");
	CHECK(r != NULL && !(r->flags & RULE_F_CAPTURE) && r->match[0].pcre.ncap == 0);
	rule_free(r);

	FAILS("pcre:\"/(a)/, pkt:one, flow:two\";",
	      "pcre: more pkt/flow var capture names than capturing substrings");
	FAILS("pcre:\"/(a)(b)/, pkt:one, var:x\";",
	      "pcre: pkt/flow var capture names must start with 'pkt:' or 'flow:' ('var:x')");
	FAILS("pcre:\"/(a)/, var:x\";", "unknown pcre flag ','");
	FAILS("pcre:\"/(a)(b)/, pkt:key, pkt:value\";",
	      "pcre: pkt:key/pkt:value captures are not supported");
	FAILS("pcre:\"/(a)/, flow:\";", "pcre: empty flow var capture name");
	FAILS("pcre:\"/(.)(.)(.)(.)(.)(.)(.)(.)(.)/, pkt:a,pkt:b,pkt:c,pkt:d,pkt:e,pkt:f,"
	      "pkt:g,pkt:h,pkt:i\";", "pcre: rule can have maximally 8 pkt/flow var captures");

	PARSES("flowvar:host,\"example|2e|com\";");
	PARSES("pktvar: ua , \"curl\";");
	FAILS("flowvar:host,example;", "flowvar: content must be within quotes");
	FAILS("flowvar:\"x\";", "\"\"x\"\" is not a valid setting for flowvar");
	FAILS("pktvar:,\"x\";", "pktvar needs a variable name");
	FAILS("pktvar:a,\"\";", "pktvar: content is empty");
	FAILS("flowvar:a,\"|4|\";", "invalid content: odd number of hex digits");
}

static struct flow flow;

static struct packet udp(const char *payload)
{
	struct packet p = detect_pkt(17, "10.0.0.1", 1000, "10.0.0.2", 53, payload);

	p.flow = &flow;
	p.flags |= PKT_F_HAS_FLOW;
	p.dir = PKT_TO_SERVER;
	p.flow_flags = PKT_FLOW_TOSERVER;
	p.ts_us = 1;
	return p;
}

static uint32_t sids(const struct detect_result *res)
{
	uint32_t m = 0;

	for (uint32_t i = 0; i < res->nalerts; i++)
		m |= 1u << res->alerts[i].rule->sid;
	return m;
}

static bool value_is(const uint8_t *v, uint32_t len, const char *s)
{
	return len == strlen(s) && memcmp(v, s, len) == 0;
}

/* pktvar reads what an earlier rule captured on the same packet; flowvar
 * what any packet of the flow did. */
static void test_keep_and_read(void)
{
	struct detect_env e = detect_env_setup(renv,
		"alert udp any any -> any any (pcre:\"/user=(?P<pkt_user>[a-z]+)/\"; sid:1;)\n"
		"alert udp any any -> any any (pktvar:user,\"bo\"; sid:2;)\n"
		"alert udp any any -> any any (pcre:\"/host=([a-z.]+)/, flow:host\"; sid:3;)\n"
		"alert udp any any -> any any (content:\"next\"; flowvar:host,\"example\"; "
		"sid:4;)\n", "vars");
	struct detect_result res;
	const struct detect_flow_var *fv;
	struct packet p;

	memset(&flow, 0, sizeof(flow));
	flow.flow_id = 1;
	p = udp("user=bob host=example.com");
	detect_packet(e.dt, &p, &res);
	CHECK_INT((1u << 1) | (1u << 2) | (1u << 3), sids(&res));
	CHECK_INT(1, res.npktvars);
	CHECK(res.npktvars == 1 && strcmp(res.pktvars[0].name, "user") == 0 &&
	      value_is(res.pktvars[0].value, res.pktvars[0].len, "bob"));
	CHECK(flow.det.vars != NULL && flow.det.vars->n == 1);
	/* the next packet: no packet variable left, the flow's is there */
	p = udp("next");
	detect_packet(e.dt, &p, &res);
	CHECK_INT(1u << 4, sids(&res));
	CHECK_INT(0, res.npktvars);
	/* a name set again keeps its place with the new value */
	p = udp("host=other.org");
	detect_packet(e.dt, &p, &res);
	fv = flow.det.vars->v;
	CHECK(flow.det.vars->n == 1 && value_is(fv->value, fv->len, "other.org"));
	p = udp("next");
	detect_packet(e.dt, &p, &res);
	CHECK_INT(0, sids(&res));
	/* no flow: flowvar cannot match, a flow capture is not kept */
	p = udp("host=x.y next");
	p.flow = NULL;
	p.flags &= ~PKT_F_HAS_FLOW;
	detect_packet(e.dt, &p, &res);
	CHECK_INT(1u << 3, sids(&res));
	detect_flow_free(e.mem, &flow);
	CHECK(flow.det.vars == NULL);
	detect_env_teardown(&e);
}

/* As Suricata 7 (DetectVarProcessList at its "next:" label): what a pcre
 * captured is kept even when a later match of the rule fails, the value of
 * its last match (the failing relative content has the pcre retried from
 * one byte further: "xxx", "xx", then "x"); a group that took no part
 * keeps nothing. The capture order is reversed on the packet (Suricata
 * prepends its pending list). */
static void test_commit_rules(void)
{
	struct detect_env e = detect_env_setup(renv,
		"alert udp any any -> any any (content:\"zzz\"; pcre:\"/(?P<flow_a>x+)/\"; "
		"content:\"zzz\"; distance:0; sid:1;)\n"
		"alert udp any any -> any any (pcre:\"/k(?P<pkt_one>1)?(?P<pkt_two>2)(?P<pkt_three>3)/\"; "
		"sid:2;)\n", "vars");
	struct detect_result res;
	struct packet p;

	memset(&flow, 0, sizeof(flow));
	flow.flow_id = 2;
	p = udp("zzz xxx k23");
	detect_packet(e.dt, &p, &res);
	CHECK_INT(1u << 2, sids(&res));
	CHECK(flow.det.vars != NULL && flow.det.vars->n == 1 &&
	      value_is(flow.det.vars->v[0].value, flow.det.vars->v[0].len, "x"));
	CHECK_INT(2, res.npktvars);
	CHECK(res.npktvars == 2 && strcmp(res.pktvars[0].name, "three") == 0 &&
	      strcmp(res.pktvars[1].name, "two") == 0);
	detect_flow_free(e.mem, &flow);
	detect_env_teardown(&e);
}

static const struct detect_stats *stats(const struct detect_env *e)
{
	return detect_thread_stats(e->dt);
}

/* Bounds: a capture larger than the packet's or the flow's room is refused
 * and counted, the rule still matches; bytes that are not UTF-8 are kept
 * as they are (EVE renders them); past DF_VARS_MAX names a flow refuses. */
static void test_bounds(void)
{
	struct detect_env e = detect_env_setup(renv,
		"alert udp any any -> any any (pcre:\"/^(?P<pkt_big>a+)/\"; sid:1;)\n"
		"alert udp any any -> any any (pcre:\"/^(?P<flow_big>a+)/\"; sid:2;)\n"
		"alert udp any any -> any any (pcre:\"/^b(.)(.)(.)(.)(.)(.)(.)(.)/, flow:v1,flow:v2,"
		"flow:v3,flow:v4,flow:v5,flow:v6,flow:v7,flow:v8\"; sid:3;)\n"
		"alert udp any any -> any any (pcre:\"/^b(.)(.)(.)(.)(.)(.)(.)(.)/, flow:w1,flow:w2,"
		"flow:w3,flow:w4,flow:w5,flow:w6,flow:w7,flow:w8\"; sid:4;)\n"
		"alert udp any any -> any any (pcre:\"/^b(.)(.)(.)/, flow:x1,flow:x2,flow:x3\"; "
		"sid:5;)\n"
		"alert udp any any -> any any (pcre:\"/^c(?P<pkt_raw>.{6})/s\"; sid:6;)\n", "vars");
	struct detect_result res;
	struct packet p;
	size_t n = 40000;
	char *huge = malloc(n + 1);

	CHECK(huge != NULL);
	if (huge == NULL)
		return;
	memset(huge, 'a', n);
	huge[n] = '\0';
	memset(&flow, 0, sizeof(flow));
	flow.flow_id = 3;
	p = udp(huge);
	detect_packet(e.dt, &p, &res);
	CHECK_INT((1u << 1) | (1u << 2), sids(&res));
	CHECK_INT(0, res.npktvars);
	CHECK(flow.det.vars == NULL || flow.det.vars->n == 0);
	CHECK_INT(2, stats(&e)->vars_refused);
	/* under the bound both are kept */
	huge[1000] = '\0';
	p = udp(huge);
	detect_packet(e.dt, &p, &res);
	CHECK_INT(1, res.npktvars);
	CHECK(res.npktvars == 1 && res.pktvars[0].len == 1000);
	CHECK(flow.det.vars != NULL && flow.det.vars->n == 1 && flow.det.vars->v[0].len == 1000);
	CHECK_INT(2, stats(&e)->vars_refused);
	free(huge);
	/* 1 + 8 + 8 + 3 names: the flow keeps DF_VARS_MAX, 4 refused */
	p = udp("b12345678");
	detect_packet(e.dt, &p, &res);
	CHECK_INT((1u << 3) | (1u << 4) | (1u << 5), sids(&res));
	CHECK_INT(DF_VARS_MAX, flow.det.vars->n);
	CHECK_INT(6, stats(&e)->vars_refused);
	/* raw bytes: NUL, 0xff, CR LF, a lone UTF-8 lead byte */
	p = udp("c");
	p.payload = (const uint8_t *)"c\x00\xff\r\n\xc3z";
	p.payload_len = 8;
	detect_packet(e.dt, &p, &res);
	CHECK_INT(1u << 6, sids(&res));
	CHECK(res.npktvars == 1 && res.pktvars[0].len == 6 &&
	      memcmp(res.pktvars[0].value, "\x00\xff\r\n\xc3z", 6) == 0);
	detect_flow_free(e.mem, &flow);
	detect_env_teardown(&e);
}

/* A ruleset without captures allocates nothing for them. */
static void test_no_captures(void)
{
	struct detect_env e = detect_env_setup(renv,
		"alert udp any any -> any any (pcre:\"/(a)/\"; sid:1;)\n", "vars");
	struct detect_result res;
	struct packet p;

	memset(&flow, 0, sizeof(flow));
	p = udp("a");
	detect_packet(e.dt, &p, &res);
	CHECK_INT(1u << 1, sids(&res));
	CHECK(res.pktvars == NULL && res.npktvars == 0 && flow.det.vars == NULL);
	detect_env_teardown(&e);
}

int main(void)
{
	renv = rule_env_new();
	CHECK(renv != NULL);
	rule_env_set_default_vars(renv);
	test_parse();
	test_keep_and_read();
	test_commit_rules();
	test_bounds();
	test_no_captures();
	rule_env_free(renv);
	return check_result("vars");
}
