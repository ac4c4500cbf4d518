/* SPDX-License-Identifier: MIT */
/* A TCP session that closes (its last ACK, or an RST) ends its data at
 * once: the streams' reassembly state and the app layer's parser go with
 * the packet that closed it, the transactions still held are logged then,
 * and the flow itself stays (its protocol known) until its timeout writes
 * its record. Packets after the close bring no state back; a new session
 * on the same 5-tuple gets its own. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common/wmem.h"
#include "dataplane/decode/pkt_build.h"
#include "dataplane/pipeline/pipeline.h"
#include "pipeline_fixture.h"
#include "rules/rules.h"

#define T0 1700000000000000ull    /* microseconds */

static struct pipeline *pl;
static uint64_t cnt, now = T0;

static const char *C = "10.0.3.1", *S = "10.0.3.2";

/* The client's and the server's ports of the session tcp() sends in. */
static uint16_t cport = 40000, sport = 80;

/* One Ethernet + IPv4 + TCP frame with payload pl_s, client to server
 * (to_server) or back, run 10 us after the last; returns its flow. */
static struct flow *tcp(bool to_server, uint8_t flags, uint32_t seq, uint32_t ack,
			const char *pl_s)
{
	uint8_t f[512] = { 0 };
	union ip_addr s = { 0 }, d = { 0 };
	struct packet p = { 0 };
	size_t ip, n = strlen(pl_s);
	uint8_t *th;
	uint32_t sum;

	CHECK_INT(1, inet_pton(AF_INET, to_server ? C : S, s.b));
	CHECK_INT(1, inet_pton(AF_INET, to_server ? S : C, d.b));
	f[12] = 0x08;                     /* ethertype IPv4 */
	ip = pkt_ip_header(4, f + 14, &s, &d, 6, (uint16_t)(20 + n), false);
	th = f + 14 + ip;
	pkt_put16(th, to_server ? cport : sport);
	pkt_put16(th + 2, to_server ? sport : cport);
	pkt_put32(th + 4, seq);
	pkt_put32(th + 8, ack);
	th[12] = 5 << 4;                  /* data offset: 20 bytes */
	th[13] = flags;
	pkt_put16(th + 14, 65535);
	memcpy(th + 20, pl_s, n);
	sum = pkt_pseudo_sum(4, &s, &d, 6, (uint16_t)(20 + n));
	pkt_put16(th + 16, pkt_csum_fold(pkt_csum_add(sum, th, 20 + n)));
	p.data = f;
	p.len = p.wire_len = (uint32_t)(14 + ip + 20 + n);
	p.ts_us = now += 10;
	p.pcap_cnt = ++cnt;
	pipeline_packet(pl, &p);
	return p.flow;
}

