/* SPDX-License-Identifier: MIT */
/* IPv4 (RFC 791), options walked into a bitmap, fragments flagged.
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
 */
#include <string.h>

#include "decode-int.h"

#define IPV4_FLAG_MF      0x2000
#define IPV4_FRAG_MASK    0x1fff

/* option type octets (copy flag and class included) */
#define IPOPT_EOL   0x00
#define IPOPT_NOP   0x01
#define IPOPT_RR    0x07
#define IPOPT_TS    0x44
#define IPOPT_SEC   0x82
#define IPOPT_LSRR  0x83
#define IPOPT_ESEC  0x85
#define IPOPT_SATID 0x88
#define IPOPT_SSRR  0x89

/* Bitmap bit for an option type, and the smallest length RFC 791 allows for
 * it: route options carry a pointer (3), timestamp a pointer and
 * overflow/flags octet (4), security is exactly 11, stream id exactly 4. */
static uint16_t ipv4_opt_bit(uint8_t type, uint8_t olen, bool *len_ok)
{
	switch (type) {
	case IPOPT_RR:
		*len_ok = olen >= 3;
		return IPV4_OPT_RR;
	case IPOPT_LSRR:
		*len_ok = olen >= 3;
		return IPV4_OPT_LSRR;
	case IPOPT_SSRR:
		*len_ok = olen >= 3;
		return IPV4_OPT_SSRR;
	case IPOPT_TS:
		*len_ok = olen >= 4;
		return IPV4_OPT_TS;
	case IPOPT_SEC:
		*len_ok = olen == 11;
		return IPV4_OPT_SEC;
	case IPOPT_SATID:
		*len_ok = olen == 4;
		return IPV4_OPT_SATID;
	case IPOPT_ESEC:
		*len_ok = true;
		return IPV4_OPT_ESEC;
	default:
		*len_ok = true;
		return IPV4_OPT_OTHER;
	}
}

/* Walk the n option bytes at opt. Every iteration consumes at least one
 * byte, so the loop ends within n steps. Bytes after EOL are padding. */
static enum decode_err ipv4_opts(struct packet *p, const uint8_t *opt, uint32_t n)
{
	uint32_t i = 0;

	while (i < n) {
		uint8_t type = opt[i];
		uint8_t olen;
		bool len_ok;

		if (type == IPOPT_EOL) {
			p->ipv4_opts |= IPV4_OPT_EOL;
			return DECODE_OK;
		}
		if (type == IPOPT_NOP) {
			p->ipv4_opts |= IPV4_OPT_NOP;
			i++;
			continue;
		}
		if (n - i < 2)
			return DECODE_IPV4_OPT_BAD;
		olen = opt[i + 1];
		if (olen < 2 || olen > n - i)
			return DECODE_IPV4_OPT_BAD;
		p->ipv4_opts |= ipv4_opt_bit(type, olen, &len_ok);
		if (!len_ok)
			return DECODE_IPV4_OPT_BAD;
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
		return DECODE_IPV4_TRUNC;
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
	if (o->csum_check && !csum_ipv4_hdr_ok(p))
		{
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
	return decode_l4(p, b + hlen, tot - hlen, p->frag_mf, NULL, o);
}
