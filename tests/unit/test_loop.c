/* SPDX-License-Identifier: MIT */
/* The control process's event loop: timer order, re-arm, cancel (also from
 * inside callbacks), descriptor readiness, EOF, removal inside a batch. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "control/loop/loop.h"

struct rec {
	int order[16];
	int n;
};

struct tctx {
	struct rec *rec;
	int id;
	int rearms;		/* how many more times to re-arm itself */
	struct loop_timer *victim;	/* cancelled from this callback */
	bool stop;
};

static void on_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct tctx *c = arg;

	c->rec->order[c->rec->n++] = c->id;
	if (c->victim) {
		loop_timer_cancel(l, c->victim);
		c->victim = NULL;
	}
	if (c->rearms > 0) {
		c->rearms--;
		loop_timer_rearm(l, t, 10000);
	}
	if (c->stop)
		loop_stop(l);
}

static void test_timer_order(void)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	struct tctx a = { &r, 1, 0, NULL, false };
	struct tctx b = { &r, 2, 0, NULL, false };
	struct tctx c = { &r, 3, 0, NULL, false };
	struct tctx d = { &r, 4, 0, NULL, true };
	uint64_t t0;

	CHECK(l != NULL);
	t0 = loop_now_us(l);
	CHECK(loop_timer_add(l, 20000, on_timer, &c) != NULL);
	CHECK(loop_timer_add(l, 5000, on_timer, &a) != NULL);
	CHECK(loop_timer_add(l, 10000, on_timer, &b) != NULL);
	CHECK(loop_timer_add(l, 30000, on_timer, &d) != NULL);
	CHECK_INT(0, loop_run(l));
	CHECK_INT(4, r.n);
	CHECK_INT(1, r.order[0]);
	CHECK_INT(2, r.order[1]);
	CHECK_INT(3, r.order[2]);
	CHECK_INT(4, r.order[3]);
	/* fired no earlier than asked, and not absurdly late */
	CHECK(loop_now_us(l) - t0 >= 30000);
	CHECK(loop_now_us(l) - t0 < 2000000);
	loop_free(l);
}

/* A late wake-up finds several timers due: the first to stop the loop ends
 * the turn, the later-due ones wait for the next run (the VRRP test's
 * run_for relies on it under load). */
static void test_stop_before_later_due(void)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	struct tctx stop = { &r, 1, 0, NULL, true };
	struct tctx later = { &r, 2, 0, NULL, true };

	CHECK(loop_timer_add(l, 5000, on_timer, &stop) != NULL);
	CHECK(loop_timer_add(l, 10000, on_timer, &later) != NULL);
	usleep(30000);		/* both due when the loop first looks */
	CHECK_INT(0, loop_run(l));
	CHECK_INT(1, r.n);
	CHECK_INT(1, r.order[0]);
	if (r.n == 1)		/* else nothing is left to end a second run */
		CHECK_INT(0, loop_run(l));
	CHECK_INT(2, r.n);
	CHECK_INT(2, r.order[1]);
	loop_free(l);
}

static void test_same_deadline_fifo(void)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	struct tctx c[5];

	for (int i = 0; i < 5; i++) {
		c[i] = (struct tctx){ &r, i, 0, NULL, i == 4 };
		CHECK(loop_timer_add(l, 0, on_timer, &c[i]) != NULL);
	}
	CHECK_INT(0, loop_run(l));
	CHECK_INT(5, r.n);
	for (int i = 0; i < 5; i++)
		CHECK_INT(i, r.order[i]);
	loop_free(l);
}

static void test_rearm_and_cancel(void)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	struct tctx rep = { &r, 7, 3, NULL, false };
	struct tctx killer = { &r, 8, 0, NULL, false };
	struct tctx gone = { &r, 9, 0, NULL, false };
	struct tctx end = { &r, 10, 0, NULL, true };
	struct loop_timer *g, *pending;

	/* rep fires at 10, 20, 30, 40 ms; killer at 15 ms cancels "gone" (due 100 ms) */
	CHECK(loop_timer_add(l, 10000, on_timer, &rep) != NULL);
	g = loop_timer_add(l, 100000, on_timer, &gone);
	killer.victim = g;
	CHECK(loop_timer_add(l, 15000, on_timer, &killer) != NULL);
	CHECK(loop_timer_add(l, 120000, on_timer, &end) != NULL);
	/* cancelled before ever running: must not fire */
	pending = loop_timer_add(l, 100, on_timer, &gone);
	loop_timer_cancel(l, pending);
	CHECK_INT(0, loop_run(l));
	CHECK_INT(6, r.n);
	CHECK_INT(7, r.order[0]);
	CHECK_INT(8, r.order[1]);
	CHECK_INT(7, r.order[2]);
	CHECK_INT(7, r.order[3]);
	CHECK_INT(7, r.order[4]);
	CHECK_INT(10, r.order[5]);
	loop_free(l);
}

