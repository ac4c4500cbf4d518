/* SPDX-License-Identifier: MIT */
/* Exception policies (Suricata 7's util-exception-policy.c): what a worker
 * does with a packet that meets a memcap, per memcap, as suricata.yaml's
 * flow.memcap-policy, stream.memcap-policy, stream.reassembly.memcap-policy
 * and defrag.memcap-policy (or the exception-policy master switch) say:
 *
 *   ignore       go on as before (the default in IDS mode; in IPS mode, with
 *                no exception-policy set, Suricata 7's default is drop-flow,
 *                and stream.midstream-policy's only without stream.midstream)
 *   drop-packet  the packet is dropped, not inspected (IPS only)
 *   drop-flow    so is every packet of its flow from now on (IPS only)
 *   pass-packet  the packet is not inspected, it goes on
 *   pass-flow    nor is any packet of its flow from now on
 *   bypass       pass-flow: idsd's ports have no bypass of their own, as
 *                Suricata's DPDK capture has none
 *
 * Each application is counted by memcap and policy, named as Suricata 8's
 * exception policy counters ("tcp.ssn_memcap_exception_policy.drop_flow").
 * Keys without flow actions (flow, defrag: the packet has no flow, or not
 * yet) take drop-flow as drop-packet, pass-flow as pass-packet, bypass as
 * ignore, as Suricata's PickPacketAction. The configuration's checks are
 * idsd's settings (dataplane/idsd/settings_exc.c). */
#ifndef IDS_PIPELINE_EXCEPTION_H
#define IDS_PIPELINE_EXCEPTION_H

#include <stdbool.h>
#include <stdint.h>

#include "../flow/flow.h"

enum exc_point {
	EXC_FLOW_MEMCAP,          /* no flow for the packet: flow.memcap is reached */
	EXC_SSN_MEMCAP,           /* no TCP session: stream.memcap */
	EXC_REASM_MEMCAP,         /* a segment not stored: stream.reassembly.memcap */
	EXC_DEFRAG_MEMCAP,        /* a fragment not kept: defrag.memcap */
	EXC_MIDSTREAM,            /* a TCP session met after its handshake (PKT_F_MIDSTREAM):
				   * stream.midstream-policy, applied whether stream.midstream
				   * picks the session up or not (Suricata 7) */
	EXC_POINTS
};

enum exc_policy {
	EXC_IGNORE = 0,
	EXC_DROP_PACKET,
	EXC_DROP_FLOW,
	EXC_PASS_PACKET,
	EXC_PASS_FLOW,
	EXC_BYPASS,
	EXC_POLICIES
};

struct exc_config {
	uint8_t policy[EXC_POINTS];   /* enum exc_policy, already fitted to the point */
};

/* A worker's policies and its counts of their applications. */
struct exc_state {
	struct exc_config cfg;
	bool any;                     /* a policy other than ignore */
	uint64_t applied[EXC_POINTS][EXC_POLICIES];
};

/* The value's name as suricata.yaml spells it ("drop-flow"). */
const char *exc_policy_name(enum exc_policy p);
/* The key of point pt ("stream.memcap-policy"). */
const char *exc_point_key(enum exc_point pt);
/* Whether pt's packets can have flow actions (drop-flow, pass-flow, bypass). */
bool exc_point_flow_actions(enum exc_point pt);
/* The counter of policy p at point pt, as Suricata 8 names it (ignore
 * is not counted: nothing is applied). */
const char *exc_counter_name(enum exc_point pt, enum exc_policy p);

void exc_state_init(struct exc_state *x, const struct exc_config *cfg);
/* Point pt was met by a packet of flow f (NULL: none): its policy is
 * applied and counted. Returns whether the packet goes uninspected;
 * *drop is set when it is dropped (a drop policy: IPS only, as the
 * settings refuse them in IDS mode). */
bool exc_apply(struct exc_state *x, enum exc_point pt, struct flow *f, bool *drop);

#endif
