// SPDX-License-Identifier: MIT
/* The FTP control connection (RFC 959) as Suricata 7's parser sees it:
 * command lines to the server, reply lines to the client, a transaction per
 * command holding its reply (a reply nobody asked for, the greeting, gets
 * one of its own). What detection and the data connections need is kept:
 *
 * - PORT's host-port (RFC 959 4.1.2: h1,h2,h3,h4,p1,p2), for ftpbounce;
 * - the data port the control connection negotiates: PORT and EPRT
 *   (RFC 2428 2) when their reply comes (active: the server will connect),
 *   a 227 reply to PASV and a 229 reply to EPSV (RFC 2428 3; passive: the
 *   client will connect);
 * - then RETR or STOR announce the data connection as an expectation
 *   (app_expect.c) that gives it the protocol ftp-data and tells it the
 *   command and the file's name (app_ftpdata.c). As Suricata's, its first
 *   data flows to the client for a passive RETR or an active STOR, else to
 *   the server.
 * - AUTH TLS answered 234 (RFC 4217 4): the protocol changes to TLS
 *   (app_change.c), as Suricata's AppLayerRequestProtocolTLSUpgrade.
 *
 * Lines end at LF (a CR before it dropped); a line longer than
 * FTP_MAX_LINE (Suricata's max-line-length) is cut there, the rest
 * dropped, and counted with every other malformed line or argument. At
 * most FTP_KEEP transactions are held: pipelined commands beyond that drop
 * the oldest (counted).
 *
 * For EVE's "ftp" records (Suricata's EveFTPLogCommand) a transaction
 * keeps its command line and its reply lines, each trimmed of trailing
 * blanks, and whether either was cut. As Suricata's FTPParseRequest, only
 * a command of its table (FtpCommands) makes a transaction; it is known by
 * its name at the start of the line, in any case (Suricata's pattern
 * search would also find a name later in the line). A reply goes to the
 * oldest command still waiting; with none, to a transaction of its own
 * that names no command (Suricata adds it to the last one when that is
 * still held, which depends on when its transactions are let go). At most
 * FTP_REPLY_MAX bytes of a transaction's replies are kept (counted). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app_file.h"
#include "applayer-int.h"

#define FTP_MAX_LINE 4096u
#define FTP_KEEP 32u
#define FTP_REPLY_MAX 16384u

enum ftp_cmd {
	FTP_CMD_NONE = 0,         /* an unsolicited reply */
	FTP_CMD_OTHER,            /* another command of Suricata's table */
	FTP_CMD_PORT,
	FTP_CMD_EPRT,
	FTP_CMD_PASV,
	FTP_CMD_EPSV,
	FTP_CMD_RETR,
	FTP_CMD_STOR,
	FTP_CMD_AUTH_TLS,
};

struct ftp_tx {
	struct app_tx base;
	uint8_t cmd;              /* enum ftp_cmd */
	bool done;                /* its last reply line came */
	bool has_host;            /* PORT: host[] holds h1..h4 */
	uint8_t host[4];
	uint16_t port;            /* PORT, EPRT: the port named (0: none valid) */
	/* for EVE */
	const char *name;         /* the command's name in Suricata's table, NULL: none */
	bool req_cut, reply_cut;  /* a line was longer than FTP_MAX_LINE */
	bool active;              /* the reply agreed on dyn_port for PORT/EPRT */
	uint16_t dyn_port;        /* the data port its reply agreed on, 0: none */
	uint8_t *req;             /* the command line, req_len bytes */
	uint32_t req_len;
	char *reply;              /* the reply lines, each ended by '\n' */
	uint32_t reply_len;
};

struct ftp_side {
	uint8_t line[FTP_MAX_LINE];
	uint32_t len;
	bool long_line;           /* past the limit: dropping to the LF */
};

struct ftp_state {
	struct app_flow *af;
	struct ftp_side side[2];
	uint32_t n;
	struct ftp_tx *tx[FTP_KEEP];
	uint16_t dyn_port;        /* negotiated data port, 0: none */
	bool active;              /* it came from PORT/EPRT */
	bool announced;           /* a transfer was announced (app_expect_add) */
	bool reply_continues;     /* the last reply line was "NNN-" */
};

struct ftp_state *app_ftp_new(struct app_flow *af)
{
	struct ftp_state *fs = calloc(1, sizeof(*fs));

	if (fs)
		fs->af = af;
	return fs;
}

static void tx_free(struct ftp_tx *t)
{
	app_tx_release(&t->base);
	free(t->req);
	free(t->reply);
	free(t);
}

