/* SPDX-License-Identifier: MIT */
#include "host_table.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "spin.h"

/* Buckets a sweep looks at when the pool is empty, before refusing. */
#define HOST_SWEEP_BUCKETS 64u

struct host_entry {
	struct host_key key;
	struct host_val val;
	uint32_t next;             /* 1 + index of the next entry of the chain (or free), 0: end */
};

/* One per cache line: workers locking neighbouring buckets do not share one. */
struct host_bucket {
	alignas(64) struct spin lock;
	uint32_t head;             /* 1 + index of the first entry, 0: empty */
};

struct host_table {
	uint32_t mask;             /* buckets - 1 */
	uint64_t seed;             /* per table: chains an attacker cannot aim at */
	struct host_bucket *bucket;
	struct host_entry *pool;
	uint32_t npool;

	alignas(64) struct spin pool_lock;
	uint32_t bump;             /* entries below it have been handed out once */
	uint32_t free_head;        /* 1 + index, 0: none */
	_Atomic uint64_t used;
	_Atomic uint64_t refused;
	_Atomic uint32_t sweep;    /* next bucket the sweep looks at */
	_Atomic uint64_t watch_until; /* host_table_watch() */
};

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t p = 1;

	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

static uint32_t buckets(const struct host_table_config *c)
{
	return pow2_at_least(c->hash_size ? c->hash_size : HOST_TABLE_HASH_SIZE_DEFAULT);
}

uint64_t host_table_capacity(const struct host_table_config *c)
{
	uint64_t n = (c->memcap ? c->memcap : HOST_TABLE_MEMCAP_DEFAULT) / sizeof(struct host_entry);

	if (n < buckets(c))
		return 0;
	return n < UINT32_MAX - 1 ? n : UINT32_MAX - 1;
}

struct host_table *host_table_create(const struct host_table_config *c)
{
	uint32_t nb = buckets(c);
	uint64_t n = host_table_capacity(c);
	struct host_table *ht;

	if (n == 0)
		return NULL;
	ht = calloc(1, sizeof(*ht));
	if (ht == NULL)
		return NULL;
	ht->mask = nb - 1;
	ht->npool = (uint32_t)n;
	if (getrandom(&ht->seed, sizeof(ht->seed), GRND_NONBLOCK) != sizeof(ht->seed))
		ht->seed = (uint64_t)(uintptr_t)ht ^ 0x9e3779b97f4a7c15ull;
	ht->bucket = aligned_alloc(64, (size_t)nb * sizeof(*ht->bucket));
	/* calloc: pages of the pool are backed only once entries on them are used */
	ht->pool = calloc(ht->npool, sizeof(*ht->pool));
	if (ht->bucket == NULL || ht->pool == NULL) {
		host_table_destroy(ht);
		return NULL;
	}
	memset(ht->bucket, 0, (size_t)nb * sizeof(*ht->bucket));
	return ht;
}

