/* SPDX-License-Identifier: MIT */
/* ICMPv4 (RFC 792) and ICMPv6 (RFC 4443): type, code and, for echo
 * request/reply, identifier and sequence number.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Identifier (echo)           |   Sequence Number (echo)      |  <- rest of header
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     data ...
 *
 * Every message type has these 8 bytes, so 8 is the minimum, as Suricata.
 */
#include "decode-int.h"

#define ICMPV4_ECHO_REPLY   0
#define ICMPV4_ECHO_REQUEST 8
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY   129

static void icmp_fill(struct packet *p, const uint8_t *b, uint32_t len, bool echo)
{
	p->l4 = b;
	p->l4_len = len;
	p->icmp.type = b[0];
	p->icmp.code = b[1];
	if (echo) {
		p->icmp.id = rd16(b + 4);
		p->icmp.seq = rd16(b + 6);
	}
	p->payload = b + ICMP_HDR_LEN;
	p->payload_len = len - ICMP_HDR_LEN;
}

enum decode_err decode_icmpv4(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag)
{
	if (len < ICMP_HDR_LEN) {
		if (!first_frag)
			return DECODE_ICMPV4_TRUNC;
		decode_l4_partial(p);
		return DECODE_OK;
	}
	icmp_fill(p, b, len, b[0] == ICMPV4_ECHO_REQUEST || b[0] == ICMPV4_ECHO_REPLY);
	return DECODE_OK;
}

enum decode_err decode_icmpv6(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag)
{
	if (len < ICMP_HDR_LEN) {
		if (!first_frag)
			return DECODE_ICMPV6_TRUNC;
		decode_l4_partial(p);
		return DECODE_OK;
	}
	icmp_fill(p, b, len, b[0] == ICMPV6_ECHO_REQUEST || b[0] == ICMPV6_ECHO_REPLY);
	return DECODE_OK;
}
