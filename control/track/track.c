/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "common/log.h"
#include "track.h"

void tracker_set(struct tracker *t, bool ok, const char *why)
{
	if (t->ok == ok)
		return;
	t->ok = ok;
	t->changes++;
	snprintf(t->why, sizeof(t->why), "%s", why);
	log_msg(ok ? LOG_NOTICE : LOG_WARN, "track", "%s: %s (%s)", t->name,
		ok ? "up" : "down", why);
	if (t->changed)
		t->changed(t->ctx);
}
