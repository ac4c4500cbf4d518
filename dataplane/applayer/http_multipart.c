/* SPDX-License-Identifier: MIT */
#include "http_multipart.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app_file.h"

enum mp_state {
	MP_DATA,        /* a part's content (or the preamble: cur NULL) */
	MP_AFTER,       /* just past a delimiter: "--" ends, else the line ends */
	MP_HEADERS,     /* a part's header block, up to the empty line */
	MP_DONE,        /* past the close delimiter: the epilogue */
};

struct http_mp {
	uint8_t state;
	uint8_t dlen;           /* of delim */
	uint8_t m;              /* delimiter bytes matched so far */
	uint8_t after;          /* MP_AFTER: bytes seen */
	uint8_t virt;           /* of the m matched, those assumed, not read (the
				 * CR LF before a delimiter that starts a body) */
	bool hdr_over;          /* the header block did not fit */
	bool in_file;           /* the part is a file's (tracked or not) */
	bool empty_file;        /* the delimiter just read ended a file with no
				 * byte: cur is held open until what follows
				 * it says whether the file exists */
	char delim[4 + MP_BOUNDARY_MAX];   /* CR LF "--" boundary */
	uint32_t hlen;
	char hdr[MP_HDR_MAX];
	struct app_file *cur;   /* the part's file, or NULL */
};

struct http_mp *http_mp_new(const uint8_t *ct, size_t len)
{
	static const char key[] = "boundary=";
	struct http_mp *mp;
	size_t i = 0, n;

	/* multipart/..., then the boundary parameter */
	if (len < 10 || strncasecmp((const char *)ct, "multipart/", 10) != 0)
		return NULL;
	for (; i + sizeof(key) - 1 <= len; i++)
		if (strncasecmp((const char *)ct + i, key, sizeof(key) - 1) == 0)
			break;
	if (i + sizeof(key) - 1 > len)
		return NULL;
	ct += i + sizeof(key) - 1;
	len -= i + sizeof(key) - 1;
	if (len > 0 && ct[0] == '"') {
		ct++;
		len--;
		for (n = 0; n < len && ct[n] != '"'; n++)
			;
	} else {
		for (n = 0; n < len && ct[n] != ';' && !isspace(ct[n]); n++)
			;
	}
	if (n == 0 || n > MP_BOUNDARY_MAX)
		return NULL;
	mp = calloc(1, sizeof(*mp));
	if (mp == NULL)
		return NULL;
	memcpy(mp->delim, "\r\n--", 4);
	memcpy(mp->delim + 4, ct, n);
	mp->dlen = (uint8_t)(4 + n);
	/* the body may start with the first delimiter: as if after a CR LF */
	mp->m = mp->virt = 2;
	mp->state = MP_DATA;
	return mp;
}

static void flag(const struct mp_sink *sink, uint8_t ev)
{
	if (sink->events != NULL)
		*sink->events |= ev;
}

static void put(struct http_mp *mp, const uint8_t *d, size_t n)
{
	if (mp->cur != NULL && n > 0)
		app_file_data(mp->cur, d, (uint32_t)n);
}

/* The header block holds the closing delimiter ("--" boundary "--"). */
static bool holds_close(const struct http_mp *mp)
{
	char close[MP_BOUNDARY_MAX + 4];
	size_t bl = mp->dlen - 4u;

	memcpy(close, mp->delim + 2, bl + 2);
	memcpy(close + 2 + bl, "--", 2);
	return memmem(mp->hdr, mp->hlen, close, bl + 4) != NULL;
}

/* The part's header block is complete: each line must hold a ':' with
 * something after it (HtpRequestBodyMultipartParseHeader); a file when its
 * Content-Disposition names a filename, unless the block holds the closing
 * delimiter (Suricata's form end before the file's data: it gives up). */
