/* SPDX-License-Identifier: MIT */
/* Flow table: symmetric hash, direction, TCP state and p->flow_flags, timeouts,
 * expiry, eviction, flow ids. Packets are filled by hand, not decoded. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "dataplane/flow/flow-int.h"
#include "dataplane/flow/flow.h"

#define S 1000000ull   /* one second in microseconds */

static struct packet pkt(const char *src, const char *dst, uint16_t sp, uint16_t dp,
			 uint8_t proto)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	p.ip_ver = strchr(src, ':') ? 6 : 4;
	inet_pton(p.ip_ver == 4 ? AF_INET : AF_INET6, src, p.src.b);
	inet_pton(p.ip_ver == 4 ? AF_INET : AF_INET6, dst, p.dst.b);
	p.sp = sp;
	p.dp = dp;
	p.proto = proto;
	p.len = 60;
	return p;
}

static struct packet tcp(const char *src, const char *dst, uint16_t sp, uint16_t dp,
			 uint8_t flags, uint64_t ts_us)
{
	struct packet p = pkt(src, dst, sp, dp, 6);

	p.tcp.flags = flags;
	p.ts_us = ts_us;
	/* every side starts at sequence 0 and sends no data unless told: its
	 * SYN is at 0, the rest at 1, and every ack acks the other's SYN */
	p.tcp.seq = (flags & TCP_SYN) ? 0 : 1;
	if (flags & TCP_ACK)
		p.tcp.ack = 1;
	p.tcp.win = 65535;
	return p;
}

static struct packet udp(const char *src, const char *dst, uint16_t sp, uint16_t dp,
			 uint64_t ts_us)
{
	struct packet p = pkt(src, dst, sp, dp, 17);

	p.ts_us = ts_us;
	return p;
}

static struct packet reverse(const struct packet *p)
{
	struct packet r = *p;

	r.src = p->dst;
	r.dst = p->src;
	r.sp = p->dp;
	r.dp = p->sp;
	return r;
}

static struct flow_table *table(uint64_t memcap, bool midstream, uint16_t worker)
{
	struct flow_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.memcap = memcap;
	cfg.hash_size = 1024;
	cfg.midstream = midstream;
	cfg.worker_id = worker;
	return flow_table_create(&cfg, -1);
}

/* Release callback log: flow ids in release order. */
#define REL_MAX 64
struct rel_log {
	unsigned n;
	uint64_t ids[REL_MAX];
};

static void rel_cb(struct flow *f, void *arg)
{
	struct rel_log *l = arg;

	if (l->n < REL_MAX)
		l->ids[l->n] = f->flow_id;
	l->n++;
}

static unsigned rel_count(const struct rel_log *l, uint64_t id)
{
	unsigned i, c = 0;

	for (i = 0; i < l->n && i < REL_MAX; i++)
		c += l->ids[i] == id;
	return c;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void rand_addr(union ip_addr *a, int ver)
{
	unsigned i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < (ver == 4 ? 4u : 16u); i++)
		a->b[i] = (uint8_t)rand();
}

static void test_hash_symmetry(void)
{
	static uint32_t hashes[20000];
	unsigned i, asym = 0, dup = 0, buckets[1024] = { 0 }, maxb = 0;
	static const uint8_t protos[] = { 6, 17, 1, 58, 47 };

	srand(12345);
	for (i = 0; i < 20000; i++) {
		struct packet p, r;

		memset(&p, 0, sizeof(p));
		p.ip_ver = (i & 1) ? 6 : 4;
		rand_addr(&p.src, p.ip_ver);
		rand_addr(&p.dst, p.ip_ver);
		p.sp = (uint16_t)rand();
		p.dp = (uint16_t)rand();
		p.proto = protos[i % 5];
		r = reverse(&p);
		hashes[i] = flow_hash_packet(&p);
		asym += hashes[i] != flow_hash_packet(&r);
		buckets[hashes[i] & 1023]++;
	}
	CHECK_INT(0, asym);
	/* 20000 random 32-bit values: about 0.05 expected collisions */
	qsort(hashes, 20000, sizeof(hashes[0]), cmp_u32);
	for (i = 1; i < 20000; i++)
		dup += hashes[i] == hashes[i - 1];
	CHECK(dup <= 2);
	/* about 19.5 per bucket; a weak mix of the low bits would pile them up */
	for (i = 0; i < 1024; i++)
		if (buckets[i] > maxb)
			maxb = buckets[i];
	CHECK(maxb < 45);

	/* equal addresses: the ports decide the order, still symmetric */
	{
		struct packet p = pkt("10.0.0.1", "10.0.0.1", 5000, 80, 6), r = reverse(&p);
		struct flow_key k;

		CHECK_INT(flow_hash_packet(&p), flow_hash_packet(&r));
		CHECK_INT(1, flow_key_from_packet(&p, &k));
		CHECK_INT(80, k.port[0]);
		CHECK_INT(5000, k.port[1]);
	}
	/* one changed field changes the hash: port, vlan, proto, family */
	{
		struct packet a = pkt("10.0.0.1", "10.0.0.2", 1000, 80, 6), b = a;

		b.sp = 1001;
		CHECK(flow_hash_packet(&a) != flow_hash_packet(&b));
		b = a;
		b.vlan_cnt = 1;
		b.vlan_id[0] = 10;
		CHECK(flow_hash_packet(&a) != flow_hash_packet(&b));
		b = a;
		b.proto = 17;
		CHECK(flow_hash_packet(&a) != flow_hash_packet(&b));
		b = a;
		b.ip_ver = 6;
		CHECK(flow_hash_packet(&a) != flow_hash_packet(&b));
	}
	/* key order: smaller address first, ports follow their address */
	{
		struct packet p = pkt("10.0.0.9", "10.0.0.2", 1234, 53, 17);
		struct flow_key k;

		CHECK_INT(1, flow_key_from_packet(&p, &k));
		CHECK_INT(2, k.addr[0].b[3]);
		CHECK_INT(9, k.addr[1].b[3]);
		CHECK_INT(53, k.port[0]);
		CHECK_INT(1234, k.port[1]);
	}
}

static void test_both_directions(void)
{
	struct flow_table *ft = table(0, false, 1);
	struct packet a = udp("2001:db8::1", "2001:db8::2", 4000, 53, 1 * S);
	struct packet b = reverse(&a);
	struct flow *fa, *fb;

	CHECK(ft != NULL);
	fa = flow_handle_packet(ft, &a);
	fb = flow_handle_packet(ft, &b);
	CHECK(fa != NULL);
	CHECK(fa == fb);
	CHECK(a.flow == fa && b.flow == fa);
	CHECK(a.flags & PKT_F_HAS_FLOW);
	CHECK_INT(PKT_TO_SERVER, a.dir);
	CHECK_INT(PKT_TO_CLIENT, b.dir);
	CHECK_INT(1, flow_table_stats(ft)->created);
	CHECK_INT(1, flow_table_stats(ft)->udp);
	CHECK_INT(1, flow_table_stats(ft)->active);
	CHECK_INT(1, fa->pkts[PKT_TO_SERVER]);
	CHECK_INT(1, fa->pkts[PKT_TO_CLIENT]);
	CHECK_INT(60, fa->bytes[PKT_TO_SERVER]);
	flow_table_destroy(ft);
}

static void test_direction_client(void)
{
	struct flow_table *ft = table(0, false, 1);
	struct packet syn = tcp("10.0.0.9", "10.0.0.1", 40000, 80, TCP_SYN, S);
	struct packet sa = tcp("192.168.1.1", "192.168.1.200", 443, 50000,
			       TCP_SYN | TCP_ACK, S);
	struct packet ack;
	struct flow *f;

	/* client is the source of the first packet */
	f = flow_handle_packet(ft, &syn);
	CHECK_INT(PKT_TO_SERVER, syn.dir);
	CHECK_INT(9, f->key.addr[f->client].b[3]);

	/* a SYN/ACK first: the SYN was missed, its destination is the client */
	f = flow_handle_packet(ft, &sa);
	CHECK_INT(PKT_TO_CLIENT, sa.dir);
	CHECK_INT(PKT_FLOW_TOCLIENT | PKT_FLOW_FIRST, sa.flow_flags);
	CHECK_INT(200, f->key.addr[f->client].b[3]);
	CHECK_INT(1, f->pkts[PKT_TO_CLIENT]);
	CHECK_INT(0, f->pkts[PKT_TO_SERVER]);
	CHECK_INT(FLOW_F_TOCLIENT_SEEN, f->flags);
	ack = reverse(&sa);
	ack.tcp.flags = TCP_ACK;
	flow_handle_packet(ft, &ack);
	CHECK_INT(PKT_TO_SERVER, ack.dir);
	/* without midstream the missed SYN means no session */
	CHECK_INT(TCP_ST_NONE, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOSERVER, ack.flow_flags);
	flow_table_destroy(ft);
}

