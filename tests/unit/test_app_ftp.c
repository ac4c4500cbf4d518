// SPDX-License-Identifier: MIT
/* The FTP control connection's parser and the expectations it announces:
 * transactions per command, PORT's host for ftpbounce (also split over
 * feeds), PASV/EPSV/PORT/EPRT then RETR/STOR making the data connection
 * ftp-data in the direction Suricata expects, expectations used once,
 * taken however late but dropped past 30 s when another connection of the
 * pair meets them, 10 per address pair, gone with their control
 * connection, a table shared by two contexts (two workers); malformed
 * lines counted, long lines cut. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dataplane/applayer/applayer.h"
#include "tests/unit/check.h"

static struct applayer_ctx *ctx;
static const union ip_addr cli = { .b = { 192, 168, 1, 10 } }, srv = { .b = { 198, 51, 100, 5 } };

static struct app_flow *flow(struct applayer_ctx *c, uint16_t cport, uint16_t sport,
			     const union ip_addr *ca, const union ip_addr *sa)
{
	struct app_flow *af = app_flow_new(c, 6, cport, sport);

	CHECK(af != NULL);
	app_flow_set_addrs(af, 4, ca, sa);
	return af;
}

static void feeds(struct applayer_ctx *c, struct app_flow *af, enum app_dir dir, const char *s,
		  uint64_t ts)
{
	CHECK_INT(0, app_flow_data(c, af, dir, (const uint8_t *)s, (uint32_t)strlen(s), ts));
}

/* A control connection logged in. */
static struct app_flow *control(struct applayer_ctx *c, uint16_t cport)
{
	struct app_flow *af = flow(c, cport, 21, &cli, &srv);

	feeds(c, af, APP_TO_CLIENT, "220 ready\r\n", 1000);
	feeds(c, af, APP_TO_SERVER, "USER anonymous\r\n", 1000);
	feeds(c, af, APP_TO_CLIENT, "331 pass\r\n", 1000);
	CHECK_INT(APP_PROTO_FTP, app_flow_proto(af));
	return af;
}

/* The protocol a new connection gets whose first data flows in dir. */
static enum app_proto data_conn(struct applayer_ctx *c, uint16_t cport, uint16_t sport,
				const union ip_addr *ca, const union ip_addr *sa,
				enum app_dir dir, uint64_t ts)
{
	struct app_flow *af = flow(c, cport, sport, ca, sa);
	enum app_proto p;

	feeds(c, af, dir, "\x7f""ELF binary data....", ts);
	p = app_flow_proto(af);
	app_flow_free(c, af);
	return p;
}

static bool bounce_tx(struct app_flow *af, uint32_t i)
{
	struct app_tx *tx = app_flow_tx(af, i);

	return tx != NULL && app_tx_ftp_bounce(af, tx);
}

static void test_transactions_and_bounce(void)
{
	struct app_flow *af = control(ctx, 40000);

	/* the greeting and USER: two transactions, no bounce */
	CHECK_INT(2, app_flow_ntx(af));
	CHECK(!bounce_tx(af, 0) && !bounce_tx(af, 1));
	feeds(ctx, af, APP_TO_SERVER, "PORT 192,168,1,10,4,1\r\n", 1000);
	CHECK(!bounce_tx(af, 2));
	/* split over feeds, blanks around the commas: still read */
	feeds(ctx, af, APP_TO_SERVER, "port 10, 0,", 1000);
	feeds(ctx, af, APP_TO_SERVER, "0,7,0,21\r\n", 1000);
	CHECK(bounce_tx(af, 3));
	/* a PORT without a host is no bounce, but malformed */
	feeds(ctx, af, APP_TO_SERVER, "PORT x\r\n", 1000);
	CHECK(!bounce_tx(af, 4));
	CHECK_INT(5, app_flow_ntx(af));
	/* answered and inspected both ways: let go */
	feeds(ctx, af, APP_TO_CLIENT, "200 ok\r\n200 ok\r\n500 no\r\n", 1000);
	app_flow_inspected(ctx, af);
	CHECK_INT(0, app_flow_ntx(af));
	app_flow_free(ctx, af);
}