static void part_begin(struct http_mp *mp, const struct mp_sink *sink)
{
	static const char cd[] = "content-disposition:";
	const char *h = mp->hdr, *end = mp->hdr + mp->hlen;
	const uint8_t *name = NULL;
	size_t name_len = 0;

	while (h < end) {
		const char *eol = memchr(h, '\n', (size_t)(end - h));
		size_t l = (size_t)((eol ? eol : end) - h);
		const char *colon;

		if (l > 0 && h[l - 1] == '\r')
			l--;
		if (l == 0)
			break;	/* the empty line that ends the block */
		colon = memchr(h, ':', l);
		if (colon == NULL || colon == h + l - 1)
			flag(sink, MP_EV_INVALID_HEADER);
		else if (name == NULL && l > sizeof(cd) - 1 &&
			 strncasecmp(h, cd, sizeof(cd) - 1) == 0)
			http_disposition_filename((const uint8_t *)h + sizeof(cd) - 1,
						  l - (sizeof(cd) - 1), &name, &name_len);
		h = eol ? eol + 1 : end;
	}
	if (name == NULL)
		return;
	if (holds_close(mp)) {
		flag(sink, MP_EV_GENERIC_ERROR);
		return;
	}
	mp->in_file = true;
	if (*sink->nfiles >= sink->max) {
		/* max 0: no file is tracked at all, none dropped */
		if (sink->max > 0)
			(*sink->dropped)++;
		return;
	}
	mp->cur = app_file_open(name, name_len, sink->hashes, sink->magic);
	if (mp->cur == NULL)
		(*sink->nomem)++;
	else
		sink->files[(*sink->nfiles)++] = mp->cur;
}

/* Header bytes up to the empty line; returns the bytes used. */
static size_t headers(struct http_mp *mp, const struct mp_sink *sink, const uint8_t *d,
		      size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (mp->hlen < MP_HDR_MAX)
			mp->hdr[mp->hlen++] = (char)d[i];
		else
			mp->hdr_over = true;
		/* the block ends with an empty line (CR LF CR LF, or LF LF) */
		if (d[i] == '\n' && mp->hlen >= 2 &&
		    (mp->hdr[mp->hlen - 2] == '\n' ||
		     (mp->hlen >= 4 && memcmp(mp->hdr + mp->hlen - 4, "\r\n\r\n", 4) == 0))) {
			if (!mp->hdr_over)
				part_begin(mp, sink);
			mp->state = MP_DATA;
			/* a delimiter may follow at once, its CR LF left out
			 * (Suricata's search finds the boundary alone) */
			mp->m = mp->virt = 2;
			return i + 1;
		}
	}
	return len;
}

/* Content bytes until a delimiter. The delimiter's CR appears nowhere else
 * in it (boundaries hold no CR), so a failed partial match can only restart
 * at the byte that broke it. Returns the bytes used. */
static size_t content(struct http_mp *mp, const uint8_t *d, size_t len)
{
	size_t run = 0;         /* with m == 0: d[run..i) is content not handed over */

	for (size_t i = 0; i < len; i++) {
		if ((char)d[i] == mp->delim[mp->m]) {
			if (mp->m == 0)
				put(mp, d + run, i - run);
			if (++mp->m < mp->dlen)
				continue;
			/* a delimiter: the part ends complete (an empty
			 * file's fate waits for what follows) */
			mp->empty_file = mp->in_file && mp->virt == 2;
			mp->in_file = false;
			if (mp->cur != NULL && !mp->empty_file) {
				app_file_close(mp->cur, false);
				mp->cur = NULL;
			}
			mp->m = mp->virt = 0;
			mp->after = 0;
			mp->state = MP_AFTER;
			return i + 1;
		}
		if (mp->m == 0)
			continue;
		/* what matched was content after all (it equals delim[0..m)),
		 * but for the bytes assumed */
		put(mp, (const uint8_t *)mp->delim + mp->virt, mp->m - mp->virt);
		mp->m = mp->virt = 0;
		if ((char)d[i] == mp->delim[0]) {
			mp->m = 1;
			continue;
		}
		run = i;
	}
	/* a partial match at the end stays held */
	if (mp->m == 0)
		put(mp, d + run, len - run);
	return len;
}

