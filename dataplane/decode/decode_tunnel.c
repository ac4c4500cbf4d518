/* SPDX-License-Identifier: MIT */
/* Tunnels carried by IP other than GRE: IP in IP (IPv4 or IPv6 in IPv4,
 * RFC 2003/4213; in IPv6, RFC 2473), and over UDP, tried in Suricata's
 * order on their configured ports: Teredo (RFC 4380), Geneve (RFC 8926),
 * VXLAN (RFC 7348). The payload becomes a tunnel packet (p->tun), which
 * decode_tunnel_init() sets up and decode_packet() decodes from the
 * ethertype it starts with.
 *
 * VXLAN, 8 bytes, then an Ethernet frame:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Geneve, 8 bytes plus options, then the protocol type's payload:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Virtual Network Identifier (VNI)       |    Reserved   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Option Class (16) | Type (8) |R|R|R| Len (5) | data (Len * 4) ...
 * Opt Len and each option's Len count 4-byte words.
 *
 * Teredo: an IPv6 packet, possibly behind an 8-byte origin indication
 * (0x0000, port, address). Nothing marks it, so Suricata's heuristic
 * decides: the IPv6 header must be plausible and fill the datagram
 * exactly, and (the caller's part) the inner packet must decode cleanly.
 */
#include "decode-int.h"

#define VXLAN_HDR_LEN     8
#define GENEVE_HDR_LEN    8
#define GENEVE_OPT_HDR    4
#define TEREDO_ORIGIN_LEN 8

void decode_tunnel_init(struct packet *inner, const struct packet *outer)
{
	*inner = (struct packet){
		.data = outer->tun.data,
		.len = outer->tun.len,
		.wire_len = outer->tun.len,
		.ts_us = outer->ts_us,
		/* as Suricata: the number is the root's, logged in "tunnel" */
		.pcap_cnt = 0,
		.port_id = outer->port_id,
		.link = outer->link,
		.origin = {
			.root = outer->origin.root != NULL ? outer->origin.root : outer,
			.type = outer->tun.type,
			.vlan = outer->tun.vlan,
			.depth = (uint8_t)(outer->origin.depth + 1),
			.src = outer->tun.src,
			.layers = outer->layers,
		},
	};
}

enum decode_err decode_ip_in_ip(struct packet *p, const uint8_t *b, uint32_t len,
				const struct decode_opts *o)
{
	bool inner6 = p->proto == IPPROTO_NUM_IPV6;

	if (!decode_layer(p, o))
		return DECODE_TOO_MANY_LAYERS;
	if (p->ip_ver == 4) {
		p->encaps |= inner6 ? PKT_ENC_IPV6_IN_IPV4 : PKT_ENC_IPV4_IN_IPV4;
		decode_set_tunnel(p, b, len, inner6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4,
				  PKT_SRC_IPV4);
		return DECODE_OK;
	}
	/* in IPv6, Suricata checks the inner header's size and version itself */
	p->encaps |= inner6 ? PKT_ENC_IPV6_IN_IPV6 : PKT_ENC_IPV4_IN_IPV6;
	if (inner6) {
		if (len < IPV6_HDR_LEN)
			return DECODE_IPV6_IN_IPV6_TRUNC;
		if ((b[0] >> 4) != 6)
			return DECODE_IPV6_IN_IPV6_VER_BAD;
	} else {
		if (len < IPV4_HDR_LEN)
			return DECODE_IPV4_IN_IPV6_TRUNC;
		if ((b[0] >> 4) != 4)
			return DECODE_IPV4_IN_IPV6_VER_BAD;
	}
	decode_set_tunnel(p, b, len, inner6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4, PKT_SRC_IPV6);
	return DECODE_OK;
}

/* The datagram's ports name a tunnel t (one of them is enough, as in
 * Suricata); no ports configured: the IANA one. */
static bool tun_port(const struct decode_udp_tunnel *t, uint16_t dflt, uint16_t sp, uint16_t dp)
{
	if (t->disabled)
		return false;
	if (t->nports == 0)
		return sp == dflt || dp == dflt;
	for (unsigned i = 0; i < t->nports && i < DECODE_TUN_PORTS; i++)
		if ((sp >= t->lo[i] && sp <= t->hi[i]) || (dp >= t->lo[i] && dp <= t->hi[i]))
			return true;
	return false;
}

