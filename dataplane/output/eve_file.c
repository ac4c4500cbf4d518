/* SPDX-License-Identifier: MIT */
/* The shared eve.json file: open, append whole lines, reopen for logrotate. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The new file is opened before the lock is taken, so writers wait only
 * for the swap; a failed open keeps the old file. Safe to call while
 * workers flush: none holds the old fd once the swap is done, so it can be
 * closed right away. */
static int reopen_one(struct eve_file *ef)
{
	int fd = open_append(ef->path);

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

/* All writers must be destroyed (flushed) first. */
void eve_file_close(struct eve_file *ef)
{
	while (ef != NULL) {
		struct eve_file *next = ef->next;

		close(ef->fd);
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
