// SPDX-License-Identifier: MIT
/* HTTP/1.x over libhtp (OISF's parser, as Suricata): request and response
 * lines, headers, pipelining, chunked and Content-Length bodies, gzip and
 * deflate bodies (responses by libhtp, requests by http_inflate.c), URI
 * normalisation of the IDS personality.
 * Bodies are kept per transaction up to the configured limits. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <htp/htp.h>

#include "../../common/bug.h"
#include "../../common/wmem.h"
#include "app_file.h"
#include "app_http-int.h"
#include "http_inflate.h"
#include "http_multipart.h"

#define HTTP_BODY_PRESIZE (16u << 10)

static htp_list_t *txs(const struct http_state *hs)
{
	return htp_connp_get_connection(hs->connp)->transactions;
}

static struct http_txd *txd_new(struct http_state *hs, htp_tx_t *tx)
{
	struct http_txd *t;

	if ((hs->nlive + 1) * sizeof(*hs->live) > hs->live_cap) {
		struct http_txd **l = wmem_grow(hs->ctx->mem, hs->live, hs->live_cap,
						hs->nlive * (uint32_t)sizeof(*l),
						hs->live_cap ? hs->live_cap * 2 : 8 * sizeof(*l),
						&hs->live_cap);

		if (l == NULL)
			return NULL;
		hs->live = l;
	}
	t = wmem_zalloc(hs->ctx->mem, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->tx = tx;
	t->parse_gen = &hs->parse_gen;
	for (int i = 0; i < 2; i++) {
		t->body[i].mem = t->hdr_raw[i].mem = hs->ctx->mem;
		t->side[i].gen = 1;
		t->side[i].progress = -1;
		t->side[i].hdr.mem = hs->ctx->mem;
		for (int k = 0; k < HM_MAX; k++)
			t->side[i].buf[k].mem = hs->ctx->mem;
	}
	t->base.id = hs->af->next_tx_id++;
	t->last_req = -1;
	t->last_res = -1;
	htp_tx_set_user_data(tx, t);
	hs->live[hs->nlive++] = t;
	hs->ctx->stats.http_txs++;
	return t;
}

/* Give each transaction libhtp created since the last call its txd, in
 * creation order (ids and live stay in libhtp's order). */
static void sync_new(struct http_state *hs)
{
	htp_list_t *l = txs(hs);
	size_t n = htp_list_size(l);

	for (; hs->seen < n; hs->seen++) {
		htp_tx_t *tx = htp_list_get(l, hs->seen);

		if (tx != NULL && htp_tx_get_user_data(tx) == NULL && txd_new(hs, tx) == NULL)
			hs->ctx->stats.nomem++;
	}
}

struct http_txd *http_txd_get(struct http_state *hs, htp_tx_t *tx)
{
	struct http_txd *t = htp_tx_get_user_data(tx);

	if (t)
		return t;
	sync_new(hs);
	return htp_tx_get_user_data(tx);
}

static void txd_free(struct wmem *mem, struct http_txd *t)
{
	for (int i = 0; i < 2; i++) {
		abuf_free(&t->body[i]);
		abuf_free(&t->hdr_raw[i]);
		for (int k = 0; k < HM_MAX; k++)
			abuf_free(&t->side[i].buf[k]);
		abuf_free(&t->side[i].hdr);
		for (uint8_t k = 0; k < t->nfiles[i]; k++)
			app_file_free(t->file[i][k]);
		free(t->hdrs[i]);
	}
	http_mp_free(t->mp);
	free(t->range);
	http_inflate_free(t->req_inflate);
	app_tx_release(&t->base);
	wmem_free(mem, t, sizeof(*t));
}

static struct http_state *state_of(htp_tx_t *tx)
{
	return htp_connp_get_user_data(tx->connp);
}

/* libhtp inflates response bodies itself; a request body's coding is ours
 * to undo (one layer, as Suricata's request decompression). */
static void request_coding(struct http_state *hs, struct http_txd *t)
{
	const bstr *ce = http_header_value(t, 0, HV_CONTENT_ENC);
	enum http_coding coding;

	t->req_coding_seen = true;
	if (ce == NULL)
		return;
	coding = http_coding_of(bstr_ptr(ce), bstr_len(ce));
	if (coding == HTTP_CODING_NONE)
		return;
	t->req_inflate = http_inflate_new(coding);
	if (t->req_inflate == NULL)
		hs->ctx->stats.nomem++;	/* the body is inspected as sent */
}

/* Whether body[dir] stays the stream's bytes in order with d[0..len)
 * appended (struct http_txd.body_in_stream). */
static void body_place(struct http_state *hs, struct http_txd *t, int dir, const uint8_t *d,
		       uint32_t len)
{
	uint32_t seq = 0;
	bool in = app_feed_seq(hs->af, d, len, &seq) && !(dir == 0 && t->req_inflate != NULL);

	if (t->body[dir].len == 0) {
		t->body_in_stream[dir] = in;
		t->body_seq[dir] = seq;
	} else if (!in || seq != t->body_seq[dir] + t->body[dir].len) {
		t->body_in_stream[dir] = false;
	}
}

/* Room for the body up front when its length is known (a Content-Length,
 * the body as sent), up to the limit and HTTP_BODY_PRESIZE: a body that
 * fits is copied once, not again at each doubling of its buffer from 256
 * bytes. The bound keeps what a peer that announces much and sends little
 * makes a transaction hold small. A coded body's length says nothing of
 * its decoded size: it grows as it comes. Best effort: without the room
 * now, the appends grow the buffer as before (and count what they lose). */
static void body_presize(struct http_txd *t, int dir, uint32_t limit)
{
	const htp_tx_t *tx = t->tx;
	int64_t cl = dir ? tx->response_content_length : tx->request_content_length;
	bool coded = dir ? tx->response_content_encoding_processing != HTP_COMPRESSION_NONE
			 : t->req_inflate != NULL;

	if (cl <= 0 || coded)
		return;
	if ((uint64_t)cl > limit)
		cl = limit;
	if (cl > HTTP_BODY_PRESIZE)
		cl = HTTP_BODY_PRESIZE;
	(void)abuf_reserve(&t->body[dir], (uint32_t)cl);
}

/* A response body at its limit feeds nothing more: libhtp stops inflating
 * it (the rest comes as sent and is dropped as any byte past the limit).
 * Unless files are followed (their size and hashes take every byte) or the
 * decompressors' events are wanted; Suricata inflates to the end. */
static void res_inflate_stop(struct http_state *hs, struct http_txd *t, uint32_t limit)
{
	const struct applayer_config *cfg = &hs->ctx->cfg;

	if (t->body[1].len < limit || cfg->files || cfg->http_coding_events ||
	    t->tx->response_content_encoding_processing == HTP_COMPRESSION_NONE)
		return;
	t->tx->response_content_encoding_processing = HTP_COMPRESSION_NONE;
	hs->ctx->stats.inflate_stopped++;
}

