/* SPDX-License-Identifier: MIT */
/* keepalived's vrrp_script: periodic checks with rise/fall hysteresis. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "control/config/ctl_conf.h"
#include "control/loop/loop.h"
#include "control/notify/spawn.h"
#include "track.h"

static void on_tick(struct loop *l, struct loop_timer *t, void *arg);

static void on_done(void *arg, int status)
{
	struct track_script *s = arg;
	char why[64];

	s->running = false;
	if (s->retired) {
		free(s);
		return;
	}
	if (status == -ETIMEDOUT) {
		s->timeouts++;
		snprintf(why, sizeof(why), "timed out");
	} else {
		snprintf(why, sizeof(why), "exit %d", status);
	}
	if (status == 0) {
		s->bad = 0;
		if (++s->good >= s->cfg->rise)
			tracker_set(&s->t, true, why);
	} else {
		s->failures++;
		s->good = 0;
		if (++s->bad >= s->cfg->fall)
			tracker_set(&s->t, false, why);
	}
}

static void on_tick(struct loop *l, struct loop_timer *t, void *arg)
{
	struct track_script *s = arg;
	pid_t pid;

	loop_timer_rearm(l, t, s->cfg->interval_us);
	/* a check still running counts once; never two at a time */
	if (s->running)
		return;
	s->runs++;
	pid = spawn_run(l, s->cfg->cmd, NULL, s->user, s->cfg->timeout_us, on_done, s);
	if (pid < 0) {
		log_msg(LOG_ERR, "track", "script %s: cannot run '%s': %s", s->cfg->name,
			s->cfg->cmd, strerror((int)-pid));
		on_done(s, 127);
		return;
	}
	s->running = true;
}

struct track_script *track_script_new(struct loop *l, const struct ctl_script *cfg,
				      const char *user, tracker_cb changed, void *ctx)
{
	struct track_script *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	snprintf(s->t.name, sizeof(s->t.name), "script %s", cfg->name);
	s->t.ok = true;
	s->t.changed = changed;
	s->t.ctx = ctx;
	s->cfg = cfg;
	s->user = user;
	s->loop = l;
	s->timer = loop_timer_add(l, 0, on_tick, s);
	if (!s->timer) {
		free(s);
		return NULL;
	}
	return s;
}

void track_script_retire(struct track_script *s)
{
	loop_timer_cancel(s->loop, s->timer);
	s->timer = NULL;
	if (!s->running) {
		free(s);
		return;
	}
	s->retired = true;
}

void track_script_free(struct track_script *s)
{
	if (!s)
		return;
	loop_timer_cancel(s->loop, s->timer);
	free(s);
}