void host_table_destroy(struct host_table *ht)
{
	if (ht == NULL)
		return;
	free(ht->pool);
	free(ht->bucket);
	free(ht);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

static uint32_t key_hash(const struct host_table *ht, const struct host_key *k)
{
	uint64_t h = mix(ht->seed, k->id);

	h = mix(h, (uint64_t)k->kind << 8 | k->ip_ver);
	for (int i = 0; i < 4; i++)
		h = mix(h, (uint64_t)k->a.w[i] << 32 | k->b.w[i]);
	return (uint32_t)h;
}

static bool key_eq(const struct host_key *x, const struct host_key *y)
{
	return x->id == y->id && x->kind == y->kind && x->ip_ver == y->ip_ver &&
	       memcmp(&x->a, &y->a, sizeof(x->a)) == 0 && memcmp(&x->b, &y->b, sizeof(x->b)) == 0;
}

/* An entry back to the pool (its chain already let go of it). */
static void pool_put(struct host_table *ht, uint32_t idx)
{
	spin_lock(&ht->pool_lock);
	ht->pool[idx].next = ht->free_head;
	ht->free_head = idx + 1;
	spin_unlock(&ht->pool_lock);
	atomic_fetch_sub_explicit(&ht->used, 1, memory_order_relaxed);
}

/* 1 + index of an unused entry, 0 when the pool is empty. */
static uint32_t pool_get(struct host_table *ht)
{
	uint32_t idx = 0;

	spin_lock(&ht->pool_lock);
	if (ht->free_head != 0) {
		idx = ht->free_head;
		ht->free_head = ht->pool[idx - 1].next;
	} else if (ht->bump < ht->npool) {
		idx = ++ht->bump;
	}
	spin_unlock(&ht->pool_lock);
	if (idx != 0)
		atomic_fetch_add_explicit(&ht->used, 1, memory_order_relaxed);
	return idx;
}

/* Unlink the dead entries of bucket b (locked by the caller) at now_us. */
static void bucket_reap(struct host_table *ht, struct host_bucket *b, uint64_t now_us)
{
	uint32_t *link = &b->head;

	while (*link != 0) {
		uint32_t idx = *link - 1;
		struct host_entry *e = &ht->pool[idx];

		if (e->val.expire_us > now_us) {
			link = &e->next;
			continue;
		}
		*link = e->next;
		pool_put(ht, idx);
	}
}

/* The pool is empty: reap a few other buckets, skipping any that is busy
 * (the caller holds one bucket lock: waiting for another could deadlock). */
static void sweep(struct host_table *ht, const struct host_bucket *mine, uint64_t now_us)
{
	uint32_t start = atomic_fetch_add_explicit(&ht->sweep, HOST_SWEEP_BUCKETS,
						   memory_order_relaxed);

	for (uint32_t i = 0; i < HOST_SWEEP_BUCKETS && i <= ht->mask; i++) {
		struct host_bucket *b = &ht->bucket[(start + i) & ht->mask];

		if (b == mine || !spin_trylock(&b->lock))
			continue;
		bucket_reap(ht, b, now_us);
		spin_unlock(&b->lock);
	}
}

struct host_val *host_table_lock(struct host_table *ht, const struct host_key *k, uint64_t now_us,
				 bool create, bool *fresh, struct host_lock *lk)
{
	struct host_bucket *b = &ht->bucket[key_hash(ht, k) & ht->mask];
	uint32_t *link, live = 0, idx;
	struct host_entry *e;

	*fresh = false;
	lk->b = b;
	spin_lock(&b->lock);
	link = &b->head;
	while (*link != 0) {
		e = &ht->pool[*link - 1];
		if (key_eq(&e->key, k)) {
			if (e->val.expire_us > now_us)
				return &e->val;
			if (!create)
				return NULL;
			/* the key's dead entry is its fresh one */
			memset(&e->val, 0, sizeof(e->val));
			*fresh = true;
			return &e->val;
		}
		if (e->val.expire_us <= now_us) {
			idx = *link - 1;
			*link = e->next;
			pool_put(ht, idx);
			continue;
		}
		live++;
		link = &e->next;
	}
	if (!create)
		return NULL;
	idx = live < HOST_TABLE_CHAIN_MAX ? pool_get(ht) : 0;
	if (idx == 0 && live < HOST_TABLE_CHAIN_MAX) {
		sweep(ht, b, now_us);
		idx = pool_get(ht);
	}
	if (idx == 0) {
		atomic_fetch_add_explicit(&ht->refused, 1, memory_order_relaxed);
		return NULL;
	}
	e = &ht->pool[idx - 1];
	memset(e, 0, sizeof(*e));
	e->key = *k;
	e->next = b->head;
	b->head = idx;
	*fresh = true;
	return &e->val;
}

void host_table_unlock(struct host_lock *lk)
{
	spin_unlock(&lk->b->lock);
	lk->b = NULL;
}

void host_table_stats(const struct host_table *ht, struct host_table_stats *out)
{
	out->entries = ht->npool;
	out->used = atomic_load_explicit(&ht->used, memory_order_relaxed);
	out->refused = atomic_load_explicit(&ht->refused, memory_order_relaxed);
}

void host_table_watch(struct host_table *ht, uint64_t until_us)
{
	uint64_t cur = atomic_load_explicit(&ht->watch_until, memory_order_relaxed);

	while (cur < until_us &&
	       !atomic_compare_exchange_weak_explicit(&ht->watch_until, &cur, until_us,
						      memory_order_relaxed, memory_order_relaxed))
		;
}

uint64_t host_table_watched(const struct host_table *ht)
{
	return atomic_load_explicit(&ht->watch_until, memory_order_relaxed);
}
