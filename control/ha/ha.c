/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/log.h"
#include "control/loop/loop.h"
#include "control/netlink/vip.h"
#include "control/notify/spawn.h"
#include "ha.h"

struct ha {
	struct loop *loop;
	const struct ctl_conf *cc;	/* NULL until the first apply */
	struct vip_nl *nl;
	/* old and new instances' sockets side by side while a reload prepares */
	struct vrrp_sock *socks[2 * CTL_MAX_INSTANCES];
	unsigned nsock;
	struct ha_inst *inst[CTL_MAX_INSTANCES];	/* in configuration order */
	unsigned ninst;
	struct ha_inst *retired;	/* removed by a reload, a notify script still running */
	struct track_script *scripts[CTL_MAX_SCRIPTS];	/* as cc->scripts */
	struct track_ifs *ifs;
	struct track_dp *dp;
	bool dp_active_sent;
};

static struct ha_inst *of(struct vrrp_inst *vi)
{
	return vi->ops_arg;
}

static void send_advert(struct vrrp_inst *vi, uint8_t prio)
{
	struct ha_inst *hi = of(vi);
	const struct ctl_instance *c = hi->cfg;
	uint8_t buf[VRRP_HDR_LEN + 16 * VRRP_MAX_ADDRS];
	union ip_addr addrs[VRRP_MAX_ADDRS];
	int len;

	for (unsigned i = 0; i < c->nvip; i++)
		addrs[i] = c->vips[i].addr;
	if (!c->npeer) {
		len = vrrp_build(buf, sizeof(buf), c->family, c->vrrp.vrid, prio,
				 c->vrrp.adver_int_cs, addrs, c->nvip, &hi->sock->self,
				 &hi->sock->group);
		if (len > 0)
			vrrp_sock_send(hi->sock, &hi->sock->group, buf, (size_t)len);
		return;
	}
	/* unicast: the checksum's pseudo-header names each peer */
	for (unsigned p = 0; p < c->npeer; p++) {
		len = vrrp_build(buf, sizeof(buf), c->family, c->vrrp.vrid, prio,
				 c->vrrp.adver_int_cs, addrs, c->nvip, &hi->sock->self,
				 &c->peers[p]);
		if (len > 0)
			vrrp_sock_send(hi->sock, &c->peers[p], buf, (size_t)len);
	}
}

static void announce(struct ha_inst *hi)
{
	for (unsigned i = 0; i < hi->cfg->nvip; i++)
		vip_announce(hi->ifindex, hi->mac, &hi->cfg->vips[i]);
}

static void on_garp(struct loop *l, struct loop_timer *t, void *arg)
{
	struct ha_inst *hi = arg;

	announce(hi);
	if (--hi->garp_left) {
		loop_timer_rearm(l, t, hi->cfg->garp_interval_us);
		return;
	}
	hi->garp_t = NULL;
}

static void set_vips(struct ha_inst *hi, bool add)
{
	char a[64];
	int ret;

	for (unsigned i = 0; i < hi->cfg->nvip; i++) {
		ret = vip_nl_set(hi->ha->nl, hi->ifindex, &hi->cfg->vips[i], add);
		if (ret < 0) {
			hi->vip_errors++;
			log_msg(LOG_ERR, "vrrp", "%s: cannot %s %s on %s: %s", hi->cfg->vrrp.name,
				add ? "add" : "remove", vip_format(&hi->cfg->vips[i], a, sizeof(a)),
				hi->cfg->ifname, strerror(-ret));
		}
	}
}

static void vips_up(struct vrrp_inst *vi)
{
	struct ha_inst *hi = of(vi);

	set_vips(hi, true);
	/* the first announcement now, the repeats on a timer */
	announce(hi);
	loop_timer_cancel(hi->ha->loop, hi->garp_t);
	hi->garp_t = NULL;
	hi->garp_left = hi->cfg->garp_repeat - 1;
	if (hi->garp_left)
		hi->garp_t = loop_timer_add(hi->ha->loop, hi->cfg->garp_interval_us, on_garp, hi);
}

static void vips_down(struct vrrp_inst *vi)
{
	struct ha_inst *hi = of(vi);

	loop_timer_cancel(hi->ha->loop, hi->garp_t);
	hi->garp_t = NULL;
	set_vips(hi, false);
}

