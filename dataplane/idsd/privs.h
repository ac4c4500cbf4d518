/* SPDX-License-Identifier: MIT */
/* Least privilege after initialisation (libcap-ng): the ports are open, the
 * memory mapped; what remains is CAP_NET_ADMIN and CAP_NET_RAW, which the
 * af_packet/tap PMDs use to leave promiscuous mode and close at exit. */
#ifndef IDS_PRIVS_H
#define IDS_PRIVS_H

#include "settings.h"

/* Resolve s->user / s->group (before chroot-like changes, while /etc is
 * readable). Fills uid/gid (-1: unchanged). 0 or -errno with err filled. */
int privs_resolve(const struct settings *s, int *uid, int *gid, char *err, size_t errlen);

/* Keep only the capabilities above on the calling thread, switching to
 * uid/gid when not -1 (supplementary groups dropped). 0 or -errno. Each
 * thread that should shed privileges calls it (capabilities are per thread). */
int privs_drop(int uid, int gid);

/* Threads other than the main one keep nothing. A uid change does that by
 * itself (it empties the capabilities of every thread that did not ask to
 * keep them); staying root, each thread must drop its own, after any id
 * change (glibc aborts a set*id call that one thread may no longer make).
 * privs_drop_lcore: lcore entry point (arg unused) for the worker lcores;
 * privs_drop_intr_thread: the same on DPDK's interrupt thread, through an
 * alarm callback; waits for it (1 s at most). 0 or -errno. */
int privs_drop_lcore(void *arg);
int privs_drop_intr_thread(void);

#endif