static int on_body(htp_tx_data_t *d, int dir)
{
	struct http_state *hs = state_of(d->tx);
	struct http_txd *t;
	uint32_t limit = dir ? hs->ctx->cfg.response_body_limit : hs->ctx->cfg.request_body_limit;

	if (limit == 0)
		limit = UINT32_MAX;

	if (d->data == NULL || d->len == 0)
		return HTP_OK;
	t = http_txd_get(hs, d->tx);
	if (t == NULL)
		return HTP_OK;
	http_file_data(hs, t, dir, d->data, (uint32_t)d->len);
	if (dir == 0 && !t->req_coding_seen)
		request_coding(hs, t);
	if (t->body[dir].cap == 0)
		body_presize(t, dir, limit);
	body_place(hs, t, dir, d->data, (uint32_t)d->len);
	if (dir == 0 && t->req_inflate != NULL) {
		bool bad;

		hs->ctx->stats.body_truncated += http_inflate_feed(t->req_inflate, d->data,
								  (uint32_t)d->len, &t->body[0],
								  limit, &bad);
		hs->ctx->stats.body_not_encoded += bad;
	} else {
		hs->ctx->stats.body_truncated += abuf_append_max(&t->body[dir], d->data,
								 (uint32_t)d->len, limit);
		if (dir == 1)
			res_inflate_stop(hs, t, limit);
	}
	t->base.updated = APP_TX_UPDATED;
	return HTP_OK;
}

static int on_req_body(htp_tx_data_t *d)
{
	return on_body(d, 0);
}

static int on_res_body(htp_tx_data_t *d)
{
	return on_body(d, 1);
}

static int on_header_data(htp_tx_data_t *d, int dir)
{
	struct http_state *hs = state_of(d->tx);
	struct http_txd *t;
	/* raw headers are bounded like a request body */
	uint32_t limit = hs->ctx->cfg.request_body_limit ? hs->ctx->cfg.request_body_limit
							 : UINT32_MAX;

	if (d->data == NULL || d->len == 0)
		return HTP_OK;
	t = http_txd_get(hs, d->tx);
	if (t && abuf_append_max(&t->hdr_raw[dir], d->data, (uint32_t)d->len, limit))
		hs->ctx->stats.body_truncated++;
	return HTP_OK;
}

static int on_req_header_data(htp_tx_data_t *d)
{
	return on_header_data(d, 0);
}

static int on_res_header_data(htp_tx_data_t *d)
{
	return on_header_data(d, 1);
}

/* max-tx (as libhtp's own in Suricata): a request past the cap of
 * transactions held stops this connection's parsing, so a client that
 * pipelines without end costs bounded memory and work. Checked at the
 * request line: libhtp 0.5.42 ignores an error from the request-start
 * hook (and would loop creating transactions). */
static int on_req_line(htp_tx_t *tx)
{
	struct http_state *hs = state_of(tx);

	if (hs->ctx->cfg.http_max_tx == 0 || hs->nlive < hs->ctx->cfg.http_max_tx) {
		http_events_request_line(hs, tx);
		return HTP_OK;
	}
	hs->ctx->stats.http_max_tx++;
	return HTP_ERROR;
}

/* A side's body is complete: its file is CLOSED. */
static int on_req_complete(htp_tx_t *tx)
{
	http_file_end(state_of(tx), tx, 0);
	return HTP_OK;
}

static int on_res_complete(htp_tx_t *tx)
{
	struct http_state *hs = state_of(tx);

	http_file_end(hs, tx, 1);
	/* RFC 9110 9.3.6: a 2xx answer to CONNECT makes the connection a
	 * tunnel right after it. Suricata's HTPCallbackResponseComplete
	 * changes the flow's protocol then, on its first transaction only,
	 * and lets detection find what comes (TLS or HTTP alike) */
	if (tx->request_method_number == HTP_M_CONNECT && tx->response_status_number >= 200 &&
	    tx->response_status_number < 300 && tx->index == 0)
		app_flow_request_change(hs->af, APP_PROTO_UNKNOWN);
	return HTP_OK;
}

/* Suricata's default libhtp settings (personality IDS, spaces allowed in the
 * URI, response decompression with a layer limit). */
void *app_http_config(const struct applayer_config *cfg)
{
	htp_cfg_t *c = htp_config_create();

	if (c == NULL)
		return NULL;
	htp_config_set_server_personality(c, HTP_SERVER_IDS);
	/* IDS lower-cases the path; rules expect it as sent (Suricata too) */
	htp_config_set_convert_lowercase(c, HTP_DECODER_URL_PATH, 0);
	htp_config_set_allow_space_uri(c, 1);
	htp_config_set_response_decompression(c, 1);
	/* libhtp's 0 is no limit, as the setting's */
	htp_config_set_response_decompression_layer_limit(c, (int)cfg->decompress_layer_limit);
	htp_config_set_tx_auto_destroy(c, 0);
	/* Suricata's: no rule nor log reads libhtp's cookie table, and
	 * parsing it costs allocations per cookie */
	htp_config_set_parse_request_cookies(c, 0);
	/* libhtp's default: its errors, warnings and notices become events */
	htp_config_set_log_level(c, HTP_LOG_NOTICE);
	htp_config_register_request_line(c, on_req_line);
	htp_config_register_request_body_data(c, on_req_body);
	htp_config_register_response_body_data(c, on_res_body);
	htp_config_register_request_header_data(c, on_req_header_data);
	htp_config_register_response_header_data(c, on_res_header_data);
	htp_config_register_request_complete(c, on_req_complete);
	htp_config_register_response_complete(c, on_res_complete);
	return c;
}

void app_http_config_free(void *htp_cfg)
{
	htp_config_destroy(htp_cfg);
}

struct http_state *app_http_new(struct applayer_ctx *ctx, struct app_flow *af)
{
	struct http_state *hs = wmem_zalloc(ctx->mem, sizeof(*hs));

	if (hs == NULL)
		return NULL;
	hs->ctx = ctx;
	hs->af = af;
	hs->connp = htp_connp_create(ctx->htp_cfg);
	if (hs->connp == NULL) {
		wmem_free(ctx->mem, hs, sizeof(*hs));
		return NULL;
	}
	htp_connp_set_user_data(hs->connp, hs);
	htp_connp_open(hs->connp, NULL, af->cport, NULL, af->sport, NULL);
	return hs;
}

void app_http_free(struct http_state *hs)
{
	if (hs == NULL)
		return;
	for (uint32_t i = 0; i < hs->nlive; i++)
		txd_free(hs->ctx->mem, hs->live[i]);
	wmem_free(hs->ctx->mem, hs->live, hs->live_cap);
	htp_connp_destroy_all(hs->connp);
	wmem_free(hs->ctx->mem, hs, sizeof(*hs));
}

