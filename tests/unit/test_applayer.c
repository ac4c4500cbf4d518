// SPDX-License-Identifier: MIT
/* App-layer parsers fed as the stream would feed them: protocol detection,
 * HTTP (libhtp) buffers and bodies, DNS over UDP and TCP with malformed
 * names, TLS ClientHello (SNI, JA3) split across segments. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/events-t.h"
#include "dataplane/applayer/app_http-int.h"
#include "dataplane/applayer/applayer.h"
#include "tests/unit/check.h"

static struct applayer_ctx *ctx;

static const char *buf_str(struct app_flow *af, struct app_tx *tx, enum rule_buffer b,
			   uint32_t idx)
{
	static char out[512];
	const uint8_t *d;
	uint32_t len;

	if (app_tx_buffer(ctx, af, tx, b, idx, &d, &len))
		return NULL;
	if (len >= sizeof(out))
		len = sizeof(out) - 1;
	memcpy(out, d, len);
	out[len] = '\0';
	return out;
}

static void feed(struct app_flow *af, enum app_dir dir, const char *s)
{
	CHECK_INT(0, app_flow_data(ctx, af, dir, (const uint8_t *)s, (uint32_t)strlen(s), 1000));
}

static void test_http(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 8080);
	struct app_tx *tx;
	struct app_http_info hi;
	uint32_t n;

	/* split inside the method: detection waits for enough bytes */
	feed(af, APP_TO_SERVER, "GE");
	CHECK_INT(APP_PROTO_UNKNOWN, app_flow_proto(af));
	feed(af, APP_TO_SERVER, "T /a/../b/%41x.php?q=1 HTTP/1.1\r\nHost: WWW.Example.com:8080\r\n"
	     "User-Agent: test-agent\r\nCookie: c=1\r\n\r\n");
	CHECK_INT(APP_PROTO_HTTP, app_flow_proto(af));
	CHECK_INT(1, app_flow_ntx(af));
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL);
	CHECK_INT(0, app_tx_id(tx));
	CHECK(app_tx_updated(tx));
	CHECK_STR("/b/Ax.php?q=1", buf_str(af, tx, RULE_BUF_HTTP_URI, 0));
	CHECK_STR("/a/../b/%41x.php?q=1", buf_str(af, tx, RULE_BUF_HTTP_URI_RAW, 0));
	CHECK_STR("GET", buf_str(af, tx, RULE_BUF_HTTP_METHOD, 0));
	CHECK_STR("www.example.com", buf_str(af, tx, RULE_BUF_HTTP_HOST, 0));
	CHECK_STR("WWW.Example.com:8080", buf_str(af, tx, RULE_BUF_HTTP_HOST_RAW, 0));
	CHECK_STR("test-agent", buf_str(af, tx, RULE_BUF_HTTP_USER_AGENT, 0));
	CHECK_STR("c=1", buf_str(af, tx, RULE_BUF_HTTP_COOKIE, 0));
	CHECK_STR("HTTP/1.1", buf_str(af, tx, RULE_BUF_HTTP_PROTOCOL, 0));
	CHECK_STR("\r\nHost\r\nUser-Agent\r\nCookie\r\n\r\n",
		  buf_str(af, tx, RULE_BUF_HTTP_HEADER_NAMES, 0));
	/* without the Cookie header, as Suricata's http.header */
	CHECK_STR("Host: WWW.Example.com:8080\r\nUser-Agent: test-agent\r\n",
		  buf_str(af, tx, RULE_BUF_HTTP_HEADER, 0));
	CHECK(buf_str(af, tx, RULE_BUF_HTTP_STAT_CODE, 0) == NULL);
	CHECK(app_tx_urilen(af, tx, false, &n) == 0 && n == 13);
	CHECK(app_tx_urilen(af, tx, true, &n) == 0 && n == 20);
	CHECK(!app_tx_marked(tx, 7));
	CHECK_INT(0, app_tx_mark(tx, 7));
	CHECK(app_tx_marked(tx, 7));
	app_flow_inspected(ctx, af);
	CHECK(!app_tx_updated(app_flow_tx(af, 0)));

	/* chunked response body across two segments */
	feed(af, APP_TO_CLIENT, "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n"
	     "Set-Cookie: s=2\r\n\r\n5\r\nhel");
	tx = app_flow_tx(af, 0);
	CHECK(app_tx_updated(tx));
	CHECK_STR("404", buf_str(af, tx, RULE_BUF_HTTP_STAT_CODE, 0));
	CHECK_STR("Not Found", buf_str(af, tx, RULE_BUF_HTTP_STAT_MSG, 0));
	CHECK_STR("s=2", buf_str(af, tx, RULE_BUF_HTTP_COOKIE, 1));
	CHECK_INT(-ERANGE, app_tx_buffer(ctx, af, tx, RULE_BUF_HTTP_COOKIE, 2, NULL, NULL));
	feed(af, APP_TO_CLIENT, "lo\r\n0\r\n\r\n");
	CHECK_STR("hello", buf_str(af, tx, RULE_BUF_HTTP_RESPONSE_BODY, 0));
	CHECK_INT(0, app_tx_http_info(ctx, af, tx, NULL, &hi));
	CHECK(hi.xff == NULL);
	CHECK_STR("WWW.Example.com", hi.hostname);	/* EVE: as libhtp gives it */
	CHECK_STR("/a/../b/%41x.php?q=1", hi.url);
	CHECK_STR("GET", hi.method);
	CHECK_STR("HTTP/1.1", hi.protocol);
	CHECK_INT(404, hi.status);
	/* the xff header asked for by name, any case; absent: NULL */
	CHECK_INT(0, app_tx_http_info(ctx, af, tx, "User-Agent", &hi));
	CHECK_STR("test-agent", hi.xff);
	CHECK_INT(0, app_tx_http_info(ctx, af, tx, "X-Forwarded-For", &hi));
	CHECK(hi.xff == NULL);
	/* wrong protocol's buffer */
	CHECK_INT(-ENOENT, app_tx_buffer(ctx, af, tx, RULE_BUF_TLS_SNI, 0, NULL, NULL));
	/* complete and inspected: released */
	app_flow_inspected(ctx, af);
	CHECK_INT(0, app_flow_ntx(af));

	/* pipelined: two requests in one segment, POST body */
	feed(af, APP_TO_SERVER, "POST /p HTTP/1.1\r\nContent-Length: 4\r\n\r\nbodyGET /q HTTP/1.0\r\n\r\n");
	CHECK_INT(2, app_flow_ntx(af));
	CHECK_STR("body", buf_str(af, app_flow_tx(af, 0), RULE_BUF_HTTP_REQUEST_BODY, 0));
	CHECK_STR("/q", buf_str(af, app_flow_tx(af, 1), RULE_BUF_HTTP_URI, 0));
	CHECK_INT(2, app_tx_id(app_flow_tx(af, 1)));
	app_flow_free(ctx, af);
}

