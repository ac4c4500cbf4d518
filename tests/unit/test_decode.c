/* SPDX-License-Identifier: MIT */
/* Decoder tests: hand-built frames checked field by field, every truncation
 * of every valid frame from an exactly sized heap buffer (ASan catches any
 * over-read), seeded random mutations, and the tcpdump pcap corpus if
 * present. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dataplane/decode/decode.h"
#include "dataplane/decode/pkt_build.h"

#define CORPUS_DIR "/work/shared/corpus/pcaps/tcpdump"

/* ---- frame builder ---------------------------------------------------- */

struct frame {
	uint8_t d[2048];
	uint32_t len;
	uint32_t eth_hlen;  /* Ethernet + VLAN tags */
	uint32_t l3;        /* offset of the IP header */
	uint32_t l4;        /* offset of the L4 header, 0: none */
	uint8_t ip_ver;
	uint8_t l4_proto;
	bool frag;          /* leave the L4 checksum and length alone */
	const uint8_t *pseudo_dst; /* IPv6 pseudo-header destination, NULL: DST6 */
};

static const uint8_t SRC4[4] = { 192, 0, 2, 1 };
static const uint8_t DST4[4] = { 198, 51, 100, 2 };
static const uint8_t SRC6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t DST6[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 2 };

static void put(struct frame *f, const void *b, uint32_t n)
{
	memcpy(f->d + f->len, b, n);
	f->len += n;
}

static void put8(struct frame *f, uint8_t v)
{
	f->d[f->len++] = v;
}

static void put16(struct frame *f, uint16_t v)
{
	put8(f, (uint8_t)(v >> 8));
	put8(f, (uint8_t)v);
}

static void put32(struct frame *f, uint32_t v)
{
	put16(f, (uint16_t)(v >> 16));
	put16(f, (uint16_t)v);
}

static void wr16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* Ethernet header with n tags: tpid[i], vid[i] (PCP bits set to check the
 * decoder masks them), then the ethertype. */
