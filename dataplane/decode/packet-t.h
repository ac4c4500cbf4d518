/* SPDX-License-Identifier: MIT */
/* A decoded packet: pointers into the frame plus the header fields the flow
 * and detect stages read. Filled by decode_packet(); never owns the frame. */
#ifndef IDS_PACKET_T_H
#define IDS_PACKET_T_H

#include <stdbool.h>
#include <stdint.h>

#include "../../common/events-t.h"
#include "../../common/ip_addr-t.h"

struct flow;
struct packet;

/* Why decode rejected a packet. Each has a counter "decoder.event.<name>" so
 * every rejection is visible in stats. A packet with an error is counted and
 * forwarded (IPS) but not tracked or inspected. Bad checksums are not errors:
 * they set PKT_F_CSUM_BAD (only with -k all), as Suricata which still runs
 * packet rules on them and keeps them out of stream reassembly. */
enum decode_err {
	DECODE_OK = 0,
	DECODE_ETH_TRUNC,
	DECODE_VLAN_TRUNC,
	DECODE_VLAN_TOO_MANY,
	DECODE_VLAN_TYPE_BAD,
	DECODE_IPV4_SMALL,
	DECODE_IPV4_TRUNC,
	DECODE_IPV4_HLEN_BAD,
	DECODE_IPV4_LEN_BAD,
	DECODE_IPV4_VER_BAD,
	DECODE_IPV4_OPT_BAD,
	DECODE_IPV4_OPT_MALFORMED,
	DECODE_IPV6_SMALL,
	DECODE_IPV6_TRUNC,
	DECODE_IPV6_VER_BAD,
	DECODE_IPV6_EXTHDR_BAD,
	DECODE_TCP_TRUNC,
	DECODE_TCP_HLEN_BAD,
	DECODE_TCP_OPT_BAD,
	DECODE_UDP_HLEN_SMALL,
	DECODE_UDP_TRUNC,
	DECODE_UDP_LEN_BAD,
	DECODE_ICMPV4_TRUNC,
	DECODE_ICMPV6_TRUNC,
	DECODE_IPV4_WITH_ICMPV6,   /* no ICMPv6 decoding in IPv4: Suricata's invalid event */
	/* (added) link layers other than Ethernet (capture files) */
	DECODE_SLL_TRUNC,
	DECODE_SLL2_TRUNC,
	DECODE_NULL_TRUNC,
	DECODE_NULL_UNSUP,
	DECODE_PPP_TRUNC,
	DECODE_PPP_UNSUP,
	DECODE_PPP_VJU_TRUNC,
	DECODE_PPP_IPV4_TRUNC,
	DECODE_PPP_IPV6_TRUNC,
	DECODE_PPP_TYPE_BAD,
	DECODE_RAW_VER_BAD,
	DECODE_CHDLC_TRUNC,
	/* (added) encapsulations; those of the tunnel headers carried by IP
	 * (GRE, ERSPAN, VXLAN, Geneve, IP in IPv6) leave the outer IP layer
	 * valid, the others (MPLS, PPPoE, VN-Tag, E-Tag, NSH) are below it;
	 * GRE_TRUNC to IPV6_IN_IPV6_VER_BAD stay together (decode_err_is_l4) */
	DECODE_TOO_MANY_LAYERS,
	DECODE_GRE_TRUNC,
	DECODE_GRE_VER_BAD,
	DECODE_GRE_V0_RECUR,
	DECODE_GRE_V0_FLAGS,
	DECODE_GRE_V0_HDR_BIG,
	DECODE_GRE_V0_SRE_BAD,
	DECODE_GRE_V1_CHKSUM,
	DECODE_GRE_V1_ROUTE,
	DECODE_GRE_V1_SSR,
	DECODE_GRE_V1_RECUR,
	DECODE_GRE_V1_FLAGS,
	DECODE_GRE_V1_NO_KEY,
	DECODE_GRE_V1_PROTO,
	DECODE_GRE_V1_HDR_BIG,
	DECODE_ERSPAN_TRUNC,
	DECODE_ERSPAN_VER_BAD,
	DECODE_ERSPAN_VLAN_TOO_MANY,
	DECODE_VXLAN_PAYLOAD_BAD,
	DECODE_GENEVE_PAYLOAD_BAD,
	DECODE_IPV4_IN_IPV6_TRUNC,
	DECODE_IPV4_IN_IPV6_VER_BAD,
	DECODE_IPV6_IN_IPV6_TRUNC,
	DECODE_IPV6_IN_IPV6_VER_BAD,
	DECODE_MPLS_HDR_TRUNC,
	DECODE_MPLS_TRUNC,
	DECODE_MPLS_ROUTER_ALERT,
	DECODE_MPLS_IMPLICIT_NULL,
	DECODE_MPLS_RESERVED,
	DECODE_MPLS_PAYLOAD_BAD,
	DECODE_PPPOE_TRUNC,
	DECODE_PPPOE_CODE_BAD,
	DECODE_PPPOE_TAGS_BAD,
	DECODE_VNTAG_TRUNC,
	DECODE_VNTAG_TYPE_BAD,
	DECODE_ETAG_TRUNC,
	DECODE_ETAG_TYPE_BAD,
	DECODE_NSH_TRUNC,
	DECODE_NSH_VER_BAD,
	DECODE_NSH_LEN_BAD,
	DECODE_NSH_RESERVED,
	DECODE_NSH_TYPE_BAD,
	DECODE_NSH_PAYLOAD_BAD,
	DECODE_IEEE8021AH_TRUNC,
	DECODE_DCE_TRUNC,
	DECODE_ERR_MAX
};

