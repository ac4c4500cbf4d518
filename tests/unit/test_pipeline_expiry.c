/* SPDX-License-Identifier: MIT */
/* Flow expiry as the pipeline drives it while traffic runs: flows time out
 * about when their timeout ends, however many new flows a second of packet
 * time brings, and what one packet pays for expiry stays bounded. */
#include <string.h>

#include "check.h"
#include "dataplane/decode/pkt_build.h"
#include "dataplane/flow/flow-int.h"
#include "dataplane/pipeline/pipeline.h"

#define S  1000000ull
#define T0 (1700000000ull * S)

static uint64_t cnt;

/* One Ethernet + IPv4 frame from 10.0.0.0 + host to 192.0.2.1, run at
 * ts_us: UDP to port 53 ("ping"), or a TCP SYN to port 80, from source
 * port sp. */
static void frame(struct pipeline *pl, bool syn, uint32_t host, uint16_t sp, uint64_t ts_us)
{
	uint8_t f[64] = { 0 };
	union ip_addr s = { .b = { 10, (uint8_t)(host >> 16), (uint8_t)(host >> 8), (uint8_t)host } };
	union ip_addr d = { .b = { 192, 0, 2, 1 } };
	const uint32_t l4 = syn ? 20 : 8 + 4;
	struct packet p = { 0 };
	uint8_t *t;

	f[12] = 0x08;                     /* ethertype IPv4 */
	t = f + 14 + pkt_ip_header(4, f + 14, &s, &d, syn ? 6 : 17, l4, false);
	pkt_put16(t, sp);
	if (syn) {
		pkt_put16(t + 2, 80);
		pkt_put32(t + 4, host);   /* sequence number */
		t[12] = 5 << 4;           /* header length: 20 */
		t[13] = TCP_SYN;
		pkt_put16(t + 14, 65535);
	} else {
		pkt_put16(t + 2, 53);
		pkt_put16(t + 4, 8 + 4);
		memcpy(t + 8, "ping", 4);
	}
	p.data = f;
	p.len = p.wire_len = (uint32_t)(t + l4 - f);
	p.ts_us = ts_us;
	p.pcap_cnt = ++cnt;
	pipeline_packet(pl, &p);
}

static void udp(struct pipeline *pl, uint32_t host, uint16_t sp, uint64_t ts_us)
{
	frame(pl, false, host, sp, ts_us);
}

static struct pipeline *make(uint64_t memcap)
{
	struct pipeline_config cfg = {
		.flow = { .memcap = memcap, .hash_size = 1u << 15,
			  .prealloc = FLOW_PREALLOC_DEFAULT },
		.socket = -1,
	};

	cfg.flow.to[FLOW_PC_UDP].new_s = 1;
	return pipeline_create(&cfg, 0);
}

/* 5 new flows per millisecond for 4 s, one packet each, UDP new timeout
 * 1 s, a memcap of room for about 9,000: the flows of the last second are
 * alive, all older ones timed out, none was forced out. (Expiry that let
 * 64 flows go per second of packet time filled the memcap in two seconds
 * and forced out a flow for every new one after.) */
static void test_rate(void)
{
	const unsigned per_ms = 5, ms = 4000, n = per_ms * ms;
	struct pipeline *pl = make(4u << 20);
	const struct flow_stats *fs;
	uint64_t peak = 0;

	CHECK(pl != NULL);
	if (pl == NULL)
		return;
	fs = flow_table_stats(pl->ft);
	for (unsigned i = 0; i < n; i++) {
		udp(pl, i, 1024, T0 + (uint64_t)i * (1000 / per_ms));
		if (fs->active > peak)
			peak = fs->active;
	}
	CHECK_INT(n, fs->created);
	CHECK_INT(0, fs->emerg_entered);
	/* alive: those of the last second, and what one look may leave */
	CHECK(fs->active <= per_ms * 1000 + 2 * per_ms);
	CHECK(peak <= per_ms * 1000 + 2 * per_ms);
	CHECK_INT(n, fs->timed_out + fs->active);
	pipeline_finish(pl, 0);
	CHECK_INT(0, fs->active);
	pipeline_destroy(pl);
}