static void free_retired(struct ha_inst *hi)
{
	struct ha_inst **pp = &hi->ha->retired;

	while (*pp && *pp != hi)
		pp = &(*pp)->next_retired;
	if (*pp)
		*pp = hi->next_retired;
	free(hi);
}

static void notify_done(void *arg, int status)
{
	struct ha_inst *hi = arg;

	hi->notify_pending--;
	if (status != 0) {
		hi->notify_errors++;
		log_msg(LOG_WARN, "notify", "%s: notify script ended with %d", hi->vi.conf.name,
			status);
	}
	if (hi->retired && !hi->notify_pending)
		free_retired(hi);
}

static void run_notify(struct ha_inst *hi, const char *cmd, const char *const *extra)
{
	pid_t pid;

	if (!cmd)
		return;
	pid = spawn_run(hi->ha->loop, cmd, extra, hi->ha->cc->script_user,
			hi->ha->cc->notify_timeout_us, notify_done, hi);
	if (pid < 0) {
		hi->notify_errors++;
		log_msg(LOG_ERR, "notify", "%s: cannot run '%s': %s", hi->cfg->vrrp.name, cmd,
			strerror((int)-pid));
		return;
	}
	hi->notify_pending++;
}

/* The dataplane is active while any instance is master. */
static void push_role(struct ha *ha)
{
	bool active = false;

	if (!ha->dp || !ha->cc->dp_role)
		return;
	for (unsigned i = 0; i < ha->ninst; i++)
		active |= ha->inst[i]->vi.state == VRRP_MASTER;
	track_dp_set_role(ha->dp, active);
}

static void transition(struct vrrp_inst *vi, enum vrrp_state from, enum vrrp_reason why)
{
	struct ha_inst *hi = of(vi);
	const struct ctl_instance *c = hi->cfg;
	char prio[8];
	const char *extra[] = { "INSTANCE", c->vrrp.name, vrrp_state_name(vi->state), prio, NULL };

	log_msg(LOG_NOTICE, "vrrp", "%s: %s -> %s (%s) priority %u", c->vrrp.name,
		vrrp_state_name(from), vrrp_state_name(vi->state), vrrp_reason_name(why),
		vi->eff_priority);
	snprintf(prio, sizeof(prio), "%u", vi->eff_priority);
	switch (vi->state) {
	case VRRP_MASTER:
		run_notify(hi, c->notify_master, NULL);
		break;
	case VRRP_BACKUP:
		run_notify(hi, c->notify_backup, NULL);
		break;
	case VRRP_FAULT:
		run_notify(hi, c->notify_fault, NULL);
		break;
	case VRRP_INIT:
		run_notify(hi, c->notify_stop, NULL);
		extra[2] = "STOP";
		break;
	case VRRP_STATE__MAX:
		break;
	}
	run_notify(hi, c->notify, extra);
	push_role(hi->ha);
}

static const struct vrrp_ops ha_ops = {
	.send_advert = send_advert,
	.vips_up = vips_up,
	.vips_down = vips_down,
	.transition = transition,
};

static void on_advert(void *arg, const struct vrrp_rx *rx)
{
	struct ha_inst *hi = arg;
	const struct ctl_instance *c = hi->cfg;
	union ip_addr vips[VRRP_MAX_ADDRS];
	struct vrrp_rx_conf rc = {
		.vrid = c->vrrp.vrid,
		.priority = c->vrrp.priority,
		.nvip = (uint8_t)c->nvip,
		.vips = vips,
		.npeer = (uint8_t)c->npeer,
		.peers = c->peers,
		.self = &hi->sock->self,
	};
	struct vrrp_advert adv;
	enum vrrp_drop d;

	for (unsigned i = 0; i < c->nvip; i++)
		vips[i] = c->vips[i].addr;
	d = vrrp_check_instance(rx, &rc, &adv);
	if (d != VRRP_RX_OK) {
		hi->vi.cnt.drops[d]++;
		return;
	}
	vrrp_advert_in(&hi->vi, &adv);
}

/* Recompute every instance's priority delta and fault count. keepalived's
 * rules: weight > 0 adds while OK, weight < 0 adds while failing, weight 0
 * puts the instance in FAULT while failing. */
