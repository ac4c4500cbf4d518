/* SPDX-License-Identifier: MIT */
/* DPDK telemetry client: an ordered queue of (callback, context) per
 * connection; the greeting DPDK sends on connect takes the first slot. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control/loop/loop.h"
#include "telem.h"

#define TELEM_QUEUE 64
/* DPDK 22.11 caps a reply at 16 KiB (MAX_OUTPUT_LEN) */
#define TELEM_REPLY_MAX 16384

struct telem_req {
	telem_reply_cb cb;
	void *ctx;
	uint64_t sent_us;
};

struct telem {
	struct loop *loop;
	char path[108];
	uint64_t timeout_us;
	telem_closed_cb closed;
	void *ctx;
	int fd;
	struct loop_timer *timer;	/* armed while requests wait (timeout_us) */
	struct telem_req q[TELEM_QUEUE];
	unsigned qhead, qlen;
	char buf[TELEM_REPLY_MAX + 1];
};

/* Take the queue's contents out first: a callback may send again. */
static void fail_pending(struct telem *t, const char *why)
{
	struct telem_req q[TELEM_QUEUE];
	unsigned n = t->qlen, head = t->qhead;

	memcpy(q, t->q, sizeof(q));
	t->qhead = t->qlen = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct telem_req *r = &q[(head + i) % TELEM_QUEUE];

		if (r->cb)
			r->cb(r->ctx, NULL, why);
	}
}

static void disconnect(struct telem *t)
{
	if (t->fd >= 0) {
		loop_fd_del(t->loop, t->fd);
		close(t->fd);
		t->fd = -1;
	}
	loop_timer_cancel(t->loop, t->timer);
	t->timer = NULL;
}

void telem_close(struct telem *t, const char *why)
{
	bool was = t->fd >= 0;

	disconnect(t);
	fail_pending(t, why);
	if (was && t->closed)
		t->closed(t->ctx, why);
}

static void on_timeout(struct loop *l, struct loop_timer *tm, void *arg)
{
	struct telem *t = arg;

	(void)l;
	(void)tm;
	t->timer = NULL;		/* one-shot: the loop frees it */
	telem_close(t, "telemetry request timed out");
}

static void arm_timeout(struct telem *t)
{
	uint64_t now, due;

	if (!t->timeout_us)
		return;
	if (!t->qlen) {
		loop_timer_cancel(t->loop, t->timer);
		t->timer = NULL;
		return;
	}
	now = loop_now_us(t->loop);
	due = t->q[t->qhead].sent_us + t->timeout_us;
	due = due > now ? due - now : 0;
	if (t->timer)
		loop_timer_rearm(t->loop, t->timer, due);
	else
		t->timer = loop_timer_add(t->loop, due, on_timeout, t);
}

static void on_readable(struct loop *l, int fd, unsigned events, void *arg)
{
	struct telem *t = arg;
	ssize_t n = -1;

	(void)l;
	(void)events;
	while (t->fd == fd && (n = recv(fd, t->buf, TELEM_REPLY_MAX, MSG_DONTWAIT)) > 0) {
		struct telem_req r;

		if (!t->qlen)
			continue;	/* nothing asked: not ours to interpret */
		t->buf[n] = '\0';
		r = t->q[t->qhead];
		t->qhead = (t->qhead + 1) % TELEM_QUEUE;
		t->qlen--;
		arm_timeout(t);
		if (r.cb)
			r.cb(r.ctx, t->buf, NULL);
	}
	if (t->fd != fd)
		return;		/* a callback closed it */
	if (n == 0)
		telem_close(t, "telemetry socket closed (idsd gone)");
	else if (errno != EAGAIN && errno != EWOULDBLOCK)
		telem_close(t, strerror(errno));
}

int telem_connect(struct telem *t)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret;

	if (t->fd >= 0)
		return 0;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", t->path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = loop_fd_add(t->loop, fd, LOOP_READ, on_readable, t);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	t->fd = fd;
	t->qhead = 0;
	t->qlen = 1;
	/* DPDK greets with its version and limits */
	t->q[0] = (struct telem_req){ .sent_us = loop_now_us(t->loop) };
	arm_timeout(t);
	return 0;
}

bool telem_connected(const struct telem *t)
{
	return t->fd >= 0;
}

unsigned telem_pending(const struct telem *t)
{
	return t->qlen;
}

