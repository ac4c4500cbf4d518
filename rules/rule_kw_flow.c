/* SPDX-License-Identifier: MIT */
/* Flow counter keywords of Suricata 7 (detect-flow-age.c,
 * detect-flow-pkts.c): flow.age (whole seconds between the flow's first and
 * latest packet), flow.pkts_toserver / flow.pkts_toclient and
 * flow.bytes_toserver / flow.bytes_toclient (the packets and bytes seen so
 * far in that direction, the current packet included), each an integer
 * comparison in Suricata's uint forms (N, <N, >N, <=N, >=N, !N, N-M, N<>M).
 * Suricata reads the byte counts as 64-bit: values past 4294967295 are
 * refused here, with that reason, rather than compared wrongly. */
#include <errno.h>
#include <stdint.h>

#include "rule-int.h"

static int flow_cmp_kw(struct rule_ctx *c, const char *kw, const char *v,
		       struct u32_cmp *field, uint32_t has)
{
	if (c->r->has & has)
		return rule_err(c, "duplicate keyword '%s'", kw);
	if (rule_parse_u32_cmp(v, UINT32_MAX, field))
		return rule_err(c, "invalid %s: '%s' (an integer comparison up to 4294967295)",
				kw, v);
	c->r->has |= has;
	return 0;
}

int kw_flow_age(struct rule_ctx *c, const char *v)
{
	return flow_cmp_kw(c, "flow.age", v, &c->r->flow_age, RULE_HAS_FLOWAGE);
}

int kw_flow_pkts_toserver(struct rule_ctx *c, const char *v)
{
	return flow_cmp_kw(c, "flow.pkts_toserver", v, &c->r->flow_pkts[RULE_DIR_TOSERVER],
			   RULE_HAS_FLOWPKTS_TS);
}

int kw_flow_pkts_toclient(struct rule_ctx *c, const char *v)
{
	return flow_cmp_kw(c, "flow.pkts_toclient", v, &c->r->flow_pkts[RULE_DIR_TOCLIENT],
			   RULE_HAS_FLOWPKTS_TC);
}

int kw_flow_bytes_toserver(struct rule_ctx *c, const char *v)
{
	return flow_cmp_kw(c, "flow.bytes_toserver", v, &c->r->flow_bytes[RULE_DIR_TOSERVER],
			   RULE_HAS_FLOWBYTES_TS);
}

int kw_flow_bytes_toclient(struct rule_ctx *c, const char *v)
{
	return flow_cmp_kw(c, "flow.bytes_toclient", v, &c->r->flow_bytes[RULE_DIR_TOCLIENT],
			   RULE_HAS_FLOWBYTES_TC);
}
