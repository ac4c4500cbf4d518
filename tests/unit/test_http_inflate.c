/* SPDX-License-Identifier: MIT */
/* Unit tests for http_inflate.c: request bodies in gzip, zlib-wrapped and
 * raw deflate, fed in pieces; bodies that only claim a coding; streams
 * that break; the body limit against a decompression bomb. */
#include <string.h>

#include <zlib.h>

#include "check.h"
#include "dataplane/applayer/http_inflate.h"

static const char text[] = "name=value&other=a+longer+value+to+compress%21%21%21";

/* Compress text: windowBits 15 + 16 gzip, 15 zlib, -15 raw deflate. */
static uint32_t squeeze(const void *in, uint32_t len, int bits, uint8_t *out, uint32_t cap)
{
	z_stream zs;
	uint32_t n;

	memset(&zs, 0, sizeof(zs));
	CHECK_INT(Z_OK, deflateInit2(&zs, 9, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY));
	zs.next_in = (Bytef *)in;
	zs.avail_in = len;
	zs.next_out = out;
	zs.avail_out = cap;
	CHECK_INT(Z_STREAM_END, deflate(&zs, Z_FINISH));
	n = cap - zs.avail_out;
	deflateEnd(&zs);
	return n;
}

/* Feed in[0..len) step bytes at a time; returns the body as a string. */
static const char *feed(enum http_coding coding, const uint8_t *in, uint32_t len, uint32_t step,
			uint32_t limit, uint32_t *dropped, unsigned *bad)
{
	static char out[4096];
	struct http_inflate *z = http_inflate_new(coding);
	struct abuf b = { 0 };
	bool was_bad;

	*dropped = 0;
	*bad = 0;
	CHECK(z != NULL);
	if (z == NULL)
		return "";
	for (uint32_t off = 0; off < len; off += step) {
		uint32_t n = len - off < step ? len - off : step;

		*dropped += http_inflate_feed(z, in + off, n, &b, limit, &was_bad);
		*bad += was_bad;
	}
	http_inflate_free(z);
	CHECK(b.len < sizeof(out));
	if (b.len > 0 && b.len < sizeof(out))
		memcpy(out, b.p, b.len);
	out[b.len < sizeof(out) ? b.len : 0] = '\0';
	abuf_free(&b);
	return out;
}

static void test_codings(void)
{
	CHECK_INT(HTTP_CODING_GZIP, http_coding_of((const uint8_t *)"gzip", 4));
	CHECK_INT(HTTP_CODING_GZIP, http_coding_of((const uint8_t *)" X-GZIP ", 8));
	CHECK_INT(HTTP_CODING_DEFLATE, http_coding_of((const uint8_t *)"Deflate", 7));
	CHECK_INT(HTTP_CODING_NONE, http_coding_of((const uint8_t *)"identity", 8));
	CHECK_INT(HTTP_CODING_NONE, http_coding_of((const uint8_t *)"br", 2));
	CHECK_INT(HTTP_CODING_NONE, http_coding_of((const uint8_t *)"gzip, deflate", 13));
	CHECK_INT(HTTP_CODING_NONE, http_coding_of((const uint8_t *)"", 0));
}

static void test_inflate(void)
{
	static const struct { enum http_coding coding; int bits; } forms[] = {
		{ HTTP_CODING_GZIP, 15 + 16 },
		{ HTTP_CODING_DEFLATE, 15 },	/* zlib wrapper, as RFC 9110 says */
		{ HTTP_CODING_DEFLATE, -15 },	/* raw deflate, as many senders do */
	};
	uint8_t z[512];
	uint32_t n, dropped;
	unsigned bad;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		n = squeeze(text, sizeof(text) - 1, forms[i].bits, z, sizeof(z));
		/* whole, and one byte at a time across the header */
		/* the raw form only after the zlib wrapper failed: counted */
		CHECK_STR(text, feed(forms[i].coding, z, n, n, 0, &dropped, &bad));
		CHECK_INT(forms[i].bits == -15 ? 1 : 0, bad);
		CHECK_STR(text, feed(forms[i].coding, z, n, 1, 0, &dropped, &bad));
		CHECK_INT(0, dropped);
		CHECK_INT(forms[i].bits == -15 ? 1 : 0, bad);
		/* cut short: what came so far (the raw form shows a byte of
		 * it: its first block starts at once); after the end: ignored */
		CHECK_STR(forms[i].bits == -15 ? "n" : "",
			  feed(forms[i].coding, z, 2, 1, 0, &dropped, &bad));
		memcpy(z + n, "trailing", 8);
		CHECK_STR(text, feed(forms[i].coding, z, n + 8, 5, 0, &dropped, &bad));
	}
}

static void test_not_encoded(void)
{
	uint32_t dropped;
	unsigned bad;

	/* claims gzip, is plain text (Suricata issue 6959): inspected as sent */
	CHECK_STR(text, feed(HTTP_CODING_GZIP, (const uint8_t *)text, sizeof(text) - 1, 7, 0,
			     &dropped, &bad));
	CHECK_INT(1, bad);
	/* claims deflate, neither zlib nor raw deflate (block type 3 is
	 * reserved): as sent */
	CHECK_STR("\xffplain", feed(HTTP_CODING_DEFLATE, (const uint8_t *)"\xffplain", 6, 6, 0,
				   &dropped, &bad));
	CHECK_INT(1, bad);
	/* gzip that breaks after a stored block: what came out stays, nothing
	 * after it, not even the raw bytes */
	static const uint8_t broken[] = {
		0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3,		/* gzip header */
		0x00, 0x03, 0x00, 0xfc, 0xff, 'a', 'b', 'c',	/* stored block "abc" */
		0xff, 0xff, 'x', 'y',				/* reserved block type */
	};
	CHECK_STR("abc", feed(HTTP_CODING_GZIP, broken, sizeof(broken), 3, 0, &dropped, &bad));
	CHECK_INT(1, bad);
	CHECK_STR("abc", feed(HTTP_CODING_GZIP, broken, sizeof(broken), 1, 0, &dropped, &bad));
	/* a long plain body, in big pieces: all of it, as sent */
	static uint8_t junk[2049];
	memset(junk, 'A', sizeof(junk) - 1);
	CHECK_STR((const char *)junk, feed(HTTP_CODING_GZIP, junk, sizeof(junk) - 1, 1000, 0,
					   &dropped, &bad));
	CHECK_INT(1, bad);
	CHECK_STR((const char *)junk, feed(HTTP_CODING_DEFLATE, junk, sizeof(junk) - 1, 1000, 0,
					   &dropped, &bad));
	/* an empty body */
	CHECK_STR("", feed(HTTP_CODING_GZIP, junk, 0, 1, 0, &dropped, &bad));
}

static void test_bomb(void)
{
	static uint8_t zeros[1 << 20], z[8192];
	struct http_inflate *in = http_inflate_new(HTTP_CODING_GZIP);
	struct abuf b = { 0 };
	uint32_t n = squeeze(zeros, sizeof(zeros), 15 + 16, z, sizeof(z));
	bool bad;

	/* a megabyte in about a kilobyte: no more than the limit is kept, and
	 * inflation stops there */
	CHECK(n < 4096);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	http_inflate_feed(in, z, n, &b, 1000, &bad);
	CHECK_INT(1000, b.len);
	CHECK(!bad);
	http_inflate_feed(in, z, 1, &b, 1000, &bad);
	CHECK_INT(1000, b.len);
	http_inflate_free(in);
	abuf_free(&b);
}

int main(void)
{
	test_codings();
	test_inflate();
	test_not_encoded();
	test_bomb();
	return check_result("http_inflate");
}
