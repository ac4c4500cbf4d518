/* SPDX-License-Identifier: MIT */
/* The HA node: VRRP instances from the configuration wired to their
 * sockets, the VIPs (netlink), announcements, tracked resources, notify
 * scripts and the dataplane's role. Everything runs on the one loop. */
#ifndef IDS_HA_H
#define IDS_HA_H

#include <stdio.h>

#include "control/config/ctl_conf.h"
#include "control/track/track.h"
#include "control/vrrp/vrrp_fsm.h"
#include "control/vrrp/vrrp_sock.h"

struct loop;
struct ha;

struct ha_inst {
	struct vrrp_inst vi;
	const struct ctl_instance *cfg;
	struct ha *ha;
	struct vrrp_sock *sock;
	int ifindex;
	uint8_t mac[6];
	struct loop_timer *garp_t;
	unsigned garp_left;
	struct tracker *trk_if[CTL_MAX_TRACK];
	uint64_t vip_errors;
	uint64_t notify_errors;
	unsigned notify_pending;	/* notify scripts running with this as their arg */
	bool retired;			/* removed by a reload: freed after its scripts */
	struct ha_inst *next_retired;
};

/* Build every instance (sockets, trackers) and remove leftover VIPs of a
 * previous run. NULL on failure with err filled. The conf must outlive it. */
struct ha *ha_new(struct loop *l, const struct ctl_conf *cc, char *err, size_t errlen);
/* SIGHUP: make the running instances what cc says (keepalived's reload).
 * An instance configured exactly as before keeps running untouched, its
 * state (mastership) and counters included; a changed one is shut down and
 * started again, a removed one shut down (priority 0, VIPs released), a new
 * one started. Scripts configured as before keep their state; the
 * dataplane tracker is replaced when its settings changed. On failure
 * (err: the instance and why, e.g. an interface that does not exist)
 * nothing changed. cc must outlive ha or the next reload; the previous one
 * may be freed once this returns 0. */
int ha_reload(struct ha *ha, const struct ctl_conf *cc, char *err, size_t errlen);
/* Startup every instance. */
void ha_start(struct ha *ha);
/* Shutdown every instance (priority 0, VIPs released, notify_stop). */
void ha_stop(struct ha *ha);
void ha_free(struct ha *ha);

unsigned ha_count(const struct ha *ha);
struct ha_inst *ha_inst_at(struct ha *ha, unsigned i);
/* The dataplane tracker, or NULL with telemetry: none. */
const struct tracker *ha_dataplane(const struct ha *ha);

/* Counters and states, one "key value" line each (SIGUSR1 dump, tests). */
void ha_dump(const struct ha *ha, FILE *out);

#endif
