/* SPDX-License-Identifier: MIT */
/* Each worker's malloc arena backed before the worker runs.
 *
 * glibc gives a thread its own arena at its first malloc; a worker's is a
 * fresh mapping (transparent huge pages with heap_tune's tunables), and
 * each first write to it costs a page clear and, on a virtual machine whose
 * host backs the guest's memory as it is written, tens of milliseconds per
 * 2 MiB: three such faults doubled corpus-mix's worker time in runs where
 * the host had to back them. glibc has no call to make or fill an arena for
 * another thread, but it hands the arena of a thread that ended to the next
 * thread that needs one. So a short-lived thread per worker writes its
 * arena's first bytes and ends just before the workers start; top_pad
 * (heap_tune.c) keeps glibc from giving them back, and the workers' first
 * mallocs take these arenas. Only an optimisation: a worker that gets a
 * fresh arena anyway runs as before. */
#include "heap_warm.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* below glibc's mmap threshold (128 KiB), so they come from the arena */
#define WARM_CHUNK ((size_t)64 << 10)

struct warm {
	size_t bytes;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned warmed;         /* threads done with their arena */
	bool release;            /* all are: the threads may end */
};

static void *warm_one(void *arg)
{
	struct warm *w = arg;
	const size_t n = w->bytes / WARM_CHUNK;
	void **chunk = calloc(n ? n : 1, sizeof(*chunk));
	size_t got = 0;

	for (; chunk != NULL && got < n; got++) {
		chunk[got] = malloc(WARM_CHUNK);
		if (chunk[got] == NULL)
			break;
		memset(chunk[got], 0, WARM_CHUNK);
	}
	/* in reverse: each joins the top, which stays in the arena */
	while (got > 0)
		free(chunk[--got]);
	free(chunk);
	/* no thread ends, freeing its arena, before all have taken theirs:
	 * a thread's first malloc takes a freed arena before it makes one */
	pthread_mutex_lock(&w->lock);
	w->warmed++;
	pthread_cond_broadcast(&w->cond);
	while (!w->release)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

void heap_warm_arenas(unsigned narenas, size_t bytes)
{
	struct warm w = { .bytes = bytes, .lock = PTHREAD_MUTEX_INITIALIZER,
			  .cond = PTHREAD_COND_INITIALIZER };
	pthread_t t[narenas ? narenas : 1];
	unsigned n = 0;

	for (; n < narenas; n++)
		if (pthread_create(&t[n], NULL, warm_one, &w) != 0)
			break;
	pthread_mutex_lock(&w.lock);
	while (w.warmed < n)
		pthread_cond_wait(&w.cond, &w.lock);
	w.release = true;
	pthread_cond_broadcast(&w.cond);
	pthread_mutex_unlock(&w.lock);
	for (unsigned i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}
