/* SPDX-License-Identifier: MIT */
/* The event loop: epoll for descriptors, a binary min-heap of timers keyed by
 * (deadline, sequence) so equal deadlines fire in arming order. The wait uses
 * epoll_pwait2 so timers keep microsecond precision (VRRP adverts every 10 ms
 * cannot live with epoll_wait's millisecond rounding). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "common/bug.h"
#include "loop.h"

#define LOOP_NOT_QUEUED SIZE_MAX
#define LOOP_BATCH 64

struct loop_timer {
	uint64_t deadline_us;
	uint64_t seq;
	size_t heap_idx;		/* LOOP_NOT_QUEUED when not armed */
	loop_timer_cb cb;
	void *arg;
	bool firing;			/* inside its callback: freed after it returns */
	bool cancelled;			/* cancelled from inside its own callback */
};

struct loop_fd {
	loop_fd_cb cb;
	void *arg;
	unsigned events;
	bool used;
};

struct loop {
	int epfd;
	bool stop;
	uint64_t now_us;
	uint64_t next_seq;
	struct loop_fd *fds;		/* indexed by descriptor number */
	size_t nfds;
	struct loop_timer **heap;
	size_t heap_len;
	size_t heap_cap;
};

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return NULL;
	}
	l->now_us = mono_us();
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->heap_len; i++)
		free(l->heap[i]);
	free(l->heap);
	free(l->fds);
	close(l->epfd);
	free(l);
}

/* ---- descriptors ---- */

static uint32_t to_epoll(unsigned events)
{
	return ((events & LOOP_READ) ? EPOLLIN : 0) | ((events & LOOP_WRITE) ? EPOLLOUT : 0);
}

int loop_fd_add(struct loop *l, int fd, unsigned events, loop_fd_cb cb, void *arg)
{
	struct epoll_event ev = { .events = to_epoll(events), .data.fd = fd };

	if (fd < 0 || !cb)
		return -EINVAL;
	if ((size_t)fd >= l->nfds) {
		size_t n = l->nfds ? l->nfds : 16;
		struct loop_fd *fds;

		while (n <= (size_t)fd)
			n *= 2;
		fds = realloc(l->fds, n * sizeof(*fds));
		if (!fds)
			return -ENOMEM;
		memset(fds + l->nfds, 0, (n - l->nfds) * sizeof(*fds));
		l->fds = fds;
		l->nfds = n;
	}
	if (l->fds[fd].used)
		return -EEXIST;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	l->fds[fd] = (struct loop_fd){ .cb = cb, .arg = arg, .events = events, .used = true };
	return 0;
}

int loop_fd_mod(struct loop *l, int fd, unsigned events)
{
	struct epoll_event ev = { .events = to_epoll(events), .data.fd = fd };

	if (fd < 0 || (size_t)fd >= l->nfds || !l->fds[fd].used)
		return -ENOENT;
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	l->fds[fd].events = events;
	return 0;
}

void loop_fd_del(struct loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->nfds || !l->fds[fd].used)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	l->fds[fd].used = false;
}

/* ---- timer heap ---- */

static bool timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	if (a->deadline_us != b->deadline_us)
		return a->deadline_us < b->deadline_us;
	return a->seq < b->seq;
}

static void heap_set(struct loop *l, size_t i, struct loop_timer *t)
{
	l->heap[i] = t;
	t->heap_idx = i;
}

static void heap_up(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!timer_before(t, l->heap[p]))
			break;
		heap_set(l, i, l->heap[p]);
		i = p;
	}
	heap_set(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= l->heap_len)
			break;
		if (c + 1 < l->heap_len && timer_before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!timer_before(l->heap[c], t))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

static int heap_push(struct loop *l, struct loop_timer *t)
{
	if (l->heap_len == l->heap_cap) {
		size_t n = l->heap_cap ? l->heap_cap * 2 : 16;
		struct loop_timer **h = realloc(l->heap, n * sizeof(*h));

		if (!h)
			return -ENOMEM;
		l->heap = h;
		l->heap_cap = n;
	}
	heap_set(l, l->heap_len++, t);
	heap_up(l, t->heap_idx);
	return 0;
}

