/* SPDX-License-Identifier: MIT */
/* RFC 5798 §6.4 as written: one function per (state, event) pair that the
 * RFC lists, each with the RFC's steps in the RFC's order. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "common/bug.h"
#include "control/loop/loop.h"
#include "vrrp_fsm.h"

#define CS_US 10000u	/* one centisecond */

static const char *const state_names[VRRP_STATE__MAX] = {
	[VRRP_INIT] = "INIT", [VRRP_BACKUP] = "BACKUP",
	[VRRP_MASTER] = "MASTER", [VRRP_FAULT] = "FAULT",
};

static const char *const reason_names[VRRP_WHY__MAX] = {
	[VRRP_WHY_STARTUP] = "startup",
	[VRRP_WHY_OWNER] = "address_owner",
	[VRRP_WHY_MASTER_DOWN] = "master_down",
	[VRRP_WHY_PEER_STOPPED] = "peer_priority_0",
	[VRRP_WHY_HIGHER_PRIO] = "higher_priority",
	[VRRP_WHY_SHUTDOWN] = "shutdown",
	[VRRP_WHY_FAULT] = "fault",
	[VRRP_WHY_FAULT_CLEARED] = "fault_cleared",
	[VRRP_WHY_ADMIN_DEMOTE] = "admin_demote",
	[VRRP_WHY_ADMIN_PROMOTE] = "admin_promote",
};

const char *vrrp_state_name(enum vrrp_state s)
{
	return (unsigned)s < VRRP_STATE__MAX ? state_names[s] : "?";
}

const char *vrrp_reason_name(enum vrrp_reason r)
{
	return (unsigned)r < VRRP_WHY__MAX ? reason_names[r] : "?";
}

/* §6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256,
 * computed in microseconds so a 1 cs interval keeps its fraction. */
uint64_t vrrp_skew_us(const struct vrrp_inst *vi)
{
	return (256u - vi->eff_priority) * (uint64_t)vi->master_adver_int_cs * CS_US / 256u;
}

/* §6.1: Master_Down_Interval = (3 * Master_Adver_Interval) + Skew_Time */
uint64_t vrrp_master_down_us(const struct vrrp_inst *vi)
{
	return 3u * (uint64_t)vi->master_adver_int_cs * CS_US + vrrp_skew_us(vi);
}

static uint8_t eff_priority(const struct vrrp_inst *vi)
{
	int p = vi->conf.priority;

	if (vi->admin < 0)
		return 1;
	if (vi->admin > 0)
		return p == VRRP_PRIO_OWNER ? VRRP_PRIO_OWNER : 254;
	/* the owner keeps 255 whatever is tracked (as keepalived) */
	if (p == VRRP_PRIO_OWNER)
		return VRRP_PRIO_OWNER;
	p += vi->track_delta;
	return (uint8_t)(p < 1 ? 1 : p > 254 ? 254 : p);
}

static void timer_stop(struct vrrp_inst *vi, struct loop_timer **t)
{
	loop_timer_cancel(vi->loop, *t);
	*t = NULL;
}

static void on_adver_timer(struct loop *l, struct loop_timer *t, void *arg);
static void on_down_timer(struct loop *l, struct loop_timer *t, void *arg);

static void timer_set(struct vrrp_inst *vi, struct loop_timer **t, uint64_t us,
		      loop_timer_cb cb)
{
	if (*t)
		loop_timer_rearm(vi->loop, *t, us);
	else
		*t = loop_timer_add(vi->loop, us, cb, vi);
	/* an allocation failure here would leave the instance deaf */
	BUG_ON(!*t);
}

static void send_advert(struct vrrp_inst *vi, uint8_t prio)
{
	vi->ops->send_advert(vi, prio);
	vi->cnt.adverts_tx++;
	if (prio == VRRP_PRIO_STOP)
		vi->cnt.prio0_tx++;
}

static void set_state(struct vrrp_inst *vi, enum vrrp_state to, enum vrrp_reason why)
{
	enum vrrp_state from = vi->state;

	vi->state = to;
	vi->cnt.became[to]++;
	vi->cnt.reasons[why]++;
	vi->last_reason = why;
	vi->last_change_us = loop_now_us(vi->loop);
	vi->ops->transition(vi, from, why);
}

