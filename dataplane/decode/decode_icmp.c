/* SPDX-License-Identifier: MIT */
/* ICMPv4 (RFC 792) and ICMPv6 (RFC 4443): type, code and, for the
 * messages that carry them, identifier and sequence number.
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
 * Every message type has these 8 bytes, so 8 is the minimum, as Suricata;
 * an ICMPv4 timestamp or router advertisement has a longer header.
 */
#include "decode-int.h"

#define ICMPV4_ECHO_REPLY   0
#define ICMPV4_ECHO_REQUEST 8
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY   129

/* hlen: the header's length, at least ICMP_HDR_LEN and at most len; the
 * payload (content, dsize) is what follows it. with_id: the message
 * carries an identifier and sequence number. */
static void icmp_fill(struct packet *p, const uint8_t *b, uint32_t len, uint32_t hlen,
		      bool with_id)
{
	p->l4 = b;
	p->l4_len = len;
	p->icmp.type = b[0];
	p->icmp.code = b[1];
	if (with_id) {
		p->icmp.id = rd16(b + 4);
		p->icmp.seq = rd16(b + 6);
	}
	p->payload = b + hlen;
	p->payload_len = len - hlen;
}

/* ICMPv4 messages with identifier and sequence number (RFC 792, 950):
 * echo, timestamp, information and address mask request/reply. */
static bool icmpv4_has_id(uint8_t type)
{
	return type == ICMPV4_ECHO_REPLY || type == ICMPV4_ECHO_REQUEST ||
	       (type >= 13 && type <= 18);
}

/* The ICMPv4 header as Suricata 7's DecodeICMPV4 sizes it (icmpv4.hdr,
 * and the payload after it): a timestamp request/reply holds its three
 * timestamps, a router advertisement (RFC 1256) its address entries
 * (count x entry size in 32-bit words), when the message has them all;
 * every other type the 8 common bytes. */
