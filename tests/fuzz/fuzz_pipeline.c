/* SPDX-License-Identifier: MIT */
/* Fuzz target for one worker's whole per-packet path: decode -> defrag ->
 * flow -> stream -> app-layer -> detect (a small ruleset on HTTP, TLS and
 * DNS buffers) -> EVE (to /dev/null or $FUZZ_EVE, payloads and app fields
 * included). Four pipelines (IDS or inline, midstream or not: bits 0-1 of
 * the input's length) live across inputs, as building one costs more than
 * most inputs; each input starts an hour after the last and ends with
 * every flow flushed, so what one input leaves behind has expired before
 * the next starts, and a saved input replays alone.
 *
 * Input: records. Header byte h: h >> 6 picks what follows
 *   0, 1  a TCP segment of flow 0 (port 80) or 1 (port 443): bit 5 the
 *         direction, then a flags byte, a length byte and the payload;
 *         sequence and ack numbers follow the bytes sent (bit 4: the
 *         segment reuses the previous sequence number, a retransmission
 *         or an overlap)
 *   2     a UDP datagram of flow 2 (port 53): bit 5 the direction, a
 *         length byte, the payload
 *   3     a raw Ethernet frame: a 2-byte length, the frame
 * and h & 0xf moves the clock: 0xf jumps two minutes (flows and fragments
 * time out), otherwise h & 0xf milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "dataplane/pipeline/pipeline.h"
#include "rules/rules.h"

static const char rules_text[] =
	"alert http any any -> any any (msg:\"uri\"; flow:established,to_server; http.uri; "
	"content:\"/admin\"; nocase; http.host; content:\"example\"; sid:1;)\n"
	"alert http any any -> any any (msg:\"body\"; http.response_body; content:\"secret\"; "
	"pcre:\"/s(e|3)cret\\d+/R\"; flowbits:set,leak; sid:2;)\n"
	"alert http any any -> any any (msg:\"ua\"; http.user_agent; to_lowercase; "
	"content:\"curl\"; http.header; content:\"X-Forwarded-For\"; sid:3;)\n"
	"alert tls any any -> any any (msg:\"sni\"; tls.sni; content:\".example.com\"; endswith; "
	"sid:4;)\n"
	"alert tls any any -> any any (msg:\"ja3\"; ja3.string; content:\"771,\"; startswith; "
	"sid:5;)\n"
	"alert dns any any -> any any (msg:\"query\"; dns.query; content:\"evil\"; sid:6;)\n"
	"alert tcp any any -> any any (msg:\"bytes\"; flow:established; content:\"|00 01|\"; "
	"byte_test:2,>,1000,0,relative; byte_jump:1,0,relative; isdataat:2,relative; sid:7;)\n"
	"alert tcp any any -> any any (msg:\"flowbit\"; flowbits:isset,leak; content:\"GET\"; "
	"sid:8;)\n"
	"alert ip any any -> any any (msg:\"frag\"; fragbits:M; "
	"threshold:type limit, track by_src, "
	"count 1, seconds 60; sid:9;)\n"
	"alert udp any any -> any 53 (msg:\"dns raw\"; content:\"|03|www\"; dsize:>12; sid:10;)\n"
	"drop tcp any any -> any any (msg:\"drop\"; content:\"DROPME\"; sid:11;)\n";

static struct {
	struct rule_env *env;
	struct ruleset *rs;
	struct detect_engine *de;
	struct eve_file *eve;
	struct pipeline *pl[4];
	uint64_t ts;
} g;

static void setup(void)
{
	char path[] = "/tmp/fuzz_pipeline_XXXXXX";
	char err[256] = "";
	int fd = mkstemp(path);
	FILE *devnull = fopen("/dev/null", "w");

	if (fd < 0 || devnull == NULL ||
	    write(fd, rules_text, sizeof(rules_text) - 1) != (ssize_t)sizeof(rules_text) - 1)
		abort();
	close(fd);
	g.env = rule_env_new();
	g.rs = ruleset_new();
	if (g.env == NULL || g.rs == NULL)
		abort();
	rule_env_set_default_vars(g.env);
	if (ruleset_load_file(g.rs, g.env, path, stderr) != 0 || g.rs->nfailed != 0)
		abort();
	unlink(path);
	ruleset_finalize(g.rs, devnull);
	fclose(devnull);
	g.de = detect_engine_build(g.rs, err, sizeof(err));
	/* FUZZ_EVE names a file to see what the inputs raise */
	g.eve = eve_file_open(getenv("FUZZ_EVE") ? getenv("FUZZ_EVE") : "/dev/null", err,
			      sizeof(err));
	if (g.de == NULL || g.eve == NULL) {
		fprintf(stderr, "fuzz_pipeline: %s\n", err);
		abort();
	}
}

