/* SPDX-License-Identifier: MIT */
/* Append-only JSON writer: see json.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void json_init(struct json_w *j, char *buf, size_t cap)
{
	*j = (struct json_w){ .buf = buf, .cap = cap };
}

int json_init_growable(struct json_w *j, size_t cap)
{
	if (cap == 0)
		cap = 256;
	*j = (struct json_w){ .buf = malloc(cap), .cap = cap, .grow = true };
	return j->buf ? 0 : -ENOMEM;
}

void json_release(struct json_w *j)
{
	if (j->grow)
		free(j->buf);
	j->buf = NULL;
	j->cap = j->len = 0;
}

void json_reset(struct json_w *j)
{
	j->len = 0;
	j->depth = 0;
	j->has_member = 0;
	j->key_pending = false;
	j->err = j->buf == NULL;
}

void json_drop_front(struct json_w *j, size_t n)
{
	if (n > j->len)
		n = j->len;
	memmove(j->buf, j->buf + n, j->len - n);
	j->len -= n;
}

/* The slow half of reserve(): enlarge a growable buffer or fail. */
static bool grow(struct json_w *j, size_t n)
{
	if (j->grow) {
		size_t cap = j->cap * 2;
		if (cap < j->len + n)
			cap = j->len + n;
		char *nb = realloc(j->buf, cap);
		if (nb != NULL) {
			j->buf = nb;
			j->cap = cap;
			return true;
		}
	}
	j->err = true;
	return false;
}

/* Make room for n more bytes; false (and err set) when there is none. */
static inline bool reserve(struct json_w *j, size_t n)
{
	if (__builtin_expect(!j->err && n <= j->cap - j->len, 1))
		return true;
	return !j->err && grow(j, n);
}

static inline void put(struct json_w *j, const void *p, size_t n)
{
	if (reserve(j, n)) {
		memcpy(j->buf + j->len, p, n);
		j->len += n;
	}
}

static inline void put_c(struct json_w *j, char c)
{
	if (reserve(j, 1))
		j->buf[j->len++] = c;
}

static const char hex_digits[] = "0123456789abcdef";

static void put_escape(struct json_w *j, uint8_t c)
{
	char e[6] = { '\\', 0 };
	size_t n = 2;

	switch (c) {
	case '"': e[1] = '"'; break;
	case '\\': e[1] = '\\'; break;
	case '\b': e[1] = 'b'; break;
	case '\f': e[1] = 'f'; break;
	case '\n': e[1] = 'n'; break;
	case '\r': e[1] = 'r'; break;
	case '\t': e[1] = 't'; break;
	default:
		e[1] = 'u';
		e[2] = '0';
		e[3] = '0';
		e[4] = hex_digits[c >> 4];
		e[5] = hex_digits[c & 15];
		n = 6;
	}
	put(j, e, n);
}

/* Length of the well-formed UTF-8 sequence starting at s (1 < len <= 4),
 * 0 if s[0] does not start one: RFC 3629 section 4, which excludes
 * overlong forms, surrogates and code points above U+10FFFF. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint8_t c = s[0], lo = 0x80, hi = 0xbf;
	size_t more;

	if (c >= 0xc2 && c <= 0xdf) {
		more = 1;
	} else if (c >= 0xe0 && c <= 0xef) {
		more = 2;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		more = 3;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (n <= more || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i <= more; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return more + 1;
}

/* Whether none of the 8 bytes in w needs a look of its own: no control
 * byte, quote, backslash or byte above 0x7f (the bit tricks of "has a zero
 * byte" and "has a byte less than n": exact about whether any byte does). */
static inline bool word_plain(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones << 7;
	const uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
	uint64_t hit = w & high;

	hit |= (w - ones * 0x20) & ~w & high;
	hit |= (q - ones) & ~q & high;
	hit |= (b - ones) & ~b & high;
	return hit == 0;
}

/* The escaped bytes of a string, unquoted: runs of bytes that need no
 * escape are copied at once, and found 8 bytes at a time. */
