/* SPDX-License-Identifier: MIT */
/* UDP header (RFC 768).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Length counts header and data; it may be shorter than the IP payload
 * (the rest is ignored) but never longer, except in a first fragment.
 */
#include "decode-int.h"

/* Suricata 7's checks in its order: the header fits (udp.hlen_too_small),
 * the datagram its length announces fits (udp.pkt_too_small), that length
 * covers the header (udp.len_invalid). */
enum decode_err decode_udp(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag)
{
	uint32_t ulen;

	if (len < UDP_HDR_LEN) {
		if (!first_frag)
			return DECODE_UDP_HLEN_SMALL;
		decode_l4_partial(p);
		return DECODE_OK;
	}
	ulen = rd16(b + 4);
	if (ulen > len) {
		if (!first_frag)
			return DECODE_UDP_TRUNC;
		/* the datagram continues in later fragments */
		ulen = len;
	}
	if (ulen < UDP_HDR_LEN)
		return DECODE_UDP_LEN_BAD;

	p->l4 = b;
	p->l4_len = ulen;
	p->sp = rd16(b);
	p->dp = rd16(b + 2);
	p->payload = b + UDP_HDR_LEN;
	p->payload_len = ulen - UDP_HDR_LEN;
	return DECODE_OK;
}