/* app_tx_dir_unstarted: the response side before its status line, and
 * only then; while it holds, every buffer of that side is absent and not
 * final (detection skips asking for each). A direction that ended is not
 * unstarted: its buffers are final. */
static void test_http_dir_unstarted(void)
{
	static const enum rule_buffer resp[] = {
		RULE_BUF_HTTP_STAT_CODE, RULE_BUF_HTTP_STAT_MSG, RULE_BUF_HTTP_RESPONSE_LINE,
		RULE_BUF_HTTP_RESPONSE_BODY, RULE_BUF_HTTP_LOCATION,
		RULE_BUF_HTTP_RESPONSE_HEADER, RULE_BUF_HTTP_SERVER,
	};
	struct app_flow *af = app_flow_new(ctx, 6, 40100, 80);
	struct app_tx *tx;
	const uint8_t *d;
	uint32_t len;

	feed(af, APP_TO_SERVER, "GET /u HTTP/1.1\r\nHost: h\r\n\r\n");
	tx = app_flow_tx(af, 0);
	CHECK(!app_tx_dir_unstarted(af, tx, APP_TO_SERVER));
	CHECK(app_tx_dir_unstarted(af, tx, APP_TO_CLIENT));
	for (size_t i = 0; i < sizeof(resp) / sizeof(resp[0]); i++) {
		CHECK(app_tx_buffer(ctx, af, tx, resp[i], 0, &d, &len) != 0);
		CHECK(!app_tx_buffer_final(af, tx, resp[i], 0));
	}
	/* the buffers of both sides, instance 1; the response's files */
	for (int b = RULE_BUF_HTTP_HEADER; b <= RULE_BUF_HTTP_PROTOCOL; b++) {
		CHECK(app_tx_buffer(ctx, af, tx, (enum rule_buffer)b, 1, &d, &len) != 0);
		CHECK(!app_tx_buffer_final(af, tx, (enum rule_buffer)b, 1));
	}
	CHECK(app_tx_buffer(ctx, af, tx, RULE_BUF_FILE_NAME, 1, &d, &len) != 0);
	CHECK(!app_tx_buffer_final(af, tx, RULE_BUF_FILE_NAME, 1));
	/* a status line begun: no longer */
	feed(af, APP_TO_CLIENT, "HTTP/1.1 2");
	CHECK(!app_tx_dir_unstarted(af, app_flow_tx(af, 0), APP_TO_CLIENT));
	app_flow_free(ctx, af);

	af = app_flow_new(ctx, 6, 40101, 80);
	feed(af, APP_TO_SERVER, "GET /u HTTP/1.1\r\nHost: h\r\n\r\n");
	app_flow_eof(ctx, af, APP_TO_CLIENT);
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL && !app_tx_dir_unstarted(af, tx, APP_TO_CLIENT));
	app_flow_free(ctx, af);
}

/* Named headers as libhtp's htp_table_get_c finds them (the first of a
 * name, any case), for rules and EVE alike from one walk of the table;
 * header buffers written in one pass. */
static void test_http_named_headers(void)
{
	static const char req[] = "GET /n HTTP/1.1\r\nHost: h\r\nuser-AGENT: an-agent\r\n"
				  "x-FORWARDED-for: 10.1.1.1\r\nX-E:\r\n\r\n";
	struct app_flow *af = app_flow_new(ctx, 6, 40002, 80);
	struct app_tx *tx;
	struct app_http_info hi;

	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, (const uint8_t *)req,
				   (uint32_t)sizeof(req) - 1, 1000));
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL);
	if (tx == NULL)
		goto out;
	CHECK_STR("an-agent", buf_str(af, tx, RULE_BUF_HTTP_USER_AGENT, 0));
	CHECK_STR("Host: h\r\nuser-AGENT: an-agent\r\nx-FORWARDED-for: 10.1.1.1\r\nX-E: \r\n",
		  buf_str(af, tx, RULE_BUF_HTTP_HEADER, 0));
	CHECK_STR("GET /n HTTP/1.1\r\nHost: h\r\nuser-AGENT: an-agent\r\n"
		  "x-FORWARDED-for: 10.1.1.1\r\nX-E: \r\n\r\n",
		  buf_str(af, tx, RULE_BUF_HTTP_START, 0));
	feed(af, APP_TO_CLIENT, "HTTP/1.1 302 Found\r\nContent-Type: text/html; charset=x\r\n"
	     "LOCATION: /there\r\nContent-Range: bytes 0-1/10\r\nContent-Length: 2\r\n\r\nok");
	CHECK_INT(0, app_tx_http_info(ctx, af, tx, "X-Forwarded-For", &hi));
	CHECK_STR("an-agent", hi.user_agent);
	CHECK_STR("10.1.1.1", hi.xff);
	CHECK_STR("10.1.1.1", hi.x_forwarded_for);
	CHECK(hi.referer == NULL);
	CHECK_STR("text/html", hi.content_type);
	CHECK_STR("/there", hi.redirect);
	CHECK_STR("bytes 0-1/10", hi.content_range);
	CHECK_INT(1, hi.range_end);
	CHECK_INT(10, hi.range_size);
	/* another name asked for: found by its own lookup */
	CHECK_INT(0, app_tx_http_info(ctx, af, tx, "x-e", &hi));
	CHECK_STR("", hi.xff);
	CHECK_STR("\r\nContent-Type\r\nLOCATION\r\nContent-Range\r\nContent-Length\r\n\r\n",
		  buf_str(af, tx, RULE_BUF_HTTP_HEADER_NAMES, 1));
	CHECK_STR("/there", buf_str(af, tx, RULE_BUF_HTTP_LOCATION, 0));
out:
	app_flow_free(ctx, af);
}

/* A side's named headers and made buffers are kept between parses and
 * looked at again after each one: headers that arrive in a later segment,
 * trailers that add one after the body, and a 100 Continue whose headers
 * (as many as the final answer's) give way to the final answer's. */
