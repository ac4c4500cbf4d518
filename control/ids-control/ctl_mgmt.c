/* SPDX-License-Identifier: MIT */
/* The management port's backend: status and HA commands answered from the
 * VRRP instances, dataplane commands over its telemetry socket (ctl_dp.c),
 * alerts followed in its eve.json (control/eve). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "control/eve/eve_tail.h"
#include "control/ha/ha.h"
#include "control/mgmt/mgmt.h"
#include "ctl_dp.h"
#include "ctl_mgmt.h"

/* How often eve.json is looked at: alerts reach "alerts --follow" within it. */
#define EVE_POLL_US 100000u
/* A reload compiles the whole rule set: give it time before calling it lost. */
#define DP_CMD_TIMEOUT_US (60ull * 1000000ull)

struct ctl_mgmt {
	struct mgmt *m;
	struct ha *ha;
	const struct conf *conf;
	struct ctl_dp *dp;
	char *telemetry;		/* what dp and eve follow (a reload compares) */
	struct eve_tail *eve;
	char *eve_path;
	uint64_t alerts;
};

const struct conf_schema_row *ctl_mgmt_schema(void)
{
	return mgmt_conf_schema;
}

static void reply_inst(struct mgmt_reply *r, const struct ha_inst *hi)
{
	const struct vrrp_inst *vi = &hi->vi;

	mgmt_reply_obj_open(r, NULL);
	mgmt_reply_str(r, "name", vi->conf.name);
	mgmt_reply_str(r, "interface", hi->cfg->ifname);
	mgmt_reply_uint(r, "virtual_router_id", vi->conf.vrid);
	mgmt_reply_str(r, "state", vrrp_state_name(vi->state));
	mgmt_reply_uint(r, "priority", vi->eff_priority);
	mgmt_reply_uint(r, "configured_priority", vi->conf.priority);
	mgmt_reply_str(r, "last_reason", vrrp_reason_name(vi->last_reason));
	mgmt_reply_uint(r, "adverts_tx", vi->cnt.adverts_tx);
	mgmt_reply_uint(r, "adverts_rx", vi->cnt.adverts_rx);
	mgmt_reply_obj_open(r, "drops");
	for (int d = 1; d < VRRP_DROP__MAX; d++)
		mgmt_reply_uint(r, vrrp_drop_name(d), vi->cnt.drops[d] + hi->sock->drops[d]);
	mgmt_reply_obj_close(r);
	mgmt_reply_obj_close(r);
}

static int ha_status(void *ctx, struct mgmt_reply *r)
{
	struct ctl_mgmt *cm = ctx;
	const struct tracker *dp = ha_dataplane(cm->ha);

	mgmt_reply_arr_open(r, "instances");
	for (unsigned i = 0; i < ha_count(cm->ha); i++)
		reply_inst(r, ha_inst_at(cm->ha, i));
	mgmt_reply_arr_close(r);
	if (dp) {
		mgmt_reply_obj_open(r, "dataplane");
		mgmt_reply_bool(r, "healthy", dp->ok);
		mgmt_reply_str(r, "reason", dp->why);
		mgmt_reply_obj_close(r);
	}
	return 0;
}

static int status(void *ctx, struct mgmt_reply *r)
{
	struct ctl_mgmt *cm = ctx;

	mgmt_reply_str(r, "version", "ids-control 0.1.0");
	if (cm->eve) {
		const struct eve_tail_stats *st = eve_tail_stats(cm->eve);

		mgmt_reply_obj_open(r, "eve");
		mgmt_reply_uint(r, "alerts", cm->alerts);
		mgmt_reply_uint(r, "lines", st->lines);
		mgmt_reply_uint(r, "rotations", st->rotations);
		mgmt_reply_uint(r, "truncations", st->truncations);
		mgmt_reply_uint(r, "long_lines", st->long_lines);
		mgmt_reply_uint(r, "read_errors", st->read_errors);
		mgmt_reply_obj_close(r);
	}
	return ha_status(ctx, r);
}

static int admin(struct ctl_mgmt *cm, struct mgmt_reply *r, int mode)
{
	unsigned changed = 0;

	for (unsigned i = 0; i < ha_count(cm->ha); i++)
		changed += vrrp_admin(&ha_inst_at(cm->ha, i)->vi, mode) == 0;
	if (!changed)
		return mgmt_reply_error(r, -EALREADY, "already %s",
					mode < 0 ? "demoted" : mode > 0 ? "promoted" :
					"released (neither demoted nor promoted)");
	return ha_status(cm, r);
}

static int ha_demote(void *ctx, struct mgmt_reply *r)
{
	return admin(ctx, r, -1);
}

static int ha_promote(void *ctx, struct mgmt_reply *r)
{
	return admin(ctx, r, 1);
}

static int ha_release(void *ctx, struct mgmt_reply *r)
{
	return admin(ctx, r, 0);
}

static int config_show(void *ctx, struct mgmt_reply *r)
{
	struct ctl_mgmt *cm = ctx;

	mgmt_reply_conf(r, "config", cm->conf->root);
	return 0;
}

static int stats(void *ctx, struct mgmt_reply *r)
{
	return ctl_dp_stats(((struct ctl_mgmt *)ctx)->dp, r);
}

static int rules_list(void *ctx, unsigned int argc, const char *const *argv,
		      struct mgmt_reply *r)
{
	return ctl_dp_rules_list(((struct ctl_mgmt *)ctx)->dp, argc, argv, r);
}

