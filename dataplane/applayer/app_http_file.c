/* SPDX-License-Identifier: MIT */
/* HTTP bodies as files, for EVE "fileinfo", opened as Suricata 7's HTTP
 * parser opens them (app-layer-htp.c): every response body, named by the
 * Content-Disposition header's filename or else the URI's path; a request
 * body of a PUT, or of a POST that is not multipart, named by the URI's
 * path. The data is hashed as it passes (app_file.c); nothing is kept. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "app_file.h"
#include "app_http-int.h"

/* Suricata's HTTPParseContentDispositionHeader with "filename=": the
 * value split at ';' outside quotes, the token that starts (after
 * spaces) with filename=, one quote taken off each end. */
static bool disposition_filename(const uint8_t *v, size_t len, const uint8_t **name,
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

static bool header_has(htp_table_t *hdrs, const char *name, const char *needle)
{
	htp_header_t *h = hdrs ? htp_table_get_c(hdrs, name) : NULL;

	return h != NULL && bstr_index_of_c_nocase(h->value, needle) >= 0;
}

/* The name of the file dir carries, or false when it carries none. */
static bool file_name(htp_tx_t *tx, int dir, const uint8_t **name, size_t *len)
{
	htp_header_t *cd;

	if (dir == 0) {
		/* multipart uploads are files per part (not tracked here) */
		bool multipart = header_has(tx->request_headers, "content-type", "multipart/") &&
				 header_has(tx->request_headers, "content-type", "boundary=");

		if (tx->request_method_number != HTP_M_PUT &&
		    (tx->request_method_number != HTP_M_POST || multipart))
			return false;
	} else {
		cd = tx->response_headers ?
		     htp_table_get_c(tx->response_headers, "content-disposition") : NULL;
		if (cd != NULL && bstr_len(cd->value) > 0 &&
		    disposition_filename(bstr_ptr(cd->value), bstr_len(cd->value), name, len))
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
		if (!file_name(t->tx, dir, &name, &name_len))
			return;
		t->file[dir] = app_file_open(name, name_len, hs->ctx->cfg.file_hashes);
		if (t->file[dir] == NULL) {
			hs->ctx->stats.nomem++;
			return;
		}
	}
	if (t->file[dir] != NULL)
		app_file_data(t->file[dir], d, len);
}

void http_file_end(htp_tx_t *tx, int dir)
{
	struct http_txd *t = htp_tx_get_user_data(tx);

	if (t != NULL && t->file[dir] != NULL)
		app_file_close(t->file[dir], false);
}

void app_http_gap(struct http_state *hs, enum app_dir dir)
{
	for (uint32_t i = 0; i < hs->nlive; i++)
		if (hs->live[i]->file[dir] != NULL)
			app_file_gap(hs->live[i]->file[dir]);
}

int app_http_file_info(struct app_tx *atx, enum app_dir dir, struct app_file_info *out)
{
	const struct http_txd *t = (const struct http_txd *)atx;

	if (t->file[dir] == NULL)
		return -ENOENT;
	app_file_info(t->file[dir], atx->id, out);
	return 0;
}
