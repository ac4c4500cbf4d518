/* SPDX-License-Identifier: MIT */
/* Flow timeouts and their budgeted expiry. Time comes only from packet
 * timestamps (now_us), never from the clock: capture files replay old time. */
#include "flow-int.h"

/* Suricata's suricata.yaml defaults (flow-timeouts), seconds: new, established, closed.
 * Only TCP can reach the closed state. */
static const uint32_t flow_default_to[FLOW_PC_MAX][FLOW_TO_MAX] = {
	[FLOW_PC_TCP]   = { 60, 600, 60 },
	[FLOW_PC_UDP]   = { 30, 300, 0 },
	[FLOW_PC_ICMP]  = { 30, 300, 0 },
	[FLOW_PC_OTHER] = { 30, 300, 0 },
};

static uint64_t pick_us(uint32_t cfg_s, uint32_t def_s)
{
	return (uint64_t)(cfg_s ? cfg_s : def_s) * 1000000u;
}

void flow_timeouts_init(struct flow_table *ft, const struct flow_config *cfg)
{
	uint64_t min = UINT64_MAX;
	unsigned pc;

	for (pc = 0; pc < FLOW_PC_MAX; pc++) {
		const struct flow_timeouts *t = &cfg->to[pc];
		const uint32_t *d = flow_default_to[pc];

		ft->to_us[pc][FLOW_TO_NEW] = pick_us(t->new_s, d[FLOW_TO_NEW]);
		ft->to_us[pc][FLOW_TO_EST] = pick_us(t->established_s, d[FLOW_TO_EST]);
		ft->to_us[pc][FLOW_TO_CLOSED] = pick_us(t->closed_s, d[FLOW_TO_CLOSED]);
		if (ft->to_us[pc][FLOW_TO_NEW] < min)
			min = ft->to_us[pc][FLOW_TO_NEW];
		if (ft->to_us[pc][FLOW_TO_EST] < min)
			min = ft->to_us[pc][FLOW_TO_EST];
		if (pc == FLOW_PC_TCP && ft->to_us[pc][FLOW_TO_CLOSED] < min)
			min = ft->to_us[pc][FLOW_TO_CLOSED];
	}
	ft->min_to_us = min;
}

/* The walk goes from the least recently used flow towards the newest. Flows
 * still inside their (longer) timeout are stepped over, and the position is
 * kept in expire_cursor so that a crowd of long-lived flows at the head cannot
 * starve the expired ones behind it. Once a flow is idle for no more than the
 * smallest timeout, nothing after it can be due: the next call starts again
 * from the head. budget bounds the flows examined, so also those released. */
unsigned flow_table_expire(struct flow_table *ft, uint64_t now_us, unsigned budget)
{
	struct flow *f = ft->expire_cursor ? ft->expire_cursor : ft->lru_head;
	unsigned expired = 0, seen = 0;

	while (f != NULL && seen < budget) {
		struct flow *next = f->lru_next;
		uint64_t idle = now_us > f->last_ts_us ? now_us - f->last_ts_us : 0;

		if (idle <= ft->min_to_us) {
			f = NULL;
			break;
		}
		seen++;
		if (flow_timed_out(ft, f, now_us)) {
			flow_table_release(ft, f, FLOW_END_TIMEOUT);
			ft->stats.timed_out++;
			expired++;
		}
		f = next;
	}
	ft->expire_cursor = f;
	return expired;
}
