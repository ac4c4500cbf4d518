/* SPDX-License-Identifier: MIT */
/* Unit tests for dataplane/detect/detect_hdrclass.c: which rule headers get
 * a number (equal content, two rules or more, no Snort 3 services), and the
 * flow's bits per number and direction (struct detect_flow_addr): a
 * candidate whose header failed the direction is dropped from later
 * packets' candidates, never on a fragment (its ports are not the flow's),
 * the bits follow a turned-around flow and belong to one engine. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dataplane/detect/detect-int.h"
#include "dataplane/flow/flow-t.h"
#include "detect_fixture.h"

static struct detect_result res;

/* The header number of the rule with sid. */
static uint8_t class_of(const struct detect_engine *de, uint32_t sid)
{
	for (uint32_t i = 0; i < de->nrules; i++)
		if (de->rules[i].r->sid == sid)
			return de->rules[i].hdr_class;
	CHECK(!"no such sid");
	return DETECT_HDR_CLASS_NONE;
}

static void test_numbering(void)
{
	const char *rules =
		"alert tcp $HOME_NET any -> $EXTERNAL_NET 80 (content:\"ab\"; sid:1;)\n"
		"alert tcp $HOME_NET any -> $EXTERNAL_NET 80 (content:\"cd\"; sid:2;)\n"
		"alert tcp $HOME_NET any -> $EXTERNAL_NET [80] (content:\"ef\"; sid:3;)\n"
		"alert udp $HOME_NET any -> $EXTERNAL_NET 80 (content:\"ab\"; sid:4;)\n"
		"alert tcp $HOME_NET any -> $EXTERNAL_NET 81 (content:\"ab\"; sid:5;)\n"
		"alert tcp $HOME_NET any <> $EXTERNAL_NET 80 (content:\"ab\"; sid:6;)\n"
		"alert tcp $HOME_NET any <> $EXTERNAL_NET 80 (content:\"cd\"; sid:7;)\n"
		"alert tcp any any -> any any (content:\"ab\"; sid:8;)\n"
		"alert tcp any any -> any any (content:\"cd\"; sid:9;)\n"
		"alert tcp any any -> any 21 (content:\"USER\",nocase; service:ftp; sid:10;)\n"
		"alert tcp any any -> any 21 (content:\"USER\",nocase; service:ftp; sid:11;)\n";
	struct detect_env e = detect_env_setup(NULL, rules, "detect_hdrclass");

	/* the most used first; the protocol is no part of a header (the
	 * packet's decides, with the ports) */
	CHECK_INT(0, class_of(e.de, 1));
	CHECK_INT(0, class_of(e.de, 2));
	CHECK_INT(0, class_of(e.de, 3));
	CHECK_INT(0, class_of(e.de, 4));
	/* named once */
	CHECK_INT(DETECT_HDR_CLASS_NONE, class_of(e.de, 5));
	/* <> is another header; then "any" on both sides */
	CHECK_INT(1, class_of(e.de, 6));
	CHECK_INT(1, class_of(e.de, 7));
	CHECK_INT(2, class_of(e.de, 8));
	CHECK_INT(2, class_of(e.de, 9));
	/* services stand for the ports on a flow of theirs: never answered */
	CHECK_INT(DETECT_HDR_CLASS_NONE, class_of(e.de, 10));
	CHECK_INT(DETECT_HDR_CLASS_NONE, class_of(e.de, 11));
	CHECK_INT(3, e.de->nhdr_classes);
	detect_env_teardown(&e);
}

static void in_flow(struct packet *p, struct flow *f, enum pkt_dir dir)
{
	p->flow = f;
	p->flags |= PKT_F_HAS_FLOW;
	p->dir = dir;
	p->flow_flags = dir == PKT_TO_SERVER ? PKT_FLOW_TOSERVER : PKT_FLOW_TOCLIENT;
}

static const char *alert_sids(void)
{
	return detect_result_sids(&res);
}

/* p (payload "abcd") from src:sp to dst:dp in f's direction dir: its
 * alerts, and in *cand the prefilter candidates it took. */
static const char *run(struct detect_env *e, struct flow *f, enum pkt_dir dir, const char *src,
		       uint16_t sp, const char *dst, uint16_t dp, uint16_t flags,
		       uint64_t *cand)
{
	struct packet p = detect_pkt(6, src, sp, dst, dp, "abcd");
	uint64_t before = detect_thread_stats(e->dt)->candidates;

	in_flow(&p, f, dir);
	p.flags |= flags;
	detect_packet(e->dt, &p, &res);
	*cand = detect_thread_stats(e->dt)->candidates - before;
	return alert_sids();
}

/* Client 10.0.0.1:1000, server 8.8.8.8:80. */
#define TS(e, f, flags, c) run(e, f, PKT_TO_SERVER, "10.0.0.1", 1000, "8.8.8.8", 80, flags, c)
#define TC(e, f, flags, c) run(e, f, PKT_TO_CLIENT, "8.8.8.8", 80, "10.0.0.1", 1000, flags, c)