static void test_http_side_refresh(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40003, 80);
	struct app_tx *tx;

	feed(af, APP_TO_SERVER, "POST /u HTTP/1.1\r\nHost: one\r\n");
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL);
	if (tx == NULL)
		goto out;
	CHECK(buf_str(af, tx, RULE_BUF_HTTP_USER_AGENT, 0) == NULL);
	buf_str(af, tx, RULE_BUF_HTTP_HEADER_NAMES, 0);
	feed(af, APP_TO_SERVER, "User-Agent: later\r\nExpect: 100-continue\r\n"
	     "Transfer-Encoding: chunked\r\n\r\n");
	CHECK_STR("later", buf_str(af, tx, RULE_BUF_HTTP_USER_AGENT, 0));
	CHECK_STR("one", buf_str(af, tx, RULE_BUF_HTTP_HOST_RAW, 0));
	CHECK_STR("\r\nHost\r\nUser-Agent\r\nExpect\r\nTransfer-Encoding\r\n\r\n",
		  buf_str(af, tx, RULE_BUF_HTTP_HEADER_NAMES, 0));

	feed(af, APP_TO_CLIENT, "HTTP/1.1 100 Continue\r\nServer: interim\r\nX-A: 1\r\n\r\n");
	buf_str(af, tx, RULE_BUF_HTTP_SERVER, 0);
	buf_str(af, tx, RULE_BUF_HTTP_HEADER, 1);
	feed(af, APP_TO_SERVER, "3\r\nabc\r\n0\r\nCookie: t=1\r\n\r\n");
	CHECK_STR("t=1", buf_str(af, tx, RULE_BUF_HTTP_COOKIE, 0));
	CHECK_STR("\r\nHost\r\nUser-Agent\r\nExpect\r\nTransfer-Encoding\r\nCookie\r\n\r\n",
		  buf_str(af, tx, RULE_BUF_HTTP_HEADER_NAMES, 0));
	feed(af, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nServer: final\r\nContent-Length: 0\r\n\r\n");
	CHECK_STR("final", buf_str(af, tx, RULE_BUF_HTTP_SERVER, 0));
	CHECK_STR("Server: final\r\nContent-Length: 0\r\n", buf_str(af, tx, RULE_BUF_HTTP_HEADER, 1));
	CHECK_STR("0", buf_str(af, tx, RULE_BUF_HTTP_CONTENT_LEN, 1));
	/* asked again with nothing parsed in between: the same */
	CHECK_STR("final", buf_str(af, tx, RULE_BUF_HTTP_SERVER, 0));
out:
	app_flow_free(ctx, af);
}

/* http.header is the part of http.start between the start line and the
 * closing empty line: absent without headers (http.start is not), the
 * response's too, and http.response_header's lines are taken from it. */
static void test_http_header_in_start(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40012, 80);
	struct app_tx *tx;

	feed(af, APP_TO_SERVER, "GET /0 HTTP/1.0\r\n\r\n");
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL);
	if (tx == NULL)
		goto out;
	CHECK_STR("GET /0 HTTP/1.0\r\n\r\n", buf_str(af, tx, RULE_BUF_HTTP_START, 0));
	CHECK(buf_str(af, tx, RULE_BUF_HTTP_HEADER, 0) == NULL);
	CHECK(buf_str(af, tx, RULE_BUF_HTTP_REQUEST_HEADER, 0) == NULL);
	feed(af, APP_TO_CLIENT, "HTTP/1.0 200 Fine\r\nServer: s\r\nX-Y: z\r\n\r\n");
	CHECK_STR("Server: s\r\nX-Y: z\r\n", buf_str(af, tx, RULE_BUF_HTTP_HEADER, 1));
	CHECK_STR("X-Y: z", buf_str(af, tx, RULE_BUF_HTTP_RESPONSE_HEADER, 1));
	CHECK_STR("HTTP/1.0 200 Fine\r\nServer: s\r\nX-Y: z\r\n\r\n",
		  buf_str(af, tx, RULE_BUF_HTTP_START, 1));
out:
	app_flow_free(ctx, af);
}

/* http.header leaves out the side's cookie header, named exactly so in any
 * case (Cookie to the server, Set-Cookie to the client), as Suricata's;
 * http.start and the indexed header lines keep it; a header block that
 * grows after the first ask is extended without it too. */
static void test_http_header_no_cookie(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40014, 80);
	struct app_tx *tx;

	feed(af, APP_TO_SERVER, "GET /c HTTP/1.1\r\nHost: h\r\ncOOKIE: a=1\r\nCookie2: b\r\n");
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL);
	if (tx == NULL)
		goto out;
	CHECK_STR("Host: h\r\n", buf_str(af, tx, RULE_BUF_HTTP_HEADER, 0));
	feed(af, APP_TO_SERVER, "Set-Cookie: s\r\nX: 1\r\n\r\n");
	CHECK_STR("Host: h\r\nCookie2: b\r\nSet-Cookie: s\r\nX: 1\r\n",
		  buf_str(af, tx, RULE_BUF_HTTP_HEADER, 0));
	CHECK_STR("GET /c HTTP/1.1\r\nHost: h\r\ncOOKIE: a=1\r\nCookie2: b\r\n"
		  "Set-Cookie: s\r\nX: 1\r\n\r\n", buf_str(af, tx, RULE_BUF_HTTP_START, 0));
	CHECK_STR("cOOKIE: a=1", buf_str(af, tx, RULE_BUF_HTTP_REQUEST_HEADER, 1));
	CHECK_STR("Cookie2: b", buf_str(af, tx, RULE_BUF_HTTP_REQUEST_HEADER, 2));
	feed(af, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nCookie: c\r\nSet-Cookie: d\r\n\r\n");
	CHECK_STR("Cookie: c\r\n", buf_str(af, tx, RULE_BUF_HTTP_HEADER, 1));
	CHECK_STR("Set-Cookie: d", buf_str(af, tx, RULE_BUF_HTTP_RESPONSE_HEADER, 1));
out:
	app_flow_free(ctx, af);
}

/* A header block that arrives line by line, inspected after each parse
 * (libhtp takes a header line once the next one is in): the header
 * buffers are extended by the new headers, and made again when libhtp
 * merged a repeated header into the first of its name (that value
 * changes in place): alone, the header count unchanged, and together with
 * a new header, the count grown. */
