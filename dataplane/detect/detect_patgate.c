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

#include "detect-int.h"

/* At most this many head patterns: one bit each. A head with more has no
 * gate (its scans all run). */
#define GATE_MAX_PATS 64u

struct pat_gate {
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

static void add_pattern(struct pat_gate *g, uint32_t j, const struct pat_ref *r)
{
	const uint64_t bit = 1ull << j;

	for (uint32_t k = 0; k < DETECT_PF_BOUNDED_LEN; k++) {
		if (k >= r->len) {
			g->shorter[k] |= bit;
			for (uint32_t c = 0; c < 256; c++)
				g->at[k][c] |= bit;
			continue;
		}
		g->at[k][r->b[k]] |= bit;
		if (r->nocase)
			g->at[k][other_case(r->b[k])] |= bit;
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
	nhead = 0;
	for (uint32_t i = 0; i < n; i++)
		if ((i == 0 || refs[i - 1].id != refs[i].id) && db->info[refs[i].id].head)
			add_pattern(g, nhead++, &refs[i]);
	db->gate = g;
	return 0;
}

void pat_gate_free(struct pat_db *db)
{
	free(db->gate);
	db->gate = NULL;
}

bool pat_gate_pass(const struct pat_gate *g, const uint8_t *buf, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		uint64_t m = g->at[0][buf[i]];

		for (uint32_t k = 1; m != 0 && k < DETECT_PF_BOUNDED_LEN; k++)
			m &= i + k < len ? g->at[k][buf[i + k]] : g->shorter[k];
		if (m != 0)
			return true;
	}
	return false;
}
