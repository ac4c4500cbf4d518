// SPDX-License-Identifier: MIT
/* Suricata's generic app-layer events raised by protocol detection
 * (applayer_events.c): one direction only, both directions disagreeing,
 * the server speaking first to a protocol whose client must, detection
 * given up after 100000 bytes; none on ordinary sessions (HTTP, SMTP with
 * its greeting, DNS over UDP), and each taken once. With each, what the
 * two directions were judged (Suricata's alproto_ts and alproto_tc). */
#include <string.h>

#include "dataplane/applayer/applayer.h"
#include "tests/unit/app_events.h"
#include "tests/unit/check.h"

static struct applayer_ctx *ctx;

static int feed(struct app_flow *af, enum app_dir dir, const char *s)
{
	return app_flow_data(ctx, af, dir, (const uint8_t *)s, (uint32_t)strlen(s), 1000);
}

/* What each direction was judged: to server, to client. */
#define CHECK_DIRS(af, ts, tc) do { \
		struct app_protos ap_; \
		app_flow_protos(af, &ap_); \
		CHECK_INT(ts, ap_.dir[APP_TO_SERVER]); \
		CHECK_INT(tc, ap_.dir[APP_TO_CLIENT]); \
	} while (0)

static const char GET[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
static const char RESP[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
static const char JUNK[] = "\x01\x02junk junk junk\r\n";

static void test_clean(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 80);

	CHECK_INT(0, feed(af, APP_TO_SERVER, GET));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, RESP));
	CHECK_INT(APP_PROTO_HTTP, app_flow_proto(af));
	CHECK_INT(0, take(af));
	CHECK_DIRS(af, APP_PROTO_HTTP, APP_PROTO_HTTP);
	app_flow_free(ctx, af);

	/* SMTP: the server greets first, its replies start no protocol (nor
	 * fail one: a greeting decides nothing) */
	af = app_flow_new(ctx, 6, 40000, 25);
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "220 mx.example ESMTP\r\n"));
	CHECK_INT(0, feed(af, APP_TO_SERVER, "EHLO client.example\r\n"));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "250 mx.example\r\n"));
	CHECK_INT(APP_PROTO_SMTP, app_flow_proto(af));
	CHECK_INT(0, take(af));
	CHECK_DIRS(af, APP_PROTO_SMTP, APP_PROTO_UNKNOWN);
	app_flow_free(ctx, af);
}

static void test_one_direction(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 80);

	/* the request decides, the response starts nothing */
	CHECK_INT(0, feed(af, APP_TO_SERVER, GET));
	CHECK_INT(0, take(af));
	CHECK_DIRS(af, APP_PROTO_HTTP, APP_PROTO_UNKNOWN);
	CHECK_INT(0, feed(af, APP_TO_CLIENT, JUNK));
	CHECK_INT(EV(DETECT_PROTOCOL_ONLY_ONE_DIRECTION), take(af));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, JUNK));
	CHECK_INT(0, take(af));
	CHECK_DIRS(af, APP_PROTO_HTTP, APP_PROTO_FAILED);
	app_flow_free(ctx, af);

	/* the client's bytes start nothing, the server's response decides */
	af = app_flow_new(ctx, 6, 40000, 80);
	CHECK_INT(0, feed(af, APP_TO_SERVER, JUNK));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, RESP));
	CHECK_INT(APP_PROTO_HTTP, app_flow_proto(af));
	CHECK_INT(EV(DETECT_PROTOCOL_ONLY_ONE_DIRECTION), take(af));
	CHECK_DIRS(af, APP_PROTO_FAILED, APP_PROTO_HTTP);
	app_flow_free(ctx, af);

	/* a response cut in small pieces is judged on its first 8 bytes */
	af = app_flow_new(ctx, 6, 40000, 80);
	CHECK_INT(0, feed(af, APP_TO_SERVER, GET));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "HTTP"));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, "/1.1 200 OK\r\n"));
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);
}