static void test_tcp_handshake(void)
{
	struct flow_table *ft = table(0, false, 3);
	const char *c = "10.1.1.1", *s = "10.1.1.2";
	struct packet p;
	struct flow *f;

	p = tcp(c, s, 33000, 80, TCP_SYN, 1 * S);
	f = flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_SYN_SENT, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_FIRST, p.flow_flags);

	/* a SYN/ACK that does not ack the SYN is refused (Suricata's event) */
	p = tcp(s, c, 80, 33000, TCP_SYN | TCP_ACK, 2 * S);
	p.tcp.ack = 7;
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_SYN_SENT, f->tcp_state);
	CHECK(pkt_event_isset(&p.events, PEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK));

	p = tcp(s, c, 80, 33000, TCP_SYN | TCP_ACK, 2 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_SYN_RECV, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOCLIENT, p.flow_flags);
	CHECK(!pkt_event_isset(&p.events, PEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK));

	/* only the client's ACK completes the handshake */
	p = tcp(s, c, 80, 33000, TCP_ACK, 2 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_SYN_RECV, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOCLIENT, p.flow_flags);

	/* the ACK completing the handshake is not yet established (Suricata) */
	p = tcp(c, s, 33000, 80, TCP_ACK, 3 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_ESTABLISHED, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOSERVER, p.flow_flags);

	p = tcp(s, c, 80, 33000, TCP_ACK | TCP_PSH, 4 * S);
	p.payload_len = 100;
	p.len = 154;
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_ESTABLISHED, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOCLIENT | PKT_FLOW_ESTABLISHED, p.flow_flags);
	CHECK_INT(60 + 60 + 60 + 154, f->bytes[PKT_TO_CLIENT]);

	p = tcp(c, s, 33000, 80, TCP_FIN | TCP_ACK, 5 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_CLOSING, f->tcp_state);
	/* the session was established when the FIN came: so is the FIN */
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_ESTABLISHED, p.flow_flags);

	/* a second FIN from the same side does not close */
	p = tcp(c, s, 33000, 80, TCP_FIN | TCP_ACK, 5 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_CLOSING, f->tcp_state);

	p = tcp(s, c, 80, 33000, TCP_FIN | TCP_ACK, 6 * S);
	p.tcp.seq = 101;	/* after its 100 bytes */
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_CLOSED, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOCLIENT | PKT_FLOW_ESTABLISHED, p.flow_flags);

	p = tcp(c, s, 33000, 80, TCP_ACK, 7 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_CLOSED, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_ESTABLISHED, p.flow_flags);
	CHECK_INT(1, flow_table_stats(ft)->created);
	CHECK_INT(1 * S, f->first_ts_us);
	CHECK_INT(7 * S, f->last_ts_us);
	CHECK_INT(5, f->pkts[PKT_TO_SERVER]);
	CHECK_INT(5, f->pkts[PKT_TO_CLIENT]);

	/* RST on an established session closes it; the RST itself still counts */
	p = tcp(c, s, 33001, 80, TCP_SYN, 10 * S);
	f = flow_handle_packet(ft, &p);
	p = tcp(s, c, 80, 33001, TCP_SYN | TCP_ACK, 10 * S);
	flow_handle_packet(ft, &p);
	p = tcp(c, s, 33001, 80, TCP_ACK, 10 * S);
	flow_handle_packet(ft, &p);
	p = tcp(s, c, 80, 33001, TCP_RST | TCP_ACK, 11 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_CLOSED, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOCLIENT | PKT_FLOW_ESTABLISHED, p.flow_flags);

	/* RST answering a SYN (sequence number 0, RFC 793 3.4, as the stream
	 * tracker takes only then): closed, never established */
	p = tcp(c, s, 33002, 81, TCP_SYN, 12 * S);
	f = flow_handle_packet(ft, &p);
	p = tcp(s, c, 81, 33002, TCP_RST | TCP_ACK, 12 * S);
	p.tcp.seq = 0;
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_CLOSED, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOCLIENT, p.flow_flags);

	/* a SYN/ACK from the client side does not advance the handshake */
	p = tcp(c, s, 33003, 82, TCP_SYN, 13 * S);
	f = flow_handle_packet(ft, &p);
	p = tcp(c, s, 33003, 82, TCP_SYN | TCP_ACK, 13 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_SYN_SENT, f->tcp_state);
	flow_table_destroy(ft);
}

static void test_midstream(void)
{
	struct flow_table *off = table(0, false, 1), *on = table(0, true, 1);
	struct packet p = tcp("10.0.0.1", "10.0.0.2", 1000, 22, TCP_ACK | TCP_PSH, S);
	struct packet r = reverse(&p);
	struct flow *f;

	/* off: no session, never established; each packet is one where
	 * stream.midstream-policy applies (PKT_F_MIDSTREAM) */
	f = flow_handle_packet(off, &p);
	CHECK_INT(TCP_ST_NONE, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_FIRST, p.flow_flags);
	CHECK(p.flags & PKT_F_MIDSTREAM);
	flow_handle_packet(off, &r);
	CHECK_INT(TCP_ST_NONE, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOCLIENT, r.flow_flags);
	CHECK(r.flags & PKT_F_MIDSTREAM);
	CHECK_INT(0, f->flags & FLOW_F_MIDSTREAM);
	/* a FIN without a session changes nothing either */
	r.tcp.flags = TCP_FIN | TCP_ACK;
	flow_handle_packet(off, &r);
	CHECK_INT(TCP_ST_NONE, f->tcp_state);

	/* on: established from the first packet, the pickup a midstream one;
	 * the session's next packets are not */
	p.flags &= ~PKT_F_MIDSTREAM;
	f = flow_handle_packet(on, &p);
	CHECK_INT(TCP_ST_ESTABLISHED, f->tcp_state);
	CHECK(f->flags & FLOW_F_MIDSTREAM);
	CHECK(p.flags & PKT_F_MIDSTREAM);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_FIRST | PKT_FLOW_ESTABLISHED, p.flow_flags);
	r.tcp.flags = TCP_ACK;
	r.flags &= ~PKT_F_MIDSTREAM;
	flow_handle_packet(on, &r);
	CHECK_INT(PKT_FLOW_TOCLIENT | PKT_FLOW_ESTABLISHED, r.flow_flags);
	CHECK_INT(0, r.flags & PKT_F_MIDSTREAM);

	/* on, SYN/ACK first: handshake picked up at SYN_RECV, the client's ACK
	 * establishes the session, after itself as for a handshake */
	p = tcp("10.0.0.2", "10.0.0.1", 22, 1001, TCP_SYN | TCP_ACK, S);
	f = flow_handle_packet(on, &p);
	CHECK_INT(TCP_ST_SYN_RECV, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOCLIENT | PKT_FLOW_FIRST, p.flow_flags);
	r = tcp("10.0.0.1", "10.0.0.2", 1001, 22, TCP_ACK, S);
	flow_handle_packet(on, &r);
	CHECK_INT(TCP_ST_ESTABLISHED, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOSERVER, r.flow_flags);

	/* off, data then a SYN from the other side: a flow without a session
	 * is done enough for a SYN (Suricata's TcpSessionReuseDoneEnoughSyn),
	 * which starts a new flow, its sender the client */
	p = tcp("10.0.0.5", "10.0.0.6", 80, 2000, TCP_ACK, S);
	f = flow_handle_packet(off, &p);
	CHECK_INT(PKT_TO_SERVER, p.dir);
	r = tcp("10.0.0.6", "10.0.0.5", 2000, 80, TCP_SYN, 2 * S);
	f = flow_handle_packet(off, &r);
	CHECK_INT(TCP_ST_SYN_SENT, f->tcp_state);
	CHECK_INT(PKT_TO_SERVER, r.dir);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_FIRST, r.flow_flags);
	CHECK_INT(6, f->key.addr[f->client].b[3]);
	CHECK_INT(1, f->pkts[PKT_TO_SERVER]);
	CHECK_INT(0, f->pkts[PKT_TO_CLIENT]);
	CHECK_INT(FLOW_F_TOSERVER_SEEN, f->flags);
	CHECK_INT(1, flow_table_stats(off)->tcp_reused);
	flow_table_destroy(off);
	flow_table_destroy(on);
}

static void test_udp_icmp_other(void)
{
	struct flow_table *ft = table(0, false, 1);
	struct packet q = udp("10.0.0.1", "8.8.8.8", 5353, 53, S), a = reverse(&q);
	struct packet e, er, e2, o, or_;
	struct flow *f;

	flow_handle_packet(ft, &q);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_FIRST, q.flow_flags);
	q.flow_flags = 0;
	flow_handle_packet(ft, &q);
	CHECK_INT(PKT_FLOW_TOSERVER, q.flow_flags);
	flow_handle_packet(ft, &a);
	CHECK_INT(PKT_FLOW_TOCLIENT | PKT_FLOW_ESTABLISHED, a.flow_flags);
	flow_handle_packet(ft, &q);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_ESTABLISHED, q.flow_flags);

	/* ICMP: one flow per address pair, whatever the type, id or ports */
	e = pkt("10.0.0.1", "10.0.0.2", 0, 0, 1);
	e.icmp.type = 8;
	e.icmp.id = 7;
	f = flow_handle_packet(ft, &e);
	e2 = e;
	e2.icmp.id = 8;
	e2.sp = 1234;       /* even if a decoder put something there */
	CHECK(flow_handle_packet(ft, &e2) == f);
	er = reverse(&e);
	er.icmp.type = 0;
	CHECK(flow_handle_packet(ft, &er) == f);
	CHECK_INT(PKT_FLOW_TOCLIENT | PKT_FLOW_ESTABLISHED, er.flow_flags);
	e = pkt("fe80::1", "fe80::2", 0, 0, 58);
	e.icmp.type = 128;
	f = flow_handle_packet(ft, &e);
	e2 = pkt("fe80::2", "fe80::1", 0, 0, 58);
	e2.icmp.type = 1;
	CHECK(flow_handle_packet(ft, &e2) == f);
	CHECK_INT(2, flow_table_stats(ft)->icmp);

	/* other protocols: addresses only */
	o = pkt("10.9.0.1", "10.9.0.2", 0, 0, 47);
	or_ = reverse(&o);
	f = flow_handle_packet(ft, &o);
	CHECK(flow_handle_packet(ft, &or_) == f);
	CHECK_INT(PKT_FLOW_TOCLIENT | PKT_FLOW_ESTABLISHED, or_.flow_flags);
	CHECK_INT(1, flow_table_stats(ft)->other);
	CHECK_INT(1, flow_table_stats(ft)->udp);
	CHECK_INT(4, flow_table_stats(ft)->created);
	flow_table_destroy(ft);
}

