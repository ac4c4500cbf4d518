/* SPDX-License-Identifier: MIT */
/* Encapsulation decoder tests: frames built byte by byte for every
 * encapsulation, checked on both sides of the tunnel (the outer packet's
 * p->tun and encaps bits, the inner packet decoded from it), each decoder
 * event, the UDP port configuration, the layer cap, and every truncation of
 * every valid frame read from an exactly sized heap buffer, inner packets
 * included (ASan catches an over-read). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dataplane/decode/decode.h"

struct buf {
	uint8_t d[512];
	uint32_t n;
};

static void put(struct buf *b, const void *p, uint32_t n)
{
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void put16(struct buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(b, x, 2);
}

static void eth(struct buf *b, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	put(b, macs, 12);
	put16(b, type);
}

/* IPv4 header of proto with plen bytes to follow: 10.1.1.1 -> 10.2.2.2 for
 * the inner packets, 192.0.2.1 -> 198.51.100.1 for outer ones. */
static void ip4(struct buf *b, uint8_t proto, uint32_t plen, bool outer)
{
	uint8_t h[20] = { 0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto };
	uint32_t tot = 20 + plen;

	h[2] = (uint8_t)(tot >> 8);
	h[3] = (uint8_t)tot;
	memcpy(h + 12, outer ? (uint8_t[]){ 192, 0, 2, 1 } : (uint8_t[]){ 10, 1, 1, 1 }, 4);
	memcpy(h + 16, outer ? (uint8_t[]){ 198, 51, 100, 1 } : (uint8_t[]){ 10, 2, 2, 2 }, 4);
	put(b, h, 20);
}

static void ip6(struct buf *b, uint8_t nh, uint32_t plen)
{
	uint8_t h[40] = { 0x60, 0, 0, 0, (uint8_t)(plen >> 8), (uint8_t)plen, nh, 64 };

	h[8] = 0x20;
	h[9] = 0x01;
	h[23] = 1;
	h[24] = 0x20;
	h[25] = 0x01;
	h[39] = 2;
	put(b, h, 40);
}

/* The inner packet every test looks for: TCP 40000 -> 80, 4 bytes of data. */
#define INNER4_LEN 44
static void inner4(struct buf *b)
{
	uint8_t tcp[20] = { 0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff };

	ip4(b, 6, 24, false);
	put(b, tcp, 20);
	put(b, "data", 4);
}

static void udp(struct buf *b, uint16_t sp, uint16_t dp, uint32_t plen)
{
	put16(b, sp);
	put16(b, dp);
	put16(b, (uint16_t)(8 + plen));
	put16(b, 0);
}

static const struct decode_opts OPTS;

static enum decode_err dec(struct packet *p, const struct buf *b, const struct decode_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->data = b->d;
	p->len = p->wire_len = b->n;
	return decode_packet(p, o);
}

/* Decodes outer's tunnel into in; the inner TCP packet must come out. */
static void check_inner(const struct packet *outer, struct packet *in, uint8_t depth,
			uint8_t src, int line)
{
	static const uint8_t a[4] = { 10, 1, 1, 1 };

	if (outer->tun.data == NULL) {
		fprintf(stderr, "line %d: no tunnel\n", line);
		CHECK(outer->tun.data != NULL);
		return;
	}
	decode_tunnel_init(in, outer);
	CHECK_INT(DECODE_OK, decode_packet_keep_origin(in, &OPTS));
	CHECK_INT(depth, in->origin.depth);
	CHECK_INT(src, in->origin.src);
	CHECK(in->origin.root == (outer->origin.root ? outer->origin.root : outer));
	CHECK_INT(0, in->pcap_cnt);
	if (in->ip_ver == 4 && memcmp(in->src.b, a, 4) != 0)
		fprintf(stderr, "line %d: inner source differs\n", line);
	CHECK_INT(6, in->proto);
	CHECK_INT(40000, in->sp);
	CHECK_INT(80, in->dp);
	CHECK_INT(4, in->payload_len);
	CHECK_INT(12, decode_pkt_link_type(in));
	CHECK_STR("RAW", decode_pkt_link_name(in));
}

