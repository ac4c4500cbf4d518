// SPDX-License-Identifier: MIT
/* Detection of the protocols known without a parser: SMTP and FTP (the
 * "220" greeting both send, told apart by the client's command, ports only
 * for commands both speak), SSH, SMB over NetBIOS, DCERPC; near misses,
 * truncated input and app-layer.protocols.X.enabled: no. */
#include <errno.h>
#include <string.h>

#include "dataplane/applayer/applayer.h"
#include "tests/unit/check.h"

static struct applayer_ctx *ctx;

static void feed(struct app_flow *af, enum app_dir dir, const void *d, uint32_t len)
{
	CHECK_INT(0, app_flow_data(ctx, af, dir, d, len, 1000));
}

static void feeds(struct app_flow *af, enum app_dir dir, const char *s)
{
	feed(af, dir, s, (uint32_t)strlen(s));
}

/* The protocol found for: an optional server greeting, then client bytes
 * (without a greeting, a reply of no protocol follows them, so that a
 * client direction judged unknown fails the flow). */
static enum app_proto talk(uint16_t sport, const char *banner, const void *client, uint32_t clen)
{
	static const uint8_t junk[12] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	struct app_flow *af = app_flow_new(ctx, 6, 40000, sport);
	enum app_proto p;

	CHECK(af != NULL);
	if (banner != NULL)
		feeds(af, APP_TO_CLIENT, banner);
	if (clen)
		feed(af, APP_TO_SERVER, client, clen);
	if (banner == NULL)
		feed(af, APP_TO_CLIENT, junk, sizeof(junk));
	p = app_flow_proto(af);
	app_flow_free(ctx, af);
	return p;
}

static enum app_proto talks(uint16_t sport, const char *banner, const char *client)
{
	return talk(sport, banner, client, (uint32_t)strlen(client));
}

static void test_smtp_ftp(void)
{
	const char *b = "220 mail.example.org service ready\r\n";

	/* the same greeting: the client's command decides, on any port */
	CHECK_INT(APP_PROTO_SMTP, talks(25, b, "EHLO client.example.org\r\n"));
	CHECK_INT(APP_PROTO_SMTP, talks(2525, b, "helo client\r\n"));
	CHECK_INT(APP_PROTO_FTP, talks(21, b, "USER anonymous\r\n"));
	CHECK_INT(APP_PROTO_FTP, talks(2121, b, "AUTH TLS\r\n"));
	/* an FTP command on the SMTP port is still FTP, and the reverse */
	CHECK_INT(APP_PROTO_FTP, talks(25, b, "USER anonymous\r\n"));
	CHECK_INT(APP_PROTO_SMTP, talks(21, b, "EHLO client.example.org\r\n"));
	/* client first, no greeting seen */
	CHECK_INT(APP_PROTO_SMTP, talks(8025, NULL, "EHLO client.example.org\r\n"));
	/* multi-line greeting, a command both speak: the port decides */
	CHECK_INT(APP_PROTO_FTP, talks(21, "220-Welcome\r\n220 FTP\r\n", "NOOP\r\nNOOP\r\n"));
	CHECK_INT(APP_PROTO_SMTP, talks(587, b, "AUTH LOGIN\r\n"));
	CHECK_INT(APP_PROTO_FAILED, talks(2525, b, "AUTH LOGIN\r\n"));
	/* ... and only after a 220 greeting */
	CHECK_INT(APP_PROTO_FAILED, talks(25, "421 busy, go away\r\n", "NOOP\r\nNOOP\r\n"));
	/* near misses: "EHLO" inside a line, a greeting with no command */
	CHECK_INT(APP_PROTO_FAILED, talks(25, b, "XEHLO client\r\n"));
	CHECK_INT(APP_PROTO_UNKNOWN, talks(25, b, ""));
	CHECK_INT(APP_PROTO_FAILED, talks(25, "2200 banner\r\n", "QUIT\r\nQUIT\r\n"));
	/* truncated: fewer bytes than a judgement needs, still undecided */
	CHECK_INT(APP_PROTO_UNKNOWN, talks(25, b, "EHLO"));
}