static void f_eth_vlan(struct frame *f, int n, const uint16_t *tpid, const uint16_t *vid,
		       uint16_t type)
{
	static const uint8_t macs[12] = { 0, 0x11, 0x22, 0x33, 0x44, 0x55,
					  0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
	int i;

	memset(f, 0, sizeof(*f));
	put(f, macs, sizeof(macs));
	for (i = 0; i < n; i++) {
		put16(f, tpid[i]);
		put16(f, (uint16_t)(0xa000 | vid[i]));
	}
	put16(f, type);
	f->eth_hlen = f->len;
}

static void f_eth(struct frame *f, uint16_t type)
{
	f_eth_vlan(f, 0, NULL, NULL, type);
}

/* IPv4 header; total length and checksum are filled by f_done(). */
static void f_ipv4(struct frame *f, uint8_t proto, uint16_t frag, const uint8_t *opts,
		   uint32_t optlen)
{
	f->l3 = f->len;
	f->ip_ver = 4;
	put8(f, (uint8_t)(0x40 | ((20 + optlen) / 4)));
	put8(f, 0x10);           /* tos */
	put16(f, 0);             /* total length */
	put16(f, 0x1234);        /* id */
	put16(f, frag);
	put8(f, 64);             /* ttl */
	put8(f, proto);
	put16(f, 0);             /* checksum */
	put(f, SRC4, 4);
	put(f, DST4, 4);
	if (optlen)
		put(f, opts, optlen);
}

/* IPv6 header, traffic class 0xa5, flow label 0x12345, hop limit 33. */
static void f_ipv6(struct frame *f, uint8_t nh)
{
	f->l3 = f->len;
	f->ip_ver = 6;
	put32(f, 0x6a512345);
	put16(f, 0);             /* payload length */
	put8(f, nh);
	put8(f, 33);
	put(f, SRC6, 16);
	put(f, DST6, 16);
}

static void f_tcp(struct frame *f, uint16_t sp, uint16_t dp, uint8_t flags,
		  const uint8_t *opts, uint32_t optlen)
{
	f->l4 = f->len;
	f->l4_proto = 6;
	put16(f, sp);
	put16(f, dp);
	put32(f, 0x01020304);    /* seq */
	put32(f, 0xa0b0c0d0);    /* ack */
	put8(f, (uint8_t)(((20 + optlen) / 4) << 4));
	put8(f, flags);
	put16(f, 29200);         /* window */
	put16(f, 0);             /* checksum */
	put16(f, 0);             /* urgent */
	if (optlen)
		put(f, opts, optlen);
}

static void f_udp(struct frame *f, uint16_t sp, uint16_t dp)
{
	f->l4 = f->len;
	f->l4_proto = 17;
	put16(f, sp);
	put16(f, dp);
	put16(f, 0);             /* length, by f_done() */
	put16(f, 0);
}

static void f_icmp(struct frame *f, uint8_t type, uint8_t code, uint16_t id, uint16_t seq)
{
	f->l4 = f->len;
	f->l4_proto = f->ip_ver == 6 ? 58 : 1;
	put8(f, type);
	put8(f, code);
	put16(f, 0);
	put16(f, id);
	put16(f, seq);
}

/* Reference checksum, written plainly and apart from the library's. */
static uint16_t ref_sum(uint32_t sum, const uint8_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		sum += (i & 1) ? b[i] : (uint32_t)b[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Fill IP lengths, the IPv4 header checksum and the L4 length/checksum. */
static void f_done(struct frame *f)
{
	uint8_t *ip = f->d + f->l3;
	uint32_t l4len = f->len - f->l4, sum = 0;
	uint8_t *l4 = f->d + f->l4;
	int csum_at;

	if (f->ip_ver == 4) {
		uint32_t hlen = (ip[0] & 0x0f) * 4u;

		wr16(ip + 2, (uint16_t)(f->len - f->l3));
		wr16(ip + 10, 0);
		wr16(ip + 10, (uint16_t)~ref_sum(0, ip, hlen));
	} else if (f->ip_ver == 6) {
		wr16(ip + 4, (uint16_t)(f->len - f->l3 - 40));
	}
	if (f->l4 == 0 || f->frag)
		return;
	switch (f->l4_proto) {
	case 6:
		csum_at = 16;
		break;
	case 17:
		csum_at = 6;
		wr16(l4 + 4, (uint16_t)l4len);
		break;
	default:
		csum_at = 2;
		break;
	}
	if (f->l4_proto != 1) {
		if (f->ip_ver == 4) {
			sum = ref_sum(sum, SRC4, 4);
			sum = ref_sum(sum, DST4, 4);
		} else {
			sum = ref_sum(sum, SRC6, 16);
			sum = ref_sum(sum, f->pseudo_dst ? f->pseudo_dst : DST6, 16);
		}
		sum += f->l4_proto + l4len;
	}
	wr16(l4 + csum_at, 0);
	wr16(l4 + csum_at, (uint16_t)~ref_sum(sum, l4, l4len));
}

/* ---- helpers ------------------------------------------------------------ */

static const struct decode_opts OPTS_NOCSUM = { .csum_check = false };
static const struct decode_opts OPTS_CSUM = { .csum_check = true };

static enum decode_err dec_buf(struct packet *p, const uint8_t *b, uint32_t len,
			       const struct decode_opts *o)
{
	p->data = b;
	p->len = len;
	p->wire_len = len;
	return decode_packet(p, o);
}

static enum decode_err dec(struct packet *p, const struct frame *f, const struct decode_opts *o)
{
	return dec_buf(p, f->d, f->len, o);
}

static bool in_frame(const struct packet *p, const uint8_t *ptr, uint32_t n)
{
	return ptr >= p->data && ptr <= p->data + p->len && n <= (uint32_t)(p->data + p->len - ptr);
}

/* Every pointer the decoder hands out stays inside the frame. */
static bool pkt_in_bounds(const struct packet *p)
{
	if (p->l3 != NULL && !in_frame(p, p->l3, p->l3_len))
		return false;
	if (p->l4 != NULL && !in_frame(p, p->l4, p->l4_len))
		return false;
	if (p->payload != NULL && !in_frame(p, p->payload, p->payload_len))
		return false;
	if (p->l4 != NULL && p->l3 != NULL && p->l4 + p->l4_len > p->l3 + p->l3_len)
		return false;
	if (p->payload != NULL && p->l3 != NULL &&
	    p->payload + p->payload_len > p->l3 + p->l3_len)
		return false;
	return p->l4 != NULL || p->payload_len == 0;
}

static const uint8_t TCP_OPTS[20] = {
	0x02, 0x04, 0x05, 0xb4,                    /* MSS 1460 */
	0x04, 0x02,                                /* SACK permitted */
	0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,        /* TS val */
	0x55, 0x66, 0x77, 0x88,                    /* TS ecr */
	0x01,                                      /* NOP */
	0x03, 0x03, 0x07,                          /* WS 7 */
};

static void build_v4_tcp(struct frame *f)
{
	f_eth(f, 0x0800);
	f_ipv4(f, 6, 0x4000, NULL, 0);
	f_tcp(f, 40000, 80, 0x12, TCP_OPTS, sizeof(TCP_OPTS));
	put(f, "hello", 5);
	f_done(f);
}

static void build_v4_udp(struct frame *f)
{
	f_eth(f, 0x0800);
	f_ipv4(f, 17, 0, NULL, 0);
	f_udp(f, 5353, 53);
	put(f, "query-bytes!", 12);
	f_done(f);
}

static void build_v4_icmp(struct frame *f)
{
	f_eth(f, 0x0800);
	f_ipv4(f, 1, 0, NULL, 0);
	f_icmp(f, 8, 0, 0x4242, 7);
	put(f, "pingdata", 7); /* odd length: exercises the checksum tail byte */
	f_done(f);
}

static void build_v6_tcp(struct frame *f)
{
	f_eth(f, 0x86dd);
	f_ipv6(f, 6);
	f_tcp(f, 443, 51000, 0x18, NULL, 0);
	put(f, "abc", 3);
	f_done(f);
}

static void build_v6_icmp(struct frame *f)
{
	f_eth(f, 0x86dd);
	f_ipv6(f, 58);
	f_icmp(f, 128, 0, 0x0101, 0x0202);
	put(f, "ping6", 5);
	f_done(f);
}

/* IPv6, hop-by-hop (PadN), destination options (Pad1 x6), fragment header
 * with offset/M given, then TCP. */
static void build_v6_exthdrs(struct frame *f, uint16_t offmf)
{
	static const uint8_t hbh[8] = { 60, 0, 0x01, 0x04, 0, 0, 0, 0 };
	static const uint8_t dst[8] = { 44, 0, 0, 0, 0, 0, 0, 0 };

	f_eth(f, 0x86dd);
	f_ipv6(f, 0);
	put(f, hbh, sizeof(hbh));
	put(f, dst, sizeof(dst));
	put8(f, 6);
	put8(f, 0);
	put16(f, offmf);
	put32(f, 0xdeadbeef);
	f_tcp(f, 1111, 2222, 0x02, NULL, 0);
	put(f, "frag", 4);
	f->frag = (offmf & 0xfff9) != 0;
	f_done(f);
}

static void build_arp(struct frame *f)
{
	static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };

	f_eth(f, 0x0806);
	put(f, arp, sizeof(arp));
}

static void build_qinq(struct frame *f)
{
	static const uint16_t tpid[2] = { 0x88a8, 0x8100 };
	static const uint16_t vid[2] = { 10, 20 };

	f_eth_vlan(f, 2, tpid, vid, 0x0800);
	f_ipv4(f, 17, 0, NULL, 0);
	f_udp(f, 1000, 2000);
	put(f, "x", 1);
	f_done(f);
}

static void build_v4_opts(struct frame *f)
{
	/* RR with room for one address, then NOP */
	static const uint8_t opts[8] = { 0x07, 0x07, 0x04, 0, 0, 0, 0, 0x01 };

	f_eth(f, 0x0800);
	f_ipv4(f, 6, 0, opts, sizeof(opts));
	f_tcp(f, 1, 2, 0x10, NULL, 0);
	f_done(f);
}

static void build_v4_frag_first(struct frame *f)
{
	f_eth(f, 0x0800);
	f_ipv4(f, 17, 0x2000, NULL, 0);
	f_udp(f, 7, 9);
	put(f, "0123456789abcdef", 16);
	f->frag = true;
	f_done(f);
	wr16(f->d + f->l4 + 4, 1000); /* the datagram is longer than this fragment */
}

static void build_v4_frag_later(struct frame *f)
{
	f_eth(f, 0x0800);
	f_ipv4(f, 6, 185, NULL, 0); /* offset 185 * 8 = 1480, MF clear */
	put(f, "middle-of-a-segment", 19);
	f_done(f);
}

/* ---- functional tests ----------------------------------------------------- */

static void test_v4_tcp(void)
{
	struct frame f;
	struct packet p = { 0 };
	uint32_t fl = PKT_F_TCP_MSS | PKT_F_TCP_WSCALE | PKT_F_TCP_SACKOK | PKT_F_TCP_TS;

	build_v4_tcp(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(DECODE_OK, p.err);
	CHECK_INT(0x0800, p.eth_type);
	CHECK_INT(0, p.vlan_cnt);
	CHECK_INT(4, p.ip_ver);
	CHECK_INT(6, p.proto);
	CHECK_INT(64, p.ttl);
	CHECK_INT(0x10, p.tos);
	CHECK_INT(0x1234, p.ip_id);
	CHECK_INT(0, p.frag_off);
	CHECK_INT(0, p.frag_mf);
	CHECK_INT(20, p.ip_hlen);
	CHECK_INT(0, p.ipv4_opts);
	CHECK(memcmp(p.src.b, SRC4, 4) == 0);
	CHECK(memcmp(p.dst.b, DST4, 4) == 0);
	CHECK_INT(0, p.src.w[1] | p.src.w[2] | p.src.w[3] | p.dst.w[1] | p.dst.w[2] | p.dst.w[3]);
	CHECK(p.l3 == f.d + 14);
	CHECK_INT(20 + 40 + 5, p.l3_len);
	CHECK(p.l4 == f.d + 34);
	CHECK_INT(45, p.l4_len);
	CHECK_INT(40000, p.sp);
	CHECK_INT(80, p.dp);
	CHECK_INT(0x01020304, p.tcp.seq);
	CHECK_INT(0xa0b0c0d0, p.tcp.ack);
	CHECK_INT(29200, p.tcp.win);
	CHECK_INT(TCP_SYN | TCP_ACK, p.tcp.flags);
	CHECK_INT(40, p.tcp.hlen);
	CHECK_INT(1460, p.tcp.mss);
	CHECK_INT(7, p.tcp.wscale);
	CHECK_INT(0x11223344, p.tcp.ts_val);
	CHECK_INT(0x55667788, p.tcp.ts_ecr);
	CHECK_INT(fl, p.flags);
	CHECK(p.payload == f.d + 74);
	CHECK_INT(5, p.payload_len);
	CHECK(memcmp(p.payload, "hello", 5) == 0);

	/* checksum verified: still no flag besides the options */
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(fl, p.flags);

	/* capture shorter than the wire: flagged, not an error by itself */
	p.data = f.d;
	p.len = f.len;
	p.wire_len = f.len + 100;
	CHECK_INT(DECODE_OK, decode_packet(&p, &OPTS_NOCSUM));
	CHECK_INT(fl | PKT_F_TRUNCATED, p.flags);
}

/* Ethernet pads to 60 bytes: the padding belongs to no layer. */
static void test_v4_padding(void)
{
	struct frame f;
	struct packet p = { 0 };

	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, NULL, 0);
	f_tcp(&f, 1, 2, TCP_ACK, NULL, 0);
	f_done(&f);
	memset(f.d + f.len, 0xee, 6);
	f.len += 6;
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(40, p.l3_len);
	CHECK_INT(20, p.l4_len);
	CHECK_INT(0, p.payload_len);
	CHECK(p.payload == f.d + 54);
	CHECK_INT(0, p.flags & PKT_F_CSUM_BAD);
}

static void test_v4_tcp_errors(void)
{
	struct frame f;
	struct packet p = { 0 };
	static const uint8_t bad_len[4] = { 0x02, 0x05, 0x05, 0xb4 }; /* runs past */
	static const uint8_t zero_len[4] = { 0x02, 0x00, 0x01, 0x01 };
	static const uint8_t lone_kind[4] = { 0x01, 0x01, 0x01, 0x02 };
	static const uint8_t mss3[4] = { 0x02, 0x03, 0x05, 0x00 };
	static const uint8_t sack_empty[4] = { 0x01, 0x01, 0x05, 0x02 };
	static const uint8_t sack3[4] = { 0x05, 0x03, 0x00, 0x00 };

	build_v4_tcp(&f);
	f.d[14 + 20 + 12] = 0x40; /* data offset 16 bytes */
	CHECK_INT(DECODE_TCP_HLEN_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(4, p.ip_ver); /* the IP layer stays decoded */
	CHECK_INT(6, p.proto);
	CHECK(p.l4 == NULL);
	f.d[14 + 20 + 12] = 0xf0; /* 60 bytes, only 45 there */
	CHECK_INT(DECODE_TCP_TRUNC, dec(&p, &f, &OPTS_NOCSUM));

	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, NULL, 0);
	f_tcp(&f, 1, 2, 0, bad_len, 4);
	f_done(&f);
	CHECK_INT(DECODE_TCP_OPT_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("tcp.invalid_optlen", decode_err_name(p.err));

	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, NULL, 0);
	f_tcp(&f, 1, 2, 0, zero_len, 4);
	f_done(&f);
	CHECK_INT(DECODE_TCP_OPT_BAD, dec(&p, &f, &OPTS_NOCSUM));

	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, NULL, 0);
	f_tcp(&f, 1, 2, 0, lone_kind, 4);
	f_done(&f);
	CHECK_INT(DECODE_TCP_OPT_BAD, dec(&p, &f, &OPTS_NOCSUM));

	/* a known option with the wrong size is skipped, not an error */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, NULL, 0);
	f_tcp(&f, 1, 2, 0, mss3, 4);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0, p.flags & PKT_F_TCP_MSS);
	CHECK_INT(0, p.tcp.mss);
	CHECK(p.dec_ev & (1ull << DEV_TCP_OPT_INVALID_LEN));

	/* an empty SACK (no blocks) is accepted as Suricata 7 does; a SACK
	 * whose length is not 2 + 8n is an invalid option length */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, NULL, 0);
	f_tcp(&f, 1, 2, 0x10, sack_empty, 4);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0, p.dec_ev & (1ull << DEV_TCP_OPT_INVALID_LEN));
	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, NULL, 0);
	f_tcp(&f, 1, 2, 0x10, sack3, 4);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK(p.dec_ev & (1ull << DEV_TCP_OPT_INVALID_LEN));
}