static void test_http_side_incremental(void)
{
	static const char *const want[][3] = {
		{ "Host: h\r\nUser-Agent: 1\r\n", "\r\nHost\r\nUser-Agent\r\n\r\n", "1" },
		{ "Host: h\r\nUser-Agent: 1\r\nX-B: 2\r\n",
		  "\r\nHost\r\nUser-Agent\r\nX-B\r\n\r\n", "1" },
		{ "Host: h\r\nUser-Agent: 1\r\nX-B: 2\r\nX-C: 3\r\n",
		  "\r\nHost\r\nUser-Agent\r\nX-B\r\nX-C\r\n\r\n", "1" },
		{ "Host: h\r\nUser-Agent: 1, 4\r\nX-B: 2\r\nX-C: 3\r\n",
		  "\r\nHost\r\nUser-Agent\r\nX-B\r\nX-C\r\n\r\n", "1, 4" },
		{ "Host: h\r\nUser-Agent: 1, 4\r\nX-B: 2, 6\r\nX-C: 3\r\nX-D: 5\r\n",
		  "\r\nHost\r\nUser-Agent\r\nX-B\r\nX-C\r\nX-D\r\n\r\n", "1, 4" },
		{ "Host: h\r\nUser-Agent: 1, 4\r\nX-B: 2, 6\r\nX-C: 3\r\nX-D: 5\r\nX-E: 7\r\n",
		  "\r\nHost\r\nUser-Agent\r\nX-B\r\nX-C\r\nX-D\r\nX-E\r\n\r\n", "1, 4" },
	};
	static const char *const seg[] = {
		"GET /i HTTP/1.1\r\nHost: h\r\nUser-Agent: 1\r\nX-B: 2\r\n",
		"X-C: 3\r\n",
		"User-Agent: 4\r\n",
		"X-D: 5\r\n",		/* the merge alone */
		"X-B: 6\r\nX-E: 7\r\n",	/* X-D new, X-B merged */
		"\r\n",
	};
	struct app_flow *af = app_flow_new(ctx, 6, 40010, 80);
	char start[256];

	for (size_t i = 0; i < sizeof(seg) / sizeof(seg[0]); i++) {
		struct app_tx *tx;

		feed(af, APP_TO_SERVER, seg[i]);
		tx = app_flow_tx(af, 0);
		CHECK(tx != NULL);
		if (tx == NULL)
			break;
		CHECK_STR(want[i][0], buf_str(af, tx, RULE_BUF_HTTP_HEADER, 0));
		CHECK_STR(want[i][1], buf_str(af, tx, RULE_BUF_HTTP_HEADER_NAMES, 0));
		CHECK_STR(want[i][2], buf_str(af, tx, RULE_BUF_HTTP_USER_AGENT, 0));
		snprintf(start, sizeof(start), "GET /i HTTP/1.1\r\n%s\r\n", want[i][0]);
		CHECK_STR(start, buf_str(af, tx, RULE_BUF_HTTP_START, 0));
	}
	app_flow_free(ctx, af);
}

/* EVE's strings as libhtp's bstr_util_strdup_to_c made them (a NUL byte
 * as the two characters \0), the media type cut at its parameters; all of a
 * call's strings valid together, whatever the last call left in the
 * worker's buffer (a longer transaction before, a shorter one after). */
static void test_http_info_strings(void)
{
	static const char req1[] = "GET /long/path/first HTTP/1.1\r\nHost: first.example\r\n"
				   "User-Agent: a\0b\r\nReferer: http://r/\r\n\r\n";
	static const char res1[] = "HTTP/1.1 301 Moved\r\nContent-Type: text/plain;q=1\r\n"
				   "Location: /next\r\nContent-Length: 0\r\n\r\n";
	static const char req3[] = "GET /z HTTP/1.1\r\nHost: z\r\nUser-Agent: \0ab\0\0c\0\r\n"
				   "Referer: \0\r\n\r\n";
	struct app_flow *af = app_flow_new(ctx, 6, 40009, 80);
	struct app_http_info hi;
	struct app_tx *tx;

	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, (const uint8_t *)req1,
				   (uint32_t)sizeof(req1) - 1, 1000));
	feed(af, APP_TO_CLIENT, res1);
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL);
	if (tx == NULL)
		goto out;
	CHECK_INT(0, app_tx_http_info(ctx, af, tx, NULL, &hi));
	CHECK_STR("a\\0b", hi.user_agent);
	CHECK_STR("first.example", hi.hostname);
	CHECK_STR("/long/path/first", hi.url);
	CHECK_STR("GET", hi.method);
	CHECK_STR("http://r/", hi.referer);
	CHECK_STR("text/plain", hi.content_type);
	CHECK_STR("/next", hi.redirect);
	CHECK_STR("HTTP/1.1", hi.protocol);
	CHECK(hi.x_forwarded_for == NULL && hi.xff == NULL && hi.content_range == NULL);
	app_flow_inspected(ctx, af);
	CHECK_INT(0, app_flow_ntx(af));
	/* the next transaction's strings, shorter, from the same buffer */
	feed(af, APP_TO_SERVER, "HEAD /s HTTP/1.0\r\nHost: s\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n");
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL);
	if (tx == NULL)
		goto out;
	CHECK_INT(0, app_tx_http_info(ctx, af, tx, "X-Forwarded-For", &hi));
	CHECK_STR("s", hi.hostname);
	CHECK_STR("/s", hi.url);
	CHECK_STR("HEAD", hi.method);
	CHECK_STR("HTTP/1.0", hi.protocol);
	CHECK_STR("1.2.3.4", hi.xff);
	CHECK_STR("1.2.3.4", hi.x_forwarded_for);
	CHECK(hi.user_agent == NULL && hi.referer == NULL && hi.content_type == NULL &&
	      hi.redirect == NULL);
	/* NUL bytes first, last and side by side, on a flow of their own */
	app_flow_free(ctx, af);
	af = app_flow_new(ctx, 6, 40011, 80);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, (const uint8_t *)req3,
				   (uint32_t)sizeof(req3) - 1, 1000));
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL);
	if (tx == NULL)
		goto out;
	CHECK_INT(0, app_tx_http_info(ctx, af, tx, NULL, &hi));
	CHECK_STR("\\0ab\\0\\0c\\0", hi.user_agent);
	CHECK_STR("\\0", hi.referer);
	CHECK_STR("z", hi.hostname);
out:
	app_flow_free(ctx, af);
}

/* Every named header is found whatever its case, and only by its own name
 * (the same length and another name is not it). */
