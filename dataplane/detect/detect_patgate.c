/* SPDX-License-Identifier: MIT */
/* The head database's gate: whether any of its patterns (at most
 * DETECT_PF_BOUNDED_LEN bytes) occurs in the bytes a head scan would cover.
 * A Hyperscan call has a fixed cost of 350 to 630 instructions however few
 * bytes it gets; a head covers at most a few dozen, and with ET Open on
 * corpus-mix nine head scans in ten found nothing (56,000 scans, 25 M
 * instructions). The gate answers those exactly, from one table per byte
 * of a pattern, and leaves the others, their hits and the hits' order, to
 * Hyperscan. */
#include <errno.h>
#include <stdlib.h>

#ifdef __x86_64__
#include <immintrin.h>
#endif

#include "detect-int.h"

/* At most this many head patterns: one bit each. A head with more has no
 * gate (its scans all run). */
#define GATE_MAX_PATS 64u

/* Positions a vector step tests, and the bytes it reads from its first. */
#define GATE_LANES 16u
#define GATE_READ (GATE_LANES + DETECT_PF_BOUNDED_LEN - 1u)
/* Patterns share the vector filter's 8 buckets (Hyperscan's Teddy). */
#define GATE_BUCKETS 8u

struct pat_gate {
	/* lo[k][v], hi[k][v]: bit b set when a pattern of bucket b has a byte
	 * at k whose low (high) nibble is v, or is shorter than k + 1 bytes:
	 * a superset filter of 16 positions at a time, the positions it
	 * leaves confirmed with at[] */
	uint8_t lo[DETECT_PF_BOUNDED_LEN][16] __attribute__((aligned(16)));
	uint8_t hi[DETECT_PF_BOUNDED_LEN][16] __attribute__((aligned(16)));
	/* at[k][c]: bit j set when head pattern j has byte c at k (either
	 * case when nocase), or is shorter than k + 1 bytes */
	uint64_t at[DETECT_PF_BOUNDED_LEN][256];
	/* shorter[k]: the patterns shorter than k + 1 bytes (index 0 unused):
	 * what may still match k bytes before the end */
	uint64_t shorter[DETECT_PF_BOUNDED_LEN];
};

static inline uint8_t other_case(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return (uint8_t)(c + 32);
	if (c >= 'a' && c <= 'z')
		return (uint8_t)(c - 32);
	return c;
}

static void add_byte(struct pat_gate *g, uint32_t k, uint8_t c, uint64_t bit, uint8_t bucket)
{
	g->at[k][c] |= bit;
	g->lo[k][c & 15] |= bucket;
	g->hi[k][c >> 4] |= bucket;
}

/* Pattern j of the head's n, in bucket j * GATE_BUCKETS / n: the patterns
 * come sorted, so neighbours, which share a bucket, share leading bytes. */
static void add_pattern(struct pat_gate *g, uint32_t j, uint32_t n, const struct pat_ref *r)
{
	const uint64_t bit = 1ull << j;
	const uint8_t bucket = (uint8_t)(1u << (j * GATE_BUCKETS / n));

	for (uint32_t k = 0; k < DETECT_PF_BOUNDED_LEN; k++) {
		if (k >= r->len) {
			g->shorter[k] |= bit;
			for (uint32_t c = 0; c < 256; c++)
				add_byte(g, k, (uint8_t)c, bit, bucket);
			continue;
		}
		add_byte(g, k, r->b[k], bit, bucket);
		if (r->nocase)
			add_byte(g, k, other_case(r->b[k]), bit, bucket);
	}
}

