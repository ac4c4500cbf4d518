/* SPDX-License-Identifier: MIT */
/* Both directions of a flow reach one worker: the RSS key the ports program
 * gives equal Toeplitz hashes for (a,b) and (b,a), and autofp's software
 * distribution (receiver_pick) puts both directions in one ring; which
 * ports runmode workers polls together (port_settings_paired). */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_thash.h>

#include "tests/unit/check.h"
#include "dataplane/port/port.h"
#include "dataplane/worker/receiver.h"

/* The key most NICs ship with (Microsoft's RSS verification key): not
 * symmetric, so the test below can tell the difference. */
static const uint8_t default_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
	0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
	0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* Toeplitz over the IPv4 4-tuple as a NIC hashes it (RSS_HASH_TCP_IPV4). */
static uint32_t hash4(const uint8_t *key, uint32_t sip, uint32_t dip, uint16_t sp, uint16_t dp)
{
	uint32_t t[3] = { sip, dip, (uint32_t)sp << 16 | dp };

	return rte_softrss(t, 3, key);
}

static void test_symmetric_key(void)
{
	static const struct { uint32_t a, b; uint16_t pa, pb; } flows[] = {
		{ 0x0a000001, 0x0a000002, 40000, 80 },
		{ 0xc0a80164, 0x08080808, 53124, 443 },
		{ 0xac100008, 0xc0a80101, 1060, 53 },
		{ 0x01020304, 0xfefdfcfb, 65535, 1 },
	};
	size_t len;
	const uint8_t *key = port_rss_key(&len);
	unsigned asym = 0;

	CHECK_INT(40, (int)len);
	for (unsigned i = 0; i < sizeof(flows) / sizeof(flows[0]); i++) {
		uint32_t fwd = hash4(key, flows[i].a, flows[i].b, flows[i].pa, flows[i].pb);
		uint32_t rev = hash4(key, flows[i].b, flows[i].a, flows[i].pb, flows[i].pa);

		CHECK_INT(fwd, rev);
		/* any queue count: the same queue */
		for (unsigned q = 1; q <= 16; q++)
			CHECK_INT(fwd % q, rev % q);
		asym += hash4(default_key, flows[i].a, flows[i].b, flows[i].pa, flows[i].pb) !=
			hash4(default_key, flows[i].b, flows[i].a, flows[i].pb, flows[i].pa);
	}
	/* the check above would fail with an ordinary key */
	CHECK_INT(4, (int)asym);
}

/* Ethernet + IPv4 + TCP header, no payload. */
static void frame(uint8_t *f, const uint8_t sip[4], const uint8_t dip[4], uint16_t sp,
		  uint16_t dp)
{
	memset(f, 0, 54);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 40;
	f[22] = 64;
	f[23] = 6;
	memcpy(f + 26, sip, 4);
	memcpy(f + 30, dip, 4);
	f[34] = (uint8_t)(sp >> 8);
	f[35] = (uint8_t)sp;
	f[36] = (uint8_t)(dp >> 8);
	f[37] = (uint8_t)dp;
	f[46] = 0x50;
	f[47] = TCP_ACK;
}

/* f (an Ethernet TCP frame of 54 bytes) inside VXLAN from outer source
 * port sport: 14 + 20 + 8 + 8 bytes in front of it. */
static void vxlan_wrap(uint8_t *out, const uint8_t *f, uint16_t sport, bool fwd)
{
	static const uint8_t a[4] = { 192, 0, 2, 1 }, b[4] = { 198, 51, 100, 1 };

	memset(out, 0, 50);
	out[12] = 0x08;
	out[14] = 0x45;
	out[17] = 20 + 8 + 8 + 54;
	out[22] = 64;
	out[23] = 17;
	memcpy(out + 26, fwd ? a : b, 4);
	memcpy(out + 30, fwd ? b : a, 4);
	out[34] = (uint8_t)(sport >> 8);
	out[35] = (uint8_t)sport;
	out[36] = 4789 >> 8;
	out[37] = 4789 & 0xff;
	out[39] = 8 + 8 + 54;
	out[42] = 0x08;
	memcpy(out + 50, f, 54);
}

