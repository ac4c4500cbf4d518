/* SPDX-License-Identifier: MIT */
/* Flowbits, stored as a small set of ids in struct flow (bits[], nbits), in
 * the order set.
 * isset/isnotset are conditions (each keyword is an OR over its names, all
 * keywords must hold); set/unset/toggle run once the whole rule matched. */
#include <string.h>

#include "detect-int.h"

static int bit_find(const struct flow *f, uint32_t id)
{
	for (uint32_t i = 0; i < f->nbits; i++)
		if (f->bits[i] == id)
			return (int)i;
	return -1;
}

static void bit_set(struct detect_thread *dt, struct flow *f, uint32_t id)
{
	if (bit_find(f, id) >= 0)
		return;
	if (f->nbits >= FLOW_MAX_BITS) {
		dt->stats.flowbits_overflow++;
		return;
	}
	f->bits[f->nbits++] = id;
}

/* The others keep their order (the order set, which EVE's metadata lists,
 * as Suricata's flow var list). */
static void bit_unset(struct flow *f, uint32_t id)
{
	int i = bit_find(f, id);

	if (i < 0)
		return;
	f->nbits--;
	memmove(&f->bits[i], &f->bits[i + 1], (f->nbits - (uint32_t)i) * sizeof(f->bits[0]));
}

bool detect_flowbits_check(const struct rule *r, const struct flow *f)
{
	for (uint32_t k = 0; k < r->nflowbit; k++) {
		const struct rule_flowbit *fb = &r->flowbit[k];
		bool any = false;

		if (fb->op != FB_ISSET && fb->op != FB_ISNOTSET)
			continue;
		for (uint16_t j = 0; j < fb->n && !any; j++) {
			bool set = bit_find(f, fb->ids[j]) >= 0;

			any = fb->op == FB_ISSET ? set : !set;
		}
		if (!any)
			return false;
	}
	return true;
}

void detect_flowbits_apply(struct detect_thread *dt, const struct rule *r, struct flow *f)
{
	for (uint32_t k = 0; k < r->nflowbit; k++) {
		const struct rule_flowbit *fb = &r->flowbit[k];

		for (uint16_t j = 0; j < fb->n; j++) {
			uint32_t id = fb->ids[j];

			switch (fb->op) {
			case FB_SET:
				bit_set(dt, f, id);
				break;
			case FB_UNSET:
				bit_unset(f, id);
				break;
			case FB_TOGGLE:
				if (bit_find(f, id) >= 0)
					bit_unset(f, id);
				else
					bit_set(dt, f, id);
				break;
			default:
				break;
			}
		}
	}
}
