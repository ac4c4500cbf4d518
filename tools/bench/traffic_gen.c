/* SPDX-License-Identifier: MIT */
/* Synthetic traffic: deterministic (fixed seed), valid IPv4 headers with
 * checksums; L4 checksums are left zero (the engine checks them only with
 * -k all, which the benchmark does not set). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "traffic-int.h"

#define GEN_T0_US 1700000000000000ull   /* 2023-11-14: any fixed epoch */
#define HTTP_FLOWS_DEFAULT 50000u       /* the size of the reference capture */
#define STRESS_FLOWS_DEFAULT 1048576u
#define SMALL_FRAMES_DEFAULT 1000000u
#define HTTP_RESP_HDR_LEN 123u        /* the response header below, with its blank line */
#define SMALL_FLOWS 1024u               /* 64-byte and IMIX traffic spread over these */

struct tuple {
	uint32_t src, dst;       /* host order */
	uint16_t sp, dp;
};

struct gen {
	struct traffic *t;
	uint64_t ts_us;
	uint64_t rng;
	uint8_t frame[1600];
};

static uint32_t rnd(struct gen *g)
{
	/* xorshift64*: fast, and the same bytes on every run */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return (uint32_t)((g->rng * 2685821657736338717ull) >> 32);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t ip_csum(const uint8_t *h, unsigned len)
{
	uint32_t s = 0;

	for (unsigned i = 0; i < len; i += 2)
		s += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet + IPv4 header for proto and an L4 of l4len bytes; returns the L4 offset. */
static unsigned put_eth_ip(struct gen *g, const struct tuple *tu, uint8_t proto, unsigned l4len)
{
	static const uint8_t mac[12] = { 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01 };
	uint8_t *f = g->frame, *ip = f + 14;

	memcpy(f, mac, sizeof(mac));
	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(20 + l4len));
	put16(ip + 4, (uint16_t)rnd(g));
	put16(ip + 6, 0x4000);  /* DF */
	ip[8] = 64;
	ip[9] = proto;
	put16(ip + 10, 0);
	put32(ip + 12, tu->src);
	put32(ip + 16, tu->dst);
	put16(ip + 10, ip_csum(ip, 20));
	return 34;
}

static int emit(struct gen *g, unsigned len, unsigned gap_us)
{
	g->ts_us += gap_us;
	return traffic_add(g->t, g->frame, len, len, g->ts_us);
}

static int udp_frame(struct gen *g, const struct tuple *tu, unsigned frame_len)
{
	unsigned l4 = frame_len - 34, off = put_eth_ip(g, tu, 17, l4);
	uint8_t *u = g->frame + off;

	put16(u, tu->sp);
	put16(u + 2, tu->dp);
	put16(u + 4, (uint16_t)l4);
	put16(u + 6, 0);
	for (unsigned i = 8; i < l4; i++)
		u[i] = (uint8_t)rnd(g);
	return emit(g, frame_len, 1);
}

static int tcp_frame(struct gen *g, const struct tuple *tu, uint32_t seq, uint32_t ack,
		     uint8_t flags, const void *payload, unsigned plen)
{
	unsigned off = put_eth_ip(g, tu, 6, 20 + plen);
	uint8_t *th = g->frame + off;

	put16(th, tu->sp);
	put16(th + 2, tu->dp);
	put32(th + 4, seq);
	put32(th + 8, ack);
	th[12] = 5 << 4;
	th[13] = flags;
	put16(th + 14, 64240);
	put16(th + 16, 0);
	put16(th + 18, 0);
	if (plen > 0)
		memcpy(th + 20, payload, plen);
	return emit(g, off + 20 + plen, 20);
}

static struct tuple small_tuple(uint32_t i)
{
	return (struct tuple){ .src = 0x0a000000u | (i & 0xffff), .dst = 0xc0000201u,
			       .sp = (uint16_t)(10000 + i), .dp = 53 };
}

static int gen_small(struct gen *g, uint64_t n, bool imix)
{
	/* simple IMIX: 7 x 64, 4 x 594, 1 x 1518 bytes on the wire (FCS included) */
	static const unsigned imix_len[12] = {
		60, 60, 60, 60, 60, 60, 60, 590, 590, 590, 590, 1514,
	};
	int ret = 0;

	for (uint64_t i = 0; i < n && ret == 0; i++) {
		struct tuple tu = small_tuple((uint32_t)(i % SMALL_FLOWS));

		ret = udp_frame(g, &tu, imix ? imix_len[i % 12] : 60);
	}
	g->t->flows_hint += SMALL_FLOWS;
	return ret;
}

static const char *const http_paths[] = {
	"/index.html", "/images/logo.png", "/api/v1/items", "/login.php", "/static/app.js",
	"/search", "/wp-admin/admin-ajax.php", "/download/setup.exe",
};

static const char *const http_agents[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/123.0.0.0 Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
	"curl/8.5.0",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15",
};

/* Fill n bytes of a response body with HTML-like text that varies per flow. */
static void body_text(struct gen *g, uint8_t *out, unsigned n)
{
	static const char *const words[] = {
		"<div class=\"item\">", "</div>\n", "<p>", "</p>", "lorem ", "ipsum ", "dolor ",
		"sit ", "amet ", "<a href=\"/page", "\">link</a> ", "consectetur ", "adipiscing ",
	};
	unsigned o = 0;

	while (o < n) {
		const char *w = words[rnd(g) % (sizeof(words) / sizeof(words[0]))];
		unsigned l = (unsigned)strlen(w);

		if (l > n - o)
			l = n - o;
		memcpy(out + o, w, l);
		o += l;
	}
}

/* 14 frames: handshake, GET, ACK, response header + 2 full segments + a tail,
 * client ACKs, FIN both ways, last ACK. */
static int http_flow(struct gen *g, uint32_t i)
{
	struct tuple c = { .src = 0x0a000000u | (i & 0xffffffu) | 0x100u,
			   .dst = 0xc6336400u | (i % 200 + 1),
			   .sp = (uint16_t)(1024 + (i * 7) % 64000), .dp = 80 };
	struct tuple s = { .src = c.dst, .dst = c.src, .sp = c.dp, .dp = c.sp };
	uint32_t cs = rnd(g), ss = rnd(g);
	char req[600];
	uint8_t seg[1448];
	int rl, hl, ret = 0;
	unsigned tail = 300 + rnd(g) % 900;

	rl = snprintf(req, sizeof(req),
		      "GET %s?id=%u HTTP/1.1\r\nHost: www%u.example.com\r\nUser-Agent: %s\r\n"
		      "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"
		      "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n"
		      "Connection: close\r\n\r\n",
		      http_paths[i % 8], i, i % 997, http_agents[i % 4]);
	ret |= tcp_frame(g, &c, cs, 0, 0x02, NULL, 0);
	ret |= tcp_frame(g, &s, ss, cs + 1, 0x12, NULL, 0);
	ret |= tcp_frame(g, &c, cs + 1, ss + 1, 0x10, NULL, 0);
	ret |= tcp_frame(g, &c, cs + 1, ss + 1, 0x18, req, (unsigned)rl);
	cs += 1 + (uint32_t)rl;
	ret |= tcp_frame(g, &s, ss + 1, cs, 0x10, NULL, 0);
	/* a fixed-width length keeps the header size known before it is printed */
	hl = snprintf((char *)seg, sizeof(seg),
		      "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: text/html; "
		      "charset=utf-8\r\nContent-Length: %05u\r\nConnection: close\r\n\r\n",
		      2 * 1448 + tail - HTTP_RESP_HDR_LEN);
	body_text(g, seg + hl, sizeof(seg) - (unsigned)hl);
	ret |= tcp_frame(g, &s, ss + 1, cs, 0x10, seg, sizeof(seg));
	body_text(g, seg, sizeof(seg));
	ret |= tcp_frame(g, &s, ss + 1 + 1448, cs, 0x10, seg, sizeof(seg));
	ret |= tcp_frame(g, &c, cs, ss + 1 + 2 * 1448, 0x10, NULL, 0);
	body_text(g, seg, tail);
	ret |= tcp_frame(g, &s, ss + 1 + 2 * 1448, cs, 0x18, seg, tail);
	ss += 1 + 2 * 1448 + tail;
	ret |= tcp_frame(g, &c, cs, ss, 0x10, NULL, 0);
	ret |= tcp_frame(g, &s, ss, cs, 0x11, NULL, 0);
	ret |= tcp_frame(g, &c, cs, ss + 1, 0x10, NULL, 0);
	ret |= tcp_frame(g, &c, cs, ss + 1, 0x11, NULL, 0);
	ret |= tcp_frame(g, &s, ss + 1, cs + 1, 0x10, NULL, 0);
	return ret ? -ENOMEM : 0;
}

static int gen_http(struct gen *g, uint64_t flows)
{
	int ret = 0;

	for (uint64_t i = 0; i < flows && ret == 0; i++)
		ret = http_flow(g, (uint32_t)i);
	g->t->flows_hint += flows;
	return ret;
}

static int gen_stress(struct gen *g, uint64_t flows)
{
	int ret = 0;

	for (uint64_t i = 0; i < flows && ret == 0; i++) {
		struct tuple tu = { .src = 0x0a000000u | (uint32_t)(i >> 8 & 0xffffff),
				    .dst = 0xc0000200u | (uint32_t)(i & 0xff),
				    .sp = (uint16_t)(1024 + (i % 60000)), .dp = 443 };

		/* a 20-byte payload makes a 60-byte frame */
		ret = tcp_frame(g, &tu, (uint32_t)i, 0, 0x02, g->frame + 1200, 6);
	}
	g->t->flows_hint += flows;
	return ret;
}

int traffic_generate(struct traffic *t, const char *kind, uint64_t count,
		     char *err, size_t errlen)
{
	struct gen g = { .t = t, .ts_us = GEN_T0_US, .rng = 0x9e3779b97f4a7c15ull };
	int ret;

	if (t->n > 0)
		g.ts_us = t->f[t->n - 1].ts_us;
	if (strcmp(kind, "64") == 0)
		ret = gen_small(&g, count ? count : SMALL_FRAMES_DEFAULT, false);
	else if (strcmp(kind, "imix") == 0)
		ret = gen_small(&g, count ? count : SMALL_FRAMES_DEFAULT, true);
	else if (strcmp(kind, "http") == 0)
		ret = gen_http(&g, count ? count : HTTP_FLOWS_DEFAULT);
	else if (strcmp(kind, "stress") == 0)
		ret = gen_stress(&g, count ? count : STRESS_FLOWS_DEFAULT);
	else {
		snprintf(err, errlen, "unknown traffic kind '%s' (64, imix, http, stress)", kind);
		return -EINVAL;
	}
	if (ret != 0)
		snprintf(err, errlen, "generating %s traffic: %s", kind, strerror(-ret));
	return ret;
}