static void test_mismatch(void)
{
	/* a TLS record answering an HTTP request */
	static const char tls[] = "\x16\x03\x03\x00\x04\x02\x00\x00\x00";
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 80);

	CHECK_INT(0, feed(af, APP_TO_SERVER, GET));
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_CLIENT, (const uint8_t *)tls, 9, 1000));
	CHECK_INT(EV(MISMATCH_PROTOCOL_BOTH_DIRECTIONS), take(af));
	CHECK_INT(APP_PROTO_HTTP, app_flow_proto(af));
	CHECK_DIRS(af, APP_PROTO_HTTP, APP_PROTO_TLS);
	app_flow_free(ctx, af);
}

static void test_wrong_direction(void)
{
	/* the server answers first: HTTP found in its bytes, never parsed; the
	 * app layer gives the flow up (Suricata's detection error) */
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 80);

	CHECK_INT(0, feed(af, APP_TO_CLIENT, RESP));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	CHECK_INT(EV(WRONG_DIRECTION_FIRST_DATA), take(af));
	CHECK_INT(0, app_flow_ntx(af));
	CHECK_DIRS(af, APP_PROTO_FAILED, APP_PROTO_HTTP);
	CHECK_INT(0, feed(af, APP_TO_SERVER, GET));
	CHECK_INT(0, app_flow_ntx(af));
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);

	/* junk from the server, then a request: the same */
	af = app_flow_new(ctx, 6, 40000, 80);
	CHECK_INT(0, feed(af, APP_TO_CLIENT, JUNK));
	CHECK_INT(0, feed(af, APP_TO_SERVER, GET));
	CHECK_INT(EV(WRONG_DIRECTION_FIRST_DATA), take(af));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	CHECK_DIRS(af, APP_PROTO_HTTP, APP_PROTO_FAILED);
	app_flow_free(ctx, af);
}

static void test_skipped(void)
{
	static char chunk[1000];
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 9000);
	int i;

	memset(chunk, 'x', sizeof(chunk) - 1);
	/* 100 kB from a client of no known protocol, the server silent */
	for (i = 0; i < 100; i++)
		CHECK_INT(0, feed(af, APP_TO_SERVER, chunk));
	CHECK_INT(0, take(af));
	CHECK_INT(APP_PROTO_UNKNOWN, app_flow_proto(af));
	CHECK_INT(0, feed(af, APP_TO_SERVER, chunk));
	CHECK_INT(EV(PROTO_DETECTION_SKIPPED), take(af));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	CHECK_DIRS(af, APP_PROTO_FAILED, APP_PROTO_FAILED);
	CHECK_INT(0, feed(af, APP_TO_SERVER, chunk));
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);

	/* both directions judged and failed: given up, no event */
	af = app_flow_new(ctx, 6, 40000, 9000);
	CHECK_INT(0, feed(af, APP_TO_SERVER, JUNK));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, JUNK));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);
}

/* Suricata 7's AppLayerHandleUdp: each direction's first datagram is
 * probed; a direction that starts nothing fails the flow only until the
 * other starts a protocol. */
