// SPDX-License-Identifier: MIT
/* HTTP events (app-layer-event:http.*), raised as Suricata raises them with
 * libhtp 0.5: libhtp's log messages after each parse call, mapped by their
 * text (errors first, then warnings; any other message is unknown_error),
 * and the request's parse flags once its headers are complete. Messages
 * past HTTP_MAX_MESSAGES in a connection give too_many_warnings once and
 * are ignored, so a hostile peer cannot make this loop unbounded. */
#include <string.h>

#include <htp/htp.h>

#include "../../common/events-t.h"
#include "app_http-int.h"

#define HTTP_MAX_MESSAGES 512u

struct msg_event {
	const char *prefix;
	enum http_event ev;
};

/* libhtp's error messages (the prefix identifies them). */
static const struct msg_event errors[] = {
	{ "GZip decompressor: inflateInit2 failed", HTTP_EV_GZIP_DECOMPRESSION_FAILED },
	{ "Request field invalid: colon missing", HTTP_EV_REQUEST_FIELD_MISSING_COLON },
	{ "Response field invalid: missing colon", HTTP_EV_RESPONSE_FIELD_MISSING_COLON },
	{ "Request chunk encoding: Invalid chunk length", HTTP_EV_INVALID_REQUEST_CHUNK_LEN },
	{ "Response chunk encoding: Invalid chunk length", HTTP_EV_INVALID_RESPONSE_CHUNK_LEN },
	{ "Invalid C-L field in response", HTTP_EV_INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE },
	{ "Already seen 100-Continue", HTTP_EV_100_CONTINUE_ALREADY_SEEN },
	{ "Unable to match response to request", HTTP_EV_UNABLE_TO_MATCH_RESPONSE_TO_REQUEST },
	{ "Invalid server port information in request", HTTP_EV_INVALID_SERVER_PORT_IN_REQUEST },
	{ "Request buffer over", HTTP_EV_REQUEST_FIELD_TOO_LONG },
	{ "Response buffer over", HTTP_EV_RESPONSE_FIELD_TOO_LONG },
	{ "C-T multipart/byteranges in responses not supported",
	  HTTP_EV_RESPONSE_MULTIPART_BYTERANGES },
	{ "Compression bomb:", HTTP_EV_COMPRESSION_BOMB },
};

/* ... and its warnings. */
static const struct msg_event warnings[] = {
	{ "GZip decompressor:", HTTP_EV_GZIP_DECOMPRESSION_FAILED },
	{ "Request field invalid", HTTP_EV_REQUEST_HEADER_INVALID },
	{ "Response field invalid", HTTP_EV_RESPONSE_HEADER_INVALID },
	{ "Request header name is not a token", HTTP_EV_REQUEST_HEADER_INVALID },
	{ "Response header name is not a token", HTTP_EV_RESPONSE_HEADER_INVALID },
	{ "Invalid request field folding", HTTP_EV_INVALID_REQUEST_FIELD_FOLDING },
	{ "Invalid response field folding", HTTP_EV_INVALID_RESPONSE_FIELD_FOLDING },
	{ "Request server port=", HTTP_EV_REQUEST_SERVER_PORT_TCP_PORT_MISMATCH },
	{ "Request line: URI contains non-compliant delimiter", HTTP_EV_URI_DELIM_NON_COMPLIANT },
	{ "Request line: non-compliant delimiter between Method and URI",
	  HTTP_EV_METHOD_DELIM_NON_COMPLIANT },
	{ "Request line: leading whitespace", HTTP_EV_REQUEST_LINE_LEADING_WHITESPACE },
	{ "Too many response content encoding layers", HTTP_EV_TOO_MANY_ENCODING_LAYERS },
	{ "C-E gzip has abnormal value", HTTP_EV_ABNORMAL_CE_HEADER },
	{ "C-E deflate has abnormal value", HTTP_EV_ABNORMAL_CE_HEADER },
	{ "C-E unknown setting", HTTP_EV_ABNORMAL_CE_HEADER },
	{ "Excessive request header repetitions", HTTP_EV_REQUEST_HEADER_REPETITION },
	{ "Excessive response header repetitions", HTTP_EV_RESPONSE_HEADER_REPETITION },
	{ "Transfer-encoding has abnormal chunked value",
	  HTTP_EV_RESPONSE_ABNORMAL_TRANSFER_ENCODING },
	{ "Chunked transfer-encoding on HTTP/0.9 or HTTP/1.0", HTTP_EV_RESPONSE_CHUNKED_OLD_PROTO },
	{ "Invalid response line: invalid protocol", HTTP_EV_RESPONSE_INVALID_PROTOCOL },
	{ "Invalid response line: invalid response status", HTTP_EV_RESPONSE_INVALID_STATUS },
	{ "Request line incomplete", HTTP_EV_REQUEST_LINE_INCOMPLETE },
	{ "Unexpected request body", HTTP_EV_REQUEST_BODY_UNEXPECTED },
	{ "LZMA decompressor: memory limit reached", HTTP_EV_LZMA_MEMLIMIT_REACHED },
	{ "Ambiguous request C-L value", HTTP_EV_DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST },
	{ "Ambiguous response C-L value", HTTP_EV_DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE },
};

