// SPDX-License-Identifier: MIT
/* SMTP (RFC 5321) as Suricata's parser sees it: client command lines and
 * server reply lines, one transaction per mail (from the first command
 * after the previous mail's end to the end of its DATA), the DATA read as
 * MIME (app_mime.c) whose attachments are the transaction's files
 * (file_data, each inspected once whole), and the events of Suricata's
 * smtp.* list this reader can tell. As Suricata, DATA enters data mode at once, without waiting for the
 * server's 354 (a non-354 reply to it leaves data mode again:
 * data_command_rejected); the data ends at a line holding one dot, and a
 * leading dot of a line is removed (5321 4.5.2). After STARTTLS accepted
 * (220), the rest of the segment's replies are read, then the flow's
 * protocol changes (app_change.c: TLS expected). Commands wait for their replies in order, as in
 * Suricata's command buffer: one sent while a STARTTLS or a DATA is
 * unanswered is invalid_pipelined_sequence. BDAT chunks (RFC 3030) are
 * counted, not read as MIME. Its attachments are also the mail's tracked
 * files (when files are: EVE fileinfo, the file keywords), to the server,
 * each closed at its part's end (TRUNCATED when the flow ends inside the
 * mail) and logged then. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../common/events-t.h"
#include "app_file.h"
#include "app_mime.h"

#define SMTP_MAX_LINE 4096u       /* Suricata's SMTP line limit */
#define SMTP_KEEP 8u              /* mails awaiting inspection */
#define SMTP_CMDS 64u             /* unanswered commands whose kind is kept */
#define SMTP_RCPT_MAX 8192u       /* bytes of a mail's RCPT TO arguments kept (EVE) */

/* What a reply answers (Suricata's SMTP_COMMAND_*): a command whose reply
 * matters, another, the end of a mail's data. */
enum smtp_cmd { CMD_OTHER, CMD_DATA, CMD_STARTTLS, CMD_BDAT, CMD_DATA_END };

struct smtp_tx {
	struct app_tx base;
	struct mime_reader mime;
	bool done;                /* its DATA ended (or the flow did) */
	bool had_data;            /* a DATA command was read for it */
	bool data_ended;          /* its DATA ended at the final dot */
	bool mail_from;           /* a MAIL FROM was read for it */
	/* for EVE's "smtp" object: MAIL FROM's and RCPT TO's arguments, the
	 * latter each ended by '\n', SMTP_RCPT_MAX bytes at most */
	char *from;
	uint16_t from_len;
	char *rcpt;
	uint32_t rcpt_len;
};

struct smtp_side {
	uint8_t line[SMTP_MAX_LINE];
	uint32_t len;
	bool long_line;           /* the line being read went past the limit */
};

struct smtp_state {
	struct app_flow *af;
	struct smtp_side side[2];
	uint32_t n;
	struct smtp_tx *tx[SMTP_KEEP];
	bool data_mode;
	bool bdat_mode;           /* reading a BDAT chunk */
	bool stopped;             /* broken: nothing more to parse */
	bool first_reply_seen;
	bool greeted;             /* a reply answered no command: the greeting */
	bool reply_continues;     /* the previous reply line was "NNN-" */
	bool helo;                /* a HELO or EHLO was read */
	char *helo_arg;           /* its argument (EVE's "helo"), helo_len bytes */
	uint16_t helo_len;
	uint8_t cmd_last;         /* the newest command's kind */
	uint8_t cmd[SMTP_CMDS];   /* kinds of the commands not answered, oldest first */
	uint32_t cmd_head, cmd_n;
	uint32_t cmd_more;        /* unanswered ones past the ring, all CMD_OTHER */
	uint64_t bdat_len, bdat_idx; /* the chunk's size; bytes read of chunks */
};

struct smtp_state *app_smtp_new(struct app_flow *af)
{
	struct smtp_state *ss = calloc(1, sizeof(*ss));

