// SPDX-License-Identifier: MIT
/* SSH as Suricata 7's parser reads it (rust/src/ssh): per direction the
 * identification string (RFC 4253 4.2), then the binary packet protocol's
 * records up to NEWKEYS, the rest being encrypted.
 *
 *   SSH-protoversion-softwareversion [SP comments] CR LF
 *
 *   record:  uint32 packet_length | byte padding_length | byte msg code |
 *            packet_length - 2 more bytes (payload rest, padding)
 *   KEXINIT (20) payload: cookie[16], then ten name-lists (uint32 length,
 *            bytes): kex, host key, encryption c2s, s2c, mac c2s, s2c,
 *            compression c2s, s2c, languages c2s, s2c; bool; uint32
 *
 * The flow is one transaction holding both sides (ssh.proto, ssh.software,
 * HASSH). A line ends at LF or CR (a LF right after a CR is its own); its
 * first SSH_MAX_BANNER bytes are kept. A first line that is no banner
 * (Suricata skips no pre-banner line) is invalid_banner and the parser
 * gives up; SSH_MAX_BANNER bytes without an end are long_banner, the banner
 * read from them, the rest of the line skipped. A record whose
 * packet_length is below 2 is invalid_record (given up). With HASSH on, a
 * KEXINIT's body is kept whole up to SSH_MAX_KEX bytes (a longer one is
 * long_kex_record) and fingerprinted as the HASSH spec says:
 *
 *   hassh        = MD5(kex;enc c2s;mac c2s;comp c2s)  of the client
 *   hassh.server = MD5(kex;enc s2c;mac s2c;comp s2c)  of the server
 *
 * Once both sides sent NEWKEYS nothing more is parsed and the flow's
 * payload is no longer inspected (Suricata's APP_LAYER_PARSER_NO_INSPECTION). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/digest.h"
#include "../../common/events-t.h"
#include "applayer-int.h"

#define SSH_MAX_BANNER 256u       /* Suricata's SSH_MAX_BANNER_LEN */
#define SSH_RECORD_HDR 6u         /* packet_length, padding_length, msg code */
#define SSH_MAX_KEX 65535u        /* SSH_MAX_REASSEMBLED_RECORD_LEN */
#define SSH_MSG_KEXINIT 20u
#define SSH_MSG_NEWKEYS 21u

/* A side's progress, as Suricata's SSHConnectionState. */
enum ssh_phase { SSH_IN_PROGRESS, SSH_BANNER_WAIT_EOL, SSH_BANNER_DONE, SSH_FINISHED };

struct ssh_side {
	uint8_t line[SSH_MAX_BANNER];
	uint16_t len;             /* bytes of the banner line kept */
	uint8_t phase;            /* enum ssh_phase */
	bool skip_lf;             /* the line ended at a CR: a LF next is its own */
	bool have;                /* the banner's fields are set */
	uint16_t proto_off, proto_len, soft_off, soft_len; /* within line */
	uint8_t hdr[SSH_RECORD_HDR];
	uint8_t hdr_len;          /* bytes of the next record's header so far */
	bool keep_kex;            /* the record being read is a KEXINIT kept for HASSH */
	uint32_t left;            /* bytes of the record being read still to come */
	struct abuf kex;          /* its body so far */
	char hassh[2 * MD5_DIGEST_SIZE + 1]; /* "" until computed */
	struct abuf hassh_str;    /* the string it hashes */
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
	for (int d = 0; d < 2; d++) {
		abuf_free(&ss->side[d].kex);
		abuf_free(&ss->side[d].hassh_str);
	}
	app_tx_release(&ss->tx);
	free(ss);
}

struct app_tx *app_ssh_tx(struct ssh_state *ss)
{
	return &ss->tx;
}

bool app_ssh_encrypted(const struct ssh_state *ss)
{
	return ss->side[0].phase == SSH_FINISHED && ss->side[1].phase == SSH_FINISHED;
}

bool app_ssh_log_due(const struct ssh_state *ss, bool hassh)
{
	uint8_t want = hassh ? SSH_FINISHED : SSH_BANNER_DONE;

	return ss->side[0].phase == want && ss->side[1].phase == want;
}

/* "SSH-" protoversion "-" softwareversion: the fields within the kept line
 * as Suricata's ssh_parse_banner takes them (protoversion one byte or more
 * up to the first '-'; softwareversion up to the first blank, or, when a
 * blank comes first, the whole rest). false: no banner. */
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
	if (q == p + 1)
		q = n;
	s->proto_off = 4;
	s->proto_len = (uint16_t)(p - 4);
	s->soft_off = (uint16_t)(p + 1);
	s->soft_len = (uint16_t)(q - p - 1);
	return true;
}

