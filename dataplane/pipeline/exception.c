/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "exception.h"

static const char *const policy_names[EXC_POLICIES] = {
	[EXC_IGNORE] = "ignore", [EXC_DROP_PACKET] = "drop-packet",
	[EXC_DROP_FLOW] = "drop-flow", [EXC_PASS_PACKET] = "pass-packet",
	[EXC_PASS_FLOW] = "pass-flow", [EXC_BYPASS] = "bypass",
};

static const struct {
	const char *key;
	bool flow_actions;
	const char *counters[EXC_POLICIES];
} points[EXC_POINTS] = {
	[EXC_FLOW_MEMCAP] = { "flow.memcap-policy", false, {
		"flow.memcap_exception_policy.ignore", "flow.memcap_exception_policy.drop_packet",
		"flow.memcap_exception_policy.drop_flow", "flow.memcap_exception_policy.pass_packet",
		"flow.memcap_exception_policy.pass_flow", "flow.memcap_exception_policy.bypass" } },
	[EXC_SSN_MEMCAP] = { "stream.memcap-policy", true, {
		"tcp.ssn_memcap_exception_policy.ignore", "tcp.ssn_memcap_exception_policy.drop_packet",
		"tcp.ssn_memcap_exception_policy.drop_flow",
		"tcp.ssn_memcap_exception_policy.pass_packet",
		"tcp.ssn_memcap_exception_policy.pass_flow", "tcp.ssn_memcap_exception_policy.bypass" } },
	[EXC_REASM_MEMCAP] = { "stream.reassembly.memcap-policy", true, {
		"tcp.reassembly_memcap_exception_policy.ignore",
		"tcp.reassembly_memcap_exception_policy.drop_packet",
		"tcp.reassembly_memcap_exception_policy.drop_flow",
		"tcp.reassembly_memcap_exception_policy.pass_packet",
		"tcp.reassembly_memcap_exception_policy.pass_flow",
		"tcp.reassembly_memcap_exception_policy.bypass" } },
	[EXC_DEFRAG_MEMCAP] = { "defrag.memcap-policy", false, {
		"defrag.memcap_exception_policy.ignore", "defrag.memcap_exception_policy.drop_packet",
		"defrag.memcap_exception_policy.drop_flow",
		"defrag.memcap_exception_policy.pass_packet",
		"defrag.memcap_exception_policy.pass_flow", "defrag.memcap_exception_policy.bypass" } },
	[EXC_MIDSTREAM] = { "stream.midstream-policy", true, {
		"tcp.midstream_exception_policy.ignore", "tcp.midstream_exception_policy.drop_packet",
		"tcp.midstream_exception_policy.drop_flow",
		"tcp.midstream_exception_policy.pass_packet",
		"tcp.midstream_exception_policy.pass_flow", "tcp.midstream_exception_policy.bypass" } },
};

const char *exc_policy_name(enum exc_policy p)
{
	return policy_names[p];
}

const char *exc_point_key(enum exc_point pt)
{
	return points[pt].key;
}

bool exc_point_flow_actions(enum exc_point pt)
{
	return points[pt].flow_actions;
}

const char *exc_counter_name(enum exc_point pt, enum exc_policy p)
{
	return points[pt].counters[p];
}

void exc_state_init(struct exc_state *x, const struct exc_config *cfg)
{
	*x = (struct exc_state){ .cfg = *cfg };
	for (int pt = 0; pt < EXC_POINTS; pt++)
		x->any |= cfg->policy[pt] != EXC_IGNORE;
}

/* As Suricata's ExceptionPolicyApply: the flow actions mark the flow
 * (detection then drops or passes its later packets, counted in
 * detect.flow_dropped / flow_passed) and fall through to the packet's. */
bool exc_apply(struct exc_state *x, enum exc_point pt, struct flow *f, bool *drop)
{
	enum exc_policy p = (enum exc_policy)x->cfg.policy[pt];

	if (p == EXC_IGNORE)
		return false;
	x->applied[pt][p]++;
	switch (p) {
	case EXC_DROP_FLOW:
		if (f != NULL)
			f->flags |= FLOW_F_ACTION_DROP;
		/* fall through */
	case EXC_DROP_PACKET:
		*drop = true;
		return true;
	case EXC_BYPASS:
	case EXC_PASS_FLOW:
		if (f != NULL)
			f->flags |= FLOW_F_ACTION_PASS;
		/* fall through */
	case EXC_PASS_PACKET:
		return true;
	default:
		return false;
	}
}
