/* SPDX-License-Identifier: MIT */
/* The sink's queue (a byte ring of whole lines, bounded) and its sender
 * thread: connect, send, reconnect. The wire forms are in eve_sink_wire.c. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eve_sink-int.h"

#define SINK_QUEUE_DEFAULT (8u << 20)
#define SINK_BATCH_MAX     (512u << 10)  /* bytes taken from the queue at once */
#define SINK_IDLE_MS       200           /* a look at the peer while idle */
#define SINK_BACKOFF_MIN   100
#define SINK_BACKOFF_MAX   2000
#define SINK_DRAIN_MS      10000         /* at close: how long to keep sending at most */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static unsigned count_lines(const char *buf, size_t len)
{
	unsigned n = 0;

	for (const char *p = buf; (p = memchr(p, '\n', len - (size_t)(p - buf))) != NULL; p++)
		n++;
	return n;
}

static void ring_copy_in(struct eve_sink *s, const char *buf, size_t len)
{
	size_t tail = (s->head + s->len) % s->cap;
	size_t first = len < s->cap - tail ? len : s->cap - tail;

	memcpy(s->q + tail, buf, first);
	memcpy(s->q, buf + first, len - first);
	s->len += len;
}

/* Up to max bytes from the head, cut after the last whole line; the bytes
 * taken leave the ring. Returns their number (0: none). */
static size_t ring_take(struct eve_sink *s, char *out, size_t max)
{
	size_t n = s->len < max ? s->len : max, first;
	char *nl;

	first = n < s->cap - s->head ? n : s->cap - s->head;
	memcpy(out, s->q + s->head, first);
	memcpy(out + first, s->q, n - first);
	nl = memrchr(out, '\n', n);
	n = nl != NULL ? (size_t)(nl - out) + 1 : 0;
	s->head = (s->head + n) % s->cap;
	s->len -= n;
	return n;
}

unsigned eve_sink_push(struct eve_sink *s, const char *buf, size_t len)
{
	unsigned dropped = 0;

	pthread_mutex_lock(&s->lock);
	if (len > s->cap - s->len) {
		dropped = count_lines(buf, len);
		s->st.dropped += dropped;
	} else {
		ring_copy_in(s, buf, len);
		pthread_cond_signal(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	return dropped;
}

void sink_count_dropped(struct eve_sink *s, unsigned n)
{
	pthread_mutex_lock(&s->lock);
	s->st.dropped += n;
	pthread_mutex_unlock(&s->lock);
}

const struct eve_sink_stats *eve_sink_stats(const struct eve_sink *s)
{
	return &s->st;
}

/* Wait on the condition for at most ms (a push or the stop wakes it). */
static void wait_ms(struct eve_sink *s, unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&s->cond, &s->lock, &ts);
}

/* Everything still queued is lost (the sink stops unconnected). */
static void drop_queued(struct eve_sink *s)
{
	char buf[4096];

	pthread_mutex_lock(&s->lock);
	while (s->len > 0) {
		size_t n = s->len < sizeof(buf) ? s->len : sizeof(buf);
		size_t first = n < s->cap - s->head ? n : s->cap - s->head;

		memcpy(buf, s->q + s->head, first);
		memcpy(buf + first, s->q, n - first);
		s->st.dropped += count_lines(buf, n);   /* lines are whole: none counted twice */
		s->head = (s->head + n) % s->cap;
		s->len -= n;
	}
	pthread_mutex_unlock(&s->lock);
}

static void *sender(void *arg)
{
	struct eve_sink *s = arg;
	unsigned backoff = SINK_BACKOFF_MIN;
	uint64_t deadline = 0;
	bool ever = false;

	for (;;) {
		bool stopping;
		size_t n;

		pthread_mutex_lock(&s->lock);
		stopping = s->stop;
		if (stopping && deadline == 0)
			deadline = now_ms() + SINK_DRAIN_MS;
		if (s->len == 0) {
			if (!stopping)
				wait_ms(s, SINK_IDLE_MS);
			pthread_mutex_unlock(&s->lock);
			if (stopping)
				break;
			if (s->fd >= 0)
				sink_wire_check(s);
			continue;
		}
		pthread_mutex_unlock(&s->lock);
		if (stopping && now_ms() > deadline) {
			drop_queued(s);
			break;
		}
		if (s->fd < 0) {
			if (sink_wire_connect(s) != 0) {
				/* closing with the peer away: nothing to wait for */
				if (stopping) {
					drop_queued(s);
					break;
				}
				pthread_mutex_lock(&s->lock);
				wait_ms(s, backoff);
				pthread_mutex_unlock(&s->lock);
				backoff = backoff * 2 > SINK_BACKOFF_MAX ? SINK_BACKOFF_MAX : backoff * 2;
				continue;
			}
			if (ever)
				s->st.reconnects++;
			ever = true;
			backoff = SINK_BACKOFF_MIN;
		}
		pthread_mutex_lock(&s->lock);
		n = ring_take(s, s->batch, SINK_BATCH_MAX);
		pthread_mutex_unlock(&s->lock);
		if (n > 0)
			sink_wire_send(s, s->batch, n, count_lines(s->batch, n));
	}
	sink_wire_finish(s);
	return NULL;
}

static char *dup_or_null(const char *v, bool *bad)
{
	char *d;

	if (v == NULL)
		return NULL;
	d = strdup(v);
	*bad = *bad || d == NULL;
	return d;
}

static void sink_free(struct eve_sink *s)
{
	free(s->path);
	free(s->server);
	free(s->key);
	free(s->identity);
	free(s->q);
	free(s->batch);
	free(s->out);
	free(s);
}

struct eve_sink *eve_sink_open(const struct eve_sink_config *cfg, char *err, size_t errlen)
{
	struct eve_sink *s = calloc(1, sizeof(*s));
	bool bad = false;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	s->fd = -1;
	s->path = dup_or_null(cfg->path, &bad);
	s->server = dup_or_null(cfg->server, &bad);
	s->key = dup_or_null(cfg->key, &bad);
	s->identity = dup_or_null(cfg->identity, &bad);
	s->cap = cfg->queue_bytes ? cfg->queue_bytes : SINK_QUEUE_DEFAULT;
	s->q = malloc(s->cap);
	s->batch = malloc(SINK_BATCH_MAX);
	if (bad || s->q == NULL || s->batch == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (sink_wire_check_config(s, err, errlen) != 0)
		goto fail;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (pthread_create(&s->thread, NULL, sender, s) != 0) {
		snprintf(err, errlen, "cannot start the sender thread");
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		goto fail;
	}
	return s;
fail:
	sink_free(s);
	return NULL;
}

void eve_sink_close(struct eve_sink *s, struct eve_sink_stats *final)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	if (final != NULL)
		*final = s->st;
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	sink_free(s);
}
