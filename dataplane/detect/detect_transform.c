/* SPDX-License-Identifier: MIT */
/* Suricata's transforms, applied in place to a copy of an app-layer buffer
 * (the caller's per-thread scratch). Every step writes no more than it
 * reads, except dotprefix (one byte more) and the digests (their fixed
 * size), so detect_xf_bound() tells the room a chain needs up front and the
 * hot path never allocates here. Semantics as Suricata 7:
 * - dotprefix: '.' in front, an empty buffer stays empty;
 * - strip_whitespace: drops every isspace() byte;
 * - compress_whitespace: a run of isspace() bytes becomes its first byte;
 * - to_lowercase / to_uppercase: ASCII letters only;
 * - to_md5 / to_sha1 / to_sha256: the binary digest (16, 20, 32 bytes);
 * - url_decode: %XX with two hex digits becomes the byte, '+' a space,
 *   a malformed or truncated escape stays as written;
 * - xor: each byte xored with the key, repeated from its start;
 * - header_lowercase: the header names (each line up to its ':') in
 *   lower case, values untouched;
 * - strip_pseudo_headers: lines starting with ':' (HTTP/2) are dropped;
 * - pcrexform: the first capture group of the first match becomes the
 *   buffer; without a match (or on a match limit) the buffer is unchanged. */
#include <ctype.h>
#include <string.h>

#include "../../common/digest.h"
#include "../../common/hex.h"
#include "detect_applayer-int.h"

enum { DIGEST_MAX = 32 };

static uint32_t digest_len(uint8_t kind)
{
	switch (kind) {
	case XFORM_TO_MD5:
		return 16;
	case XFORM_TO_SHA1:
		return 20;
	default:
		return 32;
	}
}

uint32_t detect_xf_bound(const struct rule_xchain *ch, uint32_t len)
{
	uint32_t cur = len, max = len;

	for (uint32_t i = 0; i < ch->n; i++) {
		switch (ch->x[i].kind) {
		case XFORM_DOTPREFIX:
			cur += cur ? 1 : 0;
			break;
		case XFORM_TO_MD5:
		case XFORM_TO_SHA1:
		case XFORM_TO_SHA256:
			cur = digest_len(ch->x[i].kind);
			break;
		default:
			break;
		}
		if (cur > max)
			max = cur;
	}
	return max;
}

static uint32_t strip_ws(uint8_t *b, uint32_t len)
{
	uint32_t o = 0;

	for (uint32_t i = 0; i < len; i++)
		if (!isspace(b[i]))
			b[o++] = b[i];
	return o;
}

static uint32_t compress_ws(uint8_t *b, uint32_t len)
{
	uint32_t o = 0;

	for (uint32_t i = 0; i < len; i++)
		if (!isspace(b[i]) || o == 0 || !isspace(b[o - 1]))
			b[o++] = b[i];
	return o;
}

static uint32_t url_decode(uint8_t *b, uint32_t len)
{
	uint32_t o = 0;

	for (uint32_t i = 0; i < len; i++) {
		if (b[i] == '%' && i + 2 < len && hex_digit(b[i + 1]) >= 0 && hex_digit(b[i + 2]) >= 0) {
			b[o++] = (uint8_t)(hex_digit(b[i + 1]) << 4 | hex_digit(b[i + 2]));
			i += 2;
		} else {
			b[o++] = b[i] == '+' ? ' ' : b[i];
		}
	}
	return o;
}

static uint32_t header_lower(uint8_t *b, uint32_t len)
{
	bool name = true;

	for (uint32_t i = 0; i < len; i++) {
		if (b[i] == '\n')
			name = true;
		else if (b[i] == ':')
			name = false;
		else if (name)
			b[i] = (uint8_t)tolower(b[i]);
	}
	return len;
}

