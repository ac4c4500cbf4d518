/* SPDX-License-Identifier: MIT */
/* Link layers of capture files other than Ethernet: each one finds the
 * network layer and hands it to the IPv4/IPv6 decoders (or, for Linux
 * cooked captures, to the ethertype dispatch, VLAN tags included).
 *
 * Linux cooked v1 (LINKTYPE_LINUX_SLL, 16 bytes):
 * +-------------+-------------+-------------+---------------------------+
 * | packet type | ARPHRD type | addr length | link-layer address (8)    |
 * +-------------+-------------+-------------+---------------------------+
 * | protocol (ethertype, 2)   | payload ...
 *
 * Linux cooked v2 (LINKTYPE_LINUX_SLL2, 20 bytes):
 * +---------------+----------+-----------------+-------------+--------+--------+
 * | protocol (2)  | resv (2) | interface (4)   | ARPHRD (2)  | type(1)| alen(1)|
 * +---------------+----------+-----------------+-------------+--------+--------+
 * | link-layer address (8)   | payload ...
 *
 * BSD loopback (LINKTYPE_NULL, LINKTYPE_LOOP): a 4-byte address family,
 * in the capturing host's byte order for NULL and big endian for LOOP;
 * both orders are accepted for both, as captures travel between hosts.
 * AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD, OpenBSD),
 * 28 (FreeBSD) or 30 (macOS).
 *
 * PPP (LINKTYPE_PPP, RFC 1661): optional HDLC address/control 0xff 0x03
 * (RFC 1662), then the protocol field, one byte when compressed (RFC 1661
 * section 6.5: an odd first byte ends the field): 0x0021 IPv4, 0x0057 IPv6,
 * 0x002f Van Jacobson uncompressed TCP/IP (RFC 1144).
 *
 * Raw IP (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6): the IP header first.
 *
 * Cisco HDLC (LINKTYPE_C_HDLC): address (0x0f, 0x8f), control (0), then an
 * ethertype, 4 bytes in all.
 */
#include "decode-int.h"

#define SLL_HDR_LEN   16
#define SLL2_HDR_LEN  20
#define NULL_HDR_LEN  4
#define CHDLC_HDR_LEN 4

#define PPP_IPV4      0x0021
#define PPP_IPV6      0x0057
#define PPP_VJ_UNCOMP 0x002f

static bool af_is_inet6(uint32_t af)
{
	return af == 10 || af == 24 || af == 28 || af == 30;
}

/* The family in whichever byte order makes it a small number. */
static uint32_t null_family(const uint8_t *b)
{
	uint32_t be = rd32(b);
	uint32_t le = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		      (uint32_t)b[3] << 24;

	return be <= 0xff ? be : le;
}

static enum decode_err decode_null(struct packet *p, const struct decode_opts *o)
{
	uint32_t af;

	if (p->len < NULL_HDR_LEN)
		return DECODE_NULL_TRUNC;
	af = null_family(p->data);
	if (af == 2) {
		p->eth_type = ETHERTYPE_IPV4;
		return decode_ipv4(p, p->data + NULL_HDR_LEN, p->len - NULL_HDR_LEN, o);
	}
	if (af_is_inet6(af)) {
		p->eth_type = ETHERTYPE_IPV6;
		return decode_ipv6(p, p->data + NULL_HDR_LEN, p->len - NULL_HDR_LEN, o);
	}
	return DECODE_NULL_UNSUP;
}

/* Protocols a PPP link carries that are not IP (RFC 1661 and the
 * assigned numbers, as Suricata 7 lists them): ppp.unsup_proto. Any other
 * number is ppp.wrong_type. */
static bool ppp_proto_known(uint16_t proto)
{
	switch (proto) {
	case 0x0023: case 0x0025: case 0x0027: case 0x0029: /* OSI, XNS, DECnet, AppleTalk */
	case 0x002b: case 0x002d: case 0x0031: case 0x0033: /* IPX, VJ compressed, bridging, ST-II */
	case 0x0035: case 0x0201: case 0x0231: case 0x0233: /* VINES, 802.1d hello, Luxcom, Sigma */
	case 0x0281: case 0x0283:                           /* MPLS */
	case 0x8021: case 0x8023: case 0x8025: case 0x8027: /* their network control protocols */
	case 0x8029: case 0x802b: case 0x8033: case 0x8035:
	case 0x8057: case 0x8281:
	case 0xc021: case 0xc023: case 0xc025: case 0xc223: /* LCP, PAP, LQR, CHAP */
		return true;
	default:
		return false;
	}
}

