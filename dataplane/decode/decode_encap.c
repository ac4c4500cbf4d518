/* SPDX-License-Identifier: MIT */
/* Encapsulations inside one packet, reached by ethertype: the packet stays
 * one packet (Suricata decodes these in place), its network layer is
 * further in. Checks and event names are Suricata 7's.
 *
 * MPLS (RFC 3032), a stack of 4-byte entries:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Label (20)             | TC  |S|     TTL       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * S marks the bottom of the stack. Label 0 says IPv4 follows, 2 IPv6; 1
 * (router alert) and 3 (implicit null) cannot be at the bottom, 4-15 are
 * reserved. Any other label says nothing, so the payload is guessed from
 * its first nibble: 4 IPv4, 6 IPv6, 0 an Ethernet pseudowire behind a
 * 4-byte control word (RFC 4448).
 *
 * PPPoE (RFC 2516), 6 bytes, then (session stage) a PPP protocol field:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  VER  | TYPE  |      CODE     |          SESSION_ID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            LENGTH             |           payload ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * VN-Tag (Cisco, ethertype 0x8926), 4 bytes of tag then the ethertype.
 * E-Tag (IEEE 802.1BR, 0x893F), 6 bytes of tag then the ethertype.
 *
 * NSH (RFC 8300), 8 bytes at least:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|O|U|    TTL    |   Length  |U|U|U|U|MD Type| Next Protocol |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Service Path Identifier (SPI)        | Service Index |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Length counts 4-byte words of the whole header (context included).
 */
#include "decode-int.h"

#define MPLS_HDR_LEN      4
#define MPLS_PW_LEN       4
#define MPLS_LABEL_IPV4   0
#define MPLS_LABEL_RALERT 1
#define MPLS_LABEL_IPV6   2
#define MPLS_LABEL_NULL   3
#define MPLS_LABEL_MAX_RESERVED 15

#define PPPOE_HDR_LEN     6
#define PPPOE_CODE_PADI   0x09
#define PPPOE_CODE_PADO   0x07
#define PPPOE_CODE_PADR   0x19
#define PPPOE_CODE_PADS   0x65
#define PPPOE_CODE_PADT   0xa7

#define VNTAG_HDR_LEN     6
#define ETAG_HDR_LEN      8
#define NSH_HDR_LEN       8
#define NSH_MD1_LEN       24
#define NSH_NEXT_IPV4     1
#define NSH_NEXT_IPV6     2
#define NSH_NEXT_ETHERNET 3
#define NSH_NEXT_MPLS     5

static enum decode_err ip_by_version(struct packet *p, const uint8_t *b, uint32_t len,
				     bool v6, const struct decode_opts *o)
{
	p->eth_type = v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
	return v6 ? decode_ipv6(p, b, len, o) : decode_ipv4(p, b, len, o);
}

enum decode_err decode_mpls(struct packet *p, const uint8_t *b, uint32_t len,
			    const struct decode_opts *o)
{
	uint32_t shim, label;

	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	p->encaps |= PKT_ENC_MPLS;
	/* each entry consumes 4 bytes: the walk ends within len / 4 steps */
	do {
		if (len < MPLS_HDR_LEN)
			return DECODE_MPLS_HDR_TRUNC;
		shim = rd32(b);
		b += MPLS_HDR_LEN;
		len -= MPLS_HDR_LEN;
	} while (!(shim & 0x100));

	label = shim >> 12;
	switch (label) {
	case MPLS_LABEL_IPV4:
		return ip_by_version(p, b, len, false, o);
	case MPLS_LABEL_IPV6:
		return ip_by_version(p, b, len, true, o);
	case MPLS_LABEL_RALERT:
		return DECODE_MPLS_ROUTER_ALERT;
	case MPLS_LABEL_NULL:
		return DECODE_MPLS_IMPLICIT_NULL;
	default:
		if (label <= MPLS_LABEL_MAX_RESERVED)
			return DECODE_MPLS_RESERVED;
		break;
	}
	/* enough for the pseudowire control word, so for any guess */
	if (len < MPLS_PW_LEN)
		return DECODE_MPLS_TRUNC;
	switch (b[0] >> 4) {
	case 4:
		return ip_by_version(p, b, len, false, o);
	case 6:
		return ip_by_version(p, b, len, true, o);
	case 0:
		return decode_eth_at(p, b + MPLS_PW_LEN, len - MPLS_PW_LEN, o);
	default:
		return DECODE_MPLS_PAYLOAD_BAD;
	}
}

/* Discovery stage: no network layer, only the code and the length are
 * checked (RFC 2516 section 5). */
