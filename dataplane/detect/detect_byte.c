/* SPDX-License-Identifier: MIT */
/* byte_test, byte_jump, byte_extract, byte_math and isdataat on one buffer,
 * with Suricata's semantics (DetectBytetestDoMatch, DetectBytejumpDoMatch,
 * DetectByteExtractDoMatch, DetectByteMathDoMatch, the isdataat branch of
 * the content inspection):
 * - relative: from prev, the end of the previous match in the buffer;
 *   otherwise from the buffer start. The bytes read must lie inside it.
 * - bitmask: AND, then shift right by the mask's trailing zero bits.
 * - byte_jump lands at read end + value*multiplier (aligned to 4 with
 *   align) + post_offset, or from the buffer start/end; before the start
 *   clamps to 0, past the end is no match. byte_extract and byte_math move
 *   prev past the bytes read; byte_test does not move it. */
#include <stdlib.h>
#include <string.h>

#include "detect-int.h"

/* The value of a variable or of a literal. */
static inline uint64_t value_of(const struct rule_byte *b, const uint64_t *vars)
{
	return (b->flags & BYTE_F_VALUE_VAR) ? vars[b->value] : b->value;
}

static inline int64_t offset_of(const struct rule_byte *b, const uint64_t *vars)
{
	return (b->flags & BYTE_F_OFFSET_VAR) ? (int64_t)(int32_t)vars[b->offset] : b->offset;
}

/* A binary read of no bytes (byte_jump:0): value 0, and Suricata's only
 * bound on where it starts is the buffer's start. */
static inline bool reads_nothing(const struct rule_byte *b)
{
	return b->nbytes == 0 && !(b->flags & BYTE_F_STRING);
}

/* Where the bytes start, or -1 when they do not fit in the buffer. */
static int64_t read_pos(const struct rule_byte *b, uint32_t len, uint32_t prev,
			const uint64_t *vars)
{
	int64_t pos = offset_of(b, vars);

	if (b->flags & BYTE_F_RELATIVE) {
		pos += prev;
		if (b->nbytes && (int64_t)len - pos <= 0)
			return -1;	/* no byte left after the relative base */
	}
	if (pos < 0 || (!reads_nothing(b) && pos + b->nbytes > (int64_t)len))
		return -1;
	return pos;
}

/* Reads the number at p (avail bytes left): binary in the rule's byte
 * order, or an ASCII number in its base (strtoull over at most nbytes
 * characters, or what is there up to 23 when nbytes is 0). *used is the
 * bytes consumed. False when there is no number. */
static bool read_value(const struct rule_byte *b, const uint8_t *p, uint32_t avail,
		       uint64_t *val, uint32_t *used)
{
	uint64_t v = 0;

	if (b->flags & BYTE_F_STRING) {
		uint32_t n = b->nbytes ? b->nbytes : (avail < 23 ? avail : 23);
		char tmp[24], *end;

		memcpy(tmp, p, n);
		tmp[n] = '\0';
		v = strtoull(tmp, &end, b->base);
		if (end == tmp)
			return false;
		*val = v;
		*used = (uint32_t)(end - tmp);
		return true;
	}
	for (uint32_t i = 0; i < b->nbytes; i++) {
		uint32_t k = (b->flags & BYTE_F_LITTLE) ? b->nbytes - 1 - i : i;

		v = v << 8 | p[k];
	}
	*val = v;
	*used = b->nbytes;
	return true;
}

static inline uint64_t apply_mask(const struct rule_byte *b, uint64_t v)
{
	if (b->flags & BYTE_F_BITMASK) {
		v &= b->bitmask;
		if (v)
			v >>= b->shift;
	}
	return v;
}

/* The keyword's value: where it sits (*pos), what it reads (*v) and how
 * many bytes (*used). False when the buffer holds no such value. */
static bool read_field(const struct rule_byte *b, const uint8_t *buf, uint32_t len,
		       uint32_t prev, const uint64_t *vars, int64_t *pos, uint64_t *v,
		       uint32_t *used)
{
	if (len == 0)
		return false;
	*pos = read_pos(b, len, prev, vars);
	if (*pos < 0)
		return false;
	if (reads_nothing(b)) {
		*v = 0;
		*used = 0;
		return true;
	}
	return read_value(b, buf + *pos, len - (uint32_t)*pos, v, used);
}

