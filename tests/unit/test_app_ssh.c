/* SPDX-License-Identifier: MIT */
/* Unit tests for app_ssh.c: banners and records as Suricata 7's SSH parser
 * reads them, HASSH (against MD5s computed apart, with Python's hashlib,
 * of the strings the HASSH spec builds), the four SSH events, when the
 * transaction is given to the logger, and bounded work on bad input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/events-t.h"
#include "dataplane/applayer/applayer.h"

/* The algorithm lists of the KEXINIT both sides send here (RFC 4253 7.1's
 * order): kex, host key, enc c2s, enc s2c, mac c2s, mac s2c, comp c2s,
 * comp s2c, lang c2s, lang s2c. */
static const char *const lists[10] = {
	"curve25519-sha256,diffie-hellman-group14-sha256,ext-info-c", "ssh-ed25519,rsa-sha2-512",
	"chacha20-poly1305@openssh.com,aes128-ctr", "aes256-gcm@openssh.com",
	"umac-64-etm@openssh.com,hmac-sha2-256", "hmac-sha1", "none,zlib@openssh.com", "zlib",
	"", "",
};
/* python3: hashlib.md5(b";".join(lists[i] for i in (0, 2, 4, 6))) and
 * (0, 3, 5, 7) */
static const char client_str[] = "curve25519-sha256,diffie-hellman-group14-sha256,ext-info-c;"
				 "chacha20-poly1305@openssh.com,aes128-ctr;"
				 "umac-64-etm@openssh.com,hmac-sha2-256;none,zlib@openssh.com";
static const char client_md5[] = "0920c3f23d2daca866dfbc6b95938a08";
static const char server_str[] = "curve25519-sha256,diffie-hellman-group14-sha256,ext-info-c;"
				 "aes256-gcm@openssh.com;hmac-sha1;zlib";
static const char server_md5[] = "54fa8085b868451bad2ea43175271959";

