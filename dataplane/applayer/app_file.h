/* SPDX-License-Identifier: MIT */
/* A file carried by an app-layer transaction (an HTTP body), tracked as it
 * streams through as Suricata's file API tracks it for "fileinfo": its
 * name, size, state and, when configured, its MD5/SHA-1/SHA-256,
 * hashed incrementally (nettle's contexts, no copy of the data kept). */
#ifndef IDS_APP_FILE_H
#define IDS_APP_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "applayer.h"
#include "file_magic.h"

/* Suricata's SC_FILENAME_MAX: longer names are cut there. */
#define APP_FILE_NAME_MAX 4096u

struct app_file {
	uint8_t state;            /* enum app_file_state */
	uint8_t hashes;           /* APP_FILE_* being computed */
	uint16_t name_len;
	uint64_t size;            /* bytes tracked */
	char *name;               /* name_len bytes, not NUL-terminated inside */
	struct md5_ctx md5;
	struct sha1_ctx sha1;
	struct sha256_ctx sha256;
	uint8_t digest[16 + 20 + 32]; /* md5, sha1, sha256 once CLOSED */
	/* APP_FILE_MAGIC: the first bytes until the lookup (the worker's
	 * libmagic, not owned), then its result */
	struct file_magic *fm;
	uint8_t *head;                /* FILE_MAGIC_HEAD bytes, freed after the lookup */
	uint16_t head_len;
	char *magic;
	bool logged;                  /* given to the file log (app_file_info's logged) */
};

/* A new open file named name[0..len) (cut at APP_FILE_NAME_MAX), hashing
 * what hashes (APP_FILE_* bits) asks for; with APP_FILE_MAGIC its type is
 * looked up with fm (the worker's, NULL: none). NULL when out of memory. */
struct app_file *app_file_open(const uint8_t *name, size_t len, uint8_t hashes,
			       struct file_magic *fm);
void app_file_data(struct app_file *f, const uint8_t *d, uint32_t len);
/* The file ended complete (CLOSED, hashes final) or not (TRUNCATED, no
 * hashes, as Suricata). Once only; later data is ignored. */
void app_file_close(struct app_file *f, bool truncated);
void app_file_free(struct app_file *f);
/* For EVE; an open file reads as TRUNCATED (its transaction was let go
 * before it ended). */
void app_file_info(const struct app_file *f, uint64_t tx_id, struct app_file_info *out);
/* The rule buffer b (file.name or file.magic) of f: 0 with *data, *len
 * (valid while f is), or -ENOENT while its magic is not known yet. */
int app_file_buffer(const struct app_file *f, enum rule_buffer b, const uint8_t **data,
		    uint32_t *len);

#endif