/* Every prefix of b decodes without reading past it, inner packets too. */
static void truncations(const struct buf *b)
{
	for (uint32_t n = 0; n <= b->n; n++) {
		uint8_t *h = malloc(n ? n : 1);
		struct packet p, in;

		memcpy(h, b->d, n);
		memset(&p, 0, sizeof(p));
		p.data = h;
		p.len = p.wire_len = n;
		if (decode_packet(&p, &OPTS) == DECODE_OK && p.tun.data != NULL) {
			CHECK(p.tun.data >= h && p.tun.data + p.tun.len <= h + n);
			decode_tunnel_init(&in, &p);
			decode_packet_keep_origin(&in, &OPTS);
		}
		CHECK(p.err < DECODE_ERR_MAX);
		free(h);
	}
}

static void test_gre(void)
{
	struct buf b = { .n = 0 };
	struct packet p, in;

	/* version 0 with checksum, key and sequence number */
	eth(&b, 0x0800);
	ip4(&b, 47, 16 + INNER4_LEN, true);
	put(&b, (uint8_t[]){ 0xb0, 0x00, 0x08, 0x00 }, 4);
	put(&b, (uint8_t[12]){ 0 }, 12);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK_INT(47, p.proto);
	CHECK(p.l4 == NULL);
	CHECK(p.encaps == PKT_ENC_GRE);
	CHECK_INT(0x0800, p.tun.type);
	CHECK_INT(INNER4_LEN, p.tun.len);
	check_inner(&p, &in, 1, PKT_SRC_GRE, __LINE__);
	truncations(&b);

	/* version 1 (PPTP): key, sequence and ack, then PPP with address and control */
	b.n = 0;
	eth(&b, 0x0800);
	ip4(&b, 47, 16 + 4 + INNER4_LEN, true);
	put(&b, (uint8_t[]){ 0x30, 0x81, 0x88, 0x0b, 0x00, 48, 0x00, 0x09 }, 8);
	put(&b, (uint8_t[8]){ 0 }, 8);
	put(&b, (uint8_t[]){ 0xff, 0x03, 0x00, 0x21 }, 4);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK_INT(TUN_TYPE_PPP, p.tun.type);
	check_inner(&p, &in, 1, PKT_SRC_GRE, __LINE__);
	truncations(&b);
	/* a bare acknowledgement (payload length 0) carries nothing */
	b.d[14 + 20 + 4] = 0;
	b.d[14 + 20 + 5] = 0;
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL);

	/* transparent Ethernet bridging */
	b.n = 0;
	eth(&b, 0x0800);
	ip4(&b, 47, 4 + 14 + INNER4_LEN, true);
	put(&b, (uint8_t[]){ 0x00, 0x00, 0x65, 0x58 }, 4);
	eth(&b, 0x0800);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	check_inner(&p, &in, 1, PKT_SRC_GRE, __LINE__);
	CHECK(decode_starts_with_eth(&in));
	truncations(&b);
}