static int rules_stats(void *ctx, struct mgmt_reply *r)
{
	return ctl_dp_rules_stats(((struct ctl_mgmt *)ctx)->dp, r);
}

static int rules_top(void *ctx, unsigned int argc, const char *const *argv,
		     struct mgmt_reply *r)
{
	return ctl_dp_rules_top(((struct ctl_mgmt *)ctx)->dp, argc, argv, r);
}

static int rules_reload(void *ctx, struct mgmt_reply *r)
{
	return ctl_dp_rules_reload(((struct ctl_mgmt *)ctx)->dp, r);
}

static int rules_failed(void *ctx, struct mgmt_reply *r)
{
	return ctl_dp_rules_failed(((struct ctl_mgmt *)ctx)->dp, r);
}

static void on_eve_line(void *ctx, const char *line, size_t len)
{
	struct ctl_mgmt *cm = ctx;

	if (!eve_line_is_alert(line, len))
		return;
	cm->alerts++;
	mgmt_alert_publish(cm->m, line, len);
}

int ctl_mgmt_check(const struct conf *c, bool files, char *err, size_t errlen)
{
	const struct conf_node *sec = conf_get(c, "management");

	if (!sec)
		return 0;
	return (files ? mgmt_check(sec, err, errlen) : mgmt_check_conf(sec, err, errlen)) ?
	       -EINVAL : 0;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The dataplane's telemetry socket and eve.json as cc names them: kept
 * when unchanged, replaced otherwise (answers still owed by the old socket
 * fail). 0 or -ENOMEM with err filled, the previous ones kept. */
static int dataplane_follow(struct loop *l, struct ctl_mgmt *cm, const struct ctl_conf *cc,
			    char *err, size_t errlen)
{
	bool new_dp = !cm->dp || !same_str(cm->telemetry, cc->telemetry);
	bool new_eve = !same_str(cm->eve_path, cc->eve);
	char *tpath = cc->telemetry ? strdup(cc->telemetry) : NULL;
	char *epath = cc->eve ? strdup(cc->eve) : NULL;
	struct ctl_dp *dp = new_dp ? ctl_dp_new(l, cc->telemetry, DP_CMD_TIMEOUT_US) : cm->dp;
	struct eve_tail *eve = new_eve && cc->eve ?
			       eve_tail_new(l, cc->eve, EVE_POLL_US, on_eve_line, cm) : NULL;

	if ((cc->telemetry && !tpath) || (cc->eve && !epath) || !dp ||
	    (new_eve && cc->eve && !eve)) {
		snprintf(err, errlen, "dataplane: out of memory");
		free(tpath);
		free(epath);
		if (new_dp)
			ctl_dp_free(dp);
		eve_tail_free(eve);
		return -ENOMEM;
	}
	if (new_dp) {
		ctl_dp_free(cm->dp);
		cm->dp = dp;
	}
	if (new_eve) {
		eve_tail_free(cm->eve);
		cm->eve = eve;
	}
	free(cm->telemetry);
	free(cm->eve_path);
	cm->telemetry = tpath;
	cm->eve_path = epath;
	return 0;
}

int ctl_mgmt_start(struct loop *l, const struct conf *c, const struct ctl_conf *cc,
		   struct ha *ha, struct ctl_mgmt **out, char *err, size_t errlen)
{
	const struct conf_node *sec = conf_get(c, "management");
	struct ctl_mgmt *cm;
	struct mgmt_backend be = {
		.status = status,
		.stats = stats,
		.rules_list = rules_list,
		.rules_stats = rules_stats,
		.rules_top = rules_top,
		.rules_reload = rules_reload,
		.rules_failed = rules_failed,
		.ha_status = ha_status,
		.ha_demote = ha_demote,
		.ha_promote = ha_promote,
		.ha_release = ha_release,
		.config_show = config_show,
	};

	*out = NULL;
	if (!sec)
		return 0;
	cm = calloc(1, sizeof(*cm));
	if (!cm) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	cm->ha = ha;
	cm->conf = c;
	be.ctx = cm;
	if (dataplane_follow(l, cm, cc, err, errlen))
		goto fail;
	cm->m = mgmt_new(l, sec, &be, err, errlen);
	if (!cm->m)
		goto fail;
	*out = cm;
	return 0;
fail:
	ctl_mgmt_stop(cm);
	return -EINVAL;
}

int ctl_mgmt_reconfigure(struct ctl_mgmt **pcm, struct loop *l, const struct conf *c,
			 const struct ctl_conf *cc, struct ha *ha, char *err, size_t errlen)
{
	const struct conf_node *sec = conf_get(c, "management");
	struct ctl_mgmt *cm = *pcm;

	if (!cm)
		return ctl_mgmt_start(l, c, cc, ha, pcm, err, errlen);
	if (!sec) {
		log_msg(LOG_NOTICE, "control", "management section removed: port closed");
		ctl_mgmt_stop(cm);
		*pcm = NULL;
		return 0;
	}
	/* "config show" reads the tree: the caller frees the previous one */
	cm->conf = c;
	if (dataplane_follow(l, cm, cc, err, errlen))
		return -ENOMEM;
	return mgmt_reconfigure(cm->m, sec, err, errlen) ? -EINVAL : 0;
}

void ctl_mgmt_stop(struct ctl_mgmt *cm)
{
	if (!cm)
		return;
	eve_tail_free(cm->eve);
	/* answers still owed go out before the connections close */
	ctl_dp_free(cm->dp);
	mgmt_free(cm->m);
	free(cm->telemetry);
	free(cm->eve_path);
	free(cm);
}
