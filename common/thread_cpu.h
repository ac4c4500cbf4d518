/* SPDX-License-Identifier: MIT */
/* The calling thread's CPU time. */
#ifndef IDS_THREAD_CPU_H
#define IDS_THREAD_CPU_H

#include <stdint.h>
#include <time.h>

/* What the kernel charged this thread (schedstat's first field), in ns; 0
 * if the clock cannot be read. Benchmarks compare it: wall time on a
 * shared machine is noise. */
static inline uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
