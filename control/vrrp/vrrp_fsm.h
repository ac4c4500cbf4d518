/* SPDX-License-Identifier: MIT */
/* The VRRPv3 state machine of RFC 5798 §6.4, plus keepalived's FAULT state
 * (a tracked resource failed) and preempt_delay. It owns its two timers
 * (Adver_Timer, Master_Down_Timer) on the loop and does all I/O through
 * struct vrrp_ops, so tests drive it without sockets.
 *
 *              Startup (priority 255)                 Shutdown / fault
 *   +------+ ---------------------------> +--------+ -----------------> INIT/FAULT
 *   | INIT |                              | MASTER |    (advert prio 0)
 *   +------+ --+                          +--------+
 *      ^       | Startup                   ^      | higher priority advert
 *      |       v                           |      v
 *      |    +--------+  Master_Down_Timer  |   +--------+
 *      +----| BACKUP | --------------------+   | BACKUP |
 *  Shutdown +--------+                         +--------+
 */
#ifndef IDS_VRRP_FSM_H
#define IDS_VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "common/ip_addr-t.h"
#include "vrrp_pkt.h"

struct loop;
struct loop_timer;
struct vrrp_inst;

enum vrrp_state { VRRP_INIT, VRRP_BACKUP, VRRP_MASTER, VRRP_FAULT, VRRP_STATE__MAX };

/* Why a transition happened; logged and counted. */
enum vrrp_reason {
	VRRP_WHY_STARTUP,		/* §6.4.1 Startup, not owner */
	VRRP_WHY_OWNER,			/* §6.4.1 Startup with priority 255 */
	VRRP_WHY_MASTER_DOWN,		/* §6.4.2 Master_Down_Timer fired */
	VRRP_WHY_PEER_STOPPED,		/* priority-0 advert: down timer cut to Skew_Time */
	VRRP_WHY_HIGHER_PRIO,		/* §6.4.3 advert with higher priority (or tie, higher IP) */
	VRRP_WHY_SHUTDOWN,		/* §6.4.2/§6.4.3 Shutdown */
	VRRP_WHY_FAULT,			/* a tracked resource failed */
	VRRP_WHY_FAULT_CLEARED,		/* every tracked resource is back */
	VRRP_WHY_ADMIN_DEMOTE,		/* management: ha demote */
	VRRP_WHY_ADMIN_PROMOTE,		/* management: ha promote */
	VRRP_WHY__MAX
};

const char *vrrp_state_name(enum vrrp_state s);	/* "MASTER", ... */
const char *vrrp_reason_name(enum vrrp_reason r);	/* "master_down", ... */

/* Side effects, provided by the caller (sockets, netlink, notify). */
struct vrrp_ops {
	/* Send one advertisement with this priority (0 = stepping down). */
	void (*send_advert)(struct vrrp_inst *vi, uint8_t priority);
	/* Take the VIPs (add + gratuitous ARP / NA) or release them. */
	void (*vips_up)(struct vrrp_inst *vi);
	void (*vips_down)(struct vrrp_inst *vi);
	/* After every state change (the state is already vi->state). */
	void (*transition)(struct vrrp_inst *vi, enum vrrp_state from, enum vrrp_reason why);
};

struct vrrp_counters {
	uint64_t adverts_tx;
	uint64_t adverts_rx;
	uint64_t prio0_tx;
	uint64_t prio0_rx;
	uint64_t became[VRRP_STATE__MAX];
	uint64_t reasons[VRRP_WHY__MAX];
	uint64_t drops[VRRP_DROP__MAX];	/* instance-level §7.1 reasons */
	uint64_t preempt_held;		/* lower adverts accepted during preempt_delay */
};

/* Configuration, set before vrrp_inst_init; the FSM never changes it. */
struct vrrp_inst_conf {
	char name[32];
	uint8_t vrid;
	uint8_t priority;		/* 1..255 */
	uint16_t adver_int_cs;		/* 1..4095 */
	bool preempt;
	uint64_t preempt_delay_us;	/* after startup / fault recovery */
};

struct vrrp_inst {
	struct vrrp_inst_conf conf;
	/* runtime */
	enum vrrp_state state;
	uint8_t eff_priority;		/* conf.priority moved by tracking, admin */
	int track_delta;		/* sum of failing/succeeding weights */
	unsigned faults;		/* tracked resources in fault */
	int admin;			/* -1 demoted, +1 promoted, 0 none */
	bool running;			/* between Startup and Shutdown */
	bool down_t_prio0;		/* down timer cut short by a priority-0 advert */
	uint16_t master_adver_int_cs;
	uint64_t preempt_until_us;
	union ip_addr self;		/* our primary address: §6.4.3 tie-break */
	int family;
	struct loop *loop;
	struct loop_timer *adver_t;
	struct loop_timer *down_t;
	const struct vrrp_ops *ops;
	void *ops_arg;
	struct vrrp_counters cnt;
	enum vrrp_reason last_reason;
	uint64_t last_change_us;
};

/* Prepare vi (conf already filled) in INIT. */
void vrrp_inst_init(struct vrrp_inst *vi, struct loop *l, int family, const union ip_addr *self,
		    const struct vrrp_ops *ops, void *ops_arg);

/* §6.4.1 Startup (or FAULT recovery), §6.4.2/3 Shutdown: releases VIPs
 * and sends priority 0 when master. Shutdown cancels both timers. */
void vrrp_startup(struct vrrp_inst *vi);
void vrrp_shutdown(struct vrrp_inst *vi);

/* A validated advertisement for this instance. */
void vrrp_advert_in(struct vrrp_inst *vi, const struct vrrp_advert *adv);

/* Tracking: the priority delta (sum of weights) and the count of resources
 * forcing FAULT. Entering FAULT acts as Shutdown; leaving it, Startup. */
void vrrp_set_tracking(struct vrrp_inst *vi, int delta, unsigned faults);

/* Management: demote (priority 0 now, then advertise priority 1 and never
 * preempt) or promote (take over now, advertise 254); 0 = back to normal.
 * 0 or -EALREADY. */
int vrrp_admin(struct vrrp_inst *vi, int mode);

/* §6.1: Skew_Time and Master_Down_Interval for this instance, microseconds. */
uint64_t vrrp_skew_us(const struct vrrp_inst *vi);
uint64_t vrrp_master_down_us(const struct vrrp_inst *vi);

#endif