static void test_expectations(void)
{
	const union ip_addr other = { .b = { 198, 51, 100, 6 } };
	struct app_flow *af = control(ctx, 40001);

	/* PASV then RETR: the client connects, the server's data comes first */
	feeds(ctx, af, APP_TO_SERVER, "PASV\r\n", 1000);
	feeds(ctx, af, APP_TO_CLIENT, "227 Entering Passive Mode (198,51,100,5,195,80)\r\n", 1000);
	feeds(ctx, af, APP_TO_SERVER, "RETR a.bin\r\n", 1000);
	feeds(ctx, af, APP_TO_CLIENT, "150 opening\r\n", 1000);
	/* another host, the other direction: not it */
	CHECK(data_conn(ctx, 41000, 50000, &cli, &other, APP_TO_CLIENT, 2000) != APP_PROTO_FTPDATA);
	CHECK(data_conn(ctx, 41000, 50000, &cli, &srv, APP_TO_SERVER, 2000) != APP_PROTO_FTPDATA);
	CHECK_INT(APP_PROTO_FTPDATA, data_conn(ctx, 41000, 50000, &cli, &srv, APP_TO_CLIENT, 2000));
	/* used once */
	CHECK(data_conn(ctx, 41001, 50000, &cli, &srv, APP_TO_CLIENT, 2000) != APP_PROTO_FTPDATA);
	/* the final reply after the preliminary one: RETR's, not the next command's */
	feeds(ctx, af, APP_TO_CLIENT, "226 done\r\n", 2000);

	/* PORT then STOR (active): the server connects to the client's port,
	 * the file flows back from the client: to the data connection's
	 * client (as Suricata's) */
	feeds(ctx, af, APP_TO_SERVER, "PORT 192,168,1,10,200,10\r\n", 3000);
	feeds(ctx, af, APP_TO_CLIENT, "200 ok\r\n", 3000);
	feeds(ctx, af, APP_TO_SERVER, "STOR b.bin\r\n", 3000);
	feeds(ctx, af, APP_TO_CLIENT, "150 go\r\n226 done\r\n", 3000);
	CHECK(data_conn(ctx, 20, 51210, &srv, &cli, APP_TO_SERVER, 4000) != APP_PROTO_FTPDATA);
	CHECK_INT(APP_PROTO_FTPDATA, data_conn(ctx, 20, 51210, &srv, &cli, APP_TO_CLIENT, 4000));
	/* PORT then RETR (active): the server sends, to the data connection's
	 * server */
	feeds(ctx, af, APP_TO_SERVER, "PORT 192,168,1,10,200,11\r\n", 3000);
	feeds(ctx, af, APP_TO_CLIENT, "200 ok\r\n", 3000);
	feeds(ctx, af, APP_TO_SERVER, "RETR b.bin\r\n", 3000);
	feeds(ctx, af, APP_TO_CLIENT, "150 go\r\n226 done\r\n", 3000);
	CHECK_INT(APP_PROTO_FTPDATA, data_conn(ctx, 20, 51211, &srv, &cli, APP_TO_SERVER, 4000));

	/* EPSV then RETR, the data connection 31 s later: still taken, as
	 * Suricata tests the match before the age */
	feeds(ctx, af, APP_TO_SERVER, "EPSV\r\n", 5000);
	feeds(ctx, af, APP_TO_CLIENT, "229 Entering Extended Passive Mode (|||50001|)\r\n", 5000);
	feeds(ctx, af, APP_TO_SERVER, "RETR c.bin\r\n", 5000);
	feeds(ctx, af, APP_TO_CLIENT, "150 go\r\n226 done\r\n", 5000);
	CHECK_INT(APP_PROTO_FTPDATA, data_conn(ctx, 41002, 50001, &cli, &srv, APP_TO_CLIENT,
					       5000 + 31000000ull));
	/* again, but another connection of the pair looks first, past 30 s:
	 * that drops it */
	feeds(ctx, af, APP_TO_SERVER, "EPSV\r\n", 5000);
	feeds(ctx, af, APP_TO_CLIENT, "229 Entering Extended Passive Mode (|||50002|)\r\n", 5000);
	feeds(ctx, af, APP_TO_SERVER, "RETR c.bin\r\n", 5000);
	feeds(ctx, af, APP_TO_CLIENT, "150 go\r\n226 done\r\n", 5000);
	CHECK(data_conn(ctx, 41003, 50009, &cli, &srv, APP_TO_CLIENT, 5000 + 31000000ull) !=
	      APP_PROTO_FTPDATA);
	CHECK(data_conn(ctx, 41004, 50002, &cli, &srv, APP_TO_CLIENT, 5000 + 31000000ull) !=
	      APP_PROTO_FTPDATA);

	/* a RETR with no port agreed announces nothing */
	feeds(ctx, af, APP_TO_SERVER, "RETR d.bin\r\n", 6000);
	feeds(ctx, af, APP_TO_CLIENT, "425 no data connection\r\n", 6000);
	/* EPRT, then the control connection ends before the data comes */
	feeds(ctx, af, APP_TO_SERVER, "EPRT |1|192.168.1.10|6446|\r\n", 7000);
	feeds(ctx, af, APP_TO_CLIENT, "200 ok\r\n", 7000);
	feeds(ctx, af, APP_TO_SERVER, "RETR e.bin\r\n", 7000);
	app_flow_free(ctx, af);
	CHECK(data_conn(ctx, 20, 6446, &srv, &cli, APP_TO_SERVER, 8000) != APP_PROTO_FTPDATA);
}