static void fini(void)
{
	for (int i = 0; i < 4; i++)
		pipeline_destroy(g.pl[i]);
	eve_file_close(g.eve);
	detect_engine_free(g.de);
	ruleset_free(g.rs);
	rule_env_free(g.env);
	memset(&g, 0, sizeof(g));
}

struct tcp_flow {
	uint16_t sport, dport;
	uint32_t seq[2], last[2];
};

static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

/* Ethernet + IPv4 (client 10.0.0.1, server 10.0.0.2) + transport header
 * template; returns the length before the payload. */
static size_t build_ip(uint8_t *f, bool to_client, uint8_t proto, size_t l4_len)
{
	size_t tot = 20 + l4_len;

	memcpy(f, mac, 12);
	f[12] = 0x08;
	f[13] = 0x00;
	f = f + 14;
	memset(f, 0, 20);
	f[0] = 0x45;
	f[2] = (uint8_t)(tot >> 8);
	f[3] = (uint8_t)tot;
	f[8] = 64;
	f[9] = proto;
	f[12] = 10, f[15] = to_client ? 2 : 1;
	f[16] = 10, f[19] = to_client ? 1 : 2;
	return 34;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void send(struct pipeline *pl, const uint8_t *f, size_t len, uint64_t ts, uint64_t *cnt)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct packet p;

	if (copy == NULL)
		abort();
	memcpy(copy, f, len);
	memset(&p, 0, sizeof(p));
	p.data = copy;
	p.len = p.wire_len = (uint32_t)len;
	p.ts_us = ts;
	p.pcap_cnt = ++*cnt;
	pipeline_packet(pl, &p);
	free(copy);
}

static struct pipeline *pipeline_get(unsigned int mode)
{
	struct pipeline_config cfg = {
		.flow = { .memcap = 1u << 20, .hash_size = 256, .midstream = mode & 1 },
		.defrag = { .memcap = 1u << 20, .trackers = 16 },
		.stream = { .memcap = 1u << 20, .reassembly_memcap = 1u << 20,
			    .inline_mode = mode & 2 },
		.de = g.de,
		.nrules = g.rs->n,
		.ips = mode & 2,
		.eve = g.eve,
		.eve_opt = { .payload = true, .packet = true, .flow = true, .pcap_cnt = true,
			     .drop = true,
			     .xff = { .enabled = true, .header = "X-Forwarded-For" } },
		.inputs = { { .iface = "fuzz0" } },
		.ninputs = 1,
		.socket = -1,
	};

	if (g.pl[mode] == NULL && (g.pl[mode] = pipeline_create(&cfg, (uint16_t)mode)) == NULL)
		abort();
	return g.pl[mode];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcp_flow tf[2] = { { 40000, 80, { 1000, 5000 }, { 1000, 5000 } },
				  { 40001, 443, { 7000, 9000 }, { 7000, 9000 } } };
	static uint8_t frame[14 + 20 + 20 + 256];
	struct pipeline *pl;
	uint64_t ts, cnt = 0;
	size_t off = 0;