static void test_erspan(void)
{
	struct buf b = { .n = 0 };
	struct packet p, in;

	/* type II: GRE with a sequence number, version 1 header on VLAN 100 */
	eth(&b, 0x0800);
	ip4(&b, 47, 8 + 8 + 14 + INNER4_LEN, true);
	put(&b, (uint8_t[]){ 0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1 }, 8);
	put(&b, (uint8_t[]){ 0x10, 0x64, 0x00, 0x05, 0, 0, 0, 0 }, 8);
	eth(&b, 0x0800);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == (PKT_ENC_GRE | PKT_ENC_ERSPAN));
	CHECK_INT(100, p.tun.vlan);
	check_inner(&p, &in, 1, PKT_SRC_GRE, __LINE__);
	CHECK_INT(1, in.vlan_cnt);
	CHECK_INT(100, in.vlan_id[0]);
	truncations(&b);
	/* version 2 in a type II header */
	b.d[14 + 20 + 8] = 0x20;
	CHECK_INT(DECODE_ERSPAN_VER_BAD, dec(&p, &b, &OPTS));
	CHECK_STR("erspan.unsupported_version", decode_err_name(p.err));
	CHECK(decode_err_is_l4(p.err));

	/* type I: no sequence number, the frame right after GRE */
	b.n = 0;
	eth(&b, 0x0800);
	ip4(&b, 47, 4 + 14 + INNER4_LEN, true);
	put(&b, (uint8_t[]){ 0x00, 0x00, 0x88, 0xbe }, 4);
	eth(&b, 0x0800);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	check_inner(&p, &in, 1, PKT_SRC_GRE, __LINE__);
	CHECK_INT(0, in.vlan_cnt);

	/* type III with the platform subheader (O bit) */
	b.n = 0;
	eth(&b, 0x0800);
	ip4(&b, 47, 8 + 20 + 14 + INNER4_LEN, true);
	put(&b, (uint8_t[]){ 0x10, 0x00, 0x22, 0xeb, 0, 0, 0, 1 }, 8);
	put(&b, (uint8_t[]){ 0x20, 0x00, 0x00, 0x05, 1, 2, 3, 4, 0, 0, 0, 0x01 }, 12);
	put(&b, (uint8_t[8]){ 0 }, 8);
	eth(&b, 0x0800);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	check_inner(&p, &in, 1, PKT_SRC_GRE, __LINE__);
	truncations(&b);
}

static void test_gre_events(void)
{
	static const struct {
		uint8_t gre[12];
		uint32_t len;
		enum decode_err err;
	} cases[] = {
		{ { 0x00, 0x00, 0x08 }, 3, DECODE_GRE_TRUNC },
		{ { 0x00, 0x02, 0x08, 0x00 }, 4, DECODE_GRE_VER_BAD },
		{ { 0x01, 0x00, 0x08, 0x00 }, 4, DECODE_GRE_V0_RECUR },
		{ { 0x00, 0x40, 0x08, 0x00 }, 4, DECODE_GRE_V0_FLAGS },
		{ { 0x20, 0x00, 0x08, 0x00, 0 }, 5, DECODE_GRE_V0_HDR_BIG },
		{ { 0x40, 0x00, 0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 9 }, 12, DECODE_GRE_V0_SRE_BAD },
		{ { 0xa0, 0x01, 0x88, 0x0b, 0, 1, 0, 1 }, 8, DECODE_GRE_V1_CHKSUM },
		{ { 0x60, 0x01, 0x88, 0x0b, 0, 1, 0, 1 }, 8, DECODE_GRE_V1_ROUTE },
		{ { 0x28, 0x01, 0x88, 0x0b, 0, 1, 0, 1 }, 8, DECODE_GRE_V1_SSR },
		{ { 0x21, 0x01, 0x88, 0x0b, 0, 1, 0, 1 }, 8, DECODE_GRE_V1_RECUR },
		{ { 0x20, 0x09, 0x88, 0x0b, 0, 1, 0, 1 }, 8, DECODE_GRE_V1_FLAGS },
		{ { 0x00, 0x01, 0x88, 0x0b, 0, 1, 0, 1 }, 8, DECODE_GRE_V1_NO_KEY },
		{ { 0x20, 0x01, 0x08, 0x00, 0, 1, 0, 1 }, 8, DECODE_GRE_V1_PROTO },
		{ { 0x30, 0x01, 0x88, 0x0b, 0, 1, 0, 1 }, 8, DECODE_GRE_V1_HDR_BIG },
		{ { 0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1, 0x10, 0 }, 10, DECODE_ERSPAN_TRUNC },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = { .n = 0 };
		struct packet p;

		eth(&b, 0x0800);
		ip4(&b, 47, cases[i].len, true);
		put(&b, cases[i].gre, cases[i].len);
		CHECK_INT(cases[i].err, dec(&p, &b, &OPTS));
		/* the IP layer stays valid: IP rules still see it */
		CHECK(decode_err_is_l4(p.err));
		CHECK_INT(4, p.ip_ver);
		CHECK(strncmp(decode_err_name(p.err), i < 14 ? "gre." : "erspan.", 4) == 0);
	}
}