	if (ss)
		ss->af = af;
	return ss;
}

static void tx_free(struct smtp_tx *t)
{
	free(t->from);
	free(t->rcpt);
	mime_free(&t->mime);
	app_tx_release(&t->base);
	free(t);
}

void app_smtp_free(struct smtp_state *ss)
{
	if (ss == NULL)
		return;
	for (uint32_t i = 0; i < ss->n; i++)
		tx_free(ss->tx[i]);
	free(ss->helo_arg);
	free(ss);
}

/* The mail being read: the newest if not done, else a new one (the
 * oldest not yet inspected is dropped past SMTP_KEEP). NULL on no memory. */
static struct smtp_tx *cur_tx(struct applayer_ctx *ctx, struct smtp_state *ss)
{
	struct smtp_tx *t;

	if (ss->n > 0 && !ss->tx[ss->n - 1]->done)
		return ss->tx[ss->n - 1];
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		ctx->stats.nomem++;
		return NULL;
	}
	mime_init(&t->mime);
	if (ctx->cfg.files)
		mime_track(&t->mime, ctx->cfg.file_hashes, ctx->magic, &ctx->stats.nomem);
	t->base.id = ss->af->next_tx_id++;
	t->base.updated = APP_TX_UPDATED;
	if (ss->n == SMTP_KEEP) {
		tx_free(ss->tx[0]);
		memmove(ss->tx, ss->tx + 1, (SMTP_KEEP - 1) * sizeof(ss->tx[0]));
		ss->n--;
	}
	ss->tx[ss->n++] = t;
	return t;
}

static void event(struct applayer_ctx *ctx, struct smtp_state *ss, enum smtp_event ev)
{
	struct smtp_tx *t = ss->n > 0 ? ss->tx[ss->n - 1] : cur_tx(ctx, ss);

	if (t != NULL)
		app_tx_event(&t->base, ev);
}

static void mime_events(struct applayer_ctx *ctx, struct smtp_state *ss, struct smtp_tx *t)
{
	static const struct {
		uint8_t err;
		enum smtp_event ev;
	} map[] = {
		{ MIME_ERR_BASE64, SMTP_EV_MIME_INVALID_BASE64 },
		{ MIME_ERR_QP, SMTP_EV_MIME_INVALID_QP },
		{ MIME_ERR_LONG_BOUNDARY, SMTP_EV_MIME_LONG_BOUNDARY },
		{ MIME_ERR_LONG_HEADER, SMTP_EV_MIME_LONG_HEADER_VALUE },
		{ MIME_ERR_LONG_FILENAME, SMTP_EV_MIME_LONG_FILENAME },
	};

	(void)ctx;
	(void)ss;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (t->mime.errors & map[i].err)
			app_tx_event(&t->base, map[i].ev);
}

/* The mail's data ends: at its final dot, or cut (the flow ended). */
static void end_data(struct applayer_ctx *ctx, struct smtp_state *ss, bool cut)
{
	struct smtp_tx *t = ss->n > 0 ? ss->tx[ss->n - 1] : NULL;

	ss->data_mode = false;
	if (t == NULL || t->done)
		return;
	if (cut)
		mime_truncate(&t->mime);
	else
		mime_end(&t->mime);
	t->data_ended = !cut;
	mime_events(ctx, ss, t);
	t->done = true;
	t->base.updated = APP_TX_UPDATED;
	app_file_event(ss->af, &t->base, APP_TO_SERVER);
}

static bool is_cmd(const uint8_t *l, uint32_t len, const char *cmd)
{
	size_t n = strlen(cmd);

	return len >= n && strncasecmp((const char *)l, cmd, n) == 0 &&
	       (len == n || l[n] == ' ' || l[n] == '\t');
}

/* Suricata's prefix test (SCMemcmpLowercase over the name's length). */
static bool has_prefix(const uint8_t *l, uint32_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && strncasecmp((const char *)l, p, n) == 0;
}

