/* SPDX-License-Identifier: MIT */
/* Unit tests for dataplane/detect/detect_addrindex.c: the candidates the
 * address index gives for exact addresses (overlaps, nesting, range bounds,
 * IPv4 and IPv6, negation, bidirectional rules, classes, IP-only kind), the
 * alerts of rules found through it, and an equivalence run: random rules and
 * packets give the same alerts, in the same order, with and without it. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dataplane/detect/detect-int.h"
#include "dataplane/flow/flow-t.h"
#include "detect_fixture.h"

/* The fixture's engine, rebuilt with the index threshold addr_min (0: no
 * index) when it is not the default; IPS mode. */
static struct detect_env setup(const char *text, uint32_t addr_min)
{
	struct detect_env e = detect_env_setup(NULL, text, "detect_addr");
	char err[256] = "";

	if (addr_min != DETECT_ADDR_MIN_RANGES) {
		detect_thread_destroy(e.dt);
		detect_engine_free(e.de);
		e.de = detect_engine_build_addr(e.rs, addr_min, err, sizeof(err));
		CHECK_STR("", err);
		if (e.de == NULL)
			exit(check_result("detect_addr"));
		e.dt = detect_thread_create(e.de, -1);
		CHECK(e.dt != NULL);
	}
	detect_thread_set_ips(e.dt, 1);
	return e;
}

/* A packet with no flow, empty payload. */
static struct packet pkt(uint8_t proto, const char *src, uint16_t sp, const char *dst,
			 uint16_t dp)
{
	return detect_pkt(proto, src, sp, dst, dp, "");
}

static struct packet ipp(const char *src, const char *dst)
{
	return pkt(6, src, 1000, dst, 80);
}

static void in_flow(struct packet *p, struct flow *f, enum pkt_dir dir)
{
	p->flow = f;
	p->flags |= PKT_F_HAS_FLOW;
	p->dir = dir;
	p->flow_flags = dir == PKT_TO_SERVER ? PKT_FLOW_TOSERVER : PKT_FLOW_TOCLIENT;
}

static struct detect_result res;

static uint32_t run(struct detect_env *e, struct packet *p)
{
	detect_packet(e->dt, p, &res);
	return res.nalerts;
}

static const char *alert_sids(void)
{
	return detect_result_sids(&res);
}

/* The sids the index lists for p, in rank order, each once: "1,2". */
static const char *index_sids(const struct detect_env *e, const struct packet *p, bool iponly)
{
	static char s[256];
	struct rank_list l[DETECT_ADDR_LISTS];
	uint32_t nl = detect_addr_lists(e->de->addr, p, detect_pclass(p), iponly, l);
	uint32_t last = UINT32_MAX;
	size_t off = 0;

	s[0] = '\0';
	CHECK(nl <= DETECT_ADDR_LISTS);
	for (;;) {
		uint32_t min = UINT32_MAX;

		for (uint32_t i = 0; i < nl; i++)
			for (uint32_t k = 0; k < l[i].n; k++) {
				if (k > 0)
					CHECK(l[i].r[k - 1] < l[i].r[k]);
				if ((last == UINT32_MAX || l[i].r[k] > last) && l[i].r[k] < min)
					min = l[i].r[k];
			}
		if (min == UINT32_MAX)
			return s;
		off += (size_t)snprintf(s + off, sizeof(s) - off, "%s%u", off ? "," : "",
					e->de->rules[min].r->sid);
		last = min;
	}
}

/* "[a.b.c.(d), a.b.c.(d + step), ...]" n addresses, no brackets. */
static const char *v4list(char *buf, size_t len, const char *prefix, int first, int step,
			  int n)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s%d", i ? "," : "", prefix,
					first + i * step);
	return buf;
}

static void info(const struct detect_env *e, uint32_t *rules, uint64_t *intervals)
{
	uint64_t bytes;

	detect_addr_info(e->de, rules, intervals, &bytes);
	CHECK(*intervals == 0 ? bytes == 0 : bytes > *intervals * 8);
}

static void test_empty(void)
{
	struct detect_env e = setup("alert ip [1.0.0.0/8,3.0.0.0/8] any -> $HOME_NET any (sid:1;)\n"
			     "alert ip $EXTERNAL_NET any -> any any (sid:2;)\n", DETECT_ADDR_MIN_RANGES);
	struct packet p = ipp("1.0.0.1", "192.168.0.1");
	uint32_t nr = 9;
	uint64_t ni = 9;

	info(&e, &nr, &ni);
	CHECK_INT(0, nr);
	CHECK_INT(0, ni);
	CHECK_STR("", index_sids(&e, &p, true));
	CHECK_INT(2, run(&e, &p));
	CHECK_STR("1,2", alert_sids());
	detect_env_teardown(&e);

	e = setup("", DETECT_ADDR_MIN_RANGES);
	info(&e, &nr, &ni);
	CHECK_INT(0, nr);
	CHECK_INT(0, ni);
	CHECK_INT(0, run(&e, &p));
	detect_env_teardown(&e);
}

