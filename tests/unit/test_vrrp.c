/* SPDX-License-Identifier: MIT */
/* VRRPv3: the advert encoder (checksum against a value computed by hand),
 * the RFC 5798 §7.1 validator with one crafted packet per discard reason,
 * the state machine on a real loop with recording ops, and the config's
 * time parsing and script word splitting. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "control/config/ctl_conf.h"
#include "control/loop/loop.h"
#include "control/notify/spawn.h"
#include "control/vrrp/vrrp_fsm.h"
#include "control/vrrp/vrrp_pkt.h"
#include "control/vrrp/vrrp_sock.h"

static union ip_addr a4(const char *s)
{
	union ip_addr a;

	memset(&a, 0, sizeof(a));
	inet_pton(AF_INET, s, a.b);
	return a;
}

/* A full IPv4 datagram: 20-byte header + advert for 192.0.2.100. */
static size_t make_pkt(uint8_t *p, uint8_t ttl, uint8_t vrid, uint8_t prio, const char *src)
{
	union ip_addr s = a4(src), d = a4("224.0.0.18"), vip = a4("192.0.2.100");
	int n;

	memset(p, 0, 20);
	p[0] = 0x45;
	p[8] = ttl;
	p[9] = VRRP_PROTO;
	memcpy(p + 12, s.b, 4);
	memcpy(p + 16, d.b, 4);
	n = vrrp_build(p + 20, 64, AF_INET, vrid, prio, 100, &vip, 1, &s, &d);
	p[2] = 0;
	p[3] = (uint8_t)(20 + n);
	return 20 + (size_t)n;
}

static void test_build(void)
{
	union ip_addr s = a4("10.0.0.1"), d = a4("224.0.0.18"), vip = a4("192.0.2.100");
	uint8_t b[64];
	int n = vrrp_build(b, sizeof(b), AF_INET, 51, 150, 100, &vip, 1, &s, &d);

	CHECK_INT(12, n);
	CHECK_INT(0x31, b[0]);		/* version 3, type 1 */
	CHECK_INT(51, b[1]);
	CHECK_INT(150, b[2]);
	CHECK_INT(1, b[3]);
	CHECK_INT(0, b[4]);
	CHECK_INT(100, b[5]);		/* Max Adver Int, centiseconds */
	CHECK_INT(0x8b, b[6]);		/* checksum computed independently */
	CHECK_INT(0x72, b[7]);
	CHECK_INT(0, vrrp_csum(AF_INET, &s, &d, b, 12));
	CHECK_INT(-EINVAL, vrrp_build(b, sizeof(b), AF_INET, 51, 150, 4096, &vip, 1, &s, &d));
	CHECK_INT(-EINVAL, vrrp_build(b, 8, AF_INET, 51, 150, 100, &vip, 1, &s, &d));
}

struct rxrec {
	int calls;
	uint8_t prio;
};

static struct vrrp_rx_conf rxconf;
static struct rxrec rxrec;

static void on_rx(void *arg, const struct vrrp_rx *rx)
{
	struct vrrp_advert adv;
	enum vrrp_drop d = vrrp_check_instance(rx, &rxconf, &adv);
	struct vrrp_sock *s = arg;

	if (d != VRRP_RX_OK) {
		s->drops[d]++;
		return;
	}
	rxrec.calls++;
	rxrec.prio = adv.priority;
}

/* Feed a datagram through the socket's input path; return the reason it
 * was dropped (VRRP_RX_OK if it reached the instance). */
static enum vrrp_drop feed(struct vrrp_sock *s, const uint8_t *p, size_t len)
{
	uint64_t before[VRRP_DROP__MAX];
	struct vrrp_rx rx;
	int calls = rxrec.calls;

	memcpy(before, s->drops, sizeof(before));
	if (vrrp_rx_from_ip4(p, len, &rx) != VRRP_RX_OK)
		return VRRP_DROP_IP_HDR;
	vrrp_sock_input(s, &rx);
	for (int d = 1; d < VRRP_DROP__MAX; d++)
		if (s->drops[d] != before[d])
			return (enum vrrp_drop)d;
	return rxrec.calls == calls + 1 ? VRRP_RX_OK : VRRP_DROP__MAX;
}