/* (added) Link layer of p->data, from the port (a capture file's link type).
 * Ethernet is 0 so that a zeroed packet is Ethernet. */
enum pkt_link {
	PKT_LINK_ETHERNET = 0,
	PKT_LINK_SLL,          /* Linux cooked v1 (tcpdump -i any) */
	PKT_LINK_SLL2,         /* Linux cooked v2 */
	PKT_LINK_NULL,         /* BSD loopback, family in host order of the capturer */
	PKT_LINK_LOOP,         /* OpenBSD loopback, family in network order */
	PKT_LINK_PPP,          /* PPP protocol field, optional HDLC address/control */
	PKT_LINK_RAW,          /* raw IP, version from the first nibble */
	PKT_LINK_IPV4,         /* raw IPv4 only */
	PKT_LINK_IPV6,         /* raw IPv6 only */
	PKT_LINK_CHDLC,        /* Cisco HDLC: address, control, ethertype */
	PKT_LINK_MAX
};

enum pkt_dir { PKT_TO_SERVER = 0, PKT_TO_CLIENT = 1 };

/* (added) Where a packet comes from: the wire, or the decoder of the tunnel
 * it was carried in (EVE "pkt_src", as Suricata's PktSrcToString). */
enum pkt_src {
	PKT_SRC_WIRE = 0,
	PKT_SRC_GRE,           /* "gre tunnel" (ERSPAN included) */
	PKT_SRC_IPV4,          /* "ipv4 tunnel": IPv4 or IPv6 in IPv4 */
	PKT_SRC_IPV6,          /* "ipv6 tunnel": IPv4 or IPv6 in IPv6 */
	PKT_SRC_TEREDO,        /* "teredo tunnel" */
	PKT_SRC_VXLAN,         /* "vxlan encapsulation" */
	PKT_SRC_GENEVE,        /* "geneve encapsulation" */
};

/* (added) Ethertypes that only start a tunnel payload, never follow a MAC
 * header here: GRE's and Geneve's names for an Ethernet frame and PPP. */
#define TUN_TYPE_ETHERNET 0x6558
#define TUN_TYPE_PPP      0x880b

/* (added) What a tunnelled packet inherits, set by whoever builds it from
 * the packet that carried it (decode_tunnel_init()); all zero on the wire. */
struct pkt_origin {
	const struct packet *root; /* the wire packet it came in; NULL on the wire */
	uint16_t type;         /* ethertype of the header at data (TUN_TYPE_* or an
				* ethertype); 0: the link layer (p->link) */
	uint16_t vlan;         /* VLAN id from the tunnel header (ERSPAN), 0: none */
	uint8_t depth;         /* tunnels around it: Suricata's recursion level */
	uint8_t src;           /* enum pkt_src */
	uint8_t layers;        /* encapsulation layers decoded around it so far */
};

/* (added) A tunnel payload found by the decoder: the next packet to decode. */
struct pkt_tunnel {
	const uint8_t *data;   /* NULL: none */
	uint32_t len;
	uint16_t type;         /* as pkt_origin.type */
	uint16_t vlan;         /* as pkt_origin.vlan */
	uint8_t src;           /* enum pkt_src of the inner packet */
};

