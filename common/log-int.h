/* SPDX-License-Identifier: MIT */
/* Between log.c (outputs) and log_fmt.c (names, formats, rendering). */
#ifndef IDS_LOG_INT_H
#define IDS_LOG_INT_H

#include <time.h>

#include "log.h"

/* One message as its outputs render it. */
struct log_rec {
	const char *file;        /* where log_emit was called */
	int line;
	const char *func;
	enum log_level lvl;
	const char *subsys;
	bool raw;                /* a report line (log_line) */
	const char *msg;
	struct timespec ts;      /* CLOCK_REALTIME when emitted */
};

/* rec in fmt (NULL: out's built-in form) into buf, NUL-terminated, cut to
 * cap - 1 bytes, no newline. A format without %M gets the message after it
 * (Suricata's prefix formats). Returns the length written. */
size_t log_render(char *buf, size_t cap, const char *fmt, enum log_out out,
		  const struct log_rec *r);
/* rec as Suricata 7's JSON log line (event_type "engine"), no newline;
 * cap must hold 6 times the message and 512 more (every byte escaped). */
size_t log_render_json(char *buf, size_t cap, const struct log_rec *r);
/* The syslog severity of a level (sd-daemon's <N> prefix too). */
int log_severity(enum log_level lvl);

#endif
