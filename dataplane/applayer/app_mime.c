// SPDX-License-Identifier: MIT
/* MIME reading for SMTP (app_mime.h). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "app_file.h"
#include "app_mime.h"

void mime_init(struct mime_reader *m)
{
	memset(m, 0, sizeof(*m));
	m->in_headers = true;
}

void mime_track(struct mime_reader *m, uint8_t hashes, struct file_magic *fm, uint64_t *nomem)
{
	m->track = true;
	m->hashes = hashes;
	m->fm = fm;
	m->nomem = nomem;
}

void mime_free(struct mime_reader *m)
{
	for (uint32_t i = 0; i < m->nfiles; i++) {
		abuf_free(&m->files[i]);
		app_file_free(m->tracked[i]);
		m->tracked[i] = NULL;
	}
	m->nfiles = 0;
}

static void put(struct mime_reader *m, const uint8_t *d, uint32_t len)
{
	if (!m->body_file || len == 0)
		return;
	abuf_append_max(&m->files[m->nfiles - 1], d, len, MIME_FILE_MAX);
	if (m->tracked[m->nfiles - 1] != NULL)
		app_file_data(m->tracked[m->nfiles - 1], d, len);
}

/* The value of parameter name (case-insensitive) in a header value, quotes
 * removed: its start, and its length in *n; NULL when absent. */
static const char *param_at(const char *v, const char *name, size_t *n)
{
	size_t nl = strlen(name);

	for (const char *p = strchr(v, ';'); p != NULL; p = strchr(p + 1, ';')) {
		const char *s = p + 1, *e;

		s += strspn(s, " \t");
		if (strncasecmp(s, name, nl) != 0)
			continue;
		s += nl;
		s += strspn(s, " \t");
		if (*s != '=')
			continue;
		s++;
		s += strspn(s, " \t");
		if (*s == '"') {
			s++;
			e = strchr(s, '"');
			if (e == NULL)
				e = s + strlen(s);
		} else {
			e = s + strcspn(s, "; \t");
		}
		*n = (size_t)(e - s);
		return s;
	}
	return NULL;
}

