/* SPDX-License-Identifier: MIT */
#include "hugemap.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

static size_t round_up(size_t n)
{
	return (n + HUGEMAP_PAGE - 1) & ~(HUGEMAP_PAGE - 1);
}

void *hugemap_alloc(size_t bytes)
{
	size_t len, span, head;
	uint8_t *raw, *p;

	if (bytes == 0 || bytes > SIZE_MAX - 2 * HUGEMAP_PAGE)
		return NULL;
	/* map one page more than asked and trim both ends to the alignment */
	len = round_up(bytes);
	span = len + HUGEMAP_PAGE;
	raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	p = (uint8_t *)(((uintptr_t)raw + HUGEMAP_PAGE - 1) & ~(uintptr_t)(HUGEMAP_PAGE - 1));
	head = (size_t)(p - raw);
	if (head > 0)
		munmap(raw, head);
	if (span - head > len)
		munmap(p + len, span - head - len);
	/* advice only: refused, the mapping is ordinary pages */
	(void)madvise(p, len, MADV_HUGEPAGE);
	return p;
}

void hugemap_populate(void *p, size_t bytes)
{
	volatile uint8_t *b = p;

	if (p == NULL || bytes == 0 || madvise(p, bytes, MADV_POPULATE_WRITE) == 0)
		return;
	/* kernels before 5.14: a write per page does the same (the mapping is
	 * fresh, so it holds zeroes) */
	for (size_t off = 0; off < bytes; off += 4096)
		b[off] = 0;
}

bool hugemap_populate_shared(void *p, size_t bytes)
{
	return p != NULL && bytes > 0 && madvise(p, bytes, MADV_POPULATE_WRITE) == 0;
}

void hugemap_free(void *p, size_t bytes)
{
	if (p != NULL)
		munmap(p, round_up(bytes));
}

/* Hyperscan's blocks: each chunk starts with this header; a block larger
 * than a chunk can hold gets a mapping of its own with the same header.
 * Blocks start on 64 bytes (what Hyperscan asks of an allocator) and are
 * never reused inside a chunk: databases live as long as an engine, so a
 * chunk empties as a whole when the engine goes. */
#define HS_ALIGN 64u

struct hs_chunk {
	size_t len;              /* mapping length */
	size_t used;             /* carving point, from the chunk's start */
	size_t live;             /* blocks not yet freed */
};

static pthread_mutex_t hs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hs_chunk *hs_cur;

static size_t hs_head(void)
{
	return (sizeof(struct hs_chunk) + HS_ALIGN - 1) & ~(size_t)(HS_ALIGN - 1);
}

static struct hs_chunk *hs_chunk_new(size_t len)
{
	struct hs_chunk *c = hugemap_alloc(len);

	/* a scratch's arrays are first written by the worker's first scans */
	hugemap_populate(c, len);
	if (c != NULL)
		*c = (struct hs_chunk){ .len = round_up(len), .used = hs_head() };
	return c;
}

void *hugemap_hs_alloc(size_t bytes)
{
	size_t need = (bytes + HS_ALIGN - 1) & ~(size_t)(HS_ALIGN - 1);
	struct hs_chunk *c;
	void *p = NULL;

	if (bytes == 0 || need > SIZE_MAX / 2)
		return NULL;
	pthread_mutex_lock(&hs_lock);
	if (need > HUGEMAP_PAGE - hs_head()) {
		c = hs_chunk_new(hs_head() + need);  /* a block of its own */
	} else {
		if (hs_cur == NULL || hs_cur->len - hs_cur->used < need) {
			if (hs_cur != NULL && hs_cur->live == 0)
				hugemap_free(hs_cur, hs_cur->len);
			hs_cur = hs_chunk_new(HUGEMAP_PAGE);
		}
		c = hs_cur;
	}
	if (c != NULL) {
		p = (uint8_t *)c + c->used;
		c->used += need;
		c->live++;
	}
	pthread_mutex_unlock(&hs_lock);
	return p;
}

void hugemap_hs_free(void *p)
{
	struct hs_chunk *c;

	if (p == NULL)
		return;
	/* every block lies in the first 2 MiB of its mapping */
	c = (struct hs_chunk *)((uintptr_t)p & ~(uintptr_t)(HUGEMAP_PAGE - 1));
	pthread_mutex_lock(&hs_lock);
	if (--c->live == 0 && c != hs_cur)
		hugemap_free(c, c->len);
	pthread_mutex_unlock(&hs_lock);
}
