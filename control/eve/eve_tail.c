/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control/loop/loop.h"
#include "eve_tail.h"

#define EVE_LINE_MAX (64u * 1024u)
/* at most this much read per turn; the rest waits for the next one */
#define EVE_TURN_MAX (1u << 20)

struct eve_tail {
	struct loop *loop;
	char *path;
	uint64_t period_us;
	eve_tail_cb cb;
	void *ctx;
	struct loop_timer *timer;
	int fd;
	dev_t dev;
	ino_t ino;
	off_t off;			/* bytes of the file consumed */
	bool skipping;			/* inside a line too long to keep */
	size_t len;			/* partial line in buf */
	char buf[EVE_LINE_MAX];
	struct eve_tail_stats st;
};

bool eve_line_is_alert(const char *line, size_t len)
{
	static const char *const keys[] = { "\"event_type\":\"alert\"",
					    "\"event_type\": \"alert\"" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (memmem(line, len, keys[i], strlen(keys[i])))
			return true;
	return false;
}

static void close_file(struct eve_tail *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	t->len = 0;
	t->skipping = false;
}

static bool open_file(struct eve_tail *t, bool at_end)
{
	struct stat st;

	t->fd = open(t->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (t->fd < 0)
		return false;
	if (fstat(t->fd, &st) != 0) {
		close_file(t);
		return false;
	}
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->off = at_end ? st.st_size : 0;
	if (lseek(t->fd, t->off, SEEK_SET) < 0) {
		close_file(t);
		return false;
	}
	return true;
}

/* Hand over the complete lines in buf[0..len), keep the partial tail. */
static void split_lines(struct eve_tail *t)
{
	size_t start = 0;
	char *nl;

	while ((nl = memchr(t->buf + start, '\n', t->len - start))) {
		size_t n = (size_t)(nl - (t->buf + start));

		if (t->skipping) {
			t->skipping = false;
		} else if (n) {
			t->st.lines++;
			t->cb(t->ctx, t->buf + start, n);
		}
		start += n + 1;
	}
	memmove(t->buf, t->buf + start, t->len - start);
	t->len -= start;
	if (t->len == sizeof(t->buf)) {
		/* no newline in a whole buffer: drop this line up to its end */
		if (!t->skipping)
			t->st.long_lines++;
		t->skipping = true;
		t->len = 0;
	}
}

/* Read what was appended, up to the turn's budget. */
static void drain(struct eve_tail *t)
{
	size_t budget = EVE_TURN_MAX;

	while (budget) {
		ssize_t n = read(t->fd, t->buf + t->len, sizeof(t->buf) - t->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			t->st.read_errors++;
			return;
		}
		if (n == 0)
			return;
		t->off += n;
		t->st.bytes += (uint64_t)n;
		t->len += (size_t)n;
		budget = (size_t)n < budget ? budget - (size_t)n : 0;
		split_lines(t);
	}
}

static void on_tick(struct loop *l, struct loop_timer *tm, void *arg)
{
	struct eve_tail *t = arg;
	struct stat st;

	loop_timer_rearm(l, tm, t->period_us);
	if (t->fd < 0 && !open_file(t, false))
		return;
	if (fstat(t->fd, &st) == 0 && st.st_size < t->off) {
		/* copytruncate: the same file started again */
		t->st.truncations++;
		t->off = 0;
		t->len = 0;
		t->skipping = false;
		lseek(t->fd, 0, SEEK_SET);
	}
	drain(t);
	if (stat(t->path, &st) == 0 && (st.st_ino != t->ino || st.st_dev != t->dev)) {
		/* rotated: the old file is drained as far as the budget allowed;
		 * what the writer adds to it after its reopen is not ours */
		drain(t);
		t->st.rotations++;
		close_file(t);
		if (open_file(t, false))
			drain(t);
	}
}

struct eve_tail *eve_tail_new(struct loop *l, const char *path, uint64_t period_us,
			      eve_tail_cb cb, void *ctx)
{
	struct eve_tail *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->loop = l;
	t->period_us = period_us;
	t->cb = cb;
	t->ctx = ctx;
	t->fd = -1;
	t->path = strdup(path);
	t->timer = t->path ? loop_timer_add(l, period_us, on_tick, t) : NULL;
	if (!t->timer) {
		free(t->path);
		free(t);
		return NULL;
	}
	open_file(t, true);
	return t;
}

void eve_tail_free(struct eve_tail *t)
{
	if (!t)
		return;
	loop_timer_cancel(t->loop, t->timer);
	close_file(t);
	free(t->path);
	free(t);
}

const struct eve_tail_stats *eve_tail_stats(const struct eve_tail *t)
{
	return &t->st;
}
