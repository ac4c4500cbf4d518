// SPDX-License-Identifier: MIT
/* DNS messages (RFC 1035 section 4) over UDP and TCP: the header, the
 * questions (name, type) and the owner names of the answer, authority and
 * additional records. Compression pointers are followed at most DNS_MAX_JUMPS
 * times; loops, bad lengths and truncation are counted, never followed.
 *
 *   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *  |                      ID                       |
 *  |QR|  Opcode   |AA|TC|RD|RA|   Z    |   RCODE   |
 *  |    QDCOUNT    |    ANCOUNT    |    NSCOUNT   |    ARCOUNT  ... */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/events-t.h"
#include "applayer-int.h"

#define DNS_HDR_LEN   12u
#define DNS_MAX_Q     16u         /* question names kept per message */
#define DNS_MAX_NAMES 64u         /* names kept per message, all sections */
#define DNS_MAX_JUMPS 16u
#define DNS_MAX_NAME  255u        /* RFC 1035 2.3.4 */
#define DNS_KEEP      8u          /* messages awaiting inspection */
#define DNS_TCP_MAX   65537u

struct dns_msg {
	struct app_tx base;
	uint16_t id, flags;
	uint8_t dir;                  /* enum app_dir it arrived in: its own, even when
				       * its QR bit says otherwise (not_a_request) */
	uint16_t qtype[DNS_MAX_Q];
	uint32_t nq;                  /* names [0, nq) are the questions' */
	uint32_t nan;                 /* [nq, nq + nan) the answers' */
	uint32_t nau;                 /* then nau authorities' */
	uint32_t nnames;              /* then the additionals' */
	uint32_t off[DNS_MAX_NAMES + 1]; /* name i is names.p[off[i]..off[i+1]) */
	struct abuf names;
	char first[DNS_MAX_NAME + 1]; /* first name, NUL-terminated, for EVE */
	/* (added) records for EVE (cfg.dns_rdata): at most DNS_MAX_NAMES */
	struct app_dns_rr *rr;
	uint32_t nrr;
	struct abuf text;
	/* (added) the message's bytes, for frame:dns.pdu (over TCP without
	 * its length prefix, as Suricata 7's DNS pdu frame) */
	uint32_t pdu_len;
	uint8_t pdu[];
};

struct dns_state {
	struct app_flow *af;
	uint32_t n;
	struct dns_msg *msg[DNS_KEEP];
	struct abuf tcp[2];           /* a length-prefixed message being assembled */
};

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Decodes the name at *pos into out as "a.b.c"; *pos moves past it (past
 * the first pointer when compressed). 0, -ELOOP past DNS_MAX_JUMPS pointers
 * or -EINVAL for a bad length or a name cut short. */
static int walk_name(const uint8_t *m, uint32_t mlen, uint32_t *pos, char *out, uint32_t *olen)
{
	uint32_t p = *pos, n = 0, jumps = 0;
	bool jumped = false;

	for (;;) {
		uint8_t l;

		if (p >= mlen)
			return -EINVAL;
		l = m[p];
		if (l == 0) {
			if (!jumped)
				*pos = p + 1;
			break;
		}
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= mlen)
				return -EINVAL;
			if (++jumps > DNS_MAX_JUMPS)
				return -ELOOP;
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			p = (uint32_t)(l & 0x3f) << 8 | m[p + 1];
			continue;
		}
		if (l & 0xc0 || p + 1 + l > mlen || n + l + 1 > DNS_MAX_NAME)
			return -EINVAL;
		if (n)
			out[n++] = '.';
		memcpy(out + n, m + p + 1, l);
		n += l;
		p += 1 + l;
	}
	out[n] = '\0';
	*olen = n;
	return 0;
}

/* walk_name with its failure counted (dns_loop or dns_bad): 0 or -EINVAL. */
static int read_name(struct applayer_ctx *ctx, const uint8_t *m, uint32_t mlen, uint32_t *pos,
		     char *out, uint32_t *olen)
{
	int rc = walk_name(m, mlen, pos, out, olen);

	if (rc == 0)
		return 0;
	if (rc == -ELOOP)
		ctx->stats.dns_loop++;
	else
		ctx->stats.dns_bad++;
	return -EINVAL;
}

/* Suricata 7's DNS probe (rust/src/dns/dns.rs probe and
 * probe_header_validity): the header and every question (name, type,
 * class) of a whole message must parse, and its four record counts must fit
 * its length at 2 bytes a record. Opcode and Z bit are not judged: such a
 * message is DNS, and its parser raises invalid_opcode or z_flag_set. Over
 * TCP the message follows its 2-byte length; one not all here yet is judged
 * by its header alone. Bounded: the counts fit the length, and a question
 * takes at least 5 bytes. */