void app_ftp_free(struct ftp_state *fs)
{
	if (fs == NULL)
		return;
	for (uint32_t i = 0; i < fs->n; i++)
		tx_free(fs->tx[i]);
	free(fs);
}

static struct ftp_tx *tx_new(struct applayer_ctx *ctx, struct ftp_state *fs, enum ftp_cmd cmd)
{
	struct ftp_tx *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		ctx->stats.nomem++;
		return NULL;
	}
	t->base.id = fs->af->next_tx_id++;
	t->base.updated = APP_TX_UPDATED;
	t->cmd = (uint8_t)cmd;
	if (fs->n == FTP_KEEP) {
		ctx->stats.ftp_max_tx++;
		tx_free(fs->tx[0]);
		memmove(fs->tx, fs->tx + 1, (FTP_KEEP - 1) * sizeof(fs->tx[0]));
		fs->n--;
	}
	fs->tx[fs->n++] = t;
	ctx->stats.ftp_txs++;
	return t;
}

/* A decimal number of at most 5 digits at *p (blanks before it skipped). */
static bool number(const uint8_t *l, uint32_t len, uint32_t *p, uint32_t *out)
{
	uint32_t i = *p, v = 0, digits = 0;

	while (i < len && (l[i] == ' ' || l[i] == '\t'))
		i++;
	while (i < len && l[i] >= '0' && l[i] <= '9' && digits < 6) {
		v = v * 10 + (uint32_t)(l[i++] - '0');
		digits++;
	}
	if (digits == 0 || digits > 5)
		return false;
	while (i < len && (l[i] == ' ' || l[i] == '\t'))
		i++;
	*p = i;
	*out = v;
	return true;
}

/* h1,h2,h3,h4[,p1,p2] from the first digit at or after from: the host
 * (false unless four numbers up to 255 are there) and, when the two port
 * numbers follow, the port (else 0). */
static bool host_port(const uint8_t *l, uint32_t len, uint32_t from, uint8_t host[4],
		      uint16_t *port)
{
	uint32_t i = from, v[6], n = 0;

	while (i < len && !(l[i] >= '0' && l[i] <= '9'))
		i++;
	for (; n < 6; n++) {
		if (!number(l, len, &i, &v[n]) || v[n] > 255)
			break;
		if (i >= len || l[i] != ',') {
			n++;
			break;
		}
		i++;
	}
	if (n < 4)
		return false;
	for (int k = 0; k < 4; k++)
		host[k] = (uint8_t)v[k];
	*port = n == 6 ? (uint16_t)(v[4] << 8 | v[5]) : 0;
	return true;
}

/* RFC 2428's <d>net-prt<d>net-addr<d>tcp-port<d> (EPRT) or (<d><d><d>tcp-port<d>)
 * (a 229 reply): the number between the last two delimiters; 0 if none. */
static uint16_t ext_port(const uint8_t *l, uint32_t len)
{
	uint32_t end = len, start, i, v;

	while (end > 0 && l[end - 1] != '|')
		end--;
	if (end < 2)
		return 0;
	start = end - 1;
	while (start > 0 && l[start - 1] != '|')
		start--;
	if (start == 0 || start == end - 1)
		return 0;
	i = start;
	if (!number(l, end - 1, &i, &v) || i != end - 1 || v > UINT16_MAX)
		return 0;
	return (uint16_t)v;
}

/* Suricata 7's FtpCommands: the names a transaction is made for (those
 * the parser acts on first); FTP_CMD_OTHER for the rest. */