/* The parameter's value into out; false when absent or too long. */
static bool param(const char *v, const char *name, char *out, size_t outlen)
{
	size_t n;
	const char *s = param_at(v, name, &n);

	if (s == NULL || n >= outlen)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* A file name parameter (from: 1 name, 2 filename): kept unless one of
 * higher rank is; longer than Suricata keeps, it is cut and flagged
 * (ANOM_LONG_FILENAME). */
static void check_filename(struct mime_reader *m, const char *v, const char *name,
			   uint8_t from)
{
	size_t n;
	const char *p = param_at(v, name, &n);

	if (p == NULL)
		return;
	if (n > MIME_MAX_FILENAME) {
		m->errors |= MIME_ERR_LONG_FILENAME;
		n = MIME_MAX_FILENAME;
	}
	if (from < m->fname_from)
		return;
	memcpy(m->fname, p, n);
	m->fname_len = (uint16_t)n;
	m->fname_from = from;
}

/* A header of the message itself kept for EVE (the first of each name,
 * as Suricata's MimeDecFindField finds it). */
static void keep_top(struct mime_reader *m, const char *name, const char *v)
{
	static const char *const names[MIME_TOP_MAX] = { "from", "to", "cc" };

	for (int i = 0; i < MIME_TOP_MAX; i++) {
		size_t n = strlen(v);

		if (strcasecmp(name, names[i]) != 0 || m->has_top[i])
			continue;
		memcpy(m->top[i], v, n);
		m->top_len[i] = (uint16_t)n;
		m->has_top[i] = true;
	}
}

/* One whole header (name: value) of the current block. */
static void header(struct mime_reader *m)
{
	char *v = strchr(m->hdr, ':'), name[32];
	size_t nl;

	if (v == NULL)
		return;
	nl = (size_t)(v - m->hdr);
	if (nl >= sizeof(name))
		return;
	memcpy(name, m->hdr, nl);
	while (nl > 0 && isspace((unsigned char)name[nl - 1]))
		nl--;
	name[nl] = '\0';
	v++;
	v += strspn(v, " \t");
	if (m->depth == 0)
		keep_top(m, name, v);
	if (strcasecmp(name, "content-type") == 0) {
		char b[MIME_MAX_BOUNDARY + 1];

		if (strncasecmp(v, "multipart/", 10) == 0) {
			if (param(v, "boundary", b, sizeof(b))) {
				m->multipart = true;
				memcpy(m->pending_boundary, b, strlen(b) + 1);
			} else if (strcasestr(v, "boundary=") != NULL) {
				m->errors |= MIME_ERR_LONG_BOUNDARY;
			}
		}
		/* name= (or filename=) marks an attachment */
		if (strcasestr(v, "name=") != NULL)
			m->attachment = true;
		check_filename(m, v, "name", 1);
	} else if (strcasecmp(name, "content-disposition") == 0) {
		if (strncasecmp(v, "attachment", 10) == 0 || strcasestr(v, "filename") != NULL)
			m->attachment = true;
		check_filename(m, v, "filename", 2);
	} else if (strcasecmp(name, "content-transfer-encoding") == 0) {
		if (strncasecmp(v, "base64", 6) == 0)
			m->enc = MIME_ENC_BASE64;
		else if (strncasecmp(v, "quoted-printable", 16) == 0)
			m->enc = MIME_ENC_QP;
	}
}

static void start_block(struct mime_reader *m)
{
	m->in_headers = true;
	m->hdr_len = 0;
	m->multipart = false;
	m->attachment = false;
	m->enc = MIME_ENC_IDENTITY;
	m->body_file = false;
	m->body_started = false;
	m->nb64 = 0;
	m->fname_len = 0;
	m->fname_from = 0;
}

/* The blank line after a header block: a multipart opens its boundary (its
 * preamble is not a part), an attachment opens a file. */
static void end_headers(struct mime_reader *m)
{
	if (m->hdr_len > 0) {
		m->hdr[m->hdr_len] = '\0';
		header(m);
		m->hdr_len = 0;
	}
	m->in_headers = false;
	if (m->attachment && m->depth == 1 && m->natt < MIME_MAX_FILES) {
		memcpy(m->att[m->natt], m->fname, m->fname_len);
		m->att_len[m->natt++] = m->fname_len;
	}
	if (m->multipart && m->depth < MIME_MAX_DEPTH) {
		memcpy(m->boundary[m->depth++], m->pending_boundary,
		       strlen(m->pending_boundary) + 1);
		return;
	}
	if (m->attachment && m->nfiles < MIME_MAX_FILES) {
		m->files[m->nfiles] = (struct abuf){ 0 };
		if (m->track) {
			m->tracked[m->nfiles] = app_file_open((const uint8_t *)m->fname,
							      m->fname_len, m->hashes, m->fm);
			if (m->tracked[m->nfiles] == NULL)
				(*m->nomem)++;
		}
		m->nfiles++;
		m->body_file = true;
	}
}

static void header_line(struct mime_reader *m, const uint8_t *l, uint32_t len)
{
	if (len == 0) {
		end_headers(m);
		return;
	}
	/* a folded line continues the header; another starts a new one */
	if (l[0] != ' ' && l[0] != '\t' && m->hdr_len > 0) {
		m->hdr[m->hdr_len] = '\0';
		header(m);
		m->hdr_len = 0;
	}
	if (m->hdr_len + len > MIME_MAX_HEADER) {
		m->errors |= MIME_ERR_LONG_HEADER;
		len = MIME_MAX_HEADER - m->hdr_len;
	}
	memcpy(m->hdr + m->hdr_len, l, len);
	m->hdr_len += len;
}

static int b64_val(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* RFC 2045 6.8: groups of 4 across lines; '=' pads the last one; blanks are
 * skipped, any other byte is an error (skipped too). */
static void base64_line(struct mime_reader *m, const uint8_t *l, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		uint8_t out[3];
		uint32_t n = 3;

		if (l[i] == ' ' || l[i] == '\t')
			continue;
		if (l[i] != '=' && b64_val(l[i]) < 0) {
			m->errors |= MIME_ERR_BASE64;
			continue;
		}
		m->b64[m->nb64++] = l[i];
		if (m->nb64 < 4)
			continue;
		m->nb64 = 0;
		if (m->b64[0] == '=' || m->b64[1] == '=') {
			m->errors |= MIME_ERR_BASE64;
			continue;
		}
		if (m->b64[2] == '=')
			n = 1;
		else if (m->b64[3] == '=')
			n = 2;
		out[0] = (uint8_t)(b64_val(m->b64[0]) << 2 | b64_val(m->b64[1]) >> 4);
		out[1] = (uint8_t)(b64_val(m->b64[1]) << 4 | (n > 1 ? b64_val(m->b64[2]) >> 2 : 0));
		out[2] = (uint8_t)((n > 2 ? b64_val(m->b64[2]) << 6 : 0) |
				   (n > 2 ? b64_val(m->b64[3]) : 0));
		put(m, out, n);
	}
}

static int hexv(uint8_t c)
{
	if (isdigit(c))
		return c - '0';
	c = (uint8_t)toupper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* RFC 2045 6.7: =XX is a byte, '=' at the end a soft line break; other
 * lines end with CR LF. */
static void qp_line(struct mime_reader *m, const uint8_t *l, uint32_t len)
{
	bool soft = len > 0 && l[len - 1] == '=';

	if (soft)
		len--;
	for (uint32_t i = 0; i < len; i++) {
		uint8_t c = l[i];

		if (c == '=') {
			int h = i + 2 < len ? hexv(l[i + 1]) : -1;
			int lo = i + 2 < len ? hexv(l[i + 2]) : -1;

			if (h < 0 || lo < 0) {
				m->errors |= MIME_ERR_QP;
				put(m, &c, 1);
				continue;
			}
			c = (uint8_t)(h << 4 | lo);
			i += 2;
		}
		put(m, &c, 1);
	}
	if (!soft)
		put(m, (const uint8_t *)"\r\n", 2);
}

/* A line that opens ("--b") or closes ("--b--") a boundary in force: the
 * depth it belongs to + 1, negated when it closes; 0 for a body line. */
static int boundary_of(const struct mime_reader *m, const uint8_t *l, uint32_t len)
{
	for (int d = m->depth - 1; d >= 0; d--) {
		size_t bl = strlen(m->boundary[d]);

		if (len < 2 + bl || l[0] != '-' || l[1] != '-' ||
		    memcmp(l + 2, m->boundary[d], bl) != 0)
			continue;
		if (len >= 4 + bl && l[2 + bl] == '-' && l[3 + bl] == '-')
			return -(d + 1);
		return d + 1;
	}
	return 0;
}

void mime_line(struct mime_reader *m, const uint8_t *l, uint32_t len)
{
	int b = m->depth ? boundary_of(m, l, len) : 0;

	if (b != 0) {
		mime_end(m);
		if (b < 0) {		/* the multipart ends: back to its parent's body */
			m->depth = (uint8_t)(-b - 1);
			m->in_headers = false;
			m->body_file = false;
			return;
		}
		m->depth = (uint8_t)b;
		start_block(m);
		return;
	}
	if (m->in_headers) {
		m->headers_seen = true;
		header_line(m, l, len);
		return;
	}
	switch (m->enc) {
	case MIME_ENC_BASE64:
		base64_line(m, l, len);
		break;
	case MIME_ENC_QP:
		qp_line(m, l, len);
		break;
	default:
		/* the CR LF before a boundary belongs to it (RFC 2046 5.1.1) */
		if (m->body_started)
			put(m, (const uint8_t *)"\r\n", 2);
		put(m, l, len);
		m->body_started = true;
		break;
	}
}

/* The part being read ends: its file closes (truncated: the message was
 * cut). */
static void end_part(struct mime_reader *m, bool truncated)
{
	if (m->nb64 > 0)
		m->errors |= MIME_ERR_BASE64;	/* a partial group */
	m->nb64 = 0;
	if (m->body_file) {
		m->closed++;
		if (m->tracked[m->nfiles - 1] != NULL)
			app_file_close(m->tracked[m->nfiles - 1], truncated);
	}
	m->body_file = false;
}

void mime_end(struct mime_reader *m)
{
	end_part(m, false);
}

void mime_truncate(struct mime_reader *m)
{
	end_part(m, true);
}