static void test_ip_in_ip(void)
{
	struct buf b = { .n = 0 };
	struct packet p, in;

	eth(&b, 0x0800);
	ip4(&b, 4, INNER4_LEN, true);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_IPV4_IN_IPV4);
	check_inner(&p, &in, 1, PKT_SRC_IPV4, __LINE__);
	truncations(&b);

	b.n = 0;
	eth(&b, 0x86dd);
	ip6(&b, 4, INNER4_LEN);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_IPV4_IN_IPV6);
	check_inner(&p, &in, 1, PKT_SRC_IPV6, __LINE__);
	truncations(&b);
	/* too short, wrong version: events of the outer IPv6 packet */
	b.n = 14 + 40 + 10;
	b.d[14 + 5] = 10;
	CHECK_INT(DECODE_IPV4_IN_IPV6_TRUNC, dec(&p, &b, &OPTS));
	b.n = 0;
	eth(&b, 0x86dd);
	ip6(&b, 41, INNER4_LEN);
	inner4(&b);
	CHECK_INT(DECODE_IPV6_IN_IPV6_VER_BAD, dec(&p, &b, &OPTS));
	CHECK_STR("ipv6.ipv6_in_ipv6_wrong_version", decode_err_name(p.err));
	CHECK(decode_err_is_l4(p.err));

	/* IPv4 in IPv6 in IPv4: two tunnels, depth 2 */
	b.n = 0;
	eth(&b, 0x0800);
	ip4(&b, 41, 40 + INNER4_LEN, true);
	ip6(&b, 4, INNER4_LEN);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_IPV6_IN_IPV4);
	{
		struct packet mid, last;

		decode_tunnel_init(&mid, &p);
		CHECK_INT(DECODE_OK, decode_packet_keep_origin(&mid, &OPTS));
		CHECK(mid.encaps == PKT_ENC_IPV4_IN_IPV6);
		decode_tunnel_init(&last, &mid);
		CHECK_INT(DECODE_OK, decode_packet_keep_origin(&last, &OPTS));
		CHECK(last.encaps == 0);
		CHECK_INT(2, last.origin.depth);
		CHECK(last.origin.root == &p);
		/* not counted again from the start: the layers add up */
		CHECK_INT(2, last.layers);
		CHECK_INT(80, last.dp);
	}
	truncations(&b);
	/* the cap: the second tunnel is past decoder.max-layers 1 */
	{
		struct decode_opts o = { .max_layers = 1 };
		struct packet mid;

		CHECK_INT(DECODE_OK, dec(&p, &b, &o));
		decode_tunnel_init(&mid, &p);
		CHECK_INT(DECODE_TOO_MANY_LAYERS, decode_packet_keep_origin(&mid, &o));
		CHECK_STR("too_many_layers", decode_err_name(mid.err));
	}
}

/* An outer IPv4/UDP frame to dport whose payload is pl. */
static void udp_frame(struct buf *b, uint16_t sp, uint16_t dp, const struct buf *pl)
{
	b->n = 0;
	eth(b, 0x0800);
	ip4(b, 17, 8 + pl->n, true);
	udp(b, sp, dp, pl->n);
	put(b, pl->d, pl->n);
}