/* The two directions of a VXLAN-carried flow come from different outer
 * source ports: the ring follows the inner flow, so they still meet. */
static void test_autofp_tunnel(void)
{
	struct decode_opts o = { .csum_check = false };
	uint8_t c[4] = { 10, 0, 0, 1 }, s[4] = { 10, 0, 0, 2 };
	uint8_t f1[54], f2[54], v1[104], v2[104];
	unsigned spread[4] = { 0 }, used = 0;

	for (uint16_t port = 40000; port < 40064; port++) {
		unsigned a, b;

		frame(f1, c, s, port, 80);
		frame(f2, s, c, 80, port);
		vxlan_wrap(v1, f1, 50000, true);
		vxlan_wrap(v2, f2, (uint16_t)(port ^ 0x5a5a), false);
		a = receiver_pick(&o, v1, sizeof(v1), 4);
		b = receiver_pick(&o, v2, sizeof(v2), 4);
		CHECK_INT(a, b);
		spread[a]++;
	}
	for (unsigned i = 0; i < 4; i++)
		used += spread[i] > 0;
	CHECK_INT(4, (int)used);
}

static void test_autofp_pick(void)
{
	struct decode_opts o = { .csum_check = false };
	uint8_t c[4] = { 10, 0, 0, 1 }, s[4] = { 10, 0, 0, 2 };
	uint8_t f1[54], f2[54];
	unsigned spread[4] = { 0 }, used = 0;

	for (uint16_t port = 40000; port < 40064; port++) {
		unsigned a, b;

		frame(f1, c, s, port, 80);
		frame(f2, s, c, 80, port);
		a = receiver_pick(&o, f1, sizeof(f1), 4);
		b = receiver_pick(&o, f2, sizeof(f2), 4);
		CHECK_INT(a, b);
		CHECK(a < 4);
		spread[a]++;
	}
	/* 64 flows over 4 rings: every ring gets some */
	for (unsigned i = 0; i < 4; i++)
		used += spread[i] > 0;
	CHECK_INT(4, (int)used);
	/* non-IP (ARP) goes to ring 0 */
	f1[12] = 0x08;
	f1[13] = 0x06;
	CHECK_INT(0, (int)receiver_pick(&o, f1, sizeof(f1), 4));
	CHECK_INT(0, (int)receiver_pick(&o, f2, sizeof(f2), 1));
}

/* An IPv4 UDP datagram from sp to 53 (id), as one frame (mf 0, off 0) or
 * as a fragment: off in bytes, the UDP header in the first only. 42 bytes. */
static void udp_frag(uint8_t *f, uint16_t sp, uint16_t id, uint16_t off, bool mf)
{
	static const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	uint16_t fo = (uint16_t)((mf ? 0x2000 : 0) | off / 8);

	memset(f, 0, 42);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 28;
	f[18] = (uint8_t)(id >> 8);
	f[19] = (uint8_t)id;
	f[20] = (uint8_t)(fo >> 8);
	f[21] = (uint8_t)fo;
	f[22] = 64;
	f[23] = 17;
	memcpy(f + 26, a, 4);
	memcpy(f + 30, b, 4);
	if (off == 0) {
		f[34] = (uint8_t)(sp >> 8);
		f[35] = (uint8_t)sp;
		f[37] = 53;
		/* a first fragment's datagram runs past it */
		f[38] = mf ? (8 + 1480) >> 8 : 0;
		f[39] = mf ? (8 + 1480) & 0xff : 8;
	}
}

/* autofp and IP fragments: every fragment of a datagram goes where its
 * first goes, which is where the datagram's flow goes; one whose later
 * fragment comes first stays together too; the table is per reader. */