static void test_v4_header_errors(void)
{
	struct frame f;
	struct packet p = { 0 };

	build_v4_udp(&f);
	f.d[14] = 0x55;
	CHECK_INT(DECODE_IPV4_VER_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0, p.ip_ver);
	CHECK_STR("ipv4.wrong_ip_version", decode_err_name(p.err));
	f.d[14] = 0x44;
	CHECK_INT(DECODE_IPV4_HLEN_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("ipv4.hlen_too_small", decode_err_name(p.err));
	f.d[14] = 0x45;
	wr16(f.d + 16, 19);
	CHECK_INT(DECODE_IPV4_LEN_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("ipv4.iplen_smaller_than_hlen", decode_err_name(p.err));
	wr16(f.d + 16, (uint16_t)(f.len - 14 + 1));
	CHECK_INT(DECODE_IPV4_TRUNC, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("ipv4.trunc_pkt", decode_err_name(p.err));
	/* IHL beyond the total length */
	wr16(f.d + 16, 24);
	f.d[14] = 0x47;
	CHECK_INT(DECODE_IPV4_LEN_BAD, dec(&p, &f, &OPTS_NOCSUM));
}

static void test_v4_udp(void)
{
	struct frame f;
	struct packet p = { 0 };

	build_v4_udp(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(17, p.proto);
	CHECK_INT(5353, p.sp);
	CHECK_INT(53, p.dp);
	CHECK(p.l4 == f.d + 34);
	CHECK_INT(20, p.l4_len);
	CHECK(p.payload == f.d + 42);
	CHECK_INT(12, p.payload_len);
	CHECK_INT(0, p.flags);
	CHECK_INT(0, p.tcp.seq); /* the union stays clear for UDP */

	/* UDP length shorter than the IP payload: the rest is not payload */
	wr16(f.d + 38, 10);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(10, p.l4_len);
	CHECK_INT(2, p.payload_len);
	/* Suricata 7's three: longer than the IP payload, shorter than the
	 * header, and an IP payload without room for the header */
	wr16(f.d + 38, 21);
	CHECK_INT(DECODE_UDP_TRUNC, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("udp.pkt_too_small", decode_err_name(p.err));
	CHECK(p.l4 == NULL);
	CHECK_INT(0, p.sp);
	wr16(f.d + 38, 7);
	CHECK_INT(DECODE_UDP_LEN_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("udp.len_invalid", decode_err_name(p.err));
	CHECK_STR("udp.hlen_too_small", decode_err_name(DECODE_UDP_HLEN_SMALL));
}

static void test_v4_icmp(void)
{
	struct frame f;
	struct packet p = { 0 };

	build_v4_icmp(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(1, p.proto);
	CHECK_INT(8, p.icmp.type);
	CHECK_INT(0, p.icmp.code);
	CHECK_INT(0x4242, p.icmp.id);
	CHECK_INT(7, p.icmp.seq);
	CHECK_INT(0, p.sp);
	CHECK_INT(0, p.dp);
	CHECK_INT(15, p.l4_len);
	CHECK_INT(7, p.payload_len);
	CHECK_INT(0, p.flags);

	/* echo reply also carries id/seq; unreachable does not */
	f.d[34] = 0;
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0x4242, p.icmp.id);
	f.d[34] = 3;
	f.d[35] = 1;
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(3, p.icmp.type);
	CHECK_INT(1, p.icmp.code);
	CHECK_INT(0, p.icmp.id);
	CHECK_INT(0, p.icmp.seq);

	/* ICMP header shorter than 8 bytes */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 1, 0, NULL, 0);
	put32(&f, 0x08000000);
	f_done(&f);
	CHECK_INT(DECODE_ICMPV4_TRUNC, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("icmpv4.pkt_too_small", decode_err_name(p.err));
}

/* Suricata 7's ICMPv4 header lengths: a timestamp's 12 bytes and a router
 * advertisement's address entries belong to the header (icmpv4.hdr), not
 * to the payload, when they are all there; timestamp, information and
 * address mask messages carry id/seq. */
static void test_v4_icmp_hlen(void)
{
	struct frame f;
	struct packet p = { 0 };

	f_eth(&f, 0x0800);
	f_ipv4(&f, 1, 0, NULL, 0);
	f_icmp(&f, 13, 0, 0x1234, 5);
	put(&f, "originaterecvxy", 14); /* 12 timestamp bytes, then 2 */
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0x1234, p.icmp.id);
	CHECK_INT(5, p.icmp.seq);
	CHECK_INT(2, p.payload_len);
	CHECK_INT(0, p.dec_ev & (1ull << DEV_ICMPV4_IPV4_TRUNC));

	/* timestamps cut short: an 8-byte header, the rest is payload */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 1, 0, NULL, 0);
	f_icmp(&f, 14, 0, 0x1234, 5);
	put(&f, "orig", 4);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(4, p.payload_len);
	CHECK(p.dec_ev & (1ull << DEV_ICMPV4_IPV4_TRUNC));

	/* router advertisement: 1 address of 2 words, then 1 byte */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 1, 0, NULL, 0);
	f_icmp(&f, 9, 0, 0x0102, 1800);
	put(&f, "\x0a\x0e\x50\x54\x42\x00\x00\x00z", 9);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0, p.icmp.id);
	CHECK_INT(1, p.payload_len);
	CHECK_INT(17, p.l4_len);
}

static void test_vlan(void)
{
	struct frame f;
	struct packet p = { 0 };
	static const uint16_t tpid1[1] = { 0x8100 };
	static const uint16_t vid1[1] = { 100 };
	static const uint16_t tpid3[3] = { 0x9100, 0x88a8, 0x8100 };
	static const uint16_t vid3[3] = { 1, 2, 3 };

	f_eth_vlan(&f, 1, tpid1, vid1, 0x0800);
	f_ipv4(&f, 6, 0, NULL, 0);
	f_tcp(&f, 10, 20, TCP_SYN, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(1, p.vlan_cnt);
	CHECK_INT(100, p.vlan_id[0]);
	CHECK_INT(0, p.vlan_id[1]);
	CHECK_INT(0x0800, p.eth_type);
	CHECK(p.l3 == f.d + 18);
	CHECK_INT(10, p.sp);
	CHECK_INT(0, p.flags);

	build_qinq(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(2, p.vlan_cnt);
	CHECK_INT(10, p.vlan_id[0]);
	CHECK_INT(20, p.vlan_id[1]);
	CHECK(p.l3 == f.d + 22);
	CHECK_INT(1000, p.sp);
	CHECK_INT(1, p.payload_len);

	/* legacy 0x9100 outer TPID */
	f.d[12] = 0x91;
	f.d[13] = 0x00;
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(2, p.vlan_cnt);

	f_eth_vlan(&f, 3, tpid3, vid3, 0x0800);
	f_ipv4(&f, 6, 0, NULL, 0);
	f_tcp(&f, 10, 20, TCP_SYN, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_VLAN_TOO_MANY, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("vlan.too_many_layers", decode_err_name(p.err));
	CHECK_INT(0, p.ip_ver);
}

static void test_v4_options(void)
{
	struct frame f;
	struct packet p = { 0 };
	static const uint8_t overrun[8] = { 0x07, 0x09, 0x04, 0, 0, 0, 0, 0 };
	static const uint8_t len1[4] = { 0x01, 0x44, 0x01, 0x00 };
	static const uint8_t eol_pad[4] = { 0x01, 0x00, 0xff, 0xff };
	static const uint8_t rr_short[4] = { 0x07, 0x02, 0x00, 0x00 };
	static const uint8_t lone[4] = { 0x01, 0x01, 0x01, 0x83 };

	build_v4_opts(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(28, p.ip_hlen);
	CHECK_INT(IPV4_OPT_RR | IPV4_OPT_NOP, p.ipv4_opts);
	CHECK(p.l4 == f.d + 42);
	CHECK_INT(2, p.dp);
	CHECK_INT(0, p.flags);

	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, overrun, sizeof(overrun));
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_IPV4_OPT_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("ipv4.opt_invalid_len", decode_err_name(p.err));
	CHECK_INT(4, p.ip_ver);
	CHECK(p.l4 == NULL);

	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, len1, sizeof(len1));
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_IPV4_OPT_BAD, dec(&p, &f, &OPTS_NOCSUM));

	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, rr_short, sizeof(rr_short));
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_IPV4_OPT_BAD, dec(&p, &f, &OPTS_NOCSUM));

	/* one byte left that is not EOL: an event, the packet is kept */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, lone, sizeof(lone));
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	/* four bytes of options: not a multiple of 8, Suricata's pad event */
	CHECK_INT((1ull << DEV_IPV4_OPT_EOL_REQUIRED) | (1ull << DEV_IPV4_OPT_PAD_REQUIRED),
		  p.dec_ev);
	CHECK_STR("ipv4.opt_pad_required", decode_ev_name(DEV_IPV4_OPT_PAD_REQUIRED));

	/* eight bytes of NOPs: no padding event; a rejected packet keeps the
	 * pad event raised before its options were walked */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, (const uint8_t *)"\x01\x01\x01\x01\x01\x01\x01\x01", 8);
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0, p.dec_ev);
	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, rr_short, sizeof(rr_short));
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_IPV4_OPT_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(1ull << DEV_IPV4_OPT_PAD_REQUIRED, p.dec_ev);

	/* bytes after EOL are padding, whatever they hold */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0, eol_pad, sizeof(eol_pad));
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(IPV4_OPT_NOP | IPV4_OPT_EOL, p.ipv4_opts);
}