static void test_vlan_and_untracked(void)
{
	struct flow_table *ft = table(0, false, 1);
	struct packet a = udp("10.0.0.1", "10.0.0.2", 1, 2, S), b = a, c;
	struct flow *fa, *fb;

	a.vlan_cnt = 1;
	a.vlan_id[0] = 100;
	b.vlan_cnt = 1;
	b.vlan_id[0] = 200;
	fa = flow_handle_packet(ft, &a);
	fb = flow_handle_packet(ft, &b);
	CHECK(fa != fb);
	CHECK_INT(100, fa->key.vlan);
	c = reverse(&a);
	CHECK(flow_handle_packet(ft, &c) == fa);
	/* only the outer VLAN counts */
	c = a;
	c.vlan_cnt = 2;
	c.vlan_id[1] = 7;
	CHECK(flow_handle_packet(ft, &c) == fa);
	c = a;
	c.vlan_cnt = 0;
	CHECK(flow_handle_packet(ft, &c) != fa);
	CHECK_INT(3, flow_table_stats(ft)->created);

	/* non-IP, decode errors and raw fragments get no flow */
	c = a;
	c.ip_ver = 0;
	c.flow = fa;
	c.flags = PKT_F_HAS_FLOW;
	CHECK(flow_handle_packet(ft, &c) == NULL);
	CHECK(c.flow == NULL);
	CHECK_INT(0, c.flags & PKT_F_HAS_FLOW);
	c = a;
	c.err = DECODE_UDP_TRUNC;
	CHECK(flow_handle_packet(ft, &c) == NULL);
	c = a;
	c.flags = PKT_F_IPV4_FRAG;
	CHECK(flow_handle_packet(ft, &c) == NULL);
	c.flags = PKT_F_IPV4_FRAG | PKT_F_REASSEMBLED;
	CHECK(flow_handle_packet(ft, &c) == fa);
	CHECK_INT(3, flow_table_stats(ft)->no_flow);
	CHECK_INT(3, flow_table_stats(ft)->created);
	flow_table_destroy(ft);
}

/* One flow per protocol and state, all last seen at t0, expired step by step. */
/* A flow inside a tunnel is its own: same 5-tuple, another depth, another
 * flow (Suricata's recursion level in the key); the tunnel's endpoints are
 * not part of it, and both directions still meet. */
static void test_tunnel_depth(void)
{
	struct flow_table *ft = table(0, false, 1);
	struct packet a = udp("10.0.0.1", "10.0.0.2", 1, 2, S), b = a, c;
	struct flow *fa, *fb;

	b.origin.depth = 1;
	fa = flow_handle_packet(ft, &a);
	fb = flow_handle_packet(ft, &b);
	CHECK(fa != NULL && fb != NULL && fa != fb);
	CHECK_INT(1, fb->key.depth);
	CHECK_INT(0, fb->key.vlan);
	c = reverse(&b);
	CHECK(flow_handle_packet(ft, &c) == fb);
	CHECK(flow_hash_packet(&b) == flow_hash_packet(&c));
	/* beyond the deepest level kept, depths share it */
	b.origin.depth = 40;
	c = b;
	c.origin.depth = 41;
	CHECK(flow_handle_packet(ft, &b) == flow_handle_packet(ft, &c));
	flow_table_destroy(ft);
}

static void test_timeouts(void)
{
	struct flow_table *ft = table(0, false, 1);
	struct rel_log log = { 0 };
	const uint64_t t0 = 1000 * S;
	struct packet p;
	struct flow *tcp_new, *tcp_est, *tcp_closed, *udp_new, *udp_est, *icmp_new, *other_est;
	uint64_t id_tcp_new, id_tcp_est, id_tcp_closed, id_udp_new, id_udp_est, id_icmp, id_other;

	flow_table_set_release_cb(ft, rel_cb, &log);
	p = tcp("1.0.0.1", "1.0.0.2", 1, 80, TCP_SYN, t0);
	tcp_new = flow_handle_packet(ft, &p);
	p = tcp("1.0.0.1", "1.0.0.2", 2, 80, TCP_SYN, t0);
	tcp_est = flow_handle_packet(ft, &p);
	p = tcp("1.0.0.2", "1.0.0.1", 80, 2, TCP_SYN | TCP_ACK, t0);
	flow_handle_packet(ft, &p);
	p = tcp("1.0.0.1", "1.0.0.2", 2, 80, TCP_ACK, t0);
	flow_handle_packet(ft, &p);
	p = tcp("1.0.0.1", "1.0.0.2", 3, 80, TCP_SYN, t0);
	tcp_closed = flow_handle_packet(ft, &p);
	p = tcp("1.0.0.2", "1.0.0.1", 80, 3, TCP_RST | TCP_ACK, t0);
	p.tcp.seq = 0;          /* an RST answering a SYN (RFC 793 3.4) */
	flow_handle_packet(ft, &p);
	p = udp("1.0.0.1", "1.0.0.2", 4, 53, t0);
	udp_new = flow_handle_packet(ft, &p);
	p = udp("1.0.0.1", "1.0.0.2", 5, 53, t0);
	udp_est = flow_handle_packet(ft, &p);
	p = udp("1.0.0.2", "1.0.0.1", 53, 5, t0);
	flow_handle_packet(ft, &p);
	p = pkt("1.0.0.1", "1.0.0.3", 0, 0, 1);
	p.ts_us = t0;
	icmp_new = flow_handle_packet(ft, &p);
	p = pkt("1.0.0.1", "1.0.0.4", 0, 0, 132);
	p.ts_us = t0;
	other_est = flow_handle_packet(ft, &p);
	p = pkt("1.0.0.4", "1.0.0.1", 0, 0, 132);
	p.ts_us = t0;
	flow_handle_packet(ft, &p);
	CHECK_INT(7, flow_table_stats(ft)->active);

	CHECK_INT(TCP_ST_SYN_SENT, tcp_new->tcp_state);
	CHECK_INT(TCP_ST_ESTABLISHED, tcp_est->tcp_state);
	CHECK_INT(TCP_ST_CLOSED, tcp_closed->tcp_state);
	id_tcp_new = tcp_new->flow_id;
	id_tcp_est = tcp_est->flow_id;
	id_tcp_closed = tcp_closed->flow_id;
	id_udp_new = udp_new->flow_id;
	id_udp_est = udp_est->flow_id;
	id_icmp = icmp_new->flow_id;
	id_other = other_est->flow_id;

	/* exactly at the timeout nothing goes: idle must exceed it */
	CHECK_INT(0, flow_table_expire(ft, t0 + 30 * S, 100));
	/* 30 s: udp new, icmp new */
	CHECK_INT(2, flow_table_expire(ft, t0 + 30 * S + 1, 100));
	CHECK_INT(1, rel_count(&log, id_udp_new));
	CHECK_INT(1, rel_count(&log, id_icmp));
	/* 60 s: tcp new (SYN only), tcp closed */
	CHECK_INT(0, flow_table_expire(ft, t0 + 60 * S, 100));
	CHECK_INT(2, flow_table_expire(ft, t0 + 61 * S, 100));
	CHECK_INT(1, rel_count(&log, id_tcp_new));
	CHECK_INT(1, rel_count(&log, id_tcp_closed));
	/* 300 s: udp and other established */
	CHECK_INT(0, flow_table_expire(ft, t0 + 300 * S, 100));
	CHECK_INT(2, flow_table_expire(ft, t0 + 301 * S, 100));
	CHECK_INT(1, rel_count(&log, id_udp_est));
	CHECK_INT(1, rel_count(&log, id_other));
	/* 600 s: tcp established */
	CHECK_INT(0, flow_table_expire(ft, t0 + 600 * S, 100));
	CHECK_INT(1, flow_table_expire(ft, t0 + 601 * S, 100));
	CHECK_INT(1, rel_count(&log, id_tcp_est));
	CHECK_INT(7, log.n);
	CHECK_INT(7, flow_table_stats(ft)->timed_out);
	CHECK_INT(0, flow_table_stats(ft)->active);
	CHECK_INT(0, flow_table_stats(ft)->emerg_entered);
	flow_table_destroy(ft);

	/* configured values replace the defaults; zero keeps a default */
	{
		struct flow_config cfg;
		struct packet u = udp("1.0.0.1", "1.0.0.2", 4, 53, t0);

		memset(&cfg, 0, sizeof(cfg));
		cfg.to[FLOW_PC_UDP].new_s = 5;
		cfg.to[FLOW_PC_TCP].established_s = 0;
		ft = flow_table_create(&cfg, -1);
		flow_handle_packet(ft, &u);
		CHECK_INT(0, flow_table_expire(ft, t0 + 5 * S, 10));
		CHECK_INT(1, flow_table_expire(ft, t0 + 5 * S + 1, 10));
		CHECK_INT(600 * S, ft->to_us[FLOW_PC_TCP][FLOW_TO_EST]);
		CHECK_INT(5 * S, ft->to_us[FLOW_PC_UDP][FLOW_TO_NEW]);
		flow_table_destroy(ft);
	}
}

/* Release callback: the reason of each flow released, by flow id order. */
struct reason_log {
	unsigned n;
	uint64_t ids[8];
	uint8_t reasons[8];
};

static void reason_cb(struct flow *f, void *arg)
{
	struct reason_log *l = arg;

	if (l->n < 8) {
		l->ids[l->n] = f->flow_id;
		l->reasons[l->n] = f->end_reason;
	}
	l->n++;
}

/* Whether a flow timed out depends on packet time only, not on how far the
 * budgeted expiry walk got: a packet of a flow idle past its timeout ends
 * it (a new flow starts), and the end of input releases those idle past
 * their timeout at its time as timed out, the rest as shut down. */