/* got (glen bytes) is exactly want (wlen bytes). */
#define CHECK_MEM(want, wlen, got, glen) check_mem(want, wlen, got, glen, __LINE__)
static void check_mem(const char *want, size_t wlen, const void *got, size_t glen, int line)
{
	check_count++;
	if (got != NULL && wlen == glen && memcmp(want, got, wlen) == 0)
		return;
	check_failures++;
	fprintf(stderr, "%s:%d: expected \"%.*s\", got \"%.*s\"\n", __FILE__, line, (int)wlen,
		want, got ? (int)glen : 6, got ? (const char *)got : "(null)");
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A KEXINIT record (4 bytes of padding) into buf; its length. */
static uint32_t kexinit(uint8_t *buf)
{
	uint32_t at = 6 + 16;

	buf[5] = 20;
	memset(buf + 6, 0xab, 16);
	for (int i = 0; i < 10; i++) {
		uint32_t n = (uint32_t)strlen(lists[i]);

		put32(buf + at, n);
		memcpy(buf + at + 4, lists[i], n);
		at += 4 + n;
	}
	memset(buf + at, 0, 5 + 4);       /* first_kex_packet_follows, reserved, padding */
	at += 9;
	put32(buf, at - 4);
	buf[4] = 4;
	return at;
}

static const uint8_t newkeys[16] = { 0, 0, 0, 12, 10, 21 };

static struct applayer_ctx *ctx_with(bool hassh)
{
	struct applayer_config cfg;

	applayer_config_init(&cfg);
	cfg.ssh_hassh = hassh;
	return applayer_ctx_create(&cfg);
}

static int logged;

static void count_done(void *arg, struct app_flow *af, struct app_tx *tx)
{
	(void)arg;
	(void)af;
	(void)tx;
	logged++;
}

/* Data of dir, one byte at a time (split everywhere), then an inspection. */
static int feed(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		const void *d, uint32_t len, bool bytewise)
{
	int rc = 0;

	if (!bytewise) {
		rc = app_flow_data(ctx, af, dir, d, len, 1);
	} else {
		for (uint32_t i = 0; i < len && rc == 0; i++)
			rc = app_flow_data(ctx, af, dir, (const uint8_t *)d + i, 1, 1);
	}
	app_flow_inspected_dir(ctx, af, dir);
	return rc;
}

static void check_buf(struct applayer_ctx *ctx, struct app_flow *af, enum rule_buffer b,
		      uint32_t idx, const char *want)
{
	const uint8_t *d;
	uint32_t n;
	int rc = app_tx_buffer(ctx, af, app_flow_tx(af, 0), b, idx, &d, &n);

	CHECK_INT(0, rc);
	if (rc == 0)
		CHECK_MEM(want, strlen(want), d, n);
}

/* A whole handshake with HASSH on, fed whole and byte by byte: the fields,
 * the fingerprints, one log at both NEWKEYS, then nothing parsed more and
 * the payload no longer inspected. */
static void test_handshake(bool bytewise)
{
	struct applayer_ctx *ctx = ctx_with(true);
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 22);
	uint8_t kex[512];
	uint32_t klen = kexinit(kex);
	struct app_ssh_info si;
	const uint8_t *d;
	uint32_t n;

	applayer_set_tx_done(ctx, count_done, NULL);
	logged = 0;
	CHECK_INT(0, feed(ctx, af, APP_TO_CLIENT, "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3\r\n", 32, bytewise));
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "SSH-2.0-PuTTY_0.81\r\n", 20, bytewise));
	CHECK_INT(APP_PROTO_SSH, app_flow_proto(af));
	check_buf(ctx, af, RULE_BUF_SSH_PROTO, 0, "2.0");
	check_buf(ctx, af, RULE_BUF_SSH_SOFTWARE, 0, "PuTTY_0.81");
	check_buf(ctx, af, RULE_BUF_SSH_SOFTWARE, 1, "OpenSSH_9.6p1");
	CHECK_INT(-ENOENT, app_tx_buffer(ctx, af, app_flow_tx(af, 0), RULE_BUF_SSH_HASSH, 0,
					 &d, &n));
	CHECK_INT(0, logged);     /* HASSH on: logged once both are past NEWKEYS */
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, kex, klen, bytewise));
	CHECK_INT(0, feed(ctx, af, APP_TO_CLIENT, kex, klen, bytewise));
	check_buf(ctx, af, RULE_BUF_SSH_HASSH, 0, client_md5);
	check_buf(ctx, af, RULE_BUF_SSH_HASSH_STRING, 0, client_str);
	check_buf(ctx, af, RULE_BUF_SSH_HASSH, 1, server_md5);
	check_buf(ctx, af, RULE_BUF_SSH_HASSH_STRING, 1, server_str);
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, newkeys, sizeof(newkeys), bytewise));
	CHECK_INT(0, logged);
	CHECK_INT(APP_INSPECT_ALL, app_flow_inspection(af));
	CHECK_INT(0, feed(ctx, af, APP_TO_CLIENT, newkeys, sizeof(newkeys), bytewise));
	CHECK_INT(1, logged);
	CHECK_INT(APP_INSPECT_NO_PAYLOAD, app_flow_inspection(af));
	/* encrypted: a zero length would be invalid_record if it were parsed */
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "\0\0\0\0\0\0\0\0", 8, bytewise));
	CHECK_INT(0, app_tx_events(app_flow_tx(af, 0)));
	CHECK_INT(0, app_tx_ssh_info(af, &si));
	CHECK_MEM("OpenSSH_9.6p1", 13, si.side[1].software, si.side[1].software_len);
	CHECK_STR(server_md5, si.side[1].hassh);
	CHECK_MEM(client_str, strlen(client_str), si.side[0].hassh_string,
		  si.side[0].hassh_string_len);
	app_flow_free(ctx, af);
	CHECK_INT(1, logged);     /* not again at the flow's end */
	applayer_ctx_destroy(ctx);
}

/* HASSH off: no fingerprint, logged once both banners are read. */
static void test_no_hassh(void)
{
	struct applayer_ctx *ctx = ctx_with(false);
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 22);
	uint8_t kex[512];
	uint32_t klen = kexinit(kex);
	const uint8_t *d;
	uint32_t n;

	applayer_set_tx_done(ctx, count_done, NULL);
	logged = 0;
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "SSH-2.0-a\n", 10, false));
	CHECK_INT(0, logged);
	CHECK_INT(0, feed(ctx, af, APP_TO_CLIENT, "SSH-1.99-b c d\r\n", 16, false));
	CHECK_INT(1, logged);
	check_buf(ctx, af, RULE_BUF_SSH_SOFTWARE, 1, "b");
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, kex, klen, false));
	CHECK_INT(-ENOENT, app_tx_buffer(ctx, af, app_flow_tx(af, 0), RULE_BUF_SSH_HASSH, 0,
					 &d, &n));
	CHECK(app_tx_buffer_final(af, app_flow_tx(af, 0), RULE_BUF_SSH_HASSH, 0));
	app_flow_free(ctx, af);
	CHECK_INT(1, logged);
	/* turned on later (a reloaded rule's ssh.hassh): the next flows have it */
	applayer_ctx_need(ctx, APP_NEED_HASSH);
	af = app_flow_new(ctx, 6, 40001, 22);
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "SSH-2.0-a\r\n", 11, false));
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, kex, klen, false));
	check_buf(ctx, af, RULE_BUF_SSH_HASSH, 0, client_md5);
	app_flow_free(ctx, af);
	applayer_ctx_destroy(ctx);
}