/* At most 10 per address pair: the oldest goes. */
static void test_bounds(void)
{
	struct app_flow *af = control(ctx, 40002);
	char line[128];

	for (int i = 0; i < 11; i++) {
		snprintf(line, sizeof(line), "227 Entering Passive Mode (198,51,100,5,200,%d)\r\n", i);
		feeds(ctx, af, APP_TO_SERVER, "PASV\r\n", 1000);
		feeds(ctx, af, APP_TO_CLIENT, line, 1000);
		feeds(ctx, af, APP_TO_SERVER, "RETR f\r\n", 1000);
		feeds(ctx, af, APP_TO_CLIENT, "150 go\r\n226 done\r\n", 1000);
	}
	CHECK(data_conn(ctx, 42000, 200 * 256 + 0, &cli, &srv, APP_TO_CLIENT, 2000) !=
	      APP_PROTO_FTPDATA);
	CHECK_INT(APP_PROTO_FTPDATA, data_conn(ctx, 42001, 200 * 256 + 10, &cli, &srv,
					       APP_TO_CLIENT, 2000));
	app_flow_free(ctx, af);
}

/* Two contexts (two workers) sharing the run's table: the data connection
 * found by the other one. */
static void test_shared(void)
{
	struct applayer_config cfg;
	struct app_expect *x = app_expect_create(16);
	struct applayer_ctx *c1, *c2;
	struct app_expect_stats st;
	struct app_flow *af;

	CHECK(x != NULL);
	applayer_config_init(&cfg);
	cfg.expect = x;
	c1 = applayer_ctx_create(&cfg);
	c2 = applayer_ctx_create(&cfg);
	CHECK(c1 != NULL && c2 != NULL);
	af = control(c1, 40003);
	feeds(c1, af, APP_TO_SERVER, "PASV\r\n", 1000);
	feeds(c1, af, APP_TO_CLIENT, "227 Entering Passive Mode (198,51,100,5,10,10)\r\n", 1000);
	feeds(c1, af, APP_TO_SERVER, "RETR g\r\n", 1000);
	feeds(c1, af, APP_TO_CLIENT, "150 go\r\n", 1000);
	CHECK_INT(APP_PROTO_FTPDATA, data_conn(c2, 43000, 2570, &cli, &srv, APP_TO_CLIENT, 2000));
	app_expect_stats(x, &st);
	CHECK_INT(1, st.created);
	CHECK_INT(1, st.matched);
	CHECK_INT(0, st.held);
	app_flow_free(c1, af);
	applayer_ctx_destroy(c1);
	applayer_ctx_destroy(c2);
	app_expect_destroy(x);
}

/* Malformed: a reply with no code, an empty command, a line past 4 KiB (cut,
 * the rest until its end dropped), bad PASV and EPSV replies. */
static void test_malformed(void)
{
	struct app_flow *af = control(ctx, 40004);
	char big[6000];
	uint64_t before = applayer_ctx_stats(ctx)->ftp_bad;

	feeds(ctx, af, APP_TO_CLIENT, "hello there\r\n", 1000);
	feeds(ctx, af, APP_TO_SERVER, "\r\n", 1000);
	memset(big, 'A', sizeof(big) - 3);
	memcpy(big, "NOOP ", 5);
	strcpy(big + sizeof(big) - 3, "\r\n");
	feeds(ctx, af, APP_TO_SERVER, big, 1000);
	feeds(ctx, af, APP_TO_CLIENT, "200 ok\r\n", 1000);
	feeds(ctx, af, APP_TO_SERVER, "PASV\r\n", 1000);
	feeds(ctx, af, APP_TO_CLIENT, "227 nothing here\r\n", 1000);
	feeds(ctx, af, APP_TO_SERVER, "EPSV\r\n", 1000);
	feeds(ctx, af, APP_TO_CLIENT, "229 (|||x|)\r\n", 1000);
	CHECK_INT(before + 5, applayer_ctx_stats(ctx)->ftp_bad);
	/* a multi-line reply's inner lines are not malformed */
	feeds(ctx, af, APP_TO_SERVER, "HELP\r\n", 1000);
	feeds(ctx, af, APP_TO_CLIENT, "214-help\r\n any text\r\n214 end\r\n", 1000);
	CHECK_INT(before + 5, applayer_ctx_stats(ctx)->ftp_bad);
	app_flow_free(ctx, af);
}

