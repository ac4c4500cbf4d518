/* SPDX-License-Identifier: MIT */
#include "memcap.h"

#include <pthread.h>
#include <stdlib.h>

/* A user reserves a chunk at a time: 1/64 of the budget (so a few workers
 * go a long way on their reservations), at most 1 MiB (so slack left
 * unused is small). Tiny budgets (tests) get chunks of 0: every take
 * is exact and goes to the budget. */
#define CHUNK_DIV 64u
#define CHUNK_MAX (UINT64_C(1) << 20)

struct memcap {
	pthread_mutex_t lock;            /* avail, users, the counters */
	uint64_t limit;
	uint64_t chunk;
	uint64_t avail;                  /* neither used nor any user's slack */
	uint64_t refused, gathers;
	uint32_t nusers;                 /* slots [0, nusers) may be in use */
	struct memcap_user *users[MEMCAP_USERS_MAX];
};

struct memcap *memcap_create(uint64_t limit)
{
	struct memcap *mc = calloc(1, sizeof(*mc));

	if (mc == NULL)
		return NULL;
	if (pthread_mutex_init(&mc->lock, NULL) != 0) {
		free(mc);
		return NULL;
	}
	mc->limit = limit;
	mc->avail = limit;
	mc->chunk = limit / CHUNK_DIV < CHUNK_MAX ? limit / CHUNK_DIV : CHUNK_MAX;
	return mc;
}

void memcap_destroy(struct memcap *mc)
{
	if (mc == NULL)
		return;
	pthread_mutex_destroy(&mc->lock);
	free(mc);
}

struct memcap_user *memcap_join(struct memcap *mc, uint64_t limit)
{
	struct memcap *own = NULL;
	struct memcap_user *u;
	uint32_t i;

	if (mc == NULL && (mc = own = memcap_create(limit)) == NULL)
		return NULL;
	u = aligned_alloc(64, (sizeof(*u) + 63) & ~(size_t)63);
	if (u == NULL)
		goto fail;
	*u = (struct memcap_user){ .mc = mc, .own = own, .slack_max = 2 * mc->chunk };
	pthread_mutex_lock(&mc->lock);
	for (i = 0; i < MEMCAP_USERS_MAX && mc->users[i] != NULL; i++)
		;
	if (i < MEMCAP_USERS_MAX) {
		mc->users[i] = u;
		u->slot = i;
		if (i >= mc->nusers)
			mc->nusers = i + 1;
	}
	pthread_mutex_unlock(&mc->lock);
	if (i == MEMCAP_USERS_MAX)
		goto fail;
	return u;
fail:
	free(u);
	memcap_destroy(own);
	return NULL;
}

void memcap_leave(struct memcap_user *u)
{
	struct memcap *mc;

	if (u == NULL)
		return;
	mc = u->mc;
	pthread_mutex_lock(&mc->lock);
	mc->avail += atomic_exchange(&u->slack, 0) + atomic_load(&u->used);
	mc->users[u->slot] = NULL;
	pthread_mutex_unlock(&mc->lock);
	memcap_destroy(u->own);
	free(u);
}

/* Under mc->lock: every other user's slack into the caller's hands, until
 * it holds n (a user taking from its own slack meanwhile only makes what
 * is free smaller, a user giving makes it larger after the fact). */
static uint64_t gather(struct memcap *mc, const struct memcap_user *self, uint64_t have,
		       uint64_t n)
{
	mc->gathers++;
	for (uint32_t i = 0; i < mc->nusers && have < n; i++) {
		struct memcap_user *o = mc->users[i];

		if (o != NULL && o != self)
			have += atomic_exchange_explicit(&o->slack, 0, memory_order_relaxed);
	}
	return have;
}

bool memcap_take_slow(struct memcap_user *u, uint64_t n)
{
	struct memcap *mc = u->mc;
	uint64_t have, want, g, keep;
	bool ok;

	pthread_mutex_lock(&mc->lock);
	have = atomic_exchange_explicit(&u->slack, 0, memory_order_relaxed);
	if (have < n) {
		/* what is missing, and a chunk ahead when the budget has it */
		want = n - have + mc->chunk;
		g = mc->avail < want ? mc->avail : want;
		mc->avail -= g;
		have += g;
	}
	if (have < n)
		have = gather(mc, u, have, n);
	ok = have >= n;
	if (ok) {
		have -= n;
		atomic_store_explicit(&u->used, atomic_load_explicit(&u->used,
			memory_order_relaxed) + n, memory_order_relaxed);
	} else {
		mc->refused++;
	}
	keep = have < u->slack_max ? have : u->slack_max;
	mc->avail += have - keep;
	atomic_fetch_add_explicit(&u->slack, keep, memory_order_relaxed);
	pthread_mutex_unlock(&mc->lock);
	return ok;
}

/* Slack past slack_max goes back to the budget, a chunk stays. */
void memcap_trim(struct memcap_user *u)
{
	struct memcap *mc = u->mc;
	uint64_t s, keep;

	pthread_mutex_lock(&mc->lock);
	s = atomic_exchange_explicit(&u->slack, 0, memory_order_relaxed);
	keep = s < mc->chunk ? s : mc->chunk;
	mc->avail += s - keep;
	atomic_fetch_add_explicit(&u->slack, keep, memory_order_relaxed);
	pthread_mutex_unlock(&mc->lock);
}

/* Under mc->lock: what all users use. */
static uint64_t used_locked(const struct memcap *mc)
{
	uint64_t used = 0;

	for (uint32_t i = 0; i < mc->nusers; i++)
		if (mc->users[i] != NULL)
			used += memcap_used(mc->users[i]);
	return used;
}

uint64_t memcap_room(struct memcap_user *u)
{
	struct memcap *mc = u->mc;
	uint64_t used;

	pthread_mutex_lock(&mc->lock);
	used = used_locked(mc);
	pthread_mutex_unlock(&mc->lock);
	return used < mc->limit ? mc->limit - used : 0;
}

uint64_t memcap_limit(const struct memcap *mc)
{
	return mc->limit;
}

void memcap_stats(struct memcap *mc, struct memcap_stats *st)
{
	uint64_t used;

	pthread_mutex_lock(&mc->lock);
	used = used_locked(mc);
	*st = (struct memcap_stats){ .limit = mc->limit, .used = used, .refused = mc->refused,
				     .gathers = mc->gathers };
	pthread_mutex_unlock(&mc->lock);
}
