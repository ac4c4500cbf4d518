/* SPDX-License-Identifier: MIT */
/* What a sink puts on the wire, on non-blocking sockets with bounded waits:
 * unix_stream the lines as they are; unix_dgram one record per datagram;
 * syslog one RFC 5424 message per record; redis one RESP command per
 * record, pipelined, its replies read back and error replies counted. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "eve_sink-int.h"

#define WIRE_TIMEOUT_MS 2000     /* a peer that takes nothing this long is broken */

static bool is_stream(const struct eve_sink *s)
{
	return s->cfg.kind == EVE_SINK_UNIX_STREAM || s->cfg.kind == EVE_SINK_REDIS;
}

int sink_wire_check_config(struct eve_sink *s, char *err, size_t errlen)
{
	struct sockaddr_un sun;

	if (s->cfg.kind == EVE_SINK_REDIS) {
		if (s->server == NULL || s->key == NULL || s->key[0] == '\0') {
			snprintf(err, errlen, "redis: server and key are needed");
			return -1;
		}
		return 0;
	}
	if (s->path == NULL || s->path[0] == '\0' || strlen(s->path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: not a usable socket path",
			 s->path != NULL ? s->path : "(none)");
		return -1;
	}
	return 0;
}

void sink_wire_close(struct eve_sink *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->st.connected = 0;
	s->reply_line_start = true;
}

/* Forward declared: finish below waits with it. */
static int wait_fd(int fd, short events, int ms, short *revents);
static int read_replies(struct eve_sink *s);

/* The end of a stream connection: our side closed first (FIN), then the
 * peer's replies read up to its close. Closing with replies unread would
 * reset the connection, and the peer would drop the commands it has not
 * read yet. */
void sink_wire_finish(struct eve_sink *s)
{
	short rev;

	if (s->fd >= 0 && is_stream(s) && shutdown(s->fd, SHUT_WR) == 0) {
		for (int i = 0; i < WIRE_TIMEOUT_MS / 10; i++) {
			if (wait_fd(s->fd, POLLIN, 10, &rev) != 0 && read_replies(s) != 0)
				break;
		}
	}
	sink_wire_close(s);
}

/* Wait for events on the socket; 1 ready, 0 timeout, -1 error/hangup. */
static int wait_fd(int fd, short events, int ms, short *revents)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	*revents = p.revents;
	if (r <= 0)
		return r;
	return (p.revents & (POLLERR | POLLNVAL)) ? -1 : 1;
}

/* connect() on a non-blocking socket, finished within the timeout. */
static int connect_nb(int fd, const struct sockaddr *sa, socklen_t len)
{
	int soerr = 0;
	socklen_t sl = sizeof(soerr);
	short rev;

	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EAGAIN)
		return -1;
	if (wait_fd(fd, POLLOUT, WIRE_TIMEOUT_MS, &rev) != 1)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0)
		return -1;
	return 0;
}

