/* SPDX-License-Identifier: MIT */
/* Fuzz target for the request body inflater. Input: the coding (byte 0:
 * gzip, deflate, none), the feed step (byte 1), the body limit (byte 2),
 * then the body. Seeds are compressed at start: gzip, zlib-wrapped and raw
 * deflate, two gzip members in a row, a gzip inside a gzip, a small bomb.
 * The body kept must never exceed the limit. */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "fuzz.h"
#include "dataplane/applayer/http_inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t limits[] = { 0, 1, 100, 4096, 102400 };
	struct abuf out = { 0 };
	struct http_inflate *z;
	uint32_t step, limit, dropped = 0;

	if (size < 3)
		return 0;
	z = http_inflate_new((enum http_coding)(data[0] % 3));
	if (z == NULL)
		abort();
	step = 1u + data[1] * 4u;
	limit = limits[data[2] % (sizeof(limits) / sizeof(limits[0]))];
	data += 3;
	size -= 3;
	for (size_t off = 0; off < size; off += step) {
		uint32_t n = size - off < step ? (uint32_t)(size - off) : step;
		bool bad = false;

		dropped += http_inflate_feed(z, data + off, n, &out, limit, &bad);
		if (limit != 0 && out.len > limit)
			abort();
	}
	(void)dropped;
	http_inflate_free(z);
	abuf_free(&out);
	return 0;
}

/* Compresses in with windowBits bits (31 gzip, 15 zlib, -15 raw) after
 * a 3-byte input header; returns the length. */
static size_t squeeze(const void *in, size_t len, int bits, uint8_t *out, size_t cap)
{
	z_stream zs;
	size_t n = 0;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) == Z_STREAM_END)
		n = cap - zs.avail_out;
	deflateEnd(&zs);
	return n;
}

static void add_with_header(fuzz_add_fn add, uint8_t coding, uint8_t step, uint8_t limit,
			    const uint8_t *body, size_t len)
{
	uint8_t buf[4096];

	if (len + 3 > sizeof(buf))
		return;
	buf[0] = coding;
	buf[1] = step;
	buf[2] = limit;
	memcpy(buf + 3, body, len);
	add(buf, len + 3);
}

static void seeds(fuzz_add_fn add)
{
	static const char text[] = "user=admin&pass=%27+OR+1%3D1--&note=aaaaaaaaaaaaaaaaaaaaaaaaaa";
	static uint8_t zeros[65536];
	uint8_t a[2048], b[2048];
	size_t na, nb;

	na = squeeze(text, sizeof(text) - 1, 31, a, sizeof(a));
	add_with_header(add, 0, 0, 0, a, na);
	add_with_header(add, 0, 3, 2, a, na);
	/* two gzip members back to back */
	memcpy(a + na, a, na);
	add_with_header(add, 0, 255, 3, a, na * 2);
	na = squeeze(text, sizeof(text) - 1, 15, a, sizeof(a));
	add_with_header(add, 1, 1, 0, a, na);
	na = squeeze(text, sizeof(text) - 1, -15, a, sizeof(a));
	add_with_header(add, 1, 0, 4, a, na);
	add_with_header(add, 2, 0, 0, (const uint8_t *)text, sizeof(text) - 1);
	/* a body that only claims gzip */
	add_with_header(add, 0, 0, 0, (const uint8_t *)text, sizeof(text) - 1);
	/* gzip inside gzip, and a bomb against the limits */
	na = squeeze(text, sizeof(text) - 1, 31, a, sizeof(a));
	nb = squeeze(a, na, 31, b, sizeof(b));
	add_with_header(add, 0, 7, 3, b, nb);
	nb = squeeze(zeros, sizeof(zeros), 31, b, sizeof(b));
	add_with_header(add, 0, 0, 2, b, nb);
	nb = squeeze(zeros, sizeof(zeros), -15, b, sizeof(b));
	add_with_header(add, 1, 0, 1, b, nb);
}

const struct fuzz_target fuzz_target = {
	.name = "http_inflate",
	.max_len = 4096,
	.seeds = seeds,
};
