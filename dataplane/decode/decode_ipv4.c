/* SPDX-License-Identifier: MIT */
/* IPv4 (RFC 791), options walked into a bitmap and checked as Suricata 7
 * checks them (its ipv4.opt_* decoder events), fragments flagged.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |      TOS      |          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |R|D|M|    Fragment Offset (x8) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      TTL      |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL*4 - 20 bytes)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Option: EOL (0) and NOP (1) are one byte; every other option is
 * [type][length, >= 2, counting type and length][data].
 *
 * Of Suricata's option events one is not raised: ipv4.opt_unknown, which
 * Suricata 7 sets only in a branch no option reaches (an unknown type is
 * its ipv4.opt_invalid). ipv4.opt_pad_required (options not a multiple of
 * 8 bytes, raised before the walk as Suricata does, so a packet the walk
 * rejects carries it too) is common: its rule ships commented out.
 */
#include <string.h>

#include "decode-int.h"

#define IPV4_FLAG_MF      0x2000
#define IPV4_FRAG_MASK    0x1fff

/* option type octets (copy flag and class included) */
#define IPOPT_EOL    0x00
#define IPOPT_NOP    0x01
#define IPOPT_RR     0x07
#define IPOPT_QS     0x19
#define IPOPT_TS     0x44
#define IPOPT_SEC    0x82
#define IPOPT_LSRR   0x83
#define IPOPT_ESEC   0x85
#define IPOPT_CIPSO  0x86
#define IPOPT_SATID  0x88
#define IPOPT_SSRR   0x89
#define IPOPT_RTRALT 0x94

/* How an option known to Suricata 7 is validated (decode-ipv4.c's
 * IPV4OptValidate*): a length bound, or the layout of its data. */
enum ipv4_opt_check {
	OPT_LEN_MIN,    /* len >= n */
	OPT_LEN_EXACT,  /* len == n */
	OPT_ROUTE,      /* RFC 791 record/source route: a pointer into the addresses */
	OPT_TS,         /* RFC 791 timestamp: a pointer into the records */
	OPT_CIPSO,      /* FIPS 188 / draft-ietf-cipso: DOI, then tags */
};

static const struct ipv4_opt_rule {
	uint8_t type;
	uint8_t check;   /* enum ipv4_opt_check */
	uint8_t n;       /* the length bound, and the least length of the others */
	uint16_t bit;    /* IPV4_OPT_* of the ipopts keyword */
} ipv4_opt_rules[] = {
	{ IPOPT_RR,     OPT_ROUTE,     3,  IPV4_OPT_RR },
	{ IPOPT_QS,     OPT_LEN_MIN,   8,  IPV4_OPT_OTHER },  /* RFC 4782 */
	{ IPOPT_TS,     OPT_TS,        5,  IPV4_OPT_TS },
	{ IPOPT_SEC,    OPT_LEN_MIN,   3,  IPV4_OPT_SEC },    /* RFC 1108 2.2 */
	{ IPOPT_LSRR,   OPT_ROUTE,     3,  IPV4_OPT_LSRR },
	{ IPOPT_ESEC,   OPT_LEN_MIN,   3,  IPV4_OPT_ESEC },   /* RFC 1108 2.3 */
	{ IPOPT_CIPSO,  OPT_CIPSO,     10, IPV4_OPT_OTHER },
	{ IPOPT_SATID,  OPT_LEN_EXACT, 4,  IPV4_OPT_SATID },
	{ IPOPT_SSRR,   OPT_ROUTE,     3,  IPV4_OPT_SSRR },
	{ IPOPT_RTRALT, OPT_LEN_EXACT, 4,  IPV4_OPT_OTHER },  /* RFC 2113 */
};
#define IPV4_OPT_RULES (sizeof(ipv4_opt_rules) / sizeof(ipv4_opt_rules[0]))

/* CIPSO tags after the 4-byte DOI: [type][len >= 4, all of it][data]; types
 * 1, 2, 5 and 6 have a zero alignment octet third, 7 has none; any other
 * type (0 is reserved) is malformed. n is what the option holds after its
 * type, length and DOI; each tag consumes at least 4 bytes. */
static bool cipso_tags_ok(const uint8_t *tag, uint32_t n)
{
	while (n > 0) {
		uint8_t ttype, tlen;

		if (n < 2)
			return false;
		ttype = tag[0];
		tlen = tag[1];
		if (tlen > n || tlen < 4)
			return false;
		switch (ttype) {
		case 1: case 2: case 5: case 6:
			if (tag[2] != 0)
				return false;
			break;
		case 7:
			break;
		default:
			return false;
		}
		tag += tlen;
		n -= tlen;
	}
	return true;
}

/* One known option of olen bytes at opt (type, length, data), olen >= 2 and
 * within the header: DECODE_OK, DECODE_IPV4_OPT_BAD (a length its kind
 * cannot have) or DECODE_IPV4_OPT_MALFORMED (a pointer or tag that makes no
 * sense), Suricata's two reasons to reject the packet. */
static enum decode_err ipv4_opt_check(const struct ipv4_opt_rule *r, const uint8_t *opt,
				      uint8_t olen)
{
	uint8_t ptr, rec;

	switch (r->check) {
	case OPT_LEN_EXACT:
		return olen == r->n ? DECODE_OK : DECODE_IPV4_OPT_BAD;
	case OPT_LEN_MIN:
		return olen >= r->n ? DECODE_OK : DECODE_IPV4_OPT_BAD;
	default:
		break;
	}
	if (olen < r->n)
		return DECODE_IPV4_OPT_BAD;
	ptr = opt[2];
	switch (r->check) {
	case OPT_ROUTE:
		/* 1-based, past type, length and pointer, on an address
		 * boundary, at most one past the end (the route is full) */
		if (ptr < 4 || ptr % 4 != 0 || ptr > olen + 1)
			return DECODE_IPV4_OPT_MALFORMED;
		return DECODE_OK;
	case OPT_TS:
		/* flags 1 and 3: address and timestamp pairs, else timestamps */
		rec = ((opt[3] & 0x0f) == 1 || (opt[3] & 0x0f) == 3) ? 8 : 4;
		if (ptr < 5 || (ptr - 5) % rec != 0 || ptr > olen + 1)
			return DECODE_IPV4_OPT_MALFORMED;
		return DECODE_OK;
	default:
		return cipso_tags_ok(opt + 6, olen - 6u) ? DECODE_OK : DECODE_IPV4_OPT_MALFORMED;
	}
}

