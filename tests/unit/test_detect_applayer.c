/* SPDX-License-Identifier: MIT */
/* Unit tests for app-layer detection (detect_applayer.c, detect_applayer_tx.c):
 * rules parsed by rules/, transactions built by the real parsers, exact alert
 * counts per transaction, once per transaction, both directions, the
 * dotprefix database, and the app-layer settings the parsers obey. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "app_fixture.h"
#include "dataplane/applayer/applayer.h"
#include "dataplane/detect/detect.h"
#include "dataplane/flow/flow-t.h"
#include "rules/rules.h"

static struct detect_result res;
static uint64_t res_tx[DETECT_MAX_ALERTS];   /* the alerts' transaction ids */

static struct app_env *setup(const char *text, const struct applayer_config *cfg)
{
	return app_env_setup(text, cfg, "detect_applayer");
}

static void flow_open(struct app_env *e, uint8_t proto, uint16_t cport, uint16_t sport)
{
	app_env_flow_open(e, proto, cport, sport);
}

static void flow_close(struct app_env *e)
{
	app_env_flow_close(e);
}

static void feed(struct app_env *e, enum app_dir dir, const void *d, size_t len)
{
	CHECK_INT(0, app_flow_data(e->al, e->f.app, dir, d, (uint32_t)len, 1000));
}

static void feeds(struct app_env *e, enum app_dir dir, const char *s)
{
	feed(e, dir, s, strlen(s));
}

/* Detection on packet p of the flow, then the transactions are marked
 * inspected in its direction as the pipeline does. Returns the alert count. */
static uint32_t inspect_pkt(struct app_env *e, struct packet *p)
{
	detect_packet(e->d.dt, p, &res);
	/* complete transactions are freed once inspected: keep their ids */
	for (uint32_t i = 0; i < res.nalerts; i++)
		res_tx[i] = res.alerts[i].tx ? app_tx_id(res.alerts[i].tx) : UINT64_MAX;
	app_flow_inspected_dir(e->al, e->f.app, (enum app_dir)p->dir);
	return res.nalerts;
}

/* A packet in direction dir with no payload nor transport header of its
 * own (as the ACK that made the peer's data parsed) */
static uint32_t inspect(struct app_env *e, enum pkt_dir dir)
{
	struct packet p = app_env_packet(e, dir, 0);

	return inspect_pkt(e, &p);
}

/* inspect(), with a transport header: packet rules see it too */
static uint32_t inspect_l4(struct app_env *e, enum pkt_dir dir)
{
	static const uint8_t tcph[20];
	struct packet p = app_env_packet(e, dir, 0);

	p.l4 = tcph;
	return inspect_pkt(e, &p);
}

static uint32_t sid(uint32_t i)
{
	return res.alerts[i].rule->sid;
}

static uint64_t txid(uint32_t i)
{
	return res_tx[i];
}

static const char req2[] =
	"GET /admin/a HTTP/1.1\r\nHost: a.example\r\n\r\n"
	"GET /admin/b HTTP/1.1\r\nHost: b.example\r\n\r\n";

/* Pipelined requests: one alert per transaction, in order; the same
 * transaction updated again does not alert again. */