static uint32_t strip_pseudo(uint8_t *b, uint32_t len)
{
	uint32_t o = 0;

	for (uint32_t i = 0; i < len;) {
		const uint8_t *nl = memchr(b + i, '\n', len - i);
		uint32_t end = nl ? (uint32_t)(nl - b) + 1 : len;

		if (b[i] != ':') {
			memmove(b + o, b + i, end - i);
			o += end - i;
		}
		i = end;
	}
	return o;
}

static uint32_t pcrexform(const struct rule_xform *x, uint8_t *b, uint32_t len,
			  pcre2_match_data *md, pcre2_match_context *mc)
{
	PCRE2_SIZE *ov;
	int rc = pcre2_match(x->code, b, len, 0, 0, md, mc);

	/* rc 0: the match data holds fewer groups than the expression, group 1 is there */
	if (rc < 0 || rc == 1)
		return len;
	ov = pcre2_get_ovector_pointer(md);
	if (ov[2] == PCRE2_UNSET || ov[3] < ov[2])
		return len;
	memmove(b, b + ov[2], ov[3] - ov[2]);
	return (uint32_t)(ov[3] - ov[2]);
}

static uint32_t digest(uint8_t kind, uint8_t *b, uint32_t len)
{
	uint8_t out[DIGEST_MAX];

	if (kind == XFORM_TO_MD5)
		digest_md5(b, len, out);
	else if (kind == XFORM_TO_SHA1)
		digest_sha1(b, len, out);
	else
		digest_sha256(b, len, out);
	memcpy(b, out, digest_len(kind));
	return digest_len(kind);
}

static uint32_t step(const struct rule_xform *x, uint8_t *b, uint32_t len,
		     pcre2_match_data *md, pcre2_match_context *mc)
{
	switch (x->kind) {
	case XFORM_DOTPREFIX:
		if (len == 0)
			return 0;
		memmove(b + 1, b, len);
		b[0] = '.';
		return len + 1;
	case XFORM_STRIP_WHITESPACE:
		return strip_ws(b, len);
	case XFORM_COMPRESS_WHITESPACE:
		return compress_ws(b, len);
	case XFORM_TO_LOWERCASE:
		for (uint32_t i = 0; i < len; i++)
			b[i] = (uint8_t)tolower(b[i]);
		return len;
	case XFORM_TO_UPPERCASE:
		for (uint32_t i = 0; i < len; i++)
			b[i] = (uint8_t)toupper(b[i]);
		return len;
	case XFORM_TO_MD5:
	case XFORM_TO_SHA1:
	case XFORM_TO_SHA256:
		return digest(x->kind, b, len);
	case XFORM_URL_DECODE:
		return url_decode(b, len);
	case XFORM_XOR:
		for (uint32_t i = 0; i < len; i++)
			b[i] ^= x->arg[i % x->arglen];
		return len;
	case XFORM_HEADER_LOWERCASE:
		return header_lower(b, len);
	case XFORM_STRIP_PSEUDO_HEADERS:
		return strip_pseudo(b, len);
	case XFORM_PCREXFORM:
		return pcrexform(x, b, len, md, mc);
	default:
		return len;
	}
}

uint32_t detect_xf_apply(const struct rule_xchain *ch, uint8_t *buf, uint32_t len,
			 pcre2_match_data *md, pcre2_match_context *mc)
{
	for (uint32_t i = 0; i < ch->n; i++)
		len = step(&ch->x[i], buf, len, md, mc);
	return len;
}

bool detect_xf_chain_equal(const struct rule_xchain *a, const struct rule_xchain *b)
{
	if (a->buf != b->buf || a->n != b->n)
		return false;
	for (uint32_t i = 0; i < a->n; i++) {
		const struct rule_xform *x = &a->x[i], *y = &b->x[i];

		if (x->kind != y->kind || x->arglen != y->arglen ||
		    (x->arglen && memcmp(x->arg, y->arg, x->arglen) != 0))
			return false;
	}
	return true;
}