static void test_v4_fragments(void)
{
	struct frame f;
	struct packet p = { 0 };

	build_v4_frag_first(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(PKT_F_IPV4_FRAG, p.flags); /* no L4 checksum check on a fragment */
	CHECK_INT(1, p.frag_mf);
	CHECK_INT(0, p.frag_off);
	CHECK(p.l4 == f.d + 34);
	CHECK_INT(7, p.sp);
	CHECK_INT(9, p.dp);
	CHECK_INT(24, p.l4_len);
	CHECK_INT(16, p.payload_len);

	/* first fragment too short for the TCP header: partial, no error */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 6, 0x2000, NULL, 0);
	put32(&f, 0x00500050);
	put32(&f, 1);
	f.frag = true;
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(PKT_F_IPV4_FRAG | PKT_F_L4_PARTIAL, p.flags);
	CHECK(p.l4 == NULL);
	CHECK_INT(0, p.sp);
	CHECK_INT(6, p.proto);

	build_v4_frag_later(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(PKT_F_IPV4_FRAG | PKT_F_L4_PARTIAL, p.flags);
	CHECK_INT(1480, p.frag_off);
	CHECK_INT(0, p.frag_mf);
	CHECK_INT(6, p.proto);
	CHECK(p.l4 == NULL);
	CHECK(p.payload == NULL);
	CHECK_INT(0, p.payload_len);
	CHECK_INT(0, p.sp);
	CHECK_INT(0, p.dp);
	CHECK_INT(39, p.l3_len);
}

static void test_v6_tcp(void)
{
	struct frame f;
	struct packet p = { 0 };

	build_v6_tcp(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(0x86dd, p.eth_type);
	CHECK_INT(6, p.ip_ver);
	CHECK_INT(6, p.proto);
	CHECK_INT(33, p.ttl);
	CHECK_INT(0xa5, p.tos);
	CHECK_INT(40, p.ip_hlen);
	CHECK_INT(0, p.ip_id);
	CHECK(memcmp(p.src.b, SRC6, 16) == 0);
	CHECK(memcmp(p.dst.b, DST6, 16) == 0);
	CHECK(p.l3 == f.d + 14);
	CHECK_INT(63, p.l3_len);
	CHECK(p.l4 == f.d + 54);
	CHECK_INT(23, p.l4_len);
	CHECK_INT(443, p.sp);
	CHECK_INT(51000, p.dp);
	CHECK_INT(TCP_PSH | TCP_ACK, p.tcp.flags);
	CHECK_INT(3, p.payload_len);
	CHECK_INT(0, p.flags);

	f.d[14] = 0x4a;
	CHECK_INT(DECODE_IPV6_VER_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("ipv6.wrong_ip_version", decode_err_name(p.err));
	f.d[14] = 0x6a;
	/* payload length 0, no jumbo option: nothing left for TCP (Suricata) */
	wr16(f.d + 18, 0);
	CHECK_INT(DECODE_TCP_TRUNC, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("tcp.pkt_too_small", decode_err_name(p.err));
	wr16(f.d + 18, 24);
	CHECK_INT(DECODE_IPV6_TRUNC, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("ipv6.trunc_pkt", decode_err_name(p.err));
}

static void test_v6_exthdrs(void)
{
	struct frame f;
	struct packet p = { 0 };

	/* atomic fragment (offset 0, M clear): a whole packet */
	build_v6_exthdrs(&f, 0);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(PKT_F_IPV6_FRAG, p.flags);
	CHECK_INT(6, p.proto);
	CHECK_INT(0xbeef, p.ip_id);
	CHECK_INT(40, p.ip_hlen);
	CHECK(p.l4 == f.d + 14 + 40 + 24);
	CHECK_INT(24, p.l4_len);
	CHECK_INT(1111, p.sp);
	CHECK_INT(2222, p.dp);
	CHECK_INT(4, p.payload_len);

	/* first fragment */
	build_v6_exthdrs(&f, 1);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(PKT_F_IPV6_FRAG, p.flags);
	CHECK_INT(1, p.frag_mf);
	CHECK_INT(0, p.frag_off);
	CHECK_INT(1111, p.sp);

	/* later fragment, offset 100 * 8 */
	build_v6_exthdrs(&f, 100 << 3);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(PKT_F_IPV6_FRAG | PKT_F_L4_PARTIAL, p.flags);
	CHECK_INT(800, p.frag_off);
	CHECK_INT(0, p.frag_mf);
	CHECK_INT(0xbeef, p.ip_id);
	CHECK_INT(6, p.proto);
	CHECK(p.l4 == NULL);
	CHECK_INT(0, p.sp);
}

static void test_v6_bad_chain(void)
{
	struct frame f;
	struct packet p = { 0 };
	int i;

	/* hop-by-hop claiming 24 bytes in a 20-byte payload */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 0);
	put8(&f, 59);
	put8(&f, 2);
	put(&f, "\x01\x0c\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18);
	f_done(&f);
	CHECK_INT(DECODE_IPV6_EXTHDR_BAD, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_STR("ipv6.trunc_exthdr", decode_err_name(p.err));
	CHECK_INT(6, p.ip_ver);

	/* destination option TLV running past its header: an event, the
	 * header is skipped and the packet decoded on (Suricata 7) */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 60);
	put(&f, "\x06\x00\x01\x05\0\0\0\0", 8);
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(1ull << DEV_IPV6_INVALID_OPTLEN, p.dec_ev);
	CHECK_INT(2, p.dp);

	/* a PadN with no data after a router alert: zero_len_padn, not
	 * only padding (the events past bit 31 of the set) */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 0);
	put(&f, "\x06\x00\x05\x02\x00\x00\x01\x00", 8);
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(1ull << DEV_IPV6_ZERO_LEN_PADN, p.dec_ev);
	CHECK_STR("ipv6.zero_len_padn", decode_ev_name(DEV_IPV6_ZERO_LEN_PADN));

	/* an upper layer no decoder knows (253, experimental), after a
	 * destination header and directly; SCTP is known */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 60);
	put(&f, "\xfd\x00\x05\x02\x00\x00\x00\x00", 8);
	put(&f, "data", 4);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(1ull << DEV_IPV6_UNKNOWN_NH, p.dec_ev);
	CHECK_INT(253, p.proto);
	CHECK_STR("ipv6.unknown_next_header", decode_ev_name(DEV_IPV6_UNKNOWN_NH));
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 253);
	put(&f, "data", 4);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(1ull << DEV_IPV6_UNKNOWN_NH, p.dec_ev);
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 132);
	put(&f, "\x00\x01\x00\x02\0\0\0\0\0\0\0\0", 12);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0, p.dec_ev);

	/* two fragment headers: the second is skipped */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 44);
	put(&f, "\x2c\0\0\0\0\0\0\x01", 8);
	put(&f, "\x06\0\0\0\0\0\0\x01", 8);
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK(p.dec_ev & (1ull << DEV_IPV6_DUPL_FH));
	CHECK(p.dec_ev & (1ull << DEV_IPV6_USELESS_FH));
	CHECK_INT(6, p.proto);

	/* a chain longer than any real stack sends */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 60);
	for (i = 0; i < 20; i++)
		put(&f, i == 19 ? "\x06\0\0\0\0\0\0\0" : "\x3c\0\0\0\0\0\0\0", 8);
	f_tcp(&f, 1, 2, 0, NULL, 0);
	f_done(&f);
	CHECK_INT(DECODE_IPV6_EXTHDR_BAD, dec(&p, &f, &OPTS_NOCSUM));

	/* no next header: fine, no L4, trailing bytes ignored */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 59);
	put(&f, "junk", 4);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(59, p.proto);
	CHECK(p.l4 == NULL);
	CHECK_INT(0, p.flags);

	/* AH ((2 + 2) * 4 = 16 bytes) then UDP */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 51);
	put(&f, "\x11\x02\0\0\0\0\0\x01\0\0\0\x01\0\0\0\0", 16);
	f_udp(&f, 500, 4500);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(17, p.proto);
	CHECK_INT(4500, p.dp);
	CHECK(p.l4 == f.d + 14 + 40 + 16);
	CHECK_INT(0, p.flags);
}

