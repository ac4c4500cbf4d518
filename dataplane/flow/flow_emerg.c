/* SPDX-License-Identifier: MIT */
/* Emergency mode of one worker's table, as Suricata 7's flow engine
 * (flow-hash.c enters it, flow-manager.c leaves it): when a new flow finds
 * flow.memcap reached, the table judges its flows by the emergency
 * timeouts until the memcap has room again. Suricata's mode is one flag
 * for the process; here each table has its own (nothing shared on the hot
 * path), entered when that table is refused a flow. Time is packet time,
 * as everywhere in the table. Suricata's flow manager also works harder in
 * the mode (its whole hash every 250 ms instead of a slice a second); the
 * table's expiry needs no such change: it looks every millisecond of
 * packet time (dataplane/pipeline), at its lists' heads, which are the
 * flows due first under either set of timeouts. */
#include "../../common/memcap.h"
#include "flow-int.h"

/* Suricata's flow manager, in emergency mode, runs every 250 ms and calls
 * the mode over after 30 runs in a row found the spare flows above
 * flow.emergency-recovery percent of flow.prealloc. */
#define EMERG_CHECK_US 250000u
#define EMERG_OVER_CHECKS 30u

void flow_emerg_enter(struct flow_table *ft, uint64_t now_us)
{
	ft->emerg = true;
	ft->emerg_over = 0;
	/* the first check at the next look, as Suricata wakes its manager */
	ft->emerg_check_us = now_us;
	memcpy(ft->to_us, ft->to_emerg_us, sizeof(ft->to_us));
	ft->stats.emerg_entered++;
}

/* Suricata's spare flows are flows allocated within the memcap and not
 * in use: what a new flow can have without forcing one out. Here that is
 * the room left in flow.memcap (all workers' tables share it), in flows. */
void flow_emerg_check(struct flow_table *ft, uint64_t now_us)
{
	uint64_t spare = memcap_room(ft->mem) / FLOW_SLOT_SIZE;

	ft->emerg_check_us = now_us + EMERG_CHECK_US;
	if (spare * 100 / ft->emerg_base > ft->emerg_recovery)
		ft->emerg_over++;
	else
		ft->emerg_over = 0;
	if (ft->emerg_over < EMERG_OVER_CHECKS)
		return;
	ft->emerg = false;
	ft->emerg_over = 0;
	memcpy(ft->to_us, ft->to_norm_us, sizeof(ft->to_us));
	ft->stats.emerg_over++;
}

bool flow_table_emergency(const struct flow_table *ft)
{
	return ft->emerg;
}