/* Marks the transactions whose progress moved. */
static void mark_updates(struct http_state *hs)
{
	sync_new(hs);
	for (uint32_t i = 0; i < hs->nlive; i++) {
		struct http_txd *t = hs->live[i];
		htp_tx_t *tx = t->tx;

		/* the request's parse flags, as libhtp sets them (also when it
		 * gives up on the request at its headers) */
		if (tx->request_progress >= HTP_REQUEST_HEADERS)
			http_events_request(t);
		if (t->last_req != (int)tx->request_progress ||
		    t->last_res != (int)tx->response_progress) {
			t->last_req = (int)tx->request_progress;
			t->last_res = (int)tx->response_progress;
			t->base.updated = APP_TX_UPDATED;
		}
	}
}

int app_http_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		  const uint8_t *d, uint32_t len, uint64_t ts_us)
{
	struct http_state *hs = af->http;
	struct timeval tv = { .tv_sec = (time_t)(ts_us / 1000000u),
			      .tv_usec = (suseconds_t)(ts_us % 1000000u) };
	int rc;

	hs->parse_gen++;
	if (dir == APP_TO_SERVER)
		rc = htp_connp_req_data(hs->connp, &tv, d, len);
	else
		rc = htp_connp_res_data(hs->connp, &tv, d, len);
	hs->parse_gen++;
	mark_updates(hs);
	http_events_messages(hs, dir);
	if (rc == HTP_STREAM_ERROR) {
		ctx->stats.http_errors++;
		return -EINVAL;
	}
	return 0;
}

/* Suricata inspects a body once it holds the minimal inspection size, hit
 * its limit, is complete, or its direction ended. */
static bool body_due(const struct http_txd *t, int dir)
{
	const struct http_state *hs = state_of(t->tx);
	const struct applayer_config *cfg = &hs->ctx->cfg;
	uint32_t limit = dir ? cfg->response_body_limit : cfg->request_body_limit;
	uint32_t min = dir ? cfg->response_inspect_min : cfg->request_inspect_min;
	bool done = dir ? t->tx->response_progress > HTP_RESPONSE_BODY
			: t->tx->request_progress > HTP_REQUEST_BODY;
	uint32_t have = t->body[dir].len;

	return have > 0 &&
	       ((limit != 0 && have >= limit) || have >= min || done || hs->af->eof[dir]);
}

/* Where the inspected part of a due body starts (Suricata's body_inspected
 * window): the whole body until an inspection has seen more than the
 * minimal inspection size; then the new bytes and as many seen ones before
 * them as make up the inspection window, at least a quarter of it. So an
 * update costs its new bytes, not the whole body again. */
static uint32_t body_window(const struct http_txd *t, int dir)
{
	const struct applayer_config *cfg = &state_of(t->tx)->ctx->cfg;
	uint32_t min = dir ? cfg->response_inspect_min : cfg->request_inspect_min;
	uint32_t win = dir ? cfg->response_inspect_window : cfg->request_inspect_window;
	uint32_t seen = t->body_inspected[dir], fresh;

	if (seen <= min || seen > t->body[dir].len)
		return 0;
	fresh = t->body[dir].len - seen;
	if (fresh < win)
		return seen < win - fresh ? 0 : seen - (win - fresh);
	return seen - win / 4;
}

void app_http_eof(struct app_flow *af, enum app_dir dir)
{
	struct http_state *hs = af->http;

	hs->parse_gen++;
	if (dir == APP_TO_SERVER)
		htp_connp_req_close(hs->connp, NULL);
	else
		htp_connp_close(hs->connp, NULL);
	hs->parse_gen++;
	mark_updates(hs);
	http_events_messages(hs, dir);
	/* bodies held back for the minimal inspection size are due now */
	for (uint32_t i = 0; i < hs->nlive; i++)
		if (hs->live[i]->body[dir].len > 0)
			hs->live[i]->base.updated = APP_TX_UPDATED;
}

uint32_t app_http_ntx(const struct http_state *hs)
{
	return hs->nlive;
}

struct app_tx *app_http_tx(struct http_state *hs, uint32_t i)
{
	return i < hs->nlive ? &hs->live[i]->base : NULL;
}

void app_http_inspected(struct app_flow *af, uint8_t dirs)
{
	struct http_state *hs = af->http;
	uint32_t k = 0;

	for (uint32_t i = 0; i < hs->nlive; i++) {
		struct http_txd *t = hs->live[i];
		htp_tx_t *tx = t->tx;

		t->base.updated &= (uint8_t)~dirs;
		for (int dir = 0; dir < 2; dir++)
			if ((dirs & (1u << dir)) && body_due(t, dir))
				t->body_inspected[dir] = t->body[dir].len;
		if (t->base.updated == 0 && tx->request_progress == HTP_REQUEST_COMPLETE &&
		    tx->response_progress == HTP_RESPONSE_COMPLETE) {
			app_tx_done(af, &t->base);
			htp_tx_set_user_data(tx, NULL);
			txd_free(hs->ctx->mem, t);
			htp_tx_destroy(tx);
		} else {
			hs->live[k++] = t;
		}
	}
	hs->nlive = k;
}

static int give(const bstr *s, const uint8_t **data, uint32_t *len)
{
	if (s == NULL)
		return -ENOENT;
	*data = bstr_ptr(s);
	*len = (uint32_t)bstr_len(s);
	return 0;
}

static int give_abuf(const struct abuf *b, const uint8_t **data, uint32_t *len)
{
	if (b->len == 0)
		return -ENOENT;
	*data = b->p;
	*len = b->len;
	return 0;
}


static int sbuf_bstr(struct abuf *s, const bstr *b)
{
	return b ? abuf_append(s, bstr_ptr(b), (uint32_t)bstr_len(b)) : 0;
}

/* A decoded copy of b appended to s (double-decode-path/query: libhtp's
 * decoder of that context once more). */
static int append_decoded(struct applayer_ctx *ctx, struct abuf *s, const bstr *b,
			  enum htp_decoder_ctx_t dctx)
{
	bstr *c = bstr_dup(b);
	uint64_t flags = 0;
	int rc;

	if (c == NULL)
		return -ENOMEM;
	htp_urldecode_inplace(ctx->htp_cfg, dctx, c, &flags);
	rc = sbuf_bstr(s, c);
	bstr_free(c);
	return rc;
}

/* Suricata's normalised URI: with uri-include-all, scheme://user:pass@host:port
 * first; then libhtp's normalised path, ?query and #fragment as sent (path
 * and query decoded once more when double-decode-path/-query are on). */