/* SMTPParseCommandWithParam: the argument after the command's prefix
 * and one byte more (its ':' or blank), blanks skipped, up to the next
 * blank (RFC 1870's parameters follow one). Its bytes at *arg, or false
 * when memory is short (counted); an absent one is empty. */
static bool cmd_param(struct applayer_ctx *ctx, const uint8_t *l, uint32_t len, uint32_t prefix,
		      char **arg, uint32_t *arg_len)
{
	uint32_t i = prefix + 1, end;

	while (i < len && l[i] == ' ')
		i++;
	if (i > len)
		i = len;
	for (end = i; end < len && l[end] != ' ';)
		end++;
	*arg = malloc(end - i + 1);
	if (*arg == NULL) {
		ctx->stats.nomem++;
		return false;
	}
	memcpy(*arg, l + i, end - i);
	*arg_len = end - i;
	return true;
}

/* RCPT TO's argument appended to the mail's list, within SMTP_RCPT_MAX
 * (beyond: counted). */
static void add_rcpt(struct applayer_ctx *ctx, struct smtp_tx *t, const uint8_t *l, uint32_t len)
{
	char *a, *r;
	uint32_t n;

	if (!cmd_param(ctx, l, len, 7, &a, &n))
		return;
	if (t->rcpt_len + n + 1 > SMTP_RCPT_MAX) {
		ctx->stats.smtp_rcpt_cut++;
		free(a);
		return;
	}
	r = realloc(t->rcpt, t->rcpt_len + n + 1);
	if (r == NULL) {
		ctx->stats.nomem++;
		free(a);
		return;
	}
	memcpy(r + t->rcpt_len, a, n);
	r[t->rcpt_len + n] = '\n';
	t->rcpt = r;
	t->rcpt_len += n + 1;
	free(a);
}

static uint32_t cmds_pending(const struct smtp_state *ss)
{
	return ss->cmd_n + ss->cmd_more;
}

/* SMTPInsertCommandIntoCommandBuffer: a command sent while the newest one
 * unanswered is a STARTTLS or a DATA breaks the pipelining rules (RFC 2920
 * 3.1: those end a group). */
static void push_cmd(struct applayer_ctx *ctx, struct smtp_state *ss, enum smtp_cmd kind)
{
	if (cmds_pending(ss) > 0 && (ss->cmd_last == CMD_STARTTLS || ss->cmd_last == CMD_DATA))
		event(ctx, ss, SMTP_EV_INVALID_PIPELINED_SEQUENCE);
	if (ss->cmd_more == 0 && ss->cmd_n < SMTP_CMDS)
		ss->cmd[(ss->cmd_head + ss->cmd_n++) % SMTP_CMDS] = (uint8_t)kind;
	else
		ss->cmd_more++;
	ss->cmd_last = (uint8_t)kind;
}

/* The oldest unanswered command's kind, taken; -1 when none is. */
static int pop_cmd(struct smtp_state *ss)
{
	int kind;

	if (ss->cmd_n == 0) {
		if (ss->cmd_more == 0)
			return -1;
		ss->cmd_more--;
		return CMD_OTHER;
	}
	kind = ss->cmd[ss->cmd_head];
	ss->cmd_head = (ss->cmd_head + 1) % SMTP_CMDS;
	ss->cmd_n--;
	return kind;
}

/* "BDAT <size> [LAST]" (SMTPParseCommandBDAT): false when no size follows. */
static bool bdat_size(const uint8_t *l, uint32_t len, uint64_t *size)
{
	uint32_t i = 4;
	uint64_t v = 0;

	while (i < len && l[i] == ' ')
		i++;
	if (i == 4 || i == len || l[i] < '0' || l[i] > '9')
		return false;
	/* as strtoul, a size too large saturates */
	for (; i < len && l[i] >= '0' && l[i] <= '9'; i++)
		v = v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : v * 10 + (uint64_t)(l[i] - '0');
	*size = v;
	return true;
}