/* A banner after which the software field runs into a blank first: the
 * rest of the line (Suricata's alt(is_not, rest)); a LF split from its CR. */
static void test_banner_forms(void)
{
	struct applayer_ctx *ctx = ctx_with(false);
	struct app_flow *af = app_flow_new(ctx, 6, 40000, 22);

	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "SSH-2.0- x y\r", 13, false));
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "\n", 1, false));
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, newkeys, sizeof(newkeys), false));
	check_buf(ctx, af, RULE_BUF_SSH_SOFTWARE, 0, " x y");
	CHECK_INT(0, app_tx_events(app_flow_tx(af, 0)));
	app_flow_free(ctx, af);
	applayer_ctx_destroy(ctx);
}

/* Each bad input: its event, its counter, parsing given up where Suricata
 * gives up, and the transaction logged then. */
static void test_events(void)
{
	struct applayer_ctx *ctx = ctx_with(true);
	const struct applayer_stats *st = applayer_ctx_stats(ctx);
	struct app_flow *af;
	uint8_t big[300], rec[64];
	struct app_ssh_info si;
	char want[249];

	applayer_set_tx_done(ctx, count_done, NULL);
	/* a line before the banner: Suricata skips none */
	logged = 0;
	af = app_flow_new(ctx, 6, 40000, 22);
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "SSH-2.0-c\r\n", 11, false));
	CHECK_INT(-EINVAL, feed(ctx, af, APP_TO_CLIENT, "Welcome\r\nSSH-2.0-s\r\n", 20, false));
	CHECK_INT(1ull << SSH_EV_INVALID_BANNER, app_tx_events(app_flow_tx(af, 0)));
	CHECK_INT(1, logged);
	CHECK_INT(0, app_tx_ssh_info(af, &si));
	CHECK(si.side[0].proto != NULL && si.side[1].proto == NULL);
	CHECK_INT(1, st->ssh_bad);
	app_flow_free(ctx, af);
	CHECK_INT(1, logged);

	/* a record shorter than its header's two bytes */
	af = app_flow_new(ctx, 6, 40000, 22);
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "SSH-2.0-c\r\n", 11, false));
	CHECK_INT(-EINVAL, feed(ctx, af, APP_TO_SERVER, "\0\0\0\1\0\x15", 6, false));
	CHECK_INT(1ull << SSH_EV_INVALID_RECORD, app_tx_events(app_flow_tx(af, 0)));
	CHECK_INT(2, st->ssh_bad);
	app_flow_free(ctx, af);

	/* 256 bytes and no line end: long_banner, the fields from those */
	af = app_flow_new(ctx, 6, 40000, 22);
	memcpy(big, "SSH-2.0-", 8);
	memset(big + 8, 'A', sizeof(big) - 8);
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, big, sizeof(big), false));
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "BBB\r\n", 5, false));
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, newkeys, sizeof(newkeys), false));
	CHECK_INT(1ull << SSH_EV_LONG_BANNER, app_tx_events(app_flow_tx(af, 0)));
	memset(want, 'A', 248);
	want[248] = '\0';
	check_buf(ctx, af, RULE_BUF_SSH_SOFTWARE, 0, want);
	app_flow_free(ctx, af);

	/* a KEXINIT of 64 KiB or more is not kept: long_kex_record */
	af = app_flow_new(ctx, 6, 40000, 22);
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "SSH-2.0-c\r\n", 11, false));
	memset(rec, 0, sizeof(rec));
	put32(rec, 65537);
	rec[5] = 20;
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, rec, sizeof(rec), false));
	CHECK_INT(1ull << SSH_EV_LONG_KEX_RECORD, app_tx_events(app_flow_tx(af, 0)));
	CHECK_INT(1, st->ssh_kex_bad);
	app_flow_free(ctx, af);

	/* a KEXINIT whose name-list runs past the record: no HASSH, counted */
	af = app_flow_new(ctx, 6, 40000, 22);
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, "SSH-2.0-c\r\n", 11, false));
	memset(rec, 0, sizeof(rec));
	put32(rec, 60);
	rec[5] = 20;
	put32(rec + 6 + 16, 0xfffffff0u);
	CHECK_INT(0, feed(ctx, af, APP_TO_SERVER, rec, sizeof(rec), false));
	CHECK_INT(0, app_tx_events(app_flow_tx(af, 0)));
	CHECK_INT(2, st->ssh_kex_bad);
	CHECK_INT(0, app_tx_ssh_info(af, &si));
	CHECK(si.side[0].hassh == NULL);
	app_flow_free(ctx, af);
	applayer_ctx_destroy(ctx);
}

int main(void)
{
	test_handshake(false);
	test_handshake(true);
	test_no_hassh();
	test_banner_forms();
	test_events();
	return check_result("app_ssh");
}