/* A routing header with segments left: the pseudo header takes its final
 * destination, not the IPv6 destination (the next hop). */
static void test_v6_routing(void)
{
	static const uint8_t final6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };
	struct frame f;
	struct packet p = { 0 };

	f_eth(&f, 0x86dd);
	f_ipv6(&f, 43);
	put(&f, "\x11\x02\x00\x01\0\0\0\0", 8); /* type 0, 1 segment left */
	put(&f, final6, 16);
	f_udp(&f, 5645, 5642);
	put(&f, "rt", 2);
	f.pseudo_dst = final6;
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(0, p.flags);
	CHECK_INT(17, p.proto);
	CHECK(p.l4 == f.d + 14 + 40 + 24);
	CHECK(memcmp(p.dst.b, DST6, 16) == 0);

	/* no segment left: the IPv6 destination is final, so this checksum fails */
	f.d[14 + 40 + 3] = 0;
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(PKT_F_CSUM_BAD, p.flags);
}

/* RFC 2675 jumbogram: payload length 0, real length in a hop-by-hop option. */
static void test_v6_jumbo(void)
{
	uint32_t plen = 70000, len = 14 + 40 + plen;
	uint8_t *b = calloc(1, len);
	struct packet p = { 0 };

	if (b == NULL) {
		CHECK(b != NULL);
		return;
	}
	b[12] = 0x86;
	b[13] = 0xdd;
	b[14] = 0x60;
	b[20] = 0;                               /* next header: hop-by-hop */
	b[21] = 64;
	memcpy(b + 54, "\x06\x00\xc2\x04\x00\x01\x11\x70", 8); /* jumbo 70000 */
	b[54 + 8 + 12] = 0x50;                   /* TCP data offset 5 */
	CHECK_INT(DECODE_OK, dec_buf(&p, b, len, &OPTS_NOCSUM));
	CHECK_INT(40 + plen, p.l3_len);
	CHECK_INT(plen - 8, p.l4_len);
	CHECK_INT(plen - 8 - 20, p.payload_len);
	CHECK_INT(DECODE_IPV6_TRUNC, dec_buf(&p, b, len - 1, &OPTS_NOCSUM));
	/* a jumbo length below 65536 is invalid: the payload is then empty and
	 * the hop-by-hop header does not fit in it */
	memcpy(b + 58, "\x00\x00\xff\xff", 4);
	CHECK_INT(DECODE_IPV6_EXTHDR_BAD, dec_buf(&p, b, len, &OPTS_NOCSUM));
	CHECK_STR("ipv6.trunc_exthdr", decode_err_name(p.err));
	free(b);
}

static void test_v6_icmp(void)
{
	struct frame f;
	struct packet p = { 0 };

	build_v6_icmp(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(58, p.proto);
	CHECK_INT(128, p.icmp.type);
	CHECK_INT(0, p.icmp.code);
	CHECK_INT(0x0101, p.icmp.id);
	CHECK_INT(0x0202, p.icmp.seq);
	CHECK_INT(0, p.sp);
	CHECK_INT(5, p.payload_len);
	CHECK_INT(0, p.flags);
	f.d[54] = 129;
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(129, p.icmp.type);
	CHECK_INT(0x0202, p.icmp.seq);
	CHECK_INT(0, p.flags);

	/* ICMPv6 inside IPv4 is not parsed as ICMP: Suricata's invalid
	 * ipv4.icmpv6, the IP layer kept */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 58, 0, NULL, 0);
	put32(&f, 0x80000000);
	put32(&f, 0x00010001);
	f_done(&f);
	CHECK_INT(DECODE_IPV4_WITH_ICMPV6, dec(&p, &f, &OPTS_CSUM));
	CHECK_STR("ipv4.icmpv6", decode_err_name(p.err));
	CHECK(decode_err_is_l4(p.err));
	CHECK_INT(4, p.ip_ver);
	CHECK(p.l4 == NULL);
	CHECK_INT(0, p.icmp.type);
}

static void test_non_ip(void)
{
	struct frame f;
	struct packet p = { 0 };

	build_arp(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(0x0806, p.eth_type);
	CHECK_INT(0, p.ip_ver);
	CHECK(p.l3 == NULL);
	CHECK(p.l4 == NULL);
	CHECK_INT(0, p.flags);

	/* GRE: an IP protocol the decoder does not know, not an error */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 47, 0, NULL, 0);
	put32(&f, 0x00000800);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(47, p.proto);
	CHECK(p.l4 == NULL);
	CHECK(p.payload == NULL);
	CHECK_INT(0, p.flags);
}

/* A reused struct packet must not keep fields of the previous frame. */
static void test_reuse(void)
{
	struct frame f;
	struct packet p;
	static const struct packet zero;

	/* garbage everywhere, as a recycled struct would hold */
	memset(&p, 0xa5, sizeof(p));
	build_v4_tcp(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0xa5a5a5a5a5a5a5a5ull, p.ts_us); /* input fields are left alone */
	build_arp(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0, p.vlan_cnt);
	CHECK_INT(0, p.ip_ver | p.proto | p.ttl | p.tos | p.ip_id | p.frag_off | p.frag_mf);
	CHECK_INT(0, p.ip_hlen | p.ipv4_opts | p.l3_len | p.l4_len | p.sp | p.dp);
	CHECK(memcmp(&p.src, &zero.src, sizeof(p.src)) == 0);
	CHECK(memcmp(&p.dst, &zero.dst, sizeof(p.dst)) == 0);
	CHECK(memcmp(&p.tcp, &zero.tcp, sizeof(p.tcp)) == 0);
	CHECK(p.l3 == NULL && p.l4 == NULL && p.payload == NULL && p.flow == NULL);
	CHECK_INT(0, p.payload_len | p.flags | p.dir | p.flow_flags);
	CHECK_INT(0x0806, p.eth_type);
}