/* Suricata's DecodeTeredo heuristic; true when b looks like Teredo. */
static bool teredo(struct packet *p, const uint8_t *b, uint32_t len)
{
	uint32_t off = 0;
	const uint8_t *ip6;

	if (len < IPV6_HDR_LEN)
		return false;
	if (b[0] == 0) {
		/* only an origin indication may precede (authentication is the
		 * qualification procedure, not tunnelled traffic) */
		if (b[1] != 0 || len < TEREDO_ORIGIN_LEN + IPV6_HDR_LEN)
			return false;
		off = TEREDO_ORIGIN_LEN;
	}
	ip6 = b + off;
	if ((ip6[0] >> 4) != 6 || ip6[7] == 0)
		return false;
	/* a hop-by-hop header with hardly any data: a bogus match */
	if (ip6[6] == IPPROTO_NUM_HOPOPTS && rd16(ip6 + 4) < 8)
		return false;
	if (len != IPV6_HDR_LEN + rd16(ip6 + 4) + off)
		return false;
	p->encaps |= PKT_ENC_TEREDO;
	decode_set_tunnel(p, ip6, len - off, ETHERTYPE_IPV6, PKT_SRC_TEREDO);
	return true;
}

/* Geneve: the header must be version 0 with clear reserved bits and
 * options that add up to its option length; otherwise it is not Geneve. */
static bool geneve_valid(const uint8_t *b, uint32_t len, uint32_t *hlen)
{
	uint32_t h = GENEVE_HDR_LEN + (uint32_t)(b[0] & 0x3f) * 4, off = GENEVE_HDR_LEN;

	if (len < h || (b[0] >> 6) != 0 || (b[1] & 0x3f) != 0 || b[7] != 0)
		return false;
	/* each option takes at least 4 bytes, all lengths are multiples of 4:
	 * while off < h an option header fits */
	while (off < h)
		off += GENEVE_OPT_HDR + (uint32_t)(b[off + 3] & 0x1f) * 4;
	*hlen = h;
	return off == h;
}

static enum decode_err geneve(struct packet *p, const uint8_t *b, uint32_t len, uint32_t hlen)
{
	uint16_t type = rd16(b + 2);

	p->encaps |= PKT_ENC_GENEVE;
	switch (type) {
	case ETHERTYPE_IPV4:
	case ETHERTYPE_IPV6:
	case TUN_TYPE_ETHERNET:
		decode_set_tunnel(p, b + hlen, len - hlen, type, PKT_SRC_GENEVE);
		return DECODE_OK;
	case ETHERTYPE_ARP:
		return DECODE_OK;
	default:
		return DECODE_GENEVE_PAYLOAD_BAD;
	}
}

/* VXLAN: the I flag set and the last reserved byte clear, or it is not
 * VXLAN. The inner packet starts after the inner MAC header (at a VLAN tag
 * if one follows), as Suricata's. */
static enum decode_err vxlan(struct packet *p, const uint8_t *b, uint32_t len)
{
	const uint32_t hlen = VXLAN_HDR_LEN + ETH_HDR_LEN;
	uint16_t type = rd16(b + hlen - 2);

	p->encaps |= PKT_ENC_VXLAN;
	switch (type) {
	case ETHERTYPE_IPV4:
	case ETHERTYPE_IPV6:
	case ETHERTYPE_8021Q:
	case ETHERTYPE_8021AD:
	case ETHERTYPE_QINQ:
		decode_set_tunnel(p, b + hlen, len - hlen, type, PKT_SRC_VXLAN);
		return DECODE_OK;
	case ETHERTYPE_ARP:
		return DECODE_OK;
	default:
		return DECODE_VXLAN_PAYLOAD_BAD;
	}
}

enum decode_err decode_udp_tunnel(struct packet *p, const struct decode_opts *o)
{
	const uint8_t *b = p->payload;
	uint32_t len = p->payload_len, hlen;

	if (tun_port(&o->teredo, DECODE_TEREDO_PORT, p->sp, p->dp) && teredo(p, b, len))
		return decode_layer(p, o) ? DECODE_OK : DECODE_TOO_MANY_LAYERS;
	if (tun_port(&o->geneve, DECODE_GENEVE_PORT, p->sp, p->dp) && len >= GENEVE_HDR_LEN &&
	    geneve_valid(b, len, &hlen)) {
		if (!decode_layer(p, o))
			return DECODE_TOO_MANY_LAYERS;
		return geneve(p, b, len, hlen);
	}
	if (tun_port(&o->vxlan, DECODE_VXLAN_PORT, p->sp, p->dp) &&
	    len >= VXLAN_HDR_LEN + ETH_HDR_LEN && (b[0] & 0x08) && b[7] == 0) {
		if (!decode_layer(p, o))
			return DECODE_TOO_MANY_LAYERS;
		return vxlan(p, b, len);
	}
	return DECODE_OK;
}
