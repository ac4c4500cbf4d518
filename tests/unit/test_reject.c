/* SPDX-License-Identifier: MIT */
/* Reject replies: built frames decode cleanly (checksums verified), are
 * addressed as RFC 793 / RFC 792 want, and are never sent for an RST or an
 * ICMP error. */
#include <string.h>

#include "tests/unit/check.h"
#include "dataplane/decode/decode.h"
#include "dataplane/worker/reject.h"

static const uint8_t cmac[6] = { 2, 0, 0, 0, 0, 1 }, smac[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t cip[4] = { 10, 0, 0, 1 }, sip[4] = { 10, 0, 0, 2 };

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

static uint16_t csum(const uint8_t *b, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* client -> server IPv4 packet with proto and payload; returns its length */
static size_t request(uint8_t *f, uint8_t proto, uint8_t tcp_flags, const char *payload)
{
	size_t pl = strlen(payload), l4 = proto == 6 ? 20 : 8;
	uint32_t ps = 0;

	memset(f, 0, 14 + 20 + l4 + pl);
	memcpy(f, smac, 6);
	memcpy(f + 6, cmac, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	put16(f + 16, (uint16_t)(20 + l4 + pl));
	f[22] = 64;
	f[23] = proto;
	memcpy(f + 26, cip, 4);
	memcpy(f + 30, sip, 4);
	put16(f + 24, csum(f + 14, 20, 0));
	put16(f + 34, 40000);
	put16(f + 36, 80);
	if (proto == 6) {
		put32(f + 38, 1000);
		put32(f + 42, 5000);
		f[46] = 0x50;
		f[47] = tcp_flags;
		put16(f + 48, 512);
	} else {
		put16(f + 38, (uint16_t)(8 + pl));
	}
	memcpy(f + 34 + l4, payload, pl);
	for (int i = 0; i < 8; i += 2)
		ps += (uint32_t)(f[26 + i] << 8 | f[27 + i]);
	ps += proto + (uint32_t)(l4 + pl);
	put16(f + 34 + (proto == 6 ? 16 : 6), csum(f + 34, l4 + pl, ps));
	return 14 + 20 + l4 + pl;
}

static int decode(struct packet *p, const uint8_t *f, size_t len)
{
	struct decode_opts o = { .csum_check = true };

	memset(p, 0, sizeof(*p));
	p->data = f;
	p->len = (uint32_t)len;
	p->wire_len = (uint32_t)len;
	return decode_packet(p, &o);
}

static void test_tcp_rst(void)
{
	uint8_t req[128], out[REJECT_FRAME_MAX];
	struct packet p, r;
	size_t n = request(req, 6, TCP_ACK | TCP_PSH, "GET /x");
	size_t len;

	CHECK_INT(DECODE_OK, decode(&p, req, n));
	/* to the client: from the server's address and MAC */
	len = reject_build(&p, true, out);
	CHECK_INT(54, (int)len);
	CHECK_INT(DECODE_OK, decode(&r, out, len));
	CHECK(!(r.flags & PKT_F_CSUM_BAD));
	CHECK(memcmp(out, cmac, 6) == 0 && memcmp(out + 6, smac, 6) == 0);
	CHECK(memcmp(r.src.b, sip, 4) == 0 && memcmp(r.dst.b, cip, 4) == 0);
	CHECK_INT(80, r.sp);
	CHECK_INT(40000, r.dp);
	CHECK_INT(TCP_RST | TCP_ACK, r.tcp.flags);
	CHECK_INT(5000, (int)r.tcp.seq);        /* what the client acknowledged */
	CHECK_INT(1006, (int)r.tcp.ack);        /* its data acknowledged */
	/* to the server: as if from the client, at the next sequence number */
	len = reject_build(&p, false, out);
	CHECK_INT(DECODE_OK, decode(&r, out, len));
	CHECK(!(r.flags & PKT_F_CSUM_BAD));
	CHECK(memcmp(out, smac, 6) == 0);
	CHECK(memcmp(r.src.b, cip, 4) == 0);
	CHECK_INT(1006, (int)r.tcp.seq);
	CHECK_INT(5000, (int)r.tcp.ack);
	/* never answer a reset */
	n = request(req, 6, TCP_RST, "");
	CHECK_INT(DECODE_OK, decode(&p, req, n));
	CHECK_INT(0, (int)reject_build(&p, true, out));
}

static void test_udp_unreach(void)
{
	uint8_t req[128], out[REJECT_FRAME_MAX];
	struct packet p, r;
	size_t n = request(req, 17, 0, "query");
	size_t len;

	CHECK_INT(DECODE_OK, decode(&p, req, n));
	len = reject_build(&p, true, out);
	CHECK_INT((int)(14 + 20 + 8 + (n - 14)), (int)len);
	CHECK_INT(DECODE_OK, decode(&r, out, len));
	CHECK(!(r.flags & PKT_F_CSUM_BAD));
	CHECK_INT(1, r.proto);
	CHECK_INT(3, r.icmp.type);
	CHECK_INT(3, r.icmp.code);
	CHECK(memcmp(r.dst.b, cip, 4) == 0);
	/* the quoted packet is the original IP datagram */
	CHECK(memcmp(out + 14 + 28, req + 14, n - 14) == 0);
	/* an ICMP error is not answered */
	CHECK_INT(0, (int)reject_build(&r, true, out));
}

int main(void)
{
	test_tcp_rst();
	test_udp_unreach();
	return check_result("reject");
}