static const char REQ[] = "GET /close HTTP/1.1\r\nHost: example\r\n\r\n";
static const char RSP[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

/* The handshake and one request answered, client ISN cs, server ISN ss;
 * returns the flow. */
static struct flow *session(uint32_t cs, uint32_t ss)
{
	const uint32_t rq = sizeof(REQ) - 1, rs = sizeof(RSP) - 1;

	tcp(true, TCP_SYN, cs, 0, "");
	tcp(false, TCP_SYN | TCP_ACK, ss, cs + 1, "");
	tcp(true, TCP_ACK, cs + 1, ss + 1, "");
	tcp(true, TCP_ACK | TCP_PSH, cs + 1, ss + 1, REQ);
	tcp(false, TCP_ACK | TCP_PSH, ss + 1, cs + 1 + rq, RSP);
	return tcp(true, TCP_ACK, cs + 1 + rq, ss + 1 + rs, "");
}

static char dir[] = "/tmp/test_pipeline_close.XXXXXX";
static struct detect_engine *de;
static struct ruleset *rs;

/* The parsers run for a pipeline with rules: one on the response's body,
 * whose alert comes with the packet that closes the session. */
static struct detect_engine *engine(void)
{
	char path[128], e[256] = "";
	struct rule_env *renv = rule_env_new();
	struct detect_engine *d = NULL;
	FILE *f;

	rs = ruleset_new();
	snprintf(path, sizeof(path), "%s/close.rules", dir);
	f = fopen(path, "w");
	CHECK(f != NULL && renv != NULL && rs != NULL);
	if (f == NULL || renv == NULL || rs == NULL)
		goto out;
	fputs("alert http any any -> any any (msg:\"body\"; file_data; content:\"ok\"; "
	      "sid:7;)\n", f);
	/* a stream rule that never matches: the response streams are scanned
	 * with the body patterns joined (a carry state and a body log) */
	fputs("alert tcp any any -> any any (msg:\"stream\"; content:\"not sent\"; "
	      "sid:8;)\n", f);
	fclose(f);
	rule_env_set_default_vars(renv);
	CHECK_INT(0, ruleset_load_file(rs, renv, path, stderr));
	ruleset_finalize(rs, stderr);
	d = detect_engine_build(rs, e, sizeof(e));
	CHECK(d != NULL);
out:
	unlink(path);
	rule_env_free(renv);
	return d;
}

static struct eve_file *start(void)
{
	struct pipeline_config cfg = {
		.flow = { .memcap = 1u << 20, .hash_size = 256 },
		.de = de,
		.nrules = 2,
		.socket = -1,
	};

	return pipeline_fixture_start(&pl, &cfg, dir, "eve.json");
}

/* End of input; the records written (caller frees). */
static char *finish(struct eve_file *ef)
{
	return pipeline_fixture_finish(&pl, ef, dir, "eve.json");
}

static unsigned count(const char *s, const char *needle)
{
	unsigned n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* FIN both ways, the last ACK: the data ends with that ACK. */
static void test_fin(void)
{
	struct eve_file *ef = start();
	const uint32_t cs = 1000, ss = 9000, rq = sizeof(REQ) - 1, rs = sizeof(RSP) - 1;
	struct flow *f;
	char *eve;

	if (ef == NULL)
		return;
	f = session(cs, ss);
	CHECK(f != NULL && f->stream != NULL && f->app != NULL);
	CHECK(stream_ctx_stats(pl->st)->memuse > 0);
	f = tcp(true, TCP_FIN | TCP_ACK, cs + 1 + rq, ss + 1 + rs, "");
	f = tcp(false, TCP_FIN | TCP_ACK, ss + 1 + rs, cs + 2 + rq, "");
	/* LAST_ACK: the client's ACK of the server's FIN may still come */
	CHECK(f->stream != NULL);
	CHECK(!(f->flags & FLOW_F_DATA_ENDED));
	f = tcp(true, TCP_ACK, cs + 2 + rq, ss + 2 + rs, "");
	CHECK(f->flags & FLOW_F_DATA_ENDED);
	CHECK(f->stream == NULL);
	CHECK_INT(0, stream_ctx_stats(pl->st)->memuse);
	/* the flow waits for its timeout, its protocol known */
	CHECK_INT(1, flow_table_stats(pl->ft)->active);
	CHECK(f->app != NULL && app_flow_proto(f->app) == APP_PROTO_HTTP);
	CHECK_INT(0, app_flow_ntx(f->app));
	/* a late retransmission of the response brings nothing back */
	f = tcp(false, TCP_ACK | TCP_PSH, ss + 1, cs + 2 + rq, RSP);
	CHECK(f->stream == NULL);
	CHECK_INT(0, app_flow_ntx(f->app));
	eve = finish(ef);
	if (eve == NULL)
		return;
	/* the transaction was logged once, complete; the flow's record names
	 * the protocol the retired parser had */
	CHECK_INT(1, count(eve, "\"event_type\":\"http\""));
	CHECK(strstr(eve, "\"status\":200") != NULL);
	CHECK_INT(1, count(eve, "\"event_type\":\"flow\""));
	CHECK(strstr(eve, "\"app_proto\":\"http\"") != NULL);
	CHECK_INT(1, count(eve, "\"signature_id\":7,"));
	free(eve);
}

/* An RST ends the data with it; a new session on the 5-tuple (port reuse)
 * gets new state and is parsed. */
static void test_rst_reuse(void)
{
	struct eve_file *ef = start();
	const uint32_t rq = sizeof(REQ) - 1;
	struct flow *f;
	char *eve;

	if (ef == NULL)
		return;
	session(2000, 8000);
	f = tcp(true, TCP_RST | TCP_ACK, 2001 + rq, 0, "");
	CHECK(f->flags & FLOW_F_DATA_ENDED);
	CHECK(f->stream == NULL);
	f = session(500000, 700000);
	CHECK(!(f->flags & FLOW_F_DATA_ENDED));
	CHECK(f->stream != NULL && f->app != NULL && app_flow_ntx(f->app) == 1);
	CHECK_INT(1, flow_table_stats(pl->ft)->tcp_reused);
	eve = finish(ef);
	if (eve == NULL)
		return;
	CHECK_INT(2, count(eve, "\"event_type\":\"http\""));
	CHECK_INT(2, count(eve, "\"event_type\":\"flow\""));
	free(eve);
}

/* The handshake, then each of lines[0..n) in turn, the server's first,
 * each acked; the client's ISN cs, the server's ss. *cn, *sn: the next
 * sequence numbers. Returns the flow. */
static struct flow *talk(const char *const *lines, unsigned n, uint32_t cs, uint32_t ss,
			 uint32_t *cn, uint32_t *sn)
{
	struct flow *f;

	tcp(true, TCP_SYN, cs, 0, "");
	tcp(false, TCP_SYN | TCP_ACK, ss, cs + 1, "");
	f = tcp(true, TCP_ACK, cs + 1, ss + 1, "");
	*cn = cs + 1;
	*sn = ss + 1;
	for (unsigned i = 0; i < n; i++) {
		const uint32_t len = (uint32_t)strlen(lines[i]);

		if (i % 2 == 1) {
			tcp(true, TCP_ACK | TCP_PSH, *cn, *sn, lines[i]);
			*cn += len;
			f = tcp(false, TCP_ACK, *sn, *cn, "");
		} else {
			tcp(false, TCP_ACK | TCP_PSH, *sn, *cn, lines[i]);
			*sn += len;
			f = tcp(true, TCP_ACK, *cn, *sn, "");
		}
	}
	return f;
}

/* An FTP control connection that announced a transfer (PASV) and closed
 * before the data connection came: the transfer is still expected, as
 * Suricata's expectation lives as long as its flow. */
static void test_ftp_expectation(void)
{
	static const char *const ctl[] = {
		"220 ready\r\n", "USER a\r\n", "331 pass\r\n", "PASS b\r\n",
		"230 in\r\n", "PASV\r\n", "227 Entering Passive Mode (10,0,3,2,195,80)\r\n",
		"RETR x\r\n", "150 go\r\n", "QUIT\r\n", "221 bye\r\n",
	};
	struct eve_file *ef = start();
	uint32_t cn, sn;
	struct flow *f;
	char *eve;

	if (ef == NULL)
		return;
	cport = 40001;
	sport = 21;
	talk(ctl, sizeof(ctl) / sizeof(ctl[0]), 3000, 6000, &cn, &sn);
	tcp(false, TCP_FIN | TCP_ACK, sn, cn, "");
	tcp(true, TCP_FIN | TCP_ACK, cn, sn + 1, "");
	f = tcp(false, TCP_ACK, sn + 1, cn + 1, "");
	CHECK(f->flags & FLOW_F_DATA_ENDED);
	CHECK(f->stream == NULL);
	/* the data connection to the announced port (195 * 256 + 80) */
	cport = 40002;
	sport = 50000;
	tcp(true, TCP_SYN, 100, 0, "");
	tcp(false, TCP_SYN | TCP_ACK, 200, 101, "");
	tcp(true, TCP_ACK, 101, 201, "");
	tcp(false, TCP_ACK | TCP_PSH, 201, 101, "file bytes");
	f = tcp(true, TCP_ACK, 101, 211, "");
	CHECK(f->app != NULL && app_flow_proto(f->app) == APP_PROTO_FTPDATA);
	cport = 40000;
	sport = 80;
	eve = finish(ef);
	if (eve == NULL)
		return;
	CHECK(strstr(eve, "\"app_proto\":\"ftp-data\"") != NULL);
	free(eve);
}

/* What detection keeps for a session's stream windows (both directions'
 * carry states, the response's body log) comes from the worker's pool and
 * goes back to it when the session closes; the parsers' state goes at the
 * flows' release, and after the end of input nothing taken from the pool is
 * left out (pipeline_fixture_finish checks it). */
static void test_pool_release(void)
{
	struct eve_file *ef = start();
	const uint32_t rq = sizeof(REQ) - 1, rs = sizeof(RSP) - 1;
	struct flow *f;
	char *eve;

	if (ef == NULL)
		return;
	for (unsigned i = 0; i < 100; i++) {
		cport = (uint16_t)(41000 + i);
		session(10000 + i, 90000 + i);
		/* the response's window is due with the server's next packet */
		f = tcp(false, TCP_ACK, 90001 + i + rs, 10001 + i + rq, "");
		CHECK(f->det.d[PKT_TO_SERVER] != NULL && f->det.d[PKT_TO_CLIENT] != NULL &&
		      f->det.d[PKT_TO_CLIENT]->body != NULL);
		f = tcp(true, TCP_RST | TCP_ACK, 10001 + i + rq, 0, "");
		CHECK(f->flags & FLOW_F_DATA_ENDED);
		CHECK(f->det.d[PKT_TO_SERVER] == NULL && f->det.d[PKT_TO_CLIENT] == NULL);
	}
	CHECK(wmem_used_bytes(applayer_ctx_mem(pl->al)) > 0);	/* the flows wait */
	cport = 40000;
	eve = finish(ef);
	if (eve == NULL)
		return;
	CHECK_INT(100, count(eve, "\"signature_id\":7,"));
	free(eve);
}

int main(void)
{
	CHECK(mkdtemp(dir) != NULL);
	de = engine();
	if (de != NULL) {
		test_fin();
		test_rst_reuse();
		test_ftp_expectation();
		test_pool_release();
		detect_engine_free(de);
	}
	ruleset_free(rs);
	rmdir(dir);
	return check_result("pipeline_close");
}