static void test_validator(void)
{
	static struct vrrp_sock s;
	union ip_addr vip = a4("192.0.2.100"), self = a4("10.0.0.2"), peer = a4("10.0.0.9");
	uint8_t p[128];
	size_t n;

	memset(&s, 0, sizeof(s));
	vrrp_sock_register(&s, 51, on_rx, &s);
	rxconf = (struct vrrp_rx_conf){ .vrid = 51, .priority = 100, .nvip = 1, .vips = &vip,
					.self = &self };

	n = make_pkt(p, 255, 51, 150, "10.0.0.1");
	CHECK_INT(VRRP_RX_OK, feed(&s, p, n));
	CHECK_INT(150, rxrec.prio);
	/* Ethernet padding after the datagram: IPv4 total length bounds it */
	memset(p + n, 0, 6);
	CHECK_INT(VRRP_RX_OK, feed(&s, p, n + 6));
	CHECK_INT(2, rxrec.calls);

	CHECK_INT(VRRP_DROP_IP_HDR, feed(&s, p, 19));
	p[9] = 17;
	CHECK_INT(VRRP_DROP_IP_HDR, feed(&s, p, n));

	n = make_pkt(p, 254, 51, 150, "10.0.0.1");
	CHECK_INT(VRRP_DROP_TTL, feed(&s, p, n));

	n = make_pkt(p, 255, 51, 150, "10.0.0.1");
	p[20] = 0x21;			/* version 2 */
	CHECK_INT(VRRP_DROP_VERSION, feed(&s, p, n));

	n = make_pkt(p, 255, 51, 150, "10.0.0.1");
	p[20] = 0x32;			/* type 2 */
	CHECK_INT(VRRP_DROP_TYPE, feed(&s, p, n));

	n = make_pkt(p, 255, 51, 150, "10.0.0.1");
	CHECK_INT(VRRP_DROP_LENGTH, feed(&s, p, 20 + 7));	/* no fixed header */
	p[3] = 20 + 8;
	CHECK_INT(VRRP_DROP_LENGTH, feed(&s, p, 20 + 8));	/* address missing */

	n = make_pkt(p, 255, 51, 150, "10.0.0.1");
	p[20 + 7] ^= 1;
	CHECK_INT(VRRP_DROP_CHECKSUM, feed(&s, p, n));

	n = make_pkt(p, 255, 52, 150, "10.0.0.1");
	CHECK_INT(VRRP_DROP_VRID, feed(&s, p, n));

	n = make_pkt(p, 255, 51, 150, "10.0.0.1");
	rxconf.priority = 255;
	CHECK_INT(VRRP_DROP_OWNER, feed(&s, p, n));
	rxconf.priority = 100;

	n = make_pkt(p, 255, 51, 150, "10.0.0.2");
	CHECK_INT(VRRP_DROP_LOOP, feed(&s, p, n));

	/* a different address list from a non-owner MUST be dropped ... */
	{
		union ip_addr other = a4("192.0.2.200");

		rxconf.vips = &other;
		n = make_pkt(p, 255, 51, 150, "10.0.0.1");
		CHECK_INT(VRRP_DROP_ADDRS, feed(&s, p, n));
		/* ... but the owner's is processed */
		n = make_pkt(p, 255, 51, 255, "10.0.0.1");
		CHECK_INT(VRRP_RX_OK, feed(&s, p, n));
		rxconf.vips = &vip;
	}

	rxconf.npeer = 1;
	rxconf.peers = &peer;
	n = make_pkt(p, 255, 51, 150, "10.0.0.1");
	CHECK_INT(VRRP_DROP_PEER, feed(&s, p, n));
	n = make_pkt(p, 255, 51, 150, "10.0.0.9");
	CHECK_INT(VRRP_RX_OK, feed(&s, p, n));
	rxconf.npeer = 0;

	/* every reason was counted exactly where it was seen */
	CHECK_INT(2, s.drops[VRRP_DROP_LENGTH]);
	CHECK_INT(1, s.drops[VRRP_DROP_CHECKSUM]);
	CHECK_STR("checksum", vrrp_drop_name(VRRP_DROP_CHECKSUM));
}

/* ---- state machine ---- */

struct fsmrec {
	int adverts;
	uint8_t last_prio;
	int up, down;
	enum vrrp_state states[16];
	enum vrrp_reason why[16];
	int n;
};

static void f_send(struct vrrp_inst *vi, uint8_t prio)
{
	struct fsmrec *r = vi->ops_arg;

	r->adverts++;
	r->last_prio = prio;
}

static void f_up(struct vrrp_inst *vi)
{
	((struct fsmrec *)vi->ops_arg)->up++;
}

static void f_down(struct vrrp_inst *vi)
{
	((struct fsmrec *)vi->ops_arg)->down++;
}

static void f_trans(struct vrrp_inst *vi, enum vrrp_state from, enum vrrp_reason why)
{
	struct fsmrec *r = vi->ops_arg;

	(void)from;
	r->states[r->n] = vi->state;
	r->why[r->n++] = why;
}

static const struct vrrp_ops fops = { f_send, f_up, f_down, f_trans };

static void stop_at(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	loop_stop(l);
}

static void run_for(struct loop *l, uint64_t us)
{
	loop_timer_add(l, us, stop_at, NULL);
	loop_run(l);
}