static uint32_t icmpv4_hlen(const uint8_t *b, uint32_t len)
{
	uint32_t ext = 0;

	if (b[0] == 13 || b[0] == 14)
		ext = 12;
	else if (b[0] == 9)
		ext = (uint32_t)b[4] * b[5] * 4;
	return len - ICMP_HDR_LEN >= ext ? ICMP_HDR_LEN + ext : ICMP_HDR_LEN;
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

/* An error message quotes the IP header of the datagram it is about
 * (RFC 792, RFC 4443 2.4): Suricata checks that header's size and version
 * (its DecodePartialIPV4/IPV6), and calls the packet invalid but decodes it
 * on: events of a kept packet here. */
static void icmp_quoted_ip(struct packet *p, const uint8_t *b, uint32_t len, bool v6)
{
	if (len < (v6 ? IPV6_HDR_LEN : IPV4_HDR_LEN))
		decode_ev_set(p, v6 ? DEV_ICMPV6_INNER_TRUNC : DEV_ICMPV4_IPV4_TRUNC);
	else if ((b[0] >> 4) != (v6 ? 6 : 4))
		decode_ev_set(p, v6 ? DEV_ICMPV6_INNER_VER_BAD : DEV_ICMPV4_INNER_VER_BAD);
}

/* Suricata's non-fatal ICMPv4 events: an unknown type or code, a
 * timestamp (12 bytes after the header) or router advertisement (its
 * address entries) cut short, the quoted header of an error message with
 * a known code (destination unreachable, source quench, redirect, time
 * exceeded, parameter problem) cut short or not IPv4. Suricata looks at a
 * quoted header only when bytes follow the ICMP header, but for source
 * quench, whose check it makes on an empty one too. */
static void icmpv4_events(struct packet *p, const uint8_t *b, uint32_t len)
{
	int max = icmpv4_max_code(b[0]);

	if (max < 0)
		decode_ev_set(p, DEV_ICMPV4_UNKNOWN_TYPE);
	else if (b[1] > max)
		decode_ev_set(p, DEV_ICMPV4_UNKNOWN_CODE);
	if (((b[0] == 13 || b[0] == 14) && len < ICMP_HDR_LEN + 12) ||
	    (b[0] == 9 && len < ICMP_HDR_LEN + (uint32_t)b[4] * b[5] * 4))
		decode_ev_set(p, DEV_ICMPV4_IPV4_TRUNC);
	switch (b[0]) {
	case 3: case 5: case 11: case 12:
		if (b[1] <= max && len > ICMP_HDR_LEN)
			icmp_quoted_ip(p, b + ICMP_HDR_LEN, len - ICMP_HDR_LEN, false);
		break;
	case 4:
		if (b[1] == 0)
			icmp_quoted_ip(p, b + ICMP_HDR_LEN, len - ICMP_HDR_LEN, false);
		break;
	default:
		break;
	}
}

enum decode_err decode_icmpv4(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag)
{
	if (len < ICMP_HDR_LEN) {
		if (!first_frag)
			return DECODE_ICMPV4_TRUNC;
		decode_l4_partial(p);
		return DECODE_OK;
	}
	icmp_fill(p, b, len, icmpv4_hlen(b, len), icmpv4_has_id(b[0]));
	icmpv4_events(p, b, len);
	return DECODE_OK;
}

/* Whether code is one ICMPv6 type t has (RFC 4443, 4861, 2710, 2894,
 * 4620, 3122, 3810, 6275, 3971, 4286, 5568, 6550, 6743, 7731), as
 * Suricata's DecodeICMPV6 checks them; -1: t is no type it knows. */
static int icmpv6_code_ok(uint8_t t, uint8_t code)
{
	switch (t) {
	case 1:
		return code <= 6;
	case 3:
		return code <= 1;
	case 4:
		return code <= 2;
	case 138:                /* router renumbering */
		return code <= 2 || code == 255;
	case 139: case 140:      /* node information */
		return code <= 2;
	case 155:                /* RPL control */
		return code <= 3 || (code >= 128 && code <= 132);
	case 150: case 151: case 152: case 153:
		return 1;        /* codes not judged */
	case 2: case 128: case 129: case 130: case 131: case 132: case 133: case 134:
	case 135: case 136: case 137: case 141: case 142: case 143: case 144: case 145:
	case 146: case 147: case 148: case 149: case 154: case 156: case 157: case 158:
	case 159:
		return code == 0;
	default:
		return -1;
	}
}

/* Suricata's non-fatal ICMPv6 events: a type IANA left unassigned or gave
 * to experiments, one it does not know, an unknown code; MLD sent with a
 * hop limit other than 1 (RFC 2710 3). */
static void icmpv6_events(struct packet *p, const uint8_t *b)
{
	uint8_t t = b[0];
	int ok = icmpv6_code_ok(t, b[1]);

	if (ok == 0)
		decode_ev_set(p, DEV_ICMPV6_UNKNOWN_CODE);
	if (ok < 0) {
		if (t == 100 || t == 101 || t == 200 || t == 201)
			decode_ev_set(p, DEV_ICMPV6_EXPERIMENT_TYPE);
		else if ((t > 4 && t < 127) || t >= 160)
			decode_ev_set(p, DEV_ICMPV6_UNASSIGNED_TYPE);
		else
			decode_ev_set(p, DEV_ICMPV6_UNKNOWN_TYPE);
	}
	if (t >= 130 && t <= 132 && p->ttl != 1)
		decode_ev_set(p, DEV_ICMPV6_MLD_BAD_HL);
}

/* The error messages (types 1 to 4) with a known code quote the packet
 * they are about: Suricata checks its header even when nothing follows. */
static void icmpv6_quoted(struct packet *p, const uint8_t *b, uint32_t len)
{
	if (b[0] >= 1 && b[0] <= 4 && icmpv6_code_ok(b[0], b[1]) == 1)
		icmp_quoted_ip(p, b + ICMP_HDR_LEN, len - ICMP_HDR_LEN, true);
}

enum decode_err decode_icmpv6(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag)
{
	if (len < ICMP_HDR_LEN) {
		if (!first_frag)
			return DECODE_ICMPV6_TRUNC;
		decode_l4_partial(p);
		return DECODE_OK;
	}
	icmp_fill(p, b, len, ICMP_HDR_LEN,
		  b[0] == ICMPV6_ECHO_REQUEST || b[0] == ICMPV6_ECHO_REPLY);
	icmpv6_events(p, b);
	icmpv6_quoted(p, b, len);
	return DECODE_OK;
}