static void test_checksums(void)
{
	void (*builders[])(struct frame *) = {
		build_v4_tcp, build_v4_udp, build_v4_icmp, build_v6_tcp, build_v6_icmp, build_qinq,
	};
	struct frame f;
	struct packet p = { 0 };
	size_t i;

	for (i = 0; i < sizeof(builders) / sizeof(builders[0]); i++) {
		builders[i](&f);
		CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
		CHECK_INT(0, p.flags & PKT_F_CSUM_BAD);
		/* corrupt the last payload byte: L4 checksum fails */
		f.d[f.len - 1] ^= 0x01;
		CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
		CHECK_INT(PKT_F_CSUM_BAD, p.flags & PKT_F_CSUM_BAD);
		CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
		CHECK_INT(0, p.flags & PKT_F_CSUM_BAD);
	}

	/* IPv4 header checksum */
	build_v4_udp(&f);
	f.d[14 + 8] = 63; /* ttl changed, checksum not updated */
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(PKT_F_CSUM_BAD, p.flags & PKT_F_CSUM_BAD);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_NOCSUM));
	CHECK_INT(0, p.flags);

	/* UDP checksum 0 over IPv4: none sent, not bad */
	build_v4_udp(&f);
	wr16(f.d + 40, 0);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(0, p.flags & PKT_F_CSUM_BAD);

	/* over IPv6 the UDP checksum is mandatory: 0 is bad */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 17);
	f_udp(&f, 1, 2);
	put(&f, "v6", 2);
	f_done(&f);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(0, p.flags & PKT_F_CSUM_BAD);
	wr16(f.d + 60, 0);
	CHECK_INT(DECODE_OK, dec(&p, &f, &OPTS_CSUM));
	CHECK_INT(PKT_F_CSUM_BAD, p.flags & PKT_F_CSUM_BAD);
}

static void test_err_names(void)
{
	int i, j;

	CHECK_STR("ok", decode_err_name(DECODE_OK));
	CHECK_STR("ethernet.pkt_too_small", decode_err_name(DECODE_ETH_TRUNC));
	CHECK_STR("vlan.header_too_small", decode_err_name(DECODE_VLAN_TRUNC));
	CHECK_STR("tcp.pkt_too_small", decode_err_name(DECODE_TCP_TRUNC));
	CHECK_STR("tcp.hlen_too_small", decode_err_name(DECODE_TCP_HLEN_BAD));
	CHECK_STR("udp.pkt_too_small", decode_err_name(DECODE_UDP_TRUNC));
	CHECK_STR("icmpv6.pkt_too_small", decode_err_name(DECODE_ICMPV6_TRUNC));
	CHECK_STR("unknown", decode_err_name(DECODE_ERR_MAX));
	CHECK_STR("unknown", decode_err_name((enum decode_err)-1));
	for (i = 0; i < DECODE_ERR_MAX; i++) {
		CHECK(strcmp(decode_err_name(i), "unknown") != 0);
		for (j = 0; j < i; j++)
			CHECK(strcmp(decode_err_name(i), decode_err_name(j)) != 0);
	}
}

/* ---- link layers of capture files (p->link) -------------------------------- */

/* The IP part of an Ethernet test frame behind another link header, in an
 * exactly sized heap buffer (ASan sees any over-read); freed by the caller. */
static uint8_t *relink(const struct frame *f, const uint8_t *hdr, uint32_t hlen, uint32_t *len)
{
	uint32_t ip = f->len - f->l3;
	uint8_t *b = malloc(hlen + ip);

	if (b == NULL)
		abort();
	if (hlen > 0)		/* raw IP has no link header (hdr NULL) */
		memcpy(b, hdr, hlen);
	memcpy(b + hlen, f->d + f->l3, ip);
	*len = hlen + ip;
	return b;
}

/* Decode b as link; then every truncation of it: never out of bounds, and
 * a cut inside the link header gives hdr_err. */
static enum decode_err dec_link(struct packet *p, uint8_t link, const uint8_t *b, uint32_t len)
{
	p->link = link;
	return dec_buf(p, b, len, &OPTS_CSUM);
}

static void link_truncations(uint8_t link, const uint8_t *b, uint32_t len, uint32_t hlen,
			     enum decode_err hdr_err)
{
	for (uint32_t cut = 0; cut < len; cut++) {
		uint8_t *t = malloc(cut ? cut : 1);
		struct packet p = { 0 };

		if (t == NULL)
			abort();
		memcpy(t, b, cut);
		dec_link(&p, link, t, cut);
		CHECK(pkt_in_bounds(&p));
		if (cut < hlen && hdr_err != DECODE_OK)
			CHECK_INT(hdr_err, p.err);
		else
			CHECK(p.err != DECODE_OK || cut == len);
		free(t);
	}
}

/* The fields every IPv4 TCP test frame decodes to, whatever the link. */
static void check_v4_tcp(const struct packet *p, const uint8_t *b, uint32_t hlen)
{
	CHECK_INT(DECODE_OK, p->err);
	CHECK_INT(0x0800, p->eth_type);
	CHECK_INT(4, p->ip_ver);
	CHECK_INT(6, p->proto);
	CHECK(p->l3 == b + hlen);
	CHECK_INT(40000, p->sp);
	CHECK_INT(80, p->dp);
	CHECK_INT(5, p->payload_len);
	CHECK(p->payload != NULL && memcmp(p->payload, "hello", 5) == 0);
	CHECK(memcmp(&p->src, SRC4, 4) == 0);
}

static void check_v6_tcp(const struct packet *p, const uint8_t *b, uint32_t hlen)
{
	CHECK_INT(DECODE_OK, p->err);
	CHECK_INT(0x86dd, p->eth_type);
	CHECK_INT(6, p->ip_ver);
	CHECK(p->l3 == b + hlen);
	CHECK_INT(443, p->sp);
	CHECK_INT(51000, p->dp);
	CHECK_INT(3, p->payload_len);
}

static void test_link_sll(void)
{
	/* packet type 0 (to us), ARPHRD_ETHER, 6-byte address, proto IPv4 */
	uint8_t h[16] = { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00 };
	struct frame f4, f6;
	struct packet p = { 0 };
	uint32_t len;
	uint8_t *b;

	build_v4_tcp(&f4);
	b = relink(&f4, h, sizeof(h), &len);
	dec_link(&p, PKT_LINK_SLL, b, len);
	check_v4_tcp(&p, b, 16);
	CHECK_INT(0, p.vlan_cnt);
	link_truncations(PKT_LINK_SLL, b, len, 16, DECODE_SLL_TRUNC);
	free(b);

	/* an untagged VLAN in a cooked capture: the ethertype path */
	{
		uint8_t hv[20] = { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x81, 0x00,
				   0x00, 0x2a, 0x08, 0x00 };

		b = relink(&f4, hv, sizeof(hv), &len);
		dec_link(&p, PKT_LINK_SLL, b, len);
		check_v4_tcp(&p, b, 20);
		CHECK_INT(1, p.vlan_cnt);
		CHECK_INT(42, p.vlan_id[0]);
		free(b);
	}

	build_v6_tcp(&f6);
	h[14] = 0x86;
	h[15] = 0xdd;
	b = relink(&f6, h, sizeof(h), &len);
	dec_link(&p, PKT_LINK_SLL, b, len);
	check_v6_tcp(&p, b, 16);
	free(b);

	/* ARP in a cooked capture: not IP, not an error */
	h[14] = 0x08;
	h[15] = 0x06;
	dec_link(&p, PKT_LINK_SLL, h, sizeof(h));
	CHECK_INT(DECODE_OK, p.err);
	CHECK_INT(0x0806, p.eth_type);
	CHECK_INT(0, p.ip_ver);
}

static void test_link_sll2(void)
{
	/* proto IPv4, reserved, ifindex 3, ARPHRD_ETHER, type 4 (outgoing), alen 6 */
	uint8_t h[20] = { 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0 };
	struct frame f;
	struct packet p = { 0 };
	uint32_t len;
	uint8_t *b;

	build_v4_tcp(&f);
	b = relink(&f, h, sizeof(h), &len);
	dec_link(&p, PKT_LINK_SLL2, b, len);
	check_v4_tcp(&p, b, 20);
	link_truncations(PKT_LINK_SLL2, b, len, 20, DECODE_SLL2_TRUNC);
	free(b);

	/* SLL (v1) reading of the same bytes would be wrong: the link matters */
	b = relink(&f, h, sizeof(h), &len);
	dec_link(&p, PKT_LINK_SLL, b, len);
	CHECK_INT(DECODE_OK, p.err);
	CHECK_INT(0, p.eth_type);	/* bytes 14-15 of the SLL2 header: address padding */
	CHECK_INT(0, p.ip_ver);
	free(b);
}

