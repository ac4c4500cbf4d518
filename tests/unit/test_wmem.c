/* SPDX-License-Identifier: MIT */
/* The per-worker pool (common/wmem.c): sizes, contents kept when a block
 * grows, freed blocks reused, live blocks never overlapping, large blocks
 * through malloc, and the spare chunk another thread backs ahead. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "common/hugemap.h"
#include "common/wmem.h"

static void test_sizes(void)
{
	struct wmem *m = wmem_create();
	uint32_t cap;
	void *p;

	CHECK(m != NULL);
	p = wmem_alloc(m, 1, &cap);
	CHECK(p != NULL);
	CHECK_INT(64, cap);
	wmem_free(m, p, cap);
	CHECK(wmem_alloc(m, 50, &cap) == p);	/* the freed block comes back */
	CHECK_INT(64, cap);
	p = wmem_alloc(m, 65, &cap);
	CHECK_INT(128, cap);
	p = wmem_alloc(m, 1u << 20, &cap);
	CHECK_INT(1u << 20, cap);
	CHECK_INT(2u << 20, wmem_chunk_bytes(m));
	p = wmem_alloc(m, 1u << 20, &cap);		/* no longer fits the first chunk */
	CHECK_INT(4u << 20, wmem_chunk_bytes(m));
	p = wmem_alloc(m, (1u << 20) + 1, &cap);	/* beyond the classes: malloc */
	CHECK(p != NULL);
	CHECK_INT((1u << 20) + 1, cap);
	wmem_free(m, p, cap);
	wmem_destroy(m);
}

/* Each request gets the smallest class that holds it, on both sides of
 * every class boundary; the pool counts the bytes of the blocks out (as
 * their class sizes), and none once all are back. */
static void test_classes_used(void)
{
	struct wmem *m = wmem_create();
	uint32_t cap, big;
	uint64_t out = 0;
	void *p, *q;

	CHECK(m != NULL);
	for (unsigned s = 6; s <= 20; s++) {
		p = wmem_alloc(m, 1u << s, &cap);
		CHECK_INT(1u << s, cap);
		out += cap;
		CHECK_INT(out, wmem_used_bytes(m));
		wmem_free(m, p, 1u << s);	/* by the size asked */
		out -= cap;
		p = wmem_alloc(m, (1u << s) - 1, &cap);
		CHECK_INT(1u << s, cap);
		wmem_free(m, p, cap);
		if (s < 20) {
			p = wmem_alloc(m, (1u << s) + 1, &cap);
			CHECK_INT(2u << s, cap);
			wmem_free(m, p, cap);
		}
	}
	CHECK_INT(0, wmem_used_bytes(m));
	p = wmem_zalloc(m, 100);
	q = wmem_alloc(m, (1u << 20) + 1, &big);	/* beyond the classes */
	CHECK_INT(128 + big, wmem_used_bytes(m));
	q = wmem_grow(m, q, big, 0, (2u << 20) + 1, &big);
	CHECK_INT(128 + (2u << 20) + 1, wmem_used_bytes(m));
	wmem_free(m, q, big);
	wmem_free(m, p, 100);
	CHECK_INT(0, wmem_used_bytes(m));
	wmem_destroy(m);
}

static void test_grow_keeps(void)
{
	struct wmem *m = wmem_create();
	uint32_t cap = 0, len = 0;
	uint8_t *p = NULL;
	bool ok = true;

	for (uint32_t step = 0; step < 300; step++) {
		uint32_t add = 1 + step * 37 % 3000;
		uint8_t *q = wmem_grow(m, p, cap, len, len + add, &cap);

		CHECK(q != NULL);
		if (q == NULL)
			break;
		p = q;
		for (uint32_t i = 0; i < add; i++)
			p[len + i] = (uint8_t)(len + i);
		len += add;
		if (len > 500000)
			break;
	}
	for (uint32_t i = 0; i < len; i++)
		ok &= p[i] == (uint8_t)i;
	CHECK(ok);
	wmem_free(m, p, cap);
	wmem_destroy(m);
}

/* Many live blocks of mixed sizes, each filled with its own byte: no block
 * may write into another. */