int telem_send(struct telem *t, const char *cmd, telem_reply_cb cb, void *ctx)
{
	if (t->fd < 0)
		return -ENOTCONN;
	if (t->qlen == TELEM_QUEUE)
		return -ENOBUFS;
	if (send(t->fd, cmd, strlen(cmd), MSG_NOSIGNAL) < 0)
		return -errno;
	t->q[(t->qhead + t->qlen++) % TELEM_QUEUE] = (struct telem_req){
		.cb = cb, .ctx = ctx, .sent_us = loop_now_us(t->loop),
	};
	if (t->qlen == 1)
		arm_timeout(t);
	return 0;
}

struct telem *telem_new(struct loop *l, const char *path, uint64_t timeout_us,
			telem_closed_cb closed, void *ctx)
{
	struct telem *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->loop = l;
	snprintf(t->path, sizeof(t->path), "%s", path);
	t->timeout_us = timeout_us;
	t->closed = closed;
	t->ctx = ctx;
	t->fd = -1;
	return t;
}

void telem_free(struct telem *t)
{
	if (!t)
		return;
	disconnect(t);
	free(t);
}

static const char *skip_ws(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* A JSON string at p (after its quote) into out; the end past the closing
 * quote, or NULL. \uXXXX outside ASCII becomes '?' (names and messages are
 * ASCII). */
static const char *read_str(const char *p, char *out, size_t len)
{
	size_t n = 0;

	for (; *p && *p != '"'; p++) {
		char ch = *p;

		if (ch == '\\') {
			p++;
			switch (*p) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'r': ch = '\r'; break;
			case 'b': ch = '\b'; break;
			case 'f': ch = '\f'; break;
			case 'u': {
				unsigned v = 0;

				for (int i = 0; i < 4; i++) {
					if (!isxdigit((unsigned char)p[1]))
						return NULL;
					p++;
					v = v * 16 + (unsigned)(isdigit((unsigned char)*p) ? *p - '0' :
							(tolower((unsigned char)*p) - 'a' + 10));
				}
				ch = v < 0x80 ? (char)v : '?';
				break;
			}
			case '\0': return NULL;
			default: ch = *p; break;
			}
		}
		if (n + 1 < len)
			out[n++] = ch;
	}
	if (*p != '"')
		return NULL;
	out[n] = '\0';
	return p + 1;
}

/* Past a nested array or dict at p (strings may hold brackets). */
static const char *skip_nested(const char *p)
{
	unsigned depth = 0;

	for (; *p; p++) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return NULL;
		} else if (*p == '[' || *p == '{') {
			depth++;
		} else if (*p == ']' || *p == '}') {
			if (--depth == 0)
				return p + 1;
		}
	}
	return NULL;
}

int telem_dict_walk(const char *json, telem_member_cb fn, void *ctx)
{
	char key[128], val[512];
	const char *p = skip_ws(json);

	/* {"/cmd": <value>} */
	if (*p++ != '{' || *(p = skip_ws(p)) != '"' || !(p = read_str(p + 1, key, sizeof(key))))
		return -EINVAL;
	p = skip_ws(p);
	if (*p++ != ':')
		return -EINVAL;
	p = skip_ws(p);
	if (*p != '{')
		return -ENOENT;
	p = skip_ws(p + 1);
	while (*p != '}') {
		if (*p != '"' || !(p = read_str(p + 1, key, sizeof(key))))
			return -EINVAL;
		p = skip_ws(p);
		if (*p++ != ':')
			return -EINVAL;
		p = skip_ws(p);
		if (*p == '"') {
			if (!(p = read_str(p + 1, val, sizeof(val))))
				return -EINVAL;
			fn(ctx, key, val, 0);
		} else if (*p == '[' || *p == '{') {
			if (!(p = skip_nested(p)))
				return -EINVAL;
		} else if (isdigit((unsigned char)*p)) {
			char *end;
			uint64_t v = strtoull(p, &end, 10);

			/* a fraction or exponent is not a counter: skip it */
			if (*end != '.' && *end != 'e' && *end != 'E')
				fn(ctx, key, NULL, v);
			p = end + strcspn(end, ",}");
		} else {
			/* negative numbers, true, false, null */
			p += strcspn(p, ",}");
		}
		p = skip_ws(p);
		if (*p == ',')
			p = skip_ws(p + 1);
		else if (*p != '}')
			return -EINVAL;
	}
	return 0;
}
