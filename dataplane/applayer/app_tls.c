// SPDX-License-Identifier: MIT
/* TLS (RFC 8446 section 4, RFC 5246 section 7.4): records are reassembled per
 * direction, handshake messages across records; ClientHello gives the SNI
 * and JA3, ServerHello the version and JA3S, Certificate the server's chain
 * (checked as Suricata 7 decodes it, and its fields read, by tls_x509.c).
 * One transaction per session. Malformed input raises Suricata's
 * tls.* decoder events on it (a record of an unknown type or version, or
 * longer than a record may be; a handshake message of a type Suricata's
 * parser does not know; a bad certificate; an SSLv2 record of length 0 or
 * an SSLv2 error message; more records in one segment than it can hold)
 * and parsing of that direction stops. After ChangeCipherSpec or
 * application data a direction's records are passed over unbuffered, only
 * their headers read: heartbeats are checked in the clear and, encrypted,
 * by their lengths (a response longer than its request: Heartbleed).
 *
 *  record:    type(1) version(2) length(2) fragment
 *  SSLv2:     1lllllll llllllll type(1) ...   (2-byte length)
 *             01llllll llllllll padding(1) type(1) ...
 *  handshake: type(1) length(3) body */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/digest.h"
#include "../../common/events-t.h"
#include "applayer-int.h"
#include "tls_x509.h"

#define TLS_REC_HANDSHAKE 22u
#define TLS_REC_HEARTBEAT 24u
#define TLS_REC_MAX       (16384u + 2048u)  /* RFC 8446 5.2 ciphertext bound */
#define TLS_HS_MAX        (256u * 1024u)    /* largest handshake message kept */
#define TLS_MAX_CERTS     8u
#define TLS_MAX_LIST      16u               /* ALPN names, SANs kept */
#define TLS_RANDOM_LEN    32u
#define TLS_RECORD_MIN    6u                /* Suricata's SSL_RECORD_MINIMUM_LENGTH */
#define SSLV2_MT_ERROR    0u
#define SSLV2_MT_CLIENT_HELLO 1u
#define SSLV2_MT_SERVER_HELLO 4u

enum { HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_CERTIFICATE = 11,
       HS_SERVER_KEY_EXCHANGE = 12, HS_CLIENT_KEY_EXCHANGE = 16 };

/* Strings back to back: string i is s.p[off[i]..off[i + 1]). */
struct str_list {
	uint32_t n;
	uint32_t off[TLS_MAX_LIST + 1];
	struct abuf s;
};

/* One side's hello fields, certificate chain and its first (end-entity)
 * certificate's fields. The DNs are counted: a name can hold a NUL byte. */
struct tls_peer {
	bool has_random;
	uint8_t random[TLS_RANDOM_LEN];
	uint8_t sid_len;              /* (added) the hello's session id, for EVE's */
	uint8_t sid[32];              /* session_resumed */
	struct str_list alpn;         /* protocol names of the hello's ALPN extension */
	bool has_chain;               /* a Certificate message was parsed */
	uint32_t chain_len;           /* certificates in it */
	uint32_t ncerts;              /* the first ones, kept */
	struct abuf cert[TLS_MAX_CERTS];
	struct abuf subject, issuer;  /* NUL kept past len for EVE */
	char *serial, *fp;
	struct str_list san;          /* subjectAltName: DNS names, IP addresses */
	bool has_validity;            /* the dates below were read */
	int64_t not_before, not_after; /* seconds since the epoch */
};

struct tls_state {
	struct app_tx tx;
	struct abuf rec[2];       /* partial record: its header, then its body if kept */
	uint32_t need[2];         /* bytes of rec to gather before it is parsed; 0:
				   * the header is not read yet */
	uint32_t skip[2];         /* bytes of the current record passed over */
	struct abuf hs[2];        /* handshake bytes across records */
	bool stop[2];             /* broken: nothing more to parse */
	bool enc[2];              /* past ChangeCipherSpec or application data */
	bool ccs;                 /* a ChangeCipherSpec in either direction */
	bool app_data;            /* application data after the ServerHello */
	uint8_t hb_inflight;      /* 1 + the direction of a heartbeat unanswered */
	uint32_t hb_len;          /* the encrypted request's record length */
	bool hello[2];            /* the direction's hello was parsed */
	bool past_cert[2];        /* a Certificate or a later message was parsed */
	uint16_t version;         /* negotiated (ServerHello / supported_versions) */
	/* (added) each side's version as Suricata's connp.version (ssl_version):
	 * its records' until its hello was parsed, then the hello's, the
	 * server's supported_versions overriding it */
	uint16_t side_ver[2];
	uint8_t cur_state;        /* (added) APP_TLS_ST_* of the last run (app_tx_tls_ssl_state) */
	char *sni;
	struct abuf ja3, ja3s;    /* strings, NUL-terminated */
	char ja3_hash[33], ja3s_hash[33];
	struct tls_peer peer[2];  /* by the direction that sent the chain */
};