static const struct {
	const char *name;
	uint8_t len;
	uint8_t cmd;              /* enum ftp_cmd */
} ftp_cmds[] = {
	{ "PORT", 4, FTP_CMD_PORT }, { "EPRT", 4, FTP_CMD_EPRT },
	{ "AUTH TLS", 8, FTP_CMD_AUTH_TLS }, { "PASV", 4, FTP_CMD_PASV },
	{ "RETR", 4, FTP_CMD_RETR }, { "EPSV", 4, FTP_CMD_EPSV }, { "STOR", 4, FTP_CMD_STOR },
	{ "ABOR", 4, FTP_CMD_OTHER }, { "ACCT", 4, FTP_CMD_OTHER }, { "ALLO", 4, FTP_CMD_OTHER },
	{ "APPE", 4, FTP_CMD_OTHER }, { "CDUP", 4, FTP_CMD_OTHER }, { "CHMOD", 5, FTP_CMD_OTHER },
	{ "CWD", 3, FTP_CMD_OTHER }, { "DELE", 4, FTP_CMD_OTHER }, { "HELP", 4, FTP_CMD_OTHER },
	{ "IDLE", 4, FTP_CMD_OTHER }, { "LIST", 4, FTP_CMD_OTHER }, { "MAIL", 4, FTP_CMD_OTHER },
	{ "MDTM", 4, FTP_CMD_OTHER }, { "MKD", 3, FTP_CMD_OTHER }, { "MLFL", 4, FTP_CMD_OTHER },
	{ "MODE", 4, FTP_CMD_OTHER }, { "MRCP", 4, FTP_CMD_OTHER }, { "MRSQ", 4, FTP_CMD_OTHER },
	{ "MSAM", 4, FTP_CMD_OTHER }, { "MSND", 4, FTP_CMD_OTHER }, { "MSOM", 4, FTP_CMD_OTHER },
	{ "NLST", 4, FTP_CMD_OTHER }, { "NOOP", 4, FTP_CMD_OTHER }, { "PASS", 4, FTP_CMD_OTHER },
	{ "PWD", 3, FTP_CMD_OTHER }, { "QUIT", 4, FTP_CMD_OTHER }, { "REIN", 4, FTP_CMD_OTHER },
	{ "REST", 4, FTP_CMD_OTHER }, { "RMD", 3, FTP_CMD_OTHER }, { "RNFR", 4, FTP_CMD_OTHER },
	{ "RNTO", 4, FTP_CMD_OTHER }, { "SITE", 4, FTP_CMD_OTHER }, { "SIZE", 4, FTP_CMD_OTHER },
	{ "SMNT", 4, FTP_CMD_OTHER }, { "STAT", 4, FTP_CMD_OTHER }, { "STOU", 4, FTP_CMD_OTHER },
	{ "STRU", 4, FTP_CMD_OTHER }, { "SYST", 4, FTP_CMD_OTHER }, { "TYPE", 4, FTP_CMD_OTHER },
	{ "UMASK", 5, FTP_CMD_OTHER }, { "USER", 4, FTP_CMD_OTHER },
};

/* The table's row the line starts with, -1 for none. The names are upper
 * case: the first letter picks the rows worth a compare (a compare per row
 * was 2.8 M instructions on corpus-mix's FTP and its data lines). */
static int command(const uint8_t *l, uint32_t len)
{
	const char c = len > 0 ? (char)toupper(l[0]) : '\0';

	for (size_t i = 0; i < sizeof(ftp_cmds) / sizeof(ftp_cmds[0]); i++)
		if (ftp_cmds[i].name[0] == c && len >= ftp_cmds[i].len &&
		    strncasecmp((const char *)l, ftp_cmds[i].name, ftp_cmds[i].len) == 0)
			return (int)i;
	return -1;
}

/* l[0..*len) without its trailing blanks (Suricata's CopyCommandLine). */
static void trim(const uint8_t *l, uint32_t *len)
{
	while (*len > 0 && isspace(l[*len - 1]))
		(*len)--;
}

/* A copy of the line for EVE; false when memory is short (counted). */
static bool keep_request(struct applayer_ctx *ctx, struct ftp_tx *t, const uint8_t *l,
			 uint32_t len, bool cut)
{
	trim(l, &len);
	t->req_cut = cut;
	if (len == 0)
		return true;
	t->req = malloc(len);
	if (t->req == NULL) {
		ctx->stats.nomem++;
		return false;
	}
	memcpy(t->req, l, len);
	t->req_len = len;
	return true;
}

/* A reply line appended for EVE, within FTP_REPLY_MAX (beyond: counted). */
static void keep_reply(struct applayer_ctx *ctx, struct ftp_tx *t, const uint8_t *l,
		       uint32_t len, bool cut)
{
	char *r;

	t->reply_cut |= cut;
	trim(l, &len);
	if (len == 0)
		return;
	if (t->reply_len + len + 1 > FTP_REPLY_MAX) {
		ctx->stats.ftp_reply_cut++;
		return;
	}
	r = realloc(t->reply, t->reply_len + len + 1);
	if (r == NULL) {
		ctx->stats.nomem++;
		return;
	}
	memcpy(r + t->reply_len, l, len);
	r[t->reply_len + len] = '\n';
	t->reply = r;
	t->reply_len += len + 1;
}

/* RETR/STOR with a negotiated port and a file name (the line's bytes
 * after "RETR ", at most APP_FILE_NAME_MAX - 1 as Suricata's
 * SC_FILENAME_MAX): the data connection is expected, told the transfer.
 * Its first data flows, as Suricata's, to the client for a passive RETR
 * and an active STOR (the server connected: the file flows back to it),
 * else to the server. */
