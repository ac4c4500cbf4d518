/* SPDX-License-Identifier: MIT */
/* decode-event rules (rules/rule_kw_event.c, dataplane/detect/detect_event.c):
 * parsing with exact messages, and which rules fire on crafted frames run
 * through the real decoder: rejected below L4 (decode-event rules only),
 * rejected at L4 (decode-event and IP-level rules), and clean. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "detect_fixture.h"
#include "dataplane/decode/decode.h"
#include "dataplane/detect/detect.h"
#include "rules/rules.h"

static struct rule_env *renv;
static char err[512];

static const char *parse_err(const char *text)
{
	return rule_text_err(renv, text);
}

static void test_parse(void)
{
	struct rule *r;

	r = rule_parse(renv, "alert pkthdr any any -> any any (decode-event:ipv4.trunc_pkt; "
		       "sid:1;)", err, sizeof(err));
	CHECK(r != NULL);
	if (r) {
		CHECK_STR("ipv4.trunc_pkt", r->decode_event);
		CHECK(r->flags & RULE_F_PKTHDR);
		CHECK_INT(RULE_PROTO_IP, r->proto);
		rule_free(r);
	}
	r = rule_parse(renv, "alert ip any any -> any any (decode-event: decoder.ipv6.rh_type_0 ; "
		       "sid:1;)", err, sizeof(err));
	CHECK(r != NULL);
	if (r) {
		CHECK_STR("ipv6.rh_type_0", r->decode_event);
		rule_free(r);
	}
	CHECK_STR("(parsed)", parse_err("alert pkthdr any any -> any any "
					"(decode-event:too_many_layers; sid:1;)"));
	CHECK_STR("(parsed)", parse_err("alert pkthdr any any -> any any "
					"(decode-event:ltnull.unsupported_type; sid:1;)"));
	CHECK_STR("decode-event: unknown event 'ipv4.no_such_thing'",
		  parse_err("alert pkthdr any any -> any any "
			    "(decode-event:ipv4.no_such_thing; sid:1;)"));
	CHECK_STR("decode-event: unknown event 'bogus.trunc_pkt'",
		  parse_err("alert pkthdr any any -> any any "
			    "(decode-event:bogus.trunc_pkt; sid:1;)"));
	CHECK_STR("decode-event: unknown event 'trunc_pkt'",
		  parse_err("alert pkthdr any any -> any any (decode-event:trunc_pkt; sid:1;)"));
	CHECK_STR("decode-event: expected one event name, got 'ipv4.trunc_pkt x'",
		  parse_err("alert pkthdr any any -> any any "
			    "(decode-event:ipv4.trunc_pkt x; sid:1;)"));
	CHECK(strcmp(parse_err("alert pkthdr any any -> any any (decode-event:ipv4.trunc_pkt; "
			       "decode-event:ipv4.hlen_too_small; sid:1;)"), "(parsed)") != 0);
}

/* ---- matching ---- */

static const char RULES[] =
	"alert pkthdr any any -> any any (decode-event:ipv4.trunc_pkt; sid:1;)\n"
	"alert pkthdr any any -> any any (decode-event:ethernet.pkt_too_small; sid:2;)\n"
	"alert pkthdr any any -> any any (decode-event:tcp.hlen_too_small; sid:3;)\n"
	"alert ip any any -> any any (decode-event:decoder.tcp.hlen_too_small; sid:4;)\n"
	/* addresses cannot be trusted on a packet rejected below L4 */
	"alert pkthdr 10.0.0.0/8 any -> any any (decode-event:ipv4.trunc_pkt; sid:5;)\n"
	/* raised on the way, on a packet kept or rejected later */
	"alert pkthdr any any -> any any (decode-event:ipv4.opt_pad_required; sid:6;)\n"
	"alert pkthdr any any -> any any (decode-event:ppp.unsup_proto; sid:7;)\n"
	"alert ip any any -> any any (msg:\"any ip\"; sid:8;)\n"
	"alert ipv6 any any -> any any (decode-event:ipv4.trunc_pkt; sid:9;)\n"
	"alert tcp any any -> any any (decode-event:tcp.hlen_too_small; sid:10;)\n"
	/* no port was read from a broken TCP header: a port rule cannot match */
	"alert tcp any any -> any 80 (decode-event:tcp.hlen_too_small; sid:11;)\n"
	/* nor is the protocol known: Suricata's decoder-event group has every
	 * such rule, whatever its header protocol */
	"alert udp any any -> any any (decode-event:tcp.hlen_too_small; sid:12;)\n";

static struct detect_env setup(const char *text)
{
	return detect_env_setup(renv, text, "detect_event");
}