static void test_no_overlap(void)
{
	enum { N = 4000 };
	struct wmem *m = wmem_create();
	uint8_t *b[N];
	uint32_t cap[N], want[N];
	bool ok = true;

	srand(3);
	for (int i = 0; i < N; i++) {
		want[i] = 1 + (uint32_t)rand() % 9000;
		b[i] = wmem_alloc(m, want[i], &cap[i]);
		CHECK(b[i] != NULL && cap[i] >= want[i]);
		memset(b[i], i & 0xff, cap[i]);
		if (i % 3 == 0) {	/* churn: free some, their room is reused */
			wmem_free(m, b[i / 2], cap[i / 2]);
			b[i / 2] = wmem_alloc(m, want[i / 2], &cap[i / 2]);
			memset(b[i / 2], (i / 2) & 0xff, cap[i / 2]);
		}
	}
	for (int i = 0; i < N; i++)
		for (uint32_t k = 0; k < cap[i]; k++)
			ok &= b[i][k] == (uint8_t)(i & 0xff);
	CHECK(ok);
	wmem_destroy(m);
}

/* Whether the page holding p is backed (without touching it). */
static bool resident(const void *p)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char v = 0;
	void *page = (void *)((uintptr_t)p & ~(uintptr_t)(pg - 1));

	return mincore(page, (size_t)pg, &v) == 0 && (v & 1);
}

/* The spare: one at a time, taken by the next growth, backed before the
 * owner touches it; without it the owner's chunk is a fresh mapping. */
static void test_spare(void)
{
	struct wmem *m = wmem_create(), *plain = wmem_create();
	uint32_t cap;
	uint8_t *p;

	CHECK_INT(HUGEMAP_PAGE, wmem_back_spare(m));
	CHECK_INT(0, wmem_back_spare(m));		/* ready already */
	CHECK_INT(0, wmem_chunk_bytes(m));		/* not the owner's yet */
	p = wmem_alloc(m, 4096, &cap);
	CHECK(p != NULL);
	CHECK(resident(p));
	CHECK_INT(HUGEMAP_PAGE, wmem_chunk_bytes(m));
	CHECK_INT(HUGEMAP_PAGE, wmem_back_spare(m));	/* the slot was emptied */
	p = wmem_alloc(plain, 4096, &cap);
	CHECK(p != NULL);
	CHECK(!resident(p));
	wmem_destroy(plain);
	wmem_destroy(m);				/* the unused spare too */
}

struct backer {
	struct wmem *m;
	atomic_bool stop;
	atomic_ulong backed;
};

static void *backer_run(void *arg)
{
	struct backer *b = arg;

	while (!atomic_load(&b->stop)) {
		atomic_fetch_add(&b->backed, wmem_back_spare(b->m));
		usleep(100);
	}
	return NULL;
}

/* A backer thread refilling the spare while the owner grows through many
 * chunks: every block is the owner's alone, and the chunks it took are
 * counted once. */
static void test_spare_concurrent(void)
{
	enum { N = 96 };
	struct backer b = { .m = wmem_create() };
	uint8_t *blk[N];
	uint32_t cap[N];
	pthread_t t;
	bool ok = true;

	CHECK_INT(0, pthread_create(&t, NULL, backer_run, &b));
	for (int i = 0; i < N; i++) {
		blk[i] = wmem_alloc(b.m, 1u << 20, &cap[i]);
		CHECK(blk[i] != NULL);
		memset(blk[i], i, cap[i]);
		if (i % 8 == 0)
			usleep(300);		/* let the backer catch up at times */
	}
	atomic_store(&b.stop, true);
	pthread_join(t, NULL);
	for (int i = 0; i < N; i++)
		for (uint32_t k = 0; k < cap[i]; k += 4096)
			ok &= blk[i][k] == (uint8_t)i && blk[i][cap[i] - 1] == (uint8_t)i;
	CHECK(ok);
	CHECK_INT((uint64_t)N / 2 * HUGEMAP_PAGE, wmem_chunk_bytes(b.m));
	CHECK(atomic_load(&b.backed) >= HUGEMAP_PAGE);
	wmem_destroy(b.m);
}

int main(void)
{
	test_sizes();
	test_classes_used();
	test_grow_keeps();
	test_no_overlap();
	test_spare();
	test_spare_concurrent();
	return check_result("wmem");
}