static void test_vxlan(void)
{
	struct buf pl = { .n = 0 }, b;
	struct packet p, in;
	struct decode_opts o = { 0 };

	put(&pl, (uint8_t[]){ 0x08, 0, 0, 0, 0, 0, 42, 0 }, 8);
	eth(&pl, 0x0800);
	inner4(&pl);
	udp_frame(&b, 50000, 4789, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_VXLAN);
	/* the inner packet starts after its MAC header */
	CHECK_INT(0x0800, p.tun.type);
	CHECK_INT(INNER4_LEN, p.tun.len);
	CHECK_INT(17, p.proto);
	check_inner(&p, &in, 1, PKT_SRC_VXLAN, __LINE__);
	truncations(&b);
	/* by source port too, as Suricata */
	udp_frame(&b, 4789, 50000, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data != NULL);
	/* another port: plain UDP until configured */
	udp_frame(&b, 50000, 8472, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL && p.encaps == 0);
	o.vxlan = (struct decode_udp_tunnel){ .nports = 2, .lo = { 4789, 8472 }, .hi = { 4789, 8472 } };
	CHECK_INT(DECODE_OK, dec(&p, &b, &o));
	CHECK(p.tun.data != NULL);
	o.vxlan.disabled = true;
	CHECK_INT(DECODE_OK, dec(&p, &b, &o));
	CHECK(p.tun.data == NULL);
	/* I flag clear: not VXLAN */
	pl.d[0] = 0;
	udp_frame(&b, 50000, 4789, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL);
	/* an inner ethertype it does not carry */
	pl.d[0] = 0x08;
	pl.d[8 + 12] = 0x12;
	udp_frame(&b, 50000, 4789, &pl);
	CHECK_INT(DECODE_VXLAN_PAYLOAD_BAD, dec(&p, &b, &OPTS));
	CHECK_STR("vxlan.unknown_payload_type", decode_err_name(p.err));
	/* ARP: nothing to decode, no event */
	pl.d[8 + 12] = 0x08;
	pl.d[8 + 13] = 0x06;
	udp_frame(&b, 50000, 4789, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL);
}

static void test_geneve(void)
{
	struct buf pl = { .n = 0 }, b;
	struct packet p, in;

	/* two 4-byte words of options: one option with 4 bytes of data */
	put(&pl, (uint8_t[]){ 0x02, 0x00, 0x65, 0x58, 0, 0, 42, 0 }, 8);
	put(&pl, (uint8_t[]){ 0x01, 0x02, 0x03, 0x01, 0xaa, 0xbb, 0xcc, 0xdd }, 8);
	eth(&pl, 0x0800);
	inner4(&pl);
	udp_frame(&b, 50000, 6081, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_GENEVE);
	CHECK_INT(TUN_TYPE_ETHERNET, p.tun.type);
	check_inner(&p, &in, 1, PKT_SRC_GENEVE, __LINE__);
	truncations(&b);
	/* options that do not add up to the option length: not Geneve */
	pl.d[8 + 3] = 0x02;
	udp_frame(&b, 50000, 6081, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL && p.encaps == 0);
	pl.d[8 + 3] = 0x01;
	/* version 1: not Geneve */
	pl.d[0] = 0x42;
	udp_frame(&b, 50000, 6081, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL);
	pl.d[0] = 0x02;
	pl.d[2] = 0x12;
	udp_frame(&b, 50000, 6081, &pl);
	CHECK_INT(DECODE_GENEVE_PAYLOAD_BAD, dec(&p, &b, &OPTS));
}

