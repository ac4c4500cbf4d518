/* SPDX-License-Identifier: MIT */
/* Flow expiry as the pipeline drives it while traffic runs: flows time out
 * about when their timeout ends, however many new flows a second of packet
 * time brings, and what one packet pays for expiry stays bounded. */
#include <string.h>

#include "check.h"
#include "dataplane/decode/pkt_build.h"
#include "dataplane/pipeline/pipeline.h"

#define S  1000000ull
#define T0 (1700000000ull * S)

static uint64_t cnt;

/* One Ethernet + IPv4 + UDP frame from 10.0.0.0 + host to 192.0.2.1:53,
 * source port sp, run at ts_us. */
static void udp(struct pipeline *pl, uint32_t host, uint16_t sp, uint64_t ts_us)
{
	uint8_t f[64] = { 0 };
	union ip_addr s = { .b = { 10, (uint8_t)(host >> 16), (uint8_t)(host >> 8), (uint8_t)host } };
	union ip_addr d = { .b = { 192, 0, 2, 1 } };
	struct packet p = { 0 };
	size_t ip;

	f[12] = 0x08;                     /* ethertype IPv4 */
	ip = pkt_ip_header(4, f + 14, &s, &d, 17, 8 + 4, false);
	pkt_put16(f + 14 + ip, sp);
	pkt_put16(f + 14 + ip + 2, 53);
	pkt_put16(f + 14 + ip + 4, 8 + 4);
	memcpy(f + 14 + ip + 8, "ping", 4);
	p.data = f;
	p.len = p.wire_len = (uint32_t)(14 + ip + 8 + 4);
	p.ts_us = ts_us;
	p.pcap_cnt = ++cnt;
	pipeline_packet(pl, &p);
}

static struct pipeline *make(uint64_t memcap)
{
	struct pipeline_config cfg = {
		.flow = { .memcap = memcap, .hash_size = 1u << 15 },
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
	CHECK_INT(0, fs->evicted);
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

int main(void)
{
	test_rate();
	test_budget();
	test_clock_back();
	return check_result("pipeline_expiry");
}