/* Overlapping and nested lists, both sides, and the range bounds. */
static void test_overlap_nested(void)
{
	char a[160], b[160], c[160], rules[2048];
	struct detect_env e;
	uint32_t nr;
	uint64_t ni;

	snprintf(rules, sizeof(rules),
		 "alert ip [10.0.0.0/8,%s] any -> any any (sid:1;)\n"
		 "alert ip [10.1.0.0/16,%s] any -> any any (sid:2;)\n"
		 "alert ip any any -> [10.1.2.0/24,%s] any (sid:3;)\n",
		 v4list(a, sizeof(a), "1.0.0.", 1, 2, 8), v4list(b, sizeof(b), "1.0.0.", 3, 2, 8),
		 v4list(c, sizeof(c), "2.0.0.", 1, 2, 8));
	e = setup(rules, DETECT_ADDR_MIN_RANGES);
	info(&e, &nr, &ni);
	CHECK_INT(3, nr);
	/* per IPv4 class, IP-only kind: source table starts 0, 1.0.0.1 .. 1.0.0.18,
	 * 10.0.0.0, 10.1.0.0, 10.2.0.0, 11.0.0.0 (23); destination table 0,
	 * 2.0.0.1 .. 2.0.0.16, 10.1.2.0, 10.1.3.0 (19); no IPv6 range */
	CHECK_INT(4 * (23 + 19), ni);
	/* keys, first[] and ranks: sid 1 in 8 + 3 source intervals, sid 2 in
	 * 8 + 1, sid 3 in 8 + 1 destination intervals; and each of the 8 IPv4
	 * tables' prefix index (4097 entries) */
	uint64_t bytes;

	detect_addr_info(e.de, &nr, &ni, &bytes);
	CHECK_INT(4 * ((23 * 4 + 24 * 4 + 20 * 4) + (19 * 4 + 20 * 4 + 9 * 4)) + 8 * 4097 * 4,
		  bytes);

	struct {
		const char *src, *dst, *want;
	} cases[] = {
		{ "10.1.2.3", "10.1.2.4", "1,2,3" },
		{ "10.2.0.0", "9.9.9.9", "1" },
		{ "10.1.0.0", "10.1.2.0", "1,2,3" },       /* lo of /16 and /24 */
		{ "10.1.255.255", "10.1.2.255", "1,2,3" }, /* hi */
		{ "10.0.255.255", "10.1.3.0", "1" },       /* below lo, above hi */
		{ "9.255.255.255", "10.1.1.255", "" },
		{ "10.255.255.255", "9.9.9.9", "1" },
		{ "11.0.0.0", "9.9.9.9", "" },
		{ "1.0.0.1", "2.0.0.15", "1,3" },
		{ "1.0.0.3", "2.0.0.2", "1,2" },
		{ "1.0.0.15", "2.0.0.16", "1,2" },
		{ "1.0.0.17", "0.0.0.0", "2" },
		{ "1.0.0.2", "255.255.255.255", "" },
		{ "0.0.0.0", "2.0.0.1", "3" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct packet p = ipp(cases[i].src, cases[i].dst);

		CHECK_STR(cases[i].want, index_sids(&e, &p, true));
		/* nothing else to check: the alerts are the candidates */
		run(&e, &p);
		CHECK_STR(cases[i].want, alert_sids());
		/* not the first packet of a direction: IP-only rules are not looked up */
		CHECK_STR("", index_sids(&e, &p, false));
	}
	detect_env_teardown(&e);
}

/* IPv6 lists, mixed families, the ends of both spaces. */
static void test_v6_and_ends(void)
{
	struct detect_env e = setup(
		"alert ip [2001:db8::1,2001:db8::3,2001:db8::5,2001:db8::7,2001:db8::9,"
		"2001:db8::b,2001:db8::d,2001:db8:1::/48,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]"
		" any -> any any (sid:10;)\n"
		"alert ip [3.0.0.1,3.0.0.3,3.0.0.5,3.0.0.7,2001:db8::3,2001:db8::6,2001:db8::20,"
		"::] any -> any any (sid:11;)\n"
		"alert ip [0.0.0.0,255.255.255.255,5.5.5.1,5.5.5.3,5.5.5.5,5.5.5.7,5.5.5.9,"
		"5.5.5.11] any -> any any (sid:12;)\n", DETECT_ADDR_MIN_RANGES);
	uint32_t nr;
	uint64_t ni;

	info(&e, &nr, &ni);
	CHECK_INT(3, nr);
	struct {
		const char *src, *want;
	} cases[] = {
		{ "2001:db8::1", "10" },
		{ "2001:db8::2", "" },
		{ "2001:db8::3", "10,11" },
		{ "2001:db8::4", "" },
		{ "2001:db8::6", "11" },
		{ "2001:db8::5", "10" },
		{ "2001:db8::20", "11" },
		{ "2001:db8:1::", "10" },
		{ "2001:db8:1:ffff:ffff:ffff:ffff:ffff", "10" },
		{ "2001:db8:2::", "" },
		{ "2001:db8:0:ffff:ffff:ffff:ffff:ffff", "" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "10" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "" },
		{ "::", "11" },
		{ "::1", "" },
		{ "3.0.0.3", "11" },
		{ "3.0.0.4", "" },
		{ "0.0.0.0", "12" },
		{ "0.0.0.1", "" },
		{ "255.255.255.255", "12" },
		{ "255.255.255.254", "" },
		{ "5.5.5.11", "12" },
		{ "5.5.5.12", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool v6 = strchr(cases[i].src, ':') != NULL;
		struct packet p = pkt(17, cases[i].src, 53, v6 ? "2001:db8:ff::1" : "9.9.9.9", 53);

		CHECK_STR(cases[i].want, index_sids(&e, &p, true));
		run(&e, &p);
		CHECK_STR(cases[i].want, alert_sids());
	}
	detect_env_teardown(&e);
}

/* A negated list covers nearly everything: not indexed, still right. A
 * list with a negated element inside is indexed without the hole. */
static void test_negated(void)
{
	char a[160], b[160], rules[2048];
	struct detect_env e;
	uint32_t nr;
	uint64_t ni;

	snprintf(rules, sizeof(rules),
		 "alert ip ![%s] any -> any any (sid:20;)\n"
		 "alert ip [10.0.0.0/8,!10.1.0.0/16,%s] any -> any any (sid:21;)\n",
		 v4list(a, sizeof(a), "1.0.0.", 1, 2, 10), v4list(b, sizeof(b), "1.0.0.", 1, 2, 7));
	e = setup(rules, DETECT_ADDR_MIN_RANGES);
	info(&e, &nr, &ni);
	CHECK_INT(1, nr);
	struct {
		const char *src, *index, *alerts;
	} cases[] = {
		{ "10.1.0.5", "", "20" },
		{ "10.0.255.255", "21", "20,21" },
		{ "10.1.255.255", "", "20" },
		{ "10.2.0.0", "21", "20,21" },
		{ "1.0.0.1", "21", "21" },
		{ "1.0.0.19", "", "" },
		{ "1.0.0.2", "", "20" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct packet p = ipp(cases[i].src, "9.9.9.9");

		CHECK_STR(cases[i].index, index_sids(&e, &p, true));
		run(&e, &p);
		CHECK_STR(cases[i].alerts, alert_sids());
	}
	detect_env_teardown(&e);
}

/* <>: the indexed side is found with the packet's addresses either way
 * round; a rule in both lookups is checked (and alerts) once. */
static void test_bidir(void)
{
	char a[160], b[160], c[160], rules[2048];
	struct detect_env e;

	snprintf(rules, sizeof(rules),
		 "alert ip [%s] any <> 192.168.0.0/16 any (sid:30;)\n"
		 "alert ip [%s] any <> [%s] any (sid:31;)\n",
		 v4list(a, sizeof(a), "1.0.0.", 1, 2, 8), v4list(b, sizeof(b), "3.0.0.", 1, 2, 8),
		 v4list(c, sizeof(c), "3.0.0.", 1, 2, 8));
	e = setup(rules, DETECT_ADDR_MIN_RANGES);
	struct {
		const char *src, *dst, *index, *alerts;
	} cases[] = {
		{ "1.0.0.1", "192.168.1.1", "30", "30" },
		{ "192.168.1.1", "1.0.0.1", "30", "30" },
		{ "1.0.0.1", "1.0.0.3", "30", "" },
		{ "192.168.1.1", "192.168.1.2", "", "" },
		{ "3.0.0.1", "3.0.0.3", "31", "31" },
		{ "3.0.0.1", "192.168.1.1", "31", "" },
		{ "192.168.1.1", "3.0.0.15", "31", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct packet p = ipp(cases[i].src, cases[i].dst);

		CHECK_STR(cases[i].index, index_sids(&e, &p, true));
		run(&e, &p);
		CHECK_STR(cases[i].alerts, alert_sids());
	}
	detect_env_teardown(&e);
}

/* The index is a prefilter: the small side, ports and class still decide;
 * a list on the destination side is indexed there. */
static void test_small_side(void)
{
	char a[160], rules[2048];
	struct detect_env e;
	uint32_t nr;
	uint64_t ni;

	v4list(a, sizeof(a), "1.0.0.", 1, 2, 8);
	snprintf(rules, sizeof(rules),
		 "alert ip [%s] any -> [192.168.1.1,10.0.0.0/8] any (sid:40;)\n"
		 "alert tcp [%s] any -> any 80 (sid:41;)\n"
		 "alert udp 192.168.0.0/16 any -> [%s] any (sid:42;)\n"
		 "alert tcp [%s] any -> any 80 (ttl:64; sid:43;)\n", a, a, a, a);
	e = setup(rules, DETECT_ADDR_MIN_RANGES);
	/* sid 43 checks every packet to port 80 (not IP-only): its port group
	 * holds it, not the index */
	info(&e, &nr, &ni);
	CHECK_INT(3, nr);

	struct packet p = pkt(6, "1.0.0.1", 1000, "192.168.1.1", 80);

	CHECK_STR("40,41", index_sids(&e, &p, true));
	run(&e, &p);
	CHECK_STR("40,41,43", alert_sids());
	p = pkt(6, "1.0.0.1", 1000, "192.168.1.2", 81);
	CHECK_STR("40,41", index_sids(&e, &p, true));
	run(&e, &p);
	CHECK_STR("", alert_sids());
	p = pkt(17, "1.0.0.1", 1000, "192.168.1.1", 80);	/* udp: not the tcp rule */
	CHECK_STR("40", index_sids(&e, &p, true));
	run(&e, &p);
	CHECK_STR("40", alert_sids());
	p = pkt(17, "192.168.7.7", 1000, "1.0.0.9", 53);
	CHECK_STR("42", index_sids(&e, &p, true));
	run(&e, &p);
	CHECK_STR("42", alert_sids());
	p = pkt(17, "10.0.0.1", 1000, "1.0.0.9", 53);
	run(&e, &p);
	CHECK_STR("", alert_sids());
	detect_env_teardown(&e);
}

/* A short list is indexed when it is narrow (a reputation rule's single
 * address), not when it is wide ($HOME_NET); the narrower side is chosen. */
static void test_narrow_side(void)
{
	struct detect_env e;
	uint32_t nr;
	uint64_t ni;

	e = setup("alert ip $HOME_NET any -> [31.210.173.10] any (sid:60;)\n"
		  "alert ip [5.5.0.0/16] any -> [6.6.6.0/24,7.7.7.7] any (sid:61;)\n"
		  "alert ip [8.0.0.0/8] any -> $HOME_NET any (sid:62;)\n", DETECT_ADDR_MIN_RANGES);
	info(&e, &nr, &ni);
	CHECK_INT(2, nr);

	struct packet p = ipp("192.168.0.1", "31.210.173.10");

	CHECK_STR("60", index_sids(&e, &p, true));
	run(&e, &p);
	CHECK_STR("60", alert_sids());
	p = ipp("192.168.0.1", "31.210.173.11");
	CHECK_STR("", index_sids(&e, &p, true));
	CHECK_INT(0, run(&e, &p));
	/* sid 61 by its destination (257 addresses against 65536) */
	p = ipp("9.9.9.9", "7.7.7.7");
	CHECK_STR("61", index_sids(&e, &p, true));
	CHECK_INT(0, run(&e, &p));
	p = ipp("5.5.1.2", "6.6.6.200");
	run(&e, &p);
	CHECK_STR("61", alert_sids());
	/* sid 62's /8 is not narrow: checked without the index */
	p = ipp("8.1.2.3", "192.168.3.3");
	CHECK_STR("", index_sids(&e, &p, true));
	run(&e, &p);
	CHECK_STR("62", alert_sids());
	detect_env_teardown(&e);
}

/* IP-only rules from the index run on the first packet of each direction
 * only, the others on every packet. */
static void test_iponly_flow(void)
{
	char a[160], rules[2048];
	struct detect_env e;
	struct flow f;
	uint32_t n50 = 0, n51 = 0;

	v4list(a, sizeof(a), "1.0.0.", 1, 2, 8);
	snprintf(rules, sizeof(rules),
		 "alert ip [%s] any -> any any (sid:50;)\n"
		 "alert ip [%s] any -> any any (ttl:64; sid:51;)\n", a, a);
	e = setup(rules, DETECT_ADDR_MIN_RANGES);
	memset(&f, 0, sizeof(f));
	for (int i = 0; i < 5; i++) {
		bool ts = i != 1 && i != 3;
		struct packet p = ts ? ipp("1.0.0.1", "1.0.0.3") : ipp("1.0.0.3", "1.0.0.1");

		in_flow(&p, &f, ts ? PKT_TO_SERVER : PKT_TO_CLIENT);
		run(&e, &p);
		for (uint32_t k = 0; k < res.nalerts; k++) {
			n50 += res.alerts[k].rule->sid == 50;
			n51 += res.alerts[k].rule->sid == 51;
		}
	}
	CHECK_INT(2, n50);
	CHECK_INT(5, n51);
	struct packet p = ipp("1.0.0.1", "9.9.9.9");

	CHECK_STR("50,51", index_sids(&e, &p, true));
	CHECK_STR("51", index_sids(&e, &p, false));
	detect_env_teardown(&e);
}

/* Evaluation in rule order across the index and the always lists: pass
 * first, alerts in rank order, a flowbit set by an indexed rule seen by a
 * later rule on the same packet. */
static void test_order(void)
{
	char a[160], rules[4096];
	struct detect_env e;
	struct flow f;

	v4list(a, sizeof(a), "1.0.0.", 1, 2, 8);
	snprintf(rules, sizeof(rules),
		 "alert ip [%s] any -> any any (sid:70;)\n"
		 "alert ip any any -> any any (sid:71;)\n"
		 "alert ip [%s] any -> any any (flowbits:set,bad; sid:72;)\n"
		 "alert tcp any any -> any any (flowbits:isset,bad; sid:73;)\n"
		 "alert ip any any -> [%s] any (sid:74;)\n"
		 "pass ip [%s] any -> 8.8.8.8 any (sid:75;)\n", a, a, a, a);
	e = setup(rules, DETECT_ADDR_MIN_RANGES);
	memset(&f, 0, sizeof(f));
	struct packet p = ipp("1.0.0.1", "1.0.0.15");

	in_flow(&p, &f, PKT_TO_SERVER);
	run(&e, &p);
	/* flowbits setters first (Suricata's ordering), then file order */
	CHECK_STR("72,73,70,71,74", alert_sids());
	p = ipp("1.0.0.1", "8.8.8.8");
	run(&e, &p);
	CHECK_STR("", alert_sids());	/* the pass rule comes first */
	p = ipp("1.0.0.2", "8.8.8.8");
	run(&e, &p);
	CHECK_STR("71", alert_sids());
	detect_env_teardown(&e);
}

/* xorshift64: a fixed sequence, so a failure repeats. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* A random address of the small pools the lists draw from, so lists
 * overlap and packets hit them. */
static void rnd_addr(char *buf, size_t len, bool v6)
{
	if (v6)
		snprintf(buf, len, "2001:db8::%x", rnd(512));
	else if (rnd(4) == 0)
		snprintf(buf, len, "10.%u.%u.%u", rnd(4), rnd(4), rnd(256));
	else
		snprintf(buf, len, "1.0.%u.%u", rnd(4), rnd(256));
}

/* A header side: a large list (some with a CIDR, a negated element, mixed
 * families), a negated large list, a small list, a variable or any. */
static size_t rnd_side(char *s, size_t len)
{
	uint32_t kind = rnd(20);
	size_t off = 0;
	char a[64];

	if (kind < 2)
		return (size_t)snprintf(s, len, "any");
	if (kind < 5)
		return (size_t)snprintf(s, len, "$HOME_NET");
	if (kind < 6)
		return (size_t)snprintf(s, len, "$EXTERNAL_NET");
	if (kind < 8) {
		rnd_addr(a, sizeof(a), false);
		return (size_t)snprintf(s, len, "[%s,1.0.0.0/30]", a);
	}
	off += (size_t)snprintf(s + off, len - off, "%s[", kind == 8 ? "!" : "");
	if (kind == 9)
		off += (size_t)snprintf(s + off, len - off, "10.0.0.0/8,!10.1.0.0/16,");
	if (kind == 10)
		off += (size_t)snprintf(s + off, len - off, "1.0.%u.0/24,", rnd(4));
	for (uint32_t i = 0, n = 4 + rnd(40); i < n; i++) {
		rnd_addr(a, sizeof(a), kind == 11 && i % 2);
		off += (size_t)snprintf(s + off, len - off, "%s%s", i ? "," : "", a);
	}
	off += (size_t)snprintf(s + off, len - off, "]");
	return off;
}

static size_t rnd_rule(char *s, size_t len, uint32_t sid)
{
	static const char *const protos[] = { "ip", "ip", "tcp", "udp", "icmp" };
	static const char *const opts[] = {
		"", "", "", "ttl:64; ", "ttl:<100; ", "flow:to_server; ", "content:\"ab\"; ",
		"flowbits:set,fb1; ", "flowbits:isset,fb1; ", "flowbits:set,fb2; ",
		"flowbits:isnotset,fb2; ", "dsize:>1; ",
	};
	uint32_t a = rnd(40), pr = rnd(5);
	size_t off = 0;
	bool ports = pr == 2 || pr == 3;

	off += (size_t)snprintf(s + off, len - off, "%s %s ",
				a == 0 ? "pass" : a == 1 ? "drop" : "alert", protos[pr]);
	off += rnd_side(s + off, len - off);
	off += (size_t)snprintf(s + off, len - off, " %s %s ",
				ports && rnd(4) == 0 ? "1024:" : "any", rnd(6) == 0 ? "<>" : "->");
	off += rnd_side(s + off, len - off);
	off += (size_t)snprintf(s + off, len - off, " %s (%ssid:%u;)\n",
				ports && rnd(3) == 0 ? (rnd(2) ? "80" : "[53,443]") : "any",
				opts[rnd(sizeof(opts) / sizeof(opts[0]))], sid);
	return off;
}

#define EQ_RULES   400
#define EQ_FLOWS   64
#define EQ_PACKETS 40000

struct eq_flow {
	char cli[64], srv[64];
	uint16_t cp, sp;
	uint8_t proto;
	bool v6;
};

static void eq_packet(struct packet *p, const struct eq_flow *fl, bool to_server)
{
	static const char *const payloads[] = { "", "ab", "xxabyy", "zz" };
	const char *pl = payloads[rnd(4)];

	*p = to_server ? pkt(fl->proto, fl->cli, fl->cp, fl->srv, fl->sp)
		       : pkt(fl->proto, fl->srv, fl->sp, fl->cli, fl->cp);
	p->ttl = rnd(2) ? 64 : 128;
	p->payload = (const uint8_t *)pl;
	p->payload_len = (uint32_t)strlen(pl);
	p->l4 = p->payload;
}

/* The two results give the same alerts (sids, order, action) and verdict. */
static bool same_result(const struct detect_result *x, const struct detect_result *y)
{
	bool same = x->nalerts == y->nalerts && x->verdict == y->verdict &&
		    x->alerts_dropped == y->alerts_dropped &&
		    (x->drop_rule ? x->drop_rule->sid : 0) == (y->drop_rule ? y->drop_rule->sid : 0);

	for (uint32_t i = 0; same && i < x->nalerts; i++)
		same = x->alerts[i].rule->sid == y->alerts[i].rule->sid &&
		       x->alerts[i].action == y->alerts[i].action;
	return same;
}

/* Random rules and packets: the same alerts (sids, order, action), verdict
 * and flow state with the index as without it; and without it, the same
 * whether each flow direction keeps its rule group and address tests
 * (struct detect_flow_group) or every packet finds them again, and whether
 * the flow remembers its address sets and headers (struct
 * detect_flow_addr) or not. */
static void test_equivalence(void)
{
	size_t cap = EQ_RULES * 2048, off = 0;
	char *text = malloc(cap);
	struct eq_flow fl[EQ_FLOWS];
	struct flow fa[EQ_FLOWS], fb[EQ_FLOWS], fc[EQ_FLOWS], fd[EQ_FLOWS];
	uint64_t alerts = 0, indexed_hits = 0, mismatches = 0, kept = 0, memo = 0, reversed = 0;
	uint64_t classes = 0;
	struct detect_result ra, rc, rd;
	struct detect_env a, b, d;
	uint32_t nr;
	uint64_t ni;

	CHECK(text != NULL);
	for (uint32_t i = 0; i < EQ_RULES; i++)
		off += rnd_rule(text + off, cap - off, i + 1);
	a = setup(text, DETECT_ADDR_MIN_RANGES);
	b = setup(text, 0);
	d = setup(text, 0);
	free(text);
	/* d: no address set nor header numbered, every set searched and
	 * every header tested (no flow memo) */
	CHECK(b.de->naddr_sets > 1);
	CHECK(b.de->nhdr_classes > 1);
	d.de->naddr_sets = 0;
	d.de->nhdr_classes = 0;
	info(&a, &nr, &ni);
	CHECK(nr > EQ_RULES / 4);
	CHECK(ni > 1000);
	info(&b, &nr, &ni);
	CHECK_INT(0, nr);
	CHECK_INT(0, ni);

	memset(fa, 0, sizeof(fa));
	memset(fb, 0, sizeof(fb));
	memset(fc, 0, sizeof(fc));
	memset(fd, 0, sizeof(fd));
	for (int i = 0; i < EQ_FLOWS; i++) {
		static const uint8_t fp[] = { 6, 6, 17, 1, 58 };

		fl[i].v6 = rnd(5) == 0;
		fl[i].proto = fp[rnd(5)];
		if (fl[i].proto == 58 && !fl[i].v6)
			fl[i].proto = 1;
		if (fl[i].proto == 1 && fl[i].v6)
			fl[i].proto = 58;
		rnd_addr(fl[i].cli, sizeof(fl[i].cli), fl[i].v6);
		if (rnd(2))
			snprintf(fl[i].srv, sizeof(fl[i].srv), "%s",
				 fl[i].v6 ? "2001:db8::1ff" : "192.168.1.1");
		else
			rnd_addr(fl[i].srv, sizeof(fl[i].srv), fl[i].v6);
		fl[i].cp = (uint16_t)(1024 + rnd(100));
		fl[i].sp = rnd(2) ? 80 : 53;
	}
	for (uint32_t n = 0; n < EQ_PACKETS; n++) {
		uint32_t k = rnd(EQ_FLOWS);
		bool ts = rnd(3) != 0, flow = rnd(10) != 0;
		struct packet pa, pb, pc, pd;

		/* a new flow now and then: first packets again, pass and drop undone */
		if (rnd(20) == 0) {
			memset(&fa[k], 0, sizeof(fa[k]));
			memset(&fb[k], 0, sizeof(fb[k]));
			memset(&fc[k], 0, sizeof(fc[k]));
			memset(&fd[k], 0, sizeof(fd[k]));
		} else if (rnd(40) == 0) {
			/* turned around (a midstream pickup's direction corrected):
			 * the server's packets are now the to-server ones */
			struct eq_flow t = fl[k];

			memcpy(fl[k].cli, t.srv, sizeof(t.srv));
			memcpy(fl[k].srv, t.cli, sizeof(t.cli));
			fl[k].cp = t.sp;
			fl[k].sp = t.cp;
			reversed += fb[k].det.addr.known[0] != 0 || fb[k].det.addr.known[1] != 0;
			detect_flow_reverse(&fa[k]);
			detect_flow_reverse(&fb[k]);
			detect_flow_reverse(&fc[k]);
			detect_flow_reverse(&fd[k]);
		}
		eq_packet(&pa, &fl[k], ts);
		pb = pa;
		pc = pa;
		pd = pa;
		if (flow) {
			in_flow(&pa, &fa[k], ts ? PKT_TO_SERVER : PKT_TO_CLIENT);
			in_flow(&pb, &fb[k], ts ? PKT_TO_SERVER : PKT_TO_CLIENT);
			in_flow(&pc, &fc[k], ts ? PKT_TO_SERVER : PKT_TO_CLIENT);
			in_flow(&pd, &fd[k], ts ? PKT_TO_SERVER : PKT_TO_CLIENT);
			kept += fb[k].det.g[pb.dir].serial == b.de->serial;
			memo += fb[k].det.addr.serial == b.de->serial &&
				(fb[k].det.addr.known[0] | fb[k].det.addr.known[1]) != 0;
			classes += fb[k].det.addr.serial == b.de->serial &&
				   (fb[k].det.addr.cls_known[pb.dir] &
				    ~fb[k].det.addr.cls_pass[pb.dir]) != 0;
			memset(fc[k].det.g, 0, sizeof(fc[k].det.g));
			/* c: what each address's sets hold, searched again per packet */
			memset(&fc[k].det.addr, 0, sizeof(fc[k].det.addr));
		}
		{
			struct rank_list l[DETECT_ADDR_LISTS];

			indexed_hits += detect_addr_lists(a.de->addr, &pa, detect_pclass(&pa), true,
							  l) != 0;
		}
		detect_packet(a.dt, &pa, &ra);
		detect_packet(b.dt, &pb, &res);
		detect_packet(b.dt, &pc, &rc);
		detect_packet(d.dt, &pd, &rd);
		alerts += ra.nalerts;
		/* two rulesets parsed from one text: rules compare by sid */
		bool same = same_result(&ra, &res) && same_result(&res, &rc) &&
			    same_result(&res, &rd);

		if (flow)
			same = same && fa[k].flags == fb[k].flags && fb[k].flags == fc[k].flags &&
			       fa[k].detect_flags == fb[k].detect_flags &&
			       fb[k].detect_flags == fc[k].detect_flags &&
			       fa[k].nbits == fb[k].nbits && fb[k].nbits == fc[k].nbits &&
			       fd[k].flags == fb[k].flags && fd[k].nbits == fb[k].nbits;
		if (!same && mismatches++ < 5)
			fprintf(stderr, "packet %u (flow %u): %u alerts with the index, %u without\n",
				n, k, ra.nalerts, res.nalerts);
	}
	CHECK_INT(0, mismatches);
	/* not vacuous: the index was hit and rules fired */
	CHECK(indexed_hits > EQ_PACKETS / 4);
	CHECK(alerts > EQ_PACKETS);
	/* and flows kept their groups (a pass or drop on the flow ends
	 * detection before them, so not on most packets) */
	CHECK(kept > EQ_PACKETS / 20);
	/* and answered address sets from the flows' memo, reversed flows too,
	 * and dropped candidates whose header failed the direction */
	CHECK(memo > EQ_PACKETS / 4);
	CHECK(classes > EQ_PACKETS / 4);
	CHECK(reversed > 20);
	detect_env_teardown(&a);
	detect_env_teardown(&b);
	detect_env_teardown(&d);
}

/* A flow direction keeps its always-checked rules and their address tests
 * (struct detect_flow_group): used by its later packets, not by a fragment
 * (its ports are not trusted), not by another engine (a reload). */
static void test_flow_group(void)
{
	const char *rules = "alert tcp 10.0.0.1 any -> any 80 (ttl:64; sid:1;)\n"
			    "alert tcp any 80 -> 10.0.0.1 any (ttl:64; sid:2;)\n"
			    "alert tcp 10.0.0.9 any -> any 80 (ttl:64; sid:3;)\n";
	struct detect_env e = setup(rules, DETECT_ADDR_MIN_RANGES), e2;
	struct flow f;

	memset(&f, 0, sizeof(f));
	for (int i = 0; i < 3; i++) {
		struct packet ts = pkt(6, "10.0.0.1", 1000, "10.0.0.2", 80);
		struct packet tc = pkt(6, "10.0.0.2", 80, "10.0.0.1", 1000);

		in_flow(&ts, &f, PKT_TO_SERVER);
		in_flow(&tc, &f, PKT_TO_CLIENT);
		run(&e, &ts);
		CHECK_STR("1", alert_sids());
		run(&e, &tc);
		CHECK_STR("2", alert_sids());
	}
	/* kept after the first packet of each direction; rule 3 failed once */
	CHECK(f.det.g[PKT_TO_SERVER].serial == e.de->serial);
	CHECK(f.det.g[PKT_TO_CLIENT].serial == e.de->serial);
	CHECK(f.det.g[PKT_TO_SERVER].hdr_known != 0);
	CHECK((f.det.g[PKT_TO_SERVER].hdr_known & ~f.det.g[PKT_TO_SERVER].hdr_pass) != 0);

	struct packet frag = pkt(6, "10.0.0.1", 1000, "10.0.0.2", 80);

	in_flow(&frag, &f, PKT_TO_SERVER);
	frag.flags |= PKT_F_IPV4_FRAG;
	run(&e, &frag);
	CHECK_STR("", alert_sids());

	e2 = detect_env_setup(NULL, "alert tcp 10.0.0.1 any -> any 80 (ttl:64; sid:7;)\n",
			      "detect_addr");
	struct packet ts = pkt(6, "10.0.0.1", 1000, "10.0.0.2", 80);

	in_flow(&ts, &f, PKT_TO_SERVER);
	detect_packet(e2.dt, &ts, &res);
	CHECK_STR("7", alert_sids());
	CHECK(f.det.g[PKT_TO_SERVER].serial == e2.de->serial);
	detect_env_teardown(&e2);
	detect_env_teardown(&e);
}

/* The group is kept from a direction's first packet (the IP-only rules and
 * the address index's merged beside it); later packets pass over the
 * group's rules whose address test failed, keep those that passed, and
 * still take the index's rules for the flow's addresses. */
static void test_flow_group_first(void)
{
	const char *rules =
		"alert tcp 10.0.0.9 any -> any 80 (ttl:64; sid:1;)\n"
		"alert tcp 10.0.0.1 any -> any 80 (ttl:64; sid:2;)\n"
		"alert tcp 10.0.0.8 any -> any 80 (ttl:64; sid:3;)\n"
		"alert tcp 10.0.0.7 any -> any 80 (ttl:64; sid:4;)\n"
		"alert tcp 10.0.0.1 any -> any 80 (ttl:64; sid:5;)\n"
		"alert ip 10.0.0.1 any -> any any (sid:6;)\n"
		"alert tcp [10.0.0.1,10.1.0.1,10.2.0.1,10.3.0.1,10.4.0.1,10.5.0.1,10.6.0.1,"
		"10.7.0.1] any -> any any (ttl:64; sid:7;)\n"
		"alert tcp 10.0.0.6 any -> any 80 (ttl:64; sid:8;)\n";
	struct detect_env e = setup(rules, DETECT_ADDR_MIN_RANGES);
	struct flow f, f2;

	memset(&f, 0, sizeof(f));
	memset(&f2, 0, sizeof(f2));
	for (int i = 0; i < 3; i++) {
		struct packet ts = pkt(6, "10.0.0.1", 1000, "10.0.0.2", 80);

		in_flow(&ts, &f, PKT_TO_SERVER);
		run(&e, &ts);
		CHECK_STR(i == 0 ? "2,5,6,7" : "2,5,7", alert_sids());
		/* kept from the first packet, the index's answer with it */
		CHECK(f.det.g[PKT_TO_SERVER].serial == e.de->serial);
		CHECK(f.det.g[PKT_TO_SERVER].addr == (i == 0 ? DF_ADDR_UNKNOWN : DF_ADDR_LISTED));
		CHECK_INT(0x3f, f.det.g[PKT_TO_SERVER].hdr_known);
		CHECK_INT(0x12, f.det.g[PKT_TO_SERVER].hdr_pass);
	}
	/* addresses the index lists nothing for: learnt once, not looked up */
	for (int i = 0; i < 2; i++) {
		struct packet ts = pkt(6, "10.0.0.9", 1000, "10.0.0.2", 80);

		in_flow(&ts, &f2, PKT_TO_SERVER);
		run(&e, &ts);
		CHECK_STR("1", alert_sids());
		CHECK(f2.det.g[PKT_TO_SERVER].addr == (i == 0 ? DF_ADDR_UNKNOWN : DF_ADDR_NONE));
	}
	detect_env_teardown(&e);
}

/* The flow's memo of which address sets hold its addresses (struct
 * detect_flow_addr): numbered sets only (used by two rule sides or more),
 * negated ones too; it follows the addresses when the flow is turned around
 * and is not taken for another engine's sets (a reload). */
static void test_addr_memo(void)
{
	const char *rules =
		"alert tcp [10.0.0.0/8] any -> any any (content:\"x\"; sid:1;)\n"
		"alert tcp [10.0.0.0/8] any -> any any (content:\"y\"; sid:2;)\n"
		"alert tcp !$HOME_NET any -> any any (content:\"x\"; sid:3;)\n"
		"alert tcp any any -> !$HOME_NET any (content:\"x\"; sid:4;)\n"
		"alert tcp any any -> $HOME_NET any (content:\"x\"; sid:5;)\n";
	struct detect_env e = setup(rules, DETECT_ADDR_MIN_RANGES), e2;
	struct flow f;

	/* [10.0.0.0/8] (set 0) and !$HOME_NET (set 1) are named twice each,
	 * $HOME_NET once: not numbered */
	CHECK_INT(2, e.de->naddr_sets);
	memset(&f, 0, sizeof(f));
	for (int i = 0; i < 2; i++) {
		struct packet ts = detect_pkt(6, "10.0.0.1", 1000, "8.8.8.8", 80, "x");
		struct packet tc = detect_pkt(6, "8.8.8.8", 80, "10.0.0.1", 1000, "x");

		in_flow(&ts, &f, PKT_TO_SERVER);
		in_flow(&tc, &f, PKT_TO_CLIENT);
		run(&e, &ts);
		CHECK_STR("1,4", alert_sids());
		run(&e, &tc);
		CHECK_STR("3,5", alert_sids());
	}
	CHECK(f.det.addr.serial == e.de->serial);
	/* 10.0.0.1 is in set 0, not in set 1; 8.8.8.8 the other way round */
	CHECK_INT(3, f.det.addr.known[0]);
	CHECK_INT(3, f.det.addr.known[1]);
	CHECK_INT(1, f.det.addr.in[0]);
	CHECK_INT(2, f.det.addr.in[1]);

	/* turned around: 8.8.8.8 is the client now */
	detect_flow_reverse(&f);
	{
		struct packet ts = detect_pkt(6, "8.8.8.8", 80, "10.0.0.1", 1000, "x");
		struct packet tc = detect_pkt(6, "10.0.0.1", 1000, "8.8.8.8", 80, "x");

		in_flow(&ts, &f, PKT_TO_SERVER);
		in_flow(&tc, &f, PKT_TO_CLIENT);
		run(&e, &ts);
		CHECK_STR("3,5", alert_sids());
		run(&e, &tc);
		CHECK_STR("1,4", alert_sids());
	}

	/* another engine: its set 0 is another set; the memo is not its */
	e2 = detect_env_setup(NULL,
			      "alert tcp [192.168.0.0/16] any -> any any (content:\"x\"; sid:7;)\n"
			      "alert tcp [192.168.0.0/16] any -> any any (content:\"y\"; sid:8;)\n",
			      "detect_addr");
	CHECK_INT(1, e2.de->naddr_sets);
	{
		struct packet tc = detect_pkt(6, "10.0.0.1", 1000, "8.8.8.8", 80, "x");

		in_flow(&tc, &f, PKT_TO_CLIENT);
		detect_packet(e2.dt, &tc, &res);
		CHECK_STR("", alert_sids());
		CHECK(f.det.addr.serial == e2.de->serial);
	}
	detect_env_teardown(&e2);
	detect_env_teardown(&e);
}

int main(void)
{
	test_empty();
	test_overlap_nested();
	test_v6_and_ends();
	test_negated();
	test_bidir();
	test_small_side();
	test_narrow_side();
	test_iponly_flow();
	test_flow_group();
	test_flow_group_first();
	test_addr_memo();
	test_order();
	test_equivalence();
	return check_result("detect_addr");
}