static void announce(struct applayer_ctx *ctx, struct ftp_state *fs, enum ftp_cmd cmd,
		     const uint8_t *l, uint32_t len, uint64_t ts_us)
{
	struct app_flow *af = fs->af;
	struct app_expect_key k = {
		.ip_ver = af->ip_ver, .port = fs->dyn_port, .proto = APP_PROTO_FTPDATA,
		.addr = { af->caddr, af->saddr },
	};
	uint32_t name_len = len - 5;
	struct app_ftp_xfer *x;

	if (fs->dyn_port == 0 || len < 6) {
		ctx->stats.ftp_bad++;	/* no data port agreed, or no file named */
		return;
	}
	if (name_len > APP_FILE_NAME_MAX - 1)
		name_len = APP_FILE_NAME_MAX - 1;
	k.dir = (fs->active == (cmd == FTP_CMD_STOR)) ? APP_TO_CLIENT : APP_TO_SERVER;
	if (af->ip_ver != 0) {
		x = malloc(sizeof(*x) + name_len);
		if (x == NULL) {
			ctx->stats.nomem++;
			return;
		}
		x->cmd = cmd == FTP_CMD_STOR ? APP_FTP_STOR : APP_FTP_RETR;
		x->dir = k.dir;
		x->name_len = (uint16_t)name_len;
		memcpy(x->name, l + 5, name_len);
		fs->announced = true;
		app_expect_add(app_ctx_expect_ordered(ctx), &k, af, ts_us, x);
	}
	fs->dyn_port = 0;
	fs->active = false;
}

static void client_line(struct applayer_ctx *ctx, struct ftp_state *fs, const uint8_t *l,
			uint32_t len, bool cut, uint64_t ts_us)
{
	enum ftp_cmd cmd;
	struct ftp_tx *t;
	int row;

	if (len == 0) {
		ctx->stats.ftp_bad++;
		return;
	}
	row = command(l, len);
	if (row < 0)
		return;		/* not a command of the table: no transaction */
	cmd = (enum ftp_cmd)ftp_cmds[row].cmd;
	t = tx_new(ctx, fs, cmd);
	if (t == NULL)
		return;
	t->name = ftp_cmds[row].name;
	keep_request(ctx, t, l, len, cut);
	switch (cmd) {
	case FTP_CMD_PORT:
		if (!host_port(l, len, 5, t->host, &t->port))
			ctx->stats.ftp_bad++;
		else
			t->has_host = true;
		break;
	case FTP_CMD_EPRT:
		t->port = ext_port(l, len);
		if (t->port == 0)
			ctx->stats.ftp_bad++;
		break;
	case FTP_CMD_RETR:
	case FTP_CMD_STOR:
		announce(ctx, fs, cmd, l, len, ts_us);
		break;
	default:
		break;
	}
}

/* The oldest transaction still waiting for its reply. */
static struct ftp_tx *waiting(struct ftp_state *fs)
{
	for (uint32_t i = 0; i < fs->n; i++)
		if (!fs->tx[i]->done)
			return fs->tx[i];
	return NULL;
}

/* The reply's final line to t's command: the data port it agrees on. */
static void reply_done(struct applayer_ctx *ctx, struct ftp_state *fs, struct ftp_tx *t,
		       const uint8_t *l, uint32_t len)
{
	uint8_t host[4];
	uint16_t port = 0;
	uint32_t from = 4;

	switch (t->cmd) {
	case FTP_CMD_PORT:
	case FTP_CMD_EPRT:
		if (t->port != 0) {
			fs->dyn_port = t->port;
			fs->active = true;
			t->dyn_port = t->port;
			t->active = true;
		}
		break;
	case FTP_CMD_PASV:
		if (len < 4 || memcmp(l, "227 ", 4) != 0)
			break;
		for (uint32_t i = 4; i < len; i++)
			if (l[i] == '(') {
				from = i + 1;
				break;
			}
		if (!host_port(l, len, from, host, &port) || port == 0) {
			ctx->stats.ftp_bad++;
			break;
		}
		fs->dyn_port = port;
		fs->active = false;
		t->dyn_port = port;
		break;
	case FTP_CMD_EPSV:
		if (len < 4 || memcmp(l, "229 ", 4) != 0)
			break;
		port = ext_port(l, len);
		if (port == 0) {
			ctx->stats.ftp_bad++;
			break;
		}
		fs->dyn_port = port;
		fs->active = false;
		t->dyn_port = port;
		break;
	case FTP_CMD_AUTH_TLS:
		/* RFC 4217 4: 234, the TLS negotiation follows */
		if (len >= 4 && memcmp(l, "234 ", 4) == 0)
			app_flow_request_change(fs->af, APP_PROTO_TLS);
		break;
	default:
		break;
	}
}