enum decode_err decode_pppoe_disc(struct packet *p, const uint8_t *b, uint32_t len,
				  const struct decode_opts *o)
{
	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	p->encaps |= PKT_ENC_PPPOE;
	if (len < PPPOE_HDR_LEN)
		return DECODE_PPPOE_TRUNC;
	switch (b[1]) {
	case PPPOE_CODE_PADI:
	case PPPOE_CODE_PADO:
	case PPPOE_CODE_PADR:
	case PPPOE_CODE_PADS:
	case PPPOE_CODE_PADT:
		break;
	default:
		return DECODE_PPPOE_CODE_BAD;
	}
	/* the tags the length announces must have been captured */
	if (rd16(b + 4) > len - PPPOE_HDR_LEN)
		return DECODE_PPPOE_TAGS_BAD;
	return DECODE_OK;
}

/* Session stage: a PPP frame without address and control (RFC 2516
 * section 6); an empty session payload carries nothing to decode. */
enum decode_err decode_pppoe_sess(struct packet *p, const uint8_t *b, uint32_t len,
				  const struct decode_opts *o)
{
	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	p->encaps |= PKT_ENC_PPPOE;
	if (len < PPPOE_HDR_LEN + 2)
		return DECODE_PPPOE_TRUNC;
	if (rd16(b + 4) == 0)
		return DECODE_OK;
	return decode_ppp_at(p, b + PPPOE_HDR_LEN, len - PPPOE_HDR_LEN, o);
}

/* A tag of hlen bytes whose last two name the next protocol: the known ones
 * are decoded, anything else is the tag's unknown_type event. */
static enum decode_err tag_then_ethertype(struct packet *p, const uint8_t *b, uint32_t len,
					  uint32_t hlen, enum decode_err unknown,
					  const struct decode_opts *o)
{
	uint16_t type = rd16(b + hlen - 2);

	if (!decode_ethertype_known(type))
		return unknown;
	return decode_ethertype(p, b + hlen, len - hlen, type, o);
}

enum decode_err decode_vntag(struct packet *p, const uint8_t *b, uint32_t len,
			     const struct decode_opts *o)
{
	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	p->encaps |= PKT_ENC_VNTAG;
	if (len < VNTAG_HDR_LEN)
		return DECODE_VNTAG_TRUNC;
	return tag_then_ethertype(p, b, len, VNTAG_HDR_LEN, DECODE_VNTAG_TYPE_BAD, o);
}

enum decode_err decode_etag(struct packet *p, const uint8_t *b, uint32_t len,
			    const struct decode_opts *o)
{
	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	p->encaps |= PKT_ENC_ETAG;
	if (len < ETAG_HDR_LEN)
		return DECODE_ETAG_TRUNC;
	return tag_then_ethertype(p, b, len, ETAG_HDR_LEN, DECODE_ETAG_TYPE_BAD, o);
}

/* RFC 8300 section 2: version 0 only; MD type 1 has a fixed 24-byte header,
 * 2 a variable one, 0 and 0xF are reserved. */
enum decode_err decode_nsh(struct packet *p, const uint8_t *b, uint32_t len,
			   const struct decode_opts *o)
{
	uint32_t hlen;

	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	p->encaps |= PKT_ENC_NSH;
	if (len < NSH_HDR_LEN)
		return DECODE_NSH_TRUNC;
	if ((b[0] >> 6) != 0)
		return DECODE_NSH_VER_BAD;
	hlen = (uint32_t)(rd16(b) & 0x3f) * 4;
	/* some payload must follow the header */
	if (hlen >= len)
		return DECODE_NSH_LEN_BAD;
	switch (b[2]) {
	case 0:
	case 0xf:
		return DECODE_NSH_RESERVED;
	case 1:
		if (hlen != NSH_MD1_LEN)
			return DECODE_NSH_LEN_BAD;
		break;
	case 2:
		break;
	default:
		return DECODE_NSH_TYPE_BAD;
	}
	/* a type 2 header shorter than the fixed part would overlap the data */
	if (hlen < NSH_HDR_LEN)
		return DECODE_NSH_LEN_BAD;
	switch (b[3]) {
	case NSH_NEXT_IPV4:
		return ip_by_version(p, b + hlen, len - hlen, false, o);
	case NSH_NEXT_IPV6:
		return ip_by_version(p, b + hlen, len - hlen, true, o);
	case NSH_NEXT_ETHERNET:
		return decode_eth_at(p, b + hlen, len - hlen, o);
	case NSH_NEXT_MPLS:
		return decode_mpls(p, b + hlen, len - hlen, o);
	default:
		return DECODE_NSH_PAYLOAD_BAD;
	}
}