static void test_teredo(void)
{
	struct buf pl = { .n = 0 }, b;
	struct packet p, in;

	/* an origin indication, then IPv6 carrying the TCP packet */
	put(&pl, (uint8_t[]){ 0, 0, 0x12, 0x34, 1, 2, 3, 4 }, 8);
	ip6(&pl, 6, 24);
	put(&pl, (uint8_t[]){ 0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff,
			       0, 0, 0, 0 }, 20);
	put(&pl, "data", 4);
	udp_frame(&b, 3544, 60000, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_TEREDO);
	CHECK_INT(0x86dd, p.tun.type);
	check_inner(&p, &in, 1, PKT_SRC_TEREDO, __LINE__);
	CHECK_INT(6, in.ip_ver);
	truncations(&b);
	/* hop limit 0: not Teredo */
	pl.d[8 + 7] = 0;
	udp_frame(&b, 3544, 60000, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL);
	pl.d[8 + 7] = 64;
	/* an authentication indicator: not tunnelled traffic */
	pl.d[1] = 1;
	udp_frame(&b, 3544, 60000, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL);
	pl.d[1] = 0;
	/* the IPv6 length must fill the datagram exactly */
	pl.n--;
	udp_frame(&b, 3544, 60000, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL);
	pl.n++;
	/* another port */
	udp_frame(&b, 3545, 60000, &pl);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.tun.data == NULL);
}

static void test_mpls(void)
{
	struct buf b = { .n = 0 };
	struct packet p;

	/* two labels, the payload guessed from its version nibble */
	eth(&b, 0x8847);
	put(&b, (uint8_t[]){ 0x00, 0x06, 0x40, 0x40, 0x00, 0x0c, 0x81, 0x40 }, 8);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_MPLS);
	CHECK_INT(80, p.dp);
	CHECK(p.tun.data == NULL);
	truncations(&b);
	/* explicit IPv6 label (2) */
	b.n = 0;
	eth(&b, 0x8847);
	put(&b, (uint8_t[]){ 0x00, 0x00, 0x21, 0x40 }, 4);
	ip6(&b, 59, 4);
	put(&b, "none", 4);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK_INT(6, p.ip_ver);
	/* an Ethernet pseudowire behind its control word */
	b.n = 0;
	eth(&b, 0x8847);
	put(&b, (uint8_t[]){ 0x00, 0x12, 0xc1, 0x40, 0, 0, 0, 0 }, 8);
	eth(&b, 0x0800);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK_INT(80, p.dp);
	truncations(&b);
	/* the labels that cannot be at the bottom */
	b.d[14 + 2] = 0x11;
	b.d[14 + 1] = 0;
	b.d[14] = 0;
	CHECK_INT(DECODE_MPLS_ROUTER_ALERT, dec(&p, &b, &OPTS));
	b.d[14 + 2] = 0x31;
	CHECK_INT(DECODE_MPLS_IMPLICIT_NULL, dec(&p, &b, &OPTS));
	b.d[14 + 2] = 0x51;
	CHECK_INT(DECODE_MPLS_RESERVED, dec(&p, &b, &OPTS));
	CHECK(!decode_err_is_l4(p.err));
	b.n = 14 + 2;
	CHECK_INT(DECODE_MPLS_HDR_TRUNC, dec(&p, &b, &OPTS));
}

