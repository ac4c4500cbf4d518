// SPDX-License-Identifier: MIT
/* A flow's protocol changing midway (app_change.c), as Suricata 7's
 * AppLayerRequestProtocolChange: SMTP STARTTLS and FTP AUTH TLS accepted
 * then TLS, or not TLS (applayer_unexpected_protocol and
 * applayer_no_tls_after_starttls), or nothing decided until 4096 bytes or
 * the stream's end; STARTTLS refused; HTTP CONNECT answered 2xx (any
 * protocol may follow) or refused. */
#include <string.h>

#include "dataplane/applayer/applayer.h"
#include "tests/unit/app_events.h"
#include "tests/unit/check.h"

static struct applayer_ctx *ctx;

static int feed_n(struct app_flow *af, enum app_dir dir, const char *s, uint32_t n)
{
	return app_flow_data(ctx, af, dir, (const uint8_t *)s, n, 1000);
}

static int feed(struct app_flow *af, enum app_dir dir, const char *s)
{
	return feed_n(af, dir, s, (uint32_t)strlen(s));
}

#define NO_TLS (EV(UNEXPECTED_PROTOCOL) | EV(NO_TLS_AFTER_STARTTLS))

/* a TLS 1.2 ClientHello naming a.test (scapy's TLSClientHello) */
static const char HELLO[] =
	"\x16\x03\x01\x00\x3e\x01\x00\x00\x3a\x03\x03" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" "\x00\x00\x02\xc0\x2f\x01\x00\x00\x0f\x00\x00"
	"\x00\x0b\x00\x09\x00\x00\x06" "a.test";
#define HELLO_LEN (sizeof(HELLO) - 1)

static void check_protos(struct app_flow *af, uint8_t proto, uint8_t orig, uint8_t expect,
			 int line)
{
	struct app_protos ap;

	app_flow_protos(af, &ap);
	if (ap.proto != proto || ap.orig != orig || ap.expect != expect) {
		fprintf(stderr, "%s:%d: protos %u/%u/%u, want %u/%u/%u\n", __FILE__, line,
			ap.proto, ap.orig, ap.expect, proto, orig, expect);
		check_failures++;
	}
	check_count++;
}
#define PROTOS(af, p, o, e) check_protos(af, p, o, e, __LINE__)

/* An SMTP session up to STARTTLS and the server's reply to it. */
static struct app_flow *smtp_starttls(const char *reply)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 25);

	CHECK_INT(0, feed(af, APP_TO_CLIENT, "220 mx.example ESMTP\r\n"));
	CHECK_INT(0, feed(af, APP_TO_SERVER, "EHLO client.example\r\n"));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "250 STARTTLS\r\n"));
	CHECK_INT(0, feed(af, APP_TO_SERVER, "STARTTLS\r\n"));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, reply));
	CHECK_INT(0, take(af));
	return af;
}

static void test_starttls_tls(void)
{
	struct app_flow *af = smtp_starttls("220 go ahead\r\n");
	const uint8_t *d;
	uint32_t n;

	/* asked for, nothing seen since: still SMTP, TLS expected */
	PROTOS(af, APP_PROTO_SMTP, APP_PROTO_SMTP, APP_PROTO_TLS);
	CHECK_INT(0, feed_n(af, APP_TO_SERVER, HELLO, HELLO_LEN));
	CHECK_INT(APP_PROTO_TLS, app_flow_proto(af));
	PROTOS(af, APP_PROTO_TLS, APP_PROTO_SMTP, APP_PROTO_TLS);
	CHECK_INT(0, take(af));
	CHECK_INT(1, app_flow_ntx(af));
	CHECK_INT(0, app_tx_buffer(ctx, af, app_flow_tx(af, 0), RULE_BUF_TLS_SNI, 0, &d, &n));
	CHECK(n == 6 && memcmp(d, "a.test", 6) == 0);
	app_flow_free(ctx, af);
}

static void test_starttls_plain(void)
{
	/* SMTP again in plain text: detected, not the TLS expected */
	struct app_flow *af = smtp_starttls("220 go ahead\r\n");

	CHECK_INT(0, feed(af, APP_TO_SERVER, "EHLO again.example\r\n"));
	CHECK_INT(APP_PROTO_SMTP, app_flow_proto(af));
	CHECK_INT(NO_TLS, take(af));
	PROTOS(af, APP_PROTO_SMTP, APP_PROTO_SMTP, APP_PROTO_TLS);
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "250 ok\r\n"));
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);

	/* bytes of no protocol: undecided until the stream ends */
	af = smtp_starttls("220 go ahead\r\n");
	CHECK_INT(0, feed(af, APP_TO_SERVER, "\x01\x02 no protocol\r\n"));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "\x01\x02 none either\r\n"));
	CHECK_INT(0, take(af));
	PROTOS(af, APP_PROTO_SMTP, APP_PROTO_SMTP, APP_PROTO_TLS);
	app_flow_eof(ctx, af, APP_TO_SERVER);
	CHECK_INT(NO_TLS, take(af));
	PROTOS(af, APP_PROTO_FAILED, APP_PROTO_SMTP, APP_PROTO_TLS);
	CHECK_INT(0, feed(af, APP_TO_SERVER, "more\r\n"));
	app_flow_eof(ctx, af, APP_TO_CLIENT);
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);

	/* or until 4096 bytes of one direction */
	af = smtp_starttls("220 go ahead\r\n");
	{
		char junk[1024];

		memset(junk, 1, sizeof(junk));
		for (int i = 0; i < 3; i++) {
			CHECK_INT(0, feed_n(af, APP_TO_SERVER, junk, sizeof(junk)));
			CHECK_INT(0, take(af));
		}
		CHECK_INT(0, feed_n(af, APP_TO_SERVER, junk, sizeof(junk)));
		CHECK_INT(NO_TLS, take(af));
		CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	}
	app_flow_free(ctx, af);

	/* the flow ends with the change asked for and nothing after it */
	af = smtp_starttls("220 go ahead\r\n");
	app_flow_eof(ctx, af, APP_TO_CLIENT);
	CHECK_INT(NO_TLS, take(af));
	app_flow_free(ctx, af);
	af = smtp_starttls("220 go ahead\r\n");
	app_flow_free(ctx, af);
}