static int build_uri(struct applayer_ctx *ctx, struct abuf *s, const htp_tx_t *tx)
{
	const htp_uri_t *u = tx->parsed_uri;
	const struct applayer_config *cfg = &ctx->cfg;

	if (u == NULL || u->path == NULL)
		return -ENOENT;
	s->len = 0;
	if (cfg->uri_include_all) {
		if (u->scheme) {
			sbuf_bstr(s, u->scheme);
			abuf_append(s, "://", 3);
		}
		if (u->username || u->password) {
			sbuf_bstr(s, u->username);
			if (u->password) {
				abuf_append(s, ":", 1);
				sbuf_bstr(s, u->password);
			}
			abuf_append(s, "@", 1);
		}
		sbuf_bstr(s, u->hostname);
		if (u->port) {
			abuf_append(s, ":", 1);
			sbuf_bstr(s, u->port);
		}
	}
	if (cfg->double_decode_path)
		append_decoded(ctx, s, u->path, HTP_DECODER_URL_PATH);
	else
		sbuf_bstr(s, u->path);
	if (u->query) {
		abuf_append(s, "?", 1);
		if (cfg->double_decode_query)
			append_decoded(ctx, s, u->query, HTP_DECODER_URLENCODED);
		else
			sbuf_bstr(s, u->query);
	}
	if (u->fragment) {
		abuf_append(s, "#", 1);
		sbuf_bstr(s, u->fragment);
	}
	return 0;
}

/* A due body's inspected part; until due, and when nothing was added since
 * the last inspection (Suricata's "no new data": a body past its limit
 * stays as it was, and verifying the rules that hit it again on every
 * packet that follows would cost a full inspection each time): -ENOENT. */
static int give_body(struct http_txd *t, int dir, const uint8_t **data, uint32_t *len)
{
	uint32_t from;

	if (!body_due(t, dir) || t->body_inspected[dir] == t->body[dir].len)
		return -ENOENT;
	from = body_window(t, dir);
	*data = t->body[dir].p + from;
	*len = t->body[dir].len - from;
	return 0;
}

uint32_t app_http_buffer_offset(struct app_tx *atx, enum rule_buffer b)
{
	const struct http_txd *t = (const struct http_txd *)atx;

	if (b == RULE_BUF_HTTP_REQUEST_BODY)
		return body_window(t, 0);
	if (b == RULE_BUF_HTTP_RESPONSE_BODY)
		return body_window(t, 1);
	return 0;
}

int app_http_buffer_seq(struct app_tx *atx, enum rule_buffer b, uint32_t *seq)
{
	const struct http_txd *t = (const struct http_txd *)atx;
	const int dir = b == RULE_BUF_HTTP_RESPONSE_BODY;

	if ((b != RULE_BUF_HTTP_REQUEST_BODY && !dir) || !t->body_in_stream[dir])
		return -ENOENT;
	*seq = t->body_seq[dir];
	return 0;
}

/* A held transaction's body of dir placed in the stream (its bytes kept:
 * response-body-limit bounds them) that shares a byte with [seq, seq + len). */
bool app_http_stream_placed(const struct http_state *hs, enum app_dir dir, uint32_t seq,
			    uint32_t len)
{
	for (uint32_t i = 0; i < hs->nlive; i++) {
		const struct http_txd *t = hs->live[i];
		const uint32_t n = t->body[dir].len;

		if (!t->body_in_stream[dir] || n == 0)
			continue;
		/* [body_seq, body_seq + n) and [seq, seq + len) overlap */
		if ((uint32_t)(seq - t->body_seq[dir]) < n || (uint32_t)(t->body_seq[dir] - seq) < len)
			return true;
	}
	return false;
}

static uint8_t *put(uint8_t *w, const void *d, size_t n)
{
	memcpy(w, d, n);
	return w + n;
}

/* Whether header h is named exactly name (n bytes), in any case: how
 * Suricata picks the cookie headers it leaves out of http.header. */
static bool named(const htp_header_t *h, const char *name, size_t n)
{
	return bstr_len(h->name) == n && strncasecmp((const char *)bstr_ptr(h->name), name, n) == 0;
}

/* kind: 'h' "Name: Value\r\n" each, 'n' "\r\nName\r\n...\r\n", 's' the
 * start line then the headers and an empty line; of headers [from, n) of
 * hdr, but for those named skip (NULL: none). From 0, made anew; else s
 * holds the first from headers and is extended by the others (the closing
 * empty line moved past them). Measured first, then written in one pass
 * into room made once. On -ENOMEM, s is to be made anew. */
static int build_headers(struct abuf *s, htp_header_t *const *hdr, size_t from, size_t n,
			 const bstr *line, char kind, const char *skip)
{
	const size_t skip_len = skip ? strlen(skip) : 0;
	/* the closing empty line; for 'n' the opening one too */
	const uint32_t tail = kind == 'h' ? 0 : 2;
	uint64_t total = tail;
	uint8_t *w;

	if (kind == 's' && line == NULL)
		return -ENOENT;
	if (from == 0) {
		s->len = 0;
		total += kind == 's' ? bstr_len(line) + 2 : tail;
	} else {
		s->len -= tail;
	}
	for (size_t i = from; i < n; i++) {
		const htp_header_t *h = hdr[i];

		if (skip == NULL || !named(h, skip, skip_len))
			total += bstr_len(h->name) + 2 + (kind != 'n' ? 2 + bstr_len(h->value) : 0);
	}
	if (total > UINT32_MAX - s->len || abuf_reserve(s, (uint32_t)total))
		return -ENOMEM;
	w = s->p + s->len;
	if (from == 0 && kind == 's')
		w = put(put(w, bstr_ptr(line), bstr_len(line)), "\r\n", 2);
	else if (from == 0 && kind == 'n')
		w = put(w, "\r\n", 2);
	for (size_t i = from; i < n; i++) {
		const htp_header_t *h = hdr[i];

		if (skip != NULL && named(h, skip, skip_len))
			continue;
		w = put(w, bstr_ptr(h->name), bstr_len(h->name));
		if (kind != 'n')
			w = put(put(w, ": ", 2), bstr_ptr(h->value), bstr_len(h->value));
		w = put(w, "\r\n", 2);
	}
	if (kind != 'h')
		w = put(w, "\r\n", 2);
	BUG_ON_HOT((uint64_t)(w - s->p) - s->len != total);
	s->len = (uint32_t)(w - s->p);
	return s->len ? 0 : -ENOENT;
}

#define HV(k, name) [k] = { name, sizeof(name) - 1 }
static const struct {
	const char *name;
	size_t len;
} hv_name[HV_MAX] = {
	HV(HV_HOST, "host"), HV(HV_USER_AGENT, "user-agent"), HV(HV_REFERER, "referer"),
	HV(HV_ACCEPT, "accept"), HV(HV_ACCEPT_LANG, "accept-language"),
	HV(HV_ACCEPT_ENC, "accept-encoding"), HV(HV_CONNECTION, "connection"),
	HV(HV_COOKIE, "cookie"), HV(HV_SET_COOKIE, "set-cookie"),
	HV(HV_CONTENT_TYPE, "content-type"), HV(HV_CONTENT_LEN, "content-length"),
	HV(HV_LOCATION, "location"), HV(HV_SERVER, "server"),
	HV(HV_XFF, "x-forwarded-for"), HV(HV_CONTENT_RANGE, "content-range"),
	HV(HV_CONTENT_DISP, "content-disposition"), HV(HV_CONTENT_ENC, "content-encoding"),
};
#undef HV