static void retrack(void *ctx)
{
	struct ha *ha = ctx;

	for (unsigned i = 0; i < ha->ninst; i++) {
		struct ha_inst *hi = ha->inst[i];
		const struct ctl_instance *c = hi->cfg;
		int delta = 0;
		unsigned faults = 0;

		for (unsigned k = 0; k < c->ntrack_if + c->ntrack_script + c->track_dp; k++) {
			const struct tracker *t;
			int w;

			if (k < c->ntrack_if) {
				t = hi->trk_if[k];
				w = c->track_if[k].weight;
			} else if (k < c->ntrack_if + c->ntrack_script) {
				const struct ctl_track *ts = &c->track_script[k - c->ntrack_if];

				t = &ha->scripts[ts->script]->t;
				w = ts->weight;
			} else {
				t = track_dp_tracker(ha->dp);
				w = c->dp_weight;
			}
			if (w == 0)
				faults += !t->ok;
			else if (w > 0 && t->ok)
				delta += w;
			else if (w < 0 && !t->ok)
				delta += w;
		}
		vrrp_set_tracking(&hi->vi, delta, faults);
	}
}

/* The socket for c: one already open on its interface, family and source,
 * or a new one (remembered in ha->socks). NULL with err filled. */
static struct vrrp_sock *sock_for(struct ha *ha, const struct ctl_instance *c, char *err,
				  size_t errlen)
{
	struct vrrp_sock *s;

	for (unsigned i = 0; i < ha->nsock; i++) {
		s = ha->socks[i];
		if (s->family == c->family && strcmp(s->ifname, c->ifname) == 0 &&
		    (!c->has_src || memcmp(&s->self, &c->unicast_src, sizeof(s->self)) == 0))
			return s;
	}
	if (ha->nsock == sizeof(ha->socks) / sizeof(ha->socks[0])) {
		snprintf(err, errlen, "%s: too many VRRP sockets", c->vrrp.name);
		return NULL;
	}
	s = vrrp_sock_open(ha->loop, c->ifname, c->family, c->has_src ? &c->unicast_src : NULL,
			   err, errlen);
	if (s)
		ha->socks[ha->nsock++] = s;
	return s;
}

/* Close the sockets no instance uses (after a reload, or one that failed). */
static void socks_prune(struct ha *ha)
{
	unsigned out = 0;

	for (unsigned i = 0; i < ha->nsock; i++) {
		bool used = false;

		for (unsigned k = 0; k < ha->ninst && !used; k++)
			used = ha->inst[k]->sock == ha->socks[i];
		if (used)
			ha->socks[out++] = ha->socks[i];
		else
			vrrp_sock_close(ha->socks[i]);
	}
	ha->nsock = out;
}

/* Everything an instance needs that can fail, before anything changes:
 * its socket, its VRID there (free, or held by an instance this apply
 * removes: gone[] says which), its tracked interfaces. */
static int inst_prepare(struct ha *ha, struct ha_inst *hi, const struct ctl_instance *c,
			const bool *gone, char *err, size_t errlen)
{
	hi->cfg = c;
	hi->ha = ha;
	hi->sock = sock_for(ha, c, err, errlen);
	if (!hi->sock)
		return -EINVAL;
	if (hi->sock->rx[c->vrrp.vrid]) {
		bool freed = false;

		for (unsigned i = 0; i < ha->ninst && !freed; i++)
			freed = gone[i] && hi->sock->rx_arg[c->vrrp.vrid] == ha->inst[i];
		if (!freed) {
			snprintf(err, errlen, "%s: VRID %u taken on %s", c->vrrp.name,
				 c->vrrp.vrid, c->ifname);
			return -EEXIST;
		}
	}
	for (unsigned k = 0; k < c->ntrack_if; k++) {
		char name[IF_NAMESIZE];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(c->track_if[k].name, " \t"),
			 c->track_if[k].name);
		hi->trk_if[k] = track_ifs_get(ha->ifs, name);
		if (!hi->trk_if[k]) {
			snprintf(err, errlen, "%s: too many tracked interfaces", c->vrrp.name);
			return -ENOSPC;
		}
	}
	return 0;
}

