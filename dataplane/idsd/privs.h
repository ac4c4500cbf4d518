/* SPDX-License-Identifier: MIT */
/* Least privilege (libcap-ng), in two steps: before rte_eal_init only what
 * EAL needs, for every thread it creates to start with nothing; after
 * initialisation (the ports open, the memory mapped) the main thread keeps
 * CAP_NET_ADMIN and CAP_NET_RAW, which the af_packet/tap PMDs use to leave
 * promiscuous mode and close at exit, and every other thread nothing. */
#ifndef IDS_PRIVS_H
#define IDS_PRIVS_H

#include <stdbool.h>

#include "settings.h"

/* Resolve s->user / s->group (before chroot-like changes, while /etc is
 * readable). Fills uid/gid (-1: unchanged). 0 or -errno with err filled. */
int privs_resolve(const struct settings *s, int *uid, int *gid, char *err, size_t errlen);

/* Before rte_eal_init, as root: keep in the calling (main) thread's
 * bounding, permitted and effective sets only what EAL and the port probes
 * use (privs.c says which; hw: hugepages or PCI devices in use) and what the
 * id change needs (change_ids: run-as), and make every thread created from
 * then on (DPDK's included) start with nothing, or with CAP_SETUID/SETGID
 * only while an id change is pending. 0 or -errno. */
int privs_limit(bool hw, bool change_ids);

/* After initialisation: the main thread keeps the capabilities above and an
 * empty bounding set, switching to uid/gid when not -1 (supplementary groups
 * dropped; the ids change first, then the capabilities go, which also empties
 * those of every other thread); threads created later start with nothing.
 * 0 or -errno. */
int privs_drop(int uid, int gid);

#endif