bool app_dns_probe(const uint8_t *d, uint32_t len, bool tcp)
{
	uint32_t dlen = len, pos = DNS_HDR_LEN, qd;

	if (tcp) {
		if (len < 2)
			return false;
		dlen = rd16(d);
		d += 2;
		len -= 2;
		if (len > dlen)
			len = dlen;
	}
	if (len < DNS_HDR_LEN)
		return false;
	qd = rd16(d + 4);
	if (2 * (qd + rd16(d + 6) + rd16(d + 8) + (uint32_t)rd16(d + 10)) > dlen)
		return false;
	if (len < dlen)
		return true;
	for (uint32_t i = 0; i < qd; i++) {
		char name[DNS_MAX_NAME + 1];
		uint32_t nlen;

		if (walk_name(d, len, &pos, name, &nlen) != 0 || len - pos < 4)
			return false;
		pos += 4;
	}
	return true;
}

static void msg_free(struct dns_msg *msg)
{
	abuf_free(&msg->names);
	abuf_free(&msg->text);
	free(msg->rr);
	app_tx_release(&msg->base);
	free(msg);
}

static int add_name(struct applayer_ctx *ctx, struct dns_msg *msg, const char *name,
		    uint32_t nlen)
{
	if (abuf_append(&msg->names, name, nlen)) {
		ctx->stats.nomem++;
		return -ENOMEM;
	}
	msg->nnames++;
	msg->off[msg->nnames] = msg->names.len;
	return 0;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) << 16 | rd16(p + 2);
}

/* Appends s[0..len) and a NUL to msg->text; its offset, or UINT32_MAX. */
static uint32_t keep_text(struct dns_msg *msg, const void *s, uint32_t len)
{
	uint32_t off = msg->text.len;

	if (abuf_append(&msg->text, s, len) || abuf_append(&msg->text, "", 1))
		return UINT32_MAX;
	return off;
}

/* A domain name inside rdata at p (compression allowed) kept as text. */
static uint32_t keep_name(struct applayer_ctx *ctx, struct dns_msg *msg, const uint8_t *m,
			  uint32_t mlen, uint32_t *p)
{
	char name[DNS_MAX_NAME + 1];
	uint32_t nlen;

	if (read_name(ctx, m, mlen, p, name, &nlen))
		return UINT32_MAX;
	return keep_text(msg, name, nlen);
}

/* The record whose owner is name and whose TYPE field is at m[at], as EVE
 * gives it (Suricata 7's DNSRData): A and AAAA as addresses, CNAME, NS,
 * PTR and MX (past its preference) as names, TXT its first string, SOA
 * and SRV by fields, the rest without rdata. -ENOMEM only; rdata that
 * does not parse is left out. */