static const struct decode_opts OPTS = { .csum_check = false };

/* Ethernet, IPv4 10.0.0.1 -> 192.168.1.1, TCP 1234 -> 80 with a 4-byte
 * payload: 58 bytes. */
static uint32_t frame_v4_tcp(uint8_t *b)
{
	static const uint8_t f[58] = {
		0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00,
		0x45, 0, 0, 44, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 192, 168, 1, 1,
		0x04, 0xd2, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0,
		'a', 'b', 'c', 'd',
	};

	memcpy(b, f, sizeof(f));
	return sizeof(f);
}

/* frame_v4_tcp() with the four option bytes opt in its IPv4 header. */
static uint32_t frame_v4_opts(uint8_t *b, const uint8_t opt[4])
{
	uint32_t len = frame_v4_tcp(b);

	memmove(b + 38, b + 34, len - 34);
	memcpy(b + 34, opt, 4);
	b[14] = 0x46;
	b[17] += 4;
	return len + 4;
}

/* The sids that alerted on the frame b/len of link type link, as a bitmap. */
static uint32_t fired(struct detect_env *e, uint8_t link, const uint8_t *b, uint32_t len,
		      enum decode_err want_err)
{
	struct detect_result res;
	struct packet p = { .data = b, .len = len, .wire_len = len, .link = link };
	uint32_t bits = 0;

	CHECK_INT(want_err, decode_packet(&p, &OPTS));
	detect_packet(e->dt, &p, &res);
	for (uint32_t i = 0; i < res.nalerts; i++)
		bits |= 1u << res.alerts[i].rule->sid;
	return bits;
}

#define SIDS(...) sids_mask((const int[]){ __VA_ARGS__, 0 })
static uint32_t sids_mask(const int *s)
{
	uint32_t m = 0;

	for (; *s; s++)
		m |= 1u << *s;
	return m;
}

static void test_match(void)
{
	struct detect_env e = setup(RULES);
	uint8_t b[128];
	uint32_t len;

	/* clean: only the plain IP rule */
	len = frame_v4_tcp(b);
	CHECK_INT(SIDS(8), fired(&e, PKT_LINK_ETHERNET, b, len, DECODE_OK));

	/* IPv4 total length beyond the capture: ipv4.trunc_pkt, rejected below
	 * L4: the address-free decode-event rule only */
	len = frame_v4_tcp(b);
	b[17] = 200;
	CHECK_INT(SIDS(1), fired(&e, PKT_LINK_ETHERNET, b, len, DECODE_IPV4_TRUNC));

	/* a runt frame */
	CHECK_INT(SIDS(2), fired(&e, PKT_LINK_ETHERNET, b, 10, DECODE_ETH_TRUNC));

	/* TCP data offset 4 (16 bytes): tcp.hlen_too_small, an L4 error: its
	 * event rules (pkthdr, ip), the IP-level rule, and the tcp rule naming
	 * the event (Suricata 7 runs its decoder-event rules of every protocol
	 * on a packet whose transport header it could not read) */
	len = frame_v4_tcp(b);
	b[46] = 0x40;
	CHECK_INT(SIDS(3, 4, 8, 10, 12),
		  fired(&e, PKT_LINK_ETHERNET, b, len, DECODE_TCP_HLEN_BAD));

	/* PPP carrying LCP: ppp.unsup_proto */
	{
		static const uint8_t lcp[8] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4 };

		CHECK_INT(SIDS(7), fired(&e, PKT_LINK_PPP, lcp, sizeof(lcp),
					 DECODE_PPP_UNSUP));
	}

	/* four bytes of IPv4 options: ipv4.opt_pad_required, on a packet kept
	 * (NOPs) and on one its options reject (a record route too short) */
	{
		static const uint8_t nops[4] = { 1, 1, 1, 1 }, rr_short[4] = { 7, 2, 0, 0 };

		len = frame_v4_opts(b, nops);
		CHECK_INT(SIDS(6, 8), fired(&e, PKT_LINK_ETHERNET, b, len, DECODE_OK));
		len = frame_v4_opts(b, rr_short);
		CHECK_INT(SIDS(6), fired(&e, PKT_LINK_ETHERNET, b, len, DECODE_IPV4_OPT_BAD));
	}

	/* the same truncated IPv4 packet over raw IP: same event, same rule */
	len = frame_v4_tcp(b);
	b[17] = 200;
	CHECK_INT(SIDS(1), fired(&e, PKT_LINK_RAW, b + 14, len - 14, DECODE_IPV4_TRUNC));
	detect_env_teardown(&e);

	/* without decode-event rules a rejected packet alerts nothing */
	e = setup("alert ip any any -> any any (msg:\"any ip\"; sid:8;)\n");
	len = frame_v4_tcp(b);
	b[17] = 200;
	CHECK_INT(0, fired(&e, PKT_LINK_ETHERNET, b, len, DECODE_IPV4_TRUNC));
	detect_env_teardown(&e);
}

