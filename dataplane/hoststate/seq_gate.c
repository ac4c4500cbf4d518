/* SPDX-License-Identifier: MIT */
#include "seq_gate.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "park.h"

/* A sleeper is woken when the worker it waits for passes its position; the
 * timeout only bounds what a wake lost to a bug would cost (a slow run,
 * not a hang). */
#define GATE_PARK_TIMEOUT_US 10000u
#define NO_SLEEPER UINT64_MAX

struct seq_slot {
	alignas(64) _Atomic uint64_t cur;   /* worker: the packet it started last */
	_Atomic uint64_t done;              /* worker: the packet it finished last */
	alignas(64) _Atomic uint64_t enq;   /* reader: the last packet it gave the worker */
	/* Others asleep until this worker is clear below wake_at (the lowest
	 * position they wait at, NO_SLEEPER once woken): its starts and
	 * finishes then wake them, and only those that clear one. */
	alignas(64) struct park moved;
	_Atomic uint64_t wake_at;
	/* worker: its seq_gate_stats, read by the stats thread */
	alignas(64) _Atomic uint64_t checks, waits, parks, wait_ns;
};

struct seq_gate {
	unsigned n;
	struct seq_slot *slot;
};

struct seq_gate *seq_gate_create(unsigned nworkers)
{
	struct seq_gate *g = calloc(1, sizeof(*g));

	if (g == NULL || nworkers == 0)
		goto fail;
	g->n = nworkers;
	g->slot = aligned_alloc(alignof(struct seq_slot), nworkers * sizeof(*g->slot));
	if (g->slot == NULL)
		goto fail;
	for (unsigned i = 0; i < nworkers; i++) {
		struct seq_slot *sl = &g->slot[i];

		atomic_init(&sl->cur, 0);
		atomic_init(&sl->done, 0);
		atomic_init(&sl->enq, 0);
		atomic_init(&sl->moved.seq, 0);
		atomic_init(&sl->moved.waiters, 0);
		atomic_init(&sl->wake_at, NO_SLEEPER);
		atomic_init(&sl->checks, 0);
		atomic_init(&sl->waits, 0);
		atomic_init(&sl->parks, 0);
		atomic_init(&sl->wait_ns, 0);
	}
	return g;
fail:
	seq_gate_destroy(g);
	return NULL;
}

void seq_gate_destroy(struct seq_gate *g)
{
	if (g == NULL)
		return;
	free(g->slot);
	free(g);
}

/* The worker of sl moved (stored before): wake the sleepers on it if it is
 * now clear below the lowest position one waits at (passed_all: below any).
 * The fence and the load of the count are all it costs while nobody sleeps.
 * All sleepers wake; one not clear yet asks again before it sleeps again. */
static void wake_if(struct seq_slot *sl, bool passed_all)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&sl->moved.waiters, memory_order_relaxed) == 0)
		return;
	if (!passed_all && atomic_load_explicit(&sl->cur, memory_order_relaxed) <=
			   atomic_load_explicit(&sl->wake_at, memory_order_relaxed))
		return;
	atomic_store_explicit(&sl->wake_at, NO_SLEEPER, memory_order_relaxed);
	park_wake_slow(&sl->moved);
}

void seq_gate_enqueued(struct seq_gate *g, unsigned k, uint64_t seq)
{
	/* no wake: a packet given to a worker never lets anyone pass */
	atomic_store_explicit(&g->slot[k].enq, seq, memory_order_release);
}

void seq_gate_begin(struct seq_gate *g, unsigned k, uint64_t seq)
{
	atomic_store_explicit(&g->slot[k].cur, seq, memory_order_release);
	wake_if(&g->slot[k], false);
}

void seq_gate_end(struct seq_gate *g, unsigned k, uint64_t seq)
{
	struct seq_slot *sl = &g->slot[k];

	atomic_store_explicit(&sl->done, seq, memory_order_release);
	/* everything it was given is finished: clear below any packet */
	wake_if(sl, seq >= atomic_load_explicit(&sl->enq, memory_order_acquire));
}