static void heap_remove(struct loop *l, struct loop_timer *t)
{
	size_t i = t->heap_idx;
	struct loop_timer *last;

	BUG_ON(i >= l->heap_len || l->heap[i] != t);
	t->heap_idx = LOOP_NOT_QUEUED;
	last = l->heap[--l->heap_len];
	if (last == t)
		return;
	heap_set(l, i, last);
	heap_up(l, i);
	heap_down(l, last->heap_idx);
}

/* The deadline is taken from the clock now, not from the loop's cached time,
 * so a timer armed late in a long turn is not shortened. */
static void timer_schedule(struct loop *l, struct loop_timer *t, uint64_t delay_us)
{
	t->deadline_us = mono_us() + delay_us;
	t->seq = l->next_seq++;
}

struct loop_timer *loop_timer_add(struct loop *l, uint64_t delay_us, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cb = cb;
	t->arg = arg;
	timer_schedule(l, t, delay_us);
	if (heap_push(l, t) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

void loop_timer_rearm(struct loop *l, struct loop_timer *t, uint64_t delay_us)
{
	if (t->cancelled)
		return;
	if (t->heap_idx != LOOP_NOT_QUEUED)
		heap_remove(l, t);
	timer_schedule(l, t, delay_us);
	/* The heap only grows on push; a timer that was queued before had its
	 * slot, and one firing was popped, so capacity >= len + 1 here. */
	BUG_ON(heap_push(l, t) < 0);
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	if (!t)
		return;
	if (t->heap_idx != LOOP_NOT_QUEUED)
		heap_remove(l, t);
	if (t->firing)
		t->cancelled = true;
	else
		free(t);
}

uint64_t loop_now_us(const struct loop *l)
{
	return l->now_us;
}

/* Fire every timer due at the loop's current time, in deadline order, until
 * one stops the loop, as descriptor callbacks do: after a late wake-up,
 * the timers due after a stopping one wait for the next run. A timer re-armed
 * with delay 0 from its own callback waits for the next turn, so descriptors
 * are never starved. */
static void run_timers(struct loop *l)
{
	uint64_t limit = l->next_seq;

	while (!l->stop && l->heap_len && l->heap[0]->deadline_us <= l->now_us &&
	       l->heap[0]->seq < limit) {
		struct loop_timer *t = l->heap[0];

		heap_remove(l, t);
		t->firing = true;
		t->cb(l, t, t->arg);
		t->firing = false;
		if (t->cancelled || t->heap_idx == LOOP_NOT_QUEUED)
			free(t);
	}
}

static void run_fds(struct loop *l, const struct epoll_event *evs, int n)
{
	for (int i = 0; i < n; i++) {
		int fd = evs[i].data.fd;
		unsigned ev = 0;
		struct loop_fd *e;

		/* a callback earlier in this batch may have removed it */
		if ((size_t)fd >= l->nfds || !l->fds[fd].used)
			continue;
		e = &l->fds[fd];
		if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP))
			ev |= LOOP_READ;
		if (evs[i].events & EPOLLOUT)
			ev |= LOOP_WRITE;
		/* report only what was asked for, except errors (as EOF) */
		if (!(e->events & LOOP_READ) && !(evs[i].events & (EPOLLERR | EPOLLHUP)))
			ev &= ~LOOP_READ;
		if (ev)
			e->cb(l, fd, ev, e->arg);
		if (l->stop)
			return;
	}
}

int loop_run(struct loop *l)
{
	struct epoll_event evs[LOOP_BATCH];

	l->stop = false;
	while (!l->stop) {
		struct timespec ts, *tsp = NULL;
		int n;

		l->now_us = mono_us();
		if (l->heap_len) {
			uint64_t d = l->heap[0]->deadline_us;
			uint64_t wait = d > l->now_us ? d - l->now_us : 0;

			ts.tv_sec = (time_t)(wait / 1000000u);
			ts.tv_nsec = (long)(wait % 1000000u) * 1000;
			tsp = &ts;
		}
		n = epoll_pwait2(l->epfd, evs, LOOP_BATCH, tsp, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		l->now_us = mono_us();
		run_fds(l, evs, n);
		if (!l->stop)
			run_timers(l);
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
