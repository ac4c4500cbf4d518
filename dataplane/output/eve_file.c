/* SPDX-License-Identifier: MIT */
/* The shared eve.json file: open, append whole lines, reopen for logrotate. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "eve-int.h"

#define EVE_FILE_MODE 0640

static int open_append(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, EVE_FILE_MODE);
}

struct eve_file *eve_file_open(const char *path, char *err, size_t errlen)
{
	struct eve_file *ef = calloc(1, sizeof(*ef));

	if (ef == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	ef->path = strdup(path);
	if (ef->path == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail_path;
	}
	ef->fd = open_append(path);
	if (ef->fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail_open;
	}
	ef->types = EVE_T_ALL;
	if (pthread_mutex_init(&ef->lock, NULL) != 0) {
		snprintf(err, errlen, "%s: cannot create lock", path);
		goto fail_lock;
	}
	return ef;

fail_lock:
	close(ef->fd);
fail_open:
	free(ef->path);
fail_path:
	free(ef);
	return NULL;
}

struct eve_file *eve_file_open_sink(const char *label, unsigned index,
				    const struct eve_sink_config *cfg, char *err, size_t errlen)
{
	static const char *const counters[EVE_SINK_NSTATS] = {
		"sent", "dropped", "reconnects", "errors", "connected",
	};
	struct eve_file *ef = calloc(1, sizeof(*ef));
	char why[200];

	if (ef == NULL || (ef->path = strdup(label)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", label);
		free(ef);
		return NULL;
	}
	ef->fd = -1;
	ef->types = EVE_T_ALL;
	ef->sink = eve_sink_open(cfg, why, sizeof(why));
	if (ef->sink == NULL) {
		snprintf(err, errlen, "%s: %s", label, why);
		free(ef->path);
		free(ef);
		return NULL;
	}
	for (unsigned i = 0; i < EVE_SINK_NSTATS; i++)
		snprintf(ef->stat_names[i], sizeof(ef->stat_names[i]), "output.sink.%u.%s", index,
			 counters[i]);
	pthread_mutex_init(&ef->lock, NULL);
	return ef;
}

unsigned eve_file_sink_counters(const struct eve_file *ef, const char **names, uint64_t *values,
				unsigned max)
{
	unsigned n = 0;

	for (; ef != NULL; ef = ef->next) {
		const struct eve_sink_stats *st;

		if (ef->sink == NULL || n + EVE_SINK_NSTATS > max)
			continue;
		st = eve_sink_stats(ef->sink);
		for (unsigned i = 0; i < EVE_SINK_NSTATS; i++)
			names[n + i] = ef->stat_names[i];
		values[n++] = st->sent;
		values[n++] = st->dropped;
		values[n++] = st->reconnects;
		values[n++] = st->errors;
		values[n++] = st->connected;
	}
	return n;
}

/* The new file is opened before the lock is taken, so writers wait only
 * for the swap; a failed open keeps the old file. Safe to call while
 * workers flush: none holds the old fd once the swap is done, so it can be
 * closed right away. */
static int reopen_one(struct eve_file *ef)
{
	int fd;

	if (ef->sink != NULL)
		return 0;           /* a socket: nothing to reopen */
	fd = open_append(ef->path);

	if (fd < 0)
		return -errno;
	pthread_mutex_lock(&ef->lock);
	int old = ef->fd;
	ef->fd = fd;
	pthread_mutex_unlock(&ef->lock);
	close(old);
	return 0;
}

/* Every linked file; the first failure is returned, the others still try. */
int eve_file_reopen(struct eve_file *ef)
{
	int rc = 0;

	for (; ef != NULL; ef = ef->next) {
		int r = reopen_one(ef);

		if (rc == 0)
			rc = r;
	}
	return rc;
}

void eve_file_set_output(struct eve_file *ef, uint32_t types, const struct eve_options *opt)
{
	ef->types = types;
	ef->has_opt = opt != NULL;
	if (opt != NULL)
		ef->opt = *opt;
}

void eve_file_link(struct eve_file *ef, struct eve_file *next)
{
	while (ef->next != NULL)
		ef = ef->next;
	ef->next = next;
}

/* What a sink could not deliver, said once at its end. */
static void report_sink(const struct eve_file *ef, const struct eve_sink_stats *st)
{
	if (st->dropped > 0)
		log_msg(LOG_WARN, "output", "%s: %llu records sent, %llu dropped (queue full or "
			"the peer unreachable), %llu reconnects", ef->path,
			(unsigned long long)st->sent, (unsigned long long)st->dropped,
			(unsigned long long)st->reconnects);
}

/* All writers must be destroyed (flushed) first. */
void eve_file_close(struct eve_file *ef)
{
	while (ef != NULL) {
		struct eve_file *next = ef->next;

		if (ef->sink != NULL) {
			struct eve_sink_stats st;

			eve_sink_close(ef->sink, &st);
			report_sink(ef, &st);
		} else {
			close(ef->fd);
		}
		pthread_mutex_destroy(&ef->lock);
		free(ef->path);
		free(ef);
		ef = next;
	}
}

int eve_file_write(struct eve_file *ef, const char *buf, size_t len, size_t *done)
{
	size_t off = 0;
	int rc = 0;

	if (ef->sink != NULL) {
		/* never waits for the peer; what does not fit is counted there */
		eve_sink_push(ef->sink, buf, len);
		*done = len;
		return 0;
	}
	pthread_mutex_lock(&ef->lock);
	while (off < len) {
		ssize_t n = write(ef->fd, buf + off, len - off);
		if (n > 0) {
			off += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else {
			/* n == 0 would spin forever: report it as no space */
			rc = n < 0 ? -errno : -ENOSPC;
			break;
		}
	}
	pthread_mutex_unlock(&ef->lock);
	*done = off;
	return rc;
}
