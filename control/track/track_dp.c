/* SPDX-License-Identifier: MIT */
/* The dataplane's health over DPDK's telemetry socket (telem.c). Each poll
 * asks "/ethdev/list", then "/ethdev/link_status,N" for each port, then
 * "/ids/workers" (worker heartbeats) when the dataplane registered it.
 * Unhealthy: the socket is gone (idsd exited: seen at once as EOF), a poll
 * went unanswered past the timeout, a port's link is DOWN, or a worker's
 * heartbeat stopped moving. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/loop/loop.h"
#include "telem.h"
#include "track.h"

#define DP_MAX_WORKERS 128

struct track_dp {
	struct tracker t;
	struct track_dp_conf conf;
	struct loop *loop;
	struct loop_timer *tick;
	struct telem *tc;
	bool polling;
	bool workers_cmd;		/* /ids/workers answered non-null */
	bool link_down;
	uint64_t poll_start_us;
	int role;			/* -1 unset, 0 standby, 1 active */
	uint64_t hb[DP_MAX_WORKERS];
	uint64_t hb_change_us[DP_MAX_WORKERS];
	unsigned nhb;
};

static void on_closed(void *ctx, const char *why)
{
	struct track_dp *d = ctx;

	d->polling = false;
	d->nhb = 0;
	tracker_set(&d->t, false, why);
}

static void dp_close(struct track_dp *d, const char *why)
{
	telem_close(d->tc, why);
}

static void send_role(struct track_dp *d)
{
	if (telem_connected(d->tc) && d->role >= 0)
		telem_send(d->tc, d->role ? "/ids/role,active" : "/ids/role,standby", NULL, NULL);
}

/* Worker heartbeats: every number after a "heartbeat" key, in order. The
 * dataplane publishes one per worker; one that stops moving is stalled. */
static bool on_workers(struct track_dp *d, const char *js, uint64_t now)
{
	const char *p = js;
	unsigned i = 0;
	bool stalled = false;

	if (strstr(js, ": null"))
		return false;
	d->workers_cmd = true;
	while ((p = strstr(p, "\"heartbeat\"")) && i < DP_MAX_WORKERS) {
		uint64_t v;

		p = strchr(p, ':');
		if (!p)
			break;
		p++;
		while (*p == ' ' || *p == '[')
			p++;
		/* one column of numbers: [b0, b1, ...] or a single value */
		for (;;) {
			char *end;

			v = strtoull(p, &end, 10);
			if (end == p || i >= DP_MAX_WORKERS)
				break;
			if (i >= d->nhb || d->hb[i] != v) {
				d->hb[i] = v;
				d->hb_change_us[i] = now;
			} else if (now - d->hb_change_us[i] > d->conf.stall_us) {
				stalled = true;
			}
			i++;
			p = end;
			while (*p == ' ')
				p++;
			if (*p != ',')
				break;
			p++;
		}
	}
	d->nhb = i;
	return stalled;
}

static void poll_done(struct track_dp *d, bool stalled)
{
	d->polling = false;
	if (d->link_down)
		tracker_set(&d->t, false, "port link down");
	else if (stalled)
		tracker_set(&d->t, false, "worker heartbeat stalled");
	else
		tracker_set(&d->t, true, d->workers_cmd ? "workers alive" : "telemetry answers");
}

static void on_workers_reply(void *ctx, const char *js, const char *why)
{
	struct track_dp *d = ctx;

	(void)why;
	if (js)
		poll_done(d, on_workers(d, js, loop_now_us(d->loop)));
}

/* {"/ethdev/link_status": {"status": "DOWN"}} */
static void on_link(void *ctx, const char *js, const char *why)
{
	struct track_dp *d = ctx;

	(void)why;
	if (js && strstr(js, "\"DOWN\""))
		d->link_down = true;
}

/* "/ethdev/list": {"/ethdev/list": [0, 1]} */
static void on_list(void *ctx, const char *js, const char *why)
{
	struct track_dp *d = ctx;
	const char *p;
	char cmd[48];

	(void)why;
	if (!js)
		return;
	p = strchr(js, '[');
	d->link_down = false;
	while (p && *p && *p != ']') {
		char *end;
		long port = strtol(p + 1, &end, 10);

		if (end == p + 1)
			break;
		snprintf(cmd, sizeof(cmd), "/ethdev/link_status,%ld", port);
		telem_send(d->tc, cmd, on_link, d);
		p = strchr(end, ',');
		if (!p)
			break;
	}
	if (telem_send(d->tc, "/ids/workers", on_workers_reply, d) < 0)
		dp_close(d, "telemetry send failed");
}

static bool dp_connect(struct track_dp *d)
{
	if (telem_connect(d->tc) < 0)
		return false;
	send_role(d);
	return true;
}

static void on_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct track_dp *d = arg;
	uint64_t now = loop_now_us(l);

	loop_timer_rearm(l, t, d->conf.interval_us);
	if (!telem_connected(d->tc) && !dp_connect(d)) {
		tracker_set(&d->t, false, "telemetry socket unreachable");
		return;
	}
	if (d->polling) {
		if (now - d->poll_start_us > d->conf.timeout_us)
			dp_close(d, "telemetry poll timed out");
		return;
	}
	d->polling = true;
	d->poll_start_us = now;
	if (telem_send(d->tc, "/ethdev/list", on_list, d) < 0)
		dp_close(d, "telemetry send failed");
}

struct track_dp *track_dp_new(struct loop *l, const struct track_dp_conf *c, tracker_cb changed,
			      void *ctx)
{
	struct track_dp *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->conf = *c;
	d->loop = l;
	d->role = -1;
	snprintf(d->t.name, sizeof(d->t.name), "dataplane");
	snprintf(d->t.why, sizeof(d->t.why), "not yet polled");
	d->t.changed = changed;
	d->t.ctx = ctx;
	/* the poll's own timeout watches time: none in the client */
	d->tc = telem_new(l, c->path, 0, on_closed, d);
	if (!d->tc) {
		free(d);
		return NULL;
	}
	/* connect now so the first verdict does not wait a whole interval */
	d->t.ok = dp_connect(d);
	d->tick = loop_timer_add(l, 0, on_tick, d);
	if (!d->tick) {
		track_dp_free(d);
		return NULL;
	}
	return d;
}

void track_dp_free(struct track_dp *d)
{
	if (!d)
		return;
	telem_free(d->tc);
	loop_timer_cancel(d->loop, d->tick);
	free(d);
}

struct tracker *track_dp_tracker(struct track_dp *d)
{
	return &d->t;
}

void track_dp_set_role(struct track_dp *d, bool active)
{
	d->role = active;
	send_role(d);
}
