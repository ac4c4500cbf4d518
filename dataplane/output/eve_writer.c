/* SPDX-License-Identifier: MIT */
/* A worker's EVE writer: records are appended to a private buffer as whole
 * lines and reach the shared file in large writes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "eve-int.h"

/* socket is a placement hint only: the buffer is touched by its worker
 * alone, so first-touch places it well enough without libnuma. */
static struct eve_writer *writer_one(struct eve_file *ef, const struct eve_options *opt,
				     const char *in_iface)
{
	struct eve_writer *w = NULL;

	if (posix_memalign((void **)&w, 64, sizeof(*w)) != 0)
		return NULL;
	memset(w, 0, sizeof(*w));
	if (posix_memalign((void **)&w->buf, 4096, EVE_WRITER_BUF) != 0) {
		free(w);
		return NULL;
	}
	w->frags = eve_frag_cache_create();
	if (w->frags == NULL) {
		free(w->buf);
		free(w);
		return NULL;
	}
	w->ef = ef;
	w->types = ef->types;
	if (ef->has_opt)
		w->opt = ef->opt;
	else if (opt != NULL)
		w->opt = *opt;
	w->in_iface = in_iface;
	w->st = &w->stats;
	return w;
}

struct eve_writer *eve_writer_create(struct eve_file *ef, const struct eve_options *opt,
				     const char *in_iface, int socket)
{
	struct eve_writer *head = NULL, **tail = &head;

	(void)socket;
	if (ef == NULL)
		return NULL;
	for (; ef != NULL; ef = ef->next) {
		struct eve_writer *w = writer_one(ef, opt, in_iface);

		if (w == NULL) {
			eve_writer_destroy(head);
			return NULL;
		}
		w->st = head != NULL ? head->st : w->st;
		*tail = w;
		tail = &w->next;
	}
	return head;
}

void eve_writer_set_iface(struct eve_writer *w, const char *in_iface)
{
	for (; w != NULL; w = w->next)
		w->in_iface = in_iface;
}

void eve_writer_destroy(struct eve_writer *w)
{
	while (w != NULL) {
		struct eve_writer *next = w->next;

		eve_writer_flush_one(w);
		eve_frag_cache_destroy(w->frags);
		free(w->order);
		free(w->buf);
		free(w);
		w = next;
	}
}

/* The buffer holds complete lines only, so writing all of it never splits
 * one. After a failed write the unwritten tail stays for the next try. */
int eve_writer_flush_one(struct eve_writer *w)
{
	size_t done = 0;
	int rc;

	if (w->len == 0)
		return 0;
	rc = eve_file_write(w->ef, w->buf, w->len, &done);
	if (done < w->len)
		memmove(w->buf, w->buf + done, w->len - done);
	w->len -= done;
	if (rc != 0)
		w->st->write_errors++;
	return rc;
}

/* Every buffer of the chain; the first error is returned. */
int eve_writer_flush(struct eve_writer *w)
{
	int rc = 0;

	for (; w != NULL; w = w->next) {
		int r = eve_writer_flush_one(w);

		if (rc == 0)
			rc = r;
	}
	return rc;
}

const struct eve_stats *eve_writer_stats(const struct eve_writer *w)
{
	return w->st;
}

/* Build straight into the free tail of the buffer; when it does not fit,
 * flush and build once more. */
static void emit_one(struct eve_writer *w, eve_build_fn fn, const void *ctx)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		struct json_w j;

		json_init(&j, w->buf + w->len, EVE_WRITER_BUF - w->len);
		fn(&j, w, ctx);
		json_newline(&j);
		if (json_ok(&j)) {
			w->len += json_len(&j);
			w->st->records++;
			if (w->len >= EVE_WRITER_HIWAT)
				eve_writer_flush_one(w);
			return;
		}
		if (w->len == 0)
			break;          /* larger than the whole buffer */
		eve_writer_flush_one(w);
	}
	w->st->dropped++;
}

static void emit_text_one(struct eve_writer *w, eve_text_fn fn, const void *ctx)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		size_t n = fn(w->buf + w->len, EVE_WRITER_BUF - w->len, w, ctx);

		if (n < EVE_WRITER_BUF - w->len) {
			w->len += n;
			w->st->records++;
			if (w->len >= EVE_WRITER_HIWAT)
				eve_writer_flush_one(w);
			return;
		}
		if (w->len == 0)
			break;
		eve_writer_flush_one(w);
	}
	w->st->dropped++;
}

void eve_emit_text(struct eve_writer *w, uint32_t type, eve_text_fn fn, const void *ctx)
{
	for (; w != NULL; w = w->next)
		if (w->types & type)
			emit_text_one(w, fn, ctx);
}

void eve_emit(struct eve_writer *w, uint32_t type, eve_build_fn fn, const void *ctx)
{
	eve_emit_if(w, type, NULL, fn, ctx);
}

void eve_emit_if(struct eve_writer *w, uint32_t type, eve_want_fn want, eve_build_fn fn,
		 const void *ctx)
{
	for (; w != NULL; w = w->next)
		if ((w->types & type) && (want == NULL || want(w, ctx)))
			emit_one(w, fn, ctx);
}

bool eve_writes(const struct eve_writer *w, uint32_t type)
{
	for (; w != NULL; w = w->next)
		if (w->types & type)
			return true;
	return false;
}

void eve_close_record(struct json_w *j, const struct eve_writer *w)
{
	if (w->opt.host != NULL)
		json_str(j, "host", w->opt.host);
	json_obj_close(j);
}

/* Days since 1970-01-01 to a Gregorian date, counting in 400-year eras of
 * 146097 days with years starting on March 1st so that the leap day is the
 * last day of the year. */
static void civil_from_days(uint64_t days, uint64_t *y, unsigned *m, unsigned *d)
{
	uint64_t z = days + 719468;            /* days since 0000-03-01 */
	uint64_t era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;    /* 0 = March */

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = era * 400 + yoe + (*m <= 2);
}

static char *put_digits(char *o, uint64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + width;
}

void eve_put_time(struct json_w *j, const char *key, uint64_t ts_us)
{
	uint64_t secs = ts_us / 1000000, y;
	unsigned mo, d, sod = (unsigned)(secs % 86400);
	char s[32], *o = s;

	civil_from_days(secs / 86400, &y, &mo, &d);
	o = put_digits(o, y, 4);
	*o++ = '-';
	o = put_digits(o, mo, 2);
	*o++ = '-';
	o = put_digits(o, d, 2);
	*o++ = 'T';
	o = put_digits(o, sod / 3600, 2);
	*o++ = ':';
	o = put_digits(o, sod / 60 % 60, 2);
	*o++ = ':';
	o = put_digits(o, sod % 60, 2);
	*o++ = '.';
	o = put_digits(o, ts_us % 1000000, 6);
	memcpy(o, "+0000", 5);
	o += 5;
	json_strn(j, key, s, (size_t)(o - s));
}
