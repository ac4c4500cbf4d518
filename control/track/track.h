/* SPDX-License-Identifier: MIT */
/* Tracked resources (keepalived's track_interface, vrrp_script, and the
 * dataplane's health over its telemetry socket). Each exposes a struct
 * tracker whose ok flag flips with a reason; the HA layer turns the set of
 * flags into a priority delta or FAULT. */
#ifndef IDS_TRACK_H
#define IDS_TRACK_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct loop_timer;
struct ctl_script;

typedef void (*tracker_cb)(void *ctx);

struct tracker {
	char name[64];			/* "if eth0", "script chk", "dataplane" */
	bool ok;
	char why[96];			/* last reason for a change */
	uint64_t changes;
	tracker_cb changed;
	void *ctx;
};

/* Set ok with a reason; calls changed when it flips. */
void tracker_set(struct tracker *t, bool ok, const char *why);

/* vrrp_script: run cmd every interval; `fall` failures in a row make it
 * fail, `rise` successes make it OK again. Starts OK. */
struct track_script {
	struct tracker t;
	const struct ctl_script *cfg;	/* a reload may point it at an equal copy */
	const char *user;
	struct loop *loop;
	struct loop_timer *timer;
	unsigned good, bad;
	bool running;
	bool retired;			/* freed when the running check ends */
	uint64_t runs, failures, timeouts;
};
/* Start checking at once. NULL on allocation failure. */
struct track_script *track_script_new(struct loop *l, const struct ctl_script *cfg,
				      const char *user, tracker_cb changed, void *ctx);
/* A reload dropped the script: no further check, no further report (cfg
 * may be gone). Freed now, or when a check still running ends. */
void track_script_retire(struct track_script *s);
/* At exit, the loop stopped: freed now. NULL is a no-op. */
void track_script_free(struct track_script *s);

/* Interfaces: up means IFF_UP and IFF_RUNNING, followed through rtnetlink
 * link notifications. */
struct track_ifs;
struct track_ifs *track_ifs_new(struct loop *l, tracker_cb changed, void *ctx);
void track_ifs_free(struct track_ifs *m);
/* The tracker for ifname (created on first use). NULL on allocation failure. */
struct tracker *track_ifs_get(struct track_ifs *m, const char *ifname);

/* The dataplane through DPDK's telemetry socket. */
struct track_dp_conf {
	const char *path;
	uint64_t interval_us;		/* poll period */
	uint64_t timeout_us;		/* a poll unanswered this long = unhealthy */
	uint64_t stall_us;		/* a worker heartbeat unchanged this long = stalled */
};
struct track_dp;
struct track_dp *track_dp_new(struct loop *l, const struct track_dp_conf *c, tracker_cb changed,
			      void *ctx);
void track_dp_free(struct track_dp *d);
struct tracker *track_dp_tracker(struct track_dp *d);
/* Tell the dataplane its role ("/ids/role,active|standby"); kept and sent
 * again on every reconnect. A dataplane without the command ignores it. */
void track_dp_set_role(struct track_dp *d, bool active);

#endif
