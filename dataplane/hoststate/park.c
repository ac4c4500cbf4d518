/* SPDX-License-Identifier: MIT */
#include "park.h"

#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Every park lives in memory of this process: the private futex ops skip
 * the kernel's shared-mapping lookup. */
static long futex(_Atomic uint32_t *word, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, (uint32_t *)word, op, val, ts, NULL, 0);
}

void park_wake_slow(struct park *p)
{
	/* release: a waiter whose ticket already holds this bump sees the
	 * progress made before it (see park_prepare) */
	atomic_fetch_add_explicit(&p->seq, 1, memory_order_release);
	futex(&p->seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL);
}

uint32_t park_prepare(struct park *p)
{
	/* The ticket first: a wake from here on, even one that comes before
	 * the waiter is counted, makes park_wait return at once. */
	uint32_t t = atomic_load_explicit(&p->seq, memory_order_acquire);

	atomic_fetch_add_explicit(&p->waiters, 1, memory_order_relaxed);
	/* pairs with park_wake's fence: either the waker sees this waiter, or
	 * the condition checked after this sees the waker's progress */
	atomic_thread_fence(memory_order_seq_cst);
	return t;
}

void park_cancel(struct park *p)
{
	atomic_fetch_sub_explicit(&p->waiters, 1, memory_order_relaxed);
}

void park_wait(struct park *p, uint32_t ticket, uint64_t timeout_us)
{
	struct timespec ts = {
		.tv_sec = (time_t)(timeout_us / 1000000u),
		.tv_nsec = (long)(timeout_us % 1000000u) * 1000,
	};

	/* returns at once (EAGAIN) if a wake bumped seq since the ticket */
	futex(&p->seq, FUTEX_WAIT_PRIVATE, ticket, timeout_us != 0 ? &ts : NULL);
	park_cancel(p);
}