/* p->encaps: encapsulations the decoder went through (decoder.<name> counters) */
#define PKT_ENC_GRE          0x0001u
#define PKT_ENC_ERSPAN       0x0002u
#define PKT_ENC_VXLAN        0x0004u
#define PKT_ENC_GENEVE       0x0008u
#define PKT_ENC_TEREDO       0x0010u
#define PKT_ENC_IPV4_IN_IPV4 0x0020u
#define PKT_ENC_IPV6_IN_IPV4 0x0040u
#define PKT_ENC_IPV4_IN_IPV6 0x0080u
#define PKT_ENC_IPV6_IN_IPV6 0x0100u
#define PKT_ENC_MPLS         0x0200u
#define PKT_ENC_PPPOE        0x0400u
#define PKT_ENC_VNTAG        0x0800u
#define PKT_ENC_ETAG         0x1000u
#define PKT_ENC_NSH          0x2000u
#define PKT_ENC_COUNT        14

/* A reassembly event on a fragment the decoder accepted (Suricata's
 * "ipv4.frag_*" / "ipv6.frag_*" decoder events; the family comes from
 * p->ip_ver). Set by defrag; decode-event rules match it by name. */
enum pkt_frag_ev {
	PKT_FRAG_EV_NONE = 0,
	PKT_FRAG_EV_TOO_LARGE,       /* frag_pkt_too_large */
	PKT_FRAG_EV_OVERLAP,         /* frag_overlap */
	PKT_FRAG_EV_INVALID_LENGTH,  /* frag_invalid_length */
	PKT_FRAG_EV_IGNORED,         /* frag_ignored: not kept for reassembly */
	PKT_FRAG_EV_MAX
};

/* (added) Decoder events that do not reject the packet by themselves
 * (Suricata's ENGINE_SET_EVENT, as opposed to p->err; a packet rejected
 * further on keeps those raised before, as Suricata logs both): bits
 * 1ull << DEV_* of p->dec_ev, named by decode_ev_name(). */
enum decode_ev {
	DEV_ICMPV4_UNKNOWN_TYPE = 0, /* icmpv4.unknown_type */
	DEV_ICMPV4_UNKNOWN_CODE,     /* icmpv4.unknown_code */
	DEV_ICMPV4_IPV4_TRUNC,       /* icmpv4.ipv4_trunc_pkt: timestamp or router advert cut */
	DEV_TCP_OPT_INVALID_LEN,     /* tcp.opt_invalid_len: a known option, wrong length */
	DEV_TCP_OPT_DUPLICATE,       /* tcp.opt_duplicate: a known option twice */
	DEV_ICMPV6_UNKNOWN_TYPE,     /* icmpv6.unknown_type */
	DEV_ICMPV6_UNKNOWN_CODE,     /* icmpv6.unknown_code */
	DEV_ICMPV6_UNASSIGNED_TYPE,  /* icmpv6.unassigned_type (IANA) */
	DEV_ICMPV6_EXPERIMENT_TYPE,  /* icmpv6.experimentation_type (IANA) */
	DEV_ICMPV6_MLD_BAD_HL,       /* icmpv6.mld_message_with_invalid_hl: hop limit not 1 */
	DEV_ICMPV4_INNER_VER_BAD,    /* icmpv4.ipv4_unknown_ver: quoted header not IPv4 */
	DEV_ICMPV6_INNER_TRUNC,      /* icmpv6.ipv6_trunc_pkt: quoted header cut short */
	DEV_ICMPV6_INNER_VER_BAD,    /* icmpv6.ipv6_unknown_version: quoted header not IPv6 */
	DEV_IPV4_OPT_INVALID,        /* ipv4.opt_invalid: an option type not known */
	DEV_IPV4_OPT_EOL_REQUIRED,   /* ipv4.opt_eol_required: one byte left, not EOL */
	DEV_IPV4_OPT_DUPLICATE,      /* ipv4.opt_duplicate: a known option twice */
	DEV_IPV6_DUPL_FH,            /* ipv6.exthdr_dupl_fh */
	DEV_IPV6_USELESS_FH,         /* ipv6.exthdr_useless_fh: offset 0, no more fragments */
	DEV_IPV6_DUPL_RH,            /* ipv6.exthdr_dupl_rh */
	DEV_IPV6_DUPL_HH,            /* ipv6.exthdr_dupl_hh */
	DEV_IPV6_DUPL_DH,            /* ipv6.exthdr_dupl_dh: a third destination options header */
	DEV_IPV6_DUPL_AH,            /* ipv6.exthdr_dupl_ah */
	DEV_IPV6_INVALID_OPTLEN,     /* ipv6.exthdr_invalid_optlen: an option past its header */
	DEV_IPV6_AH_RES_NOT_NULL,    /* ipv6.exthdr_ah_res_not_null */
	DEV_IPV6_HOPOPTS_UNKNOWN,    /* ipv6.hopopts_unknown_opt */
	DEV_IPV6_HOPOPTS_PADDING,    /* ipv6.hopopts_only_padding */
	DEV_IPV6_DSTOPTS_UNKNOWN,    /* ipv6.dstopts_unknown_opt */
	DEV_IPV6_DSTOPTS_PADDING,    /* ipv6.dstopts_only_padding */
	DEV_IPV6_RH_TYPE_0,          /* ipv6.rh_type_0 (RFC 5095 deprecates it) */
	DEV_IPV6_FH_RESERVED,        /* ipv6.fh_non_zero_reserved_field */
	DEV_IPV6_DATA_AFTER_NONE,    /* ipv6.data_after_none_header */
	DEV_IPV6_WITH_ICMPV4,        /* ipv6.icmpv4 */
	DEV_IPV4_OPT_PAD_REQUIRED,   /* ipv4.opt_pad_required: options not a multiple of 8 bytes */
	DEV_IPV6_ZERO_LEN_PADN,      /* ipv6.zero_len_padn: a PadN option with no data */
	DEV_IPV6_UNKNOWN_NH,         /* ipv6.unknown_next_header: an upper layer Suricata 7 has
				      * no decoder case for */
	DEV_MAX
};

