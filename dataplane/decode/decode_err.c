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
	[DECODE_VLAN_TYPE_BAD]   = "vlan.unknown_type",
	[DECODE_IPV4_SMALL]      = "ipv4.pkt_too_small",
	[DECODE_IPV4_TRUNC]      = "ipv4.trunc_pkt",
	[DECODE_IPV4_HLEN_BAD]   = "ipv4.hlen_too_small",
	[DECODE_IPV4_LEN_BAD]    = "ipv4.iplen_smaller_than_hlen",
	[DECODE_IPV4_VER_BAD]    = "ipv4.wrong_ip_version",
	[DECODE_IPV4_OPT_BAD]    = "ipv4.opt_invalid_len",
	[DECODE_IPV4_OPT_MALFORMED] = "ipv4.opt_malformed",
	[DECODE_IPV6_SMALL]      = "ipv6.pkt_too_small",
	[DECODE_IPV6_TRUNC]      = "ipv6.trunc_pkt",
	[DECODE_IPV6_VER_BAD]    = "ipv6.wrong_ip_version",
	[DECODE_IPV6_EXTHDR_BAD] = "ipv6.trunc_exthdr",
	[DECODE_TCP_TRUNC]       = "tcp.pkt_too_small",
	[DECODE_TCP_HLEN_BAD]    = "tcp.hlen_too_small",
	[DECODE_TCP_OPT_BAD]     = "tcp.invalid_optlen",
	[DECODE_UDP_HLEN_SMALL]  = "udp.hlen_too_small",
	[DECODE_UDP_TRUNC]       = "udp.pkt_too_small",
	[DECODE_UDP_LEN_BAD]     = "udp.len_invalid",
	[DECODE_ICMPV4_TRUNC]    = "icmpv4.pkt_too_small",
	[DECODE_ICMPV6_TRUNC]    = "icmpv6.pkt_too_small",
	[DECODE_IPV4_WITH_ICMPV6] = "ipv4.icmpv6",
	[DECODE_SLL_TRUNC]       = "sll.pkt_too_small",
	/* Suricata names none: after sll.pkt_too_small */
	[DECODE_SLL2_TRUNC]      = "sll2.pkt_too_small",
	[DECODE_NULL_TRUNC]      = "ltnull.pkt_too_small",
	[DECODE_NULL_UNSUP]      = "ltnull.unsupported_type",
	[DECODE_PPP_TRUNC]       = "ppp.pkt_too_small",
	[DECODE_PPP_UNSUP]       = "ppp.unsup_proto",
	[DECODE_PPP_VJU_TRUNC]   = "ppp.vju_pkt_too_small",
	[DECODE_PPP_IPV4_TRUNC]  = "ppp.ip4_pkt_too_small",
	[DECODE_PPP_IPV6_TRUNC]  = "ppp.ip6_pkt_too_small",
	[DECODE_PPP_TYPE_BAD]    = "ppp.wrong_type",
	[DECODE_RAW_VER_BAD]     = "ipraw.invalid_ip_version",
	[DECODE_CHDLC_TRUNC]     = "chdlc.pkt_too_small",
	[DECODE_TOO_MANY_LAYERS] = "too_many_layers",
	[DECODE_GRE_TRUNC]       = "gre.pkt_too_small",
	[DECODE_GRE_VER_BAD]     = "gre.wrong_version",
	[DECODE_GRE_V0_RECUR]    = "gre.version0_recur",
	[DECODE_GRE_V0_FLAGS]    = "gre.version0_flags",
	[DECODE_GRE_V0_HDR_BIG]  = "gre.version0_hdr_too_big",
	[DECODE_GRE_V0_SRE_BAD]  = "gre.version0_malformed_sre_hdr",
	[DECODE_GRE_V1_CHKSUM]   = "gre.version1_chksum",
	[DECODE_GRE_V1_ROUTE]    = "gre.version1_route",
	[DECODE_GRE_V1_SSR]      = "gre.version1_ssr",
	[DECODE_GRE_V1_RECUR]    = "gre.version1_recur",
	[DECODE_GRE_V1_FLAGS]    = "gre.version1_flags",
	[DECODE_GRE_V1_NO_KEY]   = "gre.version1_no_key",
	[DECODE_GRE_V1_PROTO]    = "gre.version1_wrong_protocol",
	[DECODE_GRE_V1_HDR_BIG]  = "gre.version1_hdr_too_big",
	[DECODE_ERSPAN_TRUNC]    = "erspan.header_too_small",
	[DECODE_ERSPAN_VER_BAD]  = "erspan.unsupported_version",
	[DECODE_ERSPAN_VLAN_TOO_MANY] = "erspan.too_many_vlan_layers",
	[DECODE_VXLAN_PAYLOAD_BAD]    = "vxlan.unknown_payload_type",
	[DECODE_GENEVE_PAYLOAD_BAD]   = "geneve.unknown_payload_type",
	[DECODE_IPV4_IN_IPV6_TRUNC]   = "ipv6.ipv4_in_ipv6_too_small",
	[DECODE_IPV4_IN_IPV6_VER_BAD] = "ipv6.ipv4_in_ipv6_wrong_version",
	[DECODE_IPV6_IN_IPV6_TRUNC]   = "ipv6.ipv6_in_ipv6_too_small",
	[DECODE_IPV6_IN_IPV6_VER_BAD] = "ipv6.ipv6_in_ipv6_wrong_version",
	[DECODE_MPLS_HDR_TRUNC]  = "mpls.header_too_small",
	[DECODE_MPLS_TRUNC]      = "mpls.pkt_too_small",
	[DECODE_MPLS_ROUTER_ALERT]  = "mpls.bad_label_router_alert",
	[DECODE_MPLS_IMPLICIT_NULL] = "mpls.bad_label_implicit_null",
	[DECODE_MPLS_RESERVED]   = "mpls.bad_label_reserved",
	[DECODE_MPLS_PAYLOAD_BAD] = "mpls.unknown_payload_type",
	[DECODE_PPPOE_TRUNC]     = "pppoe.pkt_too_small",
	[DECODE_PPPOE_CODE_BAD]  = "pppoe.wrong_code",
	[DECODE_PPPOE_TAGS_BAD]  = "pppoe.malformed_tags",
	[DECODE_VNTAG_TRUNC]     = "vntag.header_too_small",
	[DECODE_VNTAG_TYPE_BAD]  = "vntag.unknown_type",
	/* Suricata 7 has no E-Tag decoder: Suricata 8's names */
	[DECODE_ETAG_TRUNC]      = "etag.header_too_small",
	[DECODE_ETAG_TYPE_BAD]   = "etag.unknown_type",
	[DECODE_NSH_TRUNC]       = "nsh.header_too_small",
	[DECODE_NSH_VER_BAD]     = "nsh.unsupported_version",
	[DECODE_NSH_LEN_BAD]     = "nsh.bad_header_length",
	[DECODE_NSH_RESERVED]    = "nsh.reserved_type",
	[DECODE_NSH_TYPE_BAD]    = "nsh.unsupported_type",
	[DECODE_NSH_PAYLOAD_BAD] = "nsh.unknown_payload",
	[DECODE_IEEE8021AH_TRUNC] = "ieee8021ah.header_too_small",
	[DECODE_DCE_TRUNC]       = "dce.pkt_too_small",
};

