/* SPDX-License-Identifier: MIT */
/* Fuzz target for the packet decoder: the input as an Ethernet frame, then
 * as one other link type (chosen by its length), with and without checksum
 * validation, and every tunnel packet it carries in turn. Whatever the
 * decoder returns, every pointer it leaves in a packet must lie inside the
 * frame. Seeds: the records of the capture files given to the driver. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "dataplane/decode/decode.h"

/* A decoder that points outside the frame is a bug even without ASan. */
static void check_in(const uint8_t *p, uint32_t n, const uint8_t *data, size_t size)
{
	if (p != NULL && (p < data || p > data + size || n > (size_t)(data + size - p)))
		abort();
}

static void check_packet(const struct packet *p, enum decode_err e, const uint8_t *data,
			 size_t size)
{
	if (e != p->err || e >= DECODE_ERR_MAX || decode_err_name(e) == NULL)
		abort();
	check_in(p->l3, p->l3_len, data, size);
	check_in(p->l4, p->l4_len, data, size);
	check_in(p->payload, p->payload_len, data, size);
	check_in(p->tun.data, p->tun.len, data, size);
	if (e == DECODE_OK && p->l4 != NULL && p->payload == NULL)
		abort();
}

static void run(const uint8_t *data, size_t size, enum pkt_link link, bool csum)
{
	struct decode_opts o = { .csum_check = csum };
	static struct packet chain[DECODE_MAX_LAYERS_DEFAULT + 1];
	struct packet *p = &chain[0];
	enum decode_err e;
	unsigned d = 0;

	memset(p, 0, sizeof(*p));
	p->data = data;
	p->len = (uint32_t)size;
	p->wire_len = (uint32_t)size;
	p->link = (uint8_t)link;
	e = decode_packet(p, &o);
	check_packet(p, e, data, size);
	/* each tunnel is a layer: the default cap bounds the chain */
	while (e == DECODE_OK && p->tun.data != NULL) {
		if (++d > DECODE_MAX_LAYERS_DEFAULT)
			abort();
		decode_tunnel_init(&chain[d], p);
		p = &chain[d];
		e = decode_packet_keep_origin(p, &o);
		check_packet(p, e, data, size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > UINT16_MAX)
		return 0;
	run(data, size, PKT_LINK_ETHERNET, size & 1);
	run(data, size, (enum pkt_link)(1 + size % (PKT_LINK_MAX - 1)), !(size & 1));
	return 0;
}

/* What the capture files in tests/ lack: a QinQ-tagged IPv4 TCP SYN with
 * MSS, SACK-permitted, timestamps and window scale, and an IPv6 first
 * fragment behind a hop-by-hop header. Checksums are left zero. */
static const uint8_t qinq_syn[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0xc8,
	0x08, 0x00,
	0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0, 0,
	192, 0, 2, 1, 198, 51, 100, 2,
	0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0xa0, 0x02, 0xff, 0xff, 0, 0, 0, 0,
	2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
};
static const uint8_t v6_frag[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x86, 0xdd,
	0x60, 0, 0, 0, 0x00, 0x20, 0, 64,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	44, 0, 1, 4, 0, 0, 0, 0,
	58, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef,
	128, 0, 0, 0, 0, 7, 0, 1, 'p', 'i', 'n', 'g', 'p', 'i', 'n', 'g',
};

static void seeds(fuzz_add_fn add)
{
	add(qinq_syn, sizeof(qinq_syn));
	add(v6_frag, sizeof(v6_frag));
}

const struct fuzz_target fuzz_target = {
	.name = "decode",
	.max_len = 9216,
	.seeds = seeds,
};