/* p->flags */
#define PKT_F_IPV4_FRAG    0x0001u /* IPv4 fragment (MF set or offset != 0) */
#define PKT_F_IPV6_FRAG    0x0002u /* IPv6 Fragment header present */
#define PKT_F_L4_PARTIAL   0x0004u /* fragment: L4 header not (fully) present */
#define PKT_F_TRUNCATED    0x0008u /* caplen < wire length */
#define PKT_F_TCP_MSS      0x0010u /* TCP options carried an MSS */
#define PKT_F_TCP_WSCALE   0x0020u
#define PKT_F_TCP_SACKOK   0x0040u
#define PKT_F_TCP_TS       0x0080u
#define PKT_F_HAS_FLOW     0x0100u /* p->flow is valid */
#define PKT_F_REASSEMBLED  0x0200u /* built by defrag, not seen on the wire */
#define PKT_F_CSUM_BAD     0x0400u /* an IPv4/TCP/UDP/ICMP checksum failed (-k all) */
#define PKT_F_STREAM_ADD   0x0800u /* its TCP data went into the stream: tcp rules see it there */
#define PKT_F_PSEUDO       0x1000u /* no frame: stands for a stream flushed at flow end */
#define PKT_F_MODIFIED     0x2000u /* payload rewritten to the stream's data (inline) */
#define PKT_F_TUNNEL_ROOT  0x4000u /* carries a tunnel packet that is inspected on its own:
				    * its payload is not inspected (Suricata's
				    * no-payload-inspection on a tunnel's parent) */
#define PKT_F_STREAM_INVALID 0x8000u /* (added) the stream engine refused it (its event
				      * says why) or let it pass unjudged (a closed
				      * session, LAST_ACK's server, a FIN in LAST_ACK or
				      * TIME_WAIT): its data and ack stay out of the stream */
#define PKT_F_TCP_TFO      0x10000u /* (added) TCP Fast Open option (34, or 254 with magic) */
#define PKT_F_TCP_AUTH     0x20000u /* (added) TCP MD5 signature (19) or TCP-AO (29) option */
#define PKT_F_NO_PAYLOAD   0x40000u /* (added) its payload is not inspected (Suricata's
				     * PKT_NOPAYLOAD_INSPECTION: encrypted TLS data) */