static void test_http_header_names_all(void)
{
	static const char *const names[HV_MAX] = {
		[HV_HOST] = "hOST", [HV_USER_AGENT] = "User-agent", [HV_REFERER] = "REFERER",
		[HV_ACCEPT] = "Accept", [HV_ACCEPT_LANG] = "Accept-Language",
		[HV_ACCEPT_ENC] = "accept-ENCODING", [HV_CONNECTION] = "Connection",
		[HV_COOKIE] = "Cookie", [HV_SET_COOKIE] = "Set-Cookie",
		[HV_CONTENT_TYPE] = "Content-Type", [HV_CONTENT_LEN] = "Content-Length",
		[HV_LOCATION] = "Location", [HV_SERVER] = "Server", [HV_XFF] = "X-Forwarded-For",
		[HV_CONTENT_RANGE] = "Content-Range", [HV_CONTENT_DISP] = "Content-Disposition",
		[HV_CONTENT_ENC] = "Content-Encoding",
	};
	/* decoys of the names' lengths first: none may be taken for a name */
	char req[2048] = "GET /a HTTP/1.1\r\nHosx: d\r\nAccepx: d\r\nCookix: d\r\n"
			 "Serveq: d\r\nUser-Agenx: d\r\nX-Forwarded-Fox: d\r\n"
			 "Accept-Languagx: d\r\n";
	struct app_flow *af = app_flow_new(ctx, 6, 40010, 80);
	struct app_tx *tx;

	for (int k = 0; k < HV_MAX; k++)
		snprintf(req + strlen(req), sizeof(req) - strlen(req), "%s: v%d\r\n", names[k], k);
	snprintf(req + strlen(req), sizeof(req) - strlen(req), "\r\n");
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, (const uint8_t *)req,
				   (uint32_t)strlen(req), 1000));
	tx = app_flow_tx(af, 0);
	CHECK(tx != NULL);
	for (int k = 0; tx != NULL && k < HV_MAX; k++) {
		const bstr *v = http_header_value((struct http_txd *)tx, 0, (enum http_hv)k);
		char want[8];

		snprintf(want, sizeof(want), "v%d", k);
		CHECK(v != NULL);
		if (v != NULL)
			CHECK_INT(0, bstr_cmp_c(v, want));
	}
	app_flow_free(ctx, af);
}

/* A body given room for its Content-Length up front (16 KiB at most) holds
 * exactly the bytes sent, whether it ends short of that room, fills it, or
 * grows past it; the next transaction's body starts empty. */
static void test_http_body_presize(void)
{
	static const uint32_t lens[] = { 10, 16384, 40000 };
	struct app_flow *af = app_flow_new(ctx, 6, 40003, 80);
	uint8_t *body = malloc(40000 + 2);
	char head[128];

	CHECK(body != NULL);
	if (body == NULL)
		goto out;
	/* transaction k sends the pattern from byte k: no two bodies alike */
	for (uint32_t i = 0; i < 40000 + 2; i++)
		body[i] = (uint8_t)('a' + i % 26);
	for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		struct app_tx *tx;
		const uint8_t *d;
		uint32_t len;

		snprintf(head, sizeof(head), "POST /u%zu HTTP/1.1\r\nContent-Length: %u\r\n\r\n", k,
			 lens[k]);
		feed(af, APP_TO_SERVER, head);
		/* in pieces of 7000 bytes, the first shorter */
		for (uint32_t off = 0; off < lens[k];) {
			uint32_t n = off == 0 ? 3 : 7000;

			if (n > lens[k] - off)
				n = lens[k] - off;
			CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, body + off + k, n, 1000));
			off += n;
		}
		feed(af, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		tx = app_flow_tx(af, 0);
		CHECK(tx != NULL);
		if (tx == NULL)
			break;
		CHECK_INT(0, app_tx_buffer(ctx, af, tx, RULE_BUF_HTTP_REQUEST_BODY, 0, &d, &len));
		CHECK_INT(lens[k], len);
		CHECK(len == lens[k] && memcmp(d, body + k, len) == 0);
		app_flow_inspected(ctx, af);
		CHECK_INT(0, app_flow_ntx(af));
	}
out:
	free(body);
	app_flow_free(ctx, af);
}

/* A long keep-alive connection: each transaction, answered and inspected,
 * is released, so the flow holds one at a time and ids keep counting. */
static void test_http_many_txs(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40001, 80);

	for (int i = 0; i < 3000; i++) {
		feed(af, APP_TO_SERVER, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
		feed(af, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		CHECK_INT(1, app_flow_ntx(af));
		CHECK_INT(i, app_tx_id(app_flow_tx(af, 0)));
		app_flow_inspected(ctx, af);
	}
	CHECK_INT(0, app_flow_ntx(af));
	app_flow_free(ctx, af);
}

/* max-tx: requests pipelined past the cap of transactions held stop the
 * connection's parsing (counted); the held ones stay inspectable. */
static void test_http_max_tx(void)
{
	struct applayer_config cfg;
	struct applayer_ctx *c;
	struct app_flow *af;
	static char reqs[20000 * 18];
	size_t n = 0;

	applayer_config_init(&cfg);
	cfg.http_max_tx = 100;
	c = applayer_ctx_create(&cfg);
	af = app_flow_new(c, 6, 40002, 80);
	for (int i = 0; i < 20000; i++) {
		memcpy(reqs + n, "GET / HTTP/1.1\r\n\r\n", 18);
		n += 18;
	}
	CHECK_INT(-EINVAL, app_flow_data(c, af, APP_TO_SERVER, (const uint8_t *)reqs,
					 (uint32_t)n, 1000));
	CHECK(app_flow_ntx(af) <= 101);
	CHECK(app_flow_ntx(af) >= 100);
	CHECK_INT(1, applayer_ctx_stats(c)->http_max_tx);
	CHECK_INT(99, app_tx_id(app_flow_tx(af, 99)));
	app_flow_free(c, af);
	applayer_ctx_destroy(c);
}

/* gzip of "EICAR" */
static void test_http_gzip(void)
{
	static const uint8_t gz[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x73, 0xf5, 0x74,
		0x76, 0x0c, 0x02, 0x00, 0x96, 0x4a, 0xf6, 0xae, 0x05, 0x00, 0x00, 0x00,
	};
	struct app_flow *af = app_flow_new(ctx, 6, 40001, 80);
	char hdr[128];

	feed(af, APP_TO_SERVER, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
	snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
		 "Content-Length: %zu\r\n\r\n", sizeof(gz));
	feed(af, APP_TO_CLIENT, hdr);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_CLIENT, gz, sizeof(gz), 2000));
	CHECK_STR("EICAR", buf_str(af, app_flow_tx(af, 0), RULE_BUF_HTTP_RESPONSE_BODY, 0));
	app_flow_free(ctx, af);
}

