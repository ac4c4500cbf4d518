/* SPDX-License-Identifier: MIT */
/* Threads start with the capabilities they need, not with their creator's.
 *
 * DPDK creates its threads (eal-intr-thread, rte_mp_handle, telemetry-v2, the
 * lcores) inside rte_eal_init, while the main thread still holds what EAL and
 * the port probes need; a new thread copies its creator's capability sets, and
 * Linux lets a thread change only its own. The telemetry listener and the
 * multi-process thread never run a callback of ours, so the one moment each
 * thread can be made to shed is its first instruction. idsd therefore defines
 * pthread_create: a definition in the executable comes first in the dynamic
 * linker's search, so it is the one DPDK's shared libraries, its PMD plugins
 * and idsd's own code call. It starts the routine behind a trampoline that
 * applies the policy first, and reports whether that worked before returning,
 * so a thread that could not shed never runs its routine and its creator gets
 * the error (EPERM). Until privs_threads_set() is called it is the C
 * library's pthread_create and nothing else. (dlsym's RTLD_NEXT needs
 * _GNU_SOURCE, which meson sets for the whole build.) */
#include "privs_thread.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include <cap-ng.h>

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

/* The policy: set once or twice by the main thread (before rte_eal_init, and
 * after an id change), read by each thread creation. Process-wide by nature:
 * the hook has no other way to reach it. */
static _Atomic uint64_t keep_caps;
static atomic_bool active;

struct start {
	void *(*fn)(void *);
	void *arg;
	uint64_t keep;
	int rc;
	sem_t started;
};

void privs_threads_set(uint64_t keep)
{
	atomic_store(&keep_caps, keep);
	atomic_store(&active, true);
}

/* Keep only `keep` in this thread's effective and permitted sets, and empty
 * its bounding set where it still may (CAP_SETPCAP: the threads created
 * before the main thread's final drop). 0 or -EPERM. */
static int shed(uint64_t keep)
{
	capng_select_t sel;

	capng_get_caps_process();
	sel = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) ? CAPNG_SELECT_BOTH :
	      CAPNG_SELECT_CAPS;
	capng_clear(CAPNG_SELECT_BOTH);
	for (int cap = 0; cap < 64; cap++)
		if (keep & (UINT64_C(1) << cap) &&
		    capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, cap) != 0)
			return -EPERM;
	return capng_apply(sel) == 0 ? 0 : -EPERM;
}

static void *trampoline(void *p)
{
	struct start *s = p;
	void *(*fn)(void *) = s->fn;
	void *arg = s->arg;
	int rc = shed(s->keep);

	s->rc = rc;
	sem_post(&s->started);	/* s belongs to the creator from here on */
	return rc == 0 ? fn(arg) : NULL;
}

static create_fn real_create(void)
{
	static _Atomic(create_fn) real;
	create_fn f = atomic_load(&real);

	if (f == NULL) {
		void *sym = dlsym(RTLD_NEXT, "pthread_create");

		memcpy(&f, &sym, sizeof(f));
		atomic_store(&real, f);
	}
	return f;
}

int pthread_create(pthread_t *restrict t, const pthread_attr_t *restrict attr,
		   void *(*fn)(void *), void *restrict arg)
{
	create_fn create = real_create();
	struct start s = { .fn = fn, .arg = arg };
	int detached = PTHREAD_CREATE_JOINABLE;
	int rc;

	if (create == NULL)
		return EAGAIN;
	if (!atomic_load(&active))
		return create(t, attr, fn, arg);
	s.keep = atomic_load(&keep_caps);
	if (sem_init(&s.started, 0, 0) != 0)
		return EAGAIN;
	rc = create(t, attr, trampoline, &s);
	if (rc == 0) {
		while (sem_wait(&s.started) != 0 && errno == EINTR)
			;
		if (s.rc != 0) {
			if (attr != NULL)
				pthread_attr_getdetachstate(attr, &detached);
			if (detached == PTHREAD_CREATE_JOINABLE)
				pthread_join(*t, NULL);
			rc = EPERM;
		}
	}
	sem_destroy(&s.started);
	return rc;
}
