/* SPDX-License-Identifier: MIT */
/* Flow timeouts and their budgeted expiry. Time comes only from packet
 * timestamps (now_us), never from the clock: capture files replay old time. */
#include "flow-int.h"

/* Suricata 7's suricata.yaml defaults (flow-timeouts), seconds: new,
 * established, closed; then emergency-new, -established, -closed. Only TCP
 * can reach the closed state. */
static const uint32_t flow_default_to[FLOW_PC_MAX][2][FLOW_TO_MAX] = {
	[FLOW_PC_TCP]   = { { 60, 600, 60 }, { 5, 100, 10 } },
	[FLOW_PC_UDP]   = { { 30, 300, 0 }, { 10, 100, 0 } },
	[FLOW_PC_ICMP]  = { { 30, 300, 0 }, { 10, 100, 0 } },
	[FLOW_PC_OTHER] = { { 30, 300, 0 }, { 10, 100, 0 } },
};

static uint64_t pick_us(uint32_t cfg_s, uint32_t def_s)
{
	return (uint64_t)(cfg_s ? cfg_s : def_s) * 1000000u;
}

void flow_timeouts_init(struct flow_table *ft, const struct flow_config *cfg)
{
	for (unsigned pc = 0; pc < FLOW_PC_MAX; pc++) {
		const struct flow_timeouts *t = &cfg->to[pc];
		const uint32_t *d = flow_default_to[pc][0], *e = flow_default_to[pc][1];

		ft->to_norm_us[pc][FLOW_TO_NEW] = pick_us(t->new_s, d[FLOW_TO_NEW]);
		ft->to_norm_us[pc][FLOW_TO_EST] = pick_us(t->established_s, d[FLOW_TO_EST]);
		ft->to_norm_us[pc][FLOW_TO_CLOSED] = pick_us(t->closed_s, d[FLOW_TO_CLOSED]);
		ft->to_emerg_us[pc][FLOW_TO_NEW] = pick_us(t->emerg_new_s, e[FLOW_TO_NEW]);
		ft->to_emerg_us[pc][FLOW_TO_EST] = pick_us(t->emerg_established_s,
							   e[FLOW_TO_EST]);
		ft->to_emerg_us[pc][FLOW_TO_CLOSED] = pick_us(t->emerg_closed_s,
							      e[FLOW_TO_CLOSED]);
	}
	memcpy(ft->to_us, ft->to_norm_us, sizeof(ft->to_us));
}

/* Each list holds one timeout and is in the order of its flows' last
 * packets, so its head is the first of its flows due; of the heads, the
 * one whose timeout ran out first goes first (ties: the lower list).
 * Packet times that go back can leave a due flow behind a head that is
 * not: it goes when that head does, or with its own next packet, or at
 * flush. */
struct flow *flow_table_due(const struct flow_table *ft, uint64_t now_us)
{
	struct flow *due = NULL;
	uint64_t first = UINT64_MAX;

	for (unsigned l = 0; l < FLOW_LISTS; l++) {
		const struct flow *f = ft->lru[l].head;
		uint64_t end;

		if (f == NULL)
			continue;
		end = f->last_ts_us + flow_list_timeout(ft, l);
		if (end < first) {
			first = end;
			due = ft->lru[l].head;
		}
	}
	/* idle must exceed the timeout (flow_timed_out) */
	return due != NULL && now_us > first ? due : NULL;
}

/* O(flows released): each step looks at the list heads only. */
unsigned flow_table_expire(struct flow_table *ft, uint64_t now_us, unsigned budget)
{
	unsigned expired = 0;
	struct flow *f;

	while (expired < budget && (f = flow_table_due(ft, now_us)) != NULL) {
		flow_table_release(ft, f, FLOW_END_TIMEOUT);
		ft->stats.timed_out++;
		expired++;
	}
	if (__builtin_expect(ft->emerg, 0) && now_us >= ft->emerg_check_us)
		flow_emerg_check(ft, now_us);
	return expired;
}