/* Whether header name n is hv_name[k] as htp_table_get_c compares names:
 * without regard to case, NUL bytes in n skipped (nul: n has some; the
 * lengths then say nothing). */
static bool hv_is(const bstr *n, bool nul, int k)
{
	if (nul)
		return bstr_cmp_c_nocasenorzero(n, hv_name[k].name) == 0;
	return bstr_len(n) == hv_name[k].len &&
	       strncasecmp((const char *)bstr_ptr(n), hv_name[k].name, hv_name[k].len) == 0;
}

/* The named header n is (enum http_hv), HV_MAX: none. Without a NUL byte
 * in n, only the names of its length are compared (at most three; all
 * seventeen were, ~100 instructions a header walked on http5k). */
static int hv_find(const bstr *n, bool nul)
{
	/* k + 1 of the names of each length, 0 ending the list */
#define L(k) ((uint8_t)((k) + 1))
	static const uint8_t by_len[20][3] = {
		[4] = { L(HV_HOST) },
		[6] = { L(HV_ACCEPT), L(HV_COOKIE), L(HV_SERVER) },
		[7] = { L(HV_REFERER) },
		[8] = { L(HV_LOCATION) },
		[10] = { L(HV_USER_AGENT), L(HV_CONNECTION), L(HV_SET_COOKIE) },
		[12] = { L(HV_CONTENT_TYPE) },
		[13] = { L(HV_CONTENT_RANGE) },
		[14] = { L(HV_CONTENT_LEN) },
		[15] = { L(HV_ACCEPT_LANG), L(HV_ACCEPT_ENC), L(HV_XFF) },
		[16] = { L(HV_CONTENT_ENC) },
		[19] = { L(HV_CONTENT_DISP) },
	};
#undef L
	const size_t len = bstr_len(n);

	if (nul) {
		for (int k = 0; k < HV_MAX; k++)
			if (hv_is(n, true, k))
				return k;
		return HV_MAX;
	}
	if (len >= sizeof(by_len) / sizeof(by_len[0]))
		return HV_MAX;
	for (int i = 0; i < 3 && by_len[len][i] != 0; i++)
		if (hv_is(n, false, by_len[len][i] - 1))
			return by_len[len][i] - 1;
	return HV_MAX;
}

/* The side's headers walked, in order. */
static htp_header_t *const *side_headers(const struct http_side *sd)
{
	return (htp_header_t *const *)(const void *)sd->hdr.p;
}

/* The lengths of the values of the headers walked, summed. */
static uint64_t values_len(const struct http_side *sd)
{
	htp_header_t *const *h = side_headers(sd);
	uint64_t sum = 0;

	for (size_t i = 0; i < sd->nhdr; i++)
		sum += bstr_len(h[i]->value);
	return sum;
}

/* side_of past its quick return: the side checked at parse_gen gen (struct
 * http_side says what is found and made again, and when). The named
 * headers are the first of each name, as htp_table_get_c finds them.
 * Out of memory for the list, the side holds the headers it could walk
 * (the others are walked at the next check). */
static struct http_side *side_check(struct http_txd *t, uint32_t idx, uint64_t gen)
{
	struct http_side *sd = &t->side[idx];
	htp_table_t *hdrs = idx ? t->tx->response_headers : t->tx->request_headers;
	const int progress = idx ? (int)t->tx->response_progress : (int)t->tx->request_progress;
	const int cont = idx ? t->tx->seen_100continue : 0;
	const size_t n = hdrs ? htp_table_size(hdrs) : 0;

	sd->gen = gen;
	if (sd->progress != progress) {
		sd->progress = progress;
		sd->made &= (uint8_t)~(1u << HM_URI | 1u << HM_HOST);
	}
	/* the count and cont first: a 100 Continue's headers are freed */
	if (sd->cont != cont || n < sd->nhdr || values_len(sd) != sd->vlen) {
		sd->cont = cont;
		sd->nhdr = 0;
		sd->hdr.len = 0;
		sd->vlen = 0;
		sd->made &= (uint8_t)~((1u << HM_URI) - 1);
		memset(sd->hv, 0, sizeof(sd->hv));
	}
	for (size_t i = sd->nhdr; i < n; i++) {
		htp_header_t *h = htp_table_get_index(hdrs, i, NULL);
		int k = hv_find(h->name, memchr(bstr_ptr(h->name), 0, bstr_len(h->name)) != NULL);

		if (abuf_append(&sd->hdr, &h, sizeof(h)))
			break;
		sd->nhdr = i + 1;
		sd->vlen += bstr_len(h->value);
		if (k < HV_MAX && sd->hv[k] == NULL)
			sd->hv[k] = h;
	}
	return sd;
}

/* Side idx of the transaction, its named headers found and its made
 * buffers valid or marked to be made again. Looked at only when libhtp
 * parsed since the last look (detection asks for the side's buffers
 * dozens of times per update). */
static inline struct http_side *side_of(struct http_txd *t, uint32_t idx)
{
	struct http_side *sd = &t->side[idx];
	const uint64_t gen = *t->parse_gen;

	if (sd->gen == gen && !(gen & 1))
		return sd;
	return side_check(t, idx, gen);
}

const bstr *http_header_value(struct http_txd *t, int dir, enum http_hv k)
{
	htp_header_t *h = side_of(t, (uint32_t)dir)->hv[k];

	return h ? h->value : NULL;
}

static int header(struct http_txd *t, uint32_t idx, enum http_hv k, const uint8_t **data,
		  uint32_t *len)
{
	htp_header_t *h = side_of(t, idx)->hv[k];

	return h ? give(h->value, data, len) : -ENOENT;
}

/* http.host: lower case, as Suricata's. */
static int build_host(struct abuf *s, const htp_tx_t *tx)
{
	if (tx->request_hostname == NULL)
		return -ENOENT;
	s->len = 0;
	if (sbuf_bstr(s, tx->request_hostname))
		return -ENOMEM;
	for (uint32_t i = 0; i < s->len; i++)
		s->p[i] = (uint8_t)tolower(s->p[i]);
	return 0;
}

/* Made buffer m of side idx into sd->buf[m]: from the start, or, for a
 * header buffer holding some of the headers, extended by the others. */
static int make(struct applayer_ctx *ctx, const htp_tx_t *tx, uint32_t idx, enum http_made m,
		struct http_side *sd)
{
	htp_table_t *hdrs = idx ? tx->response_headers : tx->request_headers;
	const bstr *line = idx ? tx->response_line : tx->request_line;
	struct abuf *b = &sd->buf[m];
	size_t from;