static void test_timeout_without_walk(void)
{
	struct flow_table *ft = table(0, false, 1);
	struct reason_log log = { 0 };
	const uint64_t t0 = 1000 * S;
	struct packet p;
	uint64_t old_id, idle_id, live_id;
	struct flow *f;

	flow_table_set_release_cb(ft, reason_cb, &log);
	p = udp("1.0.0.1", "1.0.0.2", 4, 53, t0);
	old_id = flow_handle_packet(ft, &p)->flow_id;
	p = udp("1.0.0.1", "1.0.0.2", 5, 53, t0);
	idle_id = flow_handle_packet(ft, &p)->flow_id;
	/* 30 s idle (UDP new) is not past the timeout: the same flow */
	p = udp("1.0.0.2", "1.0.0.1", 53, 4, t0 + 30 * S);
	CHECK_INT(old_id, flow_handle_packet(ft, &p)->flow_id);
	CHECK_INT(0, log.n);
	/* 301 s on (established UDP: 300 s), no walk ran: a new flow */
	p = udp("1.0.0.1", "1.0.0.2", 4, 53, t0 + 331 * S);
	f = flow_handle_packet(ft, &p);
	live_id = f->flow_id;
	CHECK(live_id != old_id);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_FIRST, p.flow_flags);
	CHECK_INT(1, log.n);
	CHECK_INT(old_id, log.ids[0]);
	CHECK_INT(FLOW_END_TIMEOUT, log.reasons[0]);
	CHECK_INT(1, flow_table_stats(ft)->timed_out);
	/* the end of input at t0 + 340 s: the idle one timed out (no walk
	 * released it), the live one shuts down */
	flow_table_flush(ft, t0 + 340 * S);
	CHECK_INT(3, log.n);
	CHECK_INT(idle_id, log.ids[1]);
	CHECK_INT(FLOW_END_TIMEOUT, log.reasons[1]);
	CHECK_INT(live_id, log.ids[2]);
	CHECK_INT(FLOW_END_SHUTDOWN, log.reasons[2]);
	CHECK_INT(2, flow_table_stats(ft)->timed_out);
	flow_table_destroy(ft);
}

/* The budget bounds the flows one call releases. Each timeout class has
 * its own list, so flows of a shorter timeout expire on time behind flows
 * of a longer one: the first call already releases its whole budget. (The
 * single list this replaced was walked from its head: the calls stepped
 * over the long-lived TCP flows first, releasing 0, 0, 2, 4, 4, and kept a
 * cursor; no flow is stepped over now, so there is none.) */