/* §6.4.1 (owner) and §6.4.2 (Master_Down_Timer fires): send an advert,
 * broadcast gratuitous ARP, set Adver_Timer, transition to Master. */
static void become_master(struct vrrp_inst *vi, enum vrrp_reason why)
{
	timer_stop(vi, &vi->down_t);
	send_advert(vi, vi->eff_priority);
	vi->ops->vips_up(vi);
	timer_set(vi, &vi->adver_t, vi->conf.adver_int_cs * (uint64_t)CS_US, on_adver_timer);
	set_state(vi, VRRP_MASTER, why);
}

/* §6.4.1 (not owner) and §6.4.3 (higher priority seen): set
 * Master_Adver_Interval, recompute the down interval, set the timer. */
static void become_backup(struct vrrp_inst *vi, enum vrrp_reason why, uint16_t mai_cs)
{
	bool was_master = vi->state == VRRP_MASTER;

	timer_stop(vi, &vi->adver_t);
	if (was_master)
		vi->ops->vips_down(vi);
	vi->master_adver_int_cs = mai_cs ? mai_cs : vi->conf.adver_int_cs;
	timer_set(vi, &vi->down_t, vrrp_master_down_us(vi), on_down_timer);
	set_state(vi, VRRP_BACKUP, why);
}

/* Shutdown (§6.4.2, §6.4.3) and entering FAULT: a master cancels its
 * Adver_Timer and sends priority 0 so the backup takes over after Skew_Time. */
static void leave(struct vrrp_inst *vi, enum vrrp_state to, enum vrrp_reason why)
{
	timer_stop(vi, &vi->down_t);
	if (vi->state == VRRP_MASTER) {
		timer_stop(vi, &vi->adver_t);
		send_advert(vi, VRRP_PRIO_STOP);
		vi->ops->vips_down(vi);
	}
	set_state(vi, to, why);
}

static void on_adver_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vrrp_inst *vi = arg;

	(void)l;
	BUG_ON(vi->state != VRRP_MASTER);
	/* §6.4.3: send an advert, reset Adver_Timer */
	send_advert(vi, vi->eff_priority);
	loop_timer_rearm(vi->loop, t, vi->conf.adver_int_cs * (uint64_t)CS_US);
}

static void on_down_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vrrp_inst *vi = arg;

	(void)l;
	(void)t;
	BUG_ON(vi->state != VRRP_BACKUP);
	vi->down_t = NULL;	/* freed by the loop when this returns */
	become_master(vi, vi->down_t_prio0 ? VRRP_WHY_PEER_STOPPED : VRRP_WHY_MASTER_DOWN);
}

void vrrp_inst_init(struct vrrp_inst *vi, struct loop *l, int family, const union ip_addr *self,
		    const struct vrrp_ops *ops, void *ops_arg)
{
	struct vrrp_inst_conf conf = vi->conf;

	memset(vi, 0, sizeof(*vi));
	vi->conf = conf;
	vi->state = VRRP_INIT;
	vi->loop = l;
	vi->family = family;
	vi->self = *self;
	vi->ops = ops;
	vi->ops_arg = ops_arg;
	vi->eff_priority = eff_priority(vi);
	vi->master_adver_int_cs = conf.adver_int_cs;
}

void vrrp_startup(struct vrrp_inst *vi)
{
	enum vrrp_reason why = vi->state == VRRP_FAULT ? VRRP_WHY_FAULT_CLEARED : VRRP_WHY_STARTUP;

	if (vi->state == VRRP_BACKUP || vi->state == VRRP_MASTER)
		return;
	vi->running = true;
	if (vi->faults) {
		if (vi->state != VRRP_FAULT)
			set_state(vi, VRRP_FAULT, VRRP_WHY_FAULT);
		return;
	}
	vi->preempt_until_us = loop_now_us(vi->loop) + vi->conf.preempt_delay_us;
	vi->down_t_prio0 = false;
	/* §6.4.1: the owner becomes master at once */
	if (vi->eff_priority == VRRP_PRIO_OWNER)
		become_master(vi, VRRP_WHY_OWNER);
	else
		become_backup(vi, why, vi->conf.adver_int_cs);
}

void vrrp_shutdown(struct vrrp_inst *vi)
{
	vi->running = false;
	if (vi->state == VRRP_INIT)
		return;
	leave(vi, VRRP_INIT, VRRP_WHY_SHUTDOWN);
}