static void test_ssh(void)
{
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 22);

	/* the server's banner comes first */
	feeds(af, APP_TO_CLIENT, "SSH-2.0-OpenSSH_8.9p1\r\n");
	CHECK_INT(APP_PROTO_SSH, app_flow_proto(af));
	/* later data of either direction does not change it (the SSH parser
	 * refuses a line that is no banner: invalid_banner, as Suricata 7) */
	CHECK_INT(-EINVAL, app_flow_data(ctx, af, APP_TO_SERVER, (const uint8_t *)"EHLO not really\r\n",
					 17, 1000));
	CHECK_INT(APP_PROTO_SSH, app_flow_proto(af));
	app_flow_free(ctx, af);
	CHECK_INT(APP_PROTO_SSH, talks(2222, NULL, "SSH-1.99-PuTTY\r\n"));
	CHECK_INT(APP_PROTO_FAILED, talks(22, NULL, "SSH-9.0-nope\r\n"));
	CHECK_INT(APP_PROTO_FAILED, talks(22, NULL, "ssh-2.0-lowercase\r\n"));
}

static void test_smb(void)
{
	/* NBSS session message of 0x48 bytes, SMB2 NEGOTIATE header start */
	uint8_t smb2[16] = { 0x00, 0x00, 0x00, 0x48, 0xfe, 'S', 'M', 'B', 64, 0 };
	uint8_t m[16];

	CHECK_INT(APP_PROTO_SMB, talk(445, NULL, smb2, sizeof(smb2)));
	memcpy(m, smb2, sizeof(m));
	m[4] = 0xff;                              /* SMB1 */
	CHECK_INT(APP_PROTO_SMB, talk(139, NULL, m, sizeof(m)));
	m[4] = 0xfd;                              /* SMB3 transform */
	CHECK_INT(APP_PROTO_SMB, talk(4445, NULL, m, sizeof(m)));
	m[4] = 0xfc;                              /* no such magic */
	CHECK_INT(APP_PROTO_FAILED, talk(445, NULL, m, sizeof(m)));
	memcpy(m, smb2, sizeof(m));
	m[0] = 0x85;                              /* NBSS keepalive, not a message */
	CHECK_INT(APP_PROTO_FAILED, talk(445, NULL, m, sizeof(m)));
	memcpy(m, smb2, sizeof(m));
	m[3] = 16;                                /* shorter than any SMB header */
	CHECK_INT(APP_PROTO_FAILED, talk(445, NULL, m, sizeof(m)));
	memcpy(m, smb2, sizeof(m));
	m[1] = 0x02;                              /* reserved flag bits set */
	CHECK_INT(APP_PROTO_FAILED, talk(445, NULL, m, sizeof(m)));
	/* truncated before the magic: undecided */
	CHECK_INT(APP_PROTO_UNKNOWN, talk(445, NULL, smb2, 6));
}

static void test_dcerpc(void)
{
	/* bind, v5.0, little endian, frag_length 72 */
	uint8_t bind[16] = { 5, 0, 11, 3, 0x10, 0, 0, 0, 72, 0, 0, 0, 1, 0, 0, 0 };
	uint8_t m[16];
	struct app_flow *af;

	CHECK_INT(APP_PROTO_DCERPC, talk(135, NULL, bind, sizeof(bind)));
	memcpy(m, bind, sizeof(m));
	m[2] = 12;                                /* bind_ack: a server's PDU */
	CHECK_INT(APP_PROTO_FAILED, talk(135, NULL, m, sizeof(m)));
	af = app_flow_new(ctx, 6, 40000, 135);
	feed(af, APP_TO_CLIENT, m, sizeof(m));
	CHECK_INT(APP_PROTO_DCERPC, app_flow_proto(af));
	app_flow_free(ctx, af);
	memcpy(m, bind, sizeof(m));
	m[0] = 4;                                 /* version 4 is connectionless */
	CHECK_INT(APP_PROTO_FAILED, talk(135, NULL, m, sizeof(m)));
	memcpy(m, bind, sizeof(m));
	m[8] = 8;                                 /* fragment shorter than its header */
	CHECK_INT(APP_PROTO_FAILED, talk(135, NULL, m, sizeof(m)));
	memcpy(m, bind, sizeof(m));
	m[4] = 0x00;                              /* big endian */
	m[8] = 0;
	m[9] = 72;
	CHECK_INT(APP_PROTO_DCERPC, talk(135, NULL, m, sizeof(m)));
	m[9] = 8;                                 /* 8 big endian, 2048 little */
	CHECK_INT(APP_PROTO_FAILED, talk(135, NULL, m, sizeof(m)));
	/* truncated header */
	CHECK_INT(APP_PROTO_FAILED, talk(135, NULL, bind, 12));
}

