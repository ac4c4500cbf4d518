/* SPDX-License-Identifier: MIT */
/* Waiting without taking the CPU from the thread waited for: a short spin,
 * then sleep in the kernel (futex) until woken. A capture file
 * read by several workers runs a reader and N workers, often on fewer CPUs
 * (two workers and the reader on two vCPUs): a thread that spins while it
 * waits for another (the capture-order gate, an empty or a full ring)
 * delays the very thread it waits for.
 *
 * struct park is an event count. The waker makes its progress visible, then
 * calls park_wake(), which costs a fence and a load while nobody sleeps. The
 * waiter, once backoff_step() says spinning is spent:
 *
 *	t = park_prepare(p);
 *	if (condition now holds) park_cancel(p); else park_wait(p, t, timeout);
 *
 * and checks its condition again: a wake between the check and the sleep
 * changes the ticket, so the sleep returns at once and none is lost. No
 * DPDK dependency, so the unit tests link it alone. */
#ifndef IDS_HOSTSTATE_PARK_H
#define IDS_HOSTSTATE_PARK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "spin.h"

struct park {
	_Atomic uint32_t seq;        /* futex word: bumped by each wake that finds a sleeper */
	_Atomic uint32_t waiters;    /* threads between park_prepare and the end of park_wait */
};

/* Spins before a waiter sleeps: they cover (a few µs) the common short
 * wait of two threads each on a CPU of its own. Longer, it sleeps rather
 * than yields: on a busy machine sched_yield hands the CPU to any other
 * process for a time slice, while a futex wake brings the waiter back as
 * soon as what it waits for has happened. */
#define BACKOFF_SPINS 128u

struct backoff {
	unsigned n;
};

/* One round of waiting (a pause); true once the spins are spent: the caller
 * parks now (and may call again: it keeps answering true). */
static inline bool backoff_step(struct backoff *b)
{
	if (b->n < BACKOFF_SPINS) {
		b->n++;
		spin_relax();
		return false;
	}
	return true;
}

/* The wait is over (the thing waited for came): start the next from a spin. */
static inline void backoff_reset(struct backoff *b)
{
	b->n = 0;
}

void park_wake_slow(struct park *p);

/* Progress was made (stored before this call): wake the sleepers, if any. */
static inline void park_wake(struct park *p)
{
	/* orders the caller's progress store before the waiters load, as
	 * park_prepare orders the waiter's count before its condition */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&p->waiters, memory_order_relaxed) != 0)
		park_wake_slow(p);
}

/* About to sleep: returns the ticket for park_wait. The caller then checks
 * its condition once more, and calls park_cancel or park_wait. */
uint32_t park_prepare(struct park *p);
void park_cancel(struct park *p);

/* Sleep until a wake after park_prepare, or timeout_us (0: none); also
 * returns at once if one came already, and may return early (signals): the
 * caller checks its condition again. Ends what park_prepare began. */
void park_wait(struct park *p, uint32_t ticket, uint64_t timeout_us);

#endif
