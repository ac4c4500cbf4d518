/* SPDX-License-Identifier: MIT */
/* Names of Suricata's stream and app-layer events (events-t.h) both ways. */
#ifndef IDS_EVENTS_H
#define IDS_EVENTS_H

#include "events-t.h"

/* The id of name in family (EVF_PKT: "3whs_ack_in_wrong_dir",
 * "applayer_unexpected_protocol", ...; the others without their "http."
 * prefix), or -1 when Suricata has no such event. */
int event_find(enum event_family fam, const char *name);
/* The name of id in family; NULL when out of range. */
const char *event_name(enum event_family fam, unsigned id);

#endif