static uint32_t rd16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t rd24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* RFC 8701 GREASE values: 0x?a?a with both bytes equal. */
static bool grease(uint32_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* JA3's numbers and the hex of digests are written by hand: snprintf per
 * number was 5.6 M of corpus-mix's 670 M worker instructions. */
static const char hex_lower[] = "0123456789abcdef";

static void num(struct abuf *s, uint32_t v, bool *first)
{
	char t[11];
	uint32_t n = sizeof(t);

	do {
		t[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (!*first)
		t[--n] = '-';
	abuf_append(s, t + n, (uint32_t)sizeof(t) - n);
	*first = false;
}

static void md5_hex(const struct abuf *s, char out[33])
{
	uint8_t d[MD5_DIGEST_SIZE];

	digest_md5(s->p, s->len, d);
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex_lower[d[i] >> 4];
		out[2 * i + 1] = hex_lower[d[i] & 15];
	}
	out[32] = '\0';
}

static int list_add(struct str_list *l, const void *d, uint32_t len)
{
	if (l->n == TLS_MAX_LIST)
		return -ENOSPC;
	if (abuf_append(&l->s, d, len))
		return -ENOMEM;
	l->off[l->n] = l->s.len - len;
	l->off[++l->n] = l->s.len;
	return 0;
}

static void list_free(struct str_list *l)
{
	abuf_free(&l->s);
	l->n = 0;
}

/* ALPN (RFC 7301 3.1): a 2-byte list length, then 1-byte-length names, none
 * empty. A list that overruns its extension or holds an empty name is
 * malformed: none of it is kept. */
static int parse_alpn(struct str_list *l, const uint8_t *d, uint32_t len)
{
	uint32_t total, off = 2;

	list_free(l);
	if (len < 2 || (total = rd16(d)) != len - 2 || total == 0)
		return -EINVAL;
	while (off < len) {
		uint32_t nl = d[off];

		if (nl == 0 || nl > len - off - 1) {
			list_free(l);
			return -EINVAL;
		}
		if (list_add(l, d + off + 1, nl) == -ENOMEM) {
			list_free(l);
			return -ENOMEM;
		}
		off += 1 + nl;
	}
	return 0;
}

struct reader {
	const uint8_t *p;
	uint32_t len, off;
	bool bad;
};

static const uint8_t *take(struct reader *r, uint32_t n)
{
	const uint8_t *p = r->p + r->off;

	if (r->bad || r->len - r->off < n) {
		r->bad = true;
		return NULL;
	}
	r->off += n;
	return p;
}

/* The server_name extension (RFC 6066 3) as Suricata reads it
 * (TLSDecodeHSHelloExtensionSni): one host_name of 1 to 255 bytes, once.
 * false: a bad one, after which Suricata reads no further extension. */
static bool parse_sni(struct tls_state *ts, const uint8_t *d, uint32_t elen)
{
	uint32_t nl;

	if (elen == 0)
		return true;
	if (elen < 5) {
		app_tx_event(&ts->tx, TLS_EV_HANDSHAKE_INVALID_LENGTH);
		return false;
	}
	if (d[2] != 0) {
		app_tx_event(&ts->tx, TLS_EV_INVALID_SNI_TYPE);
		return false;
	}
	nl = rd16(d + 3);
	if (nl == 0 || nl > 255 || 5 + nl > elen) {
		app_tx_event(&ts->tx, TLS_EV_INVALID_SNI_LENGTH);
		return false;
	}
	if (ts->sni != NULL)
		app_tx_event(&ts->tx, TLS_EV_MULTIPLE_SNI_EXTENSIONS);
	else
		ts->sni = strndup((const char *)d + 5, nl);
	return true;
}

/* ClientHello (RFC 8446 4.1.2) and ServerHello (4.1.3): version, then the
 * JA3 / JA3S fields, the SNI and supported_versions. */
static int parse_hello(struct tls_state *ts, const uint8_t *b, uint32_t len, bool client)
{
	struct reader r = { .p = b, .len = len };
	struct tls_peer *pe = &ts->peer[client ? APP_TO_SERVER : APP_TO_CLIENT];
	struct abuf *s = client ? &ts->ja3 : &ts->ja3s;
	struct abuf groups = { 0 }, pfmt = { 0 };
	const uint8_t *p;
	uint32_t ver, n, extlen;
	bool first = true, fg = true, fp = true;
	char t[12];

	ts->hello[client ? APP_TO_SERVER : APP_TO_CLIENT] = true;
	p = take(&r, 2);
	if (!p)
		return -EINVAL;
	ver = rd16(p);
	ts->side_ver[client ? APP_TO_SERVER : APP_TO_CLIENT] = (uint16_t)ver;
	p = take(&r, TLS_RANDOM_LEN);
	if (p) {
		memcpy(pe->random, p, TLS_RANDOM_LEN);
		pe->has_random = true;
	}
	p = take(&r, 1);
	n = p ? *p : 0;
	p = p ? take(&r, n) : NULL;
	if (p != NULL && n <= sizeof(pe->sid)) {	/* the session id */
		pe->sid_len = (uint8_t)n;
		memcpy(pe->sid, p, n);
	}
	s->len = 0;
	abuf_append(s, t, (uint32_t)snprintf(t, sizeof(t), "%u,", ver));
	if (client) {
		p = take(&r, 2);
		n = p ? rd16(p) : 0;
		p = take(&r, n);
		for (uint32_t i = 0; p && i + 1 < n; i += 2)
			if (!grease(rd16(p + i)))
				num(s, rd16(p + i), &first);
		p = take(&r, 1);
		if (p)
			take(&r, *p);
	} else {
		p = take(&r, 2);
		if (p)
			num(s, rd16(p), &first);
		take(&r, 1);
		if (!ts->version)
			ts->version = (uint16_t)ver;
	}
	if (r.bad) {
		s->len = 0;	/* no JA3 string: what was built has no NUL */
		return -EINVAL;
	}
	abuf_append(s, ",", 1);
	first = true;
	p = take(&r, 2);
	extlen = p ? rd16(p) : 0;
	while (!r.bad && extlen >= 4 && r.off < r.len) {
		const uint8_t *e = take(&r, 4), *d;
		uint32_t type, elen;

		if (!e)
			break;
		type = rd16(e);
		elen = rd16(e + 2);
		d = take(&r, elen);
		if (!d)
			break;
		if (!grease(type))
			num(s, type, &first);
		if (type == 0 && client) {
			if (!parse_sni(ts, d, elen))
				break;
		} else if (type == 10 && client && elen >= 2) {
			for (uint32_t i = 2; i + 1 < elen && i < 2 + rd16(d); i += 2)
				if (!grease(rd16(d + i)))
					num(&groups, rd16(d + i), &fg);
		} else if (type == 11 && client && elen >= 1) {
			for (uint32_t i = 1; i < elen && i <= d[0]; i++)
				num(&pfmt, d[i], &fp);
		} else if (type == 16) {
			parse_alpn(&pe->alpn, d, elen);
		} else if (type == 43 && !client && elen == 2) {
			ts->version = (uint16_t)rd16(d);
			ts->side_ver[APP_TO_CLIENT] = ts->version;
		}
	}
	if (client) {
		abuf_append(s, ",", 1);
		abuf_append(s, groups.p, groups.len);
		abuf_append(s, ",", 1);
		abuf_append(s, pfmt.p, pfmt.len);
	}
	abuf_free(&groups);
	abuf_free(&pfmt);
	md5_hex(s, client ? ts->ja3_hash : ts->ja3s_hash);
	abuf_append(s, "", 1);
	s->len--;	/* NUL kept past the end for EVE */
	return 0;
}

/* A DN's text (tls_x509_name) in out, NUL kept past len for EVE; out of
 * memory, none (counted). */
static void dn_string(struct applayer_ctx *ctx, const uint8_t *name, uint32_t len,
		      struct abuf *out)
{
	uint32_t n;
	char *t = tls_x509_name(name, len, &n);

	if (t != NULL && abuf_append(out, t, n + 1) == 0)
		out->len--;
	else
		ctx->stats.nomem++;
	free(t);
}

static char *hex_colon(const uint8_t *d, size_t n, bool upper)
{
	static const char hex_upper[] = "0123456789ABCDEF";
	const char *hex = upper ? hex_upper : hex_lower;
	char *out = malloc(n ? n * 3 : 1);

	if (out == NULL)
		return NULL;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		out[3 * i] = hex[d[i] >> 4];
		out[3 * i + 1] = hex[d[i] & 15];
		out[3 * i + 2] = i + 1 < n ? ':' : '\0';
	}
	return out;
}

/* The first certificate, as Suricata's TlsDecodeHSCertificate takes it:
 * one it cannot decode raises the event that says why and gives no field.
 * A subject or issuer with a NUL raises Suricata 7's event too, but its
 * fields are kept, NUL and all, as Suricata 8.0.4 keeps them (its fix of
 * such names, which the tls-subject-zero case checks). */
static void parse_cert(struct applayer_ctx *ctx, struct app_tx *tx, struct tls_peer *ts)
{
	struct tls_x509_cert c;
	struct tls_x509_san_iter it;
	uint8_t sha1[SHA1_DIGEST_SIZE];
	char san[256];
	uint32_t n;

	tls_x509_parse(ts->cert[0].p, ts->cert[0].len, &c);
	if (c.event != TLS_EV_MAX) {
		app_tx_event(tx, c.event);
		ctx->stats.tls_bad_cert++;
	}
	if (!c.decoded)
		return;
	dn_string(ctx, c.subject, c.subject_len, &ts->subject);
	dn_string(ctx, c.issuer, c.issuer_len, &ts->issuer);
	ts->serial = hex_colon(c.serial, c.serial_len, true);
	digest_sha1(ts->cert[0].p, ts->cert[0].len, sha1);
	ts->fp = hex_colon(sha1, sizeof(sha1), false);
	tls_x509_san_begin(&c, &it);
	while (ts->san.n < TLS_MAX_LIST && tls_x509_san_next(&it, san, sizeof(san), &n))
		list_add(&ts->san, san, n);
	ts->not_before = c.not_before;
	ts->not_after = c.not_after;
	ts->has_validity = true;
}

/* Certificate (RFC 5246 7.4.2; TLS 1.3's is encrypted): a 3-byte list
 * length, then 3-byte-length DER certificates, the server's first. An entry
 * whose length runs past the message is tls.invalid_certificate (Suricata's
 * invalid_cert: its bounds are the message's). */
static int parse_certs(struct applayer_ctx *ctx, struct tls_state *st, struct tls_peer *ts,
		       const uint8_t *b, uint32_t len)
{
	uint32_t total, off = 3;

	if (len < 3 || (total = rd24(b)) > len - 3)
		return -EINVAL;
	ts->has_chain = true;
	while (off < 3 + total) {
		uint32_t cl;

		if (len - off < 3 || (cl = rd24(b + off)) > len - off - 3) {
			app_tx_event(&st->tx, TLS_EV_INVALID_CERTIFICATE);
			return -EINVAL;
		}
		if (ts->ncerts < TLS_MAX_CERTS)
			abuf_append(&ts->cert[ts->ncerts++], b + off + 3, cl);
		ts->chain_len++;
		off += 3 + cl;
	}
	if (ts->ncerts)
		parse_cert(ctx, &st->tx, ts);
	return 0;
}

/* The handshake message types Suricata 7's parser takes (RFC 5246 7.4,
 * RFC 5077 3.3, RFC 6066 5 and 8): hello_request, client_hello,
 * server_hello, new_session_ticket, certificate, server_key_exchange,
 * certificate_request, server_hello_done, certificate_verify,
 * client_key_exchange, finished, certificate_url, certificate_status. */
static bool known_handshake(uint32_t type)
{
	return type <= 2 || type == 4 || (type >= 11 && type <= 16) || (type >= 20 && type <= 22);
}

/* ssl_state: the message types that set the state, in either direction,
 * each replacing the one before (Suricata's SSLv3ParseHandshakeType). */
static void hs_state(struct tls_state *ts, uint32_t type)
{
	switch (type) {
	case HS_CLIENT_HELLO:
		ts->cur_state = APP_TLS_ST_CLIENT_HELLO;
		break;
	case HS_SERVER_HELLO:
		ts->cur_state = APP_TLS_ST_SERVER_HELLO;
		break;
	case HS_SERVER_KEY_EXCHANGE:
		ts->cur_state = APP_TLS_ST_SERVER_KEYX;
		break;
	case HS_CLIENT_KEY_EXCHANGE:
		ts->cur_state = APP_TLS_ST_CLIENT_KEYX;
		break;
	default:
		break;
	}
}

static int handshake(struct applayer_ctx *ctx, struct tls_state *ts, enum app_dir dir)
{
	struct abuf *h = &ts->hs[dir];

	while (h->len >= 4) {
		uint32_t type = h->p[0], mlen = rd24(h->p + 1);
		int rc = 0;

		if (!known_handshake(type)) {
			app_tx_event(&ts->tx, TLS_EV_INVALID_HANDSHAKE_MESSAGE);
			return -EINVAL;
		}
		if (mlen > TLS_HS_MAX)
			return -EINVAL;
		if (h->len < 4 + mlen)
			break;
		hs_state(ts, type);
		if (type == HS_CLIENT_HELLO && dir == APP_TO_SERVER)
			rc = parse_hello(ts, h->p + 4, mlen, true);
		else if (type == HS_SERVER_HELLO && dir == APP_TO_CLIENT)
			rc = parse_hello(ts, h->p + 4, mlen, false);
		else if (type == HS_CERTIFICATE && ts->peer[dir].ncerts == 0)
			rc = parse_certs(ctx, ts, &ts->peer[dir], h->p + 4, mlen);
		if (rc)
			return rc;
		if (type >= HS_CERTIFICATE)
			ts->past_cert[dir] = true;
		ts->tx.updated = APP_TX_UPDATED;
		memmove(h->p, h->p + 4 + mlen, h->len - 4 - mlen);
		h->len -= 4 + mlen;
	}
	return 0;
}

/* A heartbeat record (RFC 6520 4) of rlen bytes, rec its bytes when it is
 * in the clear (NULL once a ChangeCipherSpec was seen), as Suricata 7
 * checks it (SSLv3ParseHeartbeatProtocol): in the clear a request or a
 * response, the first one in flight with its payload inside the record
 * (CVE-2014-0160) and at least 16 bytes of padding; a second one from the
 * same side before an answer is invalid; encrypted, an answer longer than
 * its request leaks memory. false: an error, parsing stops. */
static bool heartbeat(struct tls_state *ts, enum app_dir dir, const uint8_t *rec,
		      uint32_t rlen)
{
	app_tx_event(&ts->tx, TLS_EV_HEARTBEAT_MESSAGE);
	if (rlen < 3)
		return true;
	if (rec != NULL && rec[0] != 1 && rec[0] != 2) {
		app_tx_event(&ts->tx, TLS_EV_INVALID_HEARTBEAT_MESSAGE);
		return false;
	}
	if (ts->hb_inflight == 0) {
		ts->hb_inflight = (uint8_t)(1 + dir);
		if (rec == NULL) {
			ts->hb_len = rlen;
			return true;
		}
		if (rd16(rec + 1) + 3 > rlen) {
			app_tx_event(&ts->tx, TLS_EV_OVERFLOW_HEARTBEAT_MESSAGE);
			return false;
		}
		if (rlen - rd16(rec + 1) - 3 < 16) {
			app_tx_event(&ts->tx, TLS_EV_INVALID_HEARTBEAT_MESSAGE);
			return false;
		}
		return true;
	}
	if (ts->hb_inflight == 1 + dir) {
		app_tx_event(&ts->tx, TLS_EV_INVALID_HEARTBEAT_MESSAGE);
		return false;
	}
	ts->hb_inflight = 0;
	if (ts->ccs && ts->hb_len > 0 && ts->hb_len < rlen) {
		app_tx_event(&ts->tx, TLS_EV_DATALEAK_HEARTBEAT_MISMATCH);
		ts->hb_len = 0;
		return false;
	}
	ts->hb_len = 0;
	return true;
}

static void stop_dir(struct tls_state *ts, enum app_dir dir)
{
	ts->stop[dir] = true;
	abuf_free(&ts->rec[dir]);
	abuf_free(&ts->hs[dir]);
}

/* The header's size, from its first byte: an SSLv2 record has a top bit
 * set (Suricata's test), and its message type is read with the header. */
static uint32_t header_len(uint8_t b0)
{
	return b0 & 0x80 ? 3 : b0 & 0x40 ? 4 : 5;
}

/* An SSLv2 record's header (RFC 6101 E.1), whole in h; more: input follows
 * it. As Suricata's SSLv2Decode, judged once a byte follows the header: a
 * record length of 0 is an invalid header, an ERROR message
 * error_message_encountered. The record is passed over. */
static int sslv2_header(struct tls_state *ts, enum app_dir dir, const uint8_t *h, uint32_t hl,
			bool more)
{
	uint32_t rlen = (uint32_t)(h[0] & (hl == 3 ? 0x7f : 0x3f)) << 8 | h[1];

	if (!more)
		return 0;
	if (rlen == 0) {
		app_tx_event(&ts->tx, TLS_EV_INVALID_SSLV2_HEADER);
		app_tx_event(&ts->tx, TLS_EV_INVALID_SSL_RECORD);
		return -EINVAL;
	}
	if (h[hl - 1] == SSLV2_MT_ERROR)
		app_tx_event(&ts->tx, TLS_EV_ERROR_MESSAGE_ENCOUNTERED);
	else if (h[hl - 1] == SSLV2_MT_CLIENT_HELLO)
		ts->cur_state = APP_TLS_ST_CLIENT_HELLO;
	else if (h[hl - 1] == SSLV2_MT_SERVER_HELLO)
		ts->cur_state = APP_TLS_ST_SERVER_HELLO;
	ts->skip[dir] = rlen - 1;	/* the type byte is the record's first */
	ts->need[dir] = 0;
	ts->rec[dir].len = 0;
	return 0;
}

/* A TLS record's header, whole in rec: its checks, then whether its body
 * is kept (a handshake or heartbeat record in the clear) or passed over. */
static int tls_header(struct tls_state *ts, enum app_dir dir)
{
	const uint8_t *h = ts->rec[dir].p;
	uint32_t type = h[0], rlen = rd16(h + 3);

	/* as Suricata's record checks: the type first (an unknown type is
	 * also an invalid record), then version, length */
	if (type < 20 || type > 24) {
		app_tx_event(&ts->tx, TLS_EV_INVALID_RECORD_TYPE);
		app_tx_event(&ts->tx, TLS_EV_INVALID_SSL_RECORD);
		return -EINVAL;
	}
	if (h[1] != 3) {
		app_tx_event(&ts->tx, TLS_EV_INVALID_RECORD_VERSION);
		return -EINVAL;
	}
	if (rlen > TLS_REC_MAX) {
		app_tx_event(&ts->tx, TLS_EV_INVALID_RECORD_LENGTH);
		return -EINVAL;
	}
	/* Suricata's SSLv3ParseRecord: the record's version, until the hello */
	if (!(ts->hello[dir] && ts->side_ver[dir]))
		ts->side_ver[dir] = (uint16_t)rd16(h + 1);
	if (type == 20 || type == 23) {
		/* ChangeCipherSpec or application data: the rest is encrypted */
		ts->enc[dir] = true;
		ts->ccs |= type == 20;
		ts->app_data |= type == 23 && ts->hello[APP_TO_CLIENT];
		abuf_free(&ts->hs[dir]);
	}
	if (type == TLS_REC_HEARTBEAT && ts->ccs && !heartbeat(ts, dir, NULL, rlen))
		return -EINVAL;
	if ((type == TLS_REC_HANDSHAKE && !ts->enc[dir]) ||
	    (type == TLS_REC_HEARTBEAT && !ts->ccs)) {
		ts->need[dir] = 5 + rlen;
		return 0;
	}
	ts->skip[dir] = rlen;
	ts->rec[dir].len = 0;
	return 0;
}

/* A kept record, whole in rec. */
static int tls_body(struct applayer_ctx *ctx, struct tls_state *ts, enum app_dir dir)
{
	struct abuf *r = &ts->rec[dir];
	uint32_t rlen = r->len - 5;
	int rc = 0;

	if (r->p[0] == TLS_REC_HEARTBEAT) {
		if (!heartbeat(ts, dir, r->p + 5, rlen))
			rc = -EINVAL;
	} else if (abuf_append(&ts->hs[dir], r->p + 5, rlen) || handshake(ctx, ts, dir)) {
		rc = -EINVAL;
	}
	r->len = 0;
	ts->need[dir] = 0;
	return rc;
}

/* Records as Suricata's SSLDecode walks one segment: at most one a 6 bytes
 * (a record in progress counts as one: its loop takes a record, or the rest
 * of one, a turn), more is too_many_records_in_packet and parsing stops. */
int app_tls_data(struct applayer_ctx *ctx, struct tls_state *ts, enum app_dir dir,
		 const uint8_t *d, uint32_t len)
{
	struct abuf *r = &ts->rec[dir];
	uint32_t iter = 0, max = len / TLS_RECORD_MIN > 1 ? len / TLS_RECORD_MIN : 1;

	/* ssl_state is what this run sees, unless it goes on inside a record
	 * (Suricata's SSLDecode: "entering on a new record") */
	if (ts->skip[dir] == 0 && ts->need[dir] == 0 && r->len == 0)
		ts->cur_state = 0;

	while (len > 0 && !ts->stop[dir]) {
		bool fresh = ts->skip[dir] == 0 && ts->need[dir] == 0 && r->len == 0;
		uint32_t n, hl;
		int rc = 0;

		if ((iter == 0 || fresh) && iter++ > max) {
			app_tx_event(&ts->tx, TLS_EV_TOO_MANY_RECORDS_IN_PACKET);
			ctx->stats.tls_bad_record++;
			stop_dir(ts, dir);
			break;
		}
		if (ts->skip[dir]) {
			n = ts->skip[dir] < len ? ts->skip[dir] : len;
			ts->skip[dir] -= n;
			d += n;
			len -= n;
			continue;
		}
		hl = header_len(r->len ? r->p[0] : d[0]);
		if (ts->need[dir] == 0 && r->len < hl) {
			n = hl - r->len < len ? hl - r->len : len;
			if (abuf_append(r, d, n)) {
				ctx->stats.nomem++;
				return -ENOMEM;
			}
			d += n;
			len -= n;
			if (r->len < hl)
				break;
		}
		if (ts->need[dir] == 0) {
			rc = hl < 5 ? sslv2_header(ts, dir, r->p, hl, len > 0) :
				      tls_header(ts, dir);
			if (rc == 0 && hl < 5 && r->len)
				break;	/* SSLv2 header judged with the next byte */
		}
		if (rc == 0 && ts->need[dir]) {
			n = ts->need[dir] - r->len < len ? ts->need[dir] - r->len : len;
			if (abuf_append(r, d, n)) {
				ctx->stats.nomem++;
				return -ENOMEM;
			}
			d += n;
			len -= n;
			if (r->len == ts->need[dir])
				rc = tls_body(ctx, ts, dir);
		}
		if (rc) {
			ctx->stats.tls_bad_record++;
			stop_dir(ts, dir);
		}
	}
	return 0;
}

struct tls_state *app_tls_new(struct app_flow *af)
{
	struct tls_state *ts = calloc(1, sizeof(*ts));

	if (ts)
		ts->tx.id = af->next_tx_id++;
	return ts;
}

void app_tls_free(struct tls_state *ts)
{
	if (ts == NULL)
		return;
	for (int i = 0; i < 2; i++) {
		abuf_free(&ts->rec[i]);
		abuf_free(&ts->hs[i]);
	}
	for (int d = 0; d < 2; d++) {
		struct tls_peer *pe = &ts->peer[d];

		for (uint32_t i = 0; i < pe->ncerts; i++)
			abuf_free(&pe->cert[i]);
		abuf_free(&pe->subject);
		abuf_free(&pe->issuer);
		free(pe->serial);
		free(pe->fp);
		list_free(&pe->alpn);
		list_free(&pe->san);
	}
	abuf_free(&ts->ja3);
	abuf_free(&ts->ja3s);
	free(ts->sni);
	app_tx_release(&ts->tx);
	free(ts);
}

bool app_tls_encrypted(const struct tls_state *ts)
{
	return ts->app_data;
}

struct app_tx *app_tls_tx(struct tls_state *ts)
{
	return &ts->tx;
}

static int give_str(const char *s, const uint8_t **data, uint32_t *len)
{
	if (s == NULL || s[0] == '\0')
		return -ENOENT;
	*data = (const uint8_t *)s;
	*len = (uint32_t)strlen(s);
	return 0;
}

static int give_buf(const struct abuf *s, const uint8_t **data, uint32_t *len)
{
	if (s->len == 0)
		return -ENOENT;
	*data = s->p;
	*len = s->len;
	return 0;
}

static int give_list(const struct str_list *l, uint32_t k, const uint8_t **data, uint32_t *len)
{
	if (k >= l->n)
		return l->n ? -ERANGE : -ENOENT;
	*data = l->s.p + l->off[k];
	*len = l->off[k + 1] - l->off[k];
	return 0;
}

/* The certificate and hello fields take the direction as idx (as Suricata
 * 7: the client's certificate to the server, the server's to the client);
 * tls.alpn takes instance k of direction d as idx = 2k + d. */
int app_tls_buffer(struct tls_state *ts, enum rule_buffer b, uint32_t idx,
		   const uint8_t **data, uint32_t *len)
{
	const struct tls_peer *srv = &ts->peer[APP_TO_CLIENT];
	const struct tls_peer *pe = &ts->peer[idx & 1];

	if (b == RULE_BUF_TLS_CERTS) {
		if (idx >= srv->ncerts)
			return srv->ncerts ? -ERANGE : -ENOENT;
		*data = srv->cert[idx].p;
		*len = srv->cert[idx].len;
		return 0;
	}
	if (b == RULE_BUF_TLS_SUBJECTALTNAME)
		return give_list(&srv->san, idx, data, len);
	if (b == RULE_BUF_TLS_ALPN)
		return give_list(&pe->alpn, idx >> 1, data, len);
	if (b >= RULE_BUF_TLS_RANDOM && b <= RULE_BUF_TLS_RANDOM_BYTES) {
		if (idx > 1)
			return -ERANGE;
		if (!pe->has_random)
			return -ENOENT;
		*data = pe->random + (b == RULE_BUF_TLS_RANDOM_BYTES ? 4 : 0);
		*len = b == RULE_BUF_TLS_RANDOM ? TLS_RANDOM_LEN :
		       b == RULE_BUF_TLS_RANDOM_TIME ? 4 : TLS_RANDOM_LEN - 4;
		return 0;
	}
	switch (b) {
	case RULE_BUF_TLS_CERT_SUBJECT:
		return idx > 1 ? -ERANGE : give_buf(&pe->subject, data, len);
	case RULE_BUF_TLS_CERT_ISSUER:
		return idx > 1 ? -ERANGE : give_buf(&pe->issuer, data, len);
	case RULE_BUF_TLS_CERT_SERIAL:
		return idx > 1 ? -ERANGE : give_str(pe->serial, data, len);
	case RULE_BUF_TLS_CERT_FINGERPRINT:
		return idx > 1 ? -ERANGE : give_str(pe->fp, data, len);
	default:
		break;
	}
	if (idx)
		return -ERANGE;
	switch (b) {
	case RULE_BUF_TLS_SNI:
		return give_str(ts->sni, data, len);
	case RULE_BUF_JA3_HASH:
		return give_str(ts->ja3_hash, data, len);
	case RULE_BUF_JA3_STRING:
		return ts->ja3.len ? give_str((const char *)ts->ja3.p, data, len) : -ENOENT;
	case RULE_BUF_JA3S_HASH:
		return give_str(ts->ja3s_hash, data, len);
	case RULE_BUF_JA3S_STRING:
		return ts->ja3s.len ? give_str((const char *)ts->ja3s.p, data, len) : -ENOENT;
	default:
		return -ENOENT;
	}
}

/* The hello fields are known once the hello is parsed; the certificate
 * fields once a Certificate or a message after it is (in TLS 1.3 they are
 * encrypted: once the direction is). */
bool app_tls_buffer_final(const struct app_flow *af, enum rule_buffer b, uint32_t idx)
{
	const struct tls_state *ts = af->tls;
	enum app_dir dir;
	bool cert;

	switch (b) {
	case RULE_BUF_TLS_SNI:
	case RULE_BUF_JA3_HASH:
	case RULE_BUF_JA3_STRING:
		dir = APP_TO_SERVER;
		cert = false;
		break;
	case RULE_BUF_JA3S_HASH:
	case RULE_BUF_JA3S_STRING:
		dir = APP_TO_CLIENT;
		cert = false;
		break;
	case RULE_BUF_TLS_CERTS:
	case RULE_BUF_TLS_SUBJECTALTNAME:
		dir = APP_TO_CLIENT;
		cert = true;
		break;
	case RULE_BUF_TLS_CERT_SUBJECT:
	case RULE_BUF_TLS_CERT_ISSUER:
	case RULE_BUF_TLS_CERT_SERIAL:
	case RULE_BUF_TLS_CERT_FINGERPRINT:
		dir = (enum app_dir)(idx & 1);
		cert = true;
		break;
	default:
		/* random and ALPN: the direction's hello */
		dir = (enum app_dir)(idx & 1);
		cert = false;
		break;
	}
	if (af->eof[dir] || ts->stop[dir] || ts->enc[dir])
		return true;
	return cert ? ts->past_cert[dir] : ts->hello[dir];
}

int app_tls_version(const struct tls_state *ts, uint32_t *out)
{
	if (!ts->version)
		return -ENOENT;
	*out = ts->version;
	return 0;
}

int app_tls_side_version(const struct tls_state *ts, enum app_dir dir, uint32_t *out)
{
	if (!ts->side_ver[dir])
		return -ENOENT;
	*out = ts->side_ver[dir];
	return 0;
}

uint32_t app_tls_ssl_state(const struct tls_state *ts)
{
	return ts->cur_state;
}

int app_tls_chain_len(const struct tls_state *ts, uint32_t *out)
{
	const struct tls_peer *srv = &ts->peer[APP_TO_CLIENT];

	if (!srv->has_chain)
		return -ENOENT;
	*out = srv->chain_len;
	return 0;
}

int app_tls_validity(const struct tls_state *ts, int64_t *not_before, int64_t *not_after)
{
	const struct tls_peer *srv = &ts->peer[APP_TO_CLIENT];

	if (!srv->has_validity)
		return -ENOENT;
	*not_before = srv->not_before;
	*not_after = srv->not_after;
	return 0;
}

static const char *version_name(uint16_t v)
{
	switch (v) {
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLS 1.0";
	case 0x0302: return "TLS 1.1";
	case 0x0303: return "TLS 1.2";
	case 0x0304: return "TLS 1.3";
	default: return v ? "UNDETERMINED" : NULL;
	}
}

int app_tls_info(struct tls_state *ts, struct app_tls_info *out)
{
	const struct tls_peer *srv = &ts->peer[APP_TO_CLIENT];

	*out = (struct app_tls_info){
		.sni = ts->sni, .version = version_name(ts->version),
		.subject = (const char *)srv->subject.p, .issuer = (const char *)srv->issuer.p,
		.serial = srv->serial, .fingerprint = srv->fp,
		.ja3_hash = ts->ja3_hash[0] ? ts->ja3_hash : NULL,
		.ja3_string = ts->ja3.len ? (const char *)ts->ja3.p : NULL,
		.ja3s_hash = ts->ja3s_hash[0] ? ts->ja3s_hash : NULL,
		.ja3s_string = ts->ja3s.len ? (const char *)ts->ja3s.p : NULL,
		.has_validity = srv->has_validity, .not_before = srv->not_before,
		.not_after = srv->not_after,
	};
	/* Suricata's session_resumed: the server echoed the client's session
	 * id and sent no certificate; not TLS 1.3, whose servers echo it
	 * anyway (middlebox compatibility) */
	out->session_resumed = ts->hello[APP_TO_CLIENT] && srv->sid_len > 0 &&
			       srv->sid_len == ts->peer[APP_TO_SERVER].sid_len &&
			       memcmp(srv->sid, ts->peer[APP_TO_SERVER].sid, srv->sid_len) == 0 &&
			       srv->subject.len == 0 && srv->issuer.len == 0 &&
			       ts->version != 0x0304;
	return 0;
}
