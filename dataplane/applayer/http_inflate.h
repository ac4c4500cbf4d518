/* SPDX-License-Identifier: MIT */
/* Request bodies sent with Content-Encoding gzip or deflate, inflated with
 * zlib into the body buffer rules inspect (Suricata 7 decompresses POST
 * data too). libhtp 0.5.42's own request decompression is not used: it
 * turns a body that only claims to be gzip into nothing, where Suricata
 * (its issue 6959) inspects such a body as sent. */
#ifndef IDS_HTTP_INFLATE_H
#define IDS_HTTP_INFLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "applayer-int.h"

struct http_inflate;

/* The coding a Content-Encoding value names for one layer: gzip (also
 * x-gzip), deflate, or none for identity and anything else. */
enum http_coding { HTTP_CODING_NONE, HTTP_CODING_GZIP, HTTP_CODING_DEFLATE };
enum http_coding http_coding_of(const uint8_t *value, size_t len);

/* NULL on allocation failure. */
struct http_inflate *http_inflate_new(enum http_coding coding);
void http_inflate_free(struct http_inflate *z);

/* Inflate in[0..len) onto out, which holds at most limit bytes (0: no
 * limit). Data that is not in the coding it claims goes to out as it came
 * (only when nothing was inflated before it); a stream that breaks later
 * stops there. Returns the bytes dropped at the limit; *bad is set when
 * the body was not what it claimed (for a counter). */
uint32_t http_inflate_feed(struct http_inflate *z, const uint8_t *in, uint32_t len,
			   struct abuf *out, uint32_t limit, bool *bad);

#endif
