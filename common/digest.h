/* SPDX-License-Identifier: MIT */
/* One-shot message digests with nettle (JA3's MD5, certificate
 * fingerprints, Community ID, the to_md5/to_sha1/to_sha256 transforms).
 * Whoever includes this links nettle (nettle_dep). */
#ifndef IDS_DIGEST_H
#define IDS_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

static inline void digest_md5(const void *d, size_t n, uint8_t out[MD5_DIGEST_SIZE])
{
	struct md5_ctx c;

	md5_init(&c);
	md5_update(&c, n, d);
	md5_digest(&c, MD5_DIGEST_SIZE, out);
}

static inline void digest_sha1(const void *d, size_t n, uint8_t out[SHA1_DIGEST_SIZE])
{
	struct sha1_ctx c;

	sha1_init(&c);
	sha1_update(&c, n, d);
	sha1_digest(&c, SHA1_DIGEST_SIZE, out);
}

static inline void digest_sha256(const void *d, size_t n, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, n, d);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}

#endif
