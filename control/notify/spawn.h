/* SPDX-License-Identifier: MIT */
/* Running notify and check scripts without a shell: the command line is
 * split into words (single and double quotes group, nothing else is
 * interpreted), the child drops to a configured user, and a timeout kills
 * it. The exit is watched through a pidfd on the loop, so no SIGCHLD
 * handler and no blocking wait. */
#ifndef IDS_SPAWN_H
#define IDS_SPAWN_H

#include <stdint.h>
#include <sys/types.h>

struct loop;

#define SPAWN_MAX_ARGS 32

/* status: the exit code (0-255), 128 + signal, or -ETIMEDOUT when killed
 * for running too long. */
typedef void (*spawn_done_cb)(void *arg, int status);

/* Split cmd into argv (pointing into buf, NULL-terminated). Returns the
 * word count, or -EINVAL (unbalanced quote, empty, too many words). */
int spawn_split(const char *cmd, char *buf, size_t buflen, char *argv[SPAWN_MAX_ARGS + 1]);

/* Start cmd with extra arguments appended (extra may be NULL, ended by
 * NULL). user NULL keeps our identity. done, when not NULL, runs from the
 * loop when the child ends. Returns the pid or -errno. */
pid_t spawn_run(struct loop *l, const char *cmd, const char *const *extra, const char *user,
		uint64_t timeout_us, spawn_done_cb done, void *arg);

#endif