void seq_gate_flow_end(struct seq_gate *g, unsigned k, uint64_t last_pkt)
{
	uint64_t cur = atomic_load_explicit(&g->slot[k].cur, memory_order_relaxed);
	uint64_t pos = SEQ_GATE_FLUSH + (last_pkt < SEQ_GATE_FLUSH - 1 ? last_pkt :
					 SEQ_GATE_FLUSH - 2);

	if (cur >= SEQ_GATE_FLUSH && cur < pos) {
		atomic_store_explicit(&g->slot[k].cur, pos, memory_order_release);
		wake_if(&g->slot[k], false);
	}
}

/* Worker k has nothing unfinished below position s: it has started
 * something above s (it works in order), or, for a packet position,
 * finished all the reader gave it so far, which includes every packet below
 * s (given before s). A flush position needs the worker's own flush past it. */
static bool clear_below(const struct seq_slot *sl, uint64_t s)
{
	uint64_t enq;

	if (atomic_load_explicit(&sl->cur, memory_order_acquire) > s)
		return true;
	if (s >= SEQ_GATE_FLUSH)
		return false;
	enq = atomic_load_explicit(&sl->enq, memory_order_acquire);
	return atomic_load_explicit(&sl->done, memory_order_acquire) >= enq;
}

/* The first worker from i on, other than k, with something unfinished
 * below s; n if none. */
static unsigned next_behind(const struct seq_gate *g, unsigned i, unsigned k, uint64_t s)
{
	for (; i < g->n; i++)
		if (i != k && !clear_below(&g->slot[i], s))
			return i;
	return g->n;
}

/* Sleep until sl's worker is clear below s (or the timeout); false if it
 * was clear already. */
static bool sleep_on(struct seq_slot *sl, uint64_t s)
{
	uint32_t t = park_prepare(&sl->moved);
	uint64_t at = atomic_load_explicit(&sl->wake_at, memory_order_relaxed);

	/* the lowest position asked for; a waker that reset it meanwhile has
	 * bumped the ticket's count, so this sleep returns at once */
	while (s < at && !atomic_compare_exchange_weak_explicit(&sl->wake_at, &at, s,
								memory_order_relaxed,
								memory_order_relaxed))
		;
	/* pairs with wake_if's fence: it sees wake_at, or this sees it moved */
	atomic_thread_fence(memory_order_seq_cst);
	if (clear_below(sl, s)) {
		park_cancel(&sl->moved);
		return false;
	}
	park_wait(&sl->moved, t, GATE_PARK_TIMEOUT_US);
	return true;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void count(_Atomic uint64_t *c, uint64_t v)
{
	/* only worker k writes its counters: no read-modify-write needed */
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + v,
			      memory_order_relaxed);
}

void seq_gate_wait(struct seq_gate *g, unsigned k)
{
	struct seq_slot *me = &g->slot[k];
	uint64_t s = atomic_load_explicit(&me->cur, memory_order_relaxed);
	struct backoff b = { 0 };
	uint64_t t0;
	unsigned i;

	if (s == SEQ_GATE_END)
		return;		/* finished: nothing of it is ordered any more */
	count(&me->checks, 1);
	i = next_behind(g, 0, k, s);
	if (i == g->n)
		return;
	count(&me->waits, 1);
	t0 = mono_ns();
	/* Workers only move forward: one found clear stays clear. */
	for (; i < g->n; i = next_behind(g, i + 1, k, s)) {
		while (!clear_below(&g->slot[i], s)) {
			if (backoff_step(&b) && sleep_on(&g->slot[i], s))
				count(&me->parks, 1);
		}
	}
	count(&me->wait_ns, mono_ns() - t0);
}

void seq_gate_stats(const struct seq_gate *g, unsigned k, struct seq_gate_stats *st)
{
	const struct seq_slot *sl = &g->slot[k];

	st->checks = atomic_load_explicit(&sl->checks, memory_order_relaxed);
	st->waits = atomic_load_explicit(&sl->waits, memory_order_relaxed);
	st->parks = atomic_load_explicit(&sl->parks, memory_order_relaxed);
	st->wait_ns = atomic_load_explicit(&sl->wait_ns, memory_order_relaxed);
}
