/* SPDX-License-Identifier: MIT */
/* GRE (IP protocol 47): version 0 (RFC 1701/2784/2890) and version 1, the
 * enhanced GRE of PPTP (RFC 2637), with Suricata 7's checks and event
 * names; the payload named by the protocol type becomes a tunnel packet
 * (p->tun). ERSPAN headers are checked here too, so that their events land
 * on the packet that carries them.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (optional)      |       Offset (optional)       |  C or R
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Key (optional)                        |  K (v1: payload
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   length, call id)
 * |                 Sequence Number (optional)                    |  S
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Acknowledgment Number (v1, optional)            |  A
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Source Route Entries (v0, R): [AF(2) Offset(1) Len(1) data]... |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * the route list ends with an entry of address family 0 and length 0.
 *
 * ERSPAN (protocol 0x88BE): type I has no header (the GRE header has no
 * sequence number); type II 8 bytes, version 1; type III (0x22EB) 12 bytes,
 * version 2, plus an 8-byte platform subheader when its O bit is set:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Ver  |          VLAN         | COS |En |T|    Session ID     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  II: Reserved, Index  /  III: Timestamp                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  III: SGT(16) |P|  FT  | Hw ID |D|Gra|O|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * then the mirrored Ethernet frame, which was on the header's VLAN.
 */
#include "decode-int.h"

#define GRE_HDR_LEN     4
#define GRE_F_CSUM      0x80   /* first byte */
#define GRE_F_ROUTE     0x40
#define GRE_F_KEY       0x20
#define GRE_F_SEQ       0x10
#define GRE_F_SSR       0x08
#define GRE_RECUR_MASK  0x07
#define GRE_V1_ACK      0x80   /* second byte */
#define GRE_FLAGS_MASK  0x78
#define GRE_VER_MASK    0x07
#define GRE_SRE_HDR_LEN 4

#define ERSPAN2_HDR_LEN 8
#define ERSPAN3_HDR_LEN 12
#define ERSPAN3_SUB_LEN 8

/* Version 0: the optional fields, then the source route entries. Returns
 * the header length in *hlen. */
static enum decode_err gre_v0(const uint8_t *b, uint32_t len, uint32_t *hlen)
{
	uint32_t h = GRE_HDR_LEN;

	if (b[0] & GRE_RECUR_MASK)
		return DECODE_GRE_V0_RECUR;
	if (b[1] & GRE_FLAGS_MASK)
		return DECODE_GRE_V0_FLAGS;
	if (b[0] & GRE_F_KEY)
		h += 4;
	if (b[0] & GRE_F_SEQ)
		h += 4;
	if (b[0] & (GRE_F_CSUM | GRE_F_ROUTE))
		h += 4;
	if (h > len)
		return DECODE_GRE_V0_HDR_BIG;
	/* every entry takes at least 4 bytes: the walk ends within len / 4 */
	while (b[0] & GRE_F_ROUTE) {
		const uint8_t *sre;

		if (h + GRE_SRE_HDR_LEN > len)
			return DECODE_GRE_V0_SRE_BAD;
		sre = b + h;
		h += GRE_SRE_HDR_LEN;
		if (rd16(sre) == 0 && sre[3] == 0)
			break;
		h += sre[3];
		if (h > len)
			return DECODE_GRE_V0_SRE_BAD;
	}
	*hlen = h;
	return DECODE_OK;
}

/* Version 1 (RFC 2637 section 4.1): PPP only, key present, no checksum,
 * routing, strict route or recursion. */
static enum decode_err gre_v1(const uint8_t *b, uint32_t len, uint32_t *hlen)
{
	uint32_t h = GRE_HDR_LEN + 4;

