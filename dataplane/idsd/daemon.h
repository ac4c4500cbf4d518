/* SPDX-License-Identifier: MIT */
/* Background operation: detach from the terminal, and the pidfile. */
#ifndef IDS_DAEMON_H
#define IDS_DAEMON_H

#include <stddef.h>

/* Fork, let the parent exit 0, start a new session, stdio to /dev/null.
 * Must run before rte_eal_init (threads do not survive fork). Returns 0 in
 * the child or -errno (still in the original process). */
int daemon_detach(void);

/* Write our pid to path (created 0644, replaced if stale: a pidfile naming a
 * live process is refused). 0 or -errno with err filled. */
int pidfile_write(const char *path, char *err, size_t errlen);
void pidfile_remove(const char *path);

#endif
