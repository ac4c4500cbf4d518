/* SPDX-License-Identifier: MIT */
/* Flow counter keywords of Suricata 7 (detect-flow-age.c,
 * detect-flow-pkts.c): flow.age (whole seconds between the flow's first and
 * latest packet), flow.pkts_toserver / flow.pkts_toclient and
 * flow.bytes_toserver / flow.bytes_toclient (the packets and bytes seen so
 * far in that direction, the current packet included), each an integer
 * comparison in Suricata's uint forms (N, <N, >N, <=N, >=N, !N, N-M, N<>M).
 * Suricata 8's flow.pkts and flow.bytes take the direction first
 * (`toserver,N`, `toclient,N`, `either,N`: the last met by either
 * direction's counter).
 * Suricata reads the byte counts as 64-bit: values past 4294967295 are
 * refused here, with that reason, rather than compared wrongly. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

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

/* flow.pkts / flow.bytes: "DIR,CMP", DIR toserver, toclient or either. */
static int flow_dir_kw(struct rule_ctx *c, const char *kw, const char *v, struct u32_cmp dirs[2],
		       const uint32_t has[2], struct u32_cmp *either, uint8_t either_bit)
{
	static const char *const names[] = { "toserver", "toclient", "either" };
	const char *comma = strchr(v, ',');
	size_t n;
	unsigned d;

	if (comma == NULL)
		return rule_err(c, "invalid %s: '%s' (a direction, toserver, toclient or "
				"either, then a comparison)", kw, v);
	v += strspn(v, " \t");
	n = (size_t)(comma - v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	for (d = 0; d < 3; d++)
		if (strlen(names[d]) == n && strncasecmp(v, names[d], n) == 0)
			break;
	if (d == 3)
		return rule_err(c, "invalid %s direction: '%.*s'", kw, (int)n, v);
	if (d < 2)
		return flow_cmp_kw(c, kw, comma + 1, &dirs[d == 0 ? RULE_DIR_TOSERVER :
							  RULE_DIR_TOCLIENT],
				   has[d]);
	if (c->r->flow_either & either_bit)
		return rule_err(c, "duplicate keyword '%s'", kw);
	if (rule_parse_u32_cmp(comma + 1, UINT32_MAX, either))
		return rule_err(c, "invalid %s: '%s' (an integer comparison up to 4294967295)",
				kw, comma + 1);
	c->r->flow_either |= either_bit;
	c->r->has |= RULE_HAS_FLOWEITHER;
	return 0;
}

int kw_flow_pkts(struct rule_ctx *c, const char *v)
{
	static const uint32_t has[2] = { RULE_HAS_FLOWPKTS_TS, RULE_HAS_FLOWPKTS_TC };

	return flow_dir_kw(c, "flow.pkts", v, c->r->flow_pkts, has, &c->r->flow_pkts_either, 1);
}

int kw_flow_bytes(struct rule_ctx *c, const char *v)
{
	static const uint32_t has[2] = { RULE_HAS_FLOWBYTES_TS, RULE_HAS_FLOWBYTES_TC };

	return flow_dir_kw(c, "flow.bytes", v, c->r->flow_bytes, has, &c->r->flow_bytes_either,
			   2);
}