/* The data connection's file (files tracked): named by RETR's argument as
 * sent, opened by the first byte in the announced direction only, closed
 * complete when that direction ends; the transaction let go once done and
 * inspected. A RETR naming no file announces nothing (counted). */
static void test_data_file(void)
{
	struct applayer_config cfg;
	struct applayer_ctx *fc;
	struct app_flow *af, *d;
	struct app_file_info fi;
	struct app_ftpdata_info di;
	const uint8_t *buf;
	uint32_t len;
	uint64_t bad;

	applayer_config_init(&cfg);
	cfg.files = true;
	cfg.file_hashes = APP_FILE_MD5;
	fc = applayer_ctx_create(&cfg);
	CHECK(fc != NULL);
	af = control(fc, 40100);
	feeds(fc, af, APP_TO_SERVER, "PASV\r\n", 1000);
	feeds(fc, af, APP_TO_CLIENT, "227 Entering Passive Mode (198,51,100,5,195,90)\r\n", 1000);
	bad = applayer_ctx_stats(fc)->ftp_bad;
	feeds(fc, af, APP_TO_SERVER, "RETR\r\n", 1000);
	CHECK_INT(bad + 1, applayer_ctx_stats(fc)->ftp_bad);
	feeds(fc, af, APP_TO_SERVER, "RETR dir/a b.bin\r\n", 1000);
	feeds(fc, af, APP_TO_CLIENT, "150 opening\r\n", 1000);

	d = flow(fc, 41100, 50010, &cli, &srv);
	/* the client's bytes first: not the transfer's direction, ignored */
	feeds(fc, d, APP_TO_SERVER, "ignored client bytes", 2000);
	CHECK_INT(APP_PROTO_UNKNOWN, app_flow_proto(d));
	feeds(fc, d, APP_TO_CLIENT, "0123456789abcdef", 2000);
	CHECK_INT(APP_PROTO_FTPDATA, app_flow_proto(d));
	CHECK_INT(1, app_flow_ntx(d));
	CHECK_INT(0, app_tx_ftpdata_info(d, &di));
	CHECK(di.name_len == 11 && memcmp(di.name, "dir/a b.bin", 11) == 0);
	CHECK_STR("RETR", di.command);
	CHECK_INT(-ENOENT, app_tx_file_info(d, app_flow_tx(d, 0), APP_TO_SERVER, 0, &fi));
	CHECK_INT(0, app_tx_file_info(d, app_flow_tx(d, 0), APP_TO_CLIENT, 0, &fi));
	CHECK(!fi.ended && fi.size == 16 && fi.md5 == NULL);
	CHECK_INT(0, app_tx_buffer(fc, d, app_flow_tx(d, 0), RULE_BUF_FILE_NAME, 1, &buf, &len));
	CHECK(len == 11 && memcmp(buf, "dir/a b.bin", 11) == 0);
	CHECK_INT(-ERANGE, app_tx_buffer(fc, d, app_flow_tx(d, 0), RULE_BUF_FILE_NAME, 3, &buf,
					 &len));
	CHECK(!app_tx_buffer_final(d, app_flow_tx(d, 0), RULE_BUF_FILE_NAME, 1));
	feeds(fc, d, APP_TO_CLIENT, "more", 2000);
	feeds(fc, d, APP_TO_SERVER, "still ignored", 2000);
	app_flow_eof(fc, d, APP_TO_CLIENT);
	CHECK_INT(0, app_tx_file_info(d, app_flow_tx(d, 0), APP_TO_CLIENT, 0, &fi));
	CHECK(fi.ended && fi.closed && fi.size == 20 && fi.md5 != NULL && fi.tx_id == 0);
	CHECK(app_tx_buffer_final(d, app_flow_tx(d, 0), RULE_BUF_FILE_NAME, 1));
	app_flow_inspected(fc, d);
	CHECK_INT(0, app_flow_ntx(d));
	app_flow_free(fc, d);
	app_flow_free(fc, af);
	applayer_ctx_destroy(fc);
}

