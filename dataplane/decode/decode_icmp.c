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

/* The highest code each ICMPv4 type has (RFC 792, 950, 1256, 1812), as
 * Suricata's DecodeICMPV4 checks them; -1: a type it does not know. */
static int icmpv4_max_code(uint8_t type)
{
	switch (type) {
	case 0: case 4: case 8: case 12: case 13: case 14: case 15: case 16: case 17: case 18:
		return 0;
	case 3:
		return 15;          /* NR_ICMP_UNREACH */
	case 5:
		return 3;           /* ICMP_REDIR_HOSTTOS */
	case 9:
		return 255;         /* router advertisement: codes not judged */
	case 11:
		return 1;           /* ICMP_EXC_FRAGTIME */
	default:
		return -1;
	}
}

/* Suricata's non-fatal ICMPv4 events: an unknown type or code, a
 * timestamp (12 bytes after the header) or router advertisement (its
 * address entries) cut short. */
static void icmpv4_events(struct packet *p, const uint8_t *b, uint32_t len)
{
	int max = icmpv4_max_code(b[0]);

	if (max < 0)
		p->dec_ev |= 1u << DEV_ICMPV4_UNKNOWN_TYPE;
	else if (b[1] > max)
		p->dec_ev |= 1u << DEV_ICMPV4_UNKNOWN_CODE;
	if (((b[0] == 13 || b[0] == 14) && len < ICMP_HDR_LEN + 12) ||
	    (b[0] == 9 && len < ICMP_HDR_LEN + (uint32_t)b[4] * b[5] * 4))
		p->dec_ev |= 1u << DEV_ICMPV4_IPV4_TRUNC;
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
	icmpv4_events(p, b, len);
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