static bool preempting(struct vrrp_inst *vi)
{
	return vi->conf.preempt && vi->admin >= 0;
}

/* §6.4.2: an advert while Backup */
static void backup_advert(struct vrrp_inst *vi, const struct vrrp_advert *adv)
{
	if (adv->priority == VRRP_PRIO_STOP) {
		/* "set the Master_Down_Timer to Skew_Time" */
		vi->down_t_prio0 = true;
		timer_set(vi, &vi->down_t, vrrp_skew_us(vi), on_down_timer);
		return;
	}
	if (preempting(vi) && adv->priority < vi->eff_priority) {
		/* preempt_delay (keepalived): a lower master is tolerated for a
		 * while after startup; otherwise the RFC says discard it */
		if (loop_now_us(vi->loop) >= vi->preempt_until_us)
			return;
		vi->cnt.preempt_held++;
	}
	/* "Preempt_Mode is False, or the Priority ... is greater than or
	 * equal to the local Priority": accept this master */
	vi->down_t_prio0 = false;
	vi->master_adver_int_cs = adv->adver_int_cs ? adv->adver_int_cs : vi->conf.adver_int_cs;
	timer_set(vi, &vi->down_t, vrrp_master_down_us(vi), on_down_timer);
}

/* §6.4.3: an advert while Master */
static void master_advert(struct vrrp_inst *vi, const struct vrrp_advert *adv)
{
	size_t al = vi->family == AF_INET6 ? 16 : 4;

	if (adv->priority == VRRP_PRIO_STOP) {
		/* "Send an ADVERTISEMENT; Reset the Adver_Timer" */
		send_advert(vi, vi->eff_priority);
		timer_set(vi, &vi->adver_t, vi->conf.adver_int_cs * (uint64_t)CS_US,
			  on_adver_timer);
		return;
	}
	if (adv->priority > vi->eff_priority ||
	    (adv->priority == vi->eff_priority && memcmp(adv->src.b, vi->self.b, al) > 0))
		become_backup(vi, VRRP_WHY_HIGHER_PRIO, adv->adver_int_cs);
	/* else: "Discard the ADVERTISEMENT" */
}

void vrrp_advert_in(struct vrrp_inst *vi, const struct vrrp_advert *adv)
{
	vi->cnt.adverts_rx++;
	if (adv->priority == VRRP_PRIO_STOP)
		vi->cnt.prio0_rx++;
	if (vi->state == VRRP_BACKUP)
		backup_advert(vi, adv);
	else if (vi->state == VRRP_MASTER)
		master_advert(vi, adv);
}

/* A master tells its peer a priority change at once rather than at the
 * next interval, so a tracked failure moves the pair sooner. */
static void priority_changed(struct vrrp_inst *vi, uint8_t old)
{
	if (vi->eff_priority != old && vi->state == VRRP_MASTER)
		send_advert(vi, vi->eff_priority);
}

void vrrp_set_tracking(struct vrrp_inst *vi, int delta, unsigned faults)
{
	uint8_t old = vi->eff_priority;

	vi->track_delta = delta;
	vi->faults = faults;
	vi->eff_priority = eff_priority(vi);
	if (!vi->running)
		return;
	if (faults && vi->state != VRRP_FAULT) {
		leave(vi, VRRP_FAULT, VRRP_WHY_FAULT);
		return;
	}
	if (!faults && vi->state == VRRP_FAULT) {
		vrrp_startup(vi);
		return;
	}
	priority_changed(vi, old);
}

int vrrp_admin(struct vrrp_inst *vi, int mode)
{
	uint8_t old = vi->eff_priority;

	if (vi->admin == mode)
		return -EALREADY;
	vi->admin = mode;
	vi->eff_priority = eff_priority(vi);
	if (mode < 0 && vi->state == VRRP_MASTER) {
		/* as Shutdown: priority 0 so the peer takes over after Skew_Time */
		timer_stop(vi, &vi->adver_t);
		send_advert(vi, VRRP_PRIO_STOP);
		become_backup(vi, VRRP_WHY_ADMIN_DEMOTE, vi->conf.adver_int_cs);
		return 0;
	}
	if (mode > 0 && vi->state == VRRP_BACKUP) {
		become_master(vi, VRRP_WHY_ADMIN_PROMOTE);
		return 0;
	}
	priority_changed(vi, old);
	return 0;
}
