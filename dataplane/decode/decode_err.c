/* SPDX-License-Identifier: MIT */
/* Stable names of decode errors: Suricata's decoder event names (without the
 * "decoder." prefix) wherever Suricata has one for the same condition. */
#include <stddef.h>

#include "decode.h"

static const char *const decode_err_names[DECODE_ERR_MAX] = {
	[DECODE_OK]              = "ok",
	[DECODE_ETH_TRUNC]       = "ethernet.pkt_too_small",
	[DECODE_VLAN_TRUNC]      = "vlan.header_too_small",
	[DECODE_VLAN_TOO_MANY]   = "vlan.too_many_layers",
	/* both "shorter than 20 bytes" and "total length beyond the capture" */
	[DECODE_IPV4_TRUNC]      = "ipv4.trunc_pkt",
	[DECODE_IPV4_HLEN_BAD]   = "ipv4.hlen_too_small",
	[DECODE_IPV4_LEN_BAD]    = "ipv4.iplen_smaller_than_hlen",
	[DECODE_IPV4_VER_BAD]    = "ipv4.wrong_ip_version",
	[DECODE_IPV4_OPT_BAD]    = "ipv4.opt_invalid_len",
	[DECODE_IPV6_TRUNC]      = "ipv6.trunc_pkt",
	[DECODE_IPV6_VER_BAD]    = "ipv6.wrong_ip_version",
	/* no Suricata event: payload length 0 without a valid jumbo option */
	[DECODE_IPV6_LEN_BAD]    = "ipv6.plen_invalid",
	[DECODE_IPV6_EXTHDR_BAD] = "ipv6.trunc_exthdr",
	[DECODE_TCP_TRUNC]       = "tcp.pkt_too_small",
	[DECODE_TCP_HLEN_BAD]    = "tcp.hlen_too_small",
	[DECODE_TCP_OPT_BAD]     = "tcp.invalid_optlen",
	[DECODE_UDP_TRUNC]       = "udp.pkt_too_small",
	[DECODE_UDP_LEN_BAD]     = "udp.hlen_invalid",
	[DECODE_ICMPV4_TRUNC]    = "icmpv4.pkt_too_small",
	[DECODE_ICMPV6_TRUNC]    = "icmpv6.pkt_too_small",
	[DECODE_SLL_TRUNC]       = "sll.pkt_too_small",
	/* Suricata names none: after sll.pkt_too_small */
	[DECODE_SLL2_TRUNC]      = "sll2.pkt_too_small",
	[DECODE_NULL_TRUNC]      = "ltnull.pkt_too_small",
	[DECODE_NULL_UNSUP]      = "ltnull.unsupported_type",
	[DECODE_PPP_TRUNC]       = "ppp.pkt_too_small",
	[DECODE_PPP_UNSUP]       = "ppp.unsup_proto",
	[DECODE_RAW_VER_BAD]     = "ipraw.invalid_ip_version",
	[DECODE_CHDLC_TRUNC]     = "chdlc.pkt_too_small",
};

const char *decode_err_name(enum decode_err e)
{
	if ((unsigned int)e >= DECODE_ERR_MAX || decode_err_names[e] == NULL)
		return "unknown";
	return decode_err_names[e];
}

const char *decode_frag_ev_name(uint8_t ip_ver, enum pkt_frag_ev ev)
{
	static const char *const v4[PKT_FRAG_EV_MAX] = {
		[PKT_FRAG_EV_TOO_LARGE] = "ipv4.frag_pkt_too_large",
		[PKT_FRAG_EV_OVERLAP] = "ipv4.frag_overlap",
		/* Suricata has no IPv4 "invalid length": it ignores the fragment */
		[PKT_FRAG_EV_INVALID_LENGTH] = "ipv4.frag_ignored",
		[PKT_FRAG_EV_IGNORED] = "ipv4.frag_ignored",
	};
	static const char *const v6[PKT_FRAG_EV_MAX] = {
		[PKT_FRAG_EV_TOO_LARGE] = "ipv6.frag_pkt_too_large",
		[PKT_FRAG_EV_OVERLAP] = "ipv6.frag_overlap",
		[PKT_FRAG_EV_INVALID_LENGTH] = "ipv6.frag_invalid_length",
		[PKT_FRAG_EV_IGNORED] = "ipv6.frag_ignored",
	};

	if ((unsigned int)ev >= PKT_FRAG_EV_MAX || (ip_ver != 4 && ip_ver != 6))
		return NULL;
	return ip_ver == 4 ? v4[ev] : v6[ev];
}
