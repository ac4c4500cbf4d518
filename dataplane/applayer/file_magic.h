/* SPDX-License-Identifier: MIT */
/* A file's type as libmagic names it (EVE fileinfo "magic", Suricata's
 * force-magic), looked up on the first FILE_MAGIC_HEAD bytes of the file
 * or on all of it when it ends shorter, as Suricata's
 * FilemagicThreadLookup does. One handle per worker: libmagic's cookie is
 * not shared between threads. */
#ifndef IDS_FILE_MAGIC_H
#define IDS_FILE_MAGIC_H

#include <stddef.h>
#include <stdint.h>

/* Suricata's FILEMAGIC_MIN_SIZE: a lookup once this much is seen. */
#define FILE_MAGIC_HEAD 512u

struct file_magic;

/* libmagic with its default database. NULL with err filled when it cannot
 * be opened or loaded. */
struct file_magic *file_magic_create(char *err, size_t errlen);
void file_magic_destroy(struct file_magic *m);
/* The description of d[0..len) as a new string (the caller frees it);
 * NULL when libmagic has none or memory runs out. */
char *file_magic_lookup(struct file_magic *m, const uint8_t *d, size_t len);

#endif