static void test_per_tx(void)
{
	struct app_env *e = setup(
		"alert http any any -> any any (msg:\"uri\"; http.uri; content:\"/admin\"; "
		"startswith; sid:1;)\n"
		"alert http any any -> any any (msg:\"no fp\"; urilen:>5; sid:2;)\n"
		"alert http any any -> any any (msg:\"host b\"; http.host; content:\"b.example\"; "
		"bsize:9; sid:3;)\n", NULL);

	flow_open(e, 6, 40000, 80);
	feeds(e, APP_TO_SERVER, req2);
	CHECK_INT(5, inspect(e, PKT_TO_SERVER));
	/* Suricata's alert order: by rule, and for one rule the later
	 * transaction first (detect-engine-alert.c AlertQueueSortHelper) */
	CHECK_INT(1, sid(0));
	CHECK_INT(1, txid(0));
	CHECK_INT(1, sid(1));
	CHECK_INT(0, txid(1));
	CHECK_INT(2, sid(2));
	CHECK_INT(1, txid(2));
	CHECK_INT(2, sid(3));
	CHECK_INT(0, txid(3));
	CHECK_INT(3, sid(4));
	CHECK_INT(1, txid(4));
	/* nothing new: nothing inspected */
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	/* the responses update both transactions: no second alert */
	feeds(e, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
	      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	/* a third request is a new transaction */
	feeds(e, APP_TO_SERVER, "GET /admin/c HTTP/1.1\r\nHost: c.example\r\n\r\n");
	CHECK_INT(2, inspect(e, PKT_TO_SERVER));
	CHECK_INT(2, txid(0));
	CHECK_INT(2, txid(1));
	app_env_teardown(e);
}

/* packet-alert-max (Suricata 7's queue): the alerts kept are those of the
 * highest-priority rules, whatever the order they matched in: the packet
 * rule's alert, first to come, makes room for the app-layer ones. */
static void test_alert_max(void)
{
	struct app_env *e = setup(
		"alert tcp any any -> any any (msg:\"pkt\"; flow:established; priority:3; "
		"sid:20;)\n"
		"alert http any any -> any any (msg:\"uri\"; http.uri; content:\"/admin\"; "
		"priority:1; sid:21;)\n"
		"alert http any any -> any any (msg:\"host\"; http.host; content:\"example\"; "
		"priority:2; sid:22;)\n", NULL);
	const struct detect_stats *st = detect_thread_stats(e->d.dt);

	flow_open(e, 6, 40002, 80);
	CHECK_INT(1, inspect_l4(e, PKT_TO_SERVER));	/* the packet rule alone */
	CHECK_INT(20, sid(0));
	detect_engine_set_alert_max(e->d.de, 3);
	feeds(e, APP_TO_SERVER, req2);
	/* 5 matches: sid 20, then 21 and 22 on each transaction */
	CHECK_INT(3, inspect_l4(e, PKT_TO_SERVER));
	CHECK_INT(21, sid(0));
	CHECK_INT(1, txid(0));
	CHECK_INT(21, sid(1));
	CHECK_INT(0, txid(1));
	CHECK_INT(22, sid(2));
	CHECK_INT(1, txid(2));
	CHECK_INT(2, res.alerts_dropped);
	CHECK_INT(2, st->alert_queue_overflow);
	CHECK_INT(4, st->alerts);	/* counts the alerts kept */
	flow_close(e);

	/* a queue of one keeps the best; the same with 255 keeps all */
	detect_engine_set_alert_max(e->d.de, 1);
	flow_open(e, 6, 40003, 80);
	feeds(e, APP_TO_SERVER, req2);
	CHECK_INT(1, inspect_l4(e, PKT_TO_SERVER));
	CHECK_INT(21, sid(0));
	CHECK_INT(1, txid(0));
	CHECK_INT(4, res.alerts_dropped);
	flow_close(e);
	detect_engine_set_alert_max(e->d.de, 1000);	/* clamped to 255 */
	flow_open(e, 6, 40004, 80);
	feeds(e, APP_TO_SERVER, req2);
	CHECK_INT(5, inspect_l4(e, PKT_TO_SERVER));
	CHECK_INT(20, sid(4));
	flow_close(e);
	app_env_teardown(e);
}

/* A pass rule that matches on the transaction ends the packet's alerts: the
 * packet rule's, queued before it and ranked after it, go (Suricata stops
 * at the pass entry of the sorted queue), uncounted as overflow. */
static void test_pass_clears(void)
{
	struct app_env *e = setup(
		"alert tcp any any -> any any (msg:\"pkt\"; flow:established; sid:30;)\n"
		"pass http any any -> any any (msg:\"uri\"; http.uri; content:\"/admin\"; "
		"sid:31;)\n", NULL);

	flow_open(e, 6, 40005, 80);
	CHECK_INT(1, inspect_l4(e, PKT_TO_SERVER));
	feeds(e, APP_TO_SERVER, req2);
	CHECK_INT(0, inspect_l4(e, PKT_TO_SERVER));
	CHECK_INT(0, res.alerts_dropped);
	CHECK_INT(0, detect_thread_stats(e->d.dt)->alert_queue_overflow);
	CHECK_INT(1, detect_thread_stats(e->d.dt)->alerts);
	flow_close(e);
	app_env_teardown(e);
}

/* As Suricata, a packet inspects its own direction: a response buffer
 * matches with a packet to the client, the request side with a packet to
 * the server, each once. A header rule narrowed by flow:to_client sees the
 * response headers, not the request's. */
static void test_directions(void)
{
	struct app_env *e = setup(
		"alert http any any -> any any (msg:\"404\"; http.stat_code; content:\"404\"; "
		"sid:10;)\n"
		"alert http any any -> any any (msg:\"hdr tc\"; flow:to_client; http.header; "
		"content:\"X-Thing: 1\"; sid:11;)\n"
		"alert http any any -> any any (msg:\"hdr ts\"; flow:to_server; http.header; "
		"content:\"X-Thing: 1\"; sid:12;)\n"
		"alert http any any -> any any (msg:\"body\"; http.response_body; "
		"content:\"secret\"; sid:13;)\n"
		"alert http any any -> any any (msg:\"uri\"; http.uri; content:\"/q\"; "
		"sid:14;)\n", NULL);

	flow_open(e, 6, 40001, 80);
	feeds(e, APP_TO_SERVER, "GET /q HTTP/1.1\r\nHost: x\r\nX-Thing: 2\r\n\r\n");
	/* parsed with the server's ACK: nothing of the request side yet */
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	CHECK_INT(14, sid(0));
	feeds(e, APP_TO_CLIENT, "HTTP/1.1 404 Not Found\r\nX-Thing: 1\r\n"
	      "Content-Length: 10\r\n\r\nsecret...!");
	/* acknowledged by the client: the response side waits for a packet
	 * to the client */
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	CHECK_INT(3, inspect(e, PKT_TO_CLIENT));
	CHECK_INT(10, sid(0));
	CHECK_INT(11, sid(1));
	CHECK_INT(13, sid(2));
	CHECK_INT(0, res_tx[2]);
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	app_env_teardown(e);
}

/* A DNS query with id and the nq question names (type A, class IN). */
static size_t dns_msgv(uint8_t *out, uint16_t id, const char *const *names, uint8_t nq)
{
	static const uint8_t flags[] = { 0x01, 0x00, 0x00 };
	size_t n = 0;

	out[n++] = (uint8_t)(id >> 8);
	out[n++] = (uint8_t)id;
	memcpy(out + n, flags, sizeof(flags));
	n += sizeof(flags);
	out[n++] = nq;
	memset(out + n, 0, 6);
	n += 6;
	for (uint8_t q = 0; q < nq; q++) {
		const char *p = names[q];

		while (*p) {
			const char *dot = strchr(p, '.');
			size_t l = dot ? (size_t)(dot - p) : strlen(p);

			out[n++] = (uint8_t)l;
			memcpy(out + n, p, l);
			n += l;
			p += l + (dot != NULL);
		}
		out[n++] = 0;
		memcpy(out + n, "\x00\x01\x00\x01", 4);
		n += 4;
	}
	return n;
}

static size_t dns_msg(uint8_t *out, uint16_t id, const char *name)
{
	return dns_msgv(out, id, &name, 1);
}

/* dotprefix: ".example.com" with endswith matches the domain and its
 * subdomains, not a name that merely ends alike; it has its own database,
 * so the plain rule on the same buffer is unaffected. */
static void test_dotprefix(void)
{
	static const struct { const char *name; uint32_t alerts; uint32_t first; } cases[] = {
		{ "www.example.com", 2, 20 },
		{ "example.com", 2, 20 },
		{ "badexample.com", 1, 21 },
		{ "example.org", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct app_env *e = setup(
			"alert dns any any -> any any (msg:\"dot\"; dns.query; dotprefix; "
			"content:\".example.com\"; endswith; sid:20;)\n"
			"alert dns any any -> any any (msg:\"plain\"; dns.query; "
			"content:\"example.com\"; endswith; sid:21;)\n", NULL);
		uint8_t m[128];
		size_t n = dns_msg(m, 7, cases[i].name);

		flow_open(e, 17, 5353, 53);
		feed(e, APP_TO_SERVER, m, n);
		CHECK_INT(cases[i].alerts, inspect(e, PKT_TO_SERVER));
		if (cases[i].alerts)
			CHECK_INT(cases[i].first, sid(0));
		app_env_teardown(e);
	}
}

/* Two DNS queries on one flow are two transactions: one alert each. */
static void test_dns_txs(void)
{
	struct app_env *e = setup("alert dns any any -> any any (msg:\"q\"; dns.query; "
			      "content:\"evil\"; sid:30;)\n", NULL);
	uint8_t m[128];
	size_t n;

	flow_open(e, 17, 5354, 53);
	n = dns_msg(m, 1, "evil.test");
	feed(e, APP_TO_SERVER, m, n);
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	n = dns_msg(m, 2, "evil.test");
	feed(e, APP_TO_SERVER, m, n);
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	CHECK_INT(1, txid(0));
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	app_env_teardown(e);
}

/* Suricata 7's multi-buffer matching (rules/multi-buffer-matching.rst):
 * naming a multi-instance buffer again opens a list of its own, which any
 * instance may satisfy alone; within one list every match still needs the
 * same instance. A buffer that is not multi-instance (http.uri) continues
 * its one list when named again. */
static void test_multi_buffer(void)
{
	static const char *const names[] = { "example.net", "something.com" };
	struct app_env *e = setup(
		"alert dns any any -> any any (msg:\"two lists\"; dns.query; content:\"example\"; "
		"dns.query; content:\".com\"; sid:40;)\n"
		"alert dns any any -> any any (msg:\"one list\"; dns.query; content:\"example\"; "
		"content:\".com\"; sid:41;)\n"
		"alert dns any any -> any any (msg:\"second list one instance\"; dns.query; "
		"content:\"some\"; dns.query; content:\"example\"; content:\".com\"; sid:42;)\n"
		"alert dns any any -> any any (msg:\"negated list\"; dns.query; "
		"content:\"something\"; dns.query; content:!\"something\"; sid:43;)\n"
		"alert dns any any -> any any (msg:\"three lists\"; dns.query; content:\".net\"; "
		"pkt_data; dns_query; content:\".com\"; dns.query; content:\"thing\"; sid:44;)\n",
		NULL);
	uint8_t m[128];
	size_t n = dns_msgv(m, 9, names, 2);

	flow_open(e, 17, 5355, 53);
	feed(e, APP_TO_SERVER, m, n);
	CHECK_INT(3, inspect(e, PKT_TO_SERVER));
	CHECK_INT(40, sid(0));
	CHECK_INT(43, sid(1));
	CHECK_INT(44, sid(2));
	app_env_teardown(e);

	e = setup("alert http any any -> any any (msg:\"two headers\"; http.request_header; "
		  "content:\"X-A: 1\"; bsize:6; http.request_header; content:\"X-B: 2\"; "
		  "sid:50;)\n"
		  "alert http any any -> any any (msg:\"one header\"; http.request_header; "
		  "content:\"X-A\"; content:\"X-B\"; sid:51;)\n"
		  "alert http any any -> any any (msg:\"uri again\"; http.uri; content:\"/x\"; "
		  "http.uri; content:\"/y\"; distance:0; sid:52;)\n"
		  "alert http any any -> any any (msg:\"uri again, in order\"; http.uri; "
		  "content:\"/y\"; http.uri; content:\"/x\"; distance:0; sid:53;)\n", NULL);
	flow_open(e, 6, 40001, 80);
	feeds(e, APP_TO_SERVER, "GET /y/x HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nX-B: 2\r\n\r\n");
	CHECK_INT(2, inspect(e, PKT_TO_SERVER));
	CHECK_INT(50, sid(0));
	CHECK_INT(53, sid(1));
	app_env_teardown(e);
}

/* The settings reach the parsers: a response body is held back until the
 * minimal inspection size or its end; enabled: no stops detection,
 * detection-only keeps the protocol but parses nothing; DNS detection
 * ports; uri-include-all and double-decode-path shape http.uri (libhtp's
 * normalised URI keeps the port as a number only, so it is not there). */
static void test_config(void)
{
	struct applayer_config cfg;
	struct app_env *e;
	char err[128];
	struct app_ports ps;

	applayer_config_init(&cfg);
	cfg.response_inspect_min = 8;
	e = setup("alert http any any -> any any (msg:\"body\"; http.response_body; "
		  "content:\"abc\"; sid:40;)\n", &cfg);
	flow_open(e, 6, 40003, 80);
	feeds(e, APP_TO_SERVER, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	feeds(e, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nabc");
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	feeds(e, APP_TO_CLIENT, "defgh");
	CHECK_INT(1, inspect(e, PKT_TO_CLIENT));
	flow_close(e);
	/* shorter than the minimum: at the end of the direction */
	flow_open(e, 6, 40004, 80);
	feeds(e, APP_TO_SERVER, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	feeds(e, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\n\r\nabc");
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	app_flow_eof(e->al, e->f.app, APP_TO_CLIENT);
	CHECK_INT(1, inspect(e, PKT_TO_CLIENT));
	app_env_teardown(e);

	applayer_config_init(&cfg);
	cfg.mode[0][APP_PROTO_HTTP] = APP_MODE_OFF;
	e = setup("alert tcp any any -> any any (msg:\"proto\"; app-layer-protocol:http; "
		  "sid:41;)\n", &cfg);
	flow_open(e, 6, 40005, 80);
	feeds(e, APP_TO_SERVER, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	CHECK_INT(APP_PROTO_UNKNOWN, app_flow_proto(e->f.app));
	app_env_teardown(e);

	cfg.mode[0][APP_PROTO_HTTP] = APP_MODE_DETECT_ONLY;
	e = setup("alert http any any -> any any (msg:\"uri\"; http.uri; content:\"/\"; "
		  "sid:42;)\n", &cfg);
	flow_open(e, 6, 40006, 80);
	feeds(e, APP_TO_SERVER, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	CHECK_INT(APP_PROTO_HTTP, app_flow_proto(e->f.app));
	CHECK_INT(0, app_flow_ntx(e->f.app));
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	app_env_teardown(e);

	/* DNS on 5300 only once it is a detection port */
	applayer_config_init(&cfg);
	CHECK_INT(0, app_ports_parse("[53, 5300:5310]", &cfg.dns_dp[1], err, sizeof(err)));
	e = setup("alert dns any any -> any any (msg:\"q\"; dns.query; content:\"evil\"; "
		  "sid:43;)\n", &cfg);
	{
		uint8_t m[128];
		size_t n = dns_msg(m, 1, "evil.test");

		flow_open(e, 17, 6000, 5305);
		feed(e, APP_TO_SERVER, m, n);
		CHECK_INT(APP_PROTO_DNS, app_flow_proto(e->f.app));
		CHECK_INT(1, inspect(e, PKT_TO_SERVER));
		flow_close(e);
		flow_open(e, 17, 6000, 5311);
		feed(e, APP_TO_SERVER, m, n);
		CHECK_INT(APP_PROTO_FAILED, app_flow_proto(e->f.app));
	}
	app_env_teardown(e);
	CHECK_INT(-EINVAL, app_ports_parse("53,x", &ps, err, sizeof(err)));
	CHECK_INT(-EINVAL, app_ports_parse("70000", &ps, err, sizeof(err)));
	CHECK_INT(-EINVAL, app_ports_parse("[53", &ps, err, sizeof(err)));
	CHECK_INT(0, app_ports_parse("1024:", &ps, err, sizeof(err)));
	CHECK(app_ports_has(&ps, 65535) && !app_ports_has(&ps, 1023));

	applayer_config_init(&cfg);
	cfg.uri_include_all = true;
	cfg.double_decode_path = true;
	e = setup("alert http any any -> any any (msg:\"all\"; http.uri; "
		  "content:\"http://h.test/a b\"; bsize:17; sid:44;)\n", &cfg);
	flow_open(e, 6, 40007, 8080);
	feeds(e, APP_TO_SERVER, "GET http://h.test:8080/a%2520b HTTP/1.1\r\nHost: h.test\r\n\r\n");
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	app_env_teardown(e);
}

/* An http rule whose only content is on the payload (ET's "urilen:7;
 * content:\"/a.Test\"") is a candidate only on packets whose payload holds
 * that content, its gate: not on every update of every transaction. */
static void test_payload_gate(void)
{
	static const char hit[] = "GET /a.Test HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char miss[] = "GET /b.Test HTTP/1.1\r\nHost: b\r\n\r\n";
	struct app_env *e = setup(
		"alert http any any -> any any (msg:\"gated\"; flow:to_server; urilen:7; "
		"content:\"/a.Test\"; sid:10;)\n", NULL);
	const struct detect_stats *st = detect_thread_stats(e->d.dt);
	struct packet p;
	uint64_t cand;

	flow_open(e, 6, 40000, 80);
	feeds(e, APP_TO_SERVER, miss);
	p = app_env_packet(e, PKT_TO_SERVER, 0);
	p.payload = (const uint8_t *)miss;
	p.payload_len = (uint32_t)strlen(miss);
	cand = st->candidates;
	CHECK_INT(0, inspect_pkt(e, &p));
	CHECK_INT(0, st->candidates - cand);
	feeds(e, APP_TO_SERVER, hit);
	p.payload = (const uint8_t *)hit;
	p.payload_len = (uint32_t)strlen(hit);
	CHECK_INT(1, inspect_pkt(e, &p));
	CHECK_INT(10, sid(0));
	CHECK_INT(1, txid(0));
	CHECK_INT(1, st->candidates - cand);
	/* the same content, a transaction whose uri is longer: a candidate
	 * that the verification turns down */
	feeds(e, APP_TO_SERVER, "GET /a.Test2 HTTP/1.1\r\nHost: c\r\n\r\n");
	p.payload = (const uint8_t *)"GET /a.Test2";
	p.payload_len = 12;
	CHECK_INT(0, inspect_pkt(e, &p));
	CHECK_INT(2, st->candidates - cand);
	app_env_teardown(e);
}

/* A rule whose header (numbered: two rules share it) is known to fail the
 * flow direction is no candidate of a later transaction: dropped when the
 * prefilter reports it, not remembered for the next update. The client
 * 10.0.0.1 is not in 192.168.0.0/16. */
static void test_header_known_failed(void)
{
	struct app_env *e = setup(
		"alert http 192.168.0.0/16 any -> any any (msg:\"a\"; flow:to_server; "
		"http.uri; content:\"/a\"; sid:1;)\n"
		"alert http 192.168.0.0/16 any -> any any (msg:\"b\"; flow:to_server; "
		"http.uri; content:\"/b\"; sid:2;)\n"
		"alert http any any -> any any (msg:\"c\"; flow:to_server; "
		"http.uri; content:\"/c\"; sid:3;)\n"
		"alert tcp-pkt 192.168.0.0/16 any -> any any (msg:\"d\"; flow:to_server; "
		"content:\"GET\"; sid:4;)\n",
		NULL);
	const struct detect_stats *st = detect_thread_stats(e->d.dt);
	static const char req[] = "GET /a/c HTTP/1.1\r\nHost: a\r\n\r\n";
	static const uint8_t tcph[20];
	struct packet p;
	uint64_t cand;

	flow_open(e, 6, 40000, 80);
	/* the header is not known yet: verified, and it fails */
	cand = st->candidates;
	feeds(e, APP_TO_SERVER, "GET /a/c HTTP/1.1\r\nHost: a\r\n\r\n");
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	CHECK_INT(3, sid(0));
	CHECK_INT(2, st->candidates - cand);
	CHECK(e->f.det.addr.cls_known[PKT_TO_SERVER] != 0);
	CHECK_INT(0, e->f.det.addr.cls_pass[PKT_TO_SERVER]);
	/* now sids 1 and 2 are dropped, in the new transaction's buffers as
	 * in what the first one's update would bring */
	cand = st->candidates;
	feeds(e, APP_TO_SERVER, "GET /a/b/c HTTP/1.1\r\nHost: a\r\n\r\n");
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	CHECK_INT(3, sid(0));
	CHECK_INT(1, st->candidates - cand);
	flow_close(e);
	/* a packet rule of the same header, a candidate of the packet that
	 * carries the request, learns it first: the transaction's candidates
	 * of that packet lose sid 1 already (sids 4 and 3 are left) */
	flow_open(e, 6, 40001, 80);
	cand = st->candidates;
	feeds(e, APP_TO_SERVER, req);
	p = app_env_packet(e, PKT_TO_SERVER, 0);
	p.l4 = tcph;
	p.payload = (const uint8_t *)req;
	p.payload_len = (uint32_t)strlen(req);
	CHECK_INT(1, inspect_pkt(e, &p));
	CHECK_INT(3, sid(0));
	CHECK_INT(2, st->candidates - cand);
	flow_close(e);
	app_env_teardown(e);
}

/* An http rule whose longest content is one repeated byte prefilters on
 * its other one (fp_one_byte_run): a uri of that run alone makes no
 * candidate, the other content does, and both are verified. */
static void test_run_fast_pattern(void)
{
	struct app_env *e = setup(
		"alert http any any -> any any (msg:\"run\"; flow:to_server; http.uri; "
		"content:\"AAAAAAAAAAAA\"; http.uri; content:\"/x.php\"; sid:11;)\n", NULL);
	const struct detect_stats *st = detect_thread_stats(e->d.dt);
	uint64_t cand;

	flow_open(e, 6, 40000, 80);
	cand = st->candidates;
	feeds(e, APP_TO_SERVER, "GET /AAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: a\r\n\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	CHECK_INT(0, st->candidates - cand);
	feeds(e, APP_TO_SERVER, "GET /x.php?AAAA HTTP/1.1\r\nHost: a\r\n\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	CHECK_INT(1, st->candidates - cand);
	feeds(e, APP_TO_SERVER, "GET /x.php?AAAAAAAAAAAA HTTP/1.1\r\nHost: a\r\n\r\n");
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	CHECK_INT(11, sid(0));
	CHECK_INT(2, st->candidates - cand);
	flow_close(e);
	app_env_teardown(e);
}

/* One request per flow, then its alerts (sids, sorted by the engine). */
static uint32_t one_request(struct app_env *e, uint16_t cport, const char *method, const char *ua)
{
	char req[512];
	uint32_t n;

	snprintf(req, sizeof(req), "%s / HTTP/1.1\r\nHost: h\r\nUser-Agent: %s\r\n\r\n", method, ua);
	flow_open(e, 6, cport, 80);
	feeds(e, APP_TO_SERVER, req);
	n = inspect(e, PKT_TO_SERVER);
	flow_close(e);
	return n;
}

/* Short buffers seen before take their prefilter answer from the worker's
 * memo (detect_patmemo.c): the same alerts as a scan, other bytes of the
 * same length scanned anew, buffers too long or with too many hits to keep
 * scanned every time. */
static void test_scan_memo(void)
{
	char many[256] = "", longua[200];
	struct app_env *e = setup(
		"alert http any any -> any any (http.method; content:\"GET\"; sid:1;)\n"
		"alert http any any -> any any (http.user_agent; content:\"curl/\"; sid:2;)\n"
		"alert http any any -> any any (http.method; content:\"PUT\"; sid:3;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k00\"; sid:10;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k01\"; sid:11;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k02\"; sid:12;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k03\"; sid:13;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k04\"; sid:14;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k05\"; sid:15;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k06\"; sid:16;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k07\"; sid:17;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k08\"; sid:18;)\n"
		"alert http any any -> any any (http.user_agent; content:\"k09\"; sid:19;)\n"
		"alert http any any -> any any (http.user_agent; content:\"U07\"; sid:20;)\n", NULL);
	const struct detect_stats *st = detect_thread_stats(e->d.dt);
	uint64_t r0;

	CHECK_INT(2, one_request(e, 41000, "GET", "curl/8.0"));
	CHECK_INT(1, sid(0));
	CHECK_INT(2, sid(1));
	r0 = st->mpm_remembered;
	CHECK_INT(2, one_request(e, 41001, "GET", "curl/8.0"));
	CHECK_INT(1, sid(0));
	CHECK_INT(2, sid(1));
	CHECK(st->mpm_remembered >= r0 + 2);	/* method and user agent at least */
	/* same length, other bytes: scanned, not GET's answer */
	r0 = st->mpm_remembered;
	CHECK_INT(2, one_request(e, 41002, "PUT", "curl/8.0"));
	CHECK_INT(2, sid(0));
	CHECK_INT(3, sid(1));
	CHECK(st->mpm_remembered >= r0 + 1);	/* the user agent */
	/* ten patterns in one buffer: more than an entry keeps */
	for (int k = 0; k < 10; k++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "k%02d ", k);
	for (int round = 0; round < 2; round++) {
		r0 = st->mpm_remembered;
		CHECK_INT(10, one_request(e, (uint16_t)(41003 + round), "POST", many));
		CHECK_INT(10, sid(0));
		CHECK_INT(19, sid(9));
		/* POST from the second round on; the user agent never */
		CHECK_INT(round, (long long)(st->mpm_remembered - r0));
	}
	/* longer than PAT_MEMO_LEN: always scanned */
	memset(longua, 'x', sizeof(longua) - 1);
	longua[sizeof(longua) - 1] = '\0';
	memcpy(longua + 150, "curl/", 5);
	CHECK_INT(2, one_request(e, 41005, "GET", longua));
	r0 = st->mpm_remembered;
	CHECK_INT(2, one_request(e, 41006, "GET", longua));
	CHECK_INT(2, sid(1));
	CHECK_INT(1, (long long)(st->mpm_remembered - r0));	/* GET only */
	/* more buffers than slots: entries are replaced, and a slot holding
	 * other bytes of the same length never answers for them */
	for (int k = 0, wrong = 0; k < 3000; k++) {
		char m[8];

		snprintf(m, sizeof(m), "U%04d", (k * 7919) % 1500);
		wrong += one_request(e, (uint16_t)(42000 + k), "HEAD", m) != (strncmp(m, "U07", 3) == 0);
		if (k == 2999)
			CHECK_INT(0, wrong);
	}
	CHECK(st->mpm_remembered > r0);
	app_env_teardown(e);
}

/* A candidate that failed on one of its buffers is not verified again
 * while that buffer is unchanged (detect.app_unchanged): the response
 * makes the request side due again, yet only the rules whose failing
 * buffer grew, or that failed on something else (a flowbit set since),
 * are verified; a buffer that appears later (the headers after the
 * request line) or grows (a response body) is verified again. */
static void test_unchanged_miss(void)
{
	struct applayer_config cfg;
	struct app_env *e;
	const struct detect_stats *st;
	uint64_t u0;

	applayer_config_init(&cfg);
	cfg.response_inspect_min = 8;
	e = setup("alert http any any -> any any (msg:\"ua\"; http.method; content:\"GET\"; "
		  "fast_pattern; http.user_agent; content:\"evil\"; sid:1;)\n"
		  "alert http any any -> any any (msg:\"bit\"; flow:to_server; http.method; "
		  "content:\"GET\"; fast_pattern; flowbits:isset,seen; sid:2;)\n"
		  "alert http any any -> any any (msg:\"set\"; flow:to_client; http.stat_code; "
		  "content:\"200\"; flowbits:set,seen; flowbits:noalert; sid:3;)\n"
		  "alert http any any -> any any (msg:\"late\"; http.uri; content:\"/p\"; "
		  "fast_pattern; http.header; content:\"X-Late: 1\"; sid:4;)\n"
		  "alert http any any -> any any (msg:\"body\"; http.stat_code; content:\"200\"; "
		  "fast_pattern; http.response_body; content:\"evil\"; sid:5;)\n", &cfg);
	st = detect_thread_stats(e->d.dt);
	flow_open(e, 6, 40010, 80);
	/* the request line alone: sid 4's headers are not there yet */
	feeds(e, APP_TO_SERVER, "GET /p HTTP/1.1\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	feeds(e, APP_TO_SERVER, "Host: h\r\nUser-Agent: fine\r\nX-Late: 1\r\n\r\n");
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	CHECK_INT(4, sid(0));
	/* the response: sid 3 sets the flowbit, sid 5 fails on the body; the
	 * request side is due again, where sid 1's user agent is unchanged
	 * and sid 2 now holds */
	feeds(e, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\nabcdefghij");
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	u0 = st->app_unchanged;
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	CHECK_INT(2, sid(0));
	CHECK_INT(1, (long long)(st->app_unchanged - u0));
	/* more of the body: sid 5 verified again, sid 1 still not */
	feeds(e, APP_TO_CLIENT, "klmnopqrst");
	u0 = st->app_unchanged;
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	CHECK_INT(0, (long long)(st->app_unchanged - u0));
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	CHECK_INT(1, (long long)(st->app_unchanged - u0));
	/* the body grows with what sid 5 looks for: verified again */
	feeds(e, APP_TO_CLIENT, "uvw evil..");
	CHECK_INT(1, inspect(e, PKT_TO_CLIENT));
	CHECK_INT(5, sid(0));
	flow_close(e);
	app_env_teardown(e);
}

/* A transaction's update scans only what can still bring candidates: a
 * buffer that appears after the first look (the User-Agent after the
 * request line) or that grows (a response body) is scanned again; the
 * buffers complete and scanned (the request's, once the response makes
 * that side due again; the status code) are not. */
static void test_settled_variants(void)
{
	struct applayer_config cfg;
	struct app_env *e;
	const struct detect_stats *st;
	uint64_t n0, b0;

	applayer_config_init(&cfg);
	cfg.response_inspect_min = 8;
	e = setup("alert http any any -> any any (msg:\"uri\"; http.uri; content:\"/p\"; sid:1;)\n"
		  "alert http any any -> any any (msg:\"ua\"; http.user_agent; "
		  "content:\"agent\"; sid:2;)\n"
		  "alert http any any -> any any (msg:\"body\"; http.response_body; "
		  "content:\"evil\"; sid:3;)\n"
		  "alert http any any -> any any (msg:\"code\"; http.stat_code; "
		  "content:\"200\"; sid:4;)\n", &cfg);
	st = detect_thread_stats(e->d.dt);
	flow_open(e, 6, 40020, 80);
	feeds(e, APP_TO_SERVER, "GET /p HTTP/1.1\r\n");
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	CHECK_INT(1, sid(0));
	/* the headers: the user agent scanned, the URI (the same) not */
	feeds(e, APP_TO_SERVER, "Host: h\r\nUser-Agent: agent\r\n\r\n");
	n0 = st->mpm_scans + st->mpm_remembered;
	b0 = st->mpm_app_bytes;
	CHECK_INT(1, inspect(e, PKT_TO_SERVER));
	CHECK_INT(2, sid(0));
	CHECK_INT(1, (long long)(st->mpm_scans + st->mpm_remembered - n0));
	CHECK_INT(5, (long long)(st->mpm_app_bytes - b0));
	feeds(e, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nabcdefghij");
	CHECK_INT(1, inspect(e, PKT_TO_CLIENT));
	CHECK_INT(4, sid(0));
	/* the request side is due again: nothing of it is scanned */
	n0 = st->mpm_scans + st->mpm_remembered;
	b0 = st->mpm_app_bytes;
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	CHECK_INT(0, (long long)(st->mpm_scans + st->mpm_remembered - n0));
	CHECK_INT(0, (long long)(st->mpm_app_bytes - b0));
	/* the body grows with what sid 3 looks for: the body alone scanned */
	feeds(e, APP_TO_CLIENT, "klm evil..");
	n0 = st->mpm_scans + st->mpm_remembered;
	CHECK_INT(1, inspect(e, PKT_TO_CLIENT));
	CHECK_INT(3, sid(0));
	CHECK_INT(1, (long long)(st->mpm_scans + st->mpm_remembered - n0));
	flow_close(e);
	app_env_teardown(e);
}

/* Packets to the client before the response (the server's ACK of the
 * request) find nothing of its side to scan; once the status line and
 * headers are in, the response buffers are scanned and alert. */
static void test_response_unstarted(void)
{
	struct app_env *e = setup("alert http any any -> any any (msg:\"code\"; "
				  "http.stat_code; content:\"200\"; sid:1;)\n"
				  "alert http any any -> any any (msg:\"server\"; "
				  "http.server; content:\"srv\"; sid:2;)\n", NULL);
	const struct detect_stats *st = detect_thread_stats(e->d.dt);
	uint64_t n0;

	flow_open(e, 6, 40030, 80);
	feeds(e, APP_TO_SERVER, "GET /p HTTP/1.1\r\nHost: h\r\n\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	n0 = st->mpm_scans + st->mpm_remembered;
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	CHECK_INT(0, inspect(e, PKT_TO_CLIENT));
	CHECK_INT(0, (long long)(st->mpm_scans + st->mpm_remembered - n0));
	feeds(e, APP_TO_CLIENT, "HTTP/1.1 200 OK\r\nServer: srv\r\nContent-Length: 0\r\n\r\n");
	CHECK_INT(2, inspect(e, PKT_TO_CLIENT));
	CHECK_INT(1, sid(0));
	CHECK_INT(2, sid(1));
	flow_close(e);
	app_env_teardown(e);
}

/* A repeated request header is merged into its first by libhtp ("ab, cd"),
 * which would change a header block before its old end: the side's header
 * buffers appear only once its headers are complete (as Suricata inspects
 * them), so no update ever scanned the block before the merge. */
static void test_merged_header(void)
{
	struct app_env *e = setup("alert http any any -> any any (msg:\"merged\"; "
				  "http.header; content:\"ab, cd\"; sid:1;)\n"
				  "alert http any any -> any any (msg:\"b\"; "
				  "http.header; content:\"X-B: 1234\"; sid:2;)\n", NULL);

	flow_open(e, 6, 40031, 80);
	feeds(e, APP_TO_SERVER, "GET /p HTTP/1.1\r\nX-A: ab\r\nX-B: 12345678\r\n");
	CHECK_INT(0, inspect(e, PKT_TO_SERVER));
	feeds(e, APP_TO_SERVER, "X-A: cd\r\n\r\n");
	CHECK_INT(2, inspect(e, PKT_TO_SERVER));
	CHECK_INT(1, sid(0));
	CHECK_INT(2, sid(1));
	flow_close(e);
	app_env_teardown(e);
}

int main(void)
{
	test_per_tx();
	test_alert_max();
	test_pass_clears();
	test_directions();
	test_dotprefix();
	test_dns_txs();
	test_multi_buffer();
	test_config();
	test_payload_gate();
	test_header_known_failed();
	test_run_fast_pattern();
	test_scan_memo();
	test_unchanged_miss();
	test_settled_variants();
	test_response_unstarted();
	test_merged_header();
	return check_result("detect_applayer");
}
