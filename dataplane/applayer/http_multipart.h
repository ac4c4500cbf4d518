/* SPDX-License-Identifier: MIT */
/* A streaming multipart/form-data reader (RFC 7578, RFC 2046 5.1) for HTTP
 * uploads: each part whose Content-Disposition names a filename becomes a
 * file (app_file.c), its content hashed as it passes; other parts (form
 * fields) are skipped. Fed the request body in chunks of any size; memory
 * is the reader itself (the delimiter and one part's header block). */
#ifndef IDS_HTTP_MULTIPART_H
#define IDS_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct file_magic;

#define MP_BOUNDARY_MAX 70u      /* RFC 2046 5.1.1 */
#define MP_HDR_MAX      1024u    /* a part's header block kept for parsing */

struct app_file;

/* What the reader found wrong, as Suricata's multipart handling
 * (HtpRequestBodyHandleMultipart) reports it: a part header line with no
 * ':' or nothing after it; a file part that the closing delimiter follows
 * at once; a file part whose header block holds the closing delimiter. */
#define MP_EV_INVALID_HEADER 0x01u
#define MP_EV_NO_FILEDATA    0x02u
#define MP_EV_GENERIC_ERROR  0x04u

/* Where the files go: the caller's list and how to name and open them. */
struct mp_sink {
	struct app_file **files;
	uint8_t *nfiles;
	uint8_t max;
	uint8_t hashes;          /* APP_FILE_* */
	struct file_magic *magic; /* APP_FILE_MAGIC's lookups, NULL: none */
	uint64_t *nomem;         /* counted when a file cannot be opened */
	uint64_t *dropped;       /* counted per file part past max (> 0): not tracked */
	uint8_t *events;         /* MP_EV_* found are or-ed in (NULL: not told) */
};

struct http_mp;

/* A reader for the boundary in content_type (the Content-Type header's
 * value, len bytes), or NULL when it names none (not multipart, or a
 * boundary longer than RFC 2046 allows) or out of memory. */
struct http_mp *http_mp_new(const uint8_t *content_type, size_t len);
void http_mp_data(struct http_mp *mp, const struct mp_sink *sink, const uint8_t *d, size_t len);
/* The body ended: a part still open (no closing delimiter) is TRUNCATED. */
void http_mp_end(struct http_mp *mp);
void http_mp_free(struct http_mp *mp);

/* Suricata's HTTPParseContentDispositionHeader with "filename=": the
 * value split at ';' outside quotes, the token that starts (after spaces)
 * with filename=, one quote taken off each end. */
bool http_disposition_filename(const uint8_t *v, size_t len, const uint8_t **name,
			       size_t *name_len);

#endif