#define PKT_F_MIDSTREAM    0x80000u /* (added) a TCP packet of a flow with no session that
				     * is no SYN: a midstream pickup (stream.midstream)
				     * or a refused one, where stream.midstream-policy
				     * applies (Suricata's StreamTcpPacketStateNone) */

/* (added) p->csum: which checksum failed, for the <layer>-csum keywords */
#define PKT_CSUM_CHECKED 0x01u /* checksums were validated (-k all) */
#define PKT_CSUM_L3_BAD  0x02u /* the IPv4 header's failed (PKT_F_CSUM_BAD set too) */
#define PKT_CSUM_L4_BAD  0x04u /* the TCP/UDP/ICMP one failed (PKT_F_CSUM_BAD set too) */

/* TCP flag bits as on the wire (byte 13 of the header). */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

struct pkt_tcp {
	uint32_t seq;          /* host order */
	uint32_t ack;
	uint16_t win;
	uint8_t flags;         /* TCP_* */
	uint8_t hlen;          /* header length in bytes, options included */
	uint16_t mss;          /* valid with PKT_F_TCP_MSS */
	uint8_t wscale;        /* valid with PKT_F_TCP_WSCALE */
	uint32_t ts_val, ts_ecr; /* valid with PKT_F_TCP_TS */
};

struct pkt_icmp {
	uint8_t type;
	uint8_t code;
	uint16_t id;           /* echo/echo-reply only, host order */
	uint16_t seq;
};

struct packet {
	/* input, set by the caller of decode_packet() */
	const uint8_t *data;   /* first byte of the link header (p->link) */
	uint32_t len;          /* captured length */
	uint32_t wire_len;     /* original length (pcap), == len on a NIC */
	uint64_t ts_us;        /* capture time, microseconds since the epoch */
	uint64_t pcap_cnt;     /* 1-based packet number in the input */
	uint16_t port_id;
	uint8_t link;          /* (added) enum pkt_link; 0 (Ethernet) by default */
	struct pkt_origin origin; /* (added) tunnel packets only; zero on the wire */

	/* link layer */
	uint16_t eth_type;     /* innermost ethertype, host order (other links: the
				* ethertype their protocol field stands for) */
	uint8_t vlan_cnt;
	uint16_t vlan_id[2];   /* outer first */
	uint16_t encaps;       /* (added) PKT_ENC_* */
	uint8_t layers;        /* (added) encapsulation layers, origin.layers included */

	/* network layer; ip_ver == 0: no IP (ARP, ...) */
	uint8_t ip_ver;        /* 4 or 6 */
	uint8_t proto;         /* L4 protocol (after IPv6 extension headers) */
	uint8_t ttl;           /* TTL or hop limit */
	uint8_t tos;           /* IPv4 TOS or IPv6 traffic class */
	uint16_t ip_id;        /* IPv4 id, host order (IPv6: low 16 bits of frag id) */
	uint16_t frag_off;     /* fragment offset in bytes */
	uint8_t frag_mf;       /* more fragments */
	uint8_t ip_hlen;       /* IPv4 header length (options included) / 40 */
	uint16_t ipv4_opts;    /* bitmap of IPv4 options seen (IPV4_OPT_*) */
	union ip_addr src, dst;
	const uint8_t *l3;     /* IP header */
	uint32_t l3_len;       /* IP total length, clamped to what was captured */

	/* transport layer; l4 == NULL if absent (non-first fragment, other proto) */
	const uint8_t *l4;
	uint32_t l4_len;
	uint16_t sp, dp;       /* host order; 0 when the protocol has no ports */
	union {
		struct pkt_tcp tcp;
		struct pkt_icmp icmp;
	};

	/* application payload after the L4 header (may be empty, never NULL when l4 is) */
	const uint8_t *payload;
	uint32_t payload_len;

	struct pkt_tunnel tun; /* (added) the packet it carries, if any */

	uint32_t flags;        /* PKT_F_* */
	enum decode_err err;   /* first problem found; DECODE_OK when clean */
	uint8_t frag_ev;       /* enum pkt_frag_ev, set by defrag */
	uint8_t csum;          /* (added) PKT_CSUM_* (beside frag_ev: no hole before dec_ev) */
	uint64_t dec_ev;       /* (added) 1ull << enum decode_ev: decoder events (decode_ev_set) */
	/* (added) stream and app-layer events raised on this packet
	 * (stream-event, app-layer-event:applayer_*), cleared by decode */
	struct pkt_events events;

	/* set by the flow stage */
	struct flow *flow;
	uint8_t dir;           /* enum pkt_dir */
	uint8_t flow_flags;    /* PKT_FLOW_* snapshot used by detect */
};

/* p->flow_flags, computed by flow_update() for this packet */
#define PKT_FLOW_ESTABLISHED 0x01 /* TCP: handshake complete (or midstream); UDP/other: both directions seen */
#define PKT_FLOW_TOSERVER    0x02
#define PKT_FLOW_TOCLIENT    0x04
#define PKT_FLOW_FIRST       0x08 /* first packet of the flow */

/* IPv4 option bitmap (p->ipv4_opts), names as Suricata's ipopts keyword */
#define IPV4_OPT_RR    0x0001 /* rr */
#define IPV4_OPT_EOL   0x0002 /* eol */
#define IPV4_OPT_NOP   0x0004 /* nop */
#define IPV4_OPT_TS    0x0008 /* ts */
#define IPV4_OPT_SEC   0x0010 /* sec */
#define IPV4_OPT_ESEC  0x0020 /* esec */
#define IPV4_OPT_LSRR  0x0040 /* lsrr */
#define IPV4_OPT_SSRR  0x0080 /* ssrr */
#define IPV4_OPT_SATID 0x0100 /* satid */
#define IPV4_OPT_OTHER 0x0200 /* any other (Suricata's "any" matches all) */

#endif