enum decode_err decode_ppp_at(struct packet *p, const uint8_t *b, uint32_t len,
			      const struct decode_opts *o)
{
	uint16_t proto;

	if (len >= 2 && b[0] == 0xff && b[1] == 0x03) {
		b += 2;
		len -= 2;
	}
	if (len < 1)
		return DECODE_PPP_TRUNC;
	if (b[0] & 0x01) {
		proto = b[0];
		b += 1;
		len -= 1;
	} else {
		if (len < 2)
			return DECODE_PPP_TRUNC;
		proto = rd16(b);
		b += 2;
		len -= 2;
	}
	/* Suricata 7 wants a whole IP header behind the protocol field */
	switch (proto) {
	case PPP_IPV4:
		if (len < IPV4_HDR_LEN)
			return DECODE_PPP_IPV4_TRUNC;
		p->eth_type = ETHERTYPE_IPV4;
		return decode_ipv4(p, b, len, o);
	case PPP_VJ_UNCOMP:
		/* RFC 1144 3.2.3: an IPv4 header whose protocol field holds the
		 * connection number; decoded as IPv4, that number as the
		 * protocol (Suricata 7 reads the TCP header after it when the
		 * number is 0: not done here) */
		if (len < IPV4_HDR_LEN)
			return DECODE_PPP_VJU_TRUNC;
		p->eth_type = ETHERTYPE_IPV4;
		return decode_ipv4(p, b, len, o);
	case PPP_IPV6:
		if (len < IPV6_HDR_LEN)
			return DECODE_PPP_IPV6_TRUNC;
		p->eth_type = ETHERTYPE_IPV6;
		return decode_ipv6(p, b, len, o);
	default:
		/* LCP, IPCP, VJ-compressed TCP, ...: nothing we inspect */
		return ppp_proto_known(proto) ? DECODE_PPP_UNSUP : DECODE_PPP_TYPE_BAD;
	}
}

static enum decode_err decode_raw(struct packet *p, const struct decode_opts *o)
{
	if (p->len < 1)
		return DECODE_IPV4_TRUNC;
	switch (p->data[0] >> 4) {
	case 4:
		p->eth_type = ETHERTYPE_IPV4;
		return decode_ipv4(p, p->data, p->len, o);
	case 6:
		p->eth_type = ETHERTYPE_IPV6;
		return decode_ipv6(p, p->data, p->len, o);
	default:
		return DECODE_RAW_VER_BAD;
	}
}

enum decode_err decode_link(struct packet *p, const struct decode_opts *o)
{
	switch (p->link) {
	case PKT_LINK_SLL:
		if (p->len < SLL_HDR_LEN)
			return DECODE_SLL_TRUNC;
		return decode_ethertype(p, p->data + SLL_HDR_LEN, p->len - SLL_HDR_LEN,
					rd16(p->data + 14), o);
	case PKT_LINK_SLL2:
		if (p->len < SLL2_HDR_LEN)
			return DECODE_SLL2_TRUNC;
		return decode_ethertype(p, p->data + SLL2_HDR_LEN, p->len - SLL2_HDR_LEN,
					rd16(p->data), o);
	case PKT_LINK_CHDLC:
		if (p->len < CHDLC_HDR_LEN)
			return DECODE_CHDLC_TRUNC;
		return decode_ethertype(p, p->data + CHDLC_HDR_LEN, p->len - CHDLC_HDR_LEN,
					rd16(p->data + 2), o);
	case PKT_LINK_NULL:
	case PKT_LINK_LOOP:
		return decode_null(p, o);
	case PKT_LINK_PPP:
		return decode_ppp_at(p, p->data, p->len, o);
	case PKT_LINK_RAW:
		return decode_raw(p, o);
	case PKT_LINK_IPV4:
		p->eth_type = ETHERTYPE_IPV4;
		return decode_ipv4(p, p->data, p->len, o);
	case PKT_LINK_IPV6:
		p->eth_type = ETHERTYPE_IPV6;
		return decode_ipv6(p, p->data, p->len, o);
	default:
		return decode_eth(p, o);
	}
}

/* LINKTYPE values as libpcap on Linux reports them (pcap_datalink(): raw IP
 * is DLT_RAW, 12, whatever the file says) and as Suricata logs them, with
 * the names Suricata's DatalinkValueToName() gives (libpcap's, but for raw
 * IPv4 and IPv6). */
static const struct {
	uint16_t type;
	const char *name;
} link_names[PKT_LINK_MAX] = {
	[PKT_LINK_ETHERNET] = { 1, "EN10MB" },
	[PKT_LINK_SLL]      = { 113, "LINUX_SLL" },
	[PKT_LINK_SLL2]     = { 276, "LINUX_SLL2" },
	[PKT_LINK_NULL]     = { 0, "NULL" },
	[PKT_LINK_LOOP]     = { 108, "LOOP" },
	[PKT_LINK_PPP]      = { 9, "PPP" },
	[PKT_LINK_RAW]      = { 12, "RAW" },
	/* Suricata's names (util-datalink.c), not libpcap's "IPV4"/"IPV6" */
	[PKT_LINK_IPV4]     = { 228, "IPv4" },
	[PKT_LINK_IPV6]     = { 229, "IPv6" },
	[PKT_LINK_CHDLC]    = { 104, "C_HDLC" },
};

uint16_t decode_link_type(enum pkt_link l)
{
	return (unsigned int)l < PKT_LINK_MAX ? link_names[l].type : 1;
}

const char *decode_link_name(enum pkt_link l)
{
	return (unsigned int)l < PKT_LINK_MAX ? link_names[l].name : "EN10MB";
}

uint16_t decode_pkt_link_type(const struct packet *p)
{
	return p->origin.depth > 0 ? link_names[PKT_LINK_RAW].type : decode_link_type(p->link);
}

const char *decode_pkt_link_name(const struct packet *p)
{
	return p->origin.depth > 0 ? link_names[PKT_LINK_RAW].name : decode_link_name(p->link);
}
