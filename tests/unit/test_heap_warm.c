/* SPDX-License-Identifier: MIT */
/* The workers' arenas backed before they start (dataplane/idsd/heap_warm.c):
 * threads that start after heap_warm_arenas(n) write their first heap
 * bytes without a page fault, one for each arena warmed; a thread beyond
 * them gets a fresh arena and faults (which shows the count can see it).
 * Run with glibc.malloc.top_pad, as idsd does (meson sets it). Under
 * AddressSanitizer, whose allocator has no glibc arenas, only that the
 * call returns and leaves nothing behind. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "check.h"
#include "dataplane/idsd/heap_warm.h"

#define CHUNK ((size_t)64 << 10)
#define NCHUNK 64               /* 4 MiB a thread */

struct user {
	void *chunk[NCHUNK];
	long faults;
	pthread_barrier_t *all_in, *all_done;
};

static long thread_faults(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_minflt + ru.ru_majflt : -1;
}

/* A worker's first mallocs, all threads alive together (each its own
 * arena), its page faults counted over its writes only. */
static void *user(void *arg)
{
	struct user *u = arg;
	long before;

	pthread_barrier_wait(u->all_in);
	before = thread_faults();
	for (int i = 0; i < NCHUNK; i++) {
		u->chunk[i] = malloc(CHUNK);
		if (u->chunk[i] != NULL)
			memset(u->chunk[i], 1, CHUNK);
	}
	u->faults = thread_faults() - before;
	for (int i = NCHUNK - 1; i >= 0; i--)
		free(u->chunk[i]);
	pthread_barrier_wait(u->all_done);
	return NULL;
}

int main(void)
{
	enum { WARMED = 2, USERS = 3 };
	pthread_barrier_t in, done;
	static struct user u[USERS];
	pthread_t t[USERS];

	heap_warm_arenas(WARMED, 8u << 20);
	heap_warm_arenas(0, 8u << 20);		/* nothing to do, returns */
#ifndef __SANITIZE_ADDRESS__
	pthread_barrier_init(&in, NULL, USERS);
	pthread_barrier_init(&done, NULL, USERS);
	for (int i = 0; i < USERS; i++) {
		u[i].all_in = &in;
		u[i].all_done = &done;
		CHECK(pthread_create(&t[i], NULL, user, &u[i]) == 0);
	}
	for (int i = 0; i < USERS; i++)
		pthread_join(t[i], NULL);
	/* which thread took which arena is the scheduler's: count them */
	int cold = 0;

	for (int i = 0; i < USERS; i++)
		cold += u[i].faults > 0;
	CHECK_INT(USERS - WARMED, cold);
	pthread_barrier_destroy(&in);
	pthread_barrier_destroy(&done);
#else
	(void)in;
	(void)done;
	(void)u;
	(void)t;
	(void)user;
#endif
	return check_result("heap_warm");
}
