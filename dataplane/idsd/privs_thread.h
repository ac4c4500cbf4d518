/* SPDX-License-Identifier: MIT */
/* Every thread created from now on starts holding only the capabilities in
 * `keep` (bit n: capability n) in its effective and permitted sets, with an
 * empty bounding set where it may still change it; see privs_thread.c for
 * how (idsd's own pthread_create). A thread that cannot shed them does not
 * run and its pthread_create returns EPERM. Called by the main thread. */
#ifndef IDS_PRIVS_THREAD_H
#define IDS_PRIVS_THREAD_H

#include <stdint.h>

void privs_threads_set(uint64_t keep);

#endif