/* a timer cancelling itself from its own callback after re-arming */
static void self_cancel(struct loop *l, struct loop_timer *t, void *arg)
{
	int *n = arg;

	(*n)++;
	loop_timer_rearm(l, t, 1000);
	loop_timer_cancel(l, t);
}

static void stop_cb(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	loop_stop(l);
}

static void test_self_cancel(void)
{
	struct loop *l = loop_new();
	int n = 0;

	CHECK(loop_timer_add(l, 100, self_cancel, &n) != NULL);
	CHECK(loop_timer_add(l, 20000, stop_cb, NULL) != NULL);
	CHECK_INT(0, loop_run(l));
	CHECK_INT(1, n);
	loop_free(l);
}

/* a rearm of a pending timer moves it later */
static void test_rearm_pending(void)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	struct tctx a = { &r, 1, 0, NULL, false };
	struct tctx b = { &r, 2, 0, NULL, true };
	struct loop_timer *ta;

	ta = loop_timer_add(l, 1000, on_timer, &a);
	CHECK(loop_timer_add(l, 10000, on_timer, &b) != NULL);
	loop_timer_rearm(l, ta, 30000);
	CHECK_INT(0, loop_run(l));
	CHECK_INT(1, r.n);
	CHECK_INT(2, r.order[0]);
	/* a is still pending: loop_free releases it */
	loop_free(l);
}

struct fdctx {
	int reads;
	int eofs;
	int writes;
	int other_fd;		/* removed from inside the callback */
	char buf[16];
};

static void on_fd(struct loop *l, int fd, unsigned events, void *arg)
{
	struct fdctx *c = arg;

	if (events & LOOP_WRITE) {
		c->writes++;
		loop_fd_mod(l, fd, LOOP_READ);
	}
	if (events & LOOP_READ) {
		ssize_t n = read(fd, c->buf, sizeof(c->buf));

		if (n > 0) {
			c->reads++;
		} else {
			c->eofs++;
			loop_fd_del(l, fd);
			loop_stop(l);
		}
	}
	if (c->other_fd >= 0) {
		loop_fd_del(l, c->other_fd);
		c->other_fd = -1;
	}
}

static void close_writer(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)l;
	(void)t;
	close(*(int *)arg);
}

static void test_fds(void)
{
	struct loop *l = loop_new();
	struct fdctx c = { .other_fd = -1 };
	int p[2];

	CHECK_INT(0, pipe(p));
	CHECK_INT(0, loop_fd_add(l, p[0], LOOP_READ, on_fd, &c));
	CHECK_INT(-EEXIST, loop_fd_add(l, p[0], LOOP_READ, on_fd, &c));
	CHECK_INT(-ENOENT, loop_fd_mod(l, 999, LOOP_READ));
	CHECK_INT(2, write(p[1], "hi", 2));
	CHECK(loop_timer_add(l, 5000, close_writer, &p[1]) != NULL);
	CHECK_INT(0, loop_run(l));
	CHECK_INT(1, c.reads);
	CHECK_INT(1, c.eofs);
	close(p[0]);
	loop_free(l);
}

/* two readable pipes; the first callback removes the other one */
static void test_del_in_batch(void)
{
	struct loop *l = loop_new();
	struct fdctx c1 = { .other_fd = -1 }, c2 = { .other_fd = -1 };
	int a[2], b[2];

	CHECK_INT(0, pipe(a));
	CHECK_INT(0, pipe(b));
	c1.other_fd = b[0];
	c2.other_fd = a[0];
	CHECK_INT(0, loop_fd_add(l, a[0], LOOP_READ, on_fd, &c1));
	CHECK_INT(0, loop_fd_add(l, b[0], LOOP_READ, on_fd, &c2));
	CHECK_INT(1, write(a[1], "x", 1));
	CHECK_INT(1, write(b[1], "y", 1));
	CHECK(loop_timer_add(l, 20000, stop_cb, NULL) != NULL);
	CHECK_INT(0, loop_run(l));
	/* exactly one of the two ran: the other was removed before its turn */
	CHECK_INT(1, c1.reads + c2.reads);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	loop_free(l);
}

static void test_write_ready(void)
{
	struct loop *l = loop_new();
	struct fdctx c = { .other_fd = -1 };
	int p[2];

	CHECK_INT(0, pipe(p));
	CHECK_INT(0, loop_fd_add(l, p[1], LOOP_WRITE, on_fd, &c));
	CHECK(loop_timer_add(l, 10000, stop_cb, NULL) != NULL);
	CHECK_INT(0, loop_run(l));
	/* writable once, then switched to read interest: no more callbacks */
	CHECK_INT(1, c.writes);
	CHECK_INT(0, c.reads);
	loop_fd_del(l, p[1]);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

int main(void)
{
	test_timer_order();
	test_stop_before_later_due();
	test_same_deadline_fifo();
	test_rearm_and_cancel();
	test_self_cancel();
	test_rearm_pending();
	test_fds();
	test_del_in_batch();
	test_write_ready();
	return check_result("loop");
}
