/* SPDX-License-Identifier: MIT */
/* IPv4/IPv6 reassembly: order, overlaps (bsd), timeout, memcap, malformed. */
#include <string.h>

#include "check.h"
#include "dataplane/decode/decode.h"
#include "dataplane/defrag/defrag-int.h"

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
	fh[5] = (uint8_t)(id >> 16);
	fh[6] = (uint8_t)(id >> 8);
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
	CHECK_INT(PKT_FRAG_EV_IGNORED, f.p.frag_ev);
	/* the same source at its share (1): its own oldest datagram goes */
	defrag_packet(dc, v4(&f, 6, 0, true, 'A', 8, 0), &fr);
	CHECK_INT(1, defrag_ctx_stats(dc)->src_trackers);
	/* another source with the pool full: the oldest of all goes */
	v4(&f, 7, 0, true, 'A', 8, 0);
	f.p.src.b[3] = 9;
	defrag_packet(dc, &f.p, &fr);
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

/* Thousands of copies of one offset: each is a duplicate that wins no byte,
 * so the datagram holds one segment; the first copy's data is the one kept. */
static void test_duplicate_flood(void)
{
	struct defrag_config cfg = { .dgram_frags = 30000, .dgram_overlaps = 30000,
				     .dgram_bytes = 4u << 20 };
	struct defrag_ctx *dc = defrag_ctx_create(&cfg);
	const uint8_t *fr = NULL;
	struct frame f;
	uint64_t mem;

	defrag_packet(dc, v4(&f, 1, 0, true, 'A', 64, 0), &fr);
	mem = defrag_ctx_stats(dc)->memuse;
	for (int i = 0; i < 20000; i++)
		CHECK_INT(0, defrag_packet(dc, v4(&f, 1, 0, true, (uint8_t)('B' + i % 20), 64, 0),
					   &fr));
	CHECK_INT(PKT_FRAG_EV_OVERLAP, f.p.frag_ev);
	CHECK_INT(20000, defrag_ctx_stats(dc)->overlap);
	CHECK_INT(mem, defrag_ctx_stats(dc)->memuse);
	CHECK_INT(64 + 8, defrag_packet(dc, v4(&f, 1, 64, false, 'Z', 8, 0), &fr) - 34);
	CHECK(fr[34] == 'A' && fr[34 + 63] == 'A' && fr[34 + 64] == 'Z');
	CHECK_INT(0, defrag_ctx_stats(dc)->memuse);
	defrag_ctx_destroy(dc);
}

/* Per-datagram caps: past one, the datagram is given up and its later
 * fragments are ignored (not a new datagram) until it times out. */
static void test_datagram_caps(void)
{
	struct defrag_config cfg = { .dgram_frags = 10 };
	struct defrag_ctx *dc = defrag_ctx_create(&cfg);
	const uint8_t *fr = NULL;
	struct frame f;

	for (uint16_t i = 0; i < 10; i++)
		defrag_packet(dc, v4(&f, 1, (uint16_t)(i * 8), true, 'A', 8, 0), &fr);
	CHECK_INT(PKT_FRAG_EV_NONE, f.p.frag_ev);
	defrag_packet(dc, v4(&f, 1, 80, true, 'A', 8, 0), &fr);
	CHECK_INT(1, defrag_ctx_stats(dc)->dgram_frags);
	CHECK_INT(PKT_FRAG_EV_IGNORED, f.p.frag_ev);
	CHECK_INT(0, defrag_ctx_stats(dc)->memuse);
	/* the end arrives: still ignored, nothing is built */
	CHECK_INT(0, defrag_packet(dc, v4(&f, 1, 88, false, 'A', 8, 0), &fr));
	CHECK_INT(1, defrag_ctx_stats(dc)->ignored);
	CHECK_INT(0, defrag_ctx_stats(dc)->ipv4_reassembled);
	defrag_ctx_destroy(dc);

	cfg = (struct defrag_config){ .dgram_overlaps = 3 };
	dc = defrag_ctx_create(&cfg);
	for (int i = 0; i < 4; i++)
		defrag_packet(dc, v4(&f, 2, 0, true, 'A', 8, 0), &fr);
	CHECK_INT(0, defrag_ctx_stats(dc)->dgram_overlaps);
	defrag_packet(dc, v4(&f, 2, 0, true, 'A', 8, 0), &fr);
	CHECK_INT(1, defrag_ctx_stats(dc)->dgram_overlaps);
	CHECK_INT(PKT_FRAG_EV_IGNORED, f.p.frag_ev);
	defrag_ctx_destroy(dc);

	cfg = (struct defrag_config){ .dgram_bytes = 400 };
	dc = defrag_ctx_create(&cfg);
	defrag_packet(dc, v4(&f, 3, 0, true, 'A', 200, 0), &fr);
	defrag_packet(dc, v4(&f, 3, 0, true, 'A', 200, 0), &fr);
	CHECK_INT(0, defrag_ctx_stats(dc)->dgram_bytes);
	defrag_packet(dc, v4(&f, 3, 0, true, 'A', 8, 0), &fr);
	CHECK_INT(1, defrag_ctx_stats(dc)->dgram_bytes);
	defrag_ctx_destroy(dc);
}

/* One source flooding datagrams that never complete only evicts its own:
 * another source's datagram, begun before the flood, still completes. */
