/* SPDX-License-Identifier: MIT */
/* Decoder: Ethernet (or, from capture files, Linux cooked v1/v2, BSD
 * loopback, PPP, Cisco HDLC, raw IP: p->link), 802.1Q/QinQ, IPv4, IPv6 (extension-header
 * chain), TCP, UDP, ICMPv4, ICMPv6. Reads only within [p->data, p->data + p->len).
 *
 * Encapsulations as Suricata 7 decodes them. Inside the packet: MPLS,
 * PPPoE, VN-Tag, E-Tag, NSH. Tunnels, whose payload becomes a packet of its
 * own (p->tun, decoded by the caller with decode_tunnel_init() and
 * decode_packet()): GRE (versions 0 and 1/PPTP, ERSPAN types I, II, III),
 * IPv4/IPv6 in IPv4/IPv6, VXLAN, Geneve, Teredo. */
#ifndef IDS_DECODE_H
#define IDS_DECODE_H

#include <stdbool.h>

#include "packet-t.h"

/* UDP ports of a tunnel protocol (decoder.<name>.ports, up to four as
 * Suricata); no ports: the IANA port. */
#define DECODE_TUN_PORTS 4
struct decode_udp_tunnel {
	bool disabled;         /* decoder.<name>.enabled: false */
	uint8_t nports;
	uint16_t lo[DECODE_TUN_PORTS], hi[DECODE_TUN_PORTS];
};

#define DECODE_MAX_LAYERS_DEFAULT 16   /* Suricata's decoder.max-layers */
#define DECODE_MAX_LAYERS_LIMIT   64   /* the most we accept: bounds the recursion */
#define DECODE_VXLAN_PORT  4789
#define DECODE_GENEVE_PORT 6081
#define DECODE_TEREDO_PORT 3544

/* A zeroed struct is Suricata's default configuration. */
struct decode_opts {
	bool csum_check;       /* -k all: validate IPv4/TCP/UDP/ICMP checksums */
	uint8_t max_layers;    /* decoder.max-layers; 0: DECODE_MAX_LAYERS_DEFAULT */
	struct decode_udp_tunnel vxlan, geneve, teredo;
};

/* Sets up inner (its data, len and origin; the other input fields copied
 * from outer) for decode_packet_keep_origin() to decode the payload of
 * outer's tunnel, outer->tun.data being set. The caller keeps outer alive
 * while inner is in use (its origin.root points into the chain). */
void decode_tunnel_init(struct packet *inner, const struct packet *outer);

/* Decode the frame p->data/p->len into p (the input fields of p must be set,
 * the rest is overwritten). Returns DECODE_OK or the first error, also stored
 * in p->err. On error, the layers decoded before the error stay valid (a
 * truncated TCP header still leaves p->ip_ver, addresses and proto set).
 * decode_packet() takes p as a frame off the wire (p->origin is cleared);
 * decode_packet_keep_origin() as what p->origin says: a tunnel packet set
 * up by decode_tunnel_init(), or a datagram reassembled from fragments that
 * were one (their origin copied). */
enum decode_err decode_packet(struct packet *p, const struct decode_opts *o);
enum decode_err decode_packet_keep_origin(struct packet *p, const struct decode_opts *o);

/* Short stable name of a decode error, used as the counter name
 * "decoder.event.<name>" (e.g. "ipv4.trunc_pkt"). */
const char *decode_err_name(enum decode_err e);

/* (added) Suricata's name of a decoder event that kept the packet
 * ("icmpv4.unknown_code"); NULL out of range. */
const char *decode_ev_name(enum decode_ev e);

/* Suricata's name of a reassembly event ("ipv6.frag_overlap"); NULL for
 * PKT_FRAG_EV_NONE or a packet that is not IP. */
const char *decode_frag_ev_name(uint8_t ip_ver, enum pkt_frag_ev ev);

/* (added) The link type of l as Suricata logs it in EVE's packet_info
 * (libpcap's DLT value on Linux: 1 Ethernet, 113 Linux cooked, 12 raw IP,
 * ...) and libpcap's name for it ("EN10MB", "LINUX_SLL", "RAW", ...). */
uint16_t decode_link_type(enum pkt_link l);
const char *decode_link_name(enum pkt_link l);

/* (added) The link type EVE logs for p: its capture's, or for a packet out
 * of a tunnel raw IP (12, "RAW"), as Suricata sets DLT_RAW on those. */
uint16_t decode_pkt_link_type(const struct packet *p);
const char *decode_pkt_link_name(const struct packet *p);

/* The error is in the transport header (or a tunnel header carried by IP):
 * the IP layer (addresses, proto, ttl...) is valid, so IP-level rules still
 * apply, as in Suricata, though the packet gets no flow and no transport
 * fields. */
bool decode_err_is_l4(enum decode_err e);

/* (added) p->data begins with an Ethernet header (EVE's "ether" object). */
static inline bool decode_starts_with_eth(const struct packet *p)
{
	return p->origin.type != 0 ? p->origin.type == TUN_TYPE_ETHERNET :
				     p->link == PKT_LINK_ETHERNET;
}

#endif
