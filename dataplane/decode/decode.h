/* SPDX-License-Identifier: MIT */
/* Decoder: Ethernet (or, from capture files, Linux cooked v1/v2, BSD
 * loopback, PPP, Cisco HDLC, raw IP: p->link), 802.1Q/QinQ, IPv4, IPv6 (extension-header
 * chain), TCP, UDP, ICMPv4, ICMPv6. Reads only within [p->data, p->data + p->len). */
#ifndef IDS_DECODE_H
#define IDS_DECODE_H

#include <stdbool.h>

#include "packet-t.h"

struct decode_opts {
	bool csum_check;       /* -k all: validate IPv4/TCP/UDP/ICMP checksums */
};

/* Decode the frame p->data/p->len into p (the input fields of p must be set,
 * the rest is overwritten). Returns DECODE_OK or the first error, also stored
 * in p->err. On error, the layers decoded before the error stay valid (a
 * truncated TCP header still leaves p->ip_ver, addresses and proto set). */
enum decode_err decode_packet(struct packet *p, const struct decode_opts *o);

/* Short stable name of a decode error, used as the counter name
 * "decoder.event.<name>" (e.g. "ipv4.trunc_pkt"). */
const char *decode_err_name(enum decode_err e);

/* Suricata's name of a reassembly event ("ipv6.frag_overlap"); NULL for
 * PKT_FRAG_EV_NONE or a packet that is not IP. */
const char *decode_frag_ev_name(uint8_t ip_ver, enum pkt_frag_ev ev);

/* (added) The link type of l as Suricata logs it in EVE's packet_info
 * (libpcap's DLT value on Linux: 1 Ethernet, 113 Linux cooked, 12 raw IP,
 * ...) and libpcap's name for it ("EN10MB", "LINUX_SLL", "RAW", ...). */
uint16_t decode_link_type(enum pkt_link l);
const char *decode_link_name(enum pkt_link l);

/* The error is in the transport header: the IP layer (addresses, proto,
 * ttl...) is valid, so IP-level rules still apply, as in Suricata, though
 * the packet gets no flow and no transport fields. */
static inline bool decode_err_is_l4(enum decode_err e)
{
	return e >= DECODE_TCP_TRUNC && e <= DECODE_ICMPV6_TRUNC;
}

#endif