	if (b[0] & GRE_F_CSUM)
		return DECODE_GRE_V1_CHKSUM;
	if (b[0] & GRE_F_ROUTE)
		return DECODE_GRE_V1_ROUTE;
	if (b[0] & GRE_F_SSR)
		return DECODE_GRE_V1_SSR;
	if (b[0] & GRE_RECUR_MASK)
		return DECODE_GRE_V1_RECUR;
	if (b[1] & GRE_FLAGS_MASK)
		return DECODE_GRE_V1_FLAGS;
	if (rd16(b + 2) != TUN_TYPE_PPP)
		return DECODE_GRE_V1_PROTO;
	if (!(b[0] & GRE_F_KEY))
		return DECODE_GRE_V1_NO_KEY;
	if (b[0] & GRE_F_SEQ)
		h += 4;
	if (b[1] & GRE_V1_ACK)
		h += 4;
	if (h > len)
		return DECODE_GRE_V1_HDR_BIG;
	*hlen = h;
	return DECODE_OK;
}

/* ERSPAN type II or III header at b: the mirrored frame becomes the tunnel
 * packet, on the header's VLAN (0: none). */
static enum decode_err erspan(struct packet *p, const uint8_t *b, uint32_t len, bool type3)
{
	uint32_t hlen = type3 ? ERSPAN3_HDR_LEN : ERSPAN2_HDR_LEN;

	if (len < hlen)
		return DECODE_ERSPAN_TRUNC;
	if ((b[0] >> 4) != (type3 ? 2 : 1))
		return DECODE_ERSPAN_VER_BAD;
	if (type3 && (b[11] & 0x01)) {
		hlen += ERSPAN3_SUB_LEN;
		if (len < hlen)
			return DECODE_ERSPAN_TRUNC;
	}
	/* Suricata's mirrored frame keeps the carrier's VLAN tags and adds
	 * the header's: past two, erspan.too_many_vlan_layers */
	if ((rd16(b) & 0x0fff) != 0 && p->vlan_cnt >= VLAN_MAX)
		return DECODE_ERSPAN_VLAN_TOO_MANY;
	decode_set_tunnel(p, b + hlen, len - hlen, TUN_TYPE_ETHERNET, PKT_SRC_GRE);
	p->tun.vlan = rd16(b) & 0x0fff;
	return DECODE_OK;
}

enum decode_err decode_gre(struct packet *p, const uint8_t *b, uint32_t len,
			   const struct decode_opts *o)
{
	uint32_t hlen = 0;
	uint16_t proto;
	bool seq;
	enum decode_err err;

	p->encaps |= PKT_ENC_GRE;
	if (len < GRE_HDR_LEN)
		return DECODE_GRE_TRUNC;
	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	switch (b[1] & GRE_VER_MASK) {
	case 0:
		err = gre_v0(b, len, &hlen);
		break;
	case 1:
		err = gre_v1(b, len, &hlen);
		/* PPTP's key holds the payload length: 0 is a bare ack */
		if (err == DECODE_OK && rd16(b + 4) == 0)
			return DECODE_OK;
		break;
	default:
		return DECODE_GRE_VER_BAD;
	}
	if (err != DECODE_OK)
		return err;

	proto = rd16(b + 2);
	seq = (b[0] & GRE_F_SEQ) != 0;
	b += hlen;
	len -= hlen;
	switch (proto) {
	case ETHERTYPE_ERSPAN:
		p->encaps |= PKT_ENC_ERSPAN;
		if (!seq) {
			/* type I: the frame right after the GRE header */
			decode_set_tunnel(p, b, len, TUN_TYPE_ETHERNET, PKT_SRC_GRE);
			return DECODE_OK;
		}
		return erspan(p, b, len, false);
	case ETHERTYPE_ERSPAN3:
		p->encaps |= PKT_ENC_ERSPAN;
		return erspan(p, b, len, true);
	case ETHERTYPE_IPV4:
	case ETHERTYPE_IPV6:
	case ETHERTYPE_8021Q:
	case ETHERTYPE_ARP:
	case ETHERTYPE_MPLS:
	case ETHERTYPE_NSH:
	case TUN_TYPE_ETHERNET:
	case TUN_TYPE_PPP:
		decode_set_tunnel(p, b, len, proto, PKT_SRC_GRE);
		return DECODE_OK;
	default:
		/* WCCP, keepalives, ...: a GRE packet with nothing to inspect */
		return DECODE_OK;
	}
}