static int lookup(const struct msg_event *t, size_t n, const char *msg)
{
	for (size_t i = 0; i < n; i++)
		if (strncmp(t[i].prefix, msg, strlen(t[i].prefix)) == 0)
			return (int)t[i].ev;
	return -1;
}

enum http_event http_event_of_message(const char *msg)
{
	int ev;

	if (msg == NULL)
		return HTTP_EV_UNKNOWN_ERROR;
	ev = lookup(errors, sizeof(errors) / sizeof(errors[0]), msg);
	if (ev < 0)
		ev = lookup(warnings, sizeof(warnings) / sizeof(warnings[0]), msg);
	return ev < 0 ? HTTP_EV_UNKNOWN_ERROR : (enum http_event)ev;
}

/* The transaction a message without one belongs to: the newest request's,
 * or the response being parsed (else the newest). */
static htp_tx_t *active_tx(struct http_state *hs, enum app_dir dir)
{
	htp_conn_t *conn = htp_connp_get_connection(hs->connp);
	size_t n = htp_list_size(conn->transactions);
	htp_tx_t *tx = dir == APP_TO_CLIENT ? htp_connp_get_out_tx(hs->connp) : NULL;

	if (tx == NULL && n > 0)
		tx = htp_list_get(conn->transactions, n - 1);
	return tx;
}

static void raise_event(struct http_state *hs, htp_tx_t *tx, enum http_event ev)
{
	struct http_txd *t = tx ? http_txd_get(hs, tx) : NULL;

	/* no transaction yet (allocation failed): lost, as in Suricata */
	if (t != NULL)
		app_tx_event(&t->base, ev);
}

void http_events_messages(struct http_state *hs, enum app_dir dir)
{
	htp_conn_t *conn = htp_connp_get_connection(hs->connp);
	size_t n = conn && conn->messages ? htp_list_size(conn->messages) : 0;

	if (hs->msg_seen >= HTTP_MAX_MESSAGES)
		return;
	if (n >= HTTP_MAX_MESSAGES) {
		raise_event(hs, active_tx(hs, dir), HTTP_EV_TOO_MANY_WARNINGS);
		hs->msg_seen = HTTP_MAX_MESSAGES;
		return;
	}
	for (; hs->msg_seen < n; hs->msg_seen++) {
		htp_log_t *log = htp_list_get(conn->messages, hs->msg_seen);

		if (log == NULL)
			continue;
		raise_event(hs, log->tx ? log->tx : active_tx(hs, dir), http_event_of_message(log->msg));
	}
}

/* The part decodes shorter once more (HTTPCallbackDoubleDecodeUriPart:
 * libhtp's URL decoding, HTP_DECODER_URLENCODED, for path and query). */
static bool decodes_shorter(struct http_state *hs, const bstr *b)
{
	uint64_t flags = 0;
	bstr *c;
	bool shorter;

	if (b == NULL || (c = bstr_dup(b)) == NULL)
		return false;
	shorter = htp_urldecode_inplace(hs->ctx->htp_cfg, HTP_DECODER_URLENCODED, c, &flags) ==
		  HTP_OK && bstr_len(c) < bstr_len(b);
	bstr_free(c);
	return shorter;
}

void http_events_request_line(struct http_state *hs, htp_tx_t *tx)
{
	const htp_uri_t *u = tx->parsed_uri;
	const struct applayer_config *cfg = &hs->ctx->cfg;

	if (u != NULL && ((cfg->double_decode_path && decodes_shorter(hs, u->path)) ||
			  (cfg->double_decode_query && decodes_shorter(hs, u->query))))
		raise_event(hs, tx, HTTP_EV_DOUBLE_ENCODED_URI);
}

void http_events_request(struct http_txd *t)
{
	static const struct {
		uint64_t flag;
		enum http_event ev;
	} flags[] = {
		{ HTP_REQUEST_INVALID_T_E, HTTP_EV_INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST },
		{ HTP_REQUEST_INVALID_C_L, HTTP_EV_INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST },
		{ HTP_HOST_MISSING, HTTP_EV_MISSING_HOST_HEADER },
		{ HTP_HOST_AMBIGUOUS, HTTP_EV_HOST_HEADER_AMBIGUOUS },
		{ HTP_HOSTU_INVALID, HTTP_EV_REQUEST_URI_HOST_INVALID },
		{ HTP_HOSTH_INVALID, HTTP_EV_REQUEST_HEADER_HOST_INVALID },
	};
	const htp_tx_t *tx = t->tx;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (tx->flags & flags[i].flag)
			app_tx_event(&t->base, flags[i].ev);
	if (tx->request_auth_type == HTP_AUTH_UNRECOGNIZED)
		app_tx_event(&t->base, HTTP_EV_REQUEST_AUTH_UNRECOGNIZED);
	/* an HTTP/0.9-looking line whose method libhtp does not know */
	if (tx->is_protocol_0_9 && tx->request_method_number == HTP_M_UNKNOWN &&
	    (tx->request_protocol_number == HTP_PROTOCOL_INVALID ||
	     tx->request_protocol_number == HTP_PROTOCOL_UNKNOWN))
		app_tx_event(&t->base, HTTP_EV_REQUEST_LINE_INVALID);
}
