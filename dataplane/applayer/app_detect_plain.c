// SPDX-License-Identifier: MIT
/* Detection of the TCP protocols known without a parser (detection only:
 * their rules inspect the stream). SSH by its "SSH-" banner, SMB by the
 * NetBIOS session header and the SMB magic, DCERPC by its connection
 * oriented PDU header, SMTP and FTP by the client's commands. SMTP and FTP
 * servers both greet with "220": the banner alone decides nothing, the
 * client's first command does, and the server port only when that command
 * is one both protocols speak (Suricata's probing does the same). */
#include <strings.h>
#include <string.h>

#include "applayer-int.h"

/* Commands only an SMTP client sends first (RFC 5321 4.1.1). */
static const char *const smtp_cmds[] = {
	"EHLO ", "HELO ", "EHLO\r", "HELO\r", "STARTTLS", "MAIL FROM:", "RCPT TO:",
};

/* Commands only an FTP client sends (RFC 959 4.1, RFC 2228, RFC 2389). */
static const char *const ftp_cmds[] = {
	"USER ", "PASS ", "ACCT ", "AUTH TLS", "AUTH SSL", "FEAT", "SYST", "OPTS ", "PORT ",
	"EPRT ", "PASV", "EPSV", "CWD ", "RETR ", "STOR ", "LIST", "NLST", "TYPE ", "PWD",
};

/* Commands both speak: the port decides, after a "220" greeting. */
static const char *const both_cmds[] = {
	"QUIT", "NOOP", "HELP", "RSET", "AUTH ",
};

static bool starts_ci(const uint8_t *d, uint32_t len, const char *s)
{
	size_t l = strlen(s);

	return len >= l && strncasecmp((const char *)d, s, l) == 0;
}

static bool any_cmd(const uint8_t *d, uint32_t len, const char *const *cmds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (starts_ci(d, len, cmds[i]))
			return true;
	return false;
}

#define ANY_CMD(d, len, t) any_cmd(d, len, t, sizeof(t) / sizeof(t[0]))

bool app_probe_banner220(const uint8_t *d, uint32_t len)
{
	return len >= 4 && memcmp(d, "220", 3) == 0 && (d[3] == ' ' || d[3] == '-');
}

/* "SSH-" then the protocol version's first digit (RFC 4253 4.2). */
static bool is_ssh(const uint8_t *d, uint32_t len)
{
	return len >= 5 && memcmp(d, "SSH-", 4) == 0 && d[4] >= '1' && d[4] <= '2';
}

/* RFC 1002 4.3.1 session message, then an SMB1, SMB2 or SMB3 transform
 * header:
 *   0      1      2      3      4      5   6   7
 * +------+------+------+------+------+---+---+---+
 * | 0x00 | 0:7,L16     | len  | ff/fe/fd  'S' 'M' 'B'
 * +------+------+------+------+------+---+---+---+
 * The message is at least an SMB1 header (32 bytes). */
static bool is_smb(const uint8_t *d, uint32_t len)
{
	uint32_t mlen;

	if (len < 8 || d[0] != 0x00 || (d[1] & 0xfe) != 0)
		return false;
	mlen = (uint32_t)(d[1] & 1) << 16 | (uint32_t)d[2] << 8 | d[3];
	if (mlen < 32)
		return false;
	return (d[4] == 0xff || d[4] == 0xfe || d[4] == 0xfd) && memcmp(d + 5, "SMB", 3) == 0;
}

/* DCE 1.1 RPC 12.6.3.1 connection-oriented common header (16 bytes):
 * version 5.0 or 5.1, a PDU type this direction sends, a data
 * representation with ASCII characters and a valid integer order, and a
 * fragment at least a header long. */
static bool is_dcerpc(const uint8_t *d, uint32_t len, enum app_dir dir)
{
	static const uint8_t to_server[] = { 0, 11, 14, 16 };  /* request, bind, alter, auth3 */
	static const uint8_t to_client[] = { 2, 3, 12, 13, 15 }; /* response, fault, acks */
	const uint8_t *types = dir == APP_TO_SERVER ? to_server : to_client;
	size_t n = dir == APP_TO_SERVER ? sizeof(to_server) : sizeof(to_client);
	bool type = false;
	uint16_t frag;

	if (len < 16 || d[0] != 5 || d[1] > 1)
		return false;
	for (size_t i = 0; i < n; i++)
		type |= d[2] == types[i];
	if (!type || (d[4] != 0x10 && d[4] != 0x00) || d[5] != 0)
		return false;
	frag = d[4] == 0x10 ? (uint16_t)(d[8] | d[9] << 8) : (uint16_t)(d[8] << 8 | d[9]);
	return frag >= 16;
}

static bool on(const struct applayer_ctx *ctx, enum app_proto p)
{
	return ctx->cfg.mode[0][p] != APP_MODE_OFF;
}

/* A command both speak: the server port, when it is a standard one. */
static enum app_proto by_port(const struct applayer_ctx *ctx, const struct app_flow *af)
{
	if (af->sport == 21 && on(ctx, APP_PROTO_FTP))
		return APP_PROTO_FTP;
	if ((af->sport == 25 || af->sport == 465 || af->sport == 587) && on(ctx, APP_PROTO_SMTP))
		return APP_PROTO_SMTP;
	return APP_PROTO_UNKNOWN;
}

enum app_proto app_probe_plain(const struct applayer_ctx *ctx, const struct app_flow *af,
			       enum app_dir dir, const uint8_t *d, uint32_t len)
{
	if (on(ctx, APP_PROTO_SSH) && is_ssh(d, len))
		return APP_PROTO_SSH;
	if (on(ctx, APP_PROTO_SMB) && is_smb(d, len))
		return APP_PROTO_SMB;
	if (on(ctx, APP_PROTO_DCERPC) && is_dcerpc(d, len, dir))
		return APP_PROTO_DCERPC;
	if (dir != APP_TO_SERVER)
		return APP_PROTO_UNKNOWN;
	if (on(ctx, APP_PROTO_SMTP) && ANY_CMD(d, len, smtp_cmds))
		return APP_PROTO_SMTP;
	if (on(ctx, APP_PROTO_FTP) && ANY_CMD(d, len, ftp_cmds))
		return APP_PROTO_FTP;
	if (af->banner220 && ANY_CMD(d, len, both_cmds))
		return by_port(ctx, af);
	return APP_PROTO_UNKNOWN;
}