static void put_body(struct json_w *j, const uint8_t *s, size_t n)
{
	size_t start = 0, i = 0;

	while (i < n) {
		uint64_t w;
		uint8_t c;

		if (n - i >= sizeof(w)) {
			memcpy(&w, s + i, sizeof(w));
			if (word_plain(w)) {
				i += sizeof(w);
				continue;
			}
		}
		c = s[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t k = utf8_len(s + i, n - i);
			if (k) {
				i += k;
				continue;
			}
		}
		put(j, s + start, i - start);
		put_escape(j, c);
		start = ++i;
	}
	put(j, s + start, i - start);
}

/* The quoted, escaped string. */
static void put_string(struct json_w *j, const uint8_t *s, size_t n)
{
	put_c(j, '"');
	put_body(j, s, n);
	put_c(j, '"');
}

/* A member name and its colon. Names are mostly literals that need no
 * escape (an EVE alert writes ~35): each is copied while it is scanned, in
 * one pass, with no strlen and no put per piece. A name that needs an
 * escape or does not fit is written again by put_string: the first try
 * wrote only past len, which counts for nothing until len moves. */
static void put_key(struct json_w *j, const char *key)
{
	char *o = j->buf + j->len, *end = j->buf + j->cap;
	const uint8_t *k = (const uint8_t *)key;

	if (end - o >= 3) {
		end -= 2; /* room for the closing quote and the colon */
		*o++ = '"';
		for (; *k >= 0x20 && *k < 0x80 && *k != '"' && *k != '\\' && o < end; k++)
			*o++ = (char)*k;
		if (*k == '\0') {
			*o++ = '"';
			*o++ = ':';
			j->len = (size_t)(o - j->buf);
			return;
		}
	}
	put_string(j, (const uint8_t *)key, strlen(key));
	put_c(j, ':');
}

/* The separator and key before a value; false once the writer failed. */
static bool begin_value(struct json_w *j, const char *key)
{
	if (j->err)
		return false;
	if (j->key_pending) {
		j->key_pending = false;
		return true;
	}
	if (j->depth > 0) {
		uint64_t bit = 1ull << (j->depth - 1);
		if (j->has_member & bit)
			put_c(j, ',');
		j->has_member |= bit;
	}
	if (key != NULL)
		put_key(j, key);
	return !j->err;
}

static void open_container(struct json_w *j, const char *key, char c)
{
	if (!begin_value(j, key))
		return;
	if (j->depth == JSON_MAX_DEPTH) {
		j->err = true;
		return;
	}
	put_c(j, c);
	j->depth++;
	j->has_member &= ~(1ull << (j->depth - 1));
}

static void close_container(struct json_w *j, char c)
{
	if (j->depth == 0 || j->key_pending) {
		j->err = true;
		return;
	}
	j->depth--;
	put_c(j, c);
}

void json_keyn(struct json_w *j, const char *key, size_t len)
{
	if (!begin_value(j, NULL))
		return;
	put_string(j, (const uint8_t *)key, len);
	put_c(j, ':');
	j->key_pending = true;
}

void json_members(struct json_w *j, const char *frag, size_t len)
{
	if (j->key_pending || j->depth == 0) {
		j->err = true;
		return;
	}
	if (len > 0 && begin_value(j, NULL))
		put(j, frag, len);
}

void json_obj_open(struct json_w *j, const char *key)
{
	open_container(j, key, '{');
}

void json_obj_close(struct json_w *j)
{
	close_container(j, '}');
}

void json_arr_open(struct json_w *j, const char *key)
{
	open_container(j, key, '[');
}

void json_arr_close(struct json_w *j)
{
	close_container(j, ']');
}

void json_strn(struct json_w *j, const char *key, const char *s, size_t len)
{
	if (begin_value(j, key))
		put_string(j, (const uint8_t *)s, len);
}

