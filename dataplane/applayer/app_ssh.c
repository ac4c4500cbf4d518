// SPDX-License-Identifier: MIT
/* SSH identification strings (RFC 4253 4.2), one per direction:
 *
 *   SSH-protoversion-softwareversion SP comments CR LF
 *
 * The flow is one transaction holding both sides' protoversion (ssh.proto)
 * and softwareversion (ssh.software), as Suricata's. A line is taken up to
 * LF (a CR before it dropped) and at most SSH_MAX_BANNER bytes: a longer one
 * is cut there, as Suricata's banner limit. Lines before the identification
 * that do not start "SSH-" are skipped (the RFC lets a server send them);
 * what follows the banner (the binary packet protocol) is not parsed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "applayer-int.h"

#define SSH_MAX_BANNER 255u       /* RFC 4253 4.2: 255 characters with CR LF */
#define SSH_MAX_PRE_LINES 32u     /* lines skipped before the banner, at most */

struct ssh_side {
	uint8_t line[SSH_MAX_BANNER];
	uint32_t len;             /* bytes of the line so far */
	uint32_t pre_lines;
	bool done;                /* the banner was read, or given up on */
	bool have;                /* proto and software hold the banner's fields */
	uint32_t proto_off, proto_len, soft_off, soft_len; /* within line */
};

struct ssh_state {
	struct app_tx tx;
	struct ssh_side side[2];
};

struct ssh_state *app_ssh_new(struct app_flow *af)
{
	struct ssh_state *ss = calloc(1, sizeof(*ss));

	if (ss)
		ss->tx.id = af->next_tx_id++;
	return ss;
}

void app_ssh_free(struct ssh_state *ss)
{
	if (ss == NULL)
		return;
	app_tx_release(&ss->tx);
	free(ss);
}

struct app_tx *app_ssh_tx(struct ssh_state *ss)
{
	return &ss->tx;
}

/* "SSH-" protoversion "-" softwareversion [SP comments]: the two fields
 * within the line (without CR LF). false when it is not a banner. */
static bool split_banner(struct ssh_side *s)
{
	const uint8_t *l = s->line;
	uint32_t n = s->len, p, q;

	if (n < 4 || memcmp(l, "SSH-", 4) != 0)
		return false;
	for (p = 4; p < n && l[p] != '-'; p++)
		;
	if (p == n || p == 4)
		return false;
	for (q = p + 1; q < n && l[q] != ' '; q++)
		;
	s->proto_off = 4;
	s->proto_len = p - 4;
	s->soft_off = p + 1;
	s->soft_len = q - p - 1;
	return true;
}

/* A whole line (or a line cut at the limit) is in s->line. */
static void line_done(struct ssh_state *ss, struct ssh_side *s)
{
	if (split_banner(s)) {
		s->have = true;
		s->done = true;
		ss->tx.updated = APP_TX_UPDATED;
	} else if (++s->pre_lines >= SSH_MAX_PRE_LINES) {
		s->done = true;
		ss->tx.updated = APP_TX_UPDATED;
	} else {
		s->len = 0;
	}
}

int app_ssh_data(struct ssh_state *ss, enum app_dir dir, const uint8_t *d, uint32_t len)
{
	struct ssh_side *s = &ss->side[dir];

	for (uint32_t i = 0; i < len && !s->done; i++) {
		if (d[i] == '\n') {
			if (s->len > 0 && s->line[s->len - 1] == '\r')
				s->len--;
			line_done(ss, s);
		} else if (s->len == sizeof(s->line)) {
			line_done(ss, s);	/* too long: judged as cut */
			if (!s->done)
				s->len = 0;
		} else {
			s->line[s->len++] = d[i];
		}
	}
	return 0;
}

int app_ssh_buffer(struct ssh_state *ss, enum rule_buffer b, uint32_t idx,
		   const uint8_t **data, uint32_t *len)
{
	const struct ssh_side *s;

	if (idx > 1)
		return -ERANGE;
	s = &ss->side[idx];
	if (!s->have)
		return -ENOENT;
	if (b == RULE_BUF_SSH_PROTO) {
		*data = s->line + s->proto_off;
		*len = s->proto_len;
	} else {
		*data = s->line + s->soft_off;
		*len = s->soft_len;
	}
	return 0;
}

bool app_ssh_buffer_final(const struct app_flow *af, uint32_t idx)
{
	return idx > 1 || af->ssh->side[idx].done || af->eof[idx];
}
