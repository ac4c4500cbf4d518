/* SPDX-License-Identifier: MIT */
/* Request body inflation (see http_inflate.h). One z_stream per body;
 * output goes to the body buffer in fixed-size steps, so a small body that
 * inflates to a huge one costs no more than the body limit. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "http_inflate.h"

/* Input zlib took without output yet (a header, a block's start), kept to
 * hand a body that is not compressed after all on as it came. A gzip or
 * zlib header is short and shows itself at once, so this little is enough:
 * data that fails later than that is not passed on. */
#define INFLATE_HOLD 512u

enum inflate_state { INF_START, INF_RUN, INF_PASS, INF_DONE };

struct http_inflate {
	z_stream zs;
	enum http_coding coding;
	enum inflate_state state;
	bool raw_tried;           /* deflate: the zlib wrapper failed, raw deflate now */
	bool held_all;            /* hold has every byte fed so far */
	uint32_t nhold;
	uint8_t hold[INFLATE_HOLD];
};

enum http_coding http_coding_of(const uint8_t *value, size_t len)
{
	while (len > 0 && (*value == ' ' || *value == '\t'))
		value++, len--;
	while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	if ((len == 4 && strncasecmp((const char *)value, "gzip", 4) == 0) ||
	    (len == 6 && strncasecmp((const char *)value, "x-gzip", 6) == 0))
		return HTTP_CODING_GZIP;
	if (len == 7 && strncasecmp((const char *)value, "deflate", 7) == 0)
		return HTTP_CODING_DEFLATE;
	return HTTP_CODING_NONE;
}

static int zs_init(struct http_inflate *z)
{
	int bits = z->coding == HTTP_CODING_GZIP ? 15 + 16 : z->raw_tried ? -15 : 15;

	memset(&z->zs, 0, sizeof(z->zs));
	return inflateInit2(&z->zs, bits) == Z_OK ? 0 : -1;
}

struct http_inflate *http_inflate_new(enum http_coding coding)
{
	struct http_inflate *z = calloc(1, sizeof(*z));

	if (z == NULL)
		return NULL;
	z->coding = coding;
	z->held_all = true;
	if (zs_init(z) < 0) {
		free(z);
		return NULL;
	}
	return z;
}

void http_inflate_free(struct http_inflate *z)
{
	if (z == NULL)
		return;
	inflateEnd(&z->zs);
	free(z);
}

/* Keep what zlib took without a byte out yet, for fall_back. */
static void hold(struct http_inflate *z, const uint8_t *in, uint32_t len)
{
	if (len > INFLATE_HOLD - z->nhold) {
		z->held_all = false;
		return;
	}
	memcpy(z->hold + z->nhold, in, len);
	z->nhold += len;
}

static uint32_t put(struct abuf *out, const uint8_t *p, uint32_t n, uint32_t limit)
{
	return abuf_append_max(out, p, n, limit ? limit : UINT32_MAX);
}

/* Run in[0..len) through zlib. Returns a zlib code: Z_OK while more may
 * come, Z_STREAM_END, or an error. *produced counts the output. */
static int run(struct http_inflate *z, const uint8_t *in, uint32_t len, struct abuf *out,
	       uint32_t limit, uint32_t *dropped, uint32_t *produced)
{
	uint8_t buf[4096];
	int rc = Z_OK;

	z->zs.next_in = (Bytef *)in;
	z->zs.avail_in = len;
	while (z->zs.avail_in > 0 && rc == Z_OK) {
		z->zs.next_out = buf;
		z->zs.avail_out = sizeof(buf);
		rc = inflate(&z->zs, Z_NO_FLUSH);
		if (rc == Z_BUF_ERROR)
			rc = Z_OK;	/* no progress possible: wait for input */
		if (rc != Z_OK && rc != Z_STREAM_END)
			break;
		uint32_t n = (uint32_t)(sizeof(buf) - z->zs.avail_out);

		*produced += n;
		*dropped += put(out, buf, n, limit);
		if (limit && out->len >= limit)
			break;	/* the rest cannot be kept: do not spend time on it */
		if (n == 0 && z->zs.avail_in > 0 && rc == Z_OK && z->zs.avail_out > 0)
			break;
	}
	return rc;
}

/* The start of the body (held, then in) is not in the coding it claims.
 * A "deflate" body may be raw deflate without the zlib wrapper: try that;
 * otherwise the body goes on as it came. */
static uint32_t fall_back(struct http_inflate *z, const uint8_t *in, uint32_t len,
			  struct abuf *out, uint32_t limit)
{
	uint32_t dropped = 0, produced = 0;
	int rc;

	if (z->coding == HTTP_CODING_DEFLATE && !z->raw_tried) {
		z->raw_tried = true;
		inflateEnd(&z->zs);
		if (zs_init(z) == 0) {
			rc = run(z, z->hold, z->nhold, out, limit, &dropped, &produced);
			if (rc == Z_OK)
				rc = run(z, in, len, out, limit, &dropped, &produced);
			if (rc == Z_STREAM_END || (rc != Z_OK && produced > 0)) {
				z->state = INF_DONE;
				return dropped;
			}
			if (rc == Z_OK) {
				z->state = produced > 0 ? INF_RUN : INF_START;
				if (z->state == INF_START)
					hold(z, in, len);
				return dropped;
			}
		}
	}
	z->state = INF_PASS;
	return put(out, z->hold, z->nhold, limit) + put(out, in, len, limit);
}

uint32_t http_inflate_feed(struct http_inflate *z, const uint8_t *in, uint32_t len,
			   struct abuf *out, uint32_t limit, bool *bad)
{
	uint32_t dropped = 0, produced = 0;
	int rc;

	*bad = false;
	if (z->state == INF_PASS)
		return put(out, in, len, limit);
	if (z->state == INF_DONE)
		return 0;
	rc = run(z, in, len, out, limit, &dropped, &produced);
	if (rc == Z_STREAM_END) {
		z->state = INF_DONE;
		return dropped;
	}
	if (rc == Z_OK) {
		if (produced > 0)
			z->state = INF_RUN;
		else if (z->state == INF_START)
			hold(z, in, len);
		return dropped;
	}
	*bad = true;
	if (z->state == INF_START && produced == 0 && z->held_all)
		return fall_back(z, in, len, out, limit);
	z->state = INF_DONE;	/* broken mid-way: what was inflated stays */
	return dropped;
}
