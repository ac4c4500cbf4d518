/* SPDX-License-Identifier: MIT */
/* Single-pattern search for verification: the content a rule names, in the
 * window its modifiers allow. Patterns are short and windows mostly small,
 * so a compiled matcher per content (Boyer-Moore tables, a Hyperscan
 * database) costs more to set up and hold than it saves; instead 16 window
 * positions are tested at once for the pattern's first and last byte (both
 * cases with nocase), and only positions passing both are compared in full.
 * Linear in the window whatever the input. */
#include <string.h>

#include "detect-int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ASCII case folding, as Suricata's nocase (no locale). */
static inline uint8_t fold(uint8_t c)
{
	return (uint8_t)(c | ((uint8_t)(c - 'A') < 26u ? 0x20 : 0));
}

static inline uint8_t other_case(uint8_t c)
{
	return (uint8_t)(fold(c) - 'a') < 26u ? (uint8_t)(c ^ 0x20) : c;
}

static bool equal_fold(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fold(a[i]) != fold(b[i]))
			return false;
	return true;
}

static inline bool candidate_ok(const uint8_t *at, const uint8_t *pat, size_t plen, bool nocase)
{
	/* first and last byte already passed */
	if (plen <= 2)
		return true;
	return nocase ? equal_fold(at + 1, pat + 1, plen - 2) : memcmp(at + 1, pat + 1, plen - 2) == 0;
}

/* Positions [from, last] one at a time: the tail the vector loop left. */
static const uint8_t *scan_scalar(const uint8_t *buf, size_t from, size_t last, const uint8_t *pat,
				  size_t plen, bool nocase)
{
	const uint8_t f = nocase ? fold(pat[0]) : pat[0];
	const uint8_t l = nocase ? fold(pat[plen - 1]) : pat[plen - 1];

	for (size_t i = from; i <= last; i++) {
		uint8_t a = nocase ? fold(buf[i]) : buf[i];
		uint8_t b = nocase ? fold(buf[i + plen - 1]) : buf[i + plen - 1];

		if (a == f && b == l && candidate_ok(buf + i, pat, plen, nocase))
			return buf + i;
	}
	return NULL;
}

#ifdef __SSE2__
/* Positions [0, last]: 16 at a time while the last byte's load stays in
 * the buffer; returns the match, or sets *done to where the tail starts. */
static const uint8_t *scan_vector(const uint8_t *buf, size_t last, const uint8_t *pat, size_t plen,
				  bool nocase, size_t *done)
{
	const __m128i f1 = _mm_set1_epi8((char)pat[0]);
	const __m128i f2 = _mm_set1_epi8((char)(nocase ? other_case(pat[0]) : pat[0]));
	const __m128i l1 = _mm_set1_epi8((char)pat[plen - 1]);
	const __m128i l2 = _mm_set1_epi8((char)(nocase ? other_case(pat[plen - 1]) : pat[plen - 1]));
	size_t i = 0;

	for (; i + 16 <= last + 1; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(buf + i + plen - 1));
		__m128i ma = _mm_or_si128(_mm_cmpeq_epi8(a, f1), _mm_cmpeq_epi8(a, f2));
		__m128i mb = _mm_or_si128(_mm_cmpeq_epi8(b, l1), _mm_cmpeq_epi8(b, l2));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(ma, mb));

		while (m != 0) {
			unsigned j = (unsigned)__builtin_ctz(m);

			if (candidate_ok(buf + i + j, pat, plen, nocase))
				return buf + i + j;
			m &= m - 1;
		}
	}
	*done = i;
	return NULL;
}
#else
static const uint8_t *scan_vector(const uint8_t *buf, size_t last, const uint8_t *pat, size_t plen,
				  bool nocase, size_t *done)
{
	(void)buf, (void)last, (void)pat, (void)plen, (void)nocase;
	*done = 0;
	return NULL;
}
#endif

const uint8_t *detect_spm_find(const uint8_t *buf, size_t len, const uint8_t *pat, size_t plen,
			       bool nocase)
{
	const uint8_t *hit;
	size_t done;

	if (plen == 0)
		return buf;
	if (plen > len)
		return NULL;
	if (plen == 1 && !nocase)
		return memchr(buf, pat[0], len);
	/* positions [0, len - plen] can start a match */
	hit = scan_vector(buf, len - plen, pat, plen, nocase, &done);
	if (hit != NULL)
		return hit;
	return scan_scalar(buf, done, len - plen, pat, plen, nocase);
}