/* A transfer on a context not tracking files: the connection is ftp-data
 * with its ftp_data fields, no file; once a rule reload asks for files
 * (applayer_ctx_need_files), the next transfer's file is tracked with the
 * hash and the magic asked for. */
static void transfer(struct applayer_ctx *c, struct app_flow *ctl, uint16_t port,
		     struct app_file_info *fi, int *rc)
{
	char reply[96];
	struct app_flow *d;

	snprintf(reply, sizeof(reply), "227 Entering Passive Mode (198,51,100,5,%u,%u)\r\n",
		 port >> 8, port & 255u);
	feeds(c, ctl, APP_TO_SERVER, "PASV\r\n", 1000);
	feeds(c, ctl, APP_TO_CLIENT, reply, 1000);
	feeds(c, ctl, APP_TO_SERVER, "RETR x.txt\r\n", 1000);
	feeds(c, ctl, APP_TO_CLIENT, "150 opening\r\n226 done\r\n", 1000);
	d = flow(c, 41200, port, &cli, &srv);
	feeds(c, d, APP_TO_CLIENT, "some plain text in a file\n", 2000);
	app_flow_eof(c, d, APP_TO_CLIENT);
	CHECK_INT(APP_PROTO_FTPDATA, app_flow_proto(d));
	*rc = app_tx_file_info(d, app_flow_tx(d, 0), APP_TO_CLIENT, 0, fi);
	app_flow_free(c, d);
}

static void test_need_files(void)
{
	struct applayer_ctx *c = applayer_ctx_create(NULL);
	struct app_flow *ctl;
	struct app_file_info fi;
	int rc;

	CHECK(c != NULL);
	ctl = control(c, 40200);
	transfer(c, ctl, 50100, &fi, &rc);
	CHECK_INT(-ENOENT, rc);
	CHECK_INT(0, applayer_ctx_need_files(c, APP_FILE_MD5 | APP_FILE_MAGIC));
	transfer(c, ctl, 50101, &fi, &rc);
	CHECK_INT(0, rc);
	CHECK(fi.closed && fi.md5 != NULL && fi.sha1 == NULL && fi.magic != NULL);
	app_flow_free(c, ctl);
	applayer_ctx_destroy(c);
}

/* file_data of ftp-data rules: the transfer's bytes in its direction only,
 * growing with each segment, final once that direction ended; the first
 * MiB of a larger file. */
static void test_file_data_buffer(void)
{
	struct applayer_ctx *c = applayer_ctx_create(NULL);
	struct app_flow *ctl, *d;
	struct app_tx *tx;
	const uint8_t *p;
	uint32_t len;
	static uint8_t chunk[64 * 1024];

	CHECK(c != NULL);
	ctl = control(c, 40300);
	feeds(c, ctl, APP_TO_SERVER, "PASV\r\n", 1000);
	feeds(c, ctl, APP_TO_CLIENT, "227 Entering Passive Mode (198,51,100,5,196,10)\r\n", 1000);
	feeds(c, ctl, APP_TO_SERVER, "RETR big.bin\r\n", 1000);
	d = flow(c, 41300, 50186, &cli, &srv);
	feeds(c, d, APP_TO_SERVER, "ignored", 2000);
	feeds(c, d, APP_TO_CLIENT, "first ", 2000);
	feeds(c, d, APP_TO_CLIENT, "second", 2000);
	CHECK_INT(APP_PROTO_FTPDATA, app_flow_proto(d));
	tx = app_flow_tx(d, 0);
	CHECK(tx != NULL);
	if (tx == NULL)
		goto out;
	CHECK_INT(0, app_tx_buffer(c, d, tx, RULE_BUF_FTPDATA_FILE_DATA, APP_TO_CLIENT, &p, &len));
	CHECK(len == 12 && memcmp(p, "first second", 12) == 0);
	CHECK_INT(-ENOENT, app_tx_buffer(c, d, tx, RULE_BUF_FTPDATA_FILE_DATA, APP_TO_SERVER, &p,
					 &len));
	CHECK(app_tx_buffer_final(d, tx, RULE_BUF_FTPDATA_FILE_DATA, APP_TO_SERVER));
	CHECK(!app_tx_buffer_final(d, tx, RULE_BUF_FTPDATA_FILE_DATA, APP_TO_CLIENT));
	memset(chunk, 'z', sizeof(chunk));
	for (int i = 0; i < 20; i++)
		CHECK_INT(0, app_flow_data(c, d, APP_TO_CLIENT, chunk, sizeof(chunk), 3000));
	CHECK_INT(0, app_tx_buffer(c, d, tx, RULE_BUF_FTPDATA_FILE_DATA, APP_TO_CLIENT, &p, &len));
	CHECK_INT(1u << 20, len);
	CHECK(p[len - 1] == 'z');
	app_flow_eof(c, d, APP_TO_CLIENT);
	CHECK(app_tx_buffer_final(d, tx, RULE_BUF_FTPDATA_FILE_DATA, APP_TO_CLIENT));
out:
	app_flow_free(c, d);
	app_flow_free(c, ctl);
	applayer_ctx_destroy(c);
}

