/* SPDX-License-Identifier: MIT */
/* Internal interface between the per-layer decoders. Each layer decoder gets
 * a pointer to its header and the number of bytes it may read from there
 * (already bounded by the frame and by the enclosing IP total length), fills
 * its part of struct packet and returns DECODE_OK or its error. */
#ifndef IDS_DECODE_INT_H
#define IDS_DECODE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define ETH_HDR_LEN      14
#define VLAN_HDR_LEN     4
#define VLAN_MAX         2
#define IPV4_HDR_LEN     20
#define IPV6_HDR_LEN     40
#define TCP_HDR_LEN      20
#define UDP_HDR_LEN      8
#define ICMP_HDR_LEN     8     /* type, code, checksum + 4 bytes rest-of-header */

#define ETHERTYPE_IPV4   0x0800
#define ETHERTYPE_IPV6   0x86dd
#define ETHERTYPE_8021Q  0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_QINQ   0x9100 /* pre-802.1ad QinQ, still seen in the wild */
#define ETHERTYPE_ARP    0x0806
#define ETHERTYPE_MPLS   0x8847
#define ETHERTYPE_MPLS_MC 0x8848
#define ETHERTYPE_PPPOE_DISC 0x8863
#define ETHERTYPE_PPPOE_SESS 0x8864
#define ETHERTYPE_VNTAG  0x8926
#define ETHERTYPE_ETAG   0x893f
#define ETHERTYPE_NSH    0x894f
#define ETHERTYPE_ERSPAN 0x88be /* GRE protocol of ERSPAN types I and II */
#define ETHERTYPE_ERSPAN3 0x22eb
#define ETHERTYPE_8021AH 0x88e7 /* provider backbone bridging (MAC-in-MAC) */
#define ETHERTYPE_DCE    0x8903 /* Cisco FabricPath / DCE */

#define IPPROTO_NUM_HOPOPTS  0
#define IPPROTO_NUM_ICMP     1
#define IPPROTO_NUM_IPIP     4
#define IPPROTO_NUM_TCP      6
#define IPPROTO_NUM_UDP      17
#define IPPROTO_NUM_IPV6     41
#define IPPROTO_NUM_ROUTING  43
#define IPPROTO_NUM_GRE      47
#define IPPROTO_NUM_FRAGMENT 44
#define IPPROTO_NUM_ESP      50
#define IPPROTO_NUM_AH       51
#define IPPROTO_NUM_ICMPV6   58
#define IPPROTO_NUM_NONE     59
#define IPPROTO_NUM_DSTOPTS  60
#define IPPROTO_NUM_SCTP     132
#define IPPROTO_NUM_MOBILITY 135

/* Raise decoder event ev on p (Suricata's ENGINE_SET_EVENT). */
static inline void decode_ev_set(struct packet *p, enum decode_ev ev)
{
	p->dec_ev |= 1ull << ev;
}

/* Unaligned big-endian loads: frames come at any alignment (VLAN tags, IP
 * options), so never cast to a wider type. */
static inline uint16_t rd16(const uint8_t *b)
{
	return (uint16_t)((b[0] << 8) | b[1]);
}

