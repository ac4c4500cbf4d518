/* SPDX-License-Identifier: MIT */
/* Per-worker packet counters. Each worker owns one array and is its only
 * writer; the stats reader sums the arrays without locks (64-bit aligned
 * loads do not tear on the platforms DPDK supports). */
#ifndef IDS_COUNTERS_H
#define IDS_COUNTERS_H

#include <stdint.h>

#include "../decode/packet-t.h"

enum counter {
	CNT_PKTS,              /* decoder.pkts */
	CNT_BYTES,             /* decoder.bytes */
	CNT_INVALID,           /* decoder.invalid: rejected by decode (by reason below) */
	CNT_ETHERNET,
	CNT_VLAN,
	CNT_VLAN_QINQ,
	CNT_IPV4,
	CNT_IPV6,
	CNT_TCP,
	CNT_UDP,
	CNT_ICMPV4,
	CNT_ICMPV6,
	CNT_OTHER_L3,          /* ARP and other non-IP ethertypes: forwarded, not inspected */
	CNT_FRAG,              /* IPv4/IPv6 fragments (inspected as packets, not reassembled) */
	CNT_CSUM_BAD,          /* checksum failures with -k all */
	CNT_LINEARIZED,        /* multi-segment mbufs copied to one buffer */
	CNT_OVERSIZE,          /* multi-segment frames too large to linearize: not inspected */
	CNT_ACCEPTED,          /* ips.accepted */
	CNT_BLOCKED,           /* ips.blocked: rule verdicts */
	CNT_FLOW_DROPPED,      /* ips.drop_reason.flow_drop: packets of a dropped flow */
	/* (added) dropped by an exception policy (exception.h), by memcap */
	CNT_DROP_FLOW_MEMCAP,  /* ips.drop_reason.flow_memcap */
	CNT_DROP_STREAM_MEMCAP, /* ips.drop_reason.stream_memcap */
	CNT_DROP_STREAM_REASM, /* ips.drop_reason.stream_reassembly */
	CNT_DROP_DEFRAG_MEMCAP, /* ips.drop_reason.defrag_memcap */
	CNT_DROP_STREAM_MIDSTREAM, /* ips.drop_reason.stream_midstream */
	/* (added) encapsulations, in the order of the PKT_ENC_* bits */
	CNT_GRE,
	CNT_ERSPAN,
	CNT_VXLAN,
	CNT_GENEVE,
	CNT_TEREDO,
	CNT_IPV4_IN_IPV4,
	CNT_IPV6_IN_IPV4,
	CNT_IPV4_IN_IPV6,
	CNT_IPV6_IN_IPV6,
	CNT_MPLS,
	CNT_PPPOE,
	CNT_VNTAG,
	CNT_ETAG,
	CNT_NSH,
	CNT_MAX
};

_Static_assert(CNT_NSH - CNT_GRE + 1 == PKT_ENC_COUNT, "one counter per PKT_ENC_* bit");

/* Counter name for stats ("decoder.pkts"). */
const char *counter_name(enum counter c);

struct counters {
	uint64_t c[CNT_MAX];
	uint64_t decode_err[DECODE_ERR_MAX];   /* decoder.event.<decode_err_name> */
};

#endif