static int keep_rr(struct applayer_ctx *ctx, struct dns_msg *msg, bool authority,
		   const char *name, uint32_t nlen, const uint8_t *m, uint32_t mlen, uint32_t at)
{
	const uint32_t rdlen = rd16(m + at + 8), rd = at + 10, end = rd + rdlen;
	struct app_dns_rr *r;
	uint32_t p = rd;

	if (msg->rr == NULL && (msg->rr = calloc(DNS_MAX_NAMES, sizeof(*msg->rr))) == NULL)
		return -ENOMEM;
	if (msg->nrr == DNS_MAX_NAMES)
		return 0;
	r = &msg->rr[msg->nrr];
	*r = (struct app_dns_rr){ .authority = authority, .type = rd16(m + at),
				  .ttl = rd32(m + at + 4), .name = keep_text(msg, name, nlen) };
	if (r->name == UINT32_MAX)
		return -ENOMEM;
	switch (r->type) {
	case 1:   /* A */
	case 28:  /* AAAA */ {
		char a[40];
		int n = 0;

		if (rdlen == 4) {
			n = snprintf(a, sizeof(a), "%u.%u.%u.%u", m[rd], m[rd + 1], m[rd + 2],
				     m[rd + 3]);
		} else if (rdlen == 16) {
			/* Suricata's dns_print_addr: eight groups of four digits */
			for (int g = 0; g < 8; g++)
				n += snprintf(a + n, sizeof(a) - (size_t)n, g ? ":%02x%02x" : "%02x%02x",
					      m[rd + 2 * g], m[rd + 2 * g + 1]);
		}
		if (n > 0) {
			r->kind = APP_DNS_RD_TEXT;
			r->s1 = keep_text(msg, a, (uint32_t)n);
			r->s1_len = (uint32_t)n;
		}
		break;
	}
	case 15:  /* MX: the preference, then the exchange */
		p += 2;
		/* fallthrough */
	case 2:   /* NS */
	case 5:   /* CNAME */
	case 12:  /* PTR */
		if (p < end && (r->s1 = keep_name(ctx, msg, m, mlen, &p)) != UINT32_MAX) {
			r->kind = APP_DNS_RD_TEXT;
			r->s1_len = (uint32_t)strlen((const char *)msg->text.p + r->s1);
		}
		break;
	case 16:  /* TXT: the first character-string */
		if (rdlen > 0 && 1u + m[rd] <= rdlen) {
			r->kind = APP_DNS_RD_TEXT;
			r->s1 = keep_text(msg, m + rd + 1, m[rd]);
			r->s1_len = m[rd];
		}
		break;
	case 6:   /* SOA: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM */
		if ((r->s1 = keep_name(ctx, msg, m, mlen, &p)) != UINT32_MAX &&
		    (r->s2 = keep_name(ctx, msg, m, mlen, &p)) != UINT32_MAX && p + 20 <= end) {
			r->kind = APP_DNS_RD_SOA;
			for (int i = 0; i < 5; i++)
				r->n[i] = rd32(m + p + 4 * i);
		}
		break;
	case 33:  /* SRV (RFC 2782): PRIORITY WEIGHT PORT TARGET */
		if (rdlen >= 7) {
			for (int i = 0; i < 3; i++)
				r->n[i] = rd16(m + rd + 2 * i);
			p = rd + 6;
			if ((r->s1 = keep_name(ctx, msg, m, mlen, &p)) != UINT32_MAX)
				r->kind = APP_DNS_RD_SRV;
		}
		break;
	default:
		break;
	}
	if (r->kind != APP_DNS_RD_NONE && (r->s1 == UINT32_MAX || r->s2 == UINT32_MAX))
		return -ENOMEM;
	msg->nrr++;
	return 0;
}

/* Resource records (RFC 1035 4.1.3): NAME, TYPE, CLASS, TTL, RDLENGTH,
 * RDATA. The owner names of n records from *pos; 0, or -EINVAL once one
 * is malformed (the names before it kept). section: 0 answer, 1
 * authority, 2 additional; the first two are kept for EVE with
 * cfg.dns_rdata. */
static int parse_rrs(struct applayer_ctx *ctx, struct dns_msg *msg, const uint8_t *m,
		     uint32_t mlen, uint32_t *pos, uint32_t n, unsigned section)
{
	for (uint32_t i = 0; i < n && msg->nnames < DNS_MAX_NAMES; i++) {
		char name[DNS_MAX_NAME + 1];
		uint32_t nlen;

		if (read_name(ctx, m, mlen, pos, name, &nlen))
			return -EINVAL;
		if (*pos + 10 > mlen || *pos + 10 + rd16(m + *pos + 8) > mlen) {
			ctx->stats.dns_bad++;
			return -EINVAL;
		}
		if (section < 2 && ctx->cfg.dns_rdata &&
		    keep_rr(ctx, msg, section == 1, name, nlen, m, mlen, *pos)) {
			ctx->stats.nomem++;
			return -ENOMEM;
		}
		*pos += 10 + rd16(m + *pos + 8);
		if (add_name(ctx, msg, name, nlen))
			return -ENOMEM;
	}
	return 0;
}

/* Events (app-layer-event:dns.*) of a message from its header, as
 * Suricata's: a response sent to the server or a query to the client, the
 * reserved Z bit, an opcode past the assigned 0..6. */
static void header_events(struct dns_msg *msg, enum app_dir dir)
{
	bool qr = (msg->flags & 0x8000) != 0;

	if (dir == APP_TO_SERVER && qr)
		app_tx_event(&msg->base, DNS_EV_NOT_A_REQUEST);
	if (dir == APP_TO_CLIENT && !qr)
		app_tx_event(&msg->base, DNS_EV_NOT_A_RESPONSE);
	if (msg->flags & 0x0040)
		app_tx_event(&msg->base, DNS_EV_Z_FLAG_SET);
	if (((msg->flags >> 11) & 0xf) >= 7)
		app_tx_event(&msg->base, DNS_EV_INVALID_OPCODE);
}

