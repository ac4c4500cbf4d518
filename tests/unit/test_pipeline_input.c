/* SPDX-License-Identifier: MIT */
/* A worker polling two ports (an inline pair): its pipeline has two inputs.
 * A packet's records name the port it came in on; a flow's records (flow,
 * netflow) name the port of its first packet, as Suricata's take the
 * flow's live device, whether the flow ends by timeout in the middle of
 * another port's packets or at the end of input, is evicted (the flow
 * table full) by a packet of the other port, or ends by TCP port reuse
 * when a new session on its 5-tuple starts on the other port (the new
 * flow then names that port). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dataplane/decode/pkt_build.h"
#include "dataplane/flow/flow-int.h"
#include "dataplane/pipeline/pipeline.h"
#include "pipeline_fixture.h"

#define T0 1700000000000000ull    /* microseconds */

static struct pipeline *pl;
static uint64_t cnt;

/* One Ethernet + IPv4 + UDP frame from src:sp to dst:dp, run on input in
 * at ts_us; truncate: cut inside the IPv4 header (a decoder rejection). */
static void udp(uint8_t in, const char *src, uint16_t sp, const char *dst, uint16_t dp,
		uint64_t ts_us, bool truncate)
{
	uint8_t f[64] = { 0 };
	union ip_addr s = { 0 }, d = { 0 };
	struct packet p = { 0 };
	size_t ip;

	CHECK_INT(1, inet_pton(AF_INET, src, s.b));
	CHECK_INT(1, inet_pton(AF_INET, dst, d.b));
	f[12] = 0x08;                     /* ethertype IPv4 */
	ip = pkt_ip_header(4, f + 14, &s, &d, 17, 12, false);
	pkt_put16(f + 14 + ip, sp);
	pkt_put16(f + 14 + ip + 2, dp);
	pkt_put16(f + 14 + ip + 4, 12);
	memcpy(f + 14 + ip + 8, "ping", 4);
	p.data = f;
	p.len = p.wire_len = truncate ? 14 + 10 : (uint32_t)(14 + ip + 12);
	p.ts_us = ts_us;
	p.pcap_cnt = ++cnt;
	pipeline_input(pl, in);
	pipeline_packet(pl, &p);
}

/* One Ethernet + IPv4 + TCP frame (flags, seq, ack; no payload) from
 * src:sp to dst:dp, run on input in at ts_us. */
static void tcp(uint8_t in, const char *src, uint16_t sp, const char *dst, uint16_t dp,
		uint8_t flags, uint32_t seq, uint32_t ack, uint64_t ts_us)
{
	uint8_t f[64] = { 0 };
	union ip_addr s = { 0 }, d = { 0 };
	struct packet p = { 0 };
	uint8_t *th;
	size_t ip;

	CHECK_INT(1, inet_pton(AF_INET, src, s.b));
	CHECK_INT(1, inet_pton(AF_INET, dst, d.b));
	f[12] = 0x08;                     /* ethertype IPv4 */
	ip = pkt_ip_header(4, f + 14, &s, &d, 6, 20, false);
	th = f + 14 + ip;
	pkt_put16(th, sp);
	pkt_put16(th + 2, dp);
	pkt_put32(th + 4, seq);
	pkt_put32(th + 8, ack);
	th[12] = 5 << 4;                  /* data offset: 20 bytes */
	th[13] = flags;
	pkt_put16(th + 14, 65535);
	pkt_put16(th + 16, pkt_csum_fold(pkt_csum_add(pkt_pseudo_sum(4, &s, &d, 6, 20), th, 20)));
	p.data = f;
	p.len = p.wire_len = (uint32_t)(14 + ip + 20);
	p.ts_us = ts_us;
	p.pcap_cnt = ++cnt;
	pipeline_input(pl, in);
	pipeline_packet(pl, &p);
}

/* The in_iface of the record of event_type type whose src_port is sp,
 * the nth (0: the first) of them; as iface_of. */
static const char *iface_nth(const char *eve, const char *type, unsigned sp, unsigned nth,
			     char *out, size_t n);

/* The in_iface of the first record of event_type type whose src_port is sp
 * (sp 0: any), "" if it has none, NULL if there is no such record; out
 * holds it. */
