/* SPDX-License-Identifier: MIT */
/* Huge-page mappings and Hyperscan's allocator on them (common/hugemap.c):
 * alignment, zero fill, blocks that never overlap, blocks larger than a
 * chunk, chunks given back when their last block is freed (checked through
 * /proc/self/maps), and a real database compiled and scanned through it. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "check.h"
#include "common/hugemap.h"

/* Is address p inside some mapping of this process? */
static bool mapped(const void *p)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, a = (unsigned long)(uintptr_t)p;
	char line[512];
	bool in = false;

	if (f == NULL)
		return true;
	while (!in && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi)
			in = true;
	fclose(f);
	return in;
}

static void test_map(void)
{
	uint8_t *p = hugemap_alloc(1);
	uint8_t *q = hugemap_alloc(HUGEMAP_PAGE + 1);

	CHECK(p != NULL && q != NULL);
	CHECK_INT(0, (uintptr_t)p % HUGEMAP_PAGE);
	CHECK_INT(0, (uintptr_t)q % HUGEMAP_PAGE);
	CHECK_INT(0, p[HUGEMAP_PAGE - 1]);
	CHECK_INT(0, q[2 * HUGEMAP_PAGE - 1]);	/* rounded up to two pages */
	q[2 * HUGEMAP_PAGE - 1] = 1;
	hugemap_free(p, 1);
	hugemap_free(q, HUGEMAP_PAGE + 1);
	CHECK(!mapped(p));
	CHECK(!mapped(q));
	CHECK(hugemap_alloc(0) == NULL);
	hugemap_free(NULL, 0);
}

#define NBLK 200

static void test_hs_blocks(void)
{
	uint8_t *b[NBLK];
	size_t n[NBLK];
	uint8_t *big;

	for (int i = 0; i < NBLK; i++) {
		n[i] = 1 + (size_t)(i * 7919) % 40000;
		b[i] = hugemap_hs_alloc(n[i]);
		CHECK(b[i] != NULL);
		CHECK_INT(0, (uintptr_t)b[i] % 64);
		memset(b[i], i, n[i]);
	}
	for (int i = 0; i < NBLK; i++) {
		bool same = true;

		for (size_t k = 0; k < n[i]; k++)
			same &= b[i][k] == (uint8_t)i;
		CHECK(same);	/* no block overlaps another */
	}
	big = hugemap_hs_alloc(3 * HUGEMAP_PAGE);	/* a mapping of its own */
	CHECK(big != NULL);
	big[3 * HUGEMAP_PAGE - 1] = 1;
	hugemap_hs_free(big);
	CHECK(!mapped(big));
	/* 200 blocks of up to 40 KB fill several chunks: the full ones go
	 * with their last block, the current one stays for the next */
	for (int i = 0; i < NBLK; i++)
		hugemap_hs_free(b[i]);
	CHECK(!mapped(b[0]));
	CHECK(mapped(b[NBLK - 1]));
	CHECK(hugemap_hs_alloc(0) == NULL);
	hugemap_hs_free(NULL);
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	(void)from;
	(void)to;
	(void)flags;
	*(unsigned *)ctx |= 1u << id;
	return 0;
}

static void test_hs_database(void)
{
	const char *expr[] = { "needle", "hay" };
	unsigned flags[] = { HS_FLAG_SINGLEMATCH, HS_FLAG_SINGLEMATCH | HS_FLAG_CASELESS };
	unsigned ids[] = { 0, 1 };
	size_t lens[] = { 6, 3 };
	hs_database_t *db = NULL;
	hs_compile_error_t *err = NULL;
	hs_scratch_t *scratch = NULL;
	unsigned seen = 0;

	CHECK_INT(HS_SUCCESS, hs_set_database_allocator(hugemap_hs_alloc, hugemap_hs_free));
	CHECK_INT(HS_SUCCESS, hs_set_scratch_allocator(hugemap_hs_alloc, hugemap_hs_free));
	CHECK_INT(HS_SUCCESS, hs_compile_lit_multi(expr, flags, ids, lens, 2, HS_MODE_BLOCK, NULL,
						   &db, &err));
	CHECK_INT(HS_SUCCESS, hs_alloc_scratch(db, &scratch));
	CHECK_INT(HS_SUCCESS, hs_scan(db, "a HAYstack with a needle", 24, 0, scratch, on_match,
				      &seen));
	CHECK_INT(3, seen);
	hs_free_scratch(scratch);
	hs_free_database(db);
}

int main(void)
{
	test_map();
	test_hs_blocks();
	test_hs_database();
	return check_result("hugemap");
}
