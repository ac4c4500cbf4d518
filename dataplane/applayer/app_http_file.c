/* SPDX-License-Identifier: MIT */
/* HTTP bodies as files, for EVE "fileinfo", opened as Suricata 7's HTTP
 * parser opens them (app-layer-htp.c): every response body, named by the
 * Content-Disposition header's filename or else the URI's path; a request
 * body of a PUT, or of a POST that is not multipart, named by the URI's
 * path; each part of a multipart POST that names a filename
 * (http_multipart.c). The data is hashed as it passes (app_file.c);
 * nothing is kept. Suricata's events on the way: a name longer than it
 * keeps (file_name_too_long: cut to that), a response's Content-Range
 * that is not a range of its file (range_invalid), a malformed multipart
 * body (multipart_*). Those events are Suricata's whatever the outputs, so
 * bodies are followed even when no file is logged (cfg.files off): then
 * the names are judged and multipart bodies read, but no file is opened,
 * hashed or kept. */
#include <errno.h>

#include "../../common/events-t.h"
#include "app_file.h"
#include "app_http-int.h"
#include "http_multipart.h"

#define HTTP_FILENAME_MAX 4096u  /* Suricata's SC_FILENAME_MAX */

/* The name of the one file side dir carries, or false when it carries
 * none (or, a multipart POST, one per part: *mp is its reader then). */
static bool file_name(struct http_txd *t, int dir, const uint8_t **name, size_t *len,
		      struct http_mp **mp)
{
	htp_tx_t *tx = t->tx;
	const bstr *cd;

	if (dir == 0) {
		const bstr *ct = http_header_value(t, 0, HV_CONTENT_TYPE);

		if (tx->request_method_number == HTP_M_POST && ct != NULL &&
		    (*mp = http_mp_new(bstr_ptr(ct), bstr_len(ct))) != NULL)
			return false;
		if (tx->request_method_number != HTP_M_PUT &&
		    tx->request_method_number != HTP_M_POST)
			return false;
	} else {
		cd = http_header_value(t, 1, HV_CONTENT_DISP);
		if (cd != NULL && bstr_len(cd) > 0 &&
		    http_disposition_filename(bstr_ptr(cd), bstr_len(cd), name, len))
			return true;
	}
	if (tx->parsed_uri == NULL || tx->parsed_uri->path == NULL)
		return false;
	*name = bstr_ptr(tx->parsed_uri->path);
	*len = bstr_len(tx->parsed_uri->path);
	return true;
}

void http_file_data(struct http_state *hs, struct http_txd *t, int dir, const uint8_t *d,
		    uint32_t len)
{
	if (!t->file_seen[dir]) {
		const uint8_t *name;
		size_t name_len;

		t->file_seen[dir] = true;
		if (!file_name(t, dir, &name, &name_len, &t->mp))
			goto multipart;
		if (name_len > HTTP_FILENAME_MAX) {
			name_len = HTTP_FILENAME_MAX;
			app_tx_event(&t->base, HTTP_EV_FILE_NAME_TOO_LONG);
		}
		if (dir == 1 && http_range_invalid(t))
			app_tx_event(&t->base, HTTP_EV_RANGE_INVALID);
		if (!hs->ctx->cfg.files)
			return;
		t->file[dir][0] = app_file_open(name, name_len, hs->ctx->cfg.file_hashes,
						hs->ctx->magic);
		if (t->file[dir][0] == NULL) {
			hs->ctx->stats.nomem++;
			return;
		}
		t->nfiles[dir] = 1;
	}
multipart:
	if (dir == 0 && t->mp != NULL) {
		static const struct {
			uint8_t bit;
			enum http_event ev;
		} map[] = {
			{ MP_EV_INVALID_HEADER, HTTP_EV_MULTIPART_INVALID_HEADER },
			{ MP_EV_NO_FILEDATA, HTTP_EV_MULTIPART_NO_FILEDATA },
			{ MP_EV_GENERIC_ERROR, HTTP_EV_MULTIPART_GENERIC_ERROR },
		};
		uint8_t found = 0;
		const struct mp_sink sink = {
			.files = t->file[0], .nfiles = &t->nfiles[0],
			.max = hs->ctx->cfg.files ? HTTP_FILES_MAX : 0,
			.hashes = hs->ctx->cfg.file_hashes, .nomem = &hs->ctx->stats.nomem,
			.dropped = &hs->ctx->stats.http_files_max,
			.magic = hs->ctx->magic, .events = &found,
		};

		http_mp_data(t->mp, &sink, d, len);
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (found & map[i].bit)
				app_tx_event(&t->base, map[i].ev);
		/* a part may have ended at its delimiter */
		app_file_event(hs->af, &t->base, APP_TO_SERVER);
	} else if (t->nfiles[dir] > 0) {
		app_file_data(t->file[dir][0], d, len);
	}
}

void http_file_end(struct http_state *hs, htp_tx_t *tx, int dir)
{
	struct http_txd *t = htp_tx_get_user_data(tx);

	if (t == NULL)
		return;
	if (dir == 0 && t->mp != NULL)
		http_mp_end(t->mp);	/* a part left open is TRUNCATED */
	else if (t->nfiles[dir] > 0)
		app_file_close(t->file[dir][0], false);
	app_file_event(hs->af, &t->base, (enum app_dir)dir);
}

struct app_file *const *app_http_files(struct app_tx *atx, enum app_dir dir, uint32_t *n)
{
	struct http_txd *t = (struct http_txd *)atx;

	*n = t->nfiles[dir];
	return t->file[dir];
}

void app_http_file_range(struct app_tx *atx, enum app_dir dir, struct app_file_info *out)
{
	/* a response that is a range of a file: Suricata's FileSetRange */
	if (dir == APP_TO_CLIENT && !http_file_range((struct http_txd *)atx, &out->start, &out->end))
		out->start = out->end = 0;
}