/* The banner line is read (cut: SSH_MAX_BANNER bytes and no end yet). */
static int banner_done(struct applayer_ctx *ctx, struct ssh_state *ss, struct ssh_side *s,
		       bool cut)
{
	ss->tx.updated = APP_TX_UPDATED;
	if (!split_banner(s)) {
		app_tx_event(&ss->tx, SSH_EV_INVALID_BANNER);
		ctx->stats.ssh_bad++;
		return -EINVAL;
	}
	s->have = true;
	s->phase = cut ? SSH_BANNER_WAIT_EOL : SSH_BANNER_DONE;
	if (cut)
		app_tx_event(&ss->tx, SSH_EV_LONG_BANNER);
	return 0;
}

/* Bytes of the banner line: how many were taken, or -EINVAL. */
static int banner_bytes(struct applayer_ctx *ctx, struct ssh_state *ss, struct ssh_side *s,
			const uint8_t *d, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		if (d[i] == '\r' || d[i] == '\n') {
			s->skip_lf = d[i] == '\r';
			return banner_done(ctx, ss, s, false) ? -EINVAL : (int)(i + 1);
		}
		s->line[s->len++] = d[i];
		if (s->len == SSH_MAX_BANNER)
			return banner_done(ctx, ss, s, true) ? -EINVAL : (int)(i + 1);
	}
	return (int)len;
}

/* The rest of a long banner line: skipped to its end. */
static int skip_line(struct ssh_side *s, const uint8_t *d, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		if (d[i] == '\r' || d[i] == '\n') {
			s->skip_lf = d[i] == '\r';
			s->phase = SSH_BANNER_DONE;
			return (int)(i + 1);
		}
	}
	return (int)len;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The name-lists of a KEXINIT body (after the msg code): list[i] and len[i]
 * for the ten of them. false when the body is shorter than they say. */
static bool kex_lists(const uint8_t *b, uint32_t n, const uint8_t *list[10], uint32_t len[10])
{
	uint32_t at = 16;         /* the cookie */

	for (int i = 0; i < 10; i++) {
		if (n < at || n - at < 4)
			return false;
		len[i] = be32(b + at);
		at += 4;
		if (len[i] > n - at)
			return false;
		list[i] = b + at;
		at += len[i];
	}
	return n >= at && n - at >= 5;    /* first_kex_packet_follows, reserved */
}

/* A side's KEXINIT body is whole in s->kex: its HASSH, once. */
static void kex_done(struct applayer_ctx *ctx, struct ssh_state *ss, struct ssh_side *s,
		     enum app_dir dir)
{
	/* kex; then encryption, mac, compression of the side's direction */
	const int pick[4] = { 0, 2 + (int)dir, 4 + (int)dir, 6 + (int)dir };
	const uint8_t *list[10];
	uint32_t len[10];
	uint8_t md5[MD5_DIGEST_SIZE];

	s->keep_kex = false;
	if (s->hassh[0] != '\0' || !kex_lists(s->kex.p, s->kex.len, list, len)) {
		if (s->hassh[0] == '\0')
			ctx->stats.ssh_kex_bad++;
		abuf_free(&s->kex);
		return;
	}
	for (int i = 0; i < 4; i++)
		if ((i > 0 && abuf_append(&s->hassh_str, ";", 1)) ||
		    abuf_append(&s->hassh_str, list[pick[i]], len[pick[i]])) {
			ctx->stats.nomem++;
			abuf_free(&s->hassh_str);
			abuf_free(&s->kex);
			return;
		}
	digest_md5(s->hassh_str.p, s->hassh_str.len, md5);
	for (int i = 0; i < MD5_DIGEST_SIZE; i++)
		snprintf(s->hassh + 2 * i, 3, "%02x", md5[i]);
	abuf_free(&s->kex);
	ss->tx.updated = APP_TX_UPDATED;
}

/* A record's header is read. -EINVAL: its length cannot be. */
static int record_start(struct applayer_ctx *ctx, struct ssh_state *ss, struct ssh_side *s,
			enum app_dir dir)
{
	uint32_t plen = be32(s->hdr);

	s->hdr_len = 0;
	if (plen < 2) {
		app_tx_event(&ss->tx, SSH_EV_INVALID_RECORD);
		ctx->stats.ssh_bad++;
		return -EINVAL;
	}
	s->left = plen - 2;
	if (s->hdr[5] == SSH_MSG_NEWKEYS) {
		s->phase = SSH_FINISHED;
		ss->tx.updated = APP_TX_UPDATED;
	} else if (s->hdr[5] == SSH_MSG_KEXINIT && ctx->cfg.ssh_hassh) {
		if (s->left < SSH_MAX_KEX) {
			s->keep_kex = true;
			s->kex.len = 0;
		} else {
			app_tx_event(&ss->tx, SSH_EV_LONG_KEX_RECORD);
			ctx->stats.ssh_kex_bad++;
		}
	}
	if (s->left == 0 && s->keep_kex)
		kex_done(ctx, ss, s, dir);
	return 0;
}