/* 1,000 flows due at once: the first look after their timeout (a
 * millisecond of packet time later at most) and each packet after it
 * release PIPELINE_EXPIRE_BUDGET of them, no more, until none is left. */
static void test_budget(void)
{
	const unsigned burst = 1000, gap = 10;
	struct pipeline *pl = make(0);
	const struct flow_stats *fs;
	unsigned pkts = 0, looks = 0;
	uint64_t ts = T0 + S;

	CHECK(pl != NULL);
	if (pl == NULL)
		return;
	fs = flow_table_stats(pl->ft);
	for (unsigned i = 0; i < burst; i++)
		udp(pl, i, 2048, T0);
	/* one flow that stays alive carries the packets after */
	udp(pl, burst, 2048, ts);
	CHECK_INT(0, fs->timed_out);
	while (fs->timed_out == 0 && pkts <= 1000 / gap) {
		udp(pl, burst, 2048, ts += gap);
		pkts++;
	}
	CHECK_INT(PIPELINE_EXPIRE_BUDGET, fs->timed_out);
	while (fs->timed_out < burst && looks < burst) {
		uint64_t before = fs->timed_out;

		udp(pl, burst, 2048, ts += gap);
		looks++;
		CHECK(fs->timed_out - before <= PIPELINE_EXPIRE_BUDGET);
		CHECK(fs->timed_out > before);
	}
	CHECK_INT(burst, fs->timed_out);
	CHECK_INT((burst + PIPELINE_EXPIRE_BUDGET - 1) / PIPELINE_EXPIRE_BUDGET - 1, looks);
	CHECK_INT(1, fs->active);
	pipeline_finish(pl, 0);
	pipeline_destroy(pl);
}

/* A packet from before the newest (a capture whose clock goes back) runs
 * no look, even after a look that ran out of budget: the time flows are
 * judged by did not move, and the flow it starts (idle past its timeout
 * by that time already) lives on to its next packet. */
static void test_clock_back(void)
{
	const unsigned burst = 2 * PIPELINE_EXPIRE_BUDGET + 1;
	struct pipeline *pl = make(0);
	const struct flow_stats *fs;
	uint64_t ts = T0 + 2 * S;

	CHECK(pl != NULL);
	if (pl == NULL)
		return;
	fs = flow_table_stats(pl->ft);
	for (unsigned i = 0; i < burst; i++)
		udp(pl, i, 4096, T0);
	/* the first look after their timeout: the budget's worth */
	udp(pl, burst, 4096, ts);
	CHECK_INT(PIPELINE_EXPIRE_BUDGET, fs->timed_out);
	/* two packets from long ago: no look, the old flow stays */
	udp(pl, burst + 1, 4096, T0 - 10 * S);
	udp(pl, burst + 1, 4096, T0 - 10 * S + 1);
	CHECK_INT(PIPELINE_EXPIRE_BUDGET, fs->timed_out);
	CHECK_INT(burst + 2, fs->created);
	/* a packet at the newest time looks again (the budget ran out) */
	udp(pl, burst, 4096, ts);
	CHECK_INT(2 * PIPELINE_EXPIRE_BUDGET, fs->timed_out);
	pipeline_finish(pl, 0);
	pipeline_destroy(pl);
}

/* A link gone quiet with 5,000 flows due: each housekeeping call releases
 * PIPELINE_IDLE_BUDGET of them at most and says whether more may be due,
 * so the worker calls again at once (dataplane/worker) and the table is
 * empty after ceil(5000 / budget) calls, not after that many idle periods
 * (one call per 100 ms released 2,560 flows a second). */