static void init_inst(struct vrrp_inst *vi, struct loop *l, struct fsmrec *r, uint8_t prio,
		      bool preempt)
{
	union ip_addr self = a4("10.0.0.2");

	memset(vi, 0, sizeof(*vi));
	memset(r, 0, sizeof(*r));
	snprintf(vi->conf.name, sizeof(vi->conf.name), "t");
	vi->conf.vrid = 51;
	vi->conf.priority = prio;
	vi->conf.adver_int_cs = 1;	/* 10 ms: the test runs quickly */
	vi->conf.preempt = preempt;
	vrrp_inst_init(vi, l, AF_INET, &self, &fops, r);
}

static void test_fsm(void)
{
	struct loop *l = loop_new();
	struct vrrp_inst vi;
	struct fsmrec r;
	struct vrrp_advert adv = { .vrid = 51, .priority = 200, .adver_int_cs = 1 };

	/* §6.1 arithmetic: priority 100, interval 1 s */
	init_inst(&vi, l, &r, 100, true);
	vi.master_adver_int_cs = 100;
	CHECK_INT(609375, vrrp_skew_us(&vi));		/* 156 * 1 s / 256 */
	CHECK_INT(3609375, vrrp_master_down_us(&vi));
	vi.master_adver_int_cs = 1;

	/* Startup -> Backup; no adverts -> Master after Master_Down_Interval */
	vrrp_startup(&vi);
	CHECK_INT(VRRP_BACKUP, vi.state);
	CHECK_INT(VRRP_WHY_STARTUP, r.why[0]);
	run_for(l, 20000);
	CHECK_INT(VRRP_BACKUP, vi.state);		/* 36 ms not yet elapsed */
	run_for(l, 40000);
	CHECK_INT(VRRP_MASTER, vi.state);
	CHECK_INT(VRRP_WHY_MASTER_DOWN, r.why[1]);
	CHECK_INT(1, r.up);
	CHECK(r.adverts >= 2);

	/* higher priority advert -> Backup, VIPs released */
	adv.src = a4("10.0.0.1");
	vrrp_advert_in(&vi, &adv);
	CHECK_INT(VRRP_BACKUP, vi.state);
	CHECK_INT(VRRP_WHY_HIGHER_PRIO, r.why[2]);
	CHECK_INT(1, r.down);
	/* priority 0: take over after Skew_Time only */
	adv.priority = 0;
	vrrp_advert_in(&vi, &adv);
	run_for(l, 15000);
	CHECK_INT(VRRP_MASTER, vi.state);
	CHECK_INT(VRRP_WHY_PEER_STOPPED, r.why[3]);

	/* tie on priority: the higher address wins (§6.4.3) */
	adv.priority = 100;
	adv.src = a4("10.0.0.1");
	vrrp_advert_in(&vi, &adv);
	CHECK_INT(VRRP_MASTER, vi.state);
	adv.src = a4("10.0.0.3");
	vrrp_advert_in(&vi, &adv);
	CHECK_INT(VRRP_BACKUP, vi.state);

	/* Shutdown from Master sends priority 0 */
	vrrp_admin(&vi, 1);
	CHECK_INT(VRRP_MASTER, vi.state);
	CHECK_INT(254, vi.eff_priority);
	vrrp_admin(&vi, 0);
	vrrp_shutdown(&vi);
	CHECK_INT(VRRP_INIT, vi.state);
	CHECK_INT(0, r.last_prio);
	CHECK_INT(1, (int)vi.cnt.prio0_tx);
	loop_free(l);
}

static void test_fsm_preempt_tracking(void)
{
	struct loop *l = loop_new();
	struct vrrp_inst vi;
	struct fsmrec r;
	struct vrrp_advert low = { .vrid = 51, .priority = 50, .adver_int_cs = 1 };

	/* preempt: a lower master's adverts are discarded -> we take over */
	init_inst(&vi, l, &r, 100, true);
	vrrp_startup(&vi);
	for (int i = 0; i < 6; i++) {
		vrrp_advert_in(&vi, &low);
		run_for(l, 10000);
	}
	CHECK_INT(VRRP_MASTER, vi.state);
	vrrp_shutdown(&vi);

	/* nopreempt: the same adverts keep us backup */
	init_inst(&vi, l, &r, 100, false);
	vrrp_startup(&vi);
	for (int i = 0; i < 6; i++) {
		vrrp_advert_in(&vi, &low);
		run_for(l, 10000);
	}
	CHECK_INT(VRRP_BACKUP, vi.state);

	/* tracking: weight below the peer changes nothing while backup; a
	 * zero-weight failure is FAULT, and clearing it is a Startup */
	vrrp_set_tracking(&vi, -20, 0);
	CHECK_INT(80, vi.eff_priority);
	vrrp_set_tracking(&vi, 0, 1);
	CHECK_INT(VRRP_FAULT, vi.state);
	vrrp_set_tracking(&vi, 0, 0);
	CHECK_INT(VRRP_BACKUP, vi.state);
	CHECK_INT(VRRP_WHY_FAULT_CLEARED, vi.last_reason);
	vrrp_set_tracking(&vi, -500, 0);
	CHECK_INT(1, vi.eff_priority);
	vrrp_shutdown(&vi);

	/* the owner is master at Startup and ignores tracking */
	init_inst(&vi, l, &r, 255, true);
	vrrp_startup(&vi);
	CHECK_INT(VRRP_MASTER, vi.state);
	CHECK_INT(VRRP_WHY_OWNER, vi.last_reason);
	vrrp_set_tracking(&vi, -100, 0);
	CHECK_INT(255, vi.eff_priority);
	vrrp_shutdown(&vi);
	loop_free(l);
}

