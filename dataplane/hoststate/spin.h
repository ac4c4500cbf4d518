/* SPDX-License-Identifier: MIT */
/* A test-and-test-and-set spinlock for critical sections of a few hundred
 * nanoseconds (one bucket of the host table), with no DPDK dependency so the
 * unit tests and tools link it alone. After a few hundred spins it yields:
 * on an oversubscribed machine the holder may be waiting for our CPU. */
#ifndef IDS_HOSTSTATE_SPIN_H
#define IDS_HOSTSTATE_SPIN_H

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>

struct spin {
	atomic_bool held;
};

static inline void spin_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static inline bool spin_trylock(struct spin *s)
{
	return !atomic_load_explicit(&s->held, memory_order_relaxed) &&
	       !atomic_exchange_explicit(&s->held, true, memory_order_acquire);
}

static inline void spin_lock(struct spin *s)
{
	unsigned n = 0;

	while (!spin_trylock(s)) {
		if (++n % 256 == 0)
			sched_yield();
		else
			spin_relax();
	}
}

static inline void spin_unlock(struct spin *s)
{
	atomic_store_explicit(&s->held, false, memory_order_release);
}

#endif