	if (m == HM_URI)
		return build_uri(ctx, b, tx);
	if (m == HM_HOST)
		return build_host(b, tx);
	if (hdrs == NULL)
		return -ENOENT;
	from = (sd->made & (1u << m)) && b->len ? sd->upto[m] : 0;
	sd->upto[m] = sd->nhdr;
	if (m == HM_START && from == 0 && line != NULL)
		sd->start_line = (uint32_t)bstr_len(line) + 2;
	return build_headers(b, side_headers(sd), from, sd->nhdr, line,
			     m == HM_NAMES ? 'n' : m == HM_START ? 's' : 'h',
			     m != HM_NOCOOKIE ? NULL : idx ? "set-cookie" : "cookie");
}

/* Made buffer m of side idx: made on the first ask, kept while the side
 * holds; a header buffer extended when headers were added. */
static int made(struct applayer_ctx *ctx, struct http_txd *t, uint32_t idx, enum http_made m,
		const uint8_t **data, uint32_t *len)
{
	struct http_side *sd = side_of(t, idx);

	if (!(sd->made & (1u << m)) || (m < HM_URI && sd->upto[m] != sd->nhdr)) {
		int rc = make(ctx, t->tx, idx, m, sd);

		if (rc == -ENOMEM) {
			sd->made &= (uint8_t)~(1u << m);
			return rc;
		}
		if (rc != 0)
			sd->buf[m].len = 0;
		sd->made |= (uint8_t)(1u << m);
	}
	return give_abuf(&sd->buf[m], data, len);
}

/* Every header's line of side idx ("Name: Value\r\n" each): http.start
 * holds them after the start line (start_line bytes) and before the
 * closing empty line, so with a start line it is that part of the made
 * http.start, not a second copy (each was built once per side and
 * transaction: 10,000 builds on http5k). */
static int header_block(struct applayer_ctx *ctx, struct http_txd *t, uint32_t idx,
			const uint8_t **data, uint32_t *len)
{
	const bstr *line = idx ? t->tx->response_line : t->tx->request_line;

	if (line != NULL && made(ctx, t, idx, HM_START, data, len) == 0) {
		const uint32_t skip = t->side[idx].start_line;

		if (*len <= skip + 2)
			return -ENOENT;
		*data += skip;
		*len -= skip + 2;
		return 0;
	}
	return made(ctx, t, idx, HM_HEADER, data, len);
}

/* http.header of side idx: every header's line but a cookie header's
 * (Suricata's detect-http-header.c). A side with no cookie header, the
 * usual case, gives the lines of all (header_block). A header found as a
 * cookie header with NUL bytes skipped, though not named one exactly, is
 * kept: the separate build leaves out only exact names. */
static int header_rule_buffer(struct applayer_ctx *ctx, struct http_txd *t, uint32_t idx,
			      const uint8_t **data, uint32_t *len)
{
	if (side_of(t, idx)->hv[idx ? HV_SET_COOKIE : HV_COOKIE] == NULL)
		return header_block(ctx, t, idx, data, len);
	return made(ctx, t, idx, HM_NOCOOKIE, data, len);
}

/* http.request_header / http.response_header (Suricata 7, HTTP/1 as
 * HTTP/2): header k of side idx as "Name: Value", a line of the side's made
 * http.header buffer (the lines before it are walked: headers are few). */
static int header_line(struct applayer_ctx *ctx, struct http_txd *t, uint32_t idx, uint32_t k,
		       const uint8_t **data, uint32_t *len)
{
	const struct http_side *sd = side_of(t, idx);
	htp_header_t *const *h;
	const uint8_t *p;
	uint32_t l, off = 0;
	int rc;

	if (k >= sd->nhdr)
		return sd->nhdr ? -ERANGE : -ENOENT;
	rc = header_block(ctx, t, idx, &p, &l);
	if (rc)
		return rc;
	h = side_headers(sd);
	for (uint32_t i = 0; i <= k; i++) {
		uint32_t line = (uint32_t)(bstr_len(h[i]->name) + 2 + bstr_len(h[i]->value));

		if (off + line > l)
			return -ENOENT;
		if (i == k) {
			*data = p + off;
			*len = line;
		}
		off += line + 2;
	}
	return 0;
}

int app_http_buffer(struct applayer_ctx *ctx, struct app_tx *atx, enum rule_buffer b,
		    uint32_t idx, const uint8_t **data, uint32_t *len)
{
	struct http_txd *t = (struct http_txd *)atx;
	htp_tx_t *tx = t->tx;
	const bool both = b >= RULE_BUF_HTTP_HEADER && b <= RULE_BUF_HTTP_PROTOCOL;
	const bool listed = b == RULE_BUF_HTTP_REQUEST_HEADER || b == RULE_BUF_HTTP_RESPONSE_HEADER;

	if (idx > (both ? 1u : 0u) && !listed)
		return -ERANGE;
	/* headers are inspected once they are all in */
	if (((both ? idx : b == RULE_BUF_HTTP_RESPONSE_HEADER) ?
	     tx->response_progress < HTP_RESPONSE_HEADERS :
	     tx->request_progress < HTP_REQUEST_HEADERS) &&
	    b != RULE_BUF_HTTP_URI && b != RULE_BUF_HTTP_URI_RAW && b != RULE_BUF_HTTP_METHOD &&
	    b != RULE_BUF_HTTP_REQUEST_LINE && b != RULE_BUF_HTTP_STAT_CODE &&
	    b != RULE_BUF_HTTP_STAT_MSG && b != RULE_BUF_HTTP_RESPONSE_LINE &&
	    b != RULE_BUF_HTTP_PROTOCOL && b != RULE_BUF_HTTP_REQUEST_BODY &&
	    b != RULE_BUF_HTTP_RESPONSE_BODY)
		return -ENOENT;
	switch (b) {
	case RULE_BUF_HTTP_URI:
		return made(ctx, t, 0, HM_URI, data, len);
	case RULE_BUF_HTTP_URI_RAW:
		return give(tx->request_uri, data, len);
	case RULE_BUF_HTTP_METHOD:
		return give(tx->request_method, data, len);
	case RULE_BUF_HTTP_REQUEST_LINE:
		return give(tx->request_line, data, len);
	case RULE_BUF_HTTP_HOST:
		return made(ctx, t, 0, HM_HOST, data, len);
	case RULE_BUF_HTTP_HOST_RAW:
		return header(t, idx, HV_HOST, data, len);
	case RULE_BUF_HTTP_USER_AGENT:
		return header(t, idx, HV_USER_AGENT, data, len);
	case RULE_BUF_HTTP_REFERER:
		return header(t, idx, HV_REFERER, data, len);
	case RULE_BUF_HTTP_ACCEPT:
		return header(t, idx, HV_ACCEPT, data, len);
	case RULE_BUF_HTTP_ACCEPT_LANG:
		return header(t, idx, HV_ACCEPT_LANG, data, len);
	case RULE_BUF_HTTP_ACCEPT_ENC:
		return header(t, idx, HV_ACCEPT_ENC, data, len);
	case RULE_BUF_HTTP_CONNECTION:
		return header(t, idx, HV_CONNECTION, data, len);
	case RULE_BUF_HTTP_REQUEST_BODY:
		return give_body(t, 0, data, len);
	case RULE_BUF_HTTP_STAT_CODE:
		return give(tx->response_status, data, len);
	case RULE_BUF_HTTP_STAT_MSG:
		return give(tx->response_message, data, len);
	case RULE_BUF_HTTP_RESPONSE_LINE:
		return give(tx->response_line, data, len);
	case RULE_BUF_HTTP_RESPONSE_BODY:
		return give_body(t, 1, data, len);
	case RULE_BUF_HTTP_LOCATION:
		return header(t, 1, HV_LOCATION, data, len);
	case RULE_BUF_HTTP_REQUEST_HEADER:
		return header_line(ctx, t, 0, idx, data, len);
	case RULE_BUF_HTTP_RESPONSE_HEADER:
		return header_line(ctx, t, 1, idx, data, len);
	case RULE_BUF_HTTP_SERVER:
		return header(t, 1, HV_SERVER, data, len);
	case RULE_BUF_HTTP_HEADER:
		return header_rule_buffer(ctx, t, idx, data, len);
	case RULE_BUF_HTTP_HEADER_NAMES:
		return made(ctx, t, idx, HM_NAMES, data, len);
	case RULE_BUF_HTTP_START:
		return made(ctx, t, idx, HM_START, data, len);
	case RULE_BUF_HTTP_HEADER_RAW:
		return give_abuf(&t->hdr_raw[idx], data, len);
	case RULE_BUF_HTTP_COOKIE:
		return header(t, idx, idx ? HV_SET_COOKIE : HV_COOKIE, data, len);
	case RULE_BUF_HTTP_CONTENT_TYPE:
		return header(t, idx, HV_CONTENT_TYPE, data, len);
	case RULE_BUF_HTTP_CONTENT_LEN:
		return header(t, idx, HV_CONTENT_LEN, data, len);
	case RULE_BUF_HTTP_PROTOCOL:
		return give(idx ? tx->response_protocol : tx->request_protocol, data, len);
	default:
		return -ENOENT;
	}
}

