/* SPDX-License-Identifier: MIT */
/* decode-event rules (rules/rule_kw_event.c, dataplane/detect/detect_event.c):
 * parsing with exact messages, and which rules fire on crafted frames run
 * through the real decoder: rejected below L4 (decode-event rules only),
 * rejected at L4 (decode-event and IP-level rules), and clean. */
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
	struct rule *r;

	err[0] = '\0';
	r = rule_parse(renv, text, err, sizeof(err));
	if (r) {
		rule_free(r);
		return "(parsed)";
	}
	return err;
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
	/* a Suricata event this decoder never raises: loads, never fires */
	"alert pkthdr any any -> any any (decode-event:ipv4.opt_pad_required; sid:6;)\n"
	"alert pkthdr any any -> any any (decode-event:ppp.unsup_proto; sid:7;)\n"
	"alert ip any any -> any any (msg:\"any ip\"; sid:8;)\n"
	"alert ipv6 any any -> any any (decode-event:ipv4.trunc_pkt; sid:9;)\n"
	"alert tcp any any -> any any (decode-event:tcp.hlen_too_small; sid:10;)\n";

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
	 * event rules (pkthdr, ip) and the IP-level rule; a tcp rule needs a
	 * decoded TCP header, as in Suricata */
	len = frame_v4_tcp(b);
	b[46] = 0x40;
	CHECK_INT(SIDS(3, 4, 8),
		  fired(&e, PKT_LINK_ETHERNET, b, len, DECODE_TCP_HLEN_BAD));

	/* PPP carrying LCP: ppp.unsup_proto */
	{
		static const uint8_t lcp[8] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4 };

		CHECK_INT(SIDS(7), fired(&e, PKT_LINK_PPP, lcp, sizeof(lcp),
					 DECODE_PPP_UNSUP));
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

int main(void)
{
	renv = rule_env_new();
	CHECK(renv != NULL);
	rule_env_set_default_vars(renv);
	test_parse();
	test_match();
	rule_env_free(renv);
	return check_result("detect_event");
}
