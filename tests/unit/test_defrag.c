/* SPDX-License-Identifier: MIT */
/* IPv4/IPv6 reassembly: order, overlaps (bsd), timeout, memcap, malformed. */
#include <string.h>

#include "check.h"
#include "dataplane/decode/decode.h"
#include "dataplane/defrag/defrag.h"

struct frame {
	uint8_t b[256];
	struct packet p;
};

static const struct decode_opts opts = { .csum_check = false };

/* Ethernet + IPv4 (proto 17) fragment: off in bytes, n bytes of fill c. */
static struct packet *v4(struct frame *f, uint16_t id, uint16_t off, bool mf, uint8_t c,
			 uint32_t n, uint64_t ts)
{
	uint8_t *ip = f->b + 14;
	uint16_t tot = (uint16_t)(20 + n), fo = (uint16_t)(off / 8 | (mf ? 0x2000 : 0));

	memset(f, 0, sizeof(*f));
	f->b[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[4] = (uint8_t)(id >> 8);
	ip[5] = (uint8_t)id;
	ip[6] = (uint8_t)(fo >> 8);
	ip[7] = (uint8_t)fo;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	memset(ip + 20, c, n);
	f->p.data = f->b;
	f->p.len = f->p.wire_len = 14 + tot;
	f->p.ts_us = ts;
	decode_packet(&f->p, &opts);
	return &f->p;
}

/* Ethernet + IPv6 + Fragment header (next header 17). */
static struct packet *v6(struct frame *f, uint32_t id, uint16_t off, bool mf, uint8_t c,
			 uint32_t n)
{
	uint8_t *ip = f->b + 14, *fh = ip + 40;
	uint16_t plen = (uint16_t)(8 + n), fo = (uint16_t)(off | (mf ? 1 : 0));

	memset(f, 0, sizeof(*f));
	f->b[12] = 0x86;
	f->b[13] = 0xdd;
	ip[0] = 0x60;
	ip[4] = (uint8_t)(plen >> 8);
	ip[5] = (uint8_t)plen;
	ip[6] = 44;
	ip[7] = 64;
	ip[23] = 1;
	ip[39] = 2;
	fh[0] = 17;
	fh[2] = (uint8_t)(fo >> 8);
	fh[3] = (uint8_t)fo;
	fh[4] = (uint8_t)(id >> 24);
	fh[7] = (uint8_t)id;
	memset(fh + 8, c, n);
	f->p.data = f->b;
	f->p.len = f->p.wire_len = 14 + 40 + plen;
	decode_packet(&f->p, &opts);
	return &f->p;
}

static void test_v4_in_and_out_of_order(void)
{
	struct defrag_config cfg = { 0 };
	struct defrag_ctx *dc = defrag_ctx_create(&cfg);
	const uint8_t *fr = NULL;
	struct frame f;
	uint32_t n;

	CHECK(v4(&f, 7, 0, true, 'A', 16, 0)->flags & PKT_F_IPV4_FRAG);
	CHECK_INT(0, defrag_packet(dc, &f.p, &fr));
	n = defrag_packet(dc, v4(&f, 7, 16, false, 'B', 8, 1), &fr);
	CHECK_INT(14 + 20 + 24, n);
	CHECK_INT(44, fr[14 + 3]);                 /* total length */
	CHECK_INT(0, fr[14 + 6] | fr[14 + 7]);     /* no MF, no offset */
	CHECK(fr[34] == 'A' && fr[34 + 15] == 'A' && fr[34 + 16] == 'B' && fr[34 + 23] == 'B');
	/* the header checksum verifies: the words sum to 0xffff */
	{
		uint32_t sum = 0;

		for (int i = 0; i < 20; i += 2)
			sum += (uint32_t)(fr[14 + i] << 8 | fr[14 + i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		CHECK_INT(0xffff, sum);
	}
	/* last fragment first */
	CHECK_INT(0, defrag_packet(dc, v4(&f, 8, 8, false, 'D', 8, 2), &fr));
	CHECK_INT(14 + 20 + 16, defrag_packet(dc, v4(&f, 8, 0, true, 'C', 8, 3), &fr));
	CHECK_INT(4, defrag_ctx_stats(dc)->ipv4_fragments);
	CHECK_INT(2, defrag_ctx_stats(dc)->ipv4_reassembled);
	CHECK_INT(0, defrag_ctx_stats(dc)->memuse);
	defrag_ctx_destroy(dc);
}

/* bsd: the lower offset wins; at equal offsets the first. */
static void test_v4_overlap_bsd(void)
{
	struct defrag_config cfg = { 0 };
	struct defrag_ctx *dc = defrag_ctx_create(&cfg);
	const uint8_t *fr = NULL;
	struct frame f;

	defrag_packet(dc, v4(&f, 9, 8, true, 'X', 8, 0), &fr);   /* 8..16 X, first */
	defrag_packet(dc, v4(&f, 9, 8, true, 'Y', 16, 0), &fr);  /* 8..24 Y, same offset */
	defrag_packet(dc, v4(&f, 9, 16, false, 'Z', 16, 0), &fr); /* 16..32 Z, the end */
	CHECK_INT(14 + 20 + 32, defrag_packet(dc, v4(&f, 9, 0, true, 'W', 16, 0), &fr));
	/* 0..16 W (lowest offset), 16..24 Y (8 < 16), 24..32 Z */
	CHECK(fr[34 + 0] == 'W' && fr[34 + 15] == 'W');
	CHECK(fr[34 + 16] == 'Y' && fr[34 + 23] == 'Y');
	CHECK(fr[34 + 24] == 'Z' && fr[34 + 31] == 'Z');
	CHECK_INT(3, defrag_ctx_stats(dc)->overlap);
	defrag_ctx_destroy(dc);
}

static void test_timeout_memcap_malformed(void)
{
	struct defrag_config cfg = { .timeout_s = 60 };
	struct defrag_ctx *dc = defrag_ctx_create(&cfg);
	const uint8_t *fr = NULL;
	struct frame f;

	defrag_packet(dc, v4(&f, 1, 0, true, 'A', 8, 0), &fr);
	/* 61 s later: the datagram was given up, this one starts afresh */
	CHECK_INT(0, defrag_packet(dc, v4(&f, 1, 8, false, 'B', 8, 61000000), &fr));
	CHECK_INT(1, defrag_ctx_stats(dc)->timeouts);
	CHECK_INT(1, defrag_expire(dc, 200000000));
	CHECK_INT(2, defrag_ctx_stats(dc)->timeouts);
	/* MF with a length that is not a multiple of 8 */
	CHECK_INT(0, defrag_packet(dc, v4(&f, 2, 0, true, 'A', 12, 0), &fr));
	CHECK_INT(1, defrag_ctx_stats(dc)->invalid);
	/* past 65535 bytes */
	CHECK_INT(0, defrag_packet(dc, v4(&f, 3, 65528, false, 'A', 16, 0), &fr));
	CHECK_INT(1, defrag_ctx_stats(dc)->too_large);
	defrag_ctx_destroy(dc);

	cfg = (struct defrag_config){ .memcap = 10 };
	dc = defrag_ctx_create(&cfg);
	defrag_packet(dc, v4(&f, 4, 0, true, 'A', 16, 0), &fr);
	CHECK_INT(1, defrag_ctx_stats(dc)->memcap);
	defrag_ctx_destroy(dc);

	cfg = (struct defrag_config){ .max_frags = 1, .trackers = 1 };
	dc = defrag_ctx_create(&cfg);
	defrag_packet(dc, v4(&f, 5, 0, true, 'A', 8, 0), &fr);
	defrag_packet(dc, v4(&f, 5, 16, true, 'A', 8, 0), &fr);
	CHECK_INT(1, defrag_ctx_stats(dc)->max_frags_reached);
	defrag_packet(dc, v4(&f, 6, 0, true, 'A', 8, 0), &fr);
	CHECK_INT(1, defrag_ctx_stats(dc)->max_trackers_reached);
	defrag_ctx_destroy(dc);
}

static void test_v6(void)
{
	struct defrag_config cfg = { 0 };
	struct defrag_ctx *dc = defrag_ctx_create(&cfg);
	const uint8_t *fr = NULL;
	struct frame f;
	uint32_t n;

	CHECK(v6(&f, 0x01000005, 0, true, 'a', 16)->flags & PKT_F_IPV6_FRAG);
	CHECK_INT(0, defrag_packet(dc, &f.p, &fr));
	/* same low 16 bits, other id: another datagram */
	CHECK_INT(0, defrag_packet(dc, v6(&f, 0x02000005, 16, false, 'x', 8), &fr));
	n = defrag_packet(dc, v6(&f, 0x01000005, 16, false, 'b', 8), &fr);
	CHECK_INT(14 + 40 + 24, n);
	CHECK_INT(17, fr[14 + 6]);                 /* next header: the Fragment header's */
	CHECK_INT(24, fr[14 + 5]);                 /* payload length */
	CHECK(fr[54] == 'a' && fr[54 + 16] == 'b');
	CHECK_INT(1, defrag_ctx_stats(dc)->ipv6_reassembled);
	/* an atomic fragment (offset 0, M clear) is whole already */
	CHECK_INT(0, defrag_packet(dc, v6(&f, 9, 0, false, 'c', 8), &fr));
	CHECK_INT(1, defrag_ctx_stats(dc)->ipv6_reassembled);
	defrag_ctx_destroy(dc);
}

int main(void)
{
	test_v4_in_and_out_of_order();
	test_v4_overlap_bsd();
	test_timeout_memcap_malformed();
	test_v6();
	return check_result("defrag");
}
