/* SPDX-License-Identifier: MIT */
/* Fuzz target for DNS messages and their name decompression: the input as
 * one message, sent as a UDP query and as its response, then over TCP
 * (length prefixed, split in two segments). Every name buffer is read
 * back. Seeds: names with compression pointers to themselves, in a cycle,
 * past the end, in long chains, labels of reserved types and names at the
 * length limit, counts larger than the records present. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "app_visit.h"

static struct applayer_ctx *ctx;

static void over_udp(const uint8_t *data, size_t size)
{
	struct app_flow *af = app_flow_new(ctx, 17, 40000, 53);

	if (af == NULL)
		abort();
	app_flow_data(ctx, af, APP_TO_SERVER, data, (uint32_t)size, 1000000);
	app_visit(ctx, af);
	app_flow_data(ctx, af, APP_TO_CLIENT, data, (uint32_t)size, 1000001);
	app_visit(ctx, af);
	app_flow_inspected(ctx, af);
	app_flow_free(ctx, af);
}

static void over_tcp(const uint8_t *data, size_t size)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40001, 53);
	uint8_t *m = malloc(size + 2);
	size_t half = (size + 2) / 2;

	if (af == NULL || m == NULL)
		abort();
	m[0] = (uint8_t)(size >> 8);
	m[1] = (uint8_t)size;
	memcpy(m + 2, data, size);
	app_flow_data(ctx, af, APP_TO_SERVER, m, (uint32_t)half, 1000000);
	app_flow_data(ctx, af, APP_TO_SERVER, m + half, (uint32_t)(size + 2 - half), 1000001);
	app_visit(ctx, af);
	app_flow_data(ctx, af, APP_TO_CLIENT, m, (uint32_t)(size + 2), 1000002);
	app_visit(ctx, af);
	app_flow_free(ctx, af);
	free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > UINT16_MAX)
		return 0;
	if (ctx == NULL && (ctx = fuzz_applayer_ctx()) == NULL)
		abort();
	over_udp(data, size);
	over_tcp(data, size);
	return 0;
}

static void fini(void)
{
	applayer_ctx_destroy(ctx);
	ctx = NULL;
}

/* ---- seeds ------------------------------------------------------------ */

#define HDR(flags, qd, an) 0x12, 0x34, (flags) >> 8, (flags) & 0xff, 0, qd, 0, an, 0, 0, 0, 0
#define QTAIL 0x00, 0x01, 0x00, 0x01
#define WWW_EXAMPLE_COM 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0
#define RR_A 0x00, 0x01, 0x00, 0x01, 0, 0, 0x0e, 0x10, 0x00, 0x04, 192, 0, 2, 1

static const uint8_t q_plain[] = {
	HDR(0x0100, 1, 0), WWW_EXAMPLE_COM,
	QTAIL,
};
/* answer owner = pointer to the question, CNAME data = label + pointer */
static const uint8_t r_compressed[] = {
	HDR(0x8180, 1, 2), WWW_EXAMPLE_COM,
	QTAIL,
	0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0, 0, 0x0e, 0x10, 0x00, 0x05, 2, 'c', 'n', 0xc0, 0x10,
	0xc0, 0x2d, RR_A,
};
/* the question name is a pointer to itself */
static const uint8_t r_self_loop[] = { HDR(0x8180, 1, 1), 0xc0, 0x0c, QTAIL, 0xc0, 0x0c, RR_A };
/* two pointers to each other */
static const uint8_t r_cycle[] = {
	HDR(0x8180, 1, 1), 1, 'a', 0xc0, 0x12, QTAIL, 1, 'b', 0xc0, 0x0c, RR_A,
};
/* pointer past the end, pointer into the header, pointer to the last byte */
static const uint8_t r_past_end[] = { HDR(0x8180, 1, 2), 0xff, 0xff, QTAIL, 0xc0, 0x02, RR_A,
				      0xc0, 0x2b };
/* reserved label types 0x40 and 0x80 */
static const uint8_t q_reserved[] = { HDR(0x0100, 2, 0), 0x41, 'x', 0, QTAIL, 0x81, 'y', 0, QTAIL };
/* counts larger than what follows; a header cut short */
static const uint8_t q_counts[] = { 0x12, 0x34, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
				    1, 'a', 0 };
static const uint8_t q_short[] = { 0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0 };

static void seeds(fuzz_add_fn add)
{
	uint8_t m[1024];
	size_t n;

	add(q_plain, sizeof(q_plain));
	add(r_compressed, sizeof(r_compressed));
	add(r_self_loop, sizeof(r_self_loop));
	add(r_cycle, sizeof(r_cycle));
	add(r_past_end, sizeof(r_past_end));
	add(q_reserved, sizeof(q_reserved));
	add(q_counts, sizeof(q_counts));
	add(q_short, sizeof(q_short));
	/* a name of 4 x 63-byte labels (past 255 bytes) */
	memcpy(m, (const uint8_t[]){ HDR(0x0100, 1, 0) }, 12);
	n = 12;
	for (int l = 0; l < 4; l++) {
		m[n++] = 63;
		memset(m + n, 'a' + l, 63);
		n += 63;
	}
	m[n++] = 0;
	memcpy(m + n, (const uint8_t[]){ QTAIL }, 4);
	add(m, n + 4);
	/* a chain of answers, each owner a label plus a pointer to the one before */
	memcpy(m, r_compressed, sizeof(r_compressed));
	n = sizeof(r_compressed);
	for (int i = 0; i < 40 && n + 20 < sizeof(m); i++) {
		size_t prev = i ? n - 18 : 12;

		m[n++] = 1;
		m[n++] = (uint8_t)('a' + i % 26);
		m[n++] = (uint8_t)(0xc0 | prev >> 8);
		m[n++] = (uint8_t)prev;
		memcpy(m + n, (const uint8_t[]){ RR_A }, 14);
		n += 14;
	}
	m[7] = 2 + 40;
	add(m, n);
}

const struct fuzz_target fuzz_target = {
	.name = "dns",
	.max_len = 2048,
	.seeds = seeds,
	.fini = fini,
};
