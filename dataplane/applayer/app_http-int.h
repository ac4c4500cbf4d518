/* SPDX-License-Identifier: MIT */
/* Internals of the HTTP parser's files (app_http.c, app_http_events.c). */
#ifndef IDS_APP_HTTP_INT_H
#define IDS_APP_HTTP_INT_H

#include <stddef.h>

#include <htp/htp.h>

#include "../../common/events-t.h"
#include "applayer-int.h"

/* Headers rules name (http.user_agent, http.host.raw, ...), and those EVE,
 * files and request decompression read. */
enum http_hv {
	HV_HOST, HV_USER_AGENT, HV_REFERER, HV_ACCEPT, HV_ACCEPT_LANG, HV_ACCEPT_ENC,
	HV_CONNECTION, HV_COOKIE, HV_SET_COOKIE, HV_CONTENT_TYPE, HV_CONTENT_LEN,
	HV_LOCATION, HV_SERVER, HV_XFF, HV_CONTENT_RANGE, HV_CONTENT_DISP, HV_CONTENT_ENC,
	HV_MAX
};

/* Buffers made from one side's start line and headers: those below HM_URI
 * are made of the headers. HM_HEADER holds every header's line (what
 * http.request_header indexes); HM_NOCOOKIE is http.header when the side
 * has a cookie header, which Suricata leaves out of it (Cookie to the
 * server, Set-Cookie to the client: they have buffers of their own). */
enum http_made { HM_HEADER, HM_NOCOOKIE, HM_NAMES, HM_START, HM_URI, HM_HOST, HM_MAX };

/* What detection reads of one side (request, response), made on the first
 * ask rather than on every rule buffer of every update: the named headers
 * found in a walk, and each made buffer. Headers added since (the rest of
 * a header block, trailers) are walked on their own and appended to the
 * header buffers made (upto: the headers each holds). libhtp changes the
 * headers already seen in two ways, and then all is found and made again:
 * a repeated header is merged into the first of its name, which grows
 * that value (vlen: the seen values' lengths summed, no longer the same),
 * and a 100 Continue's headers are dropped for the final answer's (cont).
 * The uri and host are made again when the side's progress changed.
 * All this can change only while libhtp parses: once checked at an even
 * parse_gen of the connection, the side holds until the next parse. */
struct http_side {
	uint64_t gen;             /* parse_gen when last checked; odd: check again */
	int progress;             /* libhtp's, when checked; -1: not yet */
	int cont;                 /* libhtp's seen_100continue, when walked */
	size_t nhdr;              /* headers walked */
	struct abuf hdr;          /* their htp_header_t *, in order (libhtp's
				   * table costs a call per look) */
	uint64_t vlen;
	htp_header_t *hv[HV_MAX];
	uint8_t made;             /* bit per enum http_made */
	uint32_t start_line;      /* the start line's bytes in buf[HM_START],
				   * its CRLF included */
	size_t upto[HM_URI];
	struct abuf buf[HM_MAX];
};

#define HTTP_FILES_MAX 8u

struct http_txd {
	struct app_tx base;       /* first: app_tx * <-> http_txd * */
	htp_tx_t *tx;
	const uint64_t *parse_gen; /* its connection's (struct http_state) */
	struct abuf body[2];      /* request, response (decompressed) */
	uint32_t body_inspected[2]; /* of each, the bytes an inspection has seen */
	/* (added) each body's byte 0 is stream byte body_seq while
	 * body_in_stream: every byte so far came from the stream in order, as
	 * sent (no chunking, no content coding; app_tx_buffer_seq) */
	uint32_t body_seq[2];
	bool body_in_stream[2];
	struct abuf hdr_raw[2];   /* header bytes as sent */
	int last_req, last_res;   /* progress seen at the last update check */
	bool req_coding_seen;     /* the request's Content-Encoding was looked at */
	struct http_inflate *req_inflate; /* a gzip or deflate request body, else NULL */
	char *range;              /* the response's Content-Range as a C string, once read */
	struct app_http_hdr *hdrs[2]; /* (added) the headers list of each side, once asked */
	/* (added) files (app_http_file.c): the body of a side began (its file
	 * opened or not); each side's files (a multipart upload: one per part
	 * with a filename, HTTP_FILES_MAX at most); the upload's reader */
	bool file_seen[2];
	uint8_t nfiles[2];
	struct app_file *file[2][HTTP_FILES_MAX];
	struct http_mp *mp;
	struct http_side side[2]; /* request, response */
};

/* libhtp keeps every transaction of a connection in one list and leaves a
 * NULL slot for each one destroyed, so walking it costs the connection's
 * whole history. The transactions still held are kept apart, oldest first
 * (live): lookups are O(1) and updates walk only what is held, which
 * max-tx bounds. */
struct http_state {
	htp_connp_t *connp;
	struct applayer_ctx *ctx;
	struct app_flow *af;
	struct http_txd **live;   /* from the worker's pool, like the txds */
	uint32_t nlive, live_cap; /* live_cap: bytes */
	size_t seen;              /* libhtp list entries already given a txd */
	size_t msg_seen;          /* libhtp messages turned into events so far */
	/* raised before and after each call that lets libhtp parse (odd
	 * while it runs: its callbacks see the transactions change) */
	uint64_t parse_gen;
};

/* The value of the first header named k on side dir (0 request, 1
 * response), as libhtp's htp_table_get_c finds it; NULL when none. */
const bstr *http_header_value(struct http_txd *t, int dir, enum http_hv k);

/* The transaction's own data (libhtp's transactions get theirs as they
 * appear); NULL when out of memory (counted). */
struct http_txd *http_txd_get(struct http_state *hs, htp_tx_t *tx);

/* app_http_events.c: after a parse call in dir, the new libhtp messages as
 * events; once a request's headers are complete, its parse flags. */
void http_events_messages(struct http_state *hs, enum app_dir dir);
void http_events_request(struct http_txd *t);
/* At the request line, with double-decode-path/-query on (Suricata's
 * callbacks for them): a path or query encoded twice is double_encoded_uri. */
void http_events_request_line(struct http_state *hs, htp_tx_t *tx);
/* The event a libhtp message stands for (unknown_error when none). */
enum http_event http_event_of_message(const char *msg);

/* app_http_file.c (added): bodies as files for EVE fileinfo, and their
 * events (raised whether files are logged or not). Body bytes of
 * side dir (0 request, 1 response) as libhtp hands them over; the side's
 * body complete. */
void http_file_data(struct http_state *hs, struct http_txd *t, int dir, const uint8_t *d,
		    uint32_t len);
void http_file_end(struct http_state *hs, htp_tx_t *tx, int dir);
/* app_http.c (added): the response's Content-Range when Suricata's
 * HTPParseAndCheckContentRange takes it (START-END/SIZE with START <= END
 * < SIZE): the file is that part, *start and *end its first and last
 * byte offsets. False for none or an invalid one. */
bool http_file_range(struct http_txd *t, uint64_t *start, uint64_t *end);
/* Suricata's HTPParseAndCheckContentRange as it opens a response's file: a
 * Content-Range that does not parse, or whose range is not inside its
 * size (one of unknown end or size, or the whole file, is not a range:
 * not invalid either). */
bool http_range_invalid(struct http_txd *t);

#endif