/* A gzip response of 4 stored blocks of 50,000 bytes, then a block of the
 * reserved type: inflating to the end fails there. */
static size_t gzip_bad_tail(uint8_t *o)
{
	static const uint8_t head[] = { 0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff };
	size_t n = sizeof(head);

	memcpy(o, head, n);
	for (int b = 0; b < 4; b++) {
		o[n++] = 0x00; /* not final, stored */
		o[n++] = 50000 & 0xff;
		o[n++] = 50000 >> 8;
		o[n++] = (uint8_t)~(50000 & 0xff);
		o[n++] = (uint8_t)~(50000 >> 8);
		memset(o + n, 'a' + b, 50000);
		n += 50000;
	}
	o[n++] = 0x07; /* final, type 3: reserved */
	memset(o + n, 0, 8);
	return n + 8;
}

/* A response body at its limit is not inflated further (counted), unless
 * the decompressors' events are wanted: then the bad block past the limit
 * still raises gzip_decompression_failed. The body holds the limit either
 * way, its first bytes the stored block's. */
static void test_http_inflate_stop(void)
{
	static uint8_t gz[4 * 50005 + 32];
	const size_t n = gzip_bad_tail(gz);

	for (int want = 0; want < 2; want++) {
		struct applayer_config cfg;
		struct applayer_ctx *c;
		struct app_flow *af;
		struct app_tx *tx;
		const uint8_t *d;
		uint32_t len;
		char hdr[128];

		applayer_config_init(&cfg);
		if (want)
			applayer_config_need(&cfg, APP_NEED_CODING_EVENTS);
		c = applayer_ctx_create(&cfg);
		CHECK(c != NULL);
		if (c == NULL)
			return;
		af = app_flow_new(c, 6, 40005, 80);
		CHECK_INT(0, app_flow_data(c, af, APP_TO_SERVER,
					   (const uint8_t *)"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27, 1000));
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
			 "Content-Length: %zu\r\n\r\n", n);
		CHECK_INT(0, app_flow_data(c, af, APP_TO_CLIENT, (const uint8_t *)hdr,
					   (uint32_t)strlen(hdr), 2000));
		/* in segments, as a stream gives it */
		for (size_t off = 0; off < n; off += 1460)
			CHECK_INT(0, app_flow_data(c, af, APP_TO_CLIENT, gz + off,
						   (uint32_t)(n - off < 1460 ? n - off : 1460), 2000));
		tx = app_flow_tx(af, 0);
		CHECK(tx != NULL);
		if (tx != NULL) {
			bool failed = app_tx_events(tx) & 1ull << HTTP_EV_GZIP_DECOMPRESSION_FAILED;

			CHECK_INT(want, failed);
			CHECK_INT(0, app_tx_buffer(c, af, tx, RULE_BUF_HTTP_RESPONSE_BODY, 0, &d, &len));
			CHECK_INT(cfg.response_body_limit, len);
			CHECK(len > 0 && d[0] == 'a' && d[len - 1] == 'c');
		}
		CHECK_INT(!want, applayer_ctx_stats(c)->inflate_stopped);
		app_flow_free(c, af);
		applayer_ctx_destroy(c);
	}
}

static const uint8_t dns_query[] = {
	0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0x00, 0x01, 0x00, 0x01,
};

static void test_dns(void)
{
	struct app_flow *af = app_flow_new(ctx, 17, 5555, 53);
	struct app_dns_info di;
	uint8_t loop[sizeof(dns_query)], tcp[2 + sizeof(dns_query)];
	uint32_t op;
	uint64_t loops;

	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, dns_query, sizeof(dns_query), 1));
	CHECK_INT(APP_PROTO_DNS, app_flow_proto(af));
	CHECK_STR("www.example.com", buf_str(af, app_flow_tx(af, 0), RULE_BUF_DNS_QUERY, 0));
	CHECK_INT(-ERANGE, app_tx_buffer(ctx, af, app_flow_tx(af, 0), RULE_BUF_DNS_QUERY, 1,
					 NULL, NULL));
	CHECK_INT(0, app_tx_dns_opcode(af, app_flow_tx(af, 0), &op));
	CHECK_INT(0, op);
	CHECK_INT(0, app_tx_dns_info(af, app_flow_tx(af, 0), &di));
	CHECK_STR("www.example.com", di.rrname);
	CHECK_INT(1, di.rrtype);
	CHECK_INT(0x1234, di.id);

	/* a name that points at itself: counted, not followed forever */
	memcpy(loop, dns_query, sizeof(loop));
	loop[12] = 0xc0;
	loop[13] = 12;
	loops = applayer_ctx_stats(ctx)->dns_loop;
	app_flow_inspected(ctx, af);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, loop, sizeof(loop), 2));
	CHECK_INT(loops + 1, applayer_ctx_stats(ctx)->dns_loop);
	CHECK(buf_str(af, app_flow_tx(af, 0), RULE_BUF_DNS_QUERY, 0) == NULL);
	/* truncated header */
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, dns_query, 5, 3));
	app_flow_free(ctx, af);

	/* not DNS on port 53: failed */
	af = app_flow_new(ctx, 17, 5555, 53);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, (const uint8_t *)"xx", 2, 1));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	app_flow_free(ctx, af);

	/* As Suricata 7's probe: opcode 9 and the Z bit are still DNS (the
	 * parser's events say what is wrong); a question that does not parse,
	 * or counts that do not fit the length, are not */
	memcpy(loop, dns_query, sizeof(loop));
	loop[2] = (uint8_t)(9 << 3);
	loop[3] |= 0x40;
	af = app_flow_new(ctx, 17, 5555, 53);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, loop, sizeof(loop), 1));
	CHECK_INT(APP_PROTO_DNS, app_flow_proto(af));
	app_flow_free(ctx, af);
	af = app_flow_new(ctx, 17, 5555, 53);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, dns_query, sizeof(dns_query) - 3, 1));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	app_flow_free(ctx, af);
	memcpy(loop, dns_query, sizeof(loop));
	loop[10] = 0xff;                    /* 65280 additional records */
	af = app_flow_new(ctx, 17, 5555, 53);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, loop, sizeof(loop), 1));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	app_flow_free(ctx, af);

	/* TCP: length prefix, split in the middle of the message */
	af = app_flow_new(ctx, 6, 5556, 53);
	tcp[0] = 0;
	tcp[1] = sizeof(dns_query);
	memcpy(tcp + 2, dns_query, sizeof(dns_query));
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, tcp, 20, 1));
	CHECK_INT(APP_PROTO_DNS, app_flow_proto(af));
	CHECK_INT(0, app_flow_ntx(af));
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, tcp + 20, sizeof(tcp) - 20, 2));
	CHECK_INT(1, app_flow_ntx(af));
	CHECK_STR("www.example.com", buf_str(af, app_flow_tx(af, 0), RULE_BUF_DNS_QUERY, 0));
	app_flow_free(ctx, af);
}