	if (g.de == NULL) {
		setup();
		g.ts = 1700000000000000ull;
	}
	pl = pipeline_get(size & 3);
	g.ts += 3600000000ull;
	ts = g.ts;
	pipeline_idle(pl, ts);
	while (off < size) {
		uint8_t h = data[off++];
		bool to_client = h & 0x20;
		size_t n, hl;

		ts += (h & 0xf) == 0xf ? 120000000ull : (h & 0xfu) * 1000u;
		if ((h & 0xf) == 0xf)
			pipeline_idle(pl, ts);
		if (h >> 6 == 3) {
			if (size - off < 2)
				break;
			n = (size_t)data[off] << 8 | data[off + 1];
			off += 2;
			n = n < size - off ? n : size - off;
			send(pl, data + off, n, ts, &cnt);
			off += n;
		} else if (h >> 6 == 2) {
			if (off >= size)
				break;
			n = data[off++];
			n = n < size - off ? n : size - off;
			hl = build_ip(frame, to_client, 17, 8 + n);
			put16(frame + hl, to_client ? 53 : 40002);
			put16(frame + hl + 2, to_client ? 40002 : 53);
			put16(frame + hl + 4, (uint32_t)(8 + n));
			put16(frame + hl + 6, 0);
			memcpy(frame + hl + 8, data + off, n);
			send(pl, frame, hl + 8 + n, ts, &cnt);
			off += n;
		} else {
			struct tcp_flow *t = &tf[h >> 6];
			int d = to_client;
			uint8_t flags;
			uint32_t seq;

			if (size - off < 2)
				break;
			flags = data[off++];
			n = data[off++];
			n = n < size - off ? n : size - off;
			seq = h & 0x10 ? t->last[d] : t->seq[d];
			hl = build_ip(frame, to_client, 6, 20 + n);
			put16(frame + hl, to_client ? t->dport : t->sport);
			put16(frame + hl + 2, to_client ? t->sport : t->dport);
			put32(frame + hl + 4, seq);
			put32(frame + hl + 8, t->seq[!d]);
			frame[hl + 12] = 0x50;
			frame[hl + 13] = flags;
			put16(frame + hl + 14, 65535);
			put32(frame + hl + 16, 0);
			memcpy(frame + hl + 20, data + off, n);
			send(pl, frame, hl + 20 + n, ts, &cnt);
			off += n;
			t->last[d] = seq;
			t->seq[d] = seq + (uint32_t)n + !!(flags & (TCP_SYN | TCP_FIN));
		}
	}
	pipeline_finish(pl, 0);
	if (ts > g.ts)
		g.ts = ts;
	return 0;
}

/* ---- seeds ------------------------------------------------------------ */

struct enc {
	uint8_t b[8192];
	size_t len;
};

static void tcp_bin(struct enc *e, int flow, bool to_client, uint8_t flags, const uint8_t *p,
		    size_t n)
{
	if (e->len + 3 + n > sizeof(e->b) || n > 255)
		return;
	e->b[e->len++] = (uint8_t)(flow << 6 | (to_client ? 0x20 : 0) | 1);
	e->b[e->len++] = flags;
	e->b[e->len++] = (uint8_t)n;
	memcpy(e->b + e->len, p, n);
	e->len += n;
}

static void tcp(struct enc *e, int flow, bool to_client, uint8_t flags, const char *s)
{
	tcp_bin(e, flow, to_client, flags, (const uint8_t *)(s ? s : ""), s ? strlen(s) : 0);
}

static void handshake(struct enc *e, int flow)
{
	tcp(e, flow, false, TCP_SYN, NULL);
	tcp(e, flow, true, TCP_SYN | TCP_ACK, NULL);
	tcp(e, flow, false, TCP_ACK, NULL);
}

static void udp(struct enc *e, bool to_client, const uint8_t *p, size_t n)
{
	e->b[e->len++] = (uint8_t)(2 << 6 | (to_client ? 0x20 : 0) | 2);
	e->b[e->len++] = (uint8_t)n;
	memcpy(e->b + e->len, p, n);
	e->len += n;
}

static void raw(struct enc *e, const uint8_t *p, size_t n)
{
	e->b[e->len++] = (uint8_t)(3 << 6 | 1);
	e->b[e->len++] = (uint8_t)(n >> 8);
	e->b[e->len++] = (uint8_t)n;
	memcpy(e->b + e->len, p, n);
	e->len += n;
}

static const uint8_t client_hello[] = {
	0x16, 0x03, 0x01, 0x00, 0x4b, 0x01, 0x00, 0x00, 0x47, 0x03, 0x03,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
	0x00, 0x00, 0x02, 0xc0, 0x2f, 0x01, 0x00, 0x00, 0x1c,
	0x00, 0x00, 0x00, 0x14, 0x00, 0x12, 0x00, 0x00, 0x0f,
	'w', 'w', 'w', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
	0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
};
static const uint8_t dns_query[] = {
	0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 4, 'e', 'v', 'i', 'l', 3, 'c', 'o', 'm', 0, 0x00, 0x01, 0x00, 0x01,
};
static const uint8_t dns_answer[] = {
	0xab, 0xcd, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 4, 'e', 'v', 'i', 'l', 3, 'c', 'o', 'm', 0, 0x00, 0x01, 0x00, 0x01,
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7,
};

