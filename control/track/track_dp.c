/* SPDX-License-Identifier: MIT */
/* The dataplane's health over DPDK's telemetry socket (SOCK_SEQPACKET, one
 * JSON reply per command, in order). Each poll asks "/ethdev/list", then
 * "/ethdev/link_status,N" for each port, then "/ids/workers" (worker
 * heartbeats) when the dataplane registered it. Unhealthy: the socket is
 * gone (idsd exited: seen at once as EOF), a poll went unanswered past the
 * timeout, a port's link is DOWN, or a worker's heartbeat stopped moving. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control/loop/loop.h"
#include "track.h"

#define DP_MAX_PORTS 32
#define DP_MAX_WORKERS 128
#define DP_QUEUE 64

enum dp_req { DP_HELLO, DP_LIST, DP_LINK, DP_WORKERS, DP_ROLE };

struct track_dp {
	struct tracker t;
	struct track_dp_conf conf;
	struct loop *loop;
	struct loop_timer *tick;
	int fd;
	enum dp_req q[DP_QUEUE];	/* replies still expected, in order */
	unsigned qhead, qlen;
	bool polling;
	bool workers_cmd;		/* /ids/workers answered non-null */
	bool link_down;
	char down_port[16];
	uint64_t poll_start_us;
	uint64_t last_ok_us;
	int role;			/* -1 unset, 0 standby, 1 active */
	uint64_t hb[DP_MAX_WORKERS];
	uint64_t hb_change_us[DP_MAX_WORKERS];
	unsigned nhb;
};

static void dp_close(struct track_dp *d, const char *why)
{
	if (d->fd >= 0) {
		loop_fd_del(d->loop, d->fd);
		close(d->fd);
		d->fd = -1;
	}
	d->qlen = 0;
	d->polling = false;
	d->nhb = 0;
	tracker_set(&d->t, false, why);
}

static int dp_send(struct track_dp *d, enum dp_req kind, const char *cmd)
{
	if (d->qlen == DP_QUEUE)
		return -ENOBUFS;
	if (send(d->fd, cmd, strlen(cmd), MSG_NOSIGNAL) < 0)
		return -errno;
	d->q[(d->qhead + d->qlen++) % DP_QUEUE] = kind;
	return 0;
}

static void send_role(struct track_dp *d)
{
	if (d->fd >= 0 && d->role >= 0)
		dp_send(d, DP_ROLE, d->role ? "/ids/role,active" : "/ids/role,standby");
}

/* "/ethdev/list": {"/ethdev/list": [0, 1]} */
static void on_list(struct track_dp *d, const char *js)
{
	const char *p = strchr(js, '[');
	char cmd[48];

	d->link_down = false;
	while (p && *p && *p != ']') {
		char *end;
		long port = strtol(p + 1, &end, 10);

		if (end == p + 1)
			break;
		snprintf(cmd, sizeof(cmd), "/ethdev/link_status,%ld", port);
		dp_send(d, DP_LINK, cmd);
		p = strchr(end, ',');
		if (!p)
			break;
	}
	dp_send(d, DP_WORKERS, "/ids/workers");
}

/* {"/ethdev/link_status": {"status": "DOWN"}} */
static void on_link(struct track_dp *d, const char *js)
{
	if (strstr(js, "\"DOWN\"")) {
		d->link_down = true;
		snprintf(d->down_port, sizeof(d->down_port), "a port");
	}
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
		v = strtoull(p + 1, NULL, 10);
		if (i >= d->nhb || d->hb[i] != v) {
			d->hb[i] = v;
			d->hb_change_us[i] = now;
		} else if (now - d->hb_change_us[i] > d->conf.stall_us) {
			stalled = true;
		}
		i++;
	}
	d->nhb = i;
	return stalled;
}

static void poll_done(struct track_dp *d, bool stalled)
{
	d->polling = false;
	d->last_ok_us = loop_now_us(d->loop);
	if (d->link_down)
		tracker_set(&d->t, false, "port link down");
	else if (stalled)
		tracker_set(&d->t, false, "worker heartbeat stalled");
	else
		tracker_set(&d->t, true, d->workers_cmd ? "workers alive" : "telemetry answers");
}

static void on_readable(struct loop *l, int fd, unsigned events, void *arg)
{
	struct track_dp *d = arg;
	char buf[16384];
	ssize_t n;

	(void)events;
	while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		enum dp_req kind;

		buf[n] = '\0';
		if (!d->qlen)
			continue;
		kind = d->q[d->qhead];
		d->qhead = (d->qhead + 1) % DP_QUEUE;
		d->qlen--;
		switch (kind) {
		case DP_LIST:
			on_list(d, buf);
			break;
		case DP_LINK:
			on_link(d, buf);
			break;
		case DP_WORKERS:
			poll_done(d, on_workers(d, buf, loop_now_us(l)));
			break;
		case DP_HELLO:
		case DP_ROLE:
			break;
		}
		if (d->fd < 0)
			return;
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
		dp_close(d, n == 0 ? "telemetry socket closed (idsd gone)" : strerror(errno));
}

static void dp_connect(struct track_dp *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", d->conf.path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    loop_fd_add(d->loop, fd, LOOP_READ, on_readable, d) < 0) {
		close(fd);
		return;
	}
	d->fd = fd;
	d->qhead = 0;
	d->qlen = 1;
	d->q[0] = DP_HELLO;	/* DPDK greets with its version and limits */
	d->last_ok_us = loop_now_us(d->loop);
	send_role(d);
}

static void on_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct track_dp *d = arg;
	uint64_t now = loop_now_us(l);

	loop_timer_rearm(l, t, d->conf.interval_us);
	if (d->fd < 0) {
		dp_connect(d);
		if (d->fd < 0) {
			tracker_set(&d->t, false, "telemetry socket unreachable");
			return;
		}
	}
	if (d->polling) {
		if (now - d->poll_start_us > d->conf.timeout_us)
			dp_close(d, "telemetry poll timed out");
		return;
	}
	d->polling = true;
	d->poll_start_us = now;
	if (dp_send(d, DP_LIST, "/ethdev/list") < 0)
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
	d->fd = -1;
	d->role = -1;
	snprintf(d->t.name, sizeof(d->t.name), "dataplane");
	snprintf(d->t.why, sizeof(d->t.why), "not yet polled");
	d->t.changed = changed;
	d->t.ctx = ctx;
	/* connect now so the first verdict does not wait a whole interval */
	dp_connect(d);
	d->t.ok = d->fd >= 0;
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
	if (d->fd >= 0) {
		loop_fd_del(d->loop, d->fd);
		close(d->fd);
	}
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
