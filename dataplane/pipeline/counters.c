/* SPDX-License-Identifier: MIT */
#include "counters.h"

static const char *const counter_names[CNT_MAX] = {
	[CNT_PKTS] = "decoder.pkts",
	[CNT_BYTES] = "decoder.bytes",
	[CNT_INVALID] = "decoder.invalid",
	[CNT_ETHERNET] = "decoder.ethernet",
	[CNT_VLAN] = "decoder.vlan",
	[CNT_VLAN_QINQ] = "decoder.vlan_qinq",
	[CNT_IPV4] = "decoder.ipv4",
	[CNT_IPV6] = "decoder.ipv6",
	[CNT_TCP] = "decoder.tcp",
	[CNT_UDP] = "decoder.udp",
	[CNT_ICMPV4] = "decoder.icmpv4",
	[CNT_ICMPV6] = "decoder.icmpv6",
	[CNT_OTHER_L3] = "decoder.other_l3",
	[CNT_FRAG] = "decoder.fragments",
	[CNT_CSUM_BAD] = "decoder.checksum_errors",
	[CNT_LINEARIZED] = "decoder.linearized",
	[CNT_OVERSIZE] = "decoder.oversize",
	[CNT_ACCEPTED] = "ips.accepted",
	[CNT_BLOCKED] = "ips.blocked",
	[CNT_FLOW_DROPPED] = "ips.drop_reason.flow_drop",
	[CNT_DROP_FLOW_MEMCAP] = "ips.drop_reason.flow_memcap",
	[CNT_DROP_STREAM_MEMCAP] = "ips.drop_reason.stream_memcap",
	[CNT_DROP_STREAM_REASM] = "ips.drop_reason.stream_reassembly",
	[CNT_DROP_DEFRAG_MEMCAP] = "ips.drop_reason.defrag_memcap",
	[CNT_DROP_STREAM_MIDSTREAM] = "ips.drop_reason.stream_midstream",
	[CNT_GRE] = "decoder.gre",
	[CNT_ERSPAN] = "decoder.erspan",
	[CNT_VXLAN] = "decoder.vxlan",
	[CNT_GENEVE] = "decoder.geneve",
	[CNT_TEREDO] = "decoder.teredo",
	[CNT_IPV4_IN_IPV4] = "decoder.ipv4_in_ipv4",
	[CNT_IPV6_IN_IPV4] = "decoder.ipv6_in_ipv4",
	[CNT_IPV4_IN_IPV6] = "decoder.ipv4_in_ipv6",
	[CNT_IPV6_IN_IPV6] = "decoder.ipv6_in_ipv6",
	[CNT_MPLS] = "decoder.mpls",
	[CNT_PPPOE] = "decoder.pppoe",
	[CNT_VNTAG] = "decoder.vntag",
	[CNT_ETAG] = "decoder.etag",
	[CNT_NSH] = "decoder.nsh",
};

const char *counter_name(enum counter c)
{
	return counter_names[c];
}