/* Two IPv4 fragments of one UDP datagram to port 53 (a DNS query). */
static size_t frag(uint8_t *f, bool first)
{
	static const uint8_t udp_dns[8 + 16] = {
		0x9c, 0x42, 0x00, 0x35, 0x00, 0x18, 0x00, 0x00,
		0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 1, 'x', 0, 0,
	};
	size_t hl = build_ip(f, false, 17, first ? 16 : 8);

	f[14 + 4] = 0x77;
	f[14 + 6] = first ? 0x20 : 0x00;
	f[14 + 7] = first ? 0x00 : 0x02;
	memcpy(f + hl, udp_dns + (first ? 0 : 16), first ? 16 : 8);
	return hl + (first ? 16 : 8);
}

static void seeds(fuzz_add_fn add)
{
	static struct enc e;
	uint8_t f[128];
	size_t n;

	e.len = 0;
	handshake(&e, 0);
	tcp(&e, 0, false, TCP_ACK | TCP_PSH,
	    "GET /Admin/x?a=1 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Curl/8\r\n"
	    "X-Forwarded-For: 192.0.2.9\r\n\r\n");
	tcp(&e, 0, true, TCP_ACK | TCP_PSH,
	    "HTTP/1.1 200 OK\r\nContent-Length: 16\r\nContent-Type: text/plain\r\n\r\n");
	tcp(&e, 0, true, TCP_ACK | TCP_PSH, "secret12 DROPME ");
	tcp(&e, 0, false, TCP_ACK | TCP_PSH, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
	tcp(&e, 0, false, TCP_ACK | TCP_FIN, NULL);
	tcp(&e, 0, true, TCP_ACK | TCP_FIN, NULL);
	add(e.b, e.len);

	e.len = 0;
	handshake(&e, 1);
	tcp_bin(&e, 1, false, TCP_ACK | TCP_PSH, client_hello, 40);
	tcp_bin(&e, 1, false, TCP_ACK | TCP_PSH, client_hello + 40, sizeof(client_hello) - 40);
	tcp(&e, 1, true, TCP_ACK, NULL);
	tcp(&e, 1, false, TCP_RST, NULL);
	udp(&e, false, dns_query, sizeof(dns_query));
	udp(&e, true, dns_answer, sizeof(dns_answer));
	add(e.b, e.len);

	/* midstream, a retransmission overlapping with other bytes, a gap */
	e.len = 0;
	tcp(&e, 0, false, TCP_ACK | TCP_PSH, "POST /admin HTTP/1.1\r\nHost: example\r\n");
	e.b[e.len++] = 0x10 | 1;
	e.b[e.len++] = TCP_ACK | TCP_PSH;
	e.b[e.len++] = 12;
	memcpy(e.b + e.len, "POST /other ", 12);
	e.len += 12;
	tcp(&e, 0, false, TCP_ACK | TCP_PSH, "Content-Length: 4\r\n\r\n\x00\x01\x04\x00");
	add(e.b, e.len);

	e.len = 0;
	n = frag(f, true);
	raw(&e, f, n);
	n = frag(f, false);
	raw(&e, f, n);
	e.b[e.len++] = 0x0f;	/* two minutes pass */
	n = frag(f, false);
	raw(&e, f, n);
	add(e.b, e.len);
}

/* A capture file: its frames as raw records, a millisecond apart, as many
 * as fit; BSD loopback frames (DLT_NULL, 0) get an Ethernet header. */
static void pcap_seed(fuzz_add_fn add, uint32_t linktype, const uint8_t *const *frame,
		      const uint32_t *len, size_t n)
{
	static struct enc e;
	uint8_t f[14 + 1600];

	e.len = 0;
	for (size_t i = 0; i < n && e.len + 3 + len[i] + 10 <= sizeof(e.b); i++) {
		if (linktype == 1) {
			raw(&e, frame[i], len[i]);
		} else if (linktype == 0 && len[i] > 4 && len[i] - 4 <= sizeof(f) - 14) {
			memcpy(f, mac, 12);
			f[12] = (frame[i][4] >> 4) == 6 ? 0x86 : 0x08;
			f[13] = (frame[i][4] >> 4) == 6 ? 0xdd : 0x00;
			memcpy(f + 14, frame[i] + 4, len[i] - 4);
			raw(&e, f, len[i] + 10);
		}
	}
	if (e.len > 0)
		add(e.b, e.len);
}

const struct fuzz_target fuzz_target = {
	.name = "pipeline",
	.max_len = 8192,
	.seeds = seeds,
	.pcap = pcap_seed,
	.fini = fini,
};