static void test_starttls_refused(void)
{
	struct app_flow *af = smtp_starttls("454 TLS not available\r\n");

	PROTOS(af, APP_PROTO_SMTP, APP_PROTO_UNKNOWN, APP_PROTO_UNKNOWN);
	CHECK_INT(0, feed(af, APP_TO_SERVER, "MAIL FROM:<a@example>\r\n"));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "250 ok\r\n"));
	CHECK_INT(0, take(af));
	CHECK_INT(APP_PROTO_SMTP, app_flow_proto(af));
	PROTOS(af, APP_PROTO_SMTP, APP_PROTO_UNKNOWN, APP_PROTO_UNKNOWN);
	app_flow_free(ctx, af);
}

static void test_ftp_auth_tls(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 21);

	CHECK_INT(0, feed(af, APP_TO_CLIENT, "220 ftp ready\r\n"));
	CHECK_INT(0, feed(af, APP_TO_SERVER, "AUTH TLS\r\n"));
	CHECK_INT(APP_PROTO_FTP, app_flow_proto(af));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "234 AUTH TLS OK.\r\n"));
	PROTOS(af, APP_PROTO_FTP, APP_PROTO_FTP, APP_PROTO_TLS);
	CHECK_INT(0, feed_n(af, APP_TO_SERVER, HELLO, HELLO_LEN));
	PROTOS(af, APP_PROTO_TLS, APP_PROTO_FTP, APP_PROTO_TLS);
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);

	/* refused: FTP goes on */
	af = app_flow_new(ctx, 6, 40000, 21);
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "220 ftp ready\r\n"));
	CHECK_INT(0, feed(af, APP_TO_SERVER, "AUTH TLS\r\n"));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "534 no\r\n"));
	CHECK_INT(0, feed_n(af, APP_TO_SERVER, HELLO, HELLO_LEN));
	PROTOS(af, APP_PROTO_FTP, APP_PROTO_UNKNOWN, APP_PROTO_UNKNOWN);
	app_flow_free(ctx, af);
}

static unsigned ndone;

static void count_done(void *arg, struct app_flow *af, struct app_tx *tx)
{
	(void)arg;
	(void)af;
	(void)tx;
	ndone++;
}

/* an SMB2 NEGOTIATE's session header and first bytes (RFC 1002 length 64) */
static const char SMB[40] = "\x00\x00\x00\x40\xfeSMB\x40\x00";

static void test_http_connect(void)
{
	static const char CONNECT[] = "CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n";
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 8080);

	/* answered 2xx: any protocol may follow, none is unexpected */
	CHECK_INT(0, feed(af, APP_TO_SERVER, CONNECT));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "HTTP/1.1 200 Connection established\r\n\r\n"));
	PROTOS(af, APP_PROTO_HTTP, APP_PROTO_HTTP, APP_PROTO_UNKNOWN);
	CHECK_INT(0, feed_n(af, APP_TO_SERVER, HELLO, HELLO_LEN));
	PROTOS(af, APP_PROTO_TLS, APP_PROTO_HTTP, APP_PROTO_UNKNOWN);
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);

	/* HTTP through the tunnel: detected again, no event */
	af = app_flow_new(ctx, 6, 40000, 8080);
	CHECK_INT(0, feed(af, APP_TO_SERVER, CONNECT));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\n\r\n"));
	CHECK_INT(0, feed(af, APP_TO_SERVER, "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n"));
	PROTOS(af, APP_PROTO_HTTP, APP_PROTO_HTTP, APP_PROTO_UNKNOWN);
	CHECK_INT(1, app_flow_ntx(af));
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);

	/* a protocol detected only (SMB) through the tunnel: the proxy's
	 * transaction is handed over all the same */
	af = app_flow_new(ctx, 6, 40000, 8080);
	applayer_set_tx_done(ctx, count_done, NULL);
	CHECK_INT(0, feed(af, APP_TO_SERVER, CONNECT));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\n\r\n"));
	ndone = 0;
	CHECK_INT(0, feed_n(af, APP_TO_SERVER, SMB, sizeof(SMB)));
	PROTOS(af, APP_PROTO_SMB, APP_PROTO_HTTP, APP_PROTO_UNKNOWN);
	CHECK_INT(1, ndone);
	applayer_set_tx_done(ctx, NULL, NULL);
	app_flow_free(ctx, af);

	/* refused: still the proxy's HTTP */
	af = app_flow_new(ctx, 6, 40000, 8080);
	CHECK_INT(0, feed(af, APP_TO_SERVER, CONNECT));
	CHECK_INT(0, feed(af, APP_TO_CLIENT,
			  "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"));
	PROTOS(af, APP_PROTO_HTTP, APP_PROTO_UNKNOWN, APP_PROTO_UNKNOWN);
	app_flow_free(ctx, af);
}

int main(void)
{
	ctx = applayer_ctx_create(NULL);
	CHECK(ctx != NULL);
	test_starttls_tls();
	test_starttls_plain();
	test_starttls_refused();
	test_ftp_auth_tls();
	test_http_connect();
	applayer_ctx_destroy(ctx);
	return check_result("app_change");
}