/* Prepared, its VRID now free: wire it to the socket, in INIT. */
static void inst_wire(struct ha *ha, struct ha_inst *hi)
{
	const struct ctl_instance *c = hi->cfg;

	hi->ifindex = hi->sock->ifindex;
	if (vip_if_mac(c->ifname, hi->mac) < 0)
		memset(hi->mac, 0, sizeof(hi->mac));
	vrrp_sock_unregister(hi->sock, c->vrrp.vrid);
	vrrp_sock_register(hi->sock, c->vrrp.vrid, on_advert, hi);
	hi->vi.conf = c->vrrp;
	vrrp_inst_init(&hi->vi, ha->loop, c->family, &hi->sock->self, &ha_ops, hi);
	/* a previous run killed with -9 may have left our addresses behind */
	set_vips(hi, false);
}

static void inst_timers_cancel(struct ha_inst *hi)
{
	loop_timer_cancel(hi->ha->loop, hi->garp_t);
	loop_timer_cancel(hi->ha->loop, hi->vi.adver_t);
	loop_timer_cancel(hi->ha->loop, hi->vi.down_t);
	hi->garp_t = hi->vi.adver_t = hi->vi.down_t = NULL;
}

/* A reload removed hi (or changed it: a new one replaces it): Shutdown as
 * at exit (priority 0 when master, VIPs released, notify_stop), then it
 * hears nothing more. Freed now, or when its last notify script ends. */
static void inst_retire(struct ha_inst *hi)
{
	vrrp_shutdown(&hi->vi);
	inst_timers_cancel(hi);
	if (hi->sock->rx_arg[hi->vi.conf.vrid] == hi)
		vrrp_sock_unregister(hi->sock, hi->vi.conf.vrid);
	hi->cfg = NULL;
	hi->sock = NULL;
	if (!hi->notify_pending) {
		free(hi);
		return;
	}
	hi->retired = true;
	hi->next_retired = hi->ha->retired;
	hi->ha->retired = hi;
}

/* Counts of what an apply did, for its log line. */
struct apply_counts {
	unsigned kept, added, removed;
};

/* Make the running set what cc says (ha->cc NULL: nothing runs yet). An
 * instance configured exactly as before keeps running untouched, state and
 * all; a changed one is shut down and started again; a removed one is shut
 * down; a new one starts (when start is set: a reload; ha_start does it at
 * startup). Scripts configured as before keep their state; the dataplane
 * tracker is replaced when its settings changed. Everything that can fail
 * is done first: on failure (err filled) nothing has changed. */
