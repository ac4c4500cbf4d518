/* SPDX-License-Identifier: MIT */
/* Ethernet II with up to two VLAN tags (802.1Q, 802.1ad, legacy 0x9100),
 * then the network layer by ethertype (IP, or an encapsulation: MPLS,
 * PPPoE, VN-Tag, E-Tag, NSH, each in decode_encap.c; 802.1ah and Cisco's
 * DCE, which carry a whole Ethernet header, here). A VLAN tag followed by
 * an ethertype none of these is Suricata's vlan.unknown_type.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    destination MAC (6)                        |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                      source MAC (6)                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      ethertype / TPID         |  PCP|D|      VLAN id (12)     |  <- tag, if TPID
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   inner ethertype / TPID      |  ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
#include "decode-int.h"

static inline bool is_vlan_tpid(uint16_t t)
{
	return t == ETHERTYPE_8021Q || t == ETHERTYPE_8021AD || t == ETHERTYPE_QINQ;
}

enum decode_err decode_eth_at(struct packet *p, const uint8_t *b, uint32_t len,
			      const struct decode_opts *o)
{
	if (len < ETH_HDR_LEN)
		return DECODE_ETH_TRUNC;
	return decode_ethertype(p, b + ETH_HDR_LEN, len - ETH_HDR_LEN, rd16(b + 12), o);
}

enum decode_err decode_eth(struct packet *p, const struct decode_opts *o)
{
	return decode_eth_at(p, p->data, p->len, o);
}

bool decode_ethertype_known(uint16_t type)
{
	switch (type) {
	case ETHERTYPE_IPV4:
	case ETHERTYPE_IPV6:
	case ETHERTYPE_ARP:
	case ETHERTYPE_8021Q:
	case ETHERTYPE_8021AD:
	case ETHERTYPE_QINQ:
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MC:
	case ETHERTYPE_PPPOE_DISC:
	case ETHERTYPE_PPPOE_SESS:
	case ETHERTYPE_VNTAG:
	case ETHERTYPE_ETAG:
	case ETHERTYPE_NSH:
	case ETHERTYPE_8021AH:
	case ETHERTYPE_DCE:
		return true;
	default:
		return false;
	}
}

/* IEEE 802.1ah I-TAG (4 bytes: priority, flags, I-SID), then the customer
 * frame's destination and source MACs and its ethertype: 18 bytes. */
#define IEEE8021AH_HDR_LEN 18
/* Cisco FabricPath / DCE: 2 bytes (FTag, TTL) after the ethertype, then the
 * customer's Ethernet header: Suricata wants 16 bytes. */
#define DCE_HDR_LEN        16
#define DCE_TAG_LEN        2

static enum decode_err decode_8021ah(struct packet *p, const uint8_t *b, uint32_t len,
				     const struct decode_opts *o)
{
	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	if (len < IEEE8021AH_HDR_LEN)
		return DECODE_IEEE8021AH_TRUNC;
	return decode_ethertype(p, b + IEEE8021AH_HDR_LEN, len - IEEE8021AH_HDR_LEN,
				rd16(b + IEEE8021AH_HDR_LEN - 2), o);
}

/* Suricata 7.0 decodes the DCE payload from the tag itself (read as a
 * MAC); later versions skip the tag first, as the frame format says, and
 * so do we. */
static enum decode_err decode_dce(struct packet *p, const uint8_t *b, uint32_t len,
				  const struct decode_opts *o)
{
	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	if (len < DCE_HDR_LEN)
		return DECODE_DCE_TRUNC;
	return decode_eth_at(p, b + DCE_TAG_LEN, len - DCE_TAG_LEN, o);
}

enum decode_err decode_ethertype(struct packet *p, const uint8_t *b, uint32_t len,
				 uint16_t type, const struct decode_opts *o)
{
	uint32_t off = 0;

	/* The loop runs at most VLAN_MAX + 1 times: the third TPID is an error. */
	while (is_vlan_tpid(type)) {
		if (p->vlan_cnt == VLAN_MAX)
			return DECODE_VLAN_TOO_MANY;
		if (!decode_layer(p, o))
			return DECODE_TOO_MANY_LAYERS;
		if (len - off < VLAN_HDR_LEN)
			return DECODE_VLAN_TRUNC;
		p->vlan_id[p->vlan_cnt++] = rd16(b + off) & 0x0fff;
		type = rd16(b + off + 2);
		off += VLAN_HDR_LEN;
	}
	p->eth_type = type;
	if (off > 0 && !decode_ethertype_known(type))
		return DECODE_VLAN_TYPE_BAD;

	b += off;
	len -= off;
	switch (type) {
	case ETHERTYPE_IPV4:
		return decode_ipv4(p, b, len, o);
	case ETHERTYPE_IPV6:
		return decode_ipv6(p, b, len, o);
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MC:
		return decode_mpls(p, b, len, o);
	case ETHERTYPE_PPPOE_DISC:
		return decode_pppoe_disc(p, b, len, o);
	case ETHERTYPE_PPPOE_SESS:
		return decode_pppoe_sess(p, b, len, o);
	case ETHERTYPE_VNTAG:
		return decode_vntag(p, b, len, o);
	case ETHERTYPE_ETAG:
		return decode_etag(p, b, len, o);
	case ETHERTYPE_NSH:
		return decode_nsh(p, b, len, o);
	case ETHERTYPE_8021AH:
		return decode_8021ah(p, b, len, o);
	case ETHERTYPE_DCE:
		return decode_dce(p, b, len, o);
	default:
		/* ARP, LLDP, ...: not IP, nothing more to decode, not an error */
		return DECODE_OK;
	}
}