static void test_link_null(void)
{
	static const uint8_t af_inet_le[4] = { 2, 0, 0, 0 };
	static const uint8_t af_inet_be[4] = { 0, 0, 0, 2 };
	static const uint8_t af_inet6[][4] = {
		{ 30, 0, 0, 0 }, { 0, 0, 0, 28 }, { 24, 0, 0, 0 }, { 10, 0, 0, 0 },
	};
	static const uint8_t af_other[4] = { 0, 0, 0, 7 };
	struct frame f4, f6;
	struct packet p = { 0 };
	uint32_t len;
	uint8_t *b;

	build_v4_tcp(&f4);
	build_v6_tcp(&f6);
	b = relink(&f4, af_inet_le, 4, &len);
	dec_link(&p, PKT_LINK_NULL, b, len);
	check_v4_tcp(&p, b, 4);
	link_truncations(PKT_LINK_NULL, b, len, 4, DECODE_NULL_TRUNC);
	free(b);

	b = relink(&f4, af_inet_be, 4, &len);
	dec_link(&p, PKT_LINK_LOOP, b, len);
	check_v4_tcp(&p, b, 4);
	link_truncations(PKT_LINK_LOOP, b, len, 4, DECODE_NULL_TRUNC);
	free(b);

	for (unsigned i = 0; i < sizeof(af_inet6) / sizeof(af_inet6[0]); i++) {
		b = relink(&f6, af_inet6[i], 4, &len);
		dec_link(&p, i & 1 ? PKT_LINK_LOOP : PKT_LINK_NULL, b, len);
		check_v6_tcp(&p, b, 4);
		free(b);
	}

	b = relink(&f4, af_other, 4, &len);
	CHECK_INT(DECODE_NULL_UNSUP, dec_link(&p, PKT_LINK_NULL, b, len));
	CHECK_INT(0, p.ip_ver);
	CHECK_STR("ltnull.unsupported_type", decode_err_name(p.err));
	free(b);
}

static void test_link_ppp(void)
{
	static const uint8_t hdlc_v4[4] = { 0xff, 0x03, 0x00, 0x21 };
	static const uint8_t bare_v6[2] = { 0x00, 0x57 };
	static const uint8_t pfc_v4[1] = { 0x21 };	/* protocol field compressed */
	static const uint8_t lcp[8] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4 };
	struct frame f4, f6;
	struct packet p = { 0 };
	uint32_t len;
	uint8_t *b;

	build_v4_tcp(&f4);
	build_v6_tcp(&f6);
	b = relink(&f4, hdlc_v4, sizeof(hdlc_v4), &len);
	dec_link(&p, PKT_LINK_PPP, b, len);
	check_v4_tcp(&p, b, 4);
	link_truncations(PKT_LINK_PPP, b, len, 0, DECODE_OK);
	free(b);

	b = relink(&f6, bare_v6, sizeof(bare_v6), &len);
	dec_link(&p, PKT_LINK_PPP, b, len);
	check_v6_tcp(&p, b, 2);
	free(b);

	b = relink(&f4, pfc_v4, sizeof(pfc_v4), &len);
	dec_link(&p, PKT_LINK_PPP, b, len);
	check_v4_tcp(&p, b, 1);
	free(b);

	CHECK_INT(DECODE_PPP_UNSUP, dec_link(&p, PKT_LINK_PPP, lcp, sizeof(lcp)));
	CHECK_STR("ppp.unsup_proto", decode_err_name(DECODE_PPP_UNSUP));
	CHECK_INT(DECODE_PPP_TRUNC, dec_link(&p, PKT_LINK_PPP, lcp, 2));
	CHECK_INT(DECODE_PPP_TRUNC, dec_link(&p, PKT_LINK_PPP, lcp, 3));
	CHECK_INT(DECODE_PPP_TRUNC, dec_link(&p, PKT_LINK_PPP, bare_v6, 0));
}

static void test_link_raw(void)
{
	static const uint8_t bad[20] = { 0x55 };
	struct frame f4, f6;
	struct packet p = { 0 };
	uint32_t len;
	uint8_t *b;

	build_v4_tcp(&f4);
	build_v6_tcp(&f6);
	b = relink(&f4, NULL, 0, &len);
	dec_link(&p, PKT_LINK_RAW, b, len);
	check_v4_tcp(&p, b, 0);
	link_truncations(PKT_LINK_RAW, b, len, 0, DECODE_OK);
	dec_link(&p, PKT_LINK_IPV4, b, len);
	check_v4_tcp(&p, b, 0);
	/* an IPv4 header on a LINKTYPE_IPV6 capture is the IPv6 decoder's error */
	CHECK_INT(DECODE_IPV6_SMALL, dec_link(&p, PKT_LINK_IPV6, b, 39));
	free(b);

	b = relink(&f6, NULL, 0, &len);
	dec_link(&p, PKT_LINK_RAW, b, len);
	check_v6_tcp(&p, b, 0);
	dec_link(&p, PKT_LINK_IPV6, b, len);
	check_v6_tcp(&p, b, 0);
	CHECK_INT(DECODE_IPV4_VER_BAD, dec_link(&p, PKT_LINK_IPV4, b, len));
	free(b);

	CHECK_INT(DECODE_RAW_VER_BAD, dec_link(&p, PKT_LINK_RAW, bad, sizeof(bad)));
	CHECK_STR("ipraw.invalid_ip_version", decode_err_name(p.err));
}

/* The headers of a flow-end pseudo packet, as Suricata 7 makes them up
 * (EVE "packet"): decoded as raw IP with checksums checked, every field as
 * made. */
static void test_pkt_build_pseudo(void)
{
	for (int v6 = 0; v6 <= 1; v6++) {
		struct packet in = { .ip_ver = v6 ? 6 : 4, .proto = 6, .sp = 40000, .dp = 80 };
		uint8_t buf[PKT_BUILD_IPV6_HDR + PKT_BUILD_TCP_HDR];
		struct packet p = { 0 };
		size_t n;

		for (int i = 0; i < 16; i++) {
			in.src.b[i] = (uint8_t)(v6 ? 0x20 + i : 10 + i);
			in.dst.b[i] = (uint8_t)(v6 ? 0x30 + i : 20 + i);
		}
		n = pkt_build_pseudo_tcp(&in, 0x01020304u, 0xa0b0c0d0u, buf);
		CHECK_INT(v6 ? 60 : 40, n);
		CHECK_INT(DECODE_OK, dec_link(&p, PKT_LINK_RAW, buf, (uint32_t)n));
		CHECK_INT(in.ip_ver, p.ip_ver);
		CHECK_INT(64, p.ttl);
		CHECK_INT(0, memcmp(p.src.b, in.src.b, v6 ? 16 : 4));
		CHECK_INT(0, memcmp(p.dst.b, in.dst.b, v6 ? 16 : 4));
		CHECK_INT(40000, p.sp);
		CHECK_INT(80, p.dp);
		CHECK_INT(0x01020304u, p.tcp.seq);
		CHECK_INT(0xa0b0c0d0u, p.tcp.ack);
		CHECK_INT(TCP_ACK, p.tcp.flags);
		CHECK_INT(10, p.tcp.win);
		CHECK_INT(0, p.payload_len);
		if (!v6)	/* Suricata sets no DF */
			CHECK_INT(0, buf[6]);
	}
}

static void test_link_chdlc(void)
{
	static const uint8_t h4[4] = { 0x0f, 0x00, 0x08, 0x00 };
	static const uint8_t h6[4] = { 0x8f, 0x00, 0x86, 0xdd };
	struct frame f4, f6;
	struct packet p = { 0 };
	uint32_t len;
	uint8_t *b;

	build_v4_tcp(&f4);
	build_v6_tcp(&f6);
	b = relink(&f4, h4, sizeof(h4), &len);
	dec_link(&p, PKT_LINK_CHDLC, b, len);
	check_v4_tcp(&p, b, 4);
	link_truncations(PKT_LINK_CHDLC, b, len, 4, DECODE_CHDLC_TRUNC);
	free(b);
	b = relink(&f6, h6, sizeof(h6), &len);
	dec_link(&p, PKT_LINK_CHDLC, b, len);
	check_v6_tcp(&p, b, 4);
	free(b);
	CHECK_STR("chdlc.pkt_too_small", decode_err_name(DECODE_CHDLC_TRUNC));
}

static void test_link_names(void)
{
	CHECK_INT(1, decode_link_type(PKT_LINK_ETHERNET));
	CHECK_STR("EN10MB", decode_link_name(PKT_LINK_ETHERNET));
	CHECK_INT(113, decode_link_type(PKT_LINK_SLL));
	CHECK_STR("LINUX_SLL", decode_link_name(PKT_LINK_SLL));
	CHECK_INT(276, decode_link_type(PKT_LINK_SLL2));
	CHECK_STR("LINUX_SLL2", decode_link_name(PKT_LINK_SLL2));
	CHECK_INT(0, decode_link_type(PKT_LINK_NULL));
	CHECK_INT(108, decode_link_type(PKT_LINK_LOOP));
	CHECK_INT(9, decode_link_type(PKT_LINK_PPP));
	CHECK_STR("PPP", decode_link_name(PKT_LINK_PPP));
	CHECK_INT(12, decode_link_type(PKT_LINK_RAW));
	CHECK_STR("RAW", decode_link_name(PKT_LINK_RAW));
	CHECK_INT(228, decode_link_type(PKT_LINK_IPV4));
	CHECK_INT(229, decode_link_type(PKT_LINK_IPV6));
	CHECK_INT(104, decode_link_type(PKT_LINK_CHDLC));
	CHECK_STR("C_HDLC", decode_link_name(PKT_LINK_CHDLC));
	CHECK_STR("EN10MB", decode_link_name(PKT_LINK_MAX));
}