/* A TLS 1.2 ClientHello: version 0x0303, 2 suites (0x1301, GREASE 0x0a0a,
 * 0xc02f), SNI "example.org", groups (0x001d, 0x0017), point formats (0). */
static size_t client_hello(uint8_t *o)
{
	static const uint8_t ext[] = {
		0x00, 0x00, 0x00, 0x10, 0x00, 0x0e, 0x00, 0x00, 0x0b,
		'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'o', 'r', 'g',
		0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17,
		0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
	};
	size_t n = 0, body, hs;

	o[n++] = 22; o[n++] = 3; o[n++] = 1; n += 2;      /* record, length later */
	o[n++] = 1; n += 3;                               /* ClientHello, length later */
	body = n;
	o[n++] = 3; o[n++] = 3;
	memset(o + n, 0x11, 32); n += 32;
	o[n++] = 0;                                       /* session id */
	o[n++] = 0; o[n++] = 6;
	o[n++] = 0x13; o[n++] = 0x01; o[n++] = 0x0a; o[n++] = 0x0a; o[n++] = 0xc0; o[n++] = 0x2f;
	o[n++] = 1; o[n++] = 0;                           /* compression: null */
	o[n++] = 0; o[n++] = sizeof(ext);
	memcpy(o + n, ext, sizeof(ext)); n += sizeof(ext);
	hs = n - body;
	o[6] = (uint8_t)(hs >> 16); o[7] = (uint8_t)(hs >> 8); o[8] = (uint8_t)hs;
	o[3] = (uint8_t)((n - 5) >> 8); o[4] = (uint8_t)(n - 5);
	return n;
}

static void test_tls(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40002, 443);
	uint8_t ch[256];
	size_t n = client_hello(ch);
	struct app_tls_info ti;
	static const uint8_t junk[] = { 22, 3, 1, 0xff, 0xff, 1, 2, 3, 4, 5 };

	/* in three segments: record header split, body split */
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, ch, 3, 1));
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, ch + 3, 40, 1));
	CHECK_INT(APP_PROTO_TLS, app_flow_proto(af));
	CHECK(buf_str(af, app_flow_tx(af, 0), RULE_BUF_TLS_SNI, 0) == NULL);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, ch + 43, (uint32_t)n - 43, 1));
	CHECK_STR("example.org", buf_str(af, app_flow_tx(af, 0), RULE_BUF_TLS_SNI, 0));
	CHECK_STR("771,4865-49199,0-10-11,29-23,0",
		  buf_str(af, app_flow_tx(af, 0), RULE_BUF_JA3_STRING, 0));
	CHECK_INT(0, app_tx_tls_info(af, &ti));
	CHECK_INT(32, strlen(ti.ja3_hash));
	CHECK(ti.subject == NULL);
	app_flow_free(ctx, af);

	/* an oversized record: counted, parsing of that direction stops */
	af = app_flow_new(ctx, 6, 40003, 443);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, junk, sizeof(junk), 1));
	CHECK_INT(APP_PROTO_TLS, app_flow_proto(af));
	CHECK(applayer_ctx_stats(ctx)->tls_bad_record >= 1);
	app_flow_free(ctx, af);
}

/* Self-signed Ed25519 certificates: the server's subject "CN=srv", the
 * client's "O=a<NUL>b" (a name with a NUL byte in it); issuer "O=CA". */
static const uint8_t srv_der[] = {
	0x30, 0x81, 0xc7, 0x30, 0x7b, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x02,
	0x12, 0x34, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x30, 0x0d, 0x31,
	0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x02, 0x43, 0x41,
	0x30, 0x1e, 0x17, 0x0d, 0x32, 0x30, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30,
	0x30, 0x30, 0x30, 0x30, 0x5a, 0x17, 0x0d, 0x32, 0x39, 0x31, 0x32, 0x32,
	0x39, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x5a, 0x30, 0x0e, 0x31, 0x0c,
	0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x03, 0x73, 0x72, 0x76,
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
	0x2a, 0x44, 0x7f, 0x6b, 0x5c, 0xc1, 0x06, 0x1d, 0x2c, 0x0c, 0x0b, 0x36,
	0xde, 0x55, 0xe6, 0xaa, 0x8b, 0x4e, 0xfe, 0x91, 0x38, 0x4f, 0x3d, 0x45,
	0x7f, 0x51, 0x5d, 0x7d, 0x6c, 0xe0, 0xf8, 0x38, 0x30, 0x05, 0x06, 0x03,
	0x2b, 0x65, 0x70, 0x03, 0x41, 0x00, 0xe8, 0xf3, 0xc2, 0xc3, 0xb5, 0xa8,
	0x6b, 0x74, 0x6d, 0x22, 0x9d, 0x7b, 0x8f, 0x6e, 0x21, 0x27, 0xf0, 0x69,
	0x23, 0xdf, 0xeb, 0x50, 0x81, 0xcb, 0xb5, 0xe7, 0xac, 0x5b, 0x8f, 0x8a,
	0x4d, 0xa0, 0xd7, 0x43, 0x61, 0xca, 0x60, 0x9d, 0x13, 0x81, 0xcf, 0x8a,
	0x02, 0x7f, 0x6e, 0x73, 0x2e, 0x60, 0x0b, 0xba, 0x6a, 0xab, 0xb4, 0xf0,
	0x65, 0x82, 0x5e, 0xd8, 0x9a, 0xb0, 0xac, 0x7e, 0x8e, 0x0a
};

