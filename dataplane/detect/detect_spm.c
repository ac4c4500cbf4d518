/* SPDX-License-Identifier: MIT */
/* Single-pattern search for verification: the content a rule names, in the
 * window its modifiers allow. Patterns are short and windows mostly small,
 * so a compiled matcher per content (Boyer-Moore tables, a Hyperscan
 * database) costs more to set up and hold than it saves; instead 16 window
 * positions (32 where the CPU has AVX2) are tested at once for the
 * pattern's first and last byte (both cases with nocase), and only
 * positions passing both are compared in full.
 * Linear in the window whatever the input. */
#include <string.h>

#include "detect-int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef __x86_64__
#include <immintrin.h>
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
/* Positions [from, last]: 16 at a time while the last byte's load stays in
 * the buffer; returns the match, or sets *done to where the tail starts.
 * Inlined with nocase a constant, so that the case-sensitive search tests
 * each byte once (both "cases" of a byte are then the same vector). */
static inline __attribute__((always_inline)) const uint8_t *
scan_sse2(const uint8_t *buf, size_t from, size_t last, const uint8_t *pat, size_t plen,
	  bool nocase, size_t *done)
{
	const __m128i f1 = _mm_set1_epi8((char)pat[0]);
	const __m128i f2 = _mm_set1_epi8((char)(nocase ? other_case(pat[0]) : pat[0]));
	const __m128i l1 = _mm_set1_epi8((char)pat[plen - 1]);
	const __m128i l2 = _mm_set1_epi8((char)(nocase ? other_case(pat[plen - 1]) : pat[plen - 1]));
	size_t i = from;

	for (; i + 16 <= last + 1; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(buf + i + plen - 1));
		__m128i ma = _mm_or_si128(_mm_cmpeq_epi8(a, f1), _mm_cmpeq_epi8(a, f2));
		__m128i mb = _mm_or_si128(_mm_cmpeq_epi8(b, l1), _mm_cmpeq_epi8(b, l2));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(ma, mb));

		for (; m != 0; m &= m - 1) {
			const uint8_t *at = buf + i + (unsigned)__builtin_ctz(m);

			if (candidate_ok(at, pat, plen, nocase))
				return at;
		}
	}
	*done = i;
	return NULL;
}
#else
static inline const uint8_t *scan_sse2(const uint8_t *buf, size_t from, size_t last,
				       const uint8_t *pat, size_t plen, bool nocase, size_t *done)
{
	(void)buf, (void)last, (void)pat, (void)plen, (void)nocase;
	*done = from;
	return NULL;
}
#endif

#ifdef __x86_64__
/* scan_sse2 32 positions at a time, where the CPU has AVX2 (Hyperscan's
 * avx2 build runs on the same CPUs): positions [0, last]; *done as
 * scan_sse2's. */
static inline __attribute__((always_inline, target("avx2"))) const uint8_t *
scan_avx2(const uint8_t *buf, size_t last, const uint8_t *pat, size_t plen, bool nocase,
	  size_t *done)
{
	const __m256i f1 = _mm256_set1_epi8((char)pat[0]);
	const __m256i f2 = _mm256_set1_epi8((char)(nocase ? other_case(pat[0]) : pat[0]));
	const __m256i l1 = _mm256_set1_epi8((char)pat[plen - 1]);
	const __m256i l2 =
		_mm256_set1_epi8((char)(nocase ? other_case(pat[plen - 1]) : pat[plen - 1]));
	size_t i = 0;

	for (; i + 32 <= last + 1; i += 32) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(buf + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(buf + i + plen - 1));
		__m256i ma = _mm256_or_si256(_mm256_cmpeq_epi8(a, f1), _mm256_cmpeq_epi8(a, f2));
		__m256i mb = _mm256_or_si256(_mm256_cmpeq_epi8(b, l1), _mm256_cmpeq_epi8(b, l2));
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(ma, mb));

		for (; m != 0; m &= m - 1) {
			const uint8_t *at = buf + i + (unsigned)__builtin_ctz(m);

			if (candidate_ok(at, pat, plen, nocase))
				return at;
		}
	}
	*done = i;
	return NULL;
}

static __attribute__((target("avx2"))) const uint8_t *
scan_wide(const uint8_t *buf, size_t last, const uint8_t *pat, size_t plen, bool nocase,
	  size_t *done)
{
	const uint8_t *hit = nocase ? scan_avx2(buf, last, pat, plen, true, done) :
				      scan_avx2(buf, last, pat, plen, false, done);

	if (hit != NULL)
		return hit;
	return nocase ? scan_sse2(buf, *done, last, pat, plen, true, done) :
			scan_sse2(buf, *done, last, pat, plen, false, done);
}

static bool have_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}
#else
static const uint8_t *scan_wide(const uint8_t *buf, size_t last, const uint8_t *pat,
				size_t plen, bool nocase, size_t *done)
{
	(void)buf, (void)last, (void)pat, (void)plen, (void)nocase;
	*done = 0;
	return NULL;
}

static bool have_avx2(void)
{
	return false;
}
#endif

/* Positions [0, last] in vectors; *done: where the scalar tail starts. */
static const uint8_t *scan_vector(const uint8_t *buf, size_t last, const uint8_t *pat,
				  size_t plen, bool nocase, size_t *done)
{
	if (last >= 31 && have_avx2())
		return scan_wide(buf, last, pat, plen, nocase, done);
	return nocase ? scan_sse2(buf, 0, last, pat, plen, true, done) :
			scan_sse2(buf, 0, last, pat, plen, false, done);
}

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