static int connect_unix(struct eve_sink *s, int type)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memcpy(sun.sun_path, s->path, strlen(s->path) + 1);
	if (connect_nb(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int connect_tcp(struct eve_sink *s)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char port[8];
	int fd = -1;

	snprintf(port, sizeof(port), "%u", s->cfg.port);
	if (getaddrinfo(s->server, port, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd >= 0 && connect_nb(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

int sink_wire_connect(struct eve_sink *s)
{
	switch (s->cfg.kind) {
	case EVE_SINK_UNIX_STREAM:
		s->fd = connect_unix(s, SOCK_STREAM);
		break;
	case EVE_SINK_UNIX_DGRAM:
	case EVE_SINK_SYSLOG:
		s->fd = connect_unix(s, SOCK_DGRAM);
		break;
	case EVE_SINK_REDIS:
		s->fd = connect_tcp(s);
		break;
	}
	s->reply_line_start = true;
	s->st.connected = s->fd >= 0;
	return s->fd >= 0 ? 0 : -1;
}

/* Redis replies: one line each (":n", "+OK", "$len" + data for XADD);
 * those starting with '-' are errors. Reads what is there without waiting.
 * -1 when the peer closed. */
static int read_replies(struct eve_sink *s)
{
	char buf[4096];

	for (;;) {
		ssize_t r = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (r == 0)
			return -1;
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		for (ssize_t i = 0; i < r; i++) {
			if (s->reply_line_start && buf[i] == '-')
				s->st.errors++;
			s->reply_line_start = buf[i] == '\n';
		}
	}
}

void sink_wire_check(struct eve_sink *s)
{
	short rev;

	if (!is_stream(s))
		return;
	if (wait_fd(s->fd, POLLIN, 0, &rev) != 0 && read_replies(s) != 0)
		sink_wire_close(s);
}

/* All of buf to a stream socket, reading redis replies meanwhile. */
static int write_all(struct eve_sink *s, const char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		short ev = POLLOUT | (s->cfg.kind == EVE_SINK_REDIS ? POLLIN : 0), rev = 0;
		ssize_t w;

		if (wait_fd(s->fd, ev, WIRE_TIMEOUT_MS, &rev) != 1)
			return -1;
		if ((rev & (POLLIN | POLLHUP)) && read_replies(s) != 0)
			return -1;
		if (!(rev & POLLOUT))
			continue;
		w = send(s->fd, buf + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0)
			off += (size_t)w;
		else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
	}
	return 0;
}

static int out_reserve(struct eve_sink *s, size_t need)
{
	char *o;
	size_t cap = s->out_cap ? s->out_cap : 4096;

	if (need <= s->out_cap)
		return 0;
	while (cap < need)
		cap *= 2;
	o = realloc(s->out, cap);
	if (o == NULL)
		return -1;
	s->out = o;
	s->out_cap = cap;
	return 0;
}

static size_t put_bulk(char *o, const char *v, size_t n)
{
	size_t k = (size_t)sprintf(o, "$%zu\r\n", n);

	memcpy(o + k, v, n);
	memcpy(o + k + n, "\r\n", 2);
	return k + n + 2;
}

/* One record as a RESP array of bulk strings (the Redis protocol spec):
 * LPUSH|RPUSH|PUBLISH key record, or XADD key [MAXLEN ~ n] * eve record. */
static size_t resp_command(const struct eve_sink *s, char *o, const char *rec, size_t n)
{
	static const char *const verbs[] = {
		[EVE_REDIS_LIST] = "LPUSH", [EVE_REDIS_RPUSH] = "RPUSH",
		[EVE_REDIS_CHANNEL] = "PUBLISH", [EVE_REDIS_STREAM] = "XADD",
	};
	const char *verb = verbs[s->cfg.mode];
	bool stream = s->cfg.mode == EVE_REDIS_STREAM, maxlen = stream && s->cfg.stream_maxlen;
	char num[24];
	size_t k = (size_t)sprintf(o, "*%d\r\n", stream ? (maxlen ? 8 : 5) : 3);

	k += put_bulk(o + k, verb, strlen(verb));
	k += put_bulk(o + k, s->key, strlen(s->key));
	if (maxlen) {
		k += put_bulk(o + k, "MAXLEN", 6);
		k += put_bulk(o + k, "~", 1);
		k += put_bulk(o + k, num, (size_t)snprintf(num, sizeof(num), "%llu",
							 (unsigned long long)s->cfg.stream_maxlen));
	}
	if (stream) {
		k += put_bulk(o + k, "*", 1);
		k += put_bulk(o + k, "eve", 3);
	}
	k += put_bulk(o + k, rec, n);
	return k;
}

static int send_redis(struct eve_sink *s, const char *buf, size_t len, unsigned n)
{
	size_t olen = 0;
	/* per record at most: header, 8 bulk headers, the fixed words, the key */
	size_t per = 128 + strlen(s->key) + 48;

	if (out_reserve(s, len + per * n) != 0)
		return -1;
	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		olen += resp_command(s, s->out + olen, p, (size_t)(nl - p));
		p = nl + 1;
	}
	return write_all(s, s->out, olen);
}

/* RFC 5424 section 6: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG */
static size_t syslog_header(const struct eve_sink *s, char *o, size_t cap)
{
	char host[64] = "-", ts[40];
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	if (gethostname(host, sizeof(host)) != 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "-");
	host[sizeof(host) - 1] = '\0';
	return (size_t)snprintf(o, cap, "<%u>1 %s.%06ldZ %s %s %d - - ",
				s->cfg.facility * 8 + s->cfg.severity, ts, (long)tv.tv_usec, host,
				s->identity ? s->identity : "idsd", (int)getpid());
}

/* Datagram sinks: one record each; a record too large for a datagram is
 * an error of its own, a refused peer breaks the connection. */
static unsigned send_dgrams(struct eve_sink *s, const char *buf, size_t len)
{
	unsigned sent = 0;

	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p), h = 0;
		const char *msg = p;
		short rev;
		ssize_t w;

		p = nl + 1;
		if (s->cfg.kind == EVE_SINK_SYSLOG) {
			if (out_reserve(s, n + 256) != 0)
				return sent;
			h = syslog_header(s, s->out, 256);
			memcpy(s->out + h, msg, n);
			msg = s->out;
		}
		if (wait_fd(s->fd, POLLOUT, WIRE_TIMEOUT_MS, &rev) != 1)
			return sent;
		w = send(s->fd, msg, n + h, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EMSGSIZE) {
			s->st.errors++;
			sink_count_dropped(s, 1);
			sent++;          /* dealt with: not to be counted again */
			continue;
		}
		if (w < 0)
			return sent;
		sent++;
		s->st.sent++;
	}
	return sent;
}

void sink_wire_send(struct eve_sink *s, const char *buf, size_t len, unsigned n)
{
	int rc = 0;

	switch (s->cfg.kind) {
	case EVE_SINK_UNIX_STREAM:
		rc = write_all(s, buf, len);
		break;
	case EVE_SINK_REDIS:
		rc = send_redis(s, buf, len, n);
		break;
	case EVE_SINK_UNIX_DGRAM:
	case EVE_SINK_SYSLOG: {
		unsigned done = send_dgrams(s, buf, len);

		if (done < n) {
			sink_count_dropped(s, n - done);
			sink_wire_close(s);
		}
		return;
	}
	}
	if (rc == 0) {
		s->st.sent += n;
		return;
	}
	sink_count_dropped(s, n);
	sink_wire_close(s);
}