/* ---- robustness ------------------------------------------------------------ */

static void (*const valid_builders[])(struct frame *) = {
	build_v4_tcp, build_v4_udp, build_v4_icmp, build_v6_tcp, build_v6_icmp, build_arp,
	build_qinq, build_v4_opts, build_v4_frag_first, build_v4_frag_later,
};
#define N_VALID (sizeof(valid_builders) / sizeof(valid_builders[0]))

static void build_v6_ext_first(struct frame *f)
{
	build_v6_exthdrs(f, 1);
}

static void build_v6_ext_later(struct frame *f)
{
	build_v6_exthdrs(f, 100 << 3);
}

static enum decode_err expected_cut_err(const struct frame *f, uint32_t cut)
{
	if (cut < 14)
		return DECODE_ETH_TRUNC;
	if (cut < f->eth_hlen)
		return DECODE_VLAN_TRUNC;
	if (f->ip_ver == 4)
		return cut < f->eth_hlen + 20 ? DECODE_IPV4_SMALL : DECODE_IPV4_TRUNC;
	if (f->ip_ver == 6)
		return cut < f->eth_hlen + 40 ? DECODE_IPV6_SMALL : DECODE_IPV6_TRUNC;
	return DECODE_OK;
}

/* Decode f cut at every length from a buffer of exactly that size. */
static void truncations(const struct frame *f)
{
	struct packet p = { 0 };
	uint32_t cut;
	bool all_ok = true;

	for (cut = 0; cut <= f->len; cut++) {
		uint8_t *b = malloc(cut ? cut : 1);
		enum decode_err want = cut == f->len ? DECODE_OK : expected_cut_err(f, cut);
		enum decode_err got;

		if (b == NULL)
			break;
		memcpy(b, f->d, cut);
		got = dec_buf(&p, b, cut, &OPTS_CSUM);
		if (got != want || !pkt_in_bounds(&p)) {
			fprintf(stderr, "cut %u of %u: expected %s, got %s\n", cut, f->len,
				decode_err_name(want), decode_err_name(got));
			all_ok = false;
		}
		free(b);
	}
	CHECK(all_ok);
}

static void test_truncations(void)
{
	void (*const extra[])(struct frame *) = { build_v6_ext_first, build_v6_ext_later };
	struct frame f;
	size_t i;

	for (i = 0; i < N_VALID; i++) {
		valid_builders[i](&f);
		truncations(&f);
	}
	for (i = 0; i < 2; i++) {
		extra[i](&f);
		truncations(&f);
	}
}

static uint32_t rng_state = 0x12345678;

static uint32_t rng(void)
{
	/* xorshift32: deterministic, so a failure reproduces */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void test_mutations(void)
{
	struct frame f;
	struct packet p = { 0 };
	unsigned int i, ok = 0, errs = 0, oob = 0;

	for (i = 0; i < 5000; i++) {
		uint32_t len, flips, k;
		uint8_t *b;

		valid_builders[rng() % N_VALID](&f);
		len = f.len;
		if (rng() % 4 == 0)
			len = rng() % (f.len + 1);
		b = malloc(len ? len : 1);
		if (b == NULL)
			break;
		memcpy(b, f.d, len);
		flips = 1 + rng() % 4;
		for (k = 0; k < flips && len > 0; k++) {
			/* aim at the headers more often than at the payload */
			uint32_t at = rng() % (len < 80 ? len : 80);

			b[at] = (uint8_t)rng();
		}
		if (dec_buf(&p, b, len, (i & 1) ? &OPTS_CSUM : &OPTS_NOCSUM) == DECODE_OK)
			ok++;
		else
			errs++;
		if (!pkt_in_bounds(&p) || (unsigned int)p.err >= DECODE_ERR_MAX)
			oob++;
		free(b);
	}
	CHECK_INT(0, oob);
	CHECK_INT(5000, ok + errs);
	CHECK(ok > 0 && errs > 0);
	printf("mutations: %u decoded, %u errors\n", ok, errs);
}

/* ---- tcpdump corpus ---------------------------------------------------------- */

static uint32_t get32(const uint8_t *b, bool swap)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return swap ? __builtin_bswap32(v) : v;
}

struct corpus_stats {
	unsigned int files, frames, errs, oob, other_links;
	unsigned int by_err[DECODE_ERR_MAX];
};

/* The decoder's link layer for a pcap file's LINKTYPE, -1 if unsupported. */
static int corpus_link(uint32_t linktype)
{
	switch (linktype) {
	case 1: return PKT_LINK_ETHERNET;
	case 113: return PKT_LINK_SLL;
	case 276: return PKT_LINK_SLL2;
	case 0: return PKT_LINK_NULL;
	case 108: return PKT_LINK_LOOP;
	case 9: return PKT_LINK_PPP;
	case 101: return PKT_LINK_RAW;
	case 228: return PKT_LINK_IPV4;
	case 229: return PKT_LINK_IPV6;
	case 104: return PKT_LINK_CHDLC;
	default: return -1;
	}
}

/* Classic pcap only (pcapng files are skipped); the link types the decoder
 * reads. */
static void corpus_file(const char *path, struct corpus_stats *st)
{
	FILE *fp = fopen(path, "rb");
	uint8_t gh[24], rh[16];
	struct packet p = { 0 };
	uint32_t magic;
	bool swap;
	int link;

	if (fp == NULL)
		return;
	if (fread(gh, 1, sizeof(gh), fp) != sizeof(gh))
		goto out;
	memcpy(&magic, gh, 4);
	if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
		swap = false;
	else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
		swap = true;
	else
		goto out;
	link = corpus_link(get32(gh + 20, swap) & 0x0fffffff);
	if (link < 0)
		goto out;
	st->files++;
	if (link != PKT_LINK_ETHERNET)
		st->other_links++;
	p.link = (uint8_t)link;
	while (fread(rh, 1, sizeof(rh), fp) == sizeof(rh)) {
		uint32_t caplen = get32(rh + 8, swap);
		uint8_t *b;

		if (caplen > 262144)
			break;
		b = malloc(caplen ? caplen : 1);
		if (b == NULL)
			break;
		if (fread(b, 1, caplen, fp) != caplen) {
			free(b);
			break;
		}
		p.data = b;
		p.len = caplen;
		p.wire_len = get32(rh + 12, swap);
		decode_packet(&p, &OPTS_CSUM);
		st->frames++;
		if (p.err != DECODE_OK)
			st->errs++;
		if ((unsigned int)p.err < DECODE_ERR_MAX)
			st->by_err[p.err]++;
		if (!pkt_in_bounds(&p) || (unsigned int)p.err >= DECODE_ERR_MAX)
			st->oob++;
		free(b);
	}
out:
	fclose(fp);
}

static void test_corpus(void)
{
	DIR *dir = opendir(CORPUS_DIR);
	struct corpus_stats st = { 0 };
	struct dirent *de;
	char path[4096];
	int i;

	if (dir == NULL) {
		printf("corpus: %s absent, skipped\n", CORPUS_DIR);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, de->d_name);
		corpus_file(path, &st);
	}
	closedir(dir);
	CHECK(st.files > 0);
	CHECK_INT(0, st.oob);
	printf("corpus: %u pcaps (%u not Ethernet), %u frames, %u decode errors\n",
	       st.files, st.other_links, st.frames, st.errs);
	for (i = 1; i < DECODE_ERR_MAX; i++)
		if (st.by_err[i])
			printf("  %-30s %u\n", decode_err_name(i), st.by_err[i]);
}

int main(void)
{
	test_pkt_build_pseudo();
	test_v4_tcp();
	test_link_sll();
	test_link_sll2();
	test_link_null();
	test_link_ppp();
	test_link_raw();
	test_link_chdlc();
	test_link_names();
	test_v4_padding();
	test_v4_tcp_errors();
	test_v4_header_errors();
	test_v4_udp();
	test_v4_icmp();
	test_v4_icmp_hlen();
	test_vlan();
	test_v4_options();
	test_v4_fragments();
	test_v6_tcp();
	test_v6_exthdrs();
	test_v6_bad_chain();
	test_v6_routing();
	test_v6_jumbo();
	test_v6_icmp();
	test_non_ip();
	test_reuse();
	test_checksums();
	test_err_names();
	test_truncations();
	test_mutations();
	test_corpus();
	return check_result("decode");
}