static void test_parsers(void)
{
	uint16_t cs = 0;
	uint64_t us = 0;
	char buf[128];
	char *argv[SPAWN_MAX_ARGS + 1];

	CHECK_INT(0, ctl_parse_centisec("0.01", &cs));
	CHECK_INT(1, cs);
	CHECK_INT(0, ctl_parse_centisec("1", &cs));
	CHECK_INT(100, cs);
	CHECK_INT(0, ctl_parse_centisec("40.95", &cs));
	CHECK_INT(4095, cs);
	CHECK_INT(-EINVAL, ctl_parse_centisec("0.005", &cs));
	CHECK_INT(-EINVAL, ctl_parse_centisec("41", &cs));
	CHECK_INT(-EINVAL, ctl_parse_centisec("0", &cs));
	CHECK_INT(-EINVAL, ctl_parse_centisec("1s", &cs));
	CHECK_INT(0, ctl_parse_seconds_us("2.5", &us));
	CHECK_INT(2500000, us);

	CHECK_INT(3, spawn_split("/bin/echo 'a b' \"c\"", buf, sizeof(buf), argv));
	CHECK_STR("/bin/echo", argv[0]);
	CHECK_STR("a b", argv[1]);
	CHECK_STR("c", argv[2]);
	CHECK(argv[3] == NULL);
	CHECK_INT(-EINVAL, spawn_split("/bin/echo 'open", buf, sizeof(buf), argv));
	CHECK_INT(-EINVAL, spawn_split("   ", buf, sizeof(buf), argv));
}

static void test_conf(void)
{
	static const char ok[] =
		"vrrp:\n"
		"  scripts:\n"
		"    chk: { script: /bin/true, interval: 0.2, weight: -30, fall: 2 }\n"
		"  instances:\n"
		"    - name: VI_1\n"
		"      interface: ha0\n"
		"      virtual_router_id: 51\n"
		"      priority: 150\n"
		"      advert_int: 0.01\n"
		"      nopreempt: true\n"
		"      virtual_ipaddress: [192.0.2.100/24, 192.0.2.101]\n"
		"      track_script: [chk, \"chk weight -50\"]\n"
		"      track_interface: [eth1]\n"
		"dataplane:\n"
		"  telemetry: none\n";
	static struct ctl_conf cc;
	struct conf *c = conf_new();
	char err[256];

	CHECK_INT(0, conf_load_string(c, "t.yaml", ok, err, sizeof(err)));
	CHECK_INT(0, ctl_conf_read(c, &cc, err, sizeof(err)));
	CHECK_INT(1, cc.ninst);
	CHECK_INT(1, cc.inst[0].vrrp.adver_int_cs);
	CHECK(!cc.inst[0].vrrp.preempt);
	CHECK_INT(2, cc.inst[0].nvip);
	CHECK_INT(24, cc.inst[0].vips[0].prefix);
	CHECK_INT(32, cc.inst[0].vips[1].prefix);
	CHECK_INT(-30, cc.inst[0].track_script[0].weight);
	CHECK_INT(-50, cc.inst[0].track_script[1].weight);
	CHECK_INT(200000, cc.scripts[0].interval_us);
	CHECK(cc.telemetry == NULL);
	conf_free(c);

	c = conf_new();
	CHECK_INT(0, conf_load_string(c, "bad.yaml",
				      "vrrp:\n  instances:\n    - name: x\n      interface: a\n"
				      "      virtual_router_id: 256\n"
				      "      virtual_ipaddress: [1.2.3.4]\n", err, sizeof(err)));
	CHECK_INT(-EINVAL, ctl_conf_read(c, &cc, err, sizeof(err)));
	CHECK(strstr(err, "bad.yaml:5:") != NULL);
	CHECK(strstr(err, "between 1 and 255") != NULL);
	conf_free(c);
}

int main(void)
{
	test_build();
	test_validator();
	test_fsm();
	test_fsm_preempt_tracking();
	test_parsers();
	test_conf();
	return check_result("vrrp");
}
