/* SPDX-License-Identifier: MIT */
#include "file_magic.h"

#include <errno.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct file_magic {
	magic_t cookie;
};

struct file_magic *file_magic_create(char *err, size_t errlen)
{
	struct file_magic *m = calloc(1, sizeof(*m));

	if (m == NULL) {
		snprintf(err, errlen, "libmagic: out of memory");
		return NULL;
	}
	/* MAGIC_NONE as Suricata's MagicInitContext: the textual description */
	m->cookie = magic_open(MAGIC_NONE);
	if (m->cookie == NULL) {
		snprintf(err, errlen, "libmagic: cannot open: %s", strerror(errno));
		goto fail;
	}
	if (magic_load(m->cookie, NULL) != 0) {
		snprintf(err, errlen, "libmagic: cannot load its database: %s",
			 magic_error(m->cookie));
		goto fail;
	}
	return m;
fail:
	file_magic_destroy(m);
	return NULL;
}

void file_magic_destroy(struct file_magic *m)
{
	if (m == NULL)
		return;
	if (m->cookie != NULL)
		magic_close(m->cookie);
	free(m);
}

char *file_magic_lookup(struct file_magic *m, const uint8_t *d, size_t len)
{
	/* libmagic's string lives until its next call: copied */
	const char *s = magic_buffer(m->cookie, d, len);

	return s != NULL ? strdup(s) : NULL;
}