static int apply(struct ha *ha, const struct ctl_conf *cc, bool start, struct apply_counts *n,
		 char *err, size_t errlen)
{
	struct ha_inst *next[CTL_MAX_INSTANCES] = { 0 };
	bool fresh[CTL_MAX_INSTANCES] = { false }, gone[CTL_MAX_INSTANCES];
	struct track_script *scripts[CTL_MAX_SCRIPTS] = { 0 };
	bool script_kept[CTL_MAX_SCRIPTS] = { false };
	bool dp_new = !ha->cc || !ctl_dataplane_same(ha->cc, cc);
	struct track_dp *dp = dp_new ? NULL : ha->dp;
	unsigned old_nscript = ha->cc ? ha->cc->nscript : 0;
	unsigned nsock_before = ha->nsock;

	memset(n, 0, sizeof(*n));
	for (unsigned i = 0; i < ha->ninst; i++)
		gone[i] = true;
	/* instances: the same (kept) or new */
	for (unsigned j = 0; j < cc->ninst; j++) {
		for (unsigned i = 0; i < ha->ninst && !next[j]; i++)
			if (gone[i] && ctl_instance_same(ha->inst[i]->cfg, &cc->inst[j])) {
				next[j] = ha->inst[i];
				gone[i] = false;
			}
		if (next[j])
			continue;
		next[j] = calloc(1, sizeof(*next[j]));
		if (!next[j]) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		fresh[j] = true;
	}
	for (unsigned j = 0; j < cc->ninst; j++)
		if (fresh[j] && inst_prepare(ha, next[j], &cc->inst[j], gone, err, errlen) < 0)
			goto fail;
	if (dp_new && cc->telemetry) {
		struct track_dp_conf dc = {
			.path = cc->telemetry,
			.interval_us = cc->dp_interval_us,
			.timeout_us = cc->dp_timeout_us,
			.stall_us = cc->dp_stall_us,
		};

		dp = track_dp_new(ha->loop, &dc, retrack, ha);
		if (!dp) {
			snprintf(err, errlen, "dataplane tracker: out of memory");
			goto fail;
		}
	}
	for (unsigned j = 0; j < cc->nscript; j++) {
		for (unsigned k = 0; k < old_nscript && !scripts[j]; k++)
			if (!script_kept[k] && ha->scripts[k] &&
			    ctl_script_same(ha->scripts[k]->cfg, &cc->scripts[j])) {
				scripts[j] = ha->scripts[k];
				script_kept[k] = true;
			}
		if (scripts[j])
			continue;
		scripts[j] = track_script_new(ha->loop, &cc->scripts[j], cc->script_user, retrack,
					      ha);
		if (!scripts[j]) {
			snprintf(err, errlen, "script %s: out of memory", cc->scripts[j].name);
			goto fail;
		}
	}

	/* nothing fails from here on */
	for (unsigned i = 0; i < ha->ninst; i++) {
		if (!gone[i])
			continue;
		log_msg(LOG_NOTICE, "vrrp", "%s: removed or changed by the new configuration",
			ha->inst[i]->vi.conf.name);
		inst_retire(ha->inst[i]);
		n->removed++;
	}
	for (unsigned k = 0; k < old_nscript; k++)
		if (!script_kept[k])
			track_script_retire(ha->scripts[k]);
	for (unsigned j = 0; j < cc->nscript; j++) {
		scripts[j]->cfg = &cc->scripts[j];
		scripts[j]->user = cc->script_user;
		ha->scripts[j] = scripts[j];
	}
	if (dp_new) {
		track_dp_free(ha->dp);
		ha->dp = dp;
		ha->dp_active_sent = false;
	}
	ha->cc = cc;
	for (unsigned j = 0; j < cc->ninst; j++) {
		next[j]->cfg = &cc->inst[j];
		if (fresh[j])
			inst_wire(ha, next[j]);
		else
			n->kept++;
		ha->inst[j] = next[j];
	}
	ha->ninst = cc->ninst;
	socks_prune(ha);
	retrack(ha);
	for (unsigned j = 0; j < cc->ninst; j++) {
		if (!fresh[j])
			continue;
		n->added++;
		if (start)
			vrrp_startup(&next[j]->vi);
	}
	push_role(ha);
	return 0;
fail:
	for (unsigned j = 0; j < cc->ninst; j++)
		if (fresh[j])
			free(next[j]);
	for (unsigned j = 0; j < cc->nscript; j++) {
		bool kept = false;

		for (unsigned k = 0; k < old_nscript; k++)
			kept |= scripts[j] == ha->scripts[k];
		if (scripts[j] && !kept)
			track_script_free(scripts[j]);
	}
	if (dp_new)
		track_dp_free(dp);
	/* sockets opened for the new instances only */
	while (ha->nsock > nsock_before)
		vrrp_sock_close(ha->socks[--ha->nsock]);
	return -EINVAL;
}

struct ha *ha_new(struct loop *l, const struct ctl_conf *cc, char *err, size_t errlen)
{
	struct ha *ha = calloc(1, sizeof(*ha));
	struct apply_counts n;

	if (!ha) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ha->loop = l;
	ha->nl = vip_nl_open();
	ha->ifs = track_ifs_new(l, retrack, ha);
	if (!ha->nl || !ha->ifs) {
		snprintf(err, errlen, "rtnetlink: %s", strerror(errno));
		goto fail;
	}
	if (apply(ha, cc, false, &n, err, errlen) < 0)
		goto fail;
	return ha;
fail:
	ha_free(ha);
	return NULL;
}

int ha_reload(struct ha *ha, const struct ctl_conf *cc, char *err, size_t errlen)
{
	struct apply_counts n;

	if (apply(ha, cc, true, &n, err, errlen) < 0)
		return -EINVAL;
	log_msg(LOG_NOTICE, "control", "VRRP reconfigured: %u instance(s) kept, %u started, "
		"%u stopped", n.kept, n.added, n.removed);
	return 0;
}