static const char *iface_of(const char *eve, const char *type, unsigned sp, char *out,
			    size_t n)
{
	return iface_nth(eve, type, sp, 0, out, n);
}

static const char *iface_nth(const char *eve, const char *type, unsigned sp, unsigned nth,
			     char *out, size_t n)
{
	char want_type[64], want_port[32];
	const char *line = eve;

	snprintf(want_type, sizeof(want_type), "\"event_type\":\"%s\"", type);
	snprintf(want_port, sizeof(want_port), "\"src_port\":%u,", sp);
	while (line != NULL && *line != '\0') {
		const char *end = strchr(line, '\n');
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		char rec[4096];

		snprintf(rec, sizeof(rec), "%.*s", (int)len, line);
		line = end != NULL ? end + 1 : NULL;
		if (strstr(rec, want_type) == NULL || (sp != 0 && strstr(rec, want_port) == NULL))
			continue;
		if (nth-- > 0)
			continue;
		const char *i = strstr(rec, "\"in_iface\":\"");

		out[0] = '\0';
		if (i != NULL)
			snprintf(out, n, "%.*s", (int)strcspn(i + 12, "\""), i + 12);
		return out;
	}
	return NULL;
}

static char dir[] = "/tmp/test_pipeline_input.XXXXXX";

/* A pipeline over ports p0 and p1 (flow.memcap memcap) writing to
 * DIR/name; NULL (reported) when it cannot be made. */
static struct eve_file *start(const char *name, uint64_t memcap)
{
	struct pipeline_config cfg = {
		.flow = { .memcap = memcap, .hash_size = 256 },
		.inputs = { { .iface = "p0" }, { .iface = "p1" } },
		.ninputs = 2,
		.socket = -1,
	};

	return pipeline_fixture_start(&pl, &cfg, dir, name);
}

/* End of input; the records written (caller frees), NULL on failure. */
static char *finish(struct eve_file *ef, const char *name)
{
	return pipeline_fixture_finish(&pl, ef, dir, name);
}

static void test_timeout(void)
{
	struct eve_file *ef = start("timeout.json", 1u << 20);
	char got[64], *eve;

	if (ef == NULL)
		return;
	/* a flow from the client's side, answered on the other port */
	udp(0, "10.0.0.1", 1000, "10.0.0.2", 53, T0, false);
	udp(1, "10.0.0.2", 53, "10.0.0.1", 1000, T0 + 10, false);
	/* one the server's side starts */
	udp(1, "10.0.0.2", 2000, "10.0.0.1", 9999, T0 + 20, false);
	/* one from the client's side, then quiet: it times out while the
	 * worker runs a packet of the other port, a long time later */
	udp(0, "10.0.0.1", 3000, "10.0.0.2", 53, T0 + 30, false);
	udp(1, "10.0.0.2", 4000, "10.0.0.1", 9999, T0 + 600000000ull, false);
	/* a packet of that port once the flow left: its record names its port */
	udp(1, "10.0.0.2", 5000, "10.0.0.1", 9999, T0 + 600000010ull, true);
	eve = finish(ef, "timeout.json");
	if (eve == NULL)
		return;
	CHECK_STR("p0", iface_of(eve, "flow", 1000, got, sizeof(got)));
	CHECK_STR("p1", iface_of(eve, "flow", 2000, got, sizeof(got)));
	CHECK_STR("p0", iface_of(eve, "flow", 3000, got, sizeof(got)));
	CHECK_STR("p1", iface_of(eve, "flow", 4000, got, sizeof(got)));
	/* netflow: both directions' records name the first packet's port */
	CHECK_STR("p0", iface_of(eve, "netflow", 1000, got, sizeof(got)));
	CHECK_STR("p0", iface_of(eve, "netflow", 53, got, sizeof(got)));
	CHECK_STR("p1", iface_of(eve, "anomaly", 0, got, sizeof(got)));
	free(eve);
}

/* The flow table full (flow.memcap: two flows): a packet of p0 evicts the
 * least recently used flow, which p1 started (its record: p1); the flow
 * that takes its slot is p0's, and the next eviction, by a packet of p1,
 * writes that one as p0's. Packets 2 s apart: the flows forced out are no
 * longer alive (a packet within 1 s). */