static inline uint32_t rd32(const uint8_t *b)
{
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/* decode_eth.c: p->data/p->len, VLAN tags, then IPv4/IPv6 by ethertype.
 * decode_ethertype() is the part after the MAC addresses: type is the
 * ethertype (or TPID) that b/len follow; other link layers that name their
 * payload by ethertype (Linux cooked) continue there. */
enum decode_err decode_eth(struct packet *p, const struct decode_opts *o);
enum decode_err decode_ethertype(struct packet *p, const uint8_t *b, uint32_t len,
				 uint16_t type, const struct decode_opts *o);
/* An Ethernet header at b (len bytes), then decode_ethertype(). */
enum decode_err decode_eth_at(struct packet *p, const uint8_t *b, uint32_t len,
			      const struct decode_opts *o);
/* True for the ethertypes decode_ethertype() knows (Suricata's
 * DecodeNetworkLayer list): VN-Tag and E-Tag call anything else unknown. */
bool decode_ethertype_known(uint16_t type);

/* (added) One more encapsulation layer around p; false past
 * decoder.max-layers, whose error the caller returns. Every layer decoder
 * calls it first, so nesting (and the recursion between them) is bounded. */
static inline bool decode_layer(struct packet *p, const struct decode_opts *o)
{
	unsigned max = o->max_layers ? o->max_layers : DECODE_MAX_LAYERS_DEFAULT;

	return ++p->layers <= max;
}

/* decode_encap.c: layers inside one packet, reached by ethertype. */
enum decode_err decode_mpls(struct packet *p, const uint8_t *b, uint32_t len,
			    const struct decode_opts *o);
enum decode_err decode_pppoe_disc(struct packet *p, const uint8_t *b, uint32_t len,
				  const struct decode_opts *o);
enum decode_err decode_pppoe_sess(struct packet *p, const uint8_t *b, uint32_t len,
				  const struct decode_opts *o);
enum decode_err decode_vntag(struct packet *p, const uint8_t *b, uint32_t len,
			     const struct decode_opts *o);
enum decode_err decode_etag(struct packet *p, const uint8_t *b, uint32_t len,
			    const struct decode_opts *o);
enum decode_err decode_nsh(struct packet *p, const uint8_t *b, uint32_t len,
			   const struct decode_opts *o);

/* decode_link.c: a PPP frame at b (optional HDLC address/control, the
 * protocol field, compressed or not), as the PPP link and PPTP carry it. */
enum decode_err decode_ppp_at(struct packet *p, const uint8_t *b, uint32_t len,
			      const struct decode_opts *o);

/* decode_gre.c / decode_tunnel.c: tunnel headers after the outer IP layer;
 * they fill p->tun when a payload is to be decoded as a packet of its own. */
enum decode_err decode_gre(struct packet *p, const uint8_t *b, uint32_t len,
			   const struct decode_opts *o);
enum decode_err decode_ip_in_ip(struct packet *p, const uint8_t *b, uint32_t len,
				const struct decode_opts *o);
enum decode_err decode_udp_tunnel(struct packet *p, const struct decode_opts *o);

/* Hands the len bytes at b over as p's tunnel payload. */
static inline void decode_set_tunnel(struct packet *p, const uint8_t *b, uint32_t len,
				     uint16_t type, uint8_t src)
{
	p->tun = (struct pkt_tunnel){ .data = b, .len = len, .type = type, .src = src };
}

/* decode_link.c: p->data/p->len for every p->link but Ethernet. */
enum decode_err decode_link(struct packet *p, const struct decode_opts *o);

/* decode_ipv4.c / decode_ipv6.c: b is the IP header, len the bytes captured
 * from there to the end of the frame (Ethernet padding included). */
enum decode_err decode_ipv4(struct packet *p, const uint8_t *b, uint32_t len,
			    const struct decode_opts *o);
enum decode_err decode_ipv6(struct packet *p, const uint8_t *b, uint32_t len,
			    const struct decode_opts *o);

/* decode_l4.c: dispatch on p->proto for the L4 header at b, len bytes up to
 * the end of the IP payload. first_frag: the IP packet is the first fragment
 * of a larger datagram, so an L4 header cut by the fragment boundary is not
 * an error (PKT_F_L4_PARTIAL, p->l4 NULL) and no L4 checksum can be checked.
 * csum_dst: IPv6 final destination for the pseudo header when a routing
 * header still has segments left, else NULL (p->dst is used).
 * Unknown protocols leave p->l4 NULL and are not errors. */
enum decode_err decode_l4(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag,
			  const uint8_t *csum_dst, const struct decode_opts *o);

/* Marks the packet as carrying no (complete) L4 header: a fragment. */
static inline void decode_l4_partial(struct packet *p)
{
	p->flags |= PKT_F_L4_PARTIAL;
	p->l4 = NULL;
	p->l4_len = 0;
}

enum decode_err decode_tcp(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag);
enum decode_err decode_udp(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag);
enum decode_err decode_icmpv4(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag);
enum decode_err decode_icmpv6(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag);

/* checksum.c: true when the checksum verifies. csum_ipv4_hdr_ok() reads
 * p->l3 for p->ip_hlen bytes; csum_l4_ok() reads p->l4 for p->l4_len bytes
 * with the pseudo header built from p (addresses, proto), the destination
 * replaced by csum_dst (16 bytes) when not NULL. */
bool csum_ipv4_hdr_ok(const struct packet *p);
bool csum_l4_ok(const struct packet *p, const uint8_t *csum_dst);

#endif
