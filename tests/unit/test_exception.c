/* SPDX-License-Identifier: MIT */
/* Exception policies (dataplane/pipeline/exception.h): what each policy
 * does to the packet and its flow, what is counted, and the names. */
#include <string.h>

#include "check.h"
#include "dataplane/pipeline/exception.h"

static bool apply(struct exc_state *x, enum exc_point pt, struct flow *f, bool *drop)
{
	*drop = false;
	return exc_apply(x, pt, f, drop);
}

static void test_policies(void)
{
	struct exc_config cfg = { .policy = {
		[EXC_FLOW_MEMCAP] = EXC_DROP_PACKET, [EXC_SSN_MEMCAP] = EXC_DROP_FLOW,
		[EXC_REASM_MEMCAP] = EXC_PASS_FLOW, [EXC_DEFRAG_MEMCAP] = EXC_IGNORE } };
	struct exc_state x;
	struct flow f;
	bool drop;

	exc_state_init(&x, &cfg);
	CHECK(x.any);
	/* drop-packet: dropped, not inspected, the flow untouched */
	memset(&f, 0, sizeof(f));
	CHECK(apply(&x, EXC_FLOW_MEMCAP, NULL, &drop) && drop);
	/* drop-flow: the flow is dropped from now on */
	CHECK(apply(&x, EXC_SSN_MEMCAP, &f, &drop) && drop);
	CHECK(f.flags & FLOW_F_ACTION_DROP);
	/* pass-flow: not inspected, not dropped, the flow passed */
	memset(&f, 0, sizeof(f));
	CHECK(apply(&x, EXC_REASM_MEMCAP, &f, &drop) && !drop);
	CHECK((f.flags & FLOW_F_ACTION_PASS) && !(f.flags & FLOW_F_ACTION_DROP));
	/* ignore: nothing, not counted */
	memset(&f, 0, sizeof(f));
	CHECK(!apply(&x, EXC_DEFRAG_MEMCAP, &f, &drop) && !drop && f.flags == 0);
	CHECK_INT(1, x.applied[EXC_FLOW_MEMCAP][EXC_DROP_PACKET]);
	CHECK_INT(1, x.applied[EXC_SSN_MEMCAP][EXC_DROP_FLOW]);
	CHECK_INT(1, x.applied[EXC_REASM_MEMCAP][EXC_PASS_FLOW]);
	CHECK_INT(0, x.applied[EXC_DEFRAG_MEMCAP][EXC_IGNORE]);
}

static void test_pass_bypass(void)
{
	struct exc_config cfg = { .policy = { [EXC_SSN_MEMCAP] = EXC_BYPASS,
					      [EXC_REASM_MEMCAP] = EXC_PASS_PACKET } };
	struct exc_state x;
	struct flow f;
	bool drop;

	exc_state_init(&x, &cfg);
	memset(&f, 0, sizeof(f));
	/* pass-packet: this packet only */
	CHECK(apply(&x, EXC_REASM_MEMCAP, &f, &drop) && !drop && f.flags == 0);
	/* bypass: as pass-flow (no capture bypass) */
	CHECK(apply(&x, EXC_SSN_MEMCAP, &f, &drop) && !drop && (f.flags & FLOW_F_ACTION_PASS));
	/* no policy: nothing to do at all */
	exc_state_init(&x, &(struct exc_config){ 0 });
	CHECK(!x.any);
}

static void test_names(void)
{
	CHECK_STR("drop-flow", exc_policy_name(EXC_DROP_FLOW));
	CHECK_STR("bypass", exc_policy_name(EXC_BYPASS));
	CHECK_STR("stream.reassembly.memcap-policy", exc_point_key(EXC_REASM_MEMCAP));
	CHECK_STR("tcp.ssn_memcap_exception_policy.drop_flow",
		  exc_counter_name(EXC_SSN_MEMCAP, EXC_DROP_FLOW));
	CHECK_STR("defrag.memcap_exception_policy.pass_packet",
		  exc_counter_name(EXC_DEFRAG_MEMCAP, EXC_PASS_PACKET));
	CHECK(exc_point_flow_actions(EXC_SSN_MEMCAP) && exc_point_flow_actions(EXC_REASM_MEMCAP));
	CHECK(!exc_point_flow_actions(EXC_FLOW_MEMCAP) && !exc_point_flow_actions(EXC_DEFRAG_MEMCAP));
}

int main(void)
{
	test_policies();
	test_pass_bypass();
	test_names();
	return check_result("exception");
}