static void test_eviction(void)
{
	const uint64_t s2 = 2000000ull;
	struct eve_file *ef = start("evict.json", 2 * FLOW_SLOT_SIZE);
	char got[64], *eve;

	if (ef == NULL)
		return;
	udp(1, "10.0.1.2", 6000, "10.0.1.1", 53, T0, false);
	udp(0, "10.0.1.1", 6001, "10.0.1.2", 53, T0 + s2, false);
	CHECK_INT(0, flow_table_stats(pl->ft)->get_used);
	udp(0, "10.0.1.1", 6002, "10.0.1.2", 53, T0 + 2 * s2, false);   /* evicts 6000 */
	CHECK_INT(1, flow_table_stats(pl->ft)->get_used);
	udp(1, "10.0.1.2", 6003, "10.0.1.1", 53, T0 + 3 * s2, false);   /* evicts 6001 */
	udp(1, "10.0.1.2", 6004, "10.0.1.1", 53, T0 + 4 * s2, false);   /* evicts 6002 */
	CHECK_INT(3, flow_table_stats(pl->ft)->get_used);
	eve = finish(ef, "evict.json");
	if (eve == NULL)
		return;
	CHECK(strstr(eve, "\"src_port\":6000,") != NULL &&
	      strstr(eve, "\"reason\":\"forced\"") != NULL);
	CHECK_STR("p1", iface_of(eve, "flow", 6000, got, sizeof(got)));
	CHECK_STR("p0", iface_of(eve, "flow", 6001, got, sizeof(got)));
	CHECK_STR("p0", iface_of(eve, "flow", 6002, got, sizeof(got)));
	CHECK_STR("p1", iface_of(eve, "flow", 6003, got, sizeof(got)));
	CHECK_STR("p1", iface_of(eve, "flow", 6004, got, sizeof(got)));
	CHECK_STR("p1", iface_of(eve, "netflow", 6000, got, sizeof(got)));
	CHECK_STR("p0", iface_of(eve, "netflow", 6002, got, sizeof(got)));
	free(eve);
}

/* A TCP session on p0 closes; a new one on the same 5-tuple starts on p1
 * (a SYN on the closed flow: port reuse ends the old flow there): the old
 * flow's record names p0, the new one's p1. Then again, back on p0. */
static void test_port_reuse(void)
{
	struct eve_file *ef = start("reuse.json", 1u << 20);
	const char *c = "10.0.2.1", *s = "10.0.2.2";
	char got[64], *eve;
	uint64_t t = T0;

	if (ef == NULL)
		return;
	for (unsigned k = 0; k < 3; k++) {
		uint8_t in = k % 2 == 0 ? 0 : 1;
		uint32_t cs = 1000 + 100000 * k, ss = 5000 + 100000 * k;

		tcp(in, c, 7000, s, 80, TCP_SYN, cs, 0, t += 10);
		tcp(in ^ 1, s, 80, c, 7000, TCP_SYN | TCP_ACK, ss, cs + 1, t += 10);
		tcp(in, c, 7000, s, 80, TCP_ACK, cs + 1, ss + 1, t += 10);
		tcp(in, c, 7000, s, 80, TCP_FIN | TCP_ACK, cs + 1, ss + 1, t += 10);
		tcp(in ^ 1, s, 80, c, 7000, TCP_FIN | TCP_ACK, ss + 1, cs + 2, t += 10);
		tcp(in, c, 7000, s, 80, TCP_ACK, cs + 2, ss + 2, t += 10);
	}
	CHECK_INT(2, flow_table_stats(pl->ft)->tcp_reused);
	eve = finish(ef, "reuse.json");
	if (eve == NULL)
		return;
	CHECK_STR("p0", iface_nth(eve, "flow", 7000, 0, got, sizeof(got)));
	CHECK_STR("p1", iface_nth(eve, "flow", 7000, 1, got, sizeof(got)));
	CHECK_STR("p0", iface_nth(eve, "flow", 7000, 2, got, sizeof(got)));
	CHECK(iface_nth(eve, "flow", 7000, 3, got, sizeof(got)) == NULL);
	free(eve);
}

int main(void)
{
	CHECK(mkdtemp(dir) != NULL);
	test_timeout();
	test_eviction();
	test_port_reuse();
	rmdir(dir);
	return check_result("pipeline_input");
}
