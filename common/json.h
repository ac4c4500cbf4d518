/* SPDX-License-Identifier: MIT */
/* An append-only JSON writer over a caller's buffer, for EVE records and
 * telemetry replies. The writer places the commas; strings are escaped so
 * the output is valid JSON (and valid UTF-8) whatever bytes they hold.
 *
 * Two kinds of buffer:
 *  - bounded (json_init): a fixed area; when it is full the writer sets
 *    err and ignores everything after, so the caller drops or retries the
 *    whole record (json_ok() tells);
 *  - growable (json_init_growable): malloc'd, doubled when needed; only
 *    allocation failure sets err. Free with json_release().
 * No call allocates except the growth of a growable buffer.
 *
 * Every value function takes a key: pass the member name inside an
 * object, NULL for an array element or the top-level value. */
#ifndef IDS_JSON_H
#define IDS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64

struct json_w {
	char *buf;
	size_t len;           /* bytes written */
	size_t cap;
	uint64_t has_member;  /* bit d: the container at depth d has a member */
	uint8_t depth;        /* open containers */
	bool grow;            /* buf is ours (malloc'd) and may be enlarged */
	bool key_pending;     /* json_keyn() wrote the key of the next value */
	bool err;             /* out of room, out of memory or nesting too deep */
};

/* Bounded: write into buf[0..cap). Nothing is NUL-terminated. */
void json_init(struct json_w *j, char *buf, size_t cap);
/* Growable, starting at cap bytes. 0 or -ENOMEM. */
int json_init_growable(struct json_w *j, size_t cap);
/* Free a growable buffer (no-op for a bounded one). */
void json_release(struct json_w *j);
/* Empty the buffer for the next document (keeps the memory). */
void json_reset(struct json_w *j);
/* Drop the first n bytes written (already sent: a document streamed as it
 * is written); the open containers stay as they are. n <= json_len(). */
void json_drop_front(struct json_w *j, size_t n);

static inline bool json_ok(const struct json_w *j)
{
	return !j->err;
}

static inline size_t json_len(const struct json_w *j)
{
	return j->len;
}

void json_obj_open(struct json_w *j, const char *key);
void json_obj_close(struct json_w *j);
void json_arr_open(struct json_w *j, const char *key);
void json_arr_close(struct json_w *j);

/* A member name given by length (a piece of a longer string): the next
 * call must pass key NULL and writes its value. */
void json_keyn(struct json_w *j, const char *key, size_t len);

/* Members written earlier by another writer, appended as they are: frag
 * is one or more complete "key":value pairs joined by commas, as a writer
 * leaves them after the '{' of an empty object. The comma before them is
 * placed as for any member. Only inside an object, with no key pending. */
void json_members(struct json_w *j, const char *frag, size_t len);

/* NUL-terminated string; NULL is written as "". */
void json_str(struct json_w *j, const char *key, const char *s);
/* len bytes of s, escaped: ", \, control bytes, and bytes that are not
 * part of valid UTF-8 (each as \u00XX of the byte). */
void json_strn(struct json_w *j, const char *key, const char *s, size_t len);
/* len bytes of a protocol field as Suricata's JsonBuilder
 * set_string_from_bytes writes them: valid UTF-8 as json_strn; otherwise
 * every byte above 0x7f becomes the four characters \xNN (lower-case hex,
 * the backslash escaped in the JSON text: "\\xNN"), the others as
 * json_strn, so even a valid multi-byte sequence in the value is spelled
 * byte by byte. */
void json_strn_bytes(struct json_w *j, const char *key, const char *s, size_t len);
/* len bytes as a string with bytes outside 32..126 replaced by '.', as
 * Suricata's "payload_printable". */
void json_printable(struct json_w *j, const char *key, const uint8_t *p, size_t len);
/* (added) The same keeping CR and LF, as Suricata's PrintStringsToBuffer. */
void json_printable_crlf(struct json_w *j, const char *key, const uint8_t *p, size_t len);
/* Standard base64 with padding (RFC 4648 section 4). */
void json_base64(struct json_w *j, const char *key, const uint8_t *p, size_t len);
void json_uint(struct json_w *j, const char *key, uint64_t v);
void json_int(struct json_w *j, const char *key, int64_t v);
void json_bool(struct json_w *j, const char *key, bool v);
void json_null(struct json_w *j, const char *key);

/* Append a newline (end of an EVE line); valid only at depth 0. */
void json_newline(struct json_w *j);

#endif