/* true when s[0..n) is all well-formed UTF-8 (Rust's str::from_utf8) */
static bool utf8_valid(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = s[i] < 0x80 ? 1 : utf8_len(s + i, n - i);

		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

void json_strn_bytes(struct json_w *j, const char *key, const char *s, size_t len)
{
	const uint8_t *b = (const uint8_t *)s;
	size_t start = 0;

	if (utf8_valid(b, len)) {
		json_strn(j, key, s, len);
		return;
	}
	if (!begin_value(j, key))
		return;
	/* the ASCII runs as put_string escapes them, each high byte as the
	 * text \xNN, whose backslash JSON escapes */
	put_c(j, '"');
	for (size_t i = 0; i <= len; i++) {
		char e[5] = { '\\', '\\', 'x', 0, 0 };

		if (i < len && b[i] < 0x80)
			continue;
		put_body(j, b + start, i - start);
		if (i == len)
			break;
		e[3] = hex_digits[b[i] >> 4];
		e[4] = hex_digits[b[i] & 15];
		put(j, e, sizeof(e));
		start = i + 1;
	}
	put_c(j, '"');
}

void json_str(struct json_w *j, const char *key, const char *s)
{
	if (s == NULL)
		s = "";
	json_strn(j, key, s, strlen(s));
}

/* crlf: CR and LF kept (escaped \r, \n) instead of '.' */
static void printable(struct json_w *j, const char *key, const uint8_t *p, size_t len, bool crlf)
{
	if (!begin_value(j, key) || !reserve(j, 2 * len + 2))
		return;
	/* worst case every byte is " \ CR or LF and takes two */
	char *o = j->buf + j->len;
	*o++ = '"';
	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];
		if (crlf && (c == '\n' || c == '\r')) {
			*o++ = '\\';
			c = c == '\n' ? 'n' : 'r';
		} else if (c < 32 || c > 126) {
			c = '.';
		} else if (c == '"' || c == '\\') {
			*o++ = '\\';
		}
		*o++ = (char)c;
	}
	*o++ = '"';
	j->len = (size_t)(o - j->buf);
}

void json_printable(struct json_w *j, const char *key, const uint8_t *p, size_t len)
{
	printable(j, key, p, len, false);
}

void json_printable_crlf(struct json_w *j, const char *key, const uint8_t *p, size_t len)
{
	printable(j, key, p, len, true);
}

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void json_base64(struct json_w *j, const char *key, const uint8_t *p, size_t len)
{
	size_t out = (len + 2) / 3 * 4;

	if (!begin_value(j, key) || !reserve(j, out + 2))
		return;
	char *o = j->buf + j->len;
	*o++ = '"';
	size_t i = 0;
	for (; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = b64_alphabet[v >> 18];
		*o++ = b64_alphabet[(v >> 12) & 63];
		*o++ = b64_alphabet[(v >> 6) & 63];
		*o++ = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		*o++ = b64_alphabet[v >> 18];
		*o++ = b64_alphabet[(v >> 12) & 63];
		*o++ = '=';
		*o++ = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		*o++ = b64_alphabet[v >> 18];
		*o++ = b64_alphabet[(v >> 12) & 63];
		*o++ = b64_alphabet[(v >> 6) & 63];
		*o++ = '=';
	}
	*o++ = '"';
	j->len = (size_t)(o - j->buf);
}

static void put_u64(struct json_w *j, uint64_t v, bool neg)
{
	char tmp[21];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		tmp[--n] = '-';
	put(j, tmp + n, sizeof(tmp) - n);
}

void json_uint(struct json_w *j, const char *key, uint64_t v)
{
	if (begin_value(j, key))
		put_u64(j, v, false);
}

void json_int(struct json_w *j, const char *key, int64_t v)
{
	if (!begin_value(j, key))
		return;
	/* negate in unsigned arithmetic so INT64_MIN works */
	if (v < 0)
		put_u64(j, 0 - (uint64_t)v, true);
	else
		put_u64(j, (uint64_t)v, false);
}

void json_bool(struct json_w *j, const char *key, bool v)
{
	if (begin_value(j, key))
		put(j, v ? "true" : "false", v ? 4 : 5);
}

void json_null(struct json_w *j, const char *key)
{
	if (begin_value(j, key))
		put(j, "null", 4);
}

void json_newline(struct json_w *j)
{
	if (j->depth != 0)
		j->err = true;
	else
		put_c(j, '\n');
}
