/* SPDX-License-Identifier: MIT */
/* The app-layer events a flow raised, as a bit mask, for the tests of
 * protocol detection and change. */
#ifndef IDS_TEST_APP_EVENTS_H
#define IDS_TEST_APP_EVENTS_H

#include <string.h>

#include "dataplane/applayer/applayer.h"

/* The events the flow raised since the last call, as bits
 * 1 << (ev - PEV_APPLAYER_FIRST) (EV(x) is the bit of PEV_APPLAYER_x). */
static inline unsigned take(struct app_flow *af)
{
	struct pkt_events ev;
	unsigned out = 0;

	memset(&ev, 0, sizeof(ev));
	app_flow_take_pkt_events(af, &ev);
	for (unsigned e = PEV_APPLAYER_FIRST; e < PEV_MAX; e++)
		if (pkt_event_isset(&ev, (enum pkt_event)e))
			out |= 1u << (e - PEV_APPLAYER_FIRST);
	return out;
}

#define EV(x) (1u << (PEV_APPLAYER_##x - PEV_APPLAYER_FIRST))

#endif