/* A line of a BDAT chunk, with its delimiter's bytes (SMTPProcessCommandBDAT).
 * As Suricata, bytes count over every chunk of the session until RSET, so
 * a second chunk overruns at once. Past the size: the event, and parsing
 * stops. */
static void bdat_line(struct applayer_ctx *ctx, struct smtp_state *ss, uint32_t len)
{
	ss->bdat_idx += len;
	if (ss->bdat_idx > ss->bdat_len) {
		event(ctx, ss, SMTP_EV_BDAT_CHUNK_LEN_EXCEEDED);
		ss->bdat_mode = false;
		ss->stopped = true;
	} else if (ss->bdat_idx == ss->bdat_len) {
		ss->bdat_mode = false;
	}
}

static void client_line(struct applayer_ctx *ctx, struct smtp_state *ss, const uint8_t *l,
			uint32_t len)
{
	struct smtp_tx *t;

	if (ss->data_mode) {
		t = ss->n > 0 ? ss->tx[ss->n - 1] : NULL;
		if (len == 1 && l[0] == '.') {
			push_cmd(ctx, ss, CMD_DATA_END);	/* the server answers the mail's end */
			end_data(ctx, ss, false);
			return;
		}
		if (len > 0 && l[0] == '.') {	/* dot-stuffing */
			l++;
			len--;
		}
		if (t != NULL) {
			uint8_t before = t->mime.errors;
			uint32_t closed = t->mime.closed;

			mime_line(&t->mime, l, len);
			if (t->mime.errors != before)
				mime_events(ctx, ss, t);
			/* a file is inspected once whole (at its boundary or the
			 * mail's end), not again with every line it grows by */
			if (t->mime.closed != closed) {
				t->base.updated = APP_TX_UPDATED;
				app_file_event(ss->af, &t->base, APP_TO_SERVER);
			}
		}
		return;
	}
	t = cur_tx(ctx, ss);
	if (t == NULL)
		return;
	t->base.updated = APP_TX_UPDATED;
	if (is_cmd(l, len, "DATA")) {
		if (t->had_data) {
			/* a second DATA before the first mail ended (one refused):
			 * Suricata gives up the first mail's MIME, starts a mail */
			event(ctx, ss, SMTP_EV_UNPARSABLE_CONTENT);
			end_data(ctx, ss, false);
			if ((t = cur_tx(ctx, ss)) == NULL)
				return;
		}
		t->had_data = true;
		ss->data_mode = true;
		push_cmd(ctx, ss, CMD_DATA);
	} else if (is_cmd(l, len, "STARTTLS")) {
		push_cmd(ctx, ss, CMD_STARTTLS);
	} else if (has_prefix(l, len, "bdat")) {
		if (!bdat_size(l, len, &ss->bdat_len)) {
			ss->stopped = true;	/* Suricata's parser errors out */
			return;
		}
		ss->bdat_mode = true;
		push_cmd(ctx, ss, CMD_BDAT);
	} else {
		/* SMTPParseCommandHELO / MAILFROM: once a session, once a mail */
		uint32_t n;

		if (has_prefix(l, len, "helo") || has_prefix(l, len, "ehlo")) {
			if (ss->helo)
				event(ctx, ss, SMTP_EV_DUPLICATE_FIELDS);
			else if (cmd_param(ctx, l, len, 4, &ss->helo_arg, &n))
				ss->helo_len = (uint16_t)n;	/* n < SMTP_MAX_LINE */
			ss->helo = true;
		} else if (has_prefix(l, len, "mail from")) {
			if (t->mail_from)
				event(ctx, ss, SMTP_EV_DUPLICATE_FIELDS);
			else if (cmd_param(ctx, l, len, 9, &t->from, &n))
				t->from_len = (uint16_t)n;
			t->mail_from = true;
		} else if (has_prefix(l, len, "rcpt to")) {
			add_rcpt(ctx, t, l, len);
		} else if (has_prefix(l, len, "rset")) {
			ss->bdat_idx = 0;
		}
		push_cmd(ctx, ss, CMD_OTHER);
	}
}