const char *decode_err_name(enum decode_err e)
{
	if ((unsigned int)e >= DECODE_ERR_MAX || decode_err_names[e] == NULL)
		return "unknown";
	return decode_err_names[e];
}

bool decode_err_is_l4(enum decode_err e)
{
	return (e >= DECODE_TCP_TRUNC && e <= DECODE_IPV4_WITH_ICMPV6) ||
	       (e >= DECODE_GRE_TRUNC && e <= DECODE_IPV6_IN_IPV6_VER_BAD);
}

/* p->dec_ev is one 64-bit word (cleared with the packet's decoder output,
 * no cost of its own), walked as such by detect_event.c and eve_anomaly.c:
 * a wider set needs all three changed. */
_Static_assert(DEV_MAX <= 64, "decoder events of a packet are one 64-bit set");

const char *decode_ev_name(enum decode_ev e)
{
	static const char *const names[DEV_MAX] = {
		[DEV_ICMPV4_UNKNOWN_TYPE] = "icmpv4.unknown_type",
		[DEV_ICMPV4_UNKNOWN_CODE] = "icmpv4.unknown_code",
		[DEV_ICMPV4_IPV4_TRUNC]   = "icmpv4.ipv4_trunc_pkt",
		[DEV_TCP_OPT_INVALID_LEN] = "tcp.opt_invalid_len",
		[DEV_TCP_OPT_DUPLICATE]   = "tcp.opt_duplicate",
		[DEV_ICMPV6_UNKNOWN_TYPE] = "icmpv6.unknown_type",
		[DEV_ICMPV6_UNKNOWN_CODE] = "icmpv6.unknown_code",
		[DEV_ICMPV6_UNASSIGNED_TYPE] = "icmpv6.unassigned_type",
		[DEV_ICMPV6_EXPERIMENT_TYPE] = "icmpv6.experimentation_type",
		[DEV_ICMPV6_MLD_BAD_HL]   = "icmpv6.mld_message_with_invalid_hl",
		[DEV_ICMPV4_INNER_VER_BAD] = "icmpv4.ipv4_unknown_ver",
		[DEV_ICMPV6_INNER_TRUNC]  = "icmpv6.ipv6_trunc_pkt",
		[DEV_ICMPV6_INNER_VER_BAD] = "icmpv6.ipv6_unknown_version",
		[DEV_IPV4_OPT_INVALID]    = "ipv4.opt_invalid",
		[DEV_IPV4_OPT_EOL_REQUIRED] = "ipv4.opt_eol_required",
		[DEV_IPV4_OPT_DUPLICATE]  = "ipv4.opt_duplicate",
		[DEV_IPV6_DUPL_FH]        = "ipv6.exthdr_dupl_fh",
		[DEV_IPV6_USELESS_FH]     = "ipv6.exthdr_useless_fh",
		[DEV_IPV6_DUPL_RH]        = "ipv6.exthdr_dupl_rh",
		[DEV_IPV6_DUPL_HH]        = "ipv6.exthdr_dupl_hh",
		[DEV_IPV6_DUPL_DH]        = "ipv6.exthdr_dupl_dh",
		[DEV_IPV6_DUPL_AH]        = "ipv6.exthdr_dupl_ah",
		[DEV_IPV6_INVALID_OPTLEN] = "ipv6.exthdr_invalid_optlen",
		[DEV_IPV6_AH_RES_NOT_NULL] = "ipv6.exthdr_ah_res_not_null",
		[DEV_IPV6_HOPOPTS_UNKNOWN] = "ipv6.hopopts_unknown_opt",
		[DEV_IPV6_HOPOPTS_PADDING] = "ipv6.hopopts_only_padding",
		[DEV_IPV6_DSTOPTS_UNKNOWN] = "ipv6.dstopts_unknown_opt",
		[DEV_IPV6_DSTOPTS_PADDING] = "ipv6.dstopts_only_padding",
		[DEV_IPV6_RH_TYPE_0]      = "ipv6.rh_type_0",
		[DEV_IPV6_FH_RESERVED]    = "ipv6.fh_non_zero_reserved_field",
		[DEV_IPV6_DATA_AFTER_NONE] = "ipv6.data_after_none_header",
		[DEV_IPV6_WITH_ICMPV4]    = "ipv6.icmpv4",
		[DEV_IPV4_OPT_PAD_REQUIRED] = "ipv4.opt_pad_required",
		[DEV_IPV6_ZERO_LEN_PADN]  = "ipv6.zero_len_padn",
		[DEV_IPV6_UNKNOWN_NH]     = "ipv6.unknown_next_header",
	};

	return (unsigned int)e < DEV_MAX ? names[e] : NULL;
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