void ha_start(struct ha *ha)
{
	retrack(ha);
	for (unsigned i = 0; i < ha->ninst; i++)
		vrrp_startup(&ha->inst[i]->vi);
}

void ha_stop(struct ha *ha)
{
	for (unsigned i = 0; i < ha->ninst; i++)
		vrrp_shutdown(&ha->inst[i]->vi);
}

void ha_free(struct ha *ha)
{
	if (!ha)
		return;
	for (unsigned i = 0; i < ha->ninst; i++) {
		inst_timers_cancel(ha->inst[i]);
		free(ha->inst[i]);
	}
	while (ha->retired) {
		struct ha_inst *hi = ha->retired;

		ha->retired = hi->next_retired;
		free(hi);
	}
	for (unsigned i = 0; ha->cc && i < ha->cc->nscript; i++)
		track_script_free(ha->scripts[i]);
	for (unsigned i = 0; i < ha->nsock; i++)
		vrrp_sock_close(ha->socks[i]);
	track_dp_free(ha->dp);
	track_ifs_free(ha->ifs);
	vip_nl_close(ha->nl);
	free(ha);
}

unsigned ha_count(const struct ha *ha)
{
	return ha->ninst;
}

struct ha_inst *ha_inst_at(struct ha *ha, unsigned i)
{
	return i < ha->ninst ? ha->inst[i] : NULL;
}

const struct tracker *ha_dataplane(const struct ha *ha)
{
	return ha->dp ? track_dp_tracker(ha->dp) : NULL;
}

void ha_dump(const struct ha *ha, FILE *out)
{
	for (unsigned i = 0; i < ha->ninst; i++) {
		const struct ha_inst *hi = ha->inst[i];
		const struct vrrp_counters *k = &hi->vi.cnt;
		const char *n = hi->cfg->vrrp.name;

		fprintf(out, "vrrp.%s.state %s\n", n, vrrp_state_name(hi->vi.state));
		fprintf(out, "vrrp.%s.priority %u\n", n, hi->vi.eff_priority);
		fprintf(out, "vrrp.%s.last_reason %s\n", n, vrrp_reason_name(hi->vi.last_reason));
		fprintf(out, "vrrp.%s.adverts_tx %llu\n", n, (unsigned long long)k->adverts_tx);
		fprintf(out, "vrrp.%s.adverts_rx %llu\n", n, (unsigned long long)k->adverts_rx);
		fprintf(out, "vrrp.%s.prio0_tx %llu\n", n, (unsigned long long)k->prio0_tx);
		fprintf(out, "vrrp.%s.prio0_rx %llu\n", n, (unsigned long long)k->prio0_rx);
		for (int s = 0; s < VRRP_STATE__MAX; s++)
			fprintf(out, "vrrp.%s.became.%s %llu\n", n, vrrp_state_name(s),
				(unsigned long long)k->became[s]);
		for (int r = 0; r < VRRP_WHY__MAX; r++)
			fprintf(out, "vrrp.%s.reason.%s %llu\n", n, vrrp_reason_name(r),
				(unsigned long long)k->reasons[r]);
		for (int d = 1; d < VRRP_DROP__MAX; d++)
			fprintf(out, "vrrp.%s.drop.%s %llu\n", n, vrrp_drop_name(d),
				(unsigned long long)k->drops[d]);
		fprintf(out, "vrrp.%s.vip_errors %llu\n", n, (unsigned long long)hi->vip_errors);
	}
	for (unsigned i = 0; i < ha->nsock; i++) {
		const struct vrrp_sock *s = ha->socks[i];

		fprintf(out, "socket.%s.rx_packets %llu\n", s->ifname,
			(unsigned long long)s->rx_packets);
		for (int d = 1; d < VRRP_DROP__MAX; d++)
			fprintf(out, "socket.%s.drop.%s %llu\n", s->ifname, vrrp_drop_name(d),
				(unsigned long long)s->drops[d]);
	}
	if (ha->dp)
		fprintf(out, "dataplane.ok %d\n", track_dp_tracker(ha->dp)->ok);
}
