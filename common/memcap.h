/* SPDX-License-Identifier: MIT */
/* One memcap for the whole process, shared by every worker: Suricata's
 * memcaps (flow.memcap, stream.memcap, stream.reassembly.memcap,
 * defrag.memcap, ...) are one budget per subsystem for all threads, so N
 * workers take what one would, not N times it.
 *
 * Suricata adds every allocation to a global atomic. Here each worker holds
 * a share (struct memcap_user) on a cache line of its own: bytes it uses,
 * and "slack", bytes it reserved from the budget in chunks and has not used
 * yet. A take that fits the slack is one atomic operation on the worker's
 * own line (no line shared with the other workers per packet); a take that
 * does not goes to the budget under its lock (once a chunk). When the
 * budget has too little left, the taker gathers every other worker's slack
 * before refusing: a refusal means that at that moment fewer than n bytes
 * were free in the whole process, exactly as a single budget would say, so
 * 1 and N workers refuse the same allocations. */
#ifndef IDS_MEMCAP_H
#define IDS_MEMCAP_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct memcap;

struct memcap_user {
	alignas(64) _Atomic uint64_t slack; /* reserved, unused: others may gather it */
	_Atomic uint64_t used;              /* bytes in use (written by the owner only) */
	struct memcap *mc;
	struct memcap *own;                 /* a budget of its own (memcap_join(NULL, ..)) */
	uint64_t slack_max;                 /* slack above it goes back to the budget */
	uint32_t slot;                      /* index in mc's users */
};

struct memcap_stats {
	uint64_t limit;
	uint64_t used;        /* bytes in use by all users (Suricata's *.memuse) */
	uint64_t refused;     /* takes refused: the budget was full */
	uint64_t gathers;     /* slow-path takes that gathered other users' slack */
};

/* A budget of limit bytes. NULL on allocation failure. */
struct memcap *memcap_create(uint64_t limit);
/* Every user must have left. */
void memcap_destroy(struct memcap *mc);

/* A worker's share of mc; with mc NULL, of a budget of limit bytes of its
 * own (a component used alone, in tests and benchmarks), freed when it
 * leaves. NULL on allocation failure or when mc has MEMCAP_USERS_MAX users. */
#define MEMCAP_USERS_MAX 256u
struct memcap_user *memcap_join(struct memcap *mc, uint64_t limit);
/* What u still uses and holds goes back to the budget. NULL is a no-op. */
void memcap_leave(struct memcap_user *u);

bool memcap_take_slow(struct memcap_user *u, uint64_t n);
void memcap_trim(struct memcap_user *u);

/* Account n more bytes to u; false (counted) when the budget cannot give
 * them, and nothing is accounted. Only u's owner calls it. */
static inline bool memcap_take(struct memcap_user *u, uint64_t n)
{
	uint64_t s = atomic_load_explicit(&u->slack, memory_order_relaxed);

	if (s >= n && atomic_compare_exchange_strong_explicit(&u->slack, &s, s - n,
							      memory_order_relaxed,
							      memory_order_relaxed)) {
		atomic_store_explicit(&u->used, atomic_load_explicit(&u->used,
			memory_order_relaxed) + n, memory_order_relaxed);
		return true;
	}
	return memcap_take_slow(u, n);
}

/* Bytes u no longer uses (n at most what it took). Only u's owner calls it. */
static inline void memcap_give(struct memcap_user *u, uint64_t n)
{
	atomic_store_explicit(&u->used, atomic_load_explicit(&u->used, memory_order_relaxed) - n,
			      memory_order_relaxed);
	if (atomic_fetch_add_explicit(&u->slack, n, memory_order_relaxed) + n > u->slack_max)
		memcap_trim(u);
}

/* Bytes u uses now. */
static inline uint64_t memcap_used(const struct memcap_user *u)
{
	return atomic_load_explicit(&u->used, memory_order_relaxed);
}

/* Bytes of u's budget that no user uses now: its limit less what all its
 * users use (slack counts as room: a take gets it). Takes the budget's
 * lock: for checks made now and then, not per packet. */
uint64_t memcap_room(struct memcap_user *u);

uint64_t memcap_limit(const struct memcap *mc);
void memcap_stats(struct memcap *mc, struct memcap_stats *st);

#endif