static void test_source_budget(void)
{
	struct defrag_config cfg = { .trackers = 64 };	/* 8 per source */
	struct defrag_ctx *dc = defrag_ctx_create(&cfg);
	const uint8_t *fr = NULL;
	struct frame f;

	v4(&f, 1, 0, true, 'V', 8, 0);
	f.p.src.b[3] = 99;
	defrag_packet(dc, &f.p, &fr);
	for (uint16_t id = 100; id < 1100; id++)
		defrag_packet(dc, v4(&f, id, 0, true, 'A', 8, 0), &fr);
	CHECK_INT(1000 - 8, defrag_ctx_stats(dc)->src_trackers);
	CHECK_INT(0, defrag_ctx_stats(dc)->max_trackers_reached);
	v4(&f, 1, 8, false, 'W', 8, 0);
	f.p.src.b[3] = 99;
	CHECK_INT(14 + 20 + 16, defrag_packet(dc, &f.p, &fr));
	defrag_ctx_destroy(dc);

	/* memory: 4 KiB per source; the source's own older datagrams go first */
	cfg = (struct defrag_config){ .src_memcap = 4096 };
	dc = defrag_ctx_create(&cfg);
	for (uint16_t id = 1; id <= 8; id++)
		defrag_packet(dc, v4(&f, id, 0, true, 'A', 8, 0), &fr);
	CHECK(defrag_ctx_stats(dc)->src_memcap > 0);
	CHECK(defrag_ctx_stats(dc)->memuse <= 4096);
	defrag_ctx_destroy(dc);
}

/* Datagram IDs found to share a bucket in one context share none in
 * another: the bucket hash is seeded per context, so a sender cannot aim
 * its datagrams at one chain that every fragment then walks. */
static void test_bucket_seed(void)
{
	struct defrag_config cfg = { .trackers = 256, .src_trackers = 256 };
	struct defrag_ctx *probe = defrag_ctx_create(&cfg), *dc = defrag_ctx_create(&cfg);
	const uint8_t *fr = NULL;
	static uint32_t ids[64];
	unsigned n = 0, longest = 0;
	uint32_t target = 0;
	struct frame f;

	for (uint32_t id = 1; n < 64 && id < (1u << 20); id++) {
		defrag_packet(probe, v6(&f, id, 0, true, 'A', 8), &fr);
		if (id == 1)
			target = probe->newest->bucket;
		if (probe->newest->bucket == target)
			ids[n++] = id;
	}
	CHECK_INT(64, n);
	for (unsigned i = 0; i < n; i++)
		defrag_packet(dc, v6(&f, ids[i], 0, true, 'A', 8), &fr);
	for (uint32_t b = 0; b < dc->nbuckets; b++) {
		unsigned len = 0;

		for (const struct tracker *t = dc->buckets[b]; t != NULL; t = t->hnext)
			len++;
		longest = len > longest ? len : longest;
	}
	/* 64 datagrams in 256 buckets at random: a chain of 12 is out of reach */
	CHECK(longest < 12);
	defrag_ctx_destroy(probe);
	defrag_ctx_destroy(dc);
}

/* Random fragments against a byte-by-byte bsd reference: the owner of a
 * byte is the covering fragment with the lowest offset, the first at ties. */
static void test_bsd_reference(void)
{
	uint32_t seed = 12345;
	int done = 0;

	for (int round = 0; round < 300; round++) {
		struct defrag_config cfg = { 0 };
		struct defrag_ctx *dc = defrag_ctx_create(&cfg);
		uint8_t ref[200], own_off[200];
		bool have[200] = { false };
		const uint8_t *fr = NULL;
		uint32_t n = 0, total = 8 * (1 + round % 24);
		struct frame f;

		for (int k = 0; k < 60 && n == 0; k++) {
			uint16_t off, len;
			bool last;

			seed = seed * 1103515245u + 12345u;
			off = (uint16_t)(8 * ((seed >> 16) % (total / 8)));
			seed = seed * 1103515245u + 12345u;
			len = (uint16_t)(8 * (1 + (seed >> 16) % 4));
			last = off + len >= total;
			if (last)
				len = (uint16_t)(total - off);
			if (off == 0 && last)
				continue;	/* atomic: a datagram of its own */
			for (uint32_t b = off; b < (uint32_t)off + len; b++) {
				if (!have[b] || own_off[b] > off / 8) {
					have[b] = true;
					own_off[b] = (uint8_t)(off / 8);
					ref[b] = (uint8_t)k;
				}
			}
			n = defrag_packet(dc, v4(&f, 1, off, !last, (uint8_t)k, len, 0), &fr);
		}
		if (n != 0) {
			done++;
			CHECK_INT(14 + 20 + total, n);
			CHECK(memcmp(fr + 34, ref, total) == 0);
		}
		defrag_ctx_destroy(dc);
	}
	CHECK(done > 200);
}

static void test_event_names(void)
{
	CHECK_STR("ipv4.frag_overlap", decode_frag_ev_name(4, PKT_FRAG_EV_OVERLAP));
	CHECK_STR("ipv6.frag_invalid_length", decode_frag_ev_name(6, PKT_FRAG_EV_INVALID_LENGTH));
	CHECK_STR("ipv6.frag_pkt_too_large", decode_frag_ev_name(6, PKT_FRAG_EV_TOO_LARGE));
	CHECK(decode_frag_ev_name(4, PKT_FRAG_EV_NONE) == NULL);
}

int main(void)
{
	test_duplicate_flood();
	test_datagram_caps();
	test_source_budget();
	test_bsd_reference();
	test_event_names();
	test_v4_in_and_out_of_order();
	test_v4_overlap_bsd();
	test_timeout_memcap_malformed();
	test_v6();
	test_bucket_seed();
	return check_result("defrag");
}