/* ---- stream-event, app-layer-event, <layer>-csum ---- */

static void test_parse_events(void)
{
	struct rule *r;

	r = rule_parse(renv, "alert tcp any any -> any any (stream-event:rst_but_no_session; "
		       "stream-event:stream.pkt_broken_ack; sid:1;)", err, sizeof(err));
	CHECK(r != NULL);
	if (r) {
		CHECK(r->has & RULE_HAS_PKTEVENT);
		CHECK(pkt_event_isset(&r->pkt_events, PEV_STREAM_RST_BUT_NO_SESSION));
		CHECK(pkt_event_isset(&r->pkt_events, PEV_STREAM_PKT_BROKEN_ACK));
		CHECK(!pkt_event_isset(&r->pkt_events, PEV_STREAM_FIN_BUT_NO_SESSION));
		rule_free(r);
	}
	r = rule_parse(renv, "alert ip any any -> any any (app-layer-event:dns.z_flag_set; sid:1;)",
		       err, sizeof(err));
	CHECK(r != NULL);
	if (r) {
		/* the event names the protocol: a DNS rule, inspected per message */
		CHECK_INT(APP_PROTO_DNS, r->app_proto);
		CHECK(r->app_has & RULE_APP_HAS_EVENT);
		CHECK(r->app_events == 1ull << DNS_EV_Z_FLAG_SET);
		rule_free(r);
	}
	r = rule_parse(renv, "alert tcp any any -> any any (flow:established; "
		       "app-layer-event:applayer_mismatch_protocol_both_directions; sid:1;)",
		       err, sizeof(err));
	CHECK(r != NULL);
	if (r) {
		CHECK(pkt_event_isset(&r->pkt_events,
				      PEV_APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS));
		CHECK_INT(APP_PROTO_UNKNOWN, r->app_proto);
		rule_free(r);
	}
	r = rule_parse(renv, "alert ip any any -> any any (ipv4-csum:valid; tcpv4-csum:\"invalid\"; "
		       "sid:1;)", err, sizeof(err));
	CHECK(r != NULL);
	if (r) {
		CHECK_INT((1u << CSUM_IPV4) | (1u << CSUM_TCPV4), r->csum_check);
		CHECK_INT(1u << CSUM_IPV4, r->csum_valid);
		rule_free(r);
	}
	CHECK_STR("stream-event: unknown event 'no_such_event'",
		  parse_err("alert tcp any any -> any any (stream-event:no_such_event; sid:1;)"));
	/* an applayer_* name is not a stream event, nor the other way round */
	CHECK_STR("stream-event: unknown event 'applayer_unexpected_protocol'",
		  parse_err("alert tcp any any -> any any "
			    "(stream-event:applayer_unexpected_protocol; sid:1;)"));
	CHECK_STR("app-layer-event: unknown event 'applayer_rst_but_no_session'",
		  parse_err("alert tcp any any -> any any "
			    "(app-layer-event:applayer_rst_but_no_session; sid:1;)"));
	CHECK_STR("app-layer-event: unknown event 'http.no_such_event'",
		  parse_err("alert http any any -> any any "
			    "(app-layer-event:http.no_such_event; sid:1;)"));
	CHECK_STR("app-layer-event: unsupported protocol 'modbus'",
		  parse_err("alert tcp any any -> any any "
			    "(app-layer-event:modbus.invalid_length; sid:1;)"));
	CHECK_STR("app-layer-event: expected PROTO.EVENT or applayer_EVENT, got 'z_flag_set'",
		  parse_err("alert dns any any -> any any (app-layer-event:z_flag_set; sid:1;)"));
	CHECK_STR("app-layer-event: events of two protocols in one rule",
		  parse_err("alert ip any any -> any any (app-layer-event:dns.z_flag_set; "
			    "app-layer-event:http.unknown_error; sid:1;)"));
	CHECK_STR("rule mixes protocols: dns event in a http rule",
		  parse_err("alert http any any -> any any (app-layer-event:dns.z_flag_set; "
			    "sid:1;)"));
	CHECK_STR("checksum keyword: expected valid or invalid, got 'maybe'",
		  parse_err("alert ip any any -> any any (ipv4-csum:maybe; sid:1;)"));
	CHECK_STR("checksum keyword given twice",
		  parse_err("alert ip any any -> any any (ipv4-csum:valid; ipv4-csum:invalid; "
			    "sid:1;)"));
}

