/* SPDX-License-Identifier: MIT */
/* TCP header (RFC 9293) and the options the flow stage uses.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Options (Data Offset * 4 - 20 bytes)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Option: EOL (0) and NOP (1) are one byte, the others [kind][length][data]:
 * MSS (2, length 4), window scale (3, 3), SACK permitted (4, 2),
 * SACK (5, variable), timestamps (8, 10: TSval, TSecr); (added) MD5
 * signature (19, 18: RFC 2385), TCP-AO (29, 4 or more: RFC 5925), Fast Open
 * (34, 2 or an even 4..18: RFC 7413; or experimental 254 with magic 0xF989),
 * whose presence the stream tracker needs.
 */
#include "decode-int.h"

#define TCPOPT_EOL    0
#define TCPOPT_NOP    1
#define TCPOPT_MSS    2
#define TCPOPT_WS     3
#define TCPOPT_SACKOK 4
#define TCPOPT_TS     8

#define TCPOPT_SACK   5
#define TCPOPT_MD5    19
#define TCPOPT_AO     29
#define TCPOPT_TFO    34
#define TCPOPT_EXP    254
#define TFO_EXP_MAGIC 0xf989u

/* A known option (Suricata's DecodeTCPOptions): one with the wrong length
 * or seen before is ignored and raises its event; true: take this one. */
static bool opt_take(struct packet *p, uint16_t *seen, uint8_t kind, bool len_ok)
{
	if (!len_ok) {
		decode_ev_set(p, DEV_TCP_OPT_INVALID_LEN);
		return false;
	}
	if (*seen & (1u << kind)) {
		decode_ev_set(p, DEV_TCP_OPT_DUPLICATE);
		return false;
	}
	*seen |= (uint16_t)(1u << kind);
	return true;
}

/* Walk n option bytes; each step consumes at least one byte. A known option
 * with the wrong length, or a second one, is ignored (its flag stays clear
 * or keeps the first's value) with Suricata's event; an option running past
 * the header, or a length below 2, is an error. */
static enum decode_err tcp_opts(struct packet *p, const uint8_t *opt, uint32_t n)
{
	uint16_t seen = 0;
	uint32_t i = 0;

	while (i < n) {
		uint8_t kind = opt[i];
		uint8_t olen;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (n - i < 2)
			return DECODE_TCP_OPT_BAD;
		olen = opt[i + 1];
		if (olen < 2 || olen > n - i)
			return DECODE_TCP_OPT_BAD;
		switch (kind) {
		case TCPOPT_MSS:
			if (opt_take(p, &seen, kind, olen == 4)) {
				p->tcp.mss = rd16(opt + i + 2);
				p->flags |= PKT_F_TCP_MSS;
			}
			break;
		case TCPOPT_WS:
			if (opt_take(p, &seen, kind, olen == 3)) {
				p->tcp.wscale = opt[i + 2];
				p->flags |= PKT_F_TCP_WSCALE;
			}
			break;
		case TCPOPT_SACKOK:
			if (opt_take(p, &seen, kind, olen == 2))
				p->flags |= PKT_F_TCP_SACKOK;
			break;
		case TCPOPT_SACK:
			/* 1 to 4 blocks of two sequence numbers (RFC 2018 3); as
			 * Suricata 7, an empty one (length 2, no blocks) is no
			 * invalid length: stacks send it */
			opt_take(p, &seen, kind,
				 olen == 2 || (olen >= 10 && olen <= 34 && (olen - 2) % 8 == 0));
			break;
		case TCPOPT_TS:
			if (opt_take(p, &seen, kind, olen == 10)) {
				p->tcp.ts_val = rd32(opt + i + 2);
				p->tcp.ts_ecr = rd32(opt + i + 6);
				p->flags |= PKT_F_TCP_TS;
			}
			break;
		case TCPOPT_MD5:
		case TCPOPT_AO:
			/* Suricata's checks of their lengths; no duplicate check */
			if (kind == TCPOPT_MD5 ? olen != 18 : olen < 4)
				decode_ev_set(p, DEV_TCP_OPT_INVALID_LEN);
			else
				p->flags |= PKT_F_TCP_AUTH;
			break;
		case TCPOPT_TFO:
			if (olen != 2 && (olen < 4 || olen > 18 || olen % 2 != 0))
				decode_ev_set(p, DEV_TCP_OPT_INVALID_LEN);
			else
				p->flags |= PKT_F_TCP_TFO;
			break;
		case TCPOPT_EXP:
			if (olen >= 4 && rd16(opt + i + 2) == TFO_EXP_MAGIC)
				p->flags |= PKT_F_TCP_TFO;
			break;
		default:
			break;
		}
		i += olen;
	}
	return DECODE_OK;
}

enum decode_err decode_tcp(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag)
{
	uint32_t hlen;

	if (len < TCP_HDR_LEN)
		goto trunc;
	hlen = (uint32_t)(b[12] >> 4) * 4;
	if (hlen < TCP_HDR_LEN)
		return DECODE_TCP_HLEN_BAD;
	if (hlen > len)
		goto trunc;

	p->l4 = b;
	p->l4_len = len;
	p->sp = rd16(b);
	p->dp = rd16(b + 2);
	p->tcp.seq = rd32(b + 4);
	p->tcp.ack = rd32(b + 8);
	p->tcp.flags = b[13];
	p->tcp.win = rd16(b + 14);
	p->tcp.hlen = (uint8_t)hlen;
	p->payload = b + hlen;
	p->payload_len = len - hlen;
	if (hlen > TCP_HDR_LEN)
		return tcp_opts(p, b + TCP_HDR_LEN, hlen - TCP_HDR_LEN);
	return DECODE_OK;

trunc:
	if (!first_frag)
		return DECODE_TCP_TRUNC;
	decode_l4_partial(p);
	return DECODE_OK;
}
