/* SPDX-License-Identifier: MIT */
/* A worker polling two ports (an inline pair): its pipeline has two inputs.
 * A packet's records name the port it came in on; a flow's records (flow,
 * netflow) name the port of its first packet, as Suricata's take the
 * flow's live device, whether the flow ends by timeout in the middle of
 * another port's packets or at the end of input. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dataplane/decode/pkt_build.h"
#include "dataplane/pipeline/pipeline.h"

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

/* The in_iface of the first record of event_type type whose src_port is sp
 * (sp 0: any), "" if it has none, NULL if there is no such record; out
 * holds it. */
static const char *iface_of(const char *eve, const char *type, unsigned sp, char *out,
			    size_t n)
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
		const char *i = strstr(rec, "\"in_iface\":\"");

		out[0] = '\0';
		if (i != NULL)
			snprintf(out, n, "%.*s", (int)strcspn(i + 12, "\""), i + 12);
		return out;
	}
	return NULL;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

int main(void)
{
	char dir[] = "/tmp/test_pipeline_input.XXXXXX", path[128], err[256], got[64];
	struct eve_file *ef;
	char *eve;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/eve.json", dir);
	ef = eve_file_open(path, err, sizeof(err));
	CHECK(ef != NULL);
	if (ef == NULL)
		return check_result("pipeline_input");
	struct pipeline_config cfg = {
		.flow = { .memcap = 1u << 20, .hash_size = 256 },
		.eve = ef,
		.inputs = { { .iface = "p0" }, { .iface = "p1" } },
		.ninputs = 2,
		.socket = -1,
	};
	pl = pipeline_create(&cfg, 0);
	CHECK(pl != NULL);
	if (pl == NULL)
		return check_result("pipeline_input");

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
	pipeline_finish(pl, 0);
	pipeline_destroy(pl);
	eve_file_close(ef);

	eve = slurp(path);
	CHECK(eve != NULL);
	if (eve == NULL)
		return check_result("pipeline_input");
	CHECK_STR("p0", iface_of(eve, "flow", 1000, got, sizeof(got)));
	CHECK_STR("p1", iface_of(eve, "flow", 2000, got, sizeof(got)));
	CHECK_STR("p0", iface_of(eve, "flow", 3000, got, sizeof(got)));
	CHECK_STR("p1", iface_of(eve, "flow", 4000, got, sizeof(got)));
	/* netflow: both directions' records name the first packet's port */
	CHECK_STR("p0", iface_of(eve, "netflow", 1000, got, sizeof(got)));
	CHECK_STR("p0", iface_of(eve, "netflow", 53, got, sizeof(got)));
	CHECK_STR("p1", iface_of(eve, "anomaly", 0, got, sizeof(got)));
	free(eve);
	unlink(path);
	rmdir(dir);
	return check_result("pipeline_input");
}