static int parse_msg(struct applayer_ctx *ctx, struct dns_state *ds, enum app_dir dir,
		     const uint8_t *m, uint32_t mlen)
{
	struct dns_msg *msg;
	uint32_t qd, pos = DNS_HDR_LEN;
	bool ok, malformed = false;
	int rc;

	if (mlen < DNS_HDR_LEN) {
		ctx->stats.dns_bad++;
		/* no header, no transaction: the newest one carries it (Suricata) */
		if (ds->n > 0)
			app_tx_event(&ds->msg[ds->n - 1]->base, DNS_EV_MALFORMED_DATA);
		return -EINVAL;
	}
	msg = calloc(1, sizeof(*msg) + mlen);
	if (msg == NULL) {
		ctx->stats.nomem++;
		return -ENOMEM;
	}
	memcpy(msg->pdu, m, mlen);
	msg->pdu_len = mlen;
	msg->id = rd16(m);
	msg->flags = rd16(m + 2);
	msg->dir = (uint8_t)dir;
	qd = rd16(m + 4);
	for (uint32_t i = 0; i < qd && msg->nq < DNS_MAX_Q; i++) {
		char name[DNS_MAX_NAME + 1];
		uint32_t nlen;

		if (read_name(ctx, m, mlen, &pos, name, &nlen) || pos + 4 > mlen) {
			if (pos + 4 > mlen)
				ctx->stats.dns_bad++;
			malformed = true;
			break;
		}
		if (i == 0)
			memcpy(msg->first, name, nlen + 1);
		msg->qtype[msg->nq] = rd16(m + pos);
		pos += 4;
		if (add_name(ctx, msg, name, nlen))
			break;
		msg->nq++;
	}
	/* answers, then authorities and additionals: only after every question */
	ok = msg->nq == qd;
	if (ok) {
		rc = parse_rrs(ctx, msg, m, mlen, &pos, rd16(m + 6), 0);
		msg->nan = msg->nnames - msg->nq;
		if (rc == 0)
			rc = parse_rrs(ctx, msg, m, mlen, &pos, rd16(m + 8), 1);
		msg->nau = msg->nnames - msg->nq - msg->nan;
		if (rc == 0)
			rc = parse_rrs(ctx, msg, m, mlen, &pos, rd16(m + 10), 2);
		malformed = rc == -EINVAL;
	}
	header_events(msg, dir);
	if (malformed)
		app_tx_event(&msg->base, DNS_EV_MALFORMED_DATA);
	if (ds->n == DNS_KEEP) {	/* not inspected yet: the oldest goes */
		msg_free(ds->msg[0]);
		memmove(ds->msg, ds->msg + 1, (DNS_KEEP - 1) * sizeof(ds->msg[0]));
		ds->n--;
	}
	msg->base.id = ds->af->next_tx_id++;
	msg->base.updated = APP_TX_UPDATED;
	ds->msg[ds->n++] = msg;
	ctx->stats.dns_msgs++;
	return 0;
}

struct dns_state *app_dns_new(struct app_flow *af)
{
	struct dns_state *ds = calloc(1, sizeof(*ds));

	if (ds)
		ds->af = af;
	return ds;
}

void app_dns_free(struct dns_state *ds)
{
	if (ds == NULL)
		return;
	for (uint32_t i = 0; i < ds->n; i++)
		msg_free(ds->msg[i]);
	abuf_free(&ds->tcp[0]);
	abuf_free(&ds->tcp[1]);
	free(ds);
}

/* TCP: 2-byte length, then the message (RFC 1035 4.2.2); messages may span
 * segments and segments may hold several. */
static int tcp_data(struct applayer_ctx *ctx, struct dns_state *ds, enum app_dir dir,
		    const uint8_t *d, uint32_t len)
{
	struct abuf *b = &ds->tcp[dir];
	uint32_t used = 0;

	if (abuf_append(b, d, len)) {
		ctx->stats.nomem++;
		return -ENOMEM;
	}
	/* one move of the unparsed rest after the loop, not one per message: a
	 * segment packed with thousands of small messages stays linear */
	while (b->len - used >= 2) {
		uint32_t mlen = rd16(b->p + used);

		if (mlen < DNS_HDR_LEN) {
			ctx->stats.dns_bad++;
			return -EINVAL;
		}
		if (b->len - used < 2 + mlen)
			break;
		parse_msg(ctx, ds, dir, b->p + used + 2, mlen);
		used += 2 + mlen;
	}
	memmove(b->p, b->p + used, b->len - used);
	b->len -= used;
	return 0;
}