static void test_budget_and_lists(void)
{
	struct flow_table *ft = table(0, true, 1);
	struct rel_log log = { 0 };
	const uint64_t t0 = 50 * S;
	struct packet p;
	struct flow *a, *b;
	unsigned i;

	flow_table_set_release_cb(ft, rel_cb, &log);
	/* 10 established (midstream) TCP flows (600 s) ahead of 10 UDP flows (30 s) in LRU order */
	for (i = 0; i < 10; i++) {
		p = tcp("2.0.0.1", "2.0.0.2", (uint16_t)(100 + i), 80, TCP_ACK, t0);
		flow_handle_packet(ft, &p);
	}
	for (i = 0; i < 10; i++) {
		p = udp("2.0.0.1", "2.0.0.2", (uint16_t)(100 + i), 53, t0);
		flow_handle_packet(ft, &p);
	}
	/* a flow seen just now is not due */
	p = udp("2.0.0.9", "2.0.0.2", 1, 53, t0 + 100 * S);
	flow_handle_packet(ft, &p);

	CHECK_INT(4, flow_table_expire(ft, t0 + 100 * S, 4));
	CHECK_INT(4, log.n);
	CHECK_INT(4, flow_table_expire(ft, t0 + 100 * S, 4));
	CHECK_INT(2, flow_table_expire(ft, t0 + 100 * S, 4));
	CHECK_INT(0, flow_table_expire(ft, t0 + 100 * S, 4));
	CHECK_INT(10, flow_table_stats(ft)->timed_out);
	CHECK_INT(11, flow_table_stats(ft)->active);
	CHECK_INT(10, log.n);
	CHECK_INT(0, flow_table_expire(ft, t0 + 200 * S, 0));
	/* the young flow, 100 s later */
	CHECK_INT(1, flow_table_expire(ft, t0 + 200 * S, 100));
	CHECK_INT(10, flow_table_stats(ft)->active);

	/* a packet moves its flow to the tail of its list: of two UDP flows
	 * (new, 30 s) the one touched later goes later */
	p = udp("2.0.0.1", "2.0.0.2", 200, 53, t0 + 200 * S);
	a = flow_handle_packet(ft, &p);
	p = udp("2.0.0.1", "2.0.0.2", 201, 53, t0 + 200 * S);
	b = flow_handle_packet(ft, &p);
	p = udp("2.0.0.1", "2.0.0.2", 200, 53, t0 + 210 * S);
	CHECK(flow_handle_packet(ft, &p) == a);
	log.n = 0;
	CHECK_INT(1, flow_table_expire(ft, t0 + 235 * S, 100));
	CHECK_INT(1, log.n);
	CHECK_INT(b->flow_id, log.ids[0]);
	/* and to another list when the packet changes its state: answered,
	 * the UDP flow is established (300 s), no longer due at 30 s */
	p = udp("2.0.0.2", "2.0.0.1", 53, 200, t0 + 236 * S);
	CHECK(flow_handle_packet(ft, &p) == a);
	CHECK_INT(FLOW_PC_UDP * FLOW_TO_MAX + FLOW_TO_EST, a->lru_list);
	CHECK_INT(0, flow_table_expire(ft, t0 + 300 * S, 100));
	/* a TCP session: new (60 s), established by the handshake (600 s),
	 * closed by a reset (60 s) */
	p = tcp("2.0.0.3", "2.0.0.2", 7, 80, TCP_SYN, t0 + 300 * S);
	b = flow_handle_packet(ft, &p);
	CHECK_INT(FLOW_PC_TCP * FLOW_TO_MAX + FLOW_TO_NEW, b->lru_list);
	p = tcp("2.0.0.2", "2.0.0.3", 80, 7, TCP_SYN | TCP_ACK, t0 + 300 * S);
	flow_handle_packet(ft, &p);
	p = tcp("2.0.0.3", "2.0.0.2", 7, 80, TCP_ACK, t0 + 300 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(FLOW_PC_TCP * FLOW_TO_MAX + FLOW_TO_EST, b->lru_list);
	p = tcp("2.0.0.3", "2.0.0.2", 7, 80, TCP_RST, t0 + 300 * S);
	CHECK(flow_handle_packet(ft, &p) == b);
	CHECK_INT(TCP_ST_CLOSED, b->tcp_state);
	CHECK_INT(FLOW_PC_TCP * FLOW_TO_MAX + FLOW_TO_CLOSED, b->lru_list);
	log.n = 0;
	CHECK_INT(0, flow_table_expire(ft, t0 + 360 * S, 100));
	CHECK_INT(1, flow_table_expire(ft, t0 + 360 * S + 1, 100));
	CHECK_INT(b->flow_id, log.ids[0]);
	/* the TCP flows of t0 are past 600 s, the answered UDP one past 300 s */
	CHECK_INT(11, flow_table_expire(ft, t0 + 700 * S, 100));
	CHECK_INT(0, flow_table_stats(ft)->active);
	flow_table_destroy(ft);
}

/* Expiry driven as the pipeline drives it (dataplane/pipeline/pipeline.c):
 * a look every millisecond of packet time, releasing 8 flows at most, and
 * another at the next packet when a look used its whole budget. */
#define LOOK_US 1000u
#define LOOK_BUDGET 8u

struct keep_up {
	struct flow_table *ft;
	uint64_t now_us, next_look_us;
	uint64_t released, late_max_us, not_timeout;
	unsigned looks_over_budget;   /* calls that released more than the budget */
};

static void keep_up_cb(struct flow *f, void *arg)
{
	struct keep_up *k = arg;
	uint64_t end = f->last_ts_us + flow_timeout_us(k->ft, f);

	k->released++;
	if (f->end_reason != FLOW_END_TIMEOUT)
		k->not_timeout++;
	else if (k->now_us > end && k->now_us - end > k->late_max_us)
		k->late_max_us = k->now_us - end;
}

/* One packet time: the look when one is due. */
static void keep_up_tick(struct keep_up *k, uint64_t now_us)
{
	uint64_t before = k->released;
	unsigned n;

	k->now_us = now_us;
	if (now_us < k->next_look_us)
		return;
	n = flow_table_expire(k->ft, now_us, LOOK_BUDGET);
	k->looks_over_budget += n > LOOK_BUDGET || k->released - before != n;
	k->next_look_us = n == LOOK_BUDGET ? now_us : now_us + LOOK_US;
}

/* 20 new flows every millisecond of packet time for 5 s (half UDP, new,
 * 1 s; half TCP picked up midstream, established, 2 s), one packet each:
 * every flow times out (reason timeout) within its timeout and one look,
 * none is forced out, and the table holds no more than the flows of the
 * last timeout's worth of time. The walk this replaced released 64 flows a
 * second: the table filled up to its memcap and evicted. */
static void test_expiry_keeps_up(void)
{
	const unsigned per_ms = 20, ms = 5000;
	const uint64_t t0 = 1000 * S, gap = 1000 / per_ms;
	struct flow_config cfg;
	struct keep_up k = { 0 };
	uint64_t peak = 0, bound;
	unsigned i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.memcap = 40000 * FLOW_SLOT_SIZE;
	cfg.hash_size = 1u << 16;
	cfg.midstream = true;
	cfg.to[FLOW_PC_UDP].new_s = 1;
	cfg.to[FLOW_PC_TCP].established_s = 2;
	k.ft = flow_table_create(&cfg, -1);
	CHECK(k.ft != NULL);
	if (k.ft == NULL)
		return;
	flow_table_set_release_cb(k.ft, keep_up_cb, &k);
	for (i = 0; i < per_ms * ms; i++) {
		uint64_t ts = t0 + i * gap;
		/* addresses and ports from i: every packet a flow of its own */
		char src[16];
		struct packet p;

		snprintf(src, sizeof(src), "10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);
		if (i & 1)
			p = tcp(src, "192.0.2.1", 40000, 80, TCP_ACK, ts);
		else
			p = udp(src, "192.0.2.1", 40000, 53, ts);
		CHECK(flow_handle_packet(k.ft, &p) != NULL);
		keep_up_tick(&k, ts);
		if (flow_table_stats(k.ft)->active > peak)
			peak = flow_table_stats(k.ft)->active;
	}
	/* then packets of no new flow, until all are due and gone */
	for (uint64_t ts = t0 + (uint64_t)ms * 1000; ts <= t0 + (uint64_t)(ms + 2100) * 1000;
	     ts += gap)
		keep_up_tick(&k, ts);

	CHECK_INT(per_ms * ms, flow_table_stats(k.ft)->created);
	CHECK_INT(per_ms * ms, flow_table_stats(k.ft)->timed_out);
	CHECK_INT(0, flow_table_stats(k.ft)->emerg_entered);
	CHECK_INT(0, flow_table_stats(k.ft)->active);
	CHECK_INT(per_ms * ms, k.released);
	CHECK_INT(0, k.not_timeout);
	CHECK_INT(0, k.looks_over_budget);
	/* late by one look at most, and the packets after it that the looks
	 * which ran out of budget waited for */
	CHECK(k.late_max_us <= LOOK_US + gap * (per_ms / LOOK_BUDGET + 1));
	/* alive at once: the UDP flows of the last 1 s and the TCP flows of
	 * the last 2 s, and what one look may leave */
	bound = (per_ms / 2) * (1000 + 2000) + 2 * per_ms;
	CHECK(peak <= bound);
	CHECK(peak >= bound - 4 * per_ms);
	flow_table_destroy(k.ft);
}

/* Closed (60 s) and new (30 s) flows behind a crowd of idle established
 * ones (600 s) expire on time, the budget's worth per call from the first
 * call on: no call steps over the crowd. */
static void test_expiry_behind_crowd(void)
{
	const unsigned crowd = 5000, few = 50;
	const uint64_t t0 = 1000 * S;
	struct flow_config cfg;
	struct flow_table *ft;
	struct reason_log log = { 0 };
	unsigned i, calls;

	memset(&cfg, 0, sizeof(cfg));
	cfg.hash_size = 1u << 14;
	cfg.midstream = true;
	ft = flow_table_create(&cfg, -1);
	CHECK(ft != NULL);
	if (ft == NULL)
		return;
	flow_table_set_release_cb(ft, reason_cb, &log);
	for (i = 0; i < crowd; i++) {
		struct packet p = tcp("10.1.0.1", "10.2.0.1", (uint16_t)(1024 + i), 443, TCP_ACK, t0);

		flow_handle_packet(ft, &p);
	}
	for (i = 0; i < few; i++) {
		/* a session reset by the server: closed */
		struct packet p = tcp("10.1.0.2", "10.2.0.1", (uint16_t)(1024 + i), 443, TCP_SYN,
				      t0 + S);

		flow_handle_packet(ft, &p);
		p = tcp("10.2.0.1", "10.1.0.2", 443, (uint16_t)(1024 + i), TCP_RST | TCP_ACK, t0 + S);
		p.tcp.seq = 0;
		CHECK_INT(TCP_ST_CLOSED, flow_handle_packet(ft, &p)->tcp_state);
		p = udp("10.1.0.3", "10.2.0.1", (uint16_t)(1024 + i), 53, t0 + S);
		flow_handle_packet(ft, &p);
	}
	CHECK_INT(crowd + 2 * few, flow_table_stats(ft)->active);

	/* 30 s on: the UDP flows, LOOK_BUDGET per call */
	CHECK_INT(0, flow_table_expire(ft, t0 + 31 * S, LOOK_BUDGET));
	for (calls = 0; flow_table_expire(ft, t0 + 31 * S + 1, LOOK_BUDGET) > 0; calls++)
		CHECK(log.n <= (calls + 1) * LOOK_BUDGET);
	CHECK_INT((few + LOOK_BUDGET - 1) / LOOK_BUDGET, calls);
	CHECK_INT(few, flow_table_stats(ft)->timed_out);
	/* 60 s on: the closed ones; the first call already releases its budget */
	CHECK_INT(0, flow_table_expire(ft, t0 + 61 * S, LOOK_BUDGET));
	CHECK_INT(LOOK_BUDGET, flow_table_expire(ft, t0 + 61 * S + 1, LOOK_BUDGET));
	while (flow_table_expire(ft, t0 + 61 * S + 1, LOOK_BUDGET) > 0)
		;
	CHECK_INT(2 * few, flow_table_stats(ft)->timed_out);
	CHECK_INT(crowd, flow_table_stats(ft)->active);
	CHECK_INT(2 * few, log.n);
	/* the crowd at 600 s, the budget's worth per call */
	CHECK_INT(0, flow_table_expire(ft, t0 + 600 * S, LOOK_BUDGET));
	CHECK_INT(LOOK_BUDGET, flow_table_expire(ft, t0 + 600 * S + 1, LOOK_BUDGET));
	CHECK_INT(crowd - LOOK_BUDGET, flow_table_expire(ft, t0 + 600 * S + 1, crowd));
	CHECK_INT(0, flow_table_stats(ft)->active);
	CHECK_INT(0, flow_table_stats(ft)->emerg_entered);
	flow_table_destroy(ft);
}

/* At flow.memcap the least recently used flow that is not still alive
 * (Suricata 7's StillAlive: a packet within 1 s new, 5 s established, in
 * whole seconds) is forced out for a new one; none such: the packet gets
 * no flow. */
static void test_eviction(void)
{
	struct flow_table *ft = table(4 * FLOW_SLOT_SIZE, false, 1);
	struct rel_log log = { 0 };
	uint64_t ids[8], id2000;
	struct packet p;
	struct flow *f;
	unsigned i;

	CHECK(ft != NULL);
	CHECK_INT(4, ft->pool_n);
	flow_table_set_release_cb(ft, rel_cb, &log);
	for (i = 0; i < 4; i++) {
		p = udp("3.0.0.1", "3.0.0.2", (uint16_t)(1000 + i), 53, (i + 1) * S);
		ids[i] = flow_handle_packet(ft, &p)->flow_id;
	}
	CHECK_INT(0, log.n);
	/* touch flow 0: flow 1 becomes the least recently used */
	p = udp("3.0.0.2", "3.0.0.1", 53, 1000, 5 * S);
	flow_handle_packet(ft, &p);

	p = udp("3.0.0.1", "3.0.0.2", 2000, 53, 6 * S);
	f = flow_handle_packet(ft, &p);
	CHECK(f != NULL);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_FIRST, p.flow_flags);
	CHECK_INT(1, log.n);
	CHECK_INT(ids[1], log.ids[0]);
	CHECK_INT(1, flow_table_stats(ft)->get_used);
	CHECK_INT(4, flow_table_stats(ft)->active);
	id2000 = f->flow_id;

	p = udp("3.0.0.1", "3.0.0.2", 2001, 53, 7 * S);
	flow_handle_packet(ft, &p);
	p = udp("3.0.0.1", "3.0.0.2", 2002, 53, 8 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(3, log.n);
	CHECK_INT(ids[2], log.ids[1]);
	CHECK_INT(ids[3], log.ids[2]);
	CHECK_INT(3, flow_table_stats(ft)->get_used);

	/* the evicted flow is gone: its next packet starts a new flow, for
	 * which the answered flow (established, 4 s idle) is still alive,
	 * the least recently used one, and the flow of port 2000 (new, 3 s
	 * idle) is not: it goes */
	p = udp("3.0.0.1", "3.0.0.2", 1001, 53, 9 * S);
	f = flow_handle_packet(ft, &p);
	CHECK(f != NULL && f->flow_id != ids[1]);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_FIRST, p.flow_flags);
	CHECK_INT(id2000, log.ids[3]);
	CHECK_INT(8, flow_table_stats(ft)->created);
	CHECK_INT(4, flow_table_stats(ft)->get_used);
	CHECK_INT(0, flow_table_stats(ft)->get_used_failed);

	/* flush releases the rest, each once */
	flow_table_flush(ft, 9 * S);
	CHECK_INT(8, log.n);
	for (i = 0; i < 4; i++)
		CHECK_INT(1, rel_count(&log, ids[i]));
	CHECK_INT(1, rel_count(&log, id2000));
	CHECK_INT(0, flow_table_stats(ft)->active);
	CHECK_INT(0, flow_table_expire(ft, 100 * S, 10));
	/* the table works after a flush */
	p = udp("3.0.0.1", "3.0.0.2", 3000, 53, 10 * S);
	CHECK(flow_handle_packet(ft, &p) != NULL);
	CHECK_INT(1, flow_table_stats(ft)->active);
	flow_table_destroy(ft);

	/* a NUMA node (libnuma, or the heap where the node or libnuma is missing) */
	{
		struct flow_config cfg;

		memset(&cfg, 0, sizeof(cfg));
		cfg.memcap = 64 * FLOW_SLOT_SIZE;
		cfg.hash_size = 100;
		ft = flow_table_create(&cfg, 0);
		CHECK(ft != NULL);
		CHECK_INT(127, ft->mask);
		CHECK_INT(64, ft->pool_n);
		CHECK_INT(0, (uintptr_t)ft->pool % FLOW_CACHE_LINE);
		p = udp("3.0.0.1", "3.0.0.2", 1, 53, S);
		CHECK(flow_handle_packet(ft, &p) != NULL);
		flow_table_destroy(ft);
	}

	/* a memcap below one flow still yields a usable table */
	ft = table(1, false, 1);
	CHECK(ft != NULL);
	p = udp("3.0.0.1", "3.0.0.2", 1, 53, S);
	CHECK(flow_handle_packet(ft, &p) != NULL);
	p = udp("3.0.0.1", "3.0.0.2", 2, 53, S);
	CHECK(flow_handle_packet(ft, &p) == NULL);	/* the first is still alive */
	p = udp("3.0.0.1", "3.0.0.2", 2, 53, 3 * S);
	CHECK(flow_handle_packet(ft, &p) != NULL);
	CHECK_INT(1, flow_table_stats(ft)->get_used_failed);
	CHECK_INT(1, flow_table_stats(ft)->get_used);
	flow_table_destroy(ft);
}

/* At flow.memcap, with flows in several timeout classes: the table enters
 * emergency mode, and a flow idle past its (emergency) timeout makes room
 * first (it timed out: expiry had not got to it yet), the one whose
 * timeout ran out first, else the least recently used flow of the whole
 * table that is not still alive, whatever its class (forced). The end of input releases them in
 * the order of their last packets, across classes. */
static void test_eviction_lists(void)
{
	struct flow_table *ft = table(4 * FLOW_SLOT_SIZE, true, 1);
	struct reason_log log = { 0 };
	uint64_t est, udp1, syn, udp2, id;
	struct packet p;

	flow_table_set_release_cb(ft, reason_cb, &log);
	p = tcp("6.0.0.1", "6.0.0.2", 1, 80, TCP_ACK, 1 * S);     /* established */
	est = flow_handle_packet(ft, &p)->flow_id;
	p = udp("6.0.0.1", "6.0.0.2", 2, 53, 2 * S);               /* new */
	udp1 = flow_handle_packet(ft, &p)->flow_id;
	p = tcp("6.0.0.1", "6.0.0.2", 3, 80, TCP_SYN, 3 * S);     /* new */
	syn = flow_handle_packet(ft, &p)->flow_id;
	p = udp("6.0.0.1", "6.0.0.2", 4, 53, 4 * S);
	udp2 = flow_handle_packet(ft, &p)->flow_id;
	/* the second UDP flow answered: established */
	p = udp("6.0.0.2", "6.0.0.1", 53, 4, 30 * S);
	CHECK_INT(udp2, flow_handle_packet(ft, &p)->flow_id);

	/* 40 s, in emergency mode from here: the SYN (5 s: due since 8 s)
	 * and the first UDP flow (10 s: since 12 s) are due, the established
	 * TCP one (least recently used, 100 s) is not: the SYN goes, as timed
	 * out (the normal timeouts, 60 and 30 s, had none due) */
	p = udp("6.0.0.1", "6.0.0.2", 5, 53, 40 * S);
	id = flow_handle_packet(ft, &p)->flow_id;
	CHECK_INT(1, flow_table_stats(ft)->emerg_entered);
	CHECK_INT(1, log.n);
	CHECK_INT(syn, log.ids[0]);
	CHECK_INT(FLOW_END_TIMEOUT, log.reasons[0]);
	CHECK_INT(1, flow_table_stats(ft)->timed_out);
	CHECK_INT(0, flow_table_stats(ft)->get_used);
	/* 41 s: the first UDP flow; 42 s: nothing due, the least recently
	 * used of all (the established TCP flow, 41 s idle) is forced out */
	p = udp("6.0.0.1", "6.0.0.2", 6, 53, 41 * S);
	flow_handle_packet(ft, &p);
	p = udp("6.0.0.1", "6.0.0.2", 7, 53, 42 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(3, log.n);
	CHECK_INT(udp1, log.ids[1]);
	CHECK_INT(FLOW_END_TIMEOUT, log.reasons[1]);
	CHECK_INT(est, log.ids[2]);
	CHECK_INT(FLOW_END_FORCED, log.reasons[2]);
	CHECK_INT(2, flow_table_stats(ft)->timed_out);
	CHECK_INT(1, flow_table_stats(ft)->get_used);
	CHECK_INT(4, flow_table_stats(ft)->active);

	/* the flush: in last-packet order (the answered UDP flow of 30 s,
	 * established, then the new ones of 40, 41 and 42 s), not list by list */
	flow_table_flush(ft, 43 * S);
	CHECK_INT(7, log.n);
	CHECK_INT(udp2, log.ids[3]);
	CHECK_INT(FLOW_END_SHUTDOWN, log.reasons[3]);
	CHECK_INT(id, log.ids[4]);
	CHECK(log.ids[4] < log.ids[5] && log.ids[5] < log.ids[6]);
	flow_table_destroy(ft);
}

static void test_flow_ids(void)
{
	struct flow_table *w0 = table(0, false, 0), *w1 = table(0, false, 1);
	struct flow_table *wmax = table(0, false, UINT16_MAX);
	static uint64_t ids[3000];
	unsigned i, n = 0, dups = 0, bad = 0;

	for (i = 0; i < 1000; i++) {
		struct packet p = udp("4.0.0.1", "4.0.0.2", (uint16_t)i, 53, S);

		ids[n++] = flow_handle_packet(w0, &p)->flow_id;
		ids[n++] = flow_handle_packet(w1, &p)->flow_id;
		ids[n++] = flow_handle_packet(wmax, &p)->flow_id;
	}
	qsort(ids, n, sizeof(ids[0]), cmp_u64);
	for (i = 0; i < n; i++) {
		bad += ids[i] == 0 || ids[i] >= (UINT64_C(1) << 53);
		dups += i > 0 && ids[i] == ids[i - 1];
	}
	CHECK_INT(0, bad);
	CHECK_INT(0, dups);
	flow_table_destroy(w0);
	flow_table_destroy(w1);
	flow_table_destroy(wmax);
}

/* Keys aimed at one bucket of the fixed-seed hash (anyone can compute it)
 * spread over the table's buckets, which hash with a seed of their own;
 * flow_id still comes from the fixed hash. */
static void test_bucket_seed(void)
{
	struct flow_config cfg;
	struct flow_table *ft;
	unsigned n = 0, longest = 0, bad_id = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.hash_size = 1024;
	ft = flow_table_create(&cfg, -1);
	CHECK(ft != NULL);
	if (ft == NULL)
		return;
	for (uint32_t i = 0; n < 512 && i < (1u << 24); i++) {
		struct packet p = udp("5.0.0.1", "5.0.0.2", (uint16_t)i, 53, S);
		struct flow *f;

		p.src.b[2] = (uint8_t)(i >> 16);
		p.src.b[3] = (uint8_t)(i >> 8);
		if ((flow_hash_packet(&p) & 1023) != 0)
			continue;
		f = flow_handle_packet(ft, &p);
		CHECK(f != NULL);
		if (f == NULL)
			break;
		bad_id += f->id_hash != flow_hash_packet(&p);
		n++;
	}
	CHECK_INT(512, n);
	CHECK_INT(0, bad_id);
	for (uint32_t b = 0; b <= ft->mask; b++) {
		unsigned len = 0;

		for (const struct flow *f = ft->buckets[b]; f != NULL; f = f->hnext)
			len++;
		longest = len > longest ? len : longest;
	}
	/* 512 keys in 1024 buckets at random: a chain of 16 is out of reach */
	CHECK(longest < 16);
	flow_table_destroy(ft);
}

static void test_port_reuse(void)
{
	struct flow_table *ft = table(0, false, 2);
	struct rel_log log = { 0 };
	const char *c = "5.0.0.1", *s = "5.0.0.2";
	struct packet p;
	struct flow *f;
	uint64_t id1;

	flow_table_set_release_cb(ft, rel_cb, &log);
	p = tcp(c, s, 40000, 443, TCP_SYN, S);
	f = flow_handle_packet(ft, &p);
	id1 = f->flow_id;
	p = tcp(s, c, 443, 40000, TCP_SYN | TCP_ACK, S);
	flow_handle_packet(ft, &p);
	p = tcp(c, s, 40000, 443, TCP_ACK, S);
	flow_handle_packet(ft, &p);
	p = tcp(c, s, 40000, 443, TCP_RST, 2 * S);
	flow_handle_packet(ft, &p);
	CHECK_INT(TCP_ST_CLOSED, f->tcp_state);
	/* only a SYN reuses a closed flow */
	p = tcp(c, s, 40000, 443, TCP_ACK, 2 * S);
	CHECK_INT(id1, flow_handle_packet(ft, &p)->flow_id);
	/* nor does the first SYN again (its ISN): a retransmission */
	p = tcp(c, s, 40000, 443, TCP_SYN, 2 * S);
	CHECK_INT(id1, flow_handle_packet(ft, &p)->flow_id);
	CHECK_INT(0, flow_table_stats(ft)->tcp_reused);

	p = tcp(c, s, 40000, 443, TCP_SYN, 3 * S);
	p.tcp.seq = 7000;
	f = flow_handle_packet(ft, &p);
	CHECK(f->flow_id != id1);
	CHECK(f->flow_id != 0);
	CHECK_INT(TCP_ST_SYN_SENT, f->tcp_state);
	CHECK_INT(PKT_FLOW_TOSERVER | PKT_FLOW_FIRST, p.flow_flags);
	CHECK_INT(1, f->pkts[PKT_TO_SERVER]);
	CHECK_INT(0, f->pkts[PKT_TO_CLIENT]);
	CHECK_INT(3 * S, f->first_ts_us);
	CHECK_INT(1, log.n);
	CHECK_INT(id1, log.ids[0]);
	CHECK_INT(2, flow_table_stats(ft)->created);
	CHECK_INT(1, flow_table_stats(ft)->tcp_reused);
	CHECK_INT(1, flow_table_stats(ft)->active);

	/* the new connection runs normally */
	p = tcp(s, c, 443, 40000, TCP_SYN | TCP_ACK, 3 * S);
	p.tcp.ack = 7001;
	flow_handle_packet(ft, &p);
	p = tcp(c, s, 40000, 443, TCP_ACK, 3 * S);
	p.tcp.seq = 7001;
	flow_handle_packet(ft, &p);
	CHECK_INT(PKT_FLOW_TOSERVER, p.flow_flags);
	CHECK_INT(TCP_ST_ESTABLISHED, f->tcp_state);
	flow_table_destroy(ft);
}

/* Pages of [p, p + len) the process holds in memory (mincore). */
static size_t resident_pages(const void *p, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE), n = (len + pg - 1) / pg, in = 0;
	unsigned char *v = calloc(n ? n : 1, 1);

	if (v == NULL || mincore((void *)p, len, v) != 0) {
		free(v);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		in += v[i] & 1;
	free(v);
	return in;
}

/* flow.prealloc: the buckets and the first slots are backed when the table
 * is made (by its creator, not by the worker's first packets); the rest of
 * the pool only as flows take it. */
static void test_prealloc(void)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	struct flow_config cfg;
	struct flow_table *ft;

	memset(&cfg, 0, sizeof(cfg));
	cfg.memcap = 256ull << 20;
	cfg.hash_size = 1u << 20;
	cfg.prealloc = 20000;
	ft = flow_table_create(&cfg, -1);
	CHECK(ft != NULL);
	if (ft == NULL)
		return;
	CHECK_INT((long long)((ft->buckets_bytes + pg - 1) / pg),
		  (long long)resident_pages(ft->buckets, ft->buckets_bytes));
	CHECK_INT((long long)((20000 * FLOW_SLOT_SIZE + pg - 1) / pg),
		  (long long)resident_pages(ft->pool, 20000 * FLOW_SLOT_SIZE));
	/* 256 MiB of slots: far past the prealloc, untouched (a huge page at
	 * most, where the prealloc's last one ends) */
	CHECK(resident_pages(ft->pool, ft->pool_bytes) <
	      (20000 * FLOW_SLOT_SIZE + (4u << 20)) / pg);
	flow_table_destroy(ft);
}

/* flow_table_back_spare (the main thread's, as Suricata's flow manager
 * keeps its spare flows): the never-used slots are backed flow.prealloc
 * ahead of what the worker took, no further, a few MiB a call, and the
 * flows in use are left as they were. */
static void test_back_spare(void)
{
	const size_t pg = (size_t)sysconf(_SC_PAGESIZE), huge = 2u << 20;
	const uint32_t spare = 20000, used = 30000;
	struct flow_config cfg;
	struct flow_table *ft;
	size_t want, step, total = 0;
	int calls = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.memcap = 256ull << 20;
	cfg.hash_size = 1u << 16;
	cfg.prealloc = spare;
	ft = flow_table_create(&cfg, -1);
	CHECK(ft != NULL);
	if (ft == NULL)
		return;
	for (uint32_t i = 0; i < used; i++) {
		struct packet p = udp("10.0.0.1", "10.0.0.2", (uint16_t)(1 + i % 60000),
				      (uint16_t)(1 + i / 60000), S + i);

		CHECK(flow_handle_packet(ft, &p) != NULL);
	}
	CHECK_INT(used, ft->bump);
	want = (size_t)(used + spare) * FLOW_SLOT_SIZE;
	/* the worker backed only what it touched: the spare ahead is not */
	CHECK(resident_pages((uint8_t *)ft->pool + used * FLOW_SLOT_SIZE + huge,
			     want - used * FLOW_SLOT_SIZE - huge) == 0);
	while ((step = flow_table_back_spare(ft)) != 0 && calls < 1000) {
		CHECK(step <= 4 * huge);
		total += step;
		calls++;
	}
	CHECK(calls > 1);
	CHECK(total > 0);
	CHECK_INT((long long)((want + pg - 1) / pg), (long long)resident_pages(ft->pool, want));
	/* no further than the spare's last huge page */
	CHECK(resident_pages((uint8_t *)ft->pool + want + huge, 16 * huge) == 0);
	/* the flows in use kept their keys: each is found again */
	for (uint32_t i = 0; i < used; i += 997) {
		struct packet p = udp("10.0.0.1", "10.0.0.2", (uint16_t)(1 + i % 60000),
				      (uint16_t)(1 + i / 60000), 2 * S);

		CHECK(flow_handle_packet(ft, &p) == &ft->pool[i].f);
	}
	CHECK_INT(used, ft->bump);
	CHECK_INT(0, (long long)flow_table_back_spare(ft));
	flow_table_destroy(ft);
}

/* Emergency mode (flow_emerg.c): what left the table, and how. */
struct emerg_log {
	unsigned forced, forced_emerg, timeout;
};

static void emerg_cb(struct flow *f, void *arg)
{
	struct emerg_log *l = arg;

	if (f->end_reason == FLOW_END_FORCED) {
		l->forced++;
		l->forced_emerg += (f->flags & FLOW_F_EMERGENCY) != 0;
	} else if (f->end_reason == FLOW_END_TIMEOUT) {
		l->timeout++;
	}
}

/* A table of n flows, flow.prealloc past it (the base of the recovery
 * percentage is then the table's n flows). */
static struct flow_table *emerg_table(unsigned n, bool midstream, struct emerg_log *log)
{
	struct flow_config cfg;
	struct flow_table *ft;

	memset(&cfg, 0, sizeof(cfg));
	cfg.memcap = n * FLOW_SLOT_SIZE;
	cfg.hash_size = 1024;
	cfg.prealloc = FLOW_PREALLOC_DEFAULT;
	cfg.midstream = midstream;
	ft = flow_table_create(&cfg, -1);
	if (ft != NULL)
		flow_table_set_release_cb(ft, emerg_cb, log);
	return ft;
}

/* Flow i of a flood: a SYN (or a UDP datagram) of its own at ts_us. */
static struct flow *flood_pkt(struct flow_table *ft, unsigned i, bool syn, uint64_t ts_us)
{
	char src[16];
	struct packet p;

	snprintf(src, sizeof(src), "10.9.%u.%u", (i >> 8) & 255, i & 255);
	p = syn ? tcp(src, "192.0.2.9", (uint16_t)(1024 + i), 80, TCP_SYN, ts_us) :
		  udp(src, "192.0.2.9", (uint16_t)(1024 + i), 53, ts_us);
	return flow_handle_packet(ft, &p);
}

/* A SYN flood fills a table of 100 flows; the 101st enters emergency mode
 * (counted once) and puts the emergency timeouts of Suricata 7's
 * suricata.yaml in force; while the flood's flows are still alive (a
 * packet within 1 s) it gets no flow (get_used_failed), a second later it
 * forces the least recently used one out (get_used, its record
 * "emergency"). The flood's flows then time out at 5 s (TCP
 * emergency-new), not 60 s, also at lookup. The mode is over at the 30th
 * check in a row (a quarter second of packet time apart) that found more
 * than 30 % of the 100 flows free, and the normal timeouts are back. */
static void test_emergency(void)
{
	const uint64_t t0 = 1000 * S, q = S / 4;
	struct emerg_log log = { 0 };
	struct flow_table *ft = emerg_table(100, false, &log);
	const struct flow_stats *fs;
	struct packet p;
	struct flow *f;
	uint64_t t;

	CHECK(ft != NULL);
	if (ft == NULL)
		return;
	fs = flow_table_stats(ft);
	CHECK_INT(60 * S, ft->to_us[FLOW_PC_TCP][FLOW_TO_NEW]);
	for (unsigned i = 0; i < 100; i++)
		CHECK(flood_pkt(ft, i, true, t0 + i * 1000) != NULL);
	CHECK(!flow_table_emergency(ft));
	CHECK_INT(0, fs->emerg_entered);

	CHECK(flood_pkt(ft, 100, true, t0 + S) == NULL);
	CHECK(flow_table_emergency(ft));
	CHECK_INT(1, fs->emerg_entered);
	CHECK_INT(1, fs->get_used_failed);
	CHECK_INT(0, fs->get_used);
	f = flood_pkt(ft, 100, true, t0 + 2 * S);
	CHECK(f != NULL);
	CHECK_INT(1, fs->emerg_entered);
	CHECK_INT(1, fs->get_used);
	CHECK_INT(1, log.forced);
	CHECK_INT(1, log.forced_emerg);
	/* suricata.yaml's emergency-new, -established, -closed */
	CHECK_INT(5 * S, ft->to_us[FLOW_PC_TCP][FLOW_TO_NEW]);
	CHECK_INT(100 * S, ft->to_us[FLOW_PC_TCP][FLOW_TO_EST]);
	CHECK_INT(10 * S, ft->to_us[FLOW_PC_TCP][FLOW_TO_CLOSED]);
	CHECK_INT(10 * S, ft->to_us[FLOW_PC_UDP][FLOW_TO_NEW]);
	CHECK_INT(100 * S, ft->to_us[FLOW_PC_UDP][FLOW_TO_EST]);
	CHECK_INT(10 * S, ft->to_us[FLOW_PC_ICMP][FLOW_TO_NEW]);
	CHECK_INT(10 * S, ft->to_us[FLOW_PC_OTHER][FLOW_TO_NEW]);
	/* a second flow past the memcap: forced too, no second entry */
	CHECK(flood_pkt(ft, 101, true, t0 + 2 * S) != NULL);
	CHECK_INT(1, fs->emerg_entered);
	CHECK_INT(2, fs->get_used);

	/* flow 2 (last packet t0 + 2 ms) again after 5 s and 3 ms: timed out
	 * at lookup, a new flow (60 s would have kept it) */
	p = tcp("10.9.0.2", "192.0.2.9", 1026, 80, TCP_SYN, t0 + 5 * S + 3000);
	CHECK(flow_handle_packet(ft, &p) != NULL);
	CHECK(p.flow_flags & PKT_FLOW_FIRST);
	CHECK_INT(1, fs->timed_out);
	/* the rest of the flood (flows 3..99) at 5 s past their last packet */
	CHECK_INT(0, flow_table_expire(ft, t0 + 5 * S + 3000, 1000));
	CHECK_INT(97, flow_table_expire(ft, t0 + 5 * S + 100000, 1000));
	CHECK_INT(98, log.timeout);
	CHECK(flow_table_emergency(ft));
	/* room for 97 flows of 100 from here: 29 checks, still in the mode */
	for (t = t0 + 6 * S; t < t0 + 6 * S + 29 * q; t += q)
		flow_table_expire(ft, t, 1000);
	CHECK(flow_table_emergency(ft));
	CHECK_INT(0, fs->emerg_over);
	/* no check between two due: a look a moment later changes nothing */
	flow_table_expire(ft, t - q + 1, 1000);
	CHECK(flow_table_emergency(ft));
	flow_table_expire(ft, t, 1000);
	CHECK(!flow_table_emergency(ft));
	CHECK_INT(1, fs->emerg_over);
	CHECK_INT(60 * S, ft->to_us[FLOW_PC_TCP][FLOW_TO_NEW]);
	CHECK_INT(600 * S, ft->to_us[FLOW_PC_TCP][FLOW_TO_EST]);
	CHECK_INT(30 * S, ft->to_us[FLOW_PC_UDP][FLOW_TO_NEW]);
	flow_table_destroy(ft);
}

/* Flows 31..100 of a 100-flow table kept alive (a packet each second)
 * from time s0 + 1 s to just before until_us; expiry looks at every
 * quarter second. */
static void keep_alive(struct flow_table *ft, unsigned first, uint64_t from_us,
		       uint64_t until_us)
{
	for (uint64_t t = from_us; t < until_us; t += S / 4) {
		if ((t - from_us) % S == 0)
			for (unsigned i = first; i <= 100; i++)
				flood_pkt(ft, i, false, t);
		flow_table_expire(ft, t, 1000);
	}
}

/* The recovery test is "more than" flow.emergency-recovery percent, and
 * the 30 checks must come in a row: room for exactly 30 of 100 flows
 * keeps the table in emergency mode however long; a 31st flow freed
 * starts the count, and the mode is over 30 checks later. */
static void test_emergency_recovery(void)
{
	const uint64_t t0 = 2000 * S;
	struct emerg_log log = { 0 };
	struct flow_table *ft = emerg_table(100, false, &log);
	const struct flow_stats *fs;

	CHECK(ft != NULL);
	if (ft == NULL)
		return;
	fs = flow_table_stats(ft);
	for (unsigned i = 0; i < 100; i++)
		flood_pkt(ft, i, false, t0 + i * 1000);
	/* flow 100 finds every flow still alive (no flow), a second later it
	 * forces flow 0 out: flows 1..30 are left to time out (UDP
	 * emergency-new: 10 s), 31..100 stay alive */
	CHECK(flood_pkt(ft, 100, false, t0 + S) == NULL);
	CHECK(flow_table_emergency(ft));
	keep_alive(ft, 31, t0 + S, t0 + 40 * S);
	CHECK_INT(2, fs->get_used_failed);
	CHECK_INT(1, fs->get_used);
	CHECK_INT(30, log.timeout);
	CHECK_INT(70, fs->active);
	CHECK(flow_table_emergency(ft));
	CHECK_INT(0, fs->emerg_over);
	/* flow 31 left to time out too: 31 % free from t0 + 50 s */
	keep_alive(ft, 32, t0 + 40 * S, t0 + 50 * S + S / 2);
	CHECK_INT(31, log.timeout);
	CHECK(flow_table_emergency(ft));
	keep_alive(ft, 32, t0 + 50 * S + S / 2, t0 + 60 * S);
	CHECK(!flow_table_emergency(ft));
	CHECK_INT(1, fs->emerg_over);
	CHECK_INT(1, fs->emerg_entered);
	flow_table_destroy(ft);
}

/* In emergency mode with stream.midstream, a TCP packet that is no SYN
 * starts no flow (counted in no_flow, not as the memcap: no exception
 * policy meets it); a SYN, or UDP, still does. Without midstream the
 * pickup is refused later anyway: every packet starts its flow, forcing
 * one out once the flood's flows are no longer alive. */
static void test_emergency_midstream(void)
{
	const uint64_t t0 = 3000 * S;
	struct emerg_log log = { 0 };

	for (int mid = 0; mid < 2; mid++) {
		struct flow_table *ft = emerg_table(4, mid, &log);
		const struct flow_stats *fs;
		struct packet p;

		CHECK(ft != NULL);
		if (ft == NULL)
			return;
		fs = flow_table_stats(ft);
		/* outside the mode the ACK starts a flow */
		p = tcp("10.8.0.1", "192.0.2.8", 4000, 80, TCP_ACK, t0);
		CHECK(flow_handle_packet(ft, &p) != NULL);
		/* the fourth finds the memcap reached, every flow alive */
		for (unsigned i = 0; i < 4; i++)
			CHECK((flood_pkt(ft, i, false, t0 + 1) == NULL) == (i == 3));
		CHECK(flow_table_emergency(ft));
		CHECK_INT(1, fs->get_used_failed);
		p = tcp("10.8.0.1", "192.0.2.8", 4001, 80, TCP_ACK, t0 + 3 * S);
		CHECK((flow_handle_packet(ft, &p) == NULL) == (mid != 0));
		CHECK_INT(mid ? 2 : 1, fs->no_flow);
		CHECK_INT(1, fs->get_used_failed);
		CHECK_INT(mid ? 0 : 1, fs->get_used);
		p = tcp("10.8.0.1", "192.0.2.8", 4002, 80, TCP_SYN | TCP_ACK, t0 + 4 * S);
		CHECK((flow_handle_packet(ft, &p) == NULL) == (mid != 0));
		p = tcp("10.8.0.1", "192.0.2.8", 4003, 80, TCP_SYN, t0 + 5 * S);
		CHECK(flow_handle_packet(ft, &p) != NULL);
		CHECK_INT(mid ? 3 : 1, fs->no_flow);
		CHECK_INT(mid ? 1 : 3, fs->get_used);
		flow_table_destroy(ft);
	}
}

/* Configured emergency timeouts and emergency-recovery replace the
 * defaults; zero keeps a default. */
static void test_emergency_config(void)
{
	const uint64_t t0 = 4000 * S;
	struct emerg_log log = { 0 };
	struct flow_config cfg;
	struct flow_table *ft;

	memset(&cfg, 0, sizeof(cfg));
	cfg.memcap = 10 * FLOW_SLOT_SIZE;
	cfg.prealloc = 10;
	cfg.emerg_recovery = 80;
	cfg.to[FLOW_PC_UDP].emerg_new_s = 2;
	cfg.to[FLOW_PC_TCP].emerg_established_s = 7;
	ft = flow_table_create(&cfg, -1);
	CHECK(ft != NULL);
	if (ft == NULL)
		return;
	flow_table_set_release_cb(ft, emerg_cb, &log);
	for (unsigned i = 0; i < 11; i++)
		flood_pkt(ft, i, false, t0);
	CHECK(flow_table_emergency(ft));
	CHECK_INT(2 * S, ft->to_us[FLOW_PC_UDP][FLOW_TO_NEW]);
	CHECK_INT(7 * S, ft->to_us[FLOW_PC_TCP][FLOW_TO_EST]);
	CHECK_INT(5 * S, ft->to_us[FLOW_PC_TCP][FLOW_TO_NEW]);
	/* 8 of 10 free is 80 %: not more than emergency-recovery 80 */
	CHECK_INT(8, flow_table_expire(ft, t0 + 2 * S + 1, 8));
	for (uint64_t t = t0 + 3 * S; t < t0 + 20 * S; t += S / 4)
		flow_table_expire(ft, t, 0);
	CHECK(flow_table_emergency(ft));
	/* 9 of 10: 90 % */
	CHECK_INT(2, flow_table_expire(ft, t0 + 20 * S, 8));
	for (uint64_t t = t0 + 20 * S; t < t0 + 30 * S; t += S / 4)
		flow_table_expire(ft, t, 0);
	CHECK(!flow_table_emergency(ft));
	flow_table_destroy(ft);
}

int main(void)
{
	test_hash_symmetry();
	test_both_directions();
	test_direction_client();
	test_tcp_handshake();
	test_midstream();
	test_udp_icmp_other();
	test_vlan_and_untracked();
	test_tunnel_depth();
	test_timeouts();
	test_timeout_without_walk();
	test_budget_and_lists();
	test_expiry_keeps_up();
	test_expiry_behind_crowd();
	test_eviction();
	test_eviction_lists();
	test_flow_ids();
	test_bucket_seed();
	test_port_reuse();
	test_prealloc();
	test_back_spare();
	test_emergency();
	test_emergency_recovery();
	test_emergency_midstream();
	test_emergency_config();
	return check_result("flow");
}