/* Bytes of the records after the banner: how many were taken, or -EINVAL. */
static int record_bytes(struct applayer_ctx *ctx, struct ssh_state *ss, struct ssh_side *s,
			enum app_dir dir, const uint8_t *d, uint32_t len)
{
	uint32_t n;

	if (s->skip_lf) {
		s->skip_lf = false;
		if (d[0] == '\n')
			return 1;
	}
	if (s->left > 0) {
		n = len < s->left ? len : s->left;
		if (s->keep_kex && abuf_append(&s->kex, d, n)) {
			ctx->stats.nomem++;
			s->keep_kex = false;
			abuf_free(&s->kex);
		}
		s->left -= n;
		if (s->left == 0 && s->keep_kex)
			kex_done(ctx, ss, s, dir);
		return (int)n;
	}
	n = SSH_RECORD_HDR - s->hdr_len;
	if (n > len)
		n = len;
	memcpy(s->hdr + s->hdr_len, d, n);
	s->hdr_len = (uint8_t)(s->hdr_len + n);
	if (s->hdr_len == SSH_RECORD_HDR && record_start(ctx, ss, s, dir))
		return -EINVAL;
	return (int)n;
}

int app_ssh_data(struct applayer_ctx *ctx, struct ssh_state *ss, enum app_dir dir,
		 const uint8_t *d, uint32_t len)
{
	struct ssh_side *s = &ss->side[dir];
	uint32_t i = 0;

	while (i < len && !app_ssh_encrypted(ss)) {
		int n;

		switch (s->phase) {
		case SSH_IN_PROGRESS:
			n = banner_bytes(ctx, ss, s, d + i, len - i);
			break;
		case SSH_BANNER_WAIT_EOL:
			n = skip_line(s, d + i, len - i);
			break;
		default:
			n = record_bytes(ctx, ss, s, dir, d + i, len - i);
			break;
		}
		if (n < 0)
			return n;
		i += (uint32_t)n;
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
	switch (b) {
	case RULE_BUF_SSH_PROTO:
	case RULE_BUF_SSH_SOFTWARE:
		if (!s->have)
			return -ENOENT;
		*data = s->line + (b == RULE_BUF_SSH_PROTO ? s->proto_off : s->soft_off);
		*len = b == RULE_BUF_SSH_PROTO ? s->proto_len : s->soft_len;
		return 0;
	case RULE_BUF_SSH_HASSH:
		if (s->hassh[0] == '\0')
			return -ENOENT;
		*data = (const uint8_t *)s->hassh;
		*len = 2 * MD5_DIGEST_SIZE;
		return 0;
	default:
		if (s->hassh[0] == '\0')
			return -ENOENT;
		*data = s->hassh_str.p;
		*len = s->hassh_str.len;
		return 0;
	}
}

bool app_ssh_buffer_final(const struct app_flow *af, enum rule_buffer b, uint32_t idx)
{
	const struct ssh_side *s;

	if (idx > 1 || af->eof[idx] || af->gave_up)
		return true;
	s = &af->ssh->side[idx];
	if (b == RULE_BUF_SSH_PROTO || b == RULE_BUF_SSH_SOFTWARE)
		return s->phase != SSH_IN_PROGRESS;
	/* the fingerprint comes with the side's KEXINIT, before its NEWKEYS */
	return !af->ctx->cfg.ssh_hassh || s->hassh[0] != '\0' || s->phase == SSH_FINISHED;
}

int app_ssh_info(const struct ssh_state *ss, struct app_ssh_info *out)
{
	memset(out, 0, sizeof(*out));
	if (!ss->side[0].have && !ss->side[1].have)
		return -ENOENT;
	for (int d = 0; d < 2; d++) {
		const struct ssh_side *s = &ss->side[d];
		struct app_ssh_side *o = &out->side[d];

		if (!s->have)
			continue;
		o->proto = (const char *)s->line + s->proto_off;
		o->proto_len = s->proto_len;
		o->software = (const char *)s->line + s->soft_off;
		o->software_len = s->soft_len;
		if (s->hassh[0] != '\0') {
			o->hassh = s->hassh;
			o->hassh_string = (const char *)s->hassh_str.p;
			o->hassh_string_len = s->hassh_str.len;
		}
	}
	return 0;
}