static const char EV_RULES[] =
	"alert tcp any any -> any any (stream-event:rst_but_no_session; sid:1;)\n"
	"alert tcp any any -> any any (stream-event:rst_but_no_session; "
	"stream-event:pkt_broken_ack; sid:2;)\n"
	"alert ip any any -> any any (ipv4-csum:valid; sid:3;)\n"
	"alert ip any any -> any any (ipv4-csum:invalid; sid:4;)\n"
	"alert tcp any any -> any any (tcpv4-csum:invalid; sid:5;)\n"
	"alert tcp any any -> any any (tcpv6-csum:valid; sid:6;)\n"
	"alert udp any any -> any any (udpv4-csum:valid; sid:7;)\n";

/* The sids that alert on frame b with the events ev set after decoding
 * (as the flow and stream stages would), checksums validated or not. */
static uint32_t fired_ev(struct detect_env *e, const uint8_t *b, uint32_t len, bool csum,
			 const enum pkt_event *ev, unsigned nev)
{
	const struct decode_opts o = { .csum_check = csum };
	struct detect_result res;
	struct packet p = { .data = b, .len = len, .wire_len = len };
	uint32_t bits = 0;

	CHECK_INT(DECODE_OK, decode_packet(&p, &o));
	for (unsigned i = 0; i < nev; i++)
		pkt_event_set(&p.events, ev[i]);
	detect_packet(e->dt, &p, &res);
	for (uint32_t i = 0; i < res.nalerts; i++)
		bits |= 1u << res.alerts[i].rule->sid;
	return bits;
}

static void test_match_events(void)
{
	struct detect_env e = setup(EV_RULES);
	const enum pkt_event rst[] = { PEV_STREAM_RST_BUT_NO_SESSION };
	const enum pkt_event both[] = { PEV_STREAM_RST_BUT_NO_SESSION, PEV_STREAM_PKT_BROKEN_ACK };
	uint8_t b[128];
	uint32_t len = frame_v4_tcp(b);

	/* the frame's checksums are zero, so wrong: not checked, they count
	 * as valid (Suricata's PKT_IGNORE_CHECKSUM) */
	CHECK_INT(SIDS(3), fired_ev(&e, b, len, false, NULL, 0));
	CHECK_INT(SIDS(1, 3), fired_ev(&e, b, len, false, rst, 1));
	CHECK_INT(SIDS(1, 2, 3), fired_ev(&e, b, len, false, both, 2));
	/* checked: both bad */
	CHECK_INT(SIDS(4, 5), fired_ev(&e, b, len, true, NULL, 0));
	/* a correct IPv4 header checksum (0x6f21 for this header), TCP still bad */
	b[24] = 0x6f;
	b[25] = 0x21;
	CHECK_INT(SIDS(3, 5), fired_ev(&e, b, len, true, NULL, 0));
	detect_env_teardown(&e);
}

/* The rules that need the response decompressors' events, and only those,
 * make the set need them. */
static void test_needs_coding_events(void)
{
	static const struct {
		const char *rule;
		bool needs;
	} cases[] = {
		{ "alert http any any -> any any (app-layer-event:http.gzip_decompression_failed; "
		  "sid:1;)", true },
		{ "alert http any any -> any any (app-layer-event:http.compression_bomb; sid:1;)",
		  true },
		{ "alert http any any -> any any (app-layer-event:http.request_field_too_long; "
		  "sid:1;)", false },
		{ "alert dns any any -> any any (app-layer-event:dns.z_flag_set; sid:1;)", false },
		{ "alert http any any -> any any (content:\"gzip\"; sid:1;)", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[] = "/tmp/test_detect_event.XXXXXX";
		struct ruleset *rs = ruleset_new();
		int fd = mkstemp(path);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

		CHECK(rs != NULL && f != NULL);
		if (rs == NULL || f == NULL)
			return;
		fprintf(f, "%s\n", cases[i].rule);
		fclose(f);
		CHECK_INT(0, ruleset_load_file(rs, renv, path, stderr));
		CHECK_INT(1, rs->n);
		CHECK_INT(cases[i].needs,
			  ruleset_needs_app_events(rs, APP_PROTO_HTTP, HTTP_CODING_EVENTS));
		ruleset_free(rs);
		unlink(path);
	}
}

int main(void)
{
	renv = rule_env_new();
	CHECK(renv != NULL);
	rule_env_set_default_vars(renv);
	test_parse();
	test_match();
	test_parse_events();
	test_match_events();
	test_needs_coding_events();
	rule_env_free(renv);
	return check_result("detect_event");
}