static bool digits3(const uint8_t *l, uint32_t len)
{
	return len >= 3 && l[0] >= '0' && l[0] <= '9' && l[1] >= '0' && l[1] <= '9' &&
	       l[2] >= '0' && l[2] <= '9';
}

static void server_line(struct applayer_ctx *ctx, struct smtp_state *ss, const uint8_t *l,
			uint32_t len)
{
	uint32_t code;
	bool last;
	int kind;

	if (!digits3(l, len) || (len > 3 && l[3] != ' ' && l[3] != '-')) {
		event(ctx, ss, SMTP_EV_INVALID_REPLY);
		return;
	}
	code = (uint32_t)(l[0] - '0') * 100 + (uint32_t)(l[1] - '0') * 10 + (l[2] - '0');
	last = len == 3 || l[3] == ' ';
	if (!ss->first_reply_seen) {
		ss->first_reply_seen = true;
		if (code != 220)
			event(ctx, ss, SMTP_EV_NO_SERVER_WELCOME_MESSAGE);
	}
	if (ss->reply_continues || !last) {
		ss->reply_continues = !last;
		if (!last)
			return;
	}
	/* SMTPProcessReply: a (last) reply line with no command left to
	 * answer is the greeting, the first time (one the detection did not
	 * keep leaves the replies matched to the commands all the same) */
	kind = pop_cmd(ss);
	if (kind < 0) {
		if (ss->greeted)
			event(ctx, ss, SMTP_EV_UNABLE_TO_MATCH_REPLY_WITH_REQUEST);
		ss->greeted = true;
		return;
	}
	if (kind == CMD_DATA && code != 354) {
		event(ctx, ss, SMTP_EV_DATA_COMMAND_REJECTED);
		ss->data_mode = false;
	} else if (kind == CMD_STARTTLS) {
		/* a second upgrade while one is under way cannot be made
		 * (AppLayerRequestProtocolTLSUpgrade refuses it) */
		if (code != 220)
			event(ctx, ss, SMTP_EV_TLS_REJECTED);
		else if (!app_flow_request_change(ss->af, APP_PROTO_TLS))
			event(ctx, ss, SMTP_EV_FAILED_PROTOCOL_CHANGE);
	}
}

static void line_done(struct applayer_ctx *ctx, struct smtp_state *ss, enum app_dir dir,
		      bool lf)
{
	struct smtp_side *s = &ss->side[dir];
	uint32_t raw = s->len + lf;

	if (s->len > 0 && s->line[s->len - 1] == '\r')
		s->len--;
	if (dir == APP_TO_SERVER && ss->bdat_mode)
		bdat_line(ctx, ss, raw);
	else if (dir == APP_TO_SERVER)
		client_line(ctx, ss, s->line, s->len);
	else
		server_line(ctx, ss, s->line, s->len);
	s->len = 0;
}

int app_smtp_data(struct applayer_ctx *ctx, struct smtp_state *ss, enum app_dir dir,
		  const uint8_t *d, uint32_t len)
{
	struct smtp_side *s = &ss->side[dir];

	for (uint32_t i = 0; i < len && !ss->stopped; i++) {
		if (d[i] == '\n') {
			s->long_line = false;
			line_done(ctx, ss, dir, true);
			continue;
		}
		if (s->len == SMTP_MAX_LINE) {
			/* past the limit: the event once, the line read in pieces */
			if (!s->long_line &&
			    !(dir == APP_TO_SERVER && (ss->data_mode || ss->bdat_mode)))
				event(ctx, ss, dir == APP_TO_SERVER ?
					       SMTP_EV_MAX_COMMAND_LINE_LEN_EXCEEDED :
					       SMTP_EV_MAX_REPLY_LINE_LEN_EXCEEDED);
			s->long_line = true;
			line_done(ctx, ss, dir, false);
		}
		s->line[s->len++] = d[i];
	}
	return 0;
}