static void test_idle_drain(void)
{
	const unsigned n = 5000;
	struct pipeline *pl = make(0);
	const struct flow_stats *fs;
	unsigned calls = 0;
	bool more = true;

	CHECK(pl != NULL);
	if (pl == NULL)
		return;
	fs = flow_table_stats(pl->ft);
	for (unsigned i = 0; i < n; i++)
		udp(pl, i, 3000, T0);
	CHECK_INT(n, fs->active);
	while (more && calls <= n) {
		uint64_t before = fs->timed_out;

		more = pipeline_idle(pl, T0 + 2 * S);
		calls++;
		CHECK(fs->timed_out - before <= PIPELINE_IDLE_BUDGET);
		CHECK_INT(more, fs->timed_out - before == PIPELINE_IDLE_BUDGET);
	}
	CHECK_INT((n + PIPELINE_IDLE_BUDGET - 1) / PIPELINE_IDLE_BUDGET, calls);
	CHECK_INT(n, fs->timed_out);
	CHECK_INT(0, fs->active);
	/* nothing due: one call, nothing more */
	CHECK(!pipeline_idle(pl, T0 + 3 * S));
	pipeline_destroy(pl);
}

/* A SYN flood (3,000 SYNs, one a millisecond) over a flow.memcap of 1,000
 * flows, then one UDP flow's datagram a millisecond: the table enters
 * emergency mode once; a flow is forced out only once it is no longer
 * alive (Suricata 7's StillAlive: a new flow had a packet within 1 s, in
 * whole seconds), so the SYNs of the second second get no flow and those
 * of the third force the first second's out; the flood's flows time out
 * at TCP emergency-new (5 s after their SYN, where 60 s is the normal
 * timeout); once the memcap has room again (more than 30 % of the 1,000
 * flows) for 30 checks a quarter second apart, the mode is over and the
 * normal timeouts are back. */
static void test_syn_flood(void)
{
	const unsigned flood = 3000;
	struct pipeline *pl = make(1000 * FLOW_SLOT_SIZE);
	const struct flow_stats *fs;
	uint64_t ts = T0;

	CHECK(pl != NULL);
	if (pl == NULL)
		return;
	fs = flow_table_stats(pl->ft);
	for (unsigned i = 0; i < flood; i++, ts += 1000)
		frame(pl, true, i, (uint16_t)(1024 + i % 60000), ts);
	CHECK_INT(2000, fs->created);
	CHECK_INT(1, fs->emerg_entered);
	CHECK(flow_table_emergency(pl->ft));
	CHECK_INT(1000, fs->get_used_failed);
	CHECK_INT(1000, fs->get_used);
	CHECK_INT(1000, fs->active);
	/* the datagrams' flow starts once the third second's SYN flows are
	 * no longer alive (forcing one out); 5 s and a little after the last
	 * SYN only it is left */
	for (; ts <= T0 + (flood + 5100) * 1000ull; ts += 1000)
		udp(pl, 1u << 20, 5000, ts);
	CHECK_INT(1, fs->active);
	CHECK_INT(1000 + 1, fs->get_used);
	CHECK_INT(1000 + 1000, fs->get_used_failed);
	CHECK_INT(1000 - 1, fs->timed_out);
	CHECK(flow_table_emergency(pl->ft));
	CHECK_INT(0, fs->emerg_over);
	/* room since about 7.3 s: over 7.25 s later */
	for (; ts <= T0 + 15 * S; ts += 1000)
		udp(pl, 1u << 20, 5000, ts);
	CHECK(!flow_table_emergency(pl->ft));
	CHECK_INT(1, fs->emerg_over);
	CHECK_INT(1, fs->emerg_entered);
	CHECK_INT(60 * S, pl->ft->to_us[FLOW_PC_TCP][FLOW_TO_NEW]);
	pipeline_finish(pl, 0);
	pipeline_destroy(pl);
}

int main(void)
{
	test_rate();
	test_budget();
	test_clock_back();
	test_idle_drain();
	test_syn_flood();
	return check_result("pipeline_expiry");
}