int pat_gate_build(struct pat_db *db, const struct pat_ref *refs, uint32_t n)
{
	struct pat_gate *g;
	uint32_t nhead = 0;

	for (uint32_t i = 0; i < n; i++)
		if ((i == 0 || refs[i - 1].id != refs[i].id) && db->info[refs[i].id].head)
			nhead++;
	if (nhead == 0 || nhead > GATE_MAX_PATS)
		return 0;
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return -ENOMEM;
	for (uint32_t i = 0, j = 0; i < n; i++)
		if ((i == 0 || refs[i - 1].id != refs[i].id) && db->info[refs[i].id].head)
			add_pattern(g, j++, nhead, &refs[i]);
	db->gate = g;
	return 0;
}

void pat_gate_free(struct pat_db *db)
{
	free(db->gate);
	db->gate = NULL;
}

/* A head pattern occurs at buf[i..len) (ends past len count as shorter). */
static inline bool hit_at(const struct pat_gate *g, const uint8_t *buf, uint32_t len, uint32_t i)
{
	uint64_t m = g->at[0][buf[i]];

	for (uint32_t k = 1; m != 0 && k < DETECT_PF_BOUNDED_LEN; k++)
		m &= i + k < len ? g->at[k][buf[i + k]] : g->shorter[k];
	return m != 0;
}

static bool pass_scalar(const struct pat_gate *g, const uint8_t *buf, uint32_t from, uint32_t len)
{
	for (uint32_t i = from; i < len; i++)
		if (hit_at(g, buf, len, i))
			return true;
	return false;
}

#ifdef __x86_64__
/* Positions [0, len) GATE_LANES at a time, each step reading GATE_READ
 * bytes from its first position within buf[0..readable) (readable >=
 * GATE_READ): a step that would read past it moves back to end there, its
 * positions done before left out; what no step can reach is tested one at
 * a time. A byte past len passes a position the patterns short enough pass
 * anyway (every nibble has their bucket), so the filter misses no hit;
 * what it passes, at[] decides. */
static __attribute__((target("ssse3"))) bool
pass_vector(const struct pat_gate *g, const uint8_t *buf, uint32_t len, uint32_t readable)
{
	const __m128i nib = _mm_set1_epi8(0x0f);

	for (uint32_t done = 0; done < len;) {
		uint32_t at = readable - GATE_READ, m;
		__m128i r = _mm_set1_epi8(-1);

		if (done <= at)
			at = done;
		else if (at + GATE_LANES <= done)
			return pass_scalar(g, buf, done, len);

		for (uint32_t k = 0; k < DETECT_PF_BOUNDED_LEN; k++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + at + k));
			__m128i l = _mm_shuffle_epi8(_mm_load_si128((const __m128i *)(const void *)g->lo[k]),
						     _mm_and_si128(v, nib));
			__m128i h = _mm_shuffle_epi8(_mm_load_si128((const __m128i *)(const void *)g->hi[k]),
						     _mm_and_si128(_mm_srli_epi16(v, 4), nib));

			r = _mm_and_si128(r, _mm_and_si128(l, h));
		}
		m = ~(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(r, _mm_setzero_si128())) & 0xffffu;
		/* lanes of positions before done (a step moved back) or past len */
		m &= ~0u << (done - at);
		if (len - at < GATE_LANES)
			m &= (1u << (len - at)) - 1u;
		for (; m != 0; m &= m - 1)
			if (hit_at(g, buf, len, at + (uint32_t)__builtin_ctz(m)))
				return true;
		done = at + GATE_LANES;
	}
	return false;
}

static bool have_ssse3(void)
{
	return __builtin_cpu_supports("ssse3");
}
#else
static bool pass_vector(const struct pat_gate *g, const uint8_t *buf, uint32_t len,
			uint32_t readable)
{
	(void)readable;
	return pass_scalar(g, buf, 0, len);
}

static bool have_ssse3(void)
{
	return false;
}
#endif

bool pat_gate_pass(const struct pat_gate *g, const uint8_t *buf, uint32_t len, uint32_t readable)
{
	if (readable >= GATE_READ && have_ssse3())
		return pass_vector(g, buf, len, readable);
	return pass_scalar(g, buf, 0, len);
}