static void test_udp(void)
{
	static const uint8_t q[] = { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1 };
	static const uint8_t r[] = { 0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1,
				     0, 1 };
	struct app_flow *af = app_flow_new(ctx, 17, 40000, 53);

	/* a DNS query answered by junk: the answer takes the flow's, no event */
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, q, sizeof(q), 1000));
	CHECK_INT(APP_PROTO_DNS, app_flow_proto(af));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, JUNK));
	CHECK_INT(0, take(af));
	CHECK_DIRS(af, APP_PROTO_DNS, APP_PROTO_DNS);
	app_flow_free(ctx, af);

	/* junk answered by DNS: failed, then dns, the client's side failed */
	af = app_flow_new(ctx, 17, 40001, 53);
	CHECK_INT(0, feed(af, APP_TO_SERVER, JUNK));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	CHECK_DIRS(af, APP_PROTO_FAILED, APP_PROTO_UNKNOWN);
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_CLIENT, r, sizeof(r), 1000));
	CHECK_INT(APP_PROTO_DNS, app_flow_proto(af));
	CHECK_DIRS(af, APP_PROTO_FAILED, APP_PROTO_DNS);
	/* the client's side was judged once: its DNS now goes to the parser */
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_SERVER, q, sizeof(q), 1000));
	CHECK_DIRS(af, APP_PROTO_FAILED, APP_PROTO_DNS);
	CHECK_INT(0, take(af));
	app_flow_free(ctx, af);

	/* junk both ways: failed for good, a later DNS datagram changes nothing */
	af = app_flow_new(ctx, 17, 40002, 53);
	CHECK_INT(0, feed(af, APP_TO_SERVER, JUNK));
	CHECK_INT(0, feed(af, APP_TO_CLIENT, JUNK));
	CHECK_INT(0, app_flow_data(ctx, af, APP_TO_CLIENT, r, sizeof(r), 1000));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	CHECK_DIRS(af, APP_PROTO_FAILED, APP_PROTO_FAILED);
	app_flow_free(ctx, af);
}

/* Midstream mode (Suricata 7's TCPProtoDetect): a status line sent to the
 * server of a flow that may be turned (picked up midstream, not from a
 * SYN/ACK) turns it: the bytes are the server's, which HTTP's parser does
 * not take first (wrong_direction_first_data, as Suricata's after its
 * FlowSwap), judged for the client-bound direction. A flow that may not be
 * turned keeps its direction; a request to the server, found by its own
 * direction's pattern, never turns one. */
static void test_reverse(void)
{
	struct applayer_ctx *save = ctx;
	struct applayer_config cfg;
	struct app_flow *af;

	applayer_config_init(&cfg);
	cfg.midstream = true;
	ctx = applayer_ctx_create(&cfg);
	CHECK(ctx != NULL);

	af = app_flow_new(ctx, 6, 40000, 80);
	app_flow_allow_reverse(af);
	CHECK_INT(0, feed(af, APP_TO_SERVER, RESP));
	CHECK(app_flow_take_reversed(af));
	CHECK(!app_flow_take_reversed(af));
	CHECK_INT(EV(WRONG_DIRECTION_FIRST_DATA), take(af));
	CHECK_INT(APP_PROTO_FAILED, app_flow_proto(af));
	CHECK_DIRS(af, APP_PROTO_FAILED, APP_PROTO_HTTP);
	app_flow_free(ctx, af);

	af = app_flow_new(ctx, 6, 40000, 80);
	CHECK_INT(0, feed(af, APP_TO_SERVER, RESP));
	CHECK(!app_flow_take_reversed(af));
	CHECK_INT(0, take(af));
	CHECK_INT(APP_PROTO_HTTP, app_flow_proto(af));
	CHECK_DIRS(af, APP_PROTO_HTTP, APP_PROTO_UNKNOWN);
	app_flow_free(ctx, af);

	af = app_flow_new(ctx, 6, 40000, 80);
	app_flow_allow_reverse(af);
	CHECK_INT(0, feed(af, APP_TO_SERVER, GET));
	CHECK(!app_flow_take_reversed(af));
	CHECK_INT(APP_PROTO_HTTP, app_flow_proto(af));
	app_flow_free(ctx, af);

	applayer_ctx_destroy(ctx);
	ctx = save;
}

int main(void)
{
	ctx = applayer_ctx_create(NULL);
	CHECK(ctx != NULL);
	test_clean();
	test_one_direction();
	test_mismatch();
	test_wrong_direction();
	test_skipped();
	test_udp();
	test_reverse();
	applayer_ctx_destroy(ctx);
	return check_result("applayer_events");
}