static void test_flow(void)
{
	/* header 0: from 10/8 to port 80; header 1: to 10/8 */
	const char *rules =
		"alert tcp 10.0.0.0/8 any -> any 80 (content:\"ab\"; sid:1;)\n"
		"alert tcp 10.0.0.0/8 any -> any 80 (content:\"cd\"; sid:2;)\n"
		"alert tcp any any -> 10.0.0.0/8 any (content:\"ab\"; sid:3;)\n"
		"alert tcp any any -> 10.0.0.0/8 any (content:\"cd\"; sid:4;)\n";
	/* the same, the other header named more often: numbered first */
	const char *rules2 =
		"alert tcp 10.0.0.0/8 any -> any 80 (content:\"ab\"; sid:1;)\n"
		"alert tcp 10.0.0.0/8 any -> any 80 (content:\"cd\"; sid:2;)\n"
		"alert tcp any any -> 10.0.0.0/8 any (content:\"ab\"; sid:3;)\n"
		"alert tcp any any -> 10.0.0.0/8 any (content:\"cd\"; sid:4;)\n"
		"alert tcp any any -> 10.0.0.0/8 any (content:\"zz\"; sid:5;)\n";
	struct detect_env e = detect_env_setup(NULL, rules, "detect_hdrclass"), e2;
	struct flow f;
	uint64_t c;

	CHECK_INT(2, e.de->nhdr_classes);
	memset(&f, 0, sizeof(f));
	/* first packet: every candidate, each header tested once */
	CHECK_STR("1,2", TS(&e, &f, 0, &c));
	CHECK_INT(4, c);
	CHECK(f.det.addr.serial == e.de->serial);
	CHECK_INT(3, f.det.addr.cls_known[PKT_TO_SERVER]);
	CHECK_INT(1, f.det.addr.cls_pass[PKT_TO_SERVER]);
	/* later: header 1's rules are no candidates */
	CHECK_STR("1,2", TS(&e, &f, 0, &c));
	CHECK_INT(2, c);
	/* the other direction has its own answers */
	CHECK_STR("3,4", TC(&e, &f, 0, &c));
	CHECK_INT(4, c);
	CHECK_STR("3,4", TC(&e, &f, 0, &c));
	CHECK_INT(2, c);
	CHECK_INT(3, f.det.addr.cls_known[PKT_TO_CLIENT]);
	CHECK_INT(2, f.det.addr.cls_pass[PKT_TO_CLIENT]);
	/* a fragment's ports are not trusted: port 80 fails it, whatever the
	 * flow's bits say; and they are not its to learn */
	CHECK_STR("", TS(&e, &f, PKT_F_IPV4_FRAG | PKT_F_REASSEMBLED, &c));
	CHECK_INT(4, c);
	CHECK_INT(1, f.det.addr.cls_pass[PKT_TO_SERVER]);

	/* turned around: 8.8.8.8 is the client, its packets the to-server ones
	 * (to port 1000: sids 1 and 2 are not in that port's prefilter) */
	detect_flow_reverse(&f);
	CHECK_INT(2, f.det.addr.cls_pass[PKT_TO_SERVER]);
	CHECK_STR("3,4", run(&e, &f, PKT_TO_SERVER, "8.8.8.8", 80, "10.0.0.1", 1000, 0, &c));
	CHECK_INT(2, c);
	CHECK_STR("1,2", run(&e, &f, PKT_TO_CLIENT, "10.0.0.1", 1000, "8.8.8.8", 80, 0, &c));
	CHECK_INT(2, c);

	/* another engine numbers the headers the other way round: the flow's
	 * bits are not its */
	e2 = detect_env_setup(NULL, rules2, "detect_hdrclass");
	CHECK_INT(1, class_of(e2.de, 1));
	CHECK_INT(0, class_of(e2.de, 3));
	CHECK_STR("1,2", run(&e2, &f, PKT_TO_CLIENT, "10.0.0.1", 1000, "8.8.8.8", 80, 0, &c));
	CHECK_INT(4, c);
	CHECK(f.det.addr.serial == e2.de->serial);
	CHECK_INT(3, f.det.addr.cls_known[PKT_TO_CLIENT]);
	CHECK_INT(2, f.det.addr.cls_pass[PKT_TO_CLIENT]);
	CHECK_STR("1,2", run(&e2, &f, PKT_TO_CLIENT, "10.0.0.1", 1000, "8.8.8.8", 80, 0, &c));
	CHECK_INT(2, c);
	detect_env_teardown(&e2);
	detect_env_teardown(&e);
}

int main(void)
{
	test_numbering();
	test_flow();
	return check_result("detect_hdrclass");
}