/* The protocol after s, dir's first data, on a new flow: HTTP detected,
 * FAILED detected but given up (a server's first bytes, which HTTP's
 * parser does not take: applayer_wrong_direction_first_data), UNKNOWN not
 * detected (the other direction may still tell). */
static enum app_proto first(struct applayer_ctx *c, enum app_dir dir, const char *s)
{
	struct app_flow *af = app_flow_new(c, 6, 40000, 8080);
	enum app_proto p;

	CHECK(af != NULL);
	CHECK_INT(0, app_flow_data(c, af, dir, (const uint8_t *)s, (uint32_t)strlen(s), 1000));
	p = app_flow_proto(af);
	app_flow_free(c, af);
	return p;
}

/* HTTP's patterns hold for one direction each: a status line sent to the
 * server, or a request sent to the client, is HTTP only in midstream mode
 * (Suricata 7 tries the other direction's patterns only then). */
static void test_http_direction(void)
{
	const char *req = "GET /index.html HTTP/1.0\r\nHost: a\r\n\r\n";
	const char *resp = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
	struct applayer_config cfg;
	struct applayer_ctx *mid;

	CHECK_INT(APP_PROTO_HTTP, first(ctx, APP_TO_SERVER, req));
	CHECK_INT(APP_PROTO_FAILED, first(ctx, APP_TO_CLIENT, resp));
	CHECK_INT(APP_PROTO_UNKNOWN, first(ctx, APP_TO_SERVER, resp));
	CHECK_INT(APP_PROTO_UNKNOWN, first(ctx, APP_TO_CLIENT, req));
	applayer_config_init(&cfg);
	cfg.midstream = true;
	mid = applayer_ctx_create(&cfg);
	CHECK(mid != NULL);
	CHECK_INT(APP_PROTO_HTTP, first(mid, APP_TO_SERVER, req));
	CHECK_INT(APP_PROTO_FAILED, first(mid, APP_TO_CLIENT, resp));
	CHECK_INT(APP_PROTO_HTTP, first(mid, APP_TO_SERVER, resp));
	CHECK_INT(APP_PROTO_FAILED, first(mid, APP_TO_CLIENT, req));
	/* near miss: neither direction's pattern */
	CHECK_INT(APP_PROTO_UNKNOWN, first(mid, APP_TO_SERVER, "HTTPX/1.0 200 OK\r\n\r\n"));
	applayer_ctx_destroy(mid);
}

static void test_disabled(void)
{
	struct applayer_config cfg;
	struct applayer_ctx *save = ctx;

	applayer_config_init(&cfg);
	cfg.mode[0][APP_PROTO_SMTP] = APP_MODE_OFF;
	cfg.mode[0][APP_PROTO_SSH] = APP_MODE_OFF;
	ctx = applayer_ctx_create(&cfg);
	CHECK(ctx != NULL);
	CHECK_INT(APP_PROTO_FAILED, talks(25, "220 x ready\r\n", "EHLO client\r\n"));
	CHECK_INT(APP_PROTO_FAILED, talks(587, "220 x ready\r\n", "AUTH LOGIN\r\n"));
	CHECK_INT(APP_PROTO_FAILED, talks(22, NULL, "SSH-2.0-x\r\n"));
	CHECK_INT(APP_PROTO_FTP, talks(21, "220 x ready\r\n", "USER a\r\n"));
	CHECK_INT(1, (int)applayer_ctx_stats(ctx)->flows[APP_PROTO_FTP]);
	applayer_ctx_destroy(ctx);
	ctx = save;
	/* detection-only flows are counted as parsed ones */
	CHECK_INT(2, (int)applayer_ctx_stats(ctx)->flows[APP_PROTO_SSH]);
}

int main(void)
{
	ctx = applayer_ctx_create(NULL);
	CHECK(ctx != NULL);
	test_smtp_ftp();
	test_ssh();
	test_smb();
	test_dcerpc();
	test_disabled();
	test_http_direction();
	applayer_ctx_destroy(ctx);
	return check_result("app_detect");
}
