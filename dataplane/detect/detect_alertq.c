/* SPDX-License-Identifier: MIT */
/* The packet's alert queue, as Suricata 7's (detect-engine-alert.c).
 *
 * Suricata appends every match to a growing queue, sorts it at the end by
 * the rule's internal id (its order: action, flowbits, priority, ...; for
 * one rule, the later transaction first) and copies the first
 * packet-alert-max into the packet; the rest count as
 * detect.alert_queue_overflow, and a pass rule's entry ends the copy.
 * Here the kept alerts are the queue: each match is inserted in its place
 * among at most packet-alert-max sorted entries, so nothing is allocated
 * or sorted per packet. Matches mostly come in rule order, so the place is
 * found at the end in one step. */
#include "../applayer/applayer.h"
#include "detect-int.h"

void detect_engine_set_alert_max(struct detect_engine *de, uint32_t max)
{
	de->alert_max = max > DETECT_MAX_ALERTS ? DETECT_MAX_ALERTS : max;
}

static uint64_t alert_tx_id(const struct app_tx *tx)
{
	return tx != NULL ? app_tx_id(tx) : 0;	/* Suricata's packet alerts: tx 0 */
}

/* true when an alert of (order, tx) goes before a */
static bool ranks_before(uint32_t order, const struct app_tx *tx, const struct detect_alert *a)
{
	if (order != a->rule->order)
		return order < a->rule->order;
	return tx != a->tx && alert_tx_id(tx) > alert_tx_id(a->tx);
}

static void overflow(struct detect_thread *dt, struct detect_result *res)
{
	res->alerts_dropped++;
	dt->stats.alert_queue_overflow++;
}

struct detect_alert *detect_alertq_add(struct detect_thread *dt, struct detect_result *res,
				       const struct rule *r, struct app_tx *tx)
{
	uint32_t max = dt->de->alert_max ? dt->de->alert_max : DETECT_ALERTS_DEFAULT;
	uint32_t pos = res->nalerts;

	while (pos > 0 && ranks_before(r->order, tx, &res->alerts[pos - 1]))
		pos--;
	if (res->nalerts >= max) {
		overflow(dt, res);
		if (pos >= max)
			return NULL;
		res->nalerts = max - 1;		/* the lowest-ranked one goes */
		dt->stats.alerts--;
	}
	for (uint32_t i = res->nalerts; i > pos; i--)
		res->alerts[i] = res->alerts[i - 1];
	res->nalerts++;
	dt->stats.alerts++;
	res->alerts[pos].rule = r;
	res->alerts[pos].tx = tx;
	return &res->alerts[pos];
}

void detect_alertq_pass(struct detect_thread *dt, struct detect_result *res,
			const struct rule *r)
{
	while (res->nalerts > 0 && res->alerts[res->nalerts - 1].rule->order > r->order) {
		res->nalerts--;
		dt->stats.alerts--;
	}
}