/* What EVE's ftp records read: only commands of Suricata's table make a
 * transaction; the command line and every reply line are kept (trailing
 * blanks cut), a reply nobody waits for gets a transaction without a
 * command, the data port agreed is the transaction's; replies past
 * FTP_REPLY_MAX (16 KiB) are counted, not kept. */
static void test_info(void)
{
	struct app_flow *af = flow(ctx, 40100, 21, &cli, &srv);
	struct app_ftp_info fi;
	uint64_t cut = applayer_ctx_stats(ctx)->ftp_reply_cut;
	static char big[200];

	feeds(ctx, af, APP_TO_CLIENT, "220-hello\r\n more \r\n220 ready\r\n", 1000);
	feeds(ctx, af, APP_TO_SERVER, "USER bob  \r\nFEAT\r\n", 1000);
	CHECK_INT(2, app_flow_ntx(af));
	CHECK_INT(0, app_tx_ftp_info(af, app_flow_tx(af, 0), &fi));
	CHECK(fi.command == NULL && fi.request_len == 0 && fi.done);
	CHECK_INT(26, fi.reply_len);
	CHECK(memcmp(fi.reply, "220-hello\n more\n220 ready\n", 26) == 0);
	CHECK_INT(0, app_tx_ftp_info(af, app_flow_tx(af, 1), &fi));
	CHECK(fi.command != NULL && strcmp(fi.command, "USER") == 0 && fi.command_len == 4);
	CHECK(fi.request_len == 8 && memcmp(fi.request, "USER bob", 8) == 0 && !fi.done);
	feeds(ctx, af, APP_TO_CLIENT, "331 pw\r\n211 feat\r\n", 1000);
	/* FEAT's reply: nobody waits, a transaction of its own */
	CHECK_INT(3, app_flow_ntx(af));
	CHECK_INT(0, app_tx_ftp_info(af, app_flow_tx(af, 2), &fi));
	CHECK(fi.command == NULL && fi.reply_len == 9 && fi.done);
	feeds(ctx, af, APP_TO_SERVER, "PASV\r\n", 1000);
	feeds(ctx, af, APP_TO_CLIENT, "227 Entering Passive Mode (198,51,100,5,195,80)\r\n", 1000);
	CHECK_INT(0, app_tx_ftp_info(af, app_flow_tx(af, 3), &fi));
	CHECK(fi.dyn_port == 50000 && !fi.port_cmd && fi.done);
	/* a long reply: kept to 16 KiB */
	feeds(ctx, af, APP_TO_SERVER, "HELP\r\n", 1000);
	memset(big, 'x', sizeof(big) - 3);
	memcpy(big, "214-", 4);
	memcpy(big + sizeof(big) - 3, "\r\n", 3);
	for (int i = 0; i < 100; i++)
		feeds(ctx, af, APP_TO_CLIENT, big, 1000);
	feeds(ctx, af, APP_TO_CLIENT, "214 end\r\n", 1000);
	CHECK_INT(0, app_tx_ftp_info(af, app_flow_tx(af, 4), &fi));
	CHECK(fi.reply_len <= 16384 && fi.reply_len > 16000 && fi.done);
	CHECK(applayer_ctx_stats(ctx)->ftp_reply_cut > cut);
	app_flow_free(ctx, af);
}

int main(void)
{
	ctx = applayer_ctx_create(NULL);
	CHECK(ctx != NULL);
	test_transactions_and_bounce();
	test_expectations();
	test_data_file();
	test_need_files();
	test_file_data_buffer();
	test_bounds();
	test_shared();
	test_malformed();
	test_info();
	applayer_ctx_destroy(ctx);
	return check_result("app_ftp");
}