static const uint8_t cli_der[] = {
	0x30, 0x81, 0xc7, 0x30, 0x7b, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x02,
	0x56, 0x78, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x30, 0x0d, 0x31,
	0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x02, 0x43, 0x41,
	0x30, 0x1e, 0x17, 0x0d, 0x32, 0x30, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30,
	0x30, 0x30, 0x30, 0x30, 0x5a, 0x17, 0x0d, 0x32, 0x39, 0x31, 0x32, 0x32,
	0x39, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x5a, 0x30, 0x0e, 0x31, 0x0c,
	0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x03, 0x61, 0x00, 0x62,
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
	0x42, 0xfc, 0xc2, 0x22, 0xca, 0x67, 0xcf, 0xbc, 0x8b, 0xcd, 0x5b, 0x86,
	0x75, 0xba, 0x43, 0x83, 0x3d, 0x67, 0xbb, 0x8d, 0xca, 0x47, 0x54, 0x28,
	0xa8, 0xe3, 0xef, 0x93, 0xc0, 0x09, 0x81, 0xa7, 0x30, 0x05, 0x06, 0x03,
	0x2b, 0x65, 0x70, 0x03, 0x41, 0x00, 0xe0, 0xda, 0x32, 0xf6, 0x23, 0x88,
	0xc0, 0x26, 0x0d, 0x0f, 0x16, 0x24, 0x09, 0xf9, 0x4e, 0x71, 0x45, 0xdc,
	0x4a, 0x14, 0xc5, 0x1f, 0xd8, 0x31, 0xa9, 0x98, 0xaa, 0x70, 0xff, 0x21,
	0x16, 0xef, 0x4f, 0x04, 0x16, 0xf1, 0x61, 0x25, 0x0f, 0x22, 0x3b, 0x9a,
	0x64, 0xfc, 0x90, 0xa9, 0xb3, 0x45, 0x40, 0xb5, 0x99, 0xc9, 0x4b, 0xee,
	0x36, 0xb3, 0xf9, 0xd0, 0x87, 0xda, 0x6a, 0x0d, 0x72, 0x0a
};

/* A handshake record holding a Certificate message of one certificate. */
static size_t cert_record(uint8_t *o, const uint8_t *der, size_t len)
{
	size_t n = 0;

	o[n++] = 22; o[n++] = 3; o[n++] = 3;
	o[n++] = (uint8_t)((len + 10) >> 8); o[n++] = (uint8_t)(len + 10);
	o[n++] = 11; o[n++] = 0;
	o[n++] = (uint8_t)((len + 6) >> 8); o[n++] = (uint8_t)(len + 6);
	o[n++] = 0; o[n++] = (uint8_t)((len + 3) >> 8); o[n++] = (uint8_t)(len + 3);
	o[n++] = 0; o[n++] = (uint8_t)(len >> 8); o[n++] = (uint8_t)len;
	memcpy(o + n, der, len);
	return n + len;
}

/* Both sides' certificates: the fields are per direction (the client's to
 * the server), the EVE record shows the server's, a NUL stays in the name
 * (as Suricata 8.0.4), which raises Suricata 7's certificate_invalid_subject. */
static void test_tls_certs(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40005, 443);
	uint8_t rec[512];
	size_t n = client_hello(rec);
	struct app_tls_info ti;
	struct app_tx *tx;
	const uint8_t *d;
	uint32_t len;

	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, rec, (uint32_t)n, 1));
	n = cert_record(rec, srv_der, sizeof(srv_der));
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_CLIENT, rec, (uint32_t)n, 2));
	tx = app_flow_tx(af, 0);
	CHECK_STR("CN=srv", buf_str(af, tx, RULE_BUF_TLS_CERT_SUBJECT, APP_TO_CLIENT));
	CHECK(buf_str(af, tx, RULE_BUF_TLS_CERT_SUBJECT, APP_TO_SERVER) == NULL);
	n = cert_record(rec, cli_der, sizeof(cli_der));
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, rec, (uint32_t)n, 3));
	CHECK_INT(0, app_tx_buffer(ctx, af, tx, RULE_BUF_TLS_CERT_SUBJECT, APP_TO_SERVER, &d,
				   &len));
	CHECK_INT(5, len);
	CHECK(len == 5 && memcmp(d, "O=a\0b", 5) == 0);
	CHECK_INT(1ull << TLS_EV_CERTIFICATE_INVALID_SUBJECT, app_tx_events(tx));
	CHECK_STR("O=CA", buf_str(af, tx, RULE_BUF_TLS_CERT_ISSUER, APP_TO_SERVER));
	CHECK_STR("56:78", buf_str(af, tx, RULE_BUF_TLS_CERT_SERIAL, APP_TO_SERVER));
	CHECK_STR("12:34", buf_str(af, tx, RULE_BUF_TLS_CERT_SERIAL, APP_TO_CLIENT));
	CHECK_STR("22:3d:34:7b:de:4f:7a:16:d5:bc:6d:ca:5e:84:59:d6:5e:be:92:44",
		  buf_str(af, tx, RULE_BUF_TLS_CERT_FINGERPRINT, APP_TO_SERVER));
	CHECK_INT(-ERANGE, app_tx_buffer(ctx, af, tx, RULE_BUF_TLS_CERT_SUBJECT, 2, &d, &len));
	/* tls.certs: the server's chain */
	CHECK_INT(0, app_tx_buffer(ctx, af, tx, RULE_BUF_TLS_CERTS, 0, &d, &len));
	CHECK_INT(sizeof(srv_der), len);
	CHECK_INT(0, app_tx_tls_info(af, &ti));
	CHECK_STR("CN=srv", ti.subject);
	CHECK_STR("O=CA", ti.issuer);
	app_flow_free(ctx, af);
}

static void test_detect_failed(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40004, 143);

	/* IMAP: neither parsed nor detected */
	feed(af, APP_TO_CLIENT, "* OK imap.example.com ready\r\n");
	CHECK_INT(APP_PROTO_UNKNOWN, app_flow_proto(af));
	feed(af, APP_TO_SERVER, "a001 LOGIN user pass\r\n");
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	CHECK_INT(0, app_flow_ntx(af));
	app_flow_free(ctx, af);
	CHECK(app_flow_new(ctx, 1, 0, 0) == NULL);
}

int main(void)
{
	ctx = applayer_ctx_create(NULL);
	CHECK(ctx != NULL);
	if (ctx == NULL)
		return check_result("applayer");
	test_http();
	test_http_gzip();
	test_http_inflate_stop();
	test_http_named_headers();
	test_http_dir_unstarted();
	test_http_side_refresh();
	test_http_side_incremental();
	test_http_header_in_start();
	test_http_header_no_cookie();
	test_http_info_strings();
	test_http_header_names_all();
	test_http_body_presize();
	test_http_many_txs();
	test_http_max_tx();
	test_dns();
	test_tls();
	test_tls_certs();
	test_detect_failed();
	applayer_ctx_destroy(ctx);
	return check_result("applayer");
}