/* After the delimiter that ended an empty file part: the closing one
 * (last) means Suricata saw no file at all, only multipart_no_filedata
 * (HtpRequestBodyHandleMultipart gives up before it opens one), so the one
 * held is dropped; else it was an empty file, complete. */
static void empty_file_end(struct http_mp *mp, const struct mp_sink *sink, bool last)
{
	if (!mp->empty_file)
		return;
	mp->empty_file = false;
	if (last)
		flag(sink, MP_EV_NO_FILEDATA);
	if (mp->cur == NULL)
		return;
	if (last && *sink->nfiles > 0 && sink->files[*sink->nfiles - 1] == mp->cur) {
		app_file_free(mp->cur);
		sink->files[--*sink->nfiles] = NULL;
	} else {
		app_file_close(mp->cur, false);
	}
	mp->cur = NULL;
}

void http_mp_data(struct http_mp *mp, const struct mp_sink *sink, const uint8_t *d, size_t len)
{
	while (len > 0 && mp->state != MP_DONE) {
		size_t used = len;

		switch (mp->state) {
		case MP_DATA:
			used = content(mp, d, len);
			break;
		case MP_AFTER:
			/* "--" right after the boundary closes the body; else the
			 * rest of the line (transport padding) goes */
			if (mp->after < 2 && d[0] == '-') {
				if (++mp->after == 2) {
					mp->state = MP_DONE;
					empty_file_end(mp, sink, true);
				}
			} else if (d[0] == '\n') {
				empty_file_end(mp, sink, false);
				mp->state = MP_HEADERS;
				mp->hlen = 0;
				mp->hdr_over = false;
			} else {
				empty_file_end(mp, sink, false);
				mp->after = 2;
			}
			used = 1;
			break;
		case MP_HEADERS:
			used = headers(mp, sink, d, len);
			break;
		default:
			break;
		}
		d += used;
		len -= used;
	}
}

void http_mp_end(struct http_mp *mp)
{
	/* an empty file whose delimiter the body ended on is complete */
	if (mp->cur != NULL)
		app_file_close(mp->cur, !mp->empty_file);
	mp->cur = NULL;
	mp->state = MP_DONE;
}

void http_mp_free(struct http_mp *mp)
{
	free(mp);
}

bool http_disposition_filename(const uint8_t *v, size_t len, const uint8_t **name,
			       size_t *name_len)
{
	static const char key[] = "filename=";
	const size_t klen = sizeof(key) - 1;
	size_t start = 0, lead;
	bool quote = false;

	while (start < len && isspace(v[start]))
		start++;
	lead = start;
	for (size_t x = start; x < len; x++) {
		bool last = x + 1 == len;
		size_t tok_len;
		const uint8_t *tok;

		/* a quote toggles unless escaped (the value's first byte aside) */
		if (x > lead && v[x - 1] != '\\' && v[x] == '"')
			quote = !quote;
		if (!((v[x] == ';' && (x == start || v[x - 1] != '\\') && !quote) || last))
			continue;
		tok = v + start;
		tok_len = x - start + (last ? 1 : 0);
		start = x + 1;
		while (start < len && isspace(v[start])) {
			start++;
			x++;
		}
		if (tok_len <= klen || strncasecmp((const char *)tok, key, klen) != 0)
			continue;
		tok += klen;
		tok_len -= klen;
		if (tok[0] == '"') {
			tok++;
			tok_len--;
		}
		if (tok_len > 0 && tok[tok_len - 1] == '"')
			tok_len--;
		*name = tok;
		*name_len = tok_len;
		return true;
	}
	return false;
}