void app_smtp_eof(struct applayer_ctx *ctx, struct smtp_state *ss, enum app_dir dir)
{
	if (dir == APP_TO_SERVER && ss->data_mode)
		end_data(ctx, ss, true);
	for (uint32_t i = 0; i < ss->n; i++)
		ss->tx[i]->base.updated = APP_TX_UPDATED;
}

uint32_t app_smtp_ntx(const struct smtp_state *ss)
{
	return ss->n;
}

struct app_tx *app_smtp_tx(struct smtp_state *ss, uint32_t i)
{
	return i < ss->n ? &ss->tx[i]->base : NULL;
}

void app_smtp_inspected(struct smtp_state *ss, uint8_t dirs)
{
	uint32_t k = 0;

	/* a mail is done once ended and inspected both ways */
	for (uint32_t i = 0; i < ss->n; i++) {
		struct smtp_tx *t = ss->tx[i];

		t->base.updated &= (uint8_t)~dirs;
		if (t->done && !t->base.updated) {
			app_tx_done(ss->af, &t->base);
			tx_free(t);
		} else
			ss->tx[k++] = t;
	}
	ss->n = k;
}

int app_smtp_buffer(struct app_tx *tx, uint32_t idx, const uint8_t **data, uint32_t *len)
{
	struct smtp_tx *t = (struct smtp_tx *)tx;

	if (idx >= t->mime.nfiles)
		return t->done ? -ERANGE : -ENOENT;
	*data = t->mime.files[idx].p;
	*len = t->mime.files[idx].len;
	return 0;
}

bool app_smtp_buffer_final(const struct app_flow *af, struct app_tx *tx)
{
	return ((struct smtp_tx *)tx)->done || af->eof[APP_TO_SERVER];
}

struct app_file *const *app_smtp_files(struct app_tx *tx, enum app_dir dir, uint32_t *n)
{
	struct smtp_tx *t = (struct smtp_tx *)tx;

	/* an attachment whose file could not be opened ends the list */
	*n = 0;
	while (dir == APP_TO_SERVER && *n < t->mime.nfiles && t->mime.tracked[*n] != NULL)
		(*n)++;
	return t->mime.tracked;
}

/* Suricata's MimeDecParseStateGetStatus, as far as this reader tells:
 * the data ended (PARSE_DONE), or where the reading stands. */
static const char *mime_status(const struct smtp_tx *t)
{
	if (t->data_ended)
		return "PARSE_DONE";
	if (t->mime.in_headers && t->mime.depth == 0)
		return t->mime.headers_seen ? "HEADER_STARTED" : "HEADER_READY";
	return "BODY_STARTED";
}

void app_smtp_info(const struct smtp_state *ss, const struct app_tx *tx,
		   struct app_smtp_info *out)
{
	const struct smtp_tx *t = (const struct smtp_tx *)tx;
	const struct mime_reader *m = &t->mime;

	*out = (struct app_smtp_info){
		.helo = ss->helo_arg, .helo_len = ss->helo_len,
		.mail_from = t->from, .mail_from_len = t->from_len,
		.rcpt = t->rcpt, .rcpt_len = t->rcpt_len,
		.has_email = t->had_data,
	};
	if (!t->had_data)
		return;
	out->status = mime_status(t);
	for (int i = 0; i < MIME_TOP_MAX; i++) {
		out->hdr[i] = m->has_top[i] ? m->top[i] : NULL;
		out->hdr_len[i] = m->top_len[i];
	}
	out->natt = m->natt;
	for (uint8_t i = 0; i < m->natt; i++) {
		out->att[i] = m->att[i];
		out->att_len[i] = m->att_len[i];
	}
}
