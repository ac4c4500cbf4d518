/* SPDX-License-Identifier: MIT */
#include "app_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct app_file *app_file_open(const uint8_t *name, size_t len, uint8_t hashes,
			       struct file_magic *fm)
{
	struct app_file *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	if (len > APP_FILE_NAME_MAX)
		len = APP_FILE_NAME_MAX;
	f->name = malloc(len ? len : 1);
	if (f->name == NULL) {
		free(f);
		return NULL;
	}
	memcpy(f->name, name, len);
	f->name_len = (uint16_t)len;
	f->state = APP_FILE_OPEN;
	f->hashes = hashes;
	if (hashes & APP_FILE_MD5)
		md5_init(&f->md5);
	if (hashes & APP_FILE_SHA1)
		sha1_init(&f->sha1);
	if (hashes & APP_FILE_SHA256)
		sha256_init(&f->sha256);
	if ((hashes & APP_FILE_MAGIC) && fm != NULL) {
		f->head = malloc(FILE_MAGIC_HEAD);
		f->fm = f->head != NULL ? fm : NULL;  /* no memory: no magic */
	}
	return f;
}

/* The lookup, once: on the head kept so far. */
static void look_up_magic(struct app_file *f)
{
	if (f->fm == NULL)
		return;
	f->magic = file_magic_lookup(f->fm, f->head, f->head_len);
	free(f->head);
	f->head = NULL;
	f->fm = NULL;
}

static void keep_head(struct app_file *f, const uint8_t *d, uint32_t len)
{
	uint32_t take = FILE_MAGIC_HEAD - f->head_len;

	if (take > len)
		take = len;
	memcpy(f->head + f->head_len, d, take);
	f->head_len = (uint16_t)(f->head_len + take);
	if (f->head_len == FILE_MAGIC_HEAD)
		look_up_magic(f);
}

void app_file_data(struct app_file *f, const uint8_t *d, uint32_t len)
{
	if (f->state != APP_FILE_OPEN)
		return;
	f->size += len;
	if (f->fm != NULL)
		keep_head(f, d, len);
	if (f->hashes & APP_FILE_MD5)
		md5_update(&f->md5, len, d);
	if (f->hashes & APP_FILE_SHA1)
		sha1_update(&f->sha1, len, d);
	if (f->hashes & APP_FILE_SHA256)
		sha256_update(&f->sha256, len, d);
}

void app_file_close(struct app_file *f, bool truncated)
{
	if (f->state != APP_FILE_OPEN)
		return;
	f->state = truncated ? APP_FILE_TRUNCATED : APP_FILE_CLOSED;
	/* a file shorter than the head: what there is (Suricata looks up a
	 * closed or truncated file whatever its size) */
	look_up_magic(f);
	if (truncated)
		return;
	if (f->hashes & APP_FILE_MD5)
		md5_digest(&f->md5, 16, f->digest);
	if (f->hashes & APP_FILE_SHA1)
		sha1_digest(&f->sha1, 20, f->digest + 16);
	if (f->hashes & APP_FILE_SHA256)
		sha256_digest(&f->sha256, 32, f->digest + 36);
}

void app_file_free(struct app_file *f)
{
	if (f == NULL)
		return;
	free(f->name);
	free(f->head);
	free(f->magic);
	free(f);
}

void app_file_info(const struct app_file *f, uint64_t tx_id, struct app_file_info *out)
{
	bool closed = f->state == APP_FILE_CLOSED;

	*out = (struct app_file_info){
		.name = f->name, .name_len = f->name_len, .size = f->size,
		.closed = closed, .tx_id = tx_id, .magic = f->magic,
		.ended = f->state != APP_FILE_OPEN, .logged = f->logged,
	};
	if (!closed)
		return;
	out->md5 = (f->hashes & APP_FILE_MD5) ? f->digest : NULL;
	out->sha1 = (f->hashes & APP_FILE_SHA1) ? f->digest + 16 : NULL;
	out->sha256 = (f->hashes & APP_FILE_SHA256) ? f->digest + 36 : NULL;
}

int app_file_buffer(const struct app_file *f, enum rule_buffer b, const uint8_t **data,
		    uint32_t *len)
{
	if (b == RULE_BUF_FILE_NAME) {
		*data = (const uint8_t *)f->name;
		*len = f->name_len;
		return 0;
	}
	/* file.magic: known once the head is in or the file ended; a file
	 * with none (no libmagic) is an empty instance, as Suricata's */
	if (f->magic == NULL && f->fm != NULL)
		return -ENOENT;
	*data = (const uint8_t *)(f->magic ? f->magic : "");
	*len = f->magic ? (uint32_t)strlen(f->magic) : 0;
	return 0;
}
