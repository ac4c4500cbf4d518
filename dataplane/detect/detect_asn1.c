/* SPDX-License-Identifier: MIT */
/* asn1: BER objects (X.690 8.1) read one after another from the start
 * position, each with its children: at most ASN1_MAX_FRAMES objects in
 * sequence and as deep (Suricata's default max_frames). Each object has a
 * header of its own, so the work is bounded by the buffer's length. Reading stops at the
 * first object that is not whole (a length past the buffer, a bad length
 * form, too deep): as in Suricata, only whole objects are checked. The
 * checks, on any object:
 *   oversize_length N: its length is greater than N;
 *   bitstring_overflow: a primitive universal BIT STRING whose unused-bits
 *     count (its first content byte) exceeds its length in bits;
 *   double_overflow: a primitive universal REAL in decimal (ASCII) form
 *     (first content byte's top bits 00) longer than 256 bytes, the MSASN1
 *     overflow.
 *
 *   identifier: class(2) P/C(1) tag(5) [tag 31: base-128 tag bytes]
 *   length: 0xxxxxxx | 1nnnnnnn + n bytes big-endian (n 1..4 here; 0x80,
 *   the indefinite form, ends the reading: its end is not known) */
#include "detect-int.h"

#define ASN1_MAX_FRAMES 30u
#define BER_BITSTRING   3u
#define BER_REAL        9u

struct ber_walk {
	const struct rule_asn1 *a;
	uint32_t frames;          /* top-level objects read so far */
	bool hit;
};

/* The header of the object at b[0, len): tag, constructed, universal and
 * content length; the header's own size, 0 when it is not whole. */
static uint32_t ber_header(const uint8_t *b, uint32_t len, uint32_t *tag, bool *cons,
			   bool *universal, uint32_t *clen)
{
	uint32_t pos = 1, n;

	if (len < 2)
		return 0;
	*universal = (b[0] & 0xc0) == 0;
	*cons = (b[0] & 0x20) != 0;
	*tag = b[0] & 0x1f;
	if (*tag == 0x1f) {
		*tag = 0;
		do {
			if (pos >= len || *tag > (UINT32_MAX >> 7))
				return 0;
			*tag = *tag << 7 | (b[pos] & 0x7f);
		} while (b[pos++] & 0x80);
	}
	if (pos >= len)
		return 0;
	if (!(b[pos] & 0x80)) {
		*clen = b[pos];
		return pos + 1;
	}
	n = b[pos++] & 0x7f;
	if (n == 0 || n > 4 || pos + n > len)
		return 0;
	for (*clen = 0; n > 0; n--)
		*clen = *clen << 8 | b[pos++];
	return pos;
}

static bool check_object(const struct rule_asn1 *a, uint32_t tag, bool cons, bool universal,
			 const uint8_t *c, uint32_t clen)
{
	if ((a->flags & ASN1_F_OVERSIZE) && clen > a->oversize)
		return true;
	if ((a->flags & ASN1_F_BITSTRING) && universal && !cons && tag == BER_BITSTRING &&
	    clen > 0 && (uint64_t)c[0] > (uint64_t)clen * 8u)
		return true;
	if ((a->flags & ASN1_F_DOUBLE) && universal && !cons && tag == BER_REAL && clen > 256 &&
	    (c[0] & 0xc0) == 0)
		return true;
	return false;
}

/* Objects in b[0, len) at depth; false once the reading must stop. */
static bool walk(struct ber_walk *w, const uint8_t *b, uint32_t len, uint32_t depth)
{
	uint32_t pos = 0;

	if (depth >= ASN1_MAX_FRAMES)
		return false;
	while (pos < len && !w->hit) {
		uint32_t tag, clen, h;
		bool cons, universal;

		if (depth == 0 && w->frames++ >= ASN1_MAX_FRAMES)
			return false;
		h = ber_header(b + pos, len - pos, &tag, &cons, &universal, &clen);
		if (h == 0 || clen > len - pos - h)
			return false;
		if (check_object(w->a, tag, cons, universal, b + pos + h, clen)) {
			w->hit = true;
			return true;
		}
		if (cons && !walk(w, b + pos + h, clen, depth + 1))
			return false;
		pos += h + clen;
	}
	return true;
}

bool detect_asn1(const struct rule_asn1 *a, const uint8_t *buf, uint32_t len, uint32_t prev)
{
	struct ber_walk w = { .a = a };
	int64_t start = 0;

	if (a->flags & ASN1_F_ABSOLUTE)
		start = a->offset;
	else if (a->flags & ASN1_F_RELATIVE)
		start = (int64_t)prev + a->offset;
	if (start < 0 || start >= (int64_t)len)
		return false;
	walk(&w, buf + start, len - (uint32_t)start, 0);
	return w.hit;
}