bool detect_byte_test(const struct rule_byte *b, const uint8_t *buf, uint32_t len,
		      uint32_t prev, const uint64_t *vars)
{
	const uint64_t want = value_of(b, vars);
	int64_t pos;
	uint32_t used;
	uint64_t v;
	bool m;

	if (!read_field(b, buf, len, prev, vars, &pos, &v, &used))
		return false;
	v = apply_mask(b, v);
	switch (b->op) {
	case BOP_LT: m = v < want; break;
	case BOP_GT: m = v > want; break;
	case BOP_EQ: m = v == want; break;
	case BOP_LE: m = v <= want; break;
	case BOP_GE: m = v >= want; break;
	case BOP_AND: m = (v & want) != 0; break;
	case BOP_XOR: m = (v ^ want) != 0; break;
	default: m = false; break;
	}
	return m != ((b->flags & BYTE_F_NEGATED) != 0);
}

bool detect_byte_jump(const struct rule_byte *b, const uint8_t *buf, uint32_t len,
		      uint32_t prev, const uint64_t *vars, uint32_t *newpos)
{
	int64_t pos, to;
	uint32_t used;
	uint64_t v;

	if (!read_field(b, buf, len, prev, vars, &pos, &v, &used))
		return false;
	v = apply_mask(b, v);
	/* a jump beyond any buffer: no match, and no overflow below */
	if (v > UINT32_MAX)
		return false;
	v *= b->multiplier;
	if ((b->flags & BYTE_F_ALIGN) && (v % 4))
		v += 4 - v % 4;
	if (b->flags & BYTE_F_BEGIN)
		to = (int64_t)v;
	else if (b->flags & BYTE_F_END)
		to = (int64_t)len + (int64_t)v;
	else
		to = pos + used + (int64_t)v;
	to += b->post_offset;
	if (to < 0)
		to = 0;
	if (to > (int64_t)len)
		return false;
	*newpos = (uint32_t)to;
	return true;
}

bool detect_byte_extract(const struct rule_byte *b, const uint8_t *buf, uint32_t len,
			 uint32_t prev, uint64_t *vars, uint32_t *newpos)
{
	int64_t pos;
	uint32_t used;
	uint64_t v;

	if (!read_field(b, buf, len, prev, vars, &pos, &v, &used))
		return false;
	v *= b->multiplier;
	if (b->align && (v % b->align))
		v += b->align - v % b->align;
	vars[b->var] = v;
	*newpos = (uint32_t)(pos + used);
	return true;
}

bool detect_byte_math(const struct rule_byte *b, const uint8_t *buf, uint32_t len,
		      uint32_t prev, uint64_t *vars, uint32_t *newpos)
{
	const uint64_t rv = value_of(b, vars);
	int64_t pos;
	uint32_t used;
	uint64_t v;

	if (!read_field(b, buf, len, prev, vars, &pos, &v, &used))
		return false;
	switch (b->op) {
	case BOP_ADD: v += rv; break;
	case BOP_SUB: v -= rv; break;
	case BOP_MUL: v *= rv; break;
	case BOP_DIV:
		if (rv == 0)
			return false;
		v /= rv;
		break;
	case BOP_SHL: v = rv < 64 ? v << rv : 0; break;
	case BOP_SHR: v = rv < 64 ? v >> rv : 0; break;
	default: break;
	}
	vars[b->var] = apply_mask(b, v);
	*newpos = (uint32_t)(pos + used);
	return true;
}

/* 1 match, 0 no match, -1 no match that no retry of an earlier match can
 * change (Suricata's "discontinue"). A relative isdataat asks that prev+N
 * does not pass the end; an absolute one that byte N exists. */
int detect_isdataat(const struct rule_byte *b, uint32_t len, uint32_t prev, const uint64_t *vars)
{
	const bool neg = b->flags & BYTE_F_NEGATED;
	const bool var = b->flags & BYTE_F_VALUE_VAR;
	const int fail = var ? 0 : -1;
	uint64_t at = value_of(b, vars);

	if (var && at >= 100000000u)
		return neg ? 1 : 0;
	if (b->flags & BYTE_F_RELATIVE) {
		if ((uint64_t)prev + at > len)
			return neg ? 1 : fail;
		return neg ? 0 : 1;
	}
	if (at < len)
		return neg ? fail : 1;
	return neg ? 1 : fail;
}