/* The side of the transaction that carries b (instance idx): request 0,
 * response 1. */
static int buffer_side(enum rule_buffer b, uint32_t idx)
{
	if (b >= RULE_BUF_HTTP_HEADER && b <= RULE_BUF_HTTP_PROTOCOL)
		return idx ? 1 : 0;
	return b >= RULE_BUF_HTTP_STAT_CODE && b <= RULE_BUF_HTTP_SERVER;
}

bool app_http_buffer_final(const struct app_flow *af, struct app_tx *atx, enum rule_buffer b,
			   uint32_t idx)
{
	const htp_tx_t *tx = ((struct http_txd *)atx)->tx;
	/* file buffers: idx is (file << 1 | side); a side's files are all
	 * known once its body is complete */
	const bool file = b >= RULE_BUF_FILE_FIRST && b <= RULE_BUF_FILE_LAST;
	int side = file ? (int)(idx & 1u) : buffer_side(b, idx);

	if (af->eof[side])
		return true;
	if (file)
		return side ? tx->response_progress > HTP_RESPONSE_BODY
			    : tx->request_progress > HTP_REQUEST_BODY;
	/* bodies: once complete; the rest: once the headers are all in (the
	 * start line and every header are known by then) */
	if (b == RULE_BUF_HTTP_REQUEST_BODY)
		return tx->request_progress > HTP_REQUEST_BODY;
	if (b == RULE_BUF_HTTP_RESPONSE_BODY)
		return tx->response_progress > HTP_RESPONSE_BODY;
	return side ? tx->response_progress >= HTP_RESPONSE_BODY
		    : tx->request_progress >= HTP_REQUEST_BODY;
}

/* Before it, no field of the side is set, its headers and body are empty
 * and app_http_buffer_final is false for each of its buffers but at eof. */
bool app_http_side_unstarted(const struct app_tx *atx, enum app_dir dir)
{
	const htp_tx_t *tx = ((const struct http_txd *)atx)->tx;

	return dir == APP_TO_CLIENT ? tx->response_progress == HTP_RESPONSE_NOT_STARTED
				    : tx->request_progress == HTP_REQUEST_NOT_STARTED;
}

int app_http_urilen(struct applayer_ctx *ctx, struct app_tx *atx, bool raw, uint32_t *out)
{
	struct http_txd *t = (struct http_txd *)atx;
	const uint8_t *uri;

	if (raw) {
		if (t->tx->request_uri == NULL)
			return -ENOENT;
		*out = (uint32_t)bstr_len(t->tx->request_uri);
		return 0;
	}
	/* the length of the http.uri buffer, as configured */
	return made(ctx, t, 0, HM_URI, &uri, out);
}

static const char *range_cstr(struct http_txd *t)
{
	const bstr *b = http_header_value(t, 1, HV_CONTENT_RANGE);

	if (t->range == NULL && b != NULL)
		t->range = bstr_util_strdup_to_c(b);
	return t->range;
}

/* Suricata's Content-Range parse (http2_parse_content_range): past the
 * unit, START-END/SIZE, START-END/(star) or (star)/SIZE; -1 for what is
 * absent. False when it is none of these. */
static bool parse_range(const char *v, int64_t *start, int64_t *end, int64_t *size)
{
	char *e;

	*start = *end = *size = -1;
	v += strspn(v, " ");
	v += strcspn(v, " ");
	v += strspn(v, " ");
	if (v[0] == '*' && v[1] == '/') {
		*size = strtoll(v + 2, &e, 10);
		return e != v + 2;
	}
	if (!isdigit((unsigned char)*v))
		return false;
	*start = strtoll(v, &e, 10);
	if (*e != '-' || !isdigit((unsigned char)e[1]))
		return false;
	*end = strtoll(e + 1, &e, 10);
	if (*e != '/')
		return false;
	if (e[1] == '*')
		return true;
	*size = strtoll(e + 1, &e, 10);
	return true;
}

/* Side dir's headers, in order, as pointers into libhtp's table (at most
 * APP_HTTP_HDRS_MAX), built again each time: the table may have grown. */