static bool digits3(const uint8_t *l, uint32_t len)
{
	return len >= 3 && l[0] >= '0' && l[0] <= '9' && l[1] >= '0' && l[1] <= '9' &&
	       l[2] >= '0' && l[2] <= '9';
}

/* RFC 959 4.2: "NNN text" ends a reply, "NNN-text" opens a multi-line one
 * whose lines go on until "NNN text" (lines between may be anything). A
 * 1yz reply is preliminary (RETR's "150 opening"): the command waits on for
 * its final reply. Every line is kept with the reply of the command
 * waiting; a reply nobody waits for opens a transaction of its own at its
 * first line. */
static void server_line(struct applayer_ctx *ctx, struct ftp_state *fs, const uint8_t *l,
			uint32_t len, bool cut)
{
	bool coded = digits3(l, len) && (len == 3 || l[3] == ' ' || l[3] == '-');
	bool last = coded && (len == 3 || l[3] == ' ');
	struct ftp_tx *t = waiting(fs);

	if (!coded) {
		if (!fs->reply_continues)
			ctx->stats.ftp_bad++;
		if (t != NULL)
			keep_reply(ctx, t, l, len, cut);
		return;
	}
	fs->reply_continues = !last;
	if (t == NULL)
		t = tx_new(ctx, fs, FTP_CMD_NONE);
	if (t == NULL)
		return;
	keep_reply(ctx, t, l, len, cut);
	t->base.updated = APP_TX_UPDATED;
	if (!last || l[0] == '1')
		return;
	reply_done(ctx, fs, t, l, len);
	t->done = true;
}

int app_ftp_data(struct applayer_ctx *ctx, struct ftp_state *fs, enum app_dir dir,
		 const uint8_t *d, uint32_t len, uint64_t ts_us)
{
	struct ftp_side *s = &fs->side[dir];

	for (uint32_t i = 0; i < len; i++) {
		if (d[i] != '\n') {
			if (s->len < FTP_MAX_LINE) {
				s->line[s->len++] = d[i];
			} else if (!s->long_line) {
				s->long_line = true;
				ctx->stats.ftp_bad++;
			}
			continue;
		}
		if (s->len > 0 && s->line[s->len - 1] == '\r')
			s->len--;
		if (dir == APP_TO_SERVER)
			client_line(ctx, fs, s->line, s->len, s->long_line, ts_us);
		else
			server_line(ctx, fs, s->line, s->len, s->long_line);
		s->len = 0;
		s->long_line = false;
	}
	return 0;
}

uint32_t app_ftp_ntx(const struct ftp_state *fs)
{
	return fs->n;
}

struct app_tx *app_ftp_tx(struct ftp_state *fs, uint32_t i)
{
	return i < fs->n ? &fs->tx[i]->base : NULL;
}

void app_ftp_inspected(struct ftp_state *fs, uint8_t dirs)
{
	uint32_t k = 0;

	/* a command is done once answered and inspected both ways */
	for (uint32_t i = 0; i < fs->n; i++) {
		struct ftp_tx *t = fs->tx[i];

		t->base.updated &= (uint8_t)~dirs;
		if (t->done && !t->base.updated) {
			app_tx_done(fs->af, &t->base);
			tx_free(t);
		} else {
			fs->tx[k++] = t;
		}
	}
	fs->n = k;
}

bool app_ftp_announced(const struct ftp_state *fs)
{
	return fs->announced;
}

bool app_ftp_bounce(const struct app_flow *af, const struct app_tx *tx)
{
	const struct ftp_tx *t = (const struct ftp_tx *)tx;

	if (t->cmd != FTP_CMD_PORT || !t->has_host || af->ip_ver == 0)
		return false;
	/* a PORT names an IPv4 host: never an IPv6 client's own address */
	return af->ip_ver != 4 || memcmp(t->host, af->caddr.b, 4) != 0;
}

int app_ftp_info(const struct app_tx *tx, struct app_ftp_info *out)
{
	const struct ftp_tx *t = (const struct ftp_tx *)tx;

	*out = (struct app_ftp_info){
		.command = t->name, .request = t->req, .request_len = t->req_len,
		.command_len = t->name ? (uint32_t)strlen(t->name) : 0,
		.request_cut = t->req_cut, .reply = t->reply, .reply_len = t->reply_len,
		.reply_cut = t->reply_cut, .dyn_port = t->dyn_port,
		.port_cmd = t->cmd == FTP_CMD_PORT || t->cmd == FTP_CMD_EPRT,
		.active = t->active, .done = t->done,
	};
	return 0;
}
