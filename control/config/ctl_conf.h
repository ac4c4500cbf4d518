/* SPDX-License-Identifier: MIT */
/* ids-control's configuration in keepalived's vocabulary (DESIGN.md):
 * vrrp.instances (vrrp_instance), vrrp.scripts (vrrp_script), dataplane
 * (telemetry socket), management (read by control/mgmt). Read once into
 * plain structs; strings point into the conf tree, which must outlive them. */
#ifndef IDS_CTL_CONF_H
#define IDS_CTL_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "control/netlink/vip.h"
#include "control/vrrp/vrrp_fsm.h"

#define CTL_MAX_INSTANCES	16
#define CTL_MAX_SCRIPTS		16
#define CTL_MAX_TRACK		8
#define CTL_MAX_PEERS		8

struct ctl_script {
	const char *name;
	const char *cmd;		/* split into argv without a shell */
	uint64_t interval_us;
	uint64_t timeout_us;
	int weight;			/* >0 added while OK, <0 added while failing, 0 = FAULT */
	unsigned rise, fall;
};

struct ctl_track {
	const char *name;		/* interface or script name */
	unsigned script;		/* index into scripts[] (track_script) */
	int weight;
	bool weight_set;		/* overrides the script's own weight */
};

struct ctl_instance {
	struct vrrp_inst_conf vrrp;
	char ifname[IF_NAMESIZE];
	int family;			/* of the VIPs: one family per instance (§1) */
	struct vip vips[VRRP_MAX_ADDRS];
	unsigned nvip;
	bool has_src;
	union ip_addr unicast_src;
	union ip_addr peers[CTL_MAX_PEERS];
	unsigned npeer;
	unsigned garp_repeat;		/* announcements on becoming master */
	uint64_t garp_interval_us;
	struct ctl_track track_if[CTL_MAX_TRACK];
	unsigned ntrack_if;
	struct ctl_track track_script[CTL_MAX_TRACK];
	unsigned ntrack_script;
	bool track_dp;
	int dp_weight;			/* 0 = FAULT when the dataplane is unhealthy */
	const char *notify_master, *notify_backup, *notify_fault, *notify_stop, *notify;
};

struct ctl_conf {
	struct ctl_instance inst[CTL_MAX_INSTANCES];
	unsigned ninst;
	struct ctl_script scripts[CTL_MAX_SCRIPTS];
	unsigned nscript;
	const char *script_user;	/* NULL: run as ourselves */
	uint64_t notify_timeout_us;
	const char *telemetry;		/* NULL when "none" */
	const char *eve;		/* the dataplane's eve.json (alerts), or NULL */
	uint64_t dp_interval_us;	/* health poll period */
	uint64_t dp_timeout_us;		/* no answer for this long = unhealthy */
	uint64_t dp_stall_us;		/* a worker heartbeat older than this = stalled */
	bool dp_role;			/* push /ids/role on transitions */
	const struct conf_node *management;
};

/* The vrrp.* and dataplane.* keys, for conf_schema_add(). */
extern const struct conf_schema_row ctl_conf_schema[];

/* Fill out from c. 0, or -EINVAL with err = "file:line:col: key 'x': why". */
int ctl_conf_read(const struct conf *c, struct ctl_conf *out, char *err, size_t errlen);

/* For a reload (SIGHUP): whether an instance, a script or the dataplane
 * tracker is configured alike in two reads (strings by content), so the
 * running one can be kept with its state. */
bool ctl_instance_same(const struct ctl_instance *a, const struct ctl_instance *b);
bool ctl_script_same(const struct ctl_script *a, const struct ctl_script *b);
bool ctl_dataplane_same(const struct ctl_conf *a, const struct ctl_conf *b);

/* "0.01" / "1" / "2.5" seconds. Durations in microseconds; advert_int in
 * centiseconds (more than two decimals is an error). 0 or -EINVAL. */
int ctl_parse_seconds_us(const char *s, uint64_t *us);
int ctl_parse_centisec(const char *s, uint16_t *cs);

#endif