int app_dns_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		 const uint8_t *d, uint32_t len)
{
	if (af->ipproto == 6)
		return tcp_data(ctx, af->dns, dir, d, len);
	parse_msg(ctx, af->dns, dir, d, len);
	return 0;
}

uint32_t app_dns_ntx(const struct dns_state *ds)
{
	return ds->n;
}

struct app_tx *app_dns_tx(struct dns_state *ds, uint32_t i)
{
	return i < ds->n ? &ds->msg[i]->base : NULL;
}

void app_dns_inspected(struct app_flow *af, uint8_t dirs)
{
	struct dns_state *ds = af->dns;
	uint32_t k = 0;

	/* a message is done once inspected in its own direction */
	for (uint32_t i = 0; i < ds->n; i++) {
		struct dns_msg *m = ds->msg[i];
		uint8_t own = (uint8_t)(1u << m->dir);

		m->base.updated &= (uint8_t)~dirs;
		if (m->base.updated & own) {
			ds->msg[k++] = m;
		} else {
			app_tx_done(af, &m->base);
			msg_free(m);
		}
	}
	ds->n = k;
}

/* One instance per name: dns.query the question names of queries (QR
 * clear), dns.queries.rrname those of any message, dns.answers.rrname,
 * dns.authorities.rrname and dns.additionals.rrname the owner names of
 * that section's records (any message too), dns.response.rrname every
 * name of a response; dns.pdu (a frame) is the message itself, one
 * instance. */
int app_dns_buffer(struct app_tx *tx, enum rule_buffer b, uint32_t idx,
		   const uint8_t **data, uint32_t *len)
{
	struct dns_msg *msg = (struct dns_msg *)tx;
	bool response = (msg->flags & 0x8000) != 0;
	uint32_t first, n;

	switch (b) {
	case RULE_BUF_DNS_PDU:
		if (idx > 0)
			return -ERANGE;
		*data = msg->pdu;
		*len = msg->pdu_len;
		return 0;
	case RULE_BUF_DNS_QUERY:
		if (response)
			return -ENOENT;
		first = 0;
		n = msg->nq;
		break;
	case RULE_BUF_DNS_QUERIES_RRNAME:
		first = 0;
		n = msg->nq;
		break;
	case RULE_BUF_DNS_ANSWERS_RRNAME:
		first = msg->nq;
		n = msg->nan;
		break;
	case RULE_BUF_DNS_AUTHORITIES_RRNAME:
		first = msg->nq + msg->nan;
		n = msg->nau;
		break;
	case RULE_BUF_DNS_ADDITIONALS_RRNAME:
		first = msg->nq + msg->nan + msg->nau;
		n = msg->nnames - first;
		break;
	case RULE_BUF_DNS_RESPONSE_RRNAME:
		if (!response)
			return -ENOENT;
		first = 0;
		n = msg->nnames;
		break;
	default:
		return -ENOENT;
	}
	if (idx >= n)
		return n ? -ERANGE : -ENOENT;
	idx += first;
	*len = msg->off[idx + 1] - msg->off[idx];
	/* no name stored yet leaves names.p NULL: an empty name, not NULL + 0 */
	*data = *len ? msg->names.p + msg->off[idx] : (const uint8_t *)"";
	return 0;
}

int app_dns_rrtype(const struct app_tx *tx, uint32_t idx, uint32_t *out)
{
	const struct dns_msg *msg = (const struct dns_msg *)tx;

	if (idx >= msg->nq)
		return msg->nq ? -ERANGE : -ENOENT;
	*out = msg->qtype[idx];
	return 0;
}

int app_dns_opcode(const struct app_tx *tx, uint32_t *out)
{
	*out = (((const struct dns_msg *)tx)->flags >> 11) & 0xf;
	return 0;
}

int app_dns_rcode(const struct app_tx *tx, uint32_t *out)
{
	*out = ((const struct dns_msg *)tx)->flags & 0xf;
	return 0;
}

int app_dns_info(struct app_tx *tx, struct app_dns_info *out)
{
	struct dns_msg *msg = (struct dns_msg *)tx;

	*out = (struct app_dns_info){
		.rrname = msg->nq ? msg->first : NULL, .rrtype = msg->nq ? msg->qtype[0] : 0, .id = msg->id,
		.flags = msg->flags, .response = msg->dir == APP_TO_CLIENT,
		.rcode = (uint8_t)(msg->flags & 0xf), .opcode = (uint8_t)((msg->flags >> 11) & 0xf),
		.rr = msg->rr, .nrr = msg->nrr, .text = (const char *)msg->text.p,
	};
	return 0;
}