static void list_headers(struct http_txd *t, int dir, struct app_http_info *out)
{
	htp_table_t *h = dir ? t->tx->response_headers : t->tx->request_headers;
	size_t n = h ? htp_table_size(h) : 0;

	free(t->hdrs[dir]);
	t->hdrs[dir] = NULL;
	if (n > APP_HTTP_HDRS_MAX)
		n = APP_HTTP_HDRS_MAX;
	if (n == 0 || (t->hdrs[dir] = calloc(n, sizeof(*t->hdrs[dir]))) == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		htp_header_t *x = htp_table_get_index(h, i, NULL);

		t->hdrs[dir][i] = (struct app_http_hdr){
			.name = (const char *)bstr_ptr(x->name), .nlen = (uint32_t)bstr_len(x->name),
			.value = (const char *)bstr_ptr(x->value),
			.vlen = (uint32_t)bstr_len(x->value),
		};
	}
	out->hdrs[dir] = t->hdrs[dir];
	out->nhdrs[dir] = (uint32_t)n;
}

/* strtoul's reading of the status code as sent (leading spaces, then
 * digits; 0 when none), as Suricata's EVE status. */
static int status_number(const bstr *b)
{
	const uint8_t *p = bstr_ptr(b);
	size_t n = bstr_len(b), i = 0;
	unsigned long v = 0;

	while (i < n && isspace(p[i]))
		i++;
	for (; i < n && isdigit(p[i]) && v < 100000000ul; i++)
		v = v * 10 + (unsigned long)(p[i] - '0');
	return (int)v;
}

static const bstr *hdr_value(htp_table_t *t, const char *name)
{
	htp_header_t *h = t ? htp_table_get_c(t, name) : NULL;

	return h ? h->value : NULL;
}

bool http_file_range(struct http_txd *t, uint64_t *start, uint64_t *end)
{
	const char *v = range_cstr(t);
	int64_t s, e, size;

	if (v == NULL || !parse_range(v, &s, &e, &size) || s < 0 || s > e || size < 0 ||
	    e > size - 1)
		return false;
	*start = (uint64_t)s;
	*end = (uint64_t)e;
	return true;
}

bool http_range_invalid(struct http_txd *t)
{
	const char *v = range_cstr(t);
	int64_t s, e, size;

	if (v == NULL)
		return false;
	if (!parse_range(v, &s, &e, &size))
		return true;
	if (e <= 0 || size <= 0 || (s == 0 && e == size - 1))
		return false;
	return s > e || e > size - 1;
}

/* One EVE string: where it comes from and where it goes. */
struct info_str {
	const bstr *from;
	const char **to;
	bool media;              /* a media type: cut at its parameters */
};

/* bstr_util_strdup_to_c's copy of b at d (a NUL byte as the two
 * characters \0, then a terminating NUL); returns the bytes written. The
 * bytes before the first NUL (all of them, but in odd requests) are one
 * memcpy: a byte loop cost ~155 instructions a string, 5.8 M on http5k. */
static size_t c_copy(char *d, const bstr *b)
{
	const uint8_t *p = bstr_ptr(b);
	size_t n = bstr_len(b), w;
	const uint8_t *nul = n ? memchr(p, '\0', n) : NULL;

	w = nul ? (size_t)(nul - p) : n;
	if (w)
		memcpy(d, p, w);
	for (size_t i = w; i < n; i++) {
		if (p[i] == '\0') {
			d[w++] = '\\';
			d[w++] = '0';
		} else {
			d[w++] = (char)p[i];
		}
	}
	d[w++] = '\0';
	return w;
}

/* At least what c_copy writes. */
static size_t c_size(const bstr *b)
{
	size_t n = bstr_len(b);

	return n + (memchr(bstr_ptr(b), '\0', n) ? n : 0) + 1;
}

/* The strings of s as C strings in the context's one buffer (the last
 * call's are gone); every one NULL when it has no room (counted). */
static void info_strings(struct applayer_ctx *ctx, const struct info_str *s, size_t n)
{
	struct abuf *b = &ctx->info_str;
	size_t need = 0;
	char *d;

	for (size_t i = 0; i < n; i++)
		if (s[i].from != NULL)
			need += c_size(s[i].from);
	b->len = 0;
	if (need > UINT32_MAX || abuf_reserve(b, (uint32_t)need) != 0) {
		ctx->stats.nomem++;
		return;
	}
	d = (char *)b->p;
	for (size_t i = 0; i < n; i++)
		if (s[i].from != NULL) {
			size_t w = c_copy(d, s[i].from);

			if (s[i].media)
				d[strcspn(d, ";")] = '\0';
			*s[i].to = d;
			d += w;
		}
}

int app_http_info(struct applayer_ctx *ctx, struct app_tx *atx, const char *xff_header,
		  struct app_http_info *out)
{
	struct http_txd *t = (struct http_txd *)atx;
	htp_tx_t *tx = t->tx;
	const bstr *xff = NULL;
	const char *range;

	*out = (struct app_http_info){ .status = -1, .length = -1, .port = -1,
				       .range_start = -1, .range_end = -1, .range_size = -1 };
	if (xff_header != NULL && tx->request_headers != NULL)
		xff = strcasecmp(xff_header, "x-forwarded-for") == 0 ?
			      http_header_value(t, 0, HV_XFF) :
			      hdr_value(tx->request_headers, xff_header);
	/* Location only with a status line, as Suricata gives it */
	const struct info_str s[] = {
		{ tx->request_hostname, &out->hostname, false },
		{ tx->request_uri, &out->url, false },
		{ http_header_value(t, 0, HV_USER_AGENT), &out->user_agent, false },
		{ tx->request_method, &out->method, false },
		{ http_header_value(t, 0, HV_REFERER), &out->referer, false },
		/* parameters cut off, as Suricata */
		{ http_header_value(t, 1, HV_CONTENT_TYPE), &out->content_type, true },
		{ xff, &out->xff, false },
		{ http_header_value(t, 0, HV_XFF), &out->x_forwarded_for, false },
		/* as sent, as Suricata's "protocol" */
		{ tx->request_protocol, &out->protocol, false },
		{ tx->response_status != NULL ? http_header_value(t, 1, HV_LOCATION) : NULL,
		  &out->redirect, false },
	};

	info_strings(ctx, s, sizeof(s) / sizeof(s[0]));
	range = range_cstr(t);
	out->content_range = range;
	if (range != NULL)
		parse_range(range, &out->range_start, &out->range_end, &out->range_size);
	if (tx->request_port_number >= 0)
		out->port = tx->request_port_number;
	/* Suricata reads the status line's code as a number (0 when it is
	 * none) */
	if (tx->response_status != NULL)
		out->status = status_number(tx->response_status);
	/* Suricata logs the response length even before there is a response */
	out->length = (int64_t)tx->response_message_len;
	if (ctx->cfg.http_headers)
		for (int dir = 0; dir < 2; dir++)
			list_headers(t, dir, out);
	for (int dir = 0; dir < 2; dir++) {
		out->body[dir] = t->body[dir].p;
		out->body_len[dir] = t->body[dir].len;
	}
	return 0;
}