static const struct ipv4_opt_rule *ipv4_opt_rule(uint8_t type, unsigned int *idx)
{
	for (unsigned int i = 0; i < IPV4_OPT_RULES; i++) {
		if (ipv4_opt_rules[i].type == type) {
			*idx = i;
			return &ipv4_opt_rules[i];
		}
	}
	return NULL;
}

/* Walk the n option bytes at opt as Suricata 7 does: a known option seen
 * again is an event and is not checked again, an unknown one is an event;
 * a length that cannot be or a malformed known option rejects the packet.
 * Every iteration consumes at least one byte, so the loop ends within n
 * steps. Bytes after EOL are padding. */
static enum decode_err ipv4_opts(struct packet *p, const uint8_t *opt, uint32_t n)
{
	uint32_t i = 0;
	uint16_t seen = 0;

	if (n % 8 != 0)
		decode_ev_set(p, DEV_IPV4_OPT_PAD_REQUIRED);
	while (i < n) {
		const struct ipv4_opt_rule *r;
		unsigned int idx = 0;
		uint8_t type = opt[i];
		uint8_t olen;
		enum decode_err err;

		if (type == IPOPT_EOL) {
			p->ipv4_opts |= IPV4_OPT_EOL;
			return DECODE_OK;
		}
		if (type == IPOPT_NOP) {
			p->ipv4_opts |= IPV4_OPT_NOP;
			i++;
			continue;
		}
		if (n - i < 2) {
			/* one byte of something that is not EOL ends the list */
			decode_ev_set(p, DEV_IPV4_OPT_EOL_REQUIRED);
			return DECODE_OK;
		}
		olen = opt[i + 1];
		if (olen < 2 || olen > n - i)
			return DECODE_IPV4_OPT_BAD;
		r = ipv4_opt_rule(type, &idx);
		if (r == NULL) {
			decode_ev_set(p, DEV_IPV4_OPT_INVALID);
			p->ipv4_opts |= IPV4_OPT_OTHER;
		} else if (seen & (1u << idx)) {
			decode_ev_set(p, DEV_IPV4_OPT_DUPLICATE);
		} else {
			err = ipv4_opt_check(r, opt + i, olen);
			if (err != DECODE_OK)
				return err;
			seen |= (uint16_t)(1u << idx);
			p->ipv4_opts |= r->bit;
		}
		i += olen;
	}
	return DECODE_OK;
}

enum decode_err decode_ipv4(struct packet *p, const uint8_t *b, uint32_t len,
			    const struct decode_opts *o)
{
	uint32_t hlen, tot;
	uint16_t frag;
	enum decode_err err;

	/* RFC 791 3.1: the checklist, in Suricata's order */
	if (len < IPV4_HDR_LEN)
		return DECODE_IPV4_SMALL;
	if ((b[0] >> 4) != 4)
		return DECODE_IPV4_VER_BAD;
	hlen = (uint32_t)(b[0] & 0x0f) * 4;
	if (hlen < IPV4_HDR_LEN)
		return DECODE_IPV4_HLEN_BAD;
	tot = rd16(b + 2);
	if (tot < hlen)
		return DECODE_IPV4_LEN_BAD;
	/* A datagram longer than the capture is an error (Suricata's
	 * trunc_pkt); bytes beyond tot are Ethernet padding and ignored. */
	if (tot > len)
		return DECODE_IPV4_TRUNC;

	p->ip_ver = 4;
	p->l3 = b;
	p->l3_len = tot;
	p->ip_hlen = (uint8_t)hlen;
	p->tos = b[1];
	p->ip_id = rd16(b + 4);
	p->ttl = b[8];
	p->proto = b[9];
	memcpy(p->src.b, b + 12, 4);
	memcpy(p->dst.b, b + 16, 4);

	if (hlen > IPV4_HDR_LEN) {
		err = ipv4_opts(p, b + IPV4_HDR_LEN, hlen - IPV4_HDR_LEN);
		if (err != DECODE_OK)
			return err;
	}
	if (o->csum_check && !csum_ipv4_hdr_ok(p)) {
		p->flags |= PKT_F_CSUM_BAD;
		p->csum |= PKT_CSUM_L3_BAD;
	}

	frag = rd16(b + 6);
	p->frag_off = (uint16_t)((frag & IPV4_FRAG_MASK) * 8);
	p->frag_mf = (frag & IPV4_FLAG_MF) != 0;
	if (p->frag_off != 0 || p->frag_mf)
		p->flags |= PKT_F_IPV4_FRAG;
	if (p->frag_off != 0) {
		/* later fragment: its bytes are the middle of some L4 payload */
		decode_l4_partial(p);
		return DECODE_OK;
	}
	/* Suricata decodes no ICMPv6 in IPv4 and calls the packet invalid */
	if (p->proto == IPPROTO_NUM_ICMPV6 && !p->frag_mf)
		return DECODE_IPV4_WITH_ICMPV6;
	return decode_l4(p, b + hlen, tot - hlen, p->frag_mf, NULL, o);
}
