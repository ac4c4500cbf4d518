/* SPDX-License-Identifier: MIT */
/* EVE sinks other than a regular file, as Suricata's eve-log filetype:
 * unix_stream, unix_dgram, syslog (RFC 5424 to the local syslog socket) and
 * redis (list, rpush, channel, stream; RESP written here over a
 * non-blocking socket). Workers only append whole lines to the sink's
 * bounded queue (a memcpy under its lock, never a system call); one sender
 * thread per sink connects, sends, and reconnects with a backoff while the
 * peer is away. What does not fit the queue is dropped and counted. */
#ifndef IDS_EVE_SINK_H
#define IDS_EVE_SINK_H

#include <stddef.h>
#include <stdint.h>

enum eve_sink_kind {
	EVE_SINK_UNIX_STREAM = 1,
	EVE_SINK_UNIX_DGRAM,
	EVE_SINK_SYSLOG,
	EVE_SINK_REDIS,
};

enum eve_redis_mode {
	EVE_REDIS_LIST = 0,      /* LPUSH (Suricata's "list" and "lpush") */
	EVE_REDIS_RPUSH,
	EVE_REDIS_CHANNEL,       /* PUBLISH ("channel" and "publish") */
	EVE_REDIS_STREAM,        /* XADD key [MAXLEN ~ N] * eve <record> ("stream", "xadd") */
};

struct eve_sink_config {
	enum eve_sink_kind kind;
	const char *path;        /* unix_*: the socket; syslog: the log socket */
	/* redis */
	const char *server;
	uint16_t port;
	const char *key;
	enum eve_redis_mode mode;
	uint64_t stream_maxlen;  /* 0: no MAXLEN */
	/* syslog */
	const char *identity;    /* APP-NAME */
	unsigned facility;       /* 0..23 */
	unsigned severity;       /* 0..7 */
	size_t queue_bytes;      /* the bound of the queue; 0: 8 MiB */
};

/* Counters, read by others as approximate. */
struct eve_sink_stats {
	uint64_t sent;           /* records handed to the peer */
	uint64_t dropped;        /* records lost: queue full, or unsent when a connection broke */
	uint64_t reconnects;     /* connections made after the first */
	uint64_t errors;         /* redis error replies, oversized datagrams */
	uint64_t connected;      /* 1 while connected */
};

struct eve_sink;

/* Start the sink's sender (it connects in the background, so a peer that is
 * not there yet is no error). NULL with err filled on a bad config or no
 * memory. Strings of cfg are copied. */
struct eve_sink *eve_sink_open(const struct eve_sink_config *cfg, char *err, size_t errlen);
/* Queue the whole lines buf[0..len) (each ending in '\n'). Never blocks on
 * the peer; all or nothing: lines that do not fit are dropped and counted.
 * Returns the number of lines dropped. */
unsigned eve_sink_push(struct eve_sink *s, const char *buf, size_t len);
/* Send what is queued (for at most about 10 s; at once dropped when the
 * peer cannot be reached), stop the sender, free; final (NULL: not
 * wanted) gets the last counters. */
void eve_sink_close(struct eve_sink *s, struct eve_sink_stats *final);
const struct eve_sink_stats *eve_sink_stats(const struct eve_sink *s);

#endif
