/* SPDX-License-Identifier: MIT */
/* zlib_crc32.c (libdeflate behind zlib's crc32) against a CRC-32 computed
 * bit by bit: every length up to a few blocks, odd alignments, chained
 * calls and zlib's NULL-buffer call; then zlib itself, which checks a gzip
 * stream's trailer through the crc32 this executable defines, must inflate
 * what it deflated. */
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "check.h"

static uint32_t crc_bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
	}
	return ~crc;
}

static void test_against_bitwise(void)
{
	static uint8_t buf[4096 + 64];
	uint64_t s = 0x9e3779b97f4a7c15ull;
	int bad = 0;

	for (size_t i = 0; i < sizeof(buf); i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		buf[i] = (uint8_t)s;
	}
	for (size_t len = 0; len <= 4096; len += len < 300 ? 1 : 97)
		for (size_t at = 0; at < 8; at++)
			bad += crc32(0, buf + at, (uInt)len) != crc_bitwise(0, buf + at, len);
	CHECK_INT(0, bad);
	/* chained: the running value carries over */
	CHECK_INT(crc_bitwise(0, buf, 3000), crc32(crc32(0, buf, 1234), buf + 1234, 3000 - 1234));
	CHECK_INT(0, crc32(12345, NULL, 10));
	CHECK_INT(0xcbf43926u, crc32(0, (const Bytef *)"123456789", 9));
}

static void test_gzip_round_trip(void)
{
	enum { N = 200000 };
	uint8_t *in = malloc(N), *z = malloc(N + 1024), *out = malloc(N);
	z_stream d = { 0 }, f = { 0 };

	CHECK(in != NULL && z != NULL && out != NULL);
	if (in == NULL || z == NULL || out == NULL)
		goto done;
	for (size_t i = 0; i < N; i++)
		in[i] = (uint8_t)("GET /index.html HTTP/1.1\r\n"[i % 26] + i / 5000);
	CHECK_INT(Z_OK, deflateInit2(&d, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY));
	d.next_in = in;
	d.avail_in = N;
	d.next_out = z;
	d.avail_out = N + 1024;
	CHECK_INT(Z_STREAM_END, deflate(&d, Z_FINISH));
	/* zlib checks the trailer's CRC-32 (and length) at the stream's end */
	CHECK_INT(Z_OK, inflateInit2(&f, 15 + 16));
	f.next_in = z;
	f.avail_in = (uInt)d.total_out;
	f.next_out = out;
	f.avail_out = N;
	CHECK_INT(Z_STREAM_END, inflate(&f, Z_FINISH));
	CHECK_INT(N, f.total_out);
	CHECK(memcmp(in, out, N) == 0);
	deflateEnd(&d);
	inflateEnd(&f);
done:
	free(in);
	free(z);
	free(out);
}

int main(void)
{
	test_against_bitwise();
	test_gzip_round_trip();
	return check_result("zlib_crc32");
}
