/* SPDX-License-Identifier: MIT */
#include "wmem.h"
#include "hugemap.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SHIFT 6u                 /* 64 B */
#define MAX_SHIFT 20u                /* 1 MiB */
#define NCLASS (MAX_SHIFT - MIN_SHIFT + 1)
#define CHUNK HUGEMAP_PAGE

/* A free block holds the link to the next one of its size. */
struct free_block {
	struct free_block *next;
};

struct wmem {
	struct free_block *free[NCLASS];
	uint8_t *cur;                /* carving point in the newest chunk */
	uint32_t left;               /* bytes left after cur */
	uint32_t nchunks, capchunks;
	void **chunks;               /* to unmap them */
	uint64_t chunk_bytes;
	uint64_t used;               /* bytes of the blocks given out and not back */
	/* a backed chunk another thread left for the next growth: that thread
	 * only stores into an empty slot, the owner only takes */
	_Atomic(uint8_t *) spare;
};

struct wmem *wmem_create(void)
{
	return calloc(1, sizeof(struct wmem));
}

void wmem_destroy(struct wmem *m)
{
	if (m == NULL)
		return;
	for (uint32_t i = 0; i < m->nchunks; i++)
		hugemap_free(m->chunks[i], CHUNK);
	hugemap_free(atomic_load_explicit(&m->spare, memory_order_acquire), CHUNK);
	free(m->chunks);
	free(m);
}

uint64_t wmem_chunk_bytes(const struct wmem *m)
{
	return m->chunk_bytes;
}

uint64_t wmem_used_bytes(const struct wmem *m)
{
	return m->used;
}

size_t wmem_back_spare(struct wmem *m)
{
	uint8_t *c;

	if (atomic_load_explicit(&m->spare, memory_order_relaxed) != NULL)
		return 0;
	c = hugemap_alloc(CHUNK);
	if (c == NULL)
		return 0;
	hugemap_populate(c, CHUNK);
	/* release: the owner that takes it sees the backed, zeroed pages */
	atomic_store_explicit(&m->spare, c, memory_order_release);
	return CHUNK;
}

/* The class of the smallest block of at least n bytes (n <= 1 MiB): the
 * bit length of n - 1, less MIN_SHIFT. */
static unsigned class_of(uint32_t n)
{
	if (n <= (1u << MIN_SHIFT))
		return 0;
	return 32u - (unsigned)__builtin_clz(n - 1) - MIN_SHIFT;
}

static void push_free(struct wmem *m, unsigned k, void *p)
{
	((struct free_block *)p)->next = m->free[k];
	m->free[k] = p;
}

/* What is left of the current chunk goes to the free lists, largest
 * blocks first, so that a chunk is not wasted by one large request. */
static void retire_rest(struct wmem *m)
{
	for (unsigned k = NCLASS; k-- > 0;) {
		uint32_t size = 1u << (k + MIN_SHIFT);

		while (m->left >= size) {
			push_free(m, k, m->cur);
			m->cur += size;
			m->left -= size;
		}
	}
}

/* A new chunk to carve from; the rest of the current one goes to the
 * free lists. */
static int new_chunk(struct wmem *m)
{
	uint8_t *c;

	if (m->nchunks == m->capchunks) {
		uint32_t cap = m->capchunks ? m->capchunks * 2 : 16;
		void **a = realloc(m->chunks, cap * sizeof(*a));

		if (a == NULL)
			return -1;
		m->chunks = a;
		m->capchunks = cap;
	}
	c = atomic_exchange_explicit(&m->spare, NULL, memory_order_acquire);
	if (c == NULL)
		c = hugemap_alloc(CHUNK);
	if (c == NULL)
		return -1;
	retire_rest(m);
	m->chunks[m->nchunks++] = c;
	m->cur = c;
	m->left = CHUNK;
	m->chunk_bytes += CHUNK;
	return 0;
}

void *wmem_alloc(struct wmem *m, uint32_t n, uint32_t *cap)
{
	unsigned k;
	uint32_t size;
	void *p;

	if (n > (1u << MAX_SHIFT)) {
		p = malloc(n);
		*cap = p != NULL ? n : 0;
		m->used += *cap;
		return p;
	}
	k = class_of(n);
	size = 1u << (k + MIN_SHIFT);
	if (m->free[k] != NULL) {
		p = m->free[k];
		m->free[k] = m->free[k]->next;
		*cap = size;
		m->used += size;
		return p;
	}
	/* sizes are multiples of 64: carving keeps every block 64-aligned */
	if (m->left < size && new_chunk(m) != 0)
		return NULL;
	p = m->cur;
	m->cur += size;
	m->left -= size;
	*cap = size;
	m->used += size;
	return p;
}

void *wmem_zalloc(struct wmem *m, uint32_t n)
{
	uint32_t cap;
	void *p = wmem_alloc(m, n, &cap);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

void wmem_free(struct wmem *m, void *p, uint32_t cap)
{
	unsigned k;

	if (p == NULL)
		return;
	if (cap > (1u << MAX_SHIFT)) {
		m->used -= cap;
		free(p);
		return;
	}
	k = class_of(cap);
	m->used -= 1u << (k + MIN_SHIFT);
	push_free(m, k, p);
}

void *wmem_grow(struct wmem *m, void *p, uint32_t cap, uint32_t keep, uint32_t n,
		uint32_t *newcap)
{
	void *q;

	if (p != NULL && n <= cap) {
		*newcap = cap;
		return p;
	}
	q = wmem_alloc(m, n, newcap);
	if (q == NULL)
		return NULL;
	if (keep > 0)
		memcpy(q, p, keep);
	wmem_free(m, p, cap);
	return q;
}