static void test_in_place(void)
{
	struct buf b = { .n = 0 };
	struct packet p;

	/* PPPoE session, PPP IPv4 */
	eth(&b, 0x8864);
	put(&b, (uint8_t[]){ 0x11, 0x00, 0x00, 0x11, 0x00, INNER4_LEN + 2, 0x00, 0x21 }, 8);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_PPPOE);
	CHECK_INT(80, p.dp);
	truncations(&b);
	/* discovery: a PADI; then a code PPPoE does not have */
	b.n = 0;
	eth(&b, 0x8863);
	put(&b, (uint8_t[]){ 0x11, 0x09, 0, 0, 0, 4, 1, 1, 0, 0 }, 10);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK_INT(0, p.ip_ver);
	b.d[15] = 0xbb;
	CHECK_INT(DECODE_PPPOE_CODE_BAD, dec(&p, &b, &OPTS));
	b.d[15] = 0x09;
	b.d[19] = 9;
	CHECK_INT(DECODE_PPPOE_TAGS_BAD, dec(&p, &b, &OPTS));

	/* VN-Tag, E-Tag, NSH (MD type 2, no context) */
	b.n = 0;
	eth(&b, 0x8926);
	put(&b, (uint8_t[]){ 0x80, 0x01, 0x00, 0x02, 0x08, 0x00 }, 6);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_VNTAG);
	CHECK_INT(80, p.dp);
	truncations(&b);
	b.d[14 + 4] = 0x12;
	CHECK_INT(DECODE_VNTAG_TYPE_BAD, dec(&p, &b, &OPTS));

	b.n = 0;
	eth(&b, 0x893f);
	put(&b, (uint8_t[]){ 0, 0, 0, 0x12, 0, 0, 0x08, 0x00 }, 8);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_ETAG);
	truncations(&b);

	b.n = 0;
	eth(&b, 0x894f);
	put(&b, (uint8_t[]){ 0x00, 0x02, 0x02, 0x01, 0, 0, 1, 0xff }, 8);
	inner4(&b);
	CHECK_INT(DECODE_OK, dec(&p, &b, &OPTS));
	CHECK(p.encaps == PKT_ENC_NSH);
	CHECK_INT(80, p.dp);
	truncations(&b);
	b.d[14 + 2] = 0x00;
	CHECK_INT(DECODE_NSH_RESERVED, dec(&p, &b, &OPTS));
	b.d[14 + 2] = 0x01;
	CHECK_INT(DECODE_NSH_LEN_BAD, dec(&p, &b, &OPTS));
	b.d[14 + 2] = 0x03;
	CHECK_INT(DECODE_NSH_TYPE_BAD, dec(&p, &b, &OPTS));
	b.d[14 + 2] = 0x02;
	b.d[14 + 3] = 0x04;
	CHECK_INT(DECODE_NSH_PAYLOAD_BAD, dec(&p, &b, &OPTS));
	b.d[14] = 0x40;
	CHECK_INT(DECODE_NSH_VER_BAD, dec(&p, &b, &OPTS));
}

/* Stacked tags past decoder.max-layers: an error, not a deep recursion. */
static void test_layers(void)
{
	struct buf b = { .n = 0 };
	struct packet p;

	eth(&b, 0x8926);
	for (int i = 0; i < 40; i++)
		put(&b, (uint8_t[]){ 0x80, 0x01, 0x00, 0x02, 0x89, 0x26 }, 6);
	put(&b, (uint8_t[]){ 0x80, 0x01, 0x00, 0x02, 0x08, 0x00 }, 6);
	inner4(&b);
	CHECK_INT(DECODE_TOO_MANY_LAYERS, dec(&p, &b, &OPTS));
	{
		struct decode_opts o = { .max_layers = DECODE_MAX_LAYERS_LIMIT };

		CHECK_INT(DECODE_OK, dec(&p, &b, &o));
		CHECK_INT(41, p.layers);
	}
}

static void test_names(void)
{
	for (int e = DECODE_TOO_MANY_LAYERS; e < DECODE_ERR_MAX; e++)
		CHECK(strcmp(decode_err_name((enum decode_err)e), "unknown") != 0);
	CHECK_STR("gre.version1_wrong_protocol", decode_err_name(DECODE_GRE_V1_PROTO));
	CHECK_STR("mpls.bad_label_implicit_null", decode_err_name(DECODE_MPLS_IMPLICIT_NULL));
	CHECK_STR("nsh.unknown_payload", decode_err_name(DECODE_NSH_PAYLOAD_BAD));
	CHECK_STR("IPv4", decode_link_name(PKT_LINK_IPV4));
	CHECK_STR("IPv6", decode_link_name(PKT_LINK_IPV6));
}

int main(void)
{
	test_gre();
	test_erspan();
	test_gre_events();
	test_ip_in_ip();
	test_vxlan();
	test_geneve();
	test_teredo();
	test_mpls();
	test_in_place();
	test_layers();
	test_names();
	return check_result("decode_tunnel");
}