static void test_autofp_frags(void)
{
	static struct receiver_frag frags[RECEIVER_FRAG_SLOTS];
	struct decode_opts o = { .csum_check = false };
	uint8_t whole[42], first[42], later[42];
	unsigned spread[4] = { 0 }, used = 0, apart = 0;

	for (uint16_t i = 0; i < 64; i++) {
		uint16_t sp = (uint16_t)(40000 + i), id = (uint16_t)(100 + i);
		unsigned flow, a, b;

		udp_frag(whole, sp, id, 0, false);
		udp_frag(first, sp, id, 0, true);
		udp_frag(later, sp, id, 1480, false);
		flow = receiver_pick(&o, whole, sizeof(whole), 4);
		a = receiver_pick_frags(frags, &o, PKT_LINK_ETHERNET, first, sizeof(first), 4);
		b = receiver_pick_frags(frags, &o, PKT_LINK_ETHERNET, later, sizeof(later), 4);
		CHECK_INT(flow, a);
		CHECK_INT(a, b);
		/* without the table, the later one goes by the address pair */
		apart += receiver_pick(&o, later, sizeof(later), 4) != a;
		spread[a]++;
		/* the next datagram of the flow: later fragment first */
		udp_frag(first, sp, (uint16_t)(id + 1000), 0, true);
		udp_frag(later, sp, (uint16_t)(id + 1000), 1480, false);
		b = receiver_pick_frags(frags, &o, PKT_LINK_ETHERNET, later, sizeof(later), 4);
		a = receiver_pick_frags(frags, &o, PKT_LINK_ETHERNET, first, sizeof(first), 4);
		CHECK_INT(b, a);
		/* unfragmented frames are not remembered */
		CHECK_INT(flow, receiver_pick_frags(frags, &o, PKT_LINK_ETHERNET, whole,
						    sizeof(whole), 4));
	}
	for (unsigned i = 0; i < 4; i++)
		used += spread[i] > 0;
	CHECK_INT(4, (int)used);
	/* the case the table is for */
	CHECK(apart > 0);
}

/* RSS hashes addresses only, as Suricata's DPDK default: a datagram's
 * fragments (which NICs hash on addresses, and some the first one on its
 * ports too) and its flow's whole packets reach one worker. */
static void test_rss_fields(void)
{
	const uint64_t l4 = RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_NONFRAG_IPV4_UDP |
			    RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP;
	/* what an Intel i40e offers */
	const uint64_t nic = RTE_ETH_RSS_FRAG_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_OTHER |
			     RTE_ETH_RSS_FRAG_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_OTHER |
			     RTE_ETH_RSS_NONFRAG_IPV4_SCTP | l4;
	uint64_t hf = port_rss_hf(nic);

	CHECK_INT(0, hf & l4);
	CHECK(hf & RTE_ETH_RSS_FRAG_IPV4);
	CHECK(hf & RTE_ETH_RSS_NONFRAG_IPV4_OTHER);
	CHECK(hf & RTE_ETH_RSS_FRAG_IPV6);
	CHECK_INT(0, hf & ~nic);
	/* a NIC with nothing but port hashing still spreads */
	CHECK_INT(l4, port_rss_hf(l4));
	CHECK_INT(0, port_rss_hf(0));
}

/* Which ports runmode workers polls as one pair: each forwarding into the
 * other, ips or tap, never a port with itself or a one-way chain. */
static void test_pairs(void)
{
	struct port_settings a = { .name = "p0", .copy_mode = COPY_IPS, .copy_iface = "p1" };
	struct port_settings b = { .name = "p1", .copy_mode = COPY_IPS, .copy_iface = "p0" };
	struct port_settings c = { .name = "p2", .copy_mode = COPY_IPS, .copy_iface = "p0" };
	struct port_settings self = { .name = "p3", .copy_mode = COPY_TAP, .copy_iface = "p3" };

	CHECK(port_settings_paired(&a, &b) && port_settings_paired(&b, &a));
	b.copy_mode = COPY_TAP;
	CHECK(port_settings_paired(&a, &b));
	b.copy_mode = COPY_NONE;
	CHECK(!port_settings_paired(&a, &b) && !port_settings_paired(&b, &a));
	/* c forwards into p0, p0 into p1: no pair */
	CHECK(!port_settings_paired(&a, &c) && !port_settings_paired(&c, &a));
	CHECK(!port_settings_paired(&self, &self));
}

int main(void)
{
	test_symmetric_key();
	test_pairs();
	test_rss_fields();
	test_autofp_pick();
	test_autofp_tunnel();
	test_autofp_frags();
	return check_result("rss");
}
