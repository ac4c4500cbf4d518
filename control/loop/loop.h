/* SPDX-License-Identifier: MIT */
/* The control process's single event loop (Redis ae, keepalived's
 * scheduler): epoll for descriptors, a min-heap of timers whose earliest
 * deadline is the epoll timeout. Everything in ids-control runs from it;
 * nothing blocks. Not thread-safe: one loop, one thread. */
#ifndef IDS_LOOP_H
#define IDS_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct loop_timer;

/* Readiness bits for loop_fd_add/mod (mapped onto EPOLLIN/EPOLLOUT;
 * errors and hang-ups are reported as LOOP_READ so the handler sees EOF). */
#define LOOP_READ  0x1u
#define LOOP_WRITE 0x2u

typedef void (*loop_fd_cb)(struct loop *l, int fd, unsigned events, void *arg);
typedef void (*loop_timer_cb)(struct loop *l, struct loop_timer *t, void *arg);

/* NULL on failure (errno set). */
struct loop *loop_new(void);
/* Closes nothing it did not open; frees pending timers. */
void loop_free(struct loop *l);

/* Watch fd for events; one registration per fd. 0 or -errno. */
int loop_fd_add(struct loop *l, int fd, unsigned events, loop_fd_cb cb, void *arg);
int loop_fd_mod(struct loop *l, int fd, unsigned events);
/* Stop watching fd (call before closing it). Safe from inside its callback. */
void loop_fd_del(struct loop *l, int fd);

/* One-shot timer after delay_us (monotonic clock). The handle stays valid
 * until the callback returns or loop_timer_cancel; re-arm from the callback
 * with loop_timer_rearm. NULL on allocation failure. */
struct loop_timer *loop_timer_add(struct loop *l, uint64_t delay_us, loop_timer_cb cb, void *arg);
void loop_timer_rearm(struct loop *l, struct loop_timer *t, uint64_t delay_us);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);

/* Monotonic time in microseconds, as the loop sees it (updated each turn). */
uint64_t loop_now_us(const struct loop *l);

/* Run until loop_stop. Returns 0, or -errno if epoll fails. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif
