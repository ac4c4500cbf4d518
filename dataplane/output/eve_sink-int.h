/* SPDX-License-Identifier: MIT */
/* A sink's state, shared by its queue (eve_sink.c) and its wire forms
 * (eve_sink_wire.c). */
#ifndef IDS_EVE_SINK_INT_H
#define IDS_EVE_SINK_INT_H

#include <pthread.h>
#include <stdbool.h>

#include "eve_sink.h"

struct eve_sink {
	struct eve_sink_config cfg;       /* its strings point at the copies below */
	char *path, *server, *key, *identity;

	/* the queue: workers push, the sender takes; lock guards q..stop and
	 * st.dropped as workers count it */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *q;
	size_t cap, head, len;
	bool stop;
	pthread_t thread;

	/* the sender's own */
	int fd;                           /* -1: not connected */
	char *batch;                      /* lines taken from the queue */
	char *out;                        /* redis: the commands of a batch */
	size_t out_cap;
	bool reply_line_start;            /* redis: the next reply byte starts a line */
	struct eve_sink_stats st;
};

/* Records lost (under the lock: workers count there too). */
void sink_count_dropped(struct eve_sink *s, unsigned n);

/* eve_sink_wire.c, all on the sender thread (but check_config). 0 or -1. */
int sink_wire_check_config(struct eve_sink *s, char *err, size_t errlen);
int sink_wire_connect(struct eve_sink *s);
/* Send the n whole lines of buf[0..len); what cannot be sent is counted
 * as dropped and a broken connection closed. */
void sink_wire_send(struct eve_sink *s, const char *buf, size_t len, unsigned n);
/* While idle: read and judge what the peer sent (redis replies), notice
 * that it went away. */
void sink_wire_check(struct eve_sink *s);
void sink_wire_close(struct eve_sink *s);
/* At the sink's end: close without losing what the peer has not read. */
void sink_wire_finish(struct eve_sink *s);

#endif
