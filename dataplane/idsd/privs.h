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

/* lcore entry point: privs_drop(-1, -1) on a worker lcore (arg unused). Run
 * before the main thread changes uid: a uid change reaches every thread and
 * empties the others' capability sets, which is only stricter. */
int privs_drop_lcore(void *arg);

#endif
