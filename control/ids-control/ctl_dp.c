/* SPDX-License-Identifier: MIT */
/* Dataplane commands: one telemetry request per management command, its
 * JSON dictionary turned into reply members. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/mgmt/mgmt.h"
#include "control/track/telem.h"
#include "ctl_dp.h"

enum dp_ask {
	ASK_STATS,		/* /ids/stats: every counter */
	ASK_RULES_LIST,		/* /ids/rules: loaded and failed */
	ASK_RULES_STATS,	/* /ids/rules: all of it */
	ASK_RELOAD,		/* /ids/reload */
	ASK_RULES_FAILED,	/* /ids/rules/failed[,FROM]: paged */
	ASK_RULES_TOP,		/* /ids/rules/profile,SORT,N */
	ASK_RULES_EACH,		/* /ids/rules/list,FROM[,FILTER]: paged (rules list) */
};

static const char *const ask_cmd[] = {
	[ASK_STATS] = "/ids/stats",
	[ASK_RULES_LIST] = "/ids/rules",
	[ASK_RULES_STATS] = "/ids/rules",
	[ASK_RELOAD] = "/ids/reload",
	[ASK_RULES_FAILED] = "/ids/rules/failed",
	[ASK_RULES_TOP] = "/ids/rules/profile",
	[ASK_RULES_EACH] = "/ids/rules/list",
};

struct dp_req;

struct ctl_dp {
	struct telem *tc;		/* NULL: telemetry none */
	char path[108];
	struct dp_req *parked;		/* paged answers waiting for their client */
};

/* One command in flight; p is NULL when the reply could not be deferred
 * (the answer is then dropped). */
struct dp_req {
	enum dp_ask ask;
	struct mgmt_pending *p;
	struct mgmt_reply *r;
	char status[16];		/* reload: "ok" / "failed" */
	char message[256];
	/* rules failed: the pages so far */
	struct ctl_dp *d;
	uint64_t total, from, shown, listed;
	bool list_open;
	bool profiling_off;		/* rules top: the dataplane said enabled 0 */
	/* rules list: the counts first (ASK_RULES_LIST), then the rules */
	char filter[80];		/* ",sid=N" / ",file=NAME" or "" */
	uint64_t next;
	/* between pages, until the client took the last one (d->parked) */
	struct dp_req *park_prev, *park_next;
};

/* rules list: "file:line gid:sid:rev msg" as a member of the list, one
 * line for people, an object for scripts. */
static void each_member(struct dp_req *q, const char *key, const char *str, uint64_t num)
{
	unsigned line, gid, sid, rev;
	char file[128];
	int off = 0;

	if (str == NULL) {
		if (strcmp(key, "total") == 0)
			q->total = num;
		else if (strcmp(key, "next") == 0)
			q->next = num;
		return;
	}
	if (!q->list_open) {
		mgmt_reply_arr_open(q->r, "rules");
		q->list_open = true;
	}
	q->listed++;
	if (!mgmt_reply_is_json(q->r)) {
		mgmt_reply_str(q->r, NULL, str);
		return;
	}
	if (sscanf(str, "%127[^:]:%u %u:%u:%u %n", file, &line, &gid, &sid, &rev, &off) != 5 ||
	    off == 0) {
		mgmt_reply_str(q->r, NULL, str);
		return;
	}
	mgmt_reply_obj_open(q->r, NULL);
	mgmt_reply_str(q->r, "file", file);
	mgmt_reply_uint(q->r, "line", line);
	mgmt_reply_uint(q->r, "gid", gid);
	mgmt_reply_uint(q->r, "sid", sid);
	mgmt_reply_uint(q->r, "rev", rev);
	mgmt_reply_str(q->r, "msg", str + off);
	mgmt_reply_obj_close(q->r);
}

/* rules stats --top: the rules, keyed by place, are lines "GID:SID:REV
 * CHECKS MATCHES TICKS TICKS_MATCH TICKS_MAX" (idsd's telemetry.h). */
static void top_member(struct dp_req *q, const char *key, const char *str, uint64_t num)
{
	unsigned gid, sid, rev;
	unsigned long long checks, matches, ticks, tmatch, tmax;

	if (str == NULL || strcmp(key, "sort") == 0) {
		if (str != NULL)
			mgmt_reply_str(q->r, key, str);
		else if (strcmp(key, "checked") == 0)
			mgmt_reply_uint(q->r, key, num);
		else if (strcmp(key, "enabled") == 0)
			q->profiling_off = num == 0;
		return;
	}
	if (sscanf(str, "%u:%u:%u %llu %llu %llu %llu %llu", &gid, &sid, &rev, &checks, &matches,
		   &ticks, &tmatch, &tmax) != 8)
		return;
	if (!q->list_open) {
		mgmt_reply_arr_open(q->r, "rules");
		q->list_open = true;
	}
	mgmt_reply_obj_open(q->r, NULL);
	mgmt_reply_uint(q->r, "gid", gid);
	mgmt_reply_uint(q->r, "sid", sid);
	mgmt_reply_uint(q->r, "rev", rev);
	mgmt_reply_uint(q->r, "checks", checks);
	mgmt_reply_uint(q->r, "matches", matches);
	mgmt_reply_uint(q->r, "ticks", ticks);
	mgmt_reply_uint(q->r, "avgticks", checks ? ticks / checks : 0);
	mgmt_reply_uint(q->r, "maxticks", tmax);
	mgmt_reply_obj_close(q->r);
	q->listed++;
}

static void member(void *ctx, const char *key, const char *str, uint64_t num)
{
	struct dp_req *q = ctx;

	switch (q->ask) {
	case ASK_RELOAD:
		if (strcmp(key, "status") == 0 && str)
			snprintf(q->status, sizeof(q->status), "%s", str);
		else if (strcmp(key, "message") == 0 && str)
			snprintf(q->message, sizeof(q->message), "%s", str);
		return;
	case ASK_RULES_LIST:
		if (strcmp(key, "loaded") && strcmp(key, "failed"))
			return;
		break;
	case ASK_RULES_FAILED:
		if (str == NULL) {
			if (strcmp(key, "total") == 0)
				q->total = num;
			else if (strcmp(key, "from") == 0)
				q->from = num;
			else if (strcmp(key, "shown") == 0)
				q->shown = num;
			return;
		}
		/* the members keyed by index: one failed rule each */
		if (!q->list_open) {
			mgmt_reply_arr_open(q->r, "failed");
			q->list_open = true;
		}
		mgmt_reply_str(q->r, NULL, str);
		q->listed++;
		return;
	case ASK_RULES_TOP:
		top_member(q, key, str, num);
		return;
	case ASK_RULES_EACH:
		each_member(q, key, str, num);
		return;
	case ASK_STATS:
	case ASK_RULES_STATS:
		break;
	}
	if (str)
		mgmt_reply_str(q->r, key, str);
	else
		mgmt_reply_uint(q->r, key, num);
}

static int answer(struct dp_req *q, const char *json, const char *why)
{
	int rc;

	if (!json)
		return mgmt_reply_error(q->r, -EIO, "dataplane: %s", why);
	rc = telem_dict_walk(json, member, q);
	if (rc == -ENOENT)
		return mgmt_reply_error(q->r, -ENOTSUP, "dataplane does not answer %s",
					ask_cmd[q->ask]);
	if (rc)
		return mgmt_reply_error(q->r, -EIO, "dataplane: malformed reply to %s",
					ask_cmd[q->ask]);
	if (q->ask == ASK_RULES_TOP) {
		if (q->profiling_off)
			return mgmt_reply_error(q->r, -ENOTSUP, "the dataplane does not profile "
						"rules (profiling.rules.enabled)");
		if (!q->list_open)
			mgmt_reply_arr_open(q->r, "rules");
		mgmt_reply_arr_close(q->r);
		return 0;
	}
	if (q->ask != ASK_RELOAD)
		return 0;
	if (strcmp(q->status, "ok") != 0)
		return mgmt_reply_error(q->r, -EIO, "reload failed, the running rules stay: %s",
					q->message[0] ? q->message : "no reason given");
	mgmt_reply_str(q->r, "status", "ok");
	mgmt_reply_str(q->r, "message", q->message);
	return 0;
}

static void on_reply(void *ctx, const char *json, const char *why);

/* Paged answers: ask for the next page when the dataplane has more (0), or
 * say this was the last one (1). rules failed pages by what was shown;
 * rules list first has the counts (ASK_RULES_LIST), then the rules from 0,
 * each page saying where the next starts. The list is closed after the
 * last page. */
static int next_page(struct dp_req *q)
{
	char cmd[160];
	uint64_t from;

	if (q->ask == ASK_RULES_FAILED) {
		if (q->shown == 0 || q->from + q->shown >= q->total)
			return 1;
		from = q->from + q->shown;
		q->shown = 0;
	} else if (q->ask == ASK_RULES_LIST) {
		q->ask = ASK_RULES_EACH;
		from = 0;
	} else {
		/* a page that moved nothing on is the last, whatever it says */
		if (q->next >= q->total || q->next <= q->from)
			return 1;
		from = q->next;
	}
	q->from = from;
	snprintf(cmd, sizeof(cmd), "%s,%llu%s", ask_cmd[q->ask], (unsigned long long)from,
		 q->ask == ASK_RULES_EACH ? q->filter : "");
	return telem_send(q->d->tc, cmd, on_reply, q) == 0 ? 0 : -EIO;
}

static void park(struct dp_req *q)
{
	q->park_prev = NULL;
	q->park_next = q->d->parked;
	if (q->park_next)
		q->park_next->park_prev = q;
	q->d->parked = q;
}

static void unpark(struct dp_req *q)
{
	if (q->park_prev)
		q->park_prev->park_next = q->park_next;
	else
		q->d->parked = q->park_next;
	if (q->park_next)
		q->park_next->park_prev = q->park_prev;
}

/* The end of a paged answer: the list closed, the counts after it. */
static void paged_end(struct dp_req *q)
{
	if (q->ask == ASK_RULES_EACH && !q->list_open)
		mgmt_reply_arr_open(q->r, "rules");
	if (q->ask == ASK_RULES_EACH || q->list_open)
		mgmt_reply_arr_close(q->r);
	if (q->ask == ASK_RULES_FAILED)
		mgmt_reply_uint(q->r, "total", q->total);
	mgmt_reply_uint(q->r, "listed", q->listed);
}

/* The client took what was sent (or left): ask for the next page. */
static void page_more(void *ctx, bool gone)
{
	struct dp_req *q = ctx;
	int rc;

	unpark(q);
	if (gone) {
		mgmt_pending_done(q->p, 0);
		free(q);
		return;
	}
	rc = next_page(q);
	if (rc == 0)
		return;                 /* on_reply comes again */
	if (rc < 0) {
		rc = mgmt_reply_error(q->r, rc, "dataplane: the next page of %s failed",
				      ask_cmd[q->ask]);
	} else {
		paged_end(q);
		rc = 0;
	}
	mgmt_pending_done(q->p, rc);
	free(q);
}

static void on_reply(void *ctx, const char *json, const char *why)
{
	struct dp_req *q = ctx;
	int rc;

	if (q->p == NULL) {
		free(q);
		return;
	}
	q->r = mgmt_pending_reply(q->p);
	rc = answer(q, json, why);
	if (rc == 0 && (q->ask == ASK_RULES_FAILED || q->ask == ASK_RULES_LIST ||
			q->ask == ASK_RULES_EACH)) {
		/* this page out to the client; the next asked for once it took it,
		 * so a list of any length passes through a page at a time */
		rc = mgmt_pending_flush(q->p, page_more, q);
		if (rc == 0) {
			park(q);
			return;
		}
		rc = mgmt_reply_error(q->r, rc, "%s: %s", ask_cmd[q->ask], strerror(-rc));
	}
	mgmt_pending_done(q->p, rc);
	free(q);
}

static int ask_params(struct ctl_dp *d, struct mgmt_reply *r, enum dp_ask what,
		      const char *params, const char *filter)
{
	struct dp_req *q;
	char cmd[96];
	int rc;

	if (!d->tc)
		return mgmt_reply_error(r, -ENOTSUP,
					"not available: no dataplane (dataplane.telemetry: none)");
	rc = telem_connect(d->tc);
	if (rc)
		return mgmt_reply_error(r, -EIO, "dataplane unreachable: %s: %s", d->path,
					strerror(-rc));
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->ask = what;
	q->d = d;
	if (filter)
		snprintf(q->filter, sizeof(q->filter), "%s", filter);
	if (params != NULL)
		snprintf(cmd, sizeof(cmd), "%s,%s", ask_cmd[what], params);
	else
		snprintf(cmd, sizeof(cmd), "%s", ask_cmd[what]);
	rc = telem_send(d->tc, cmd, on_reply, q);
	if (rc) {
		free(q);
		return mgmt_reply_error(r, -EIO, "dataplane: %s: %s", ask_cmd[what],
					strerror(-rc));
	}
	/* sent first: a reply cannot come before we return to the loop */
	q->p = mgmt_reply_defer(r);
	return q->p ? MGMT_REPLY_DEFERRED : -ENOMEM;
}

static int ask(struct ctl_dp *d, struct mgmt_reply *r, enum dp_ask what)
{
	return ask_params(d, r, what, NULL, NULL);
}

static int top_usage(struct mgmt_reply *r)
{
	return mgmt_reply_error(r, -EINVAL, "usage: rules stats --top N (1 to 80) "
				"[--sort ticks|avgticks|checks|matches|maxticks]");
}

int ctl_dp_rules_top(void *ctx, unsigned int argc, const char *const *argv,
		     struct mgmt_reply *r)
{
	static const char *const sorts[] = { "ticks", "avgticks", "checks", "matches",
					     "maxticks" };
	const char *sort = "ticks";
	unsigned long n = 0;
	char params[48];

	if (argc % 2 != 0)
		return top_usage(r);
	for (unsigned int i = 0; i < argc; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1];
		bool known = false;
		char *end;

		if (strcmp(opt, "--top") == 0) {
			n = strtoul(val, &end, 10);
			if (*end || end == val || n < 1 || n > 80)
				return top_usage(r);
			continue;
		}
		for (size_t k = 0; k < sizeof(sorts) / sizeof(sorts[0]); k++)
			known = known || strcmp(val, sorts[k]) == 0;
		if (strcmp(opt, "--sort") != 0 || !known)
			return top_usage(r);
		sort = val;
	}
	if (n == 0)
		return top_usage(r);
	snprintf(params, sizeof(params), "%s,%lu", sort, n);
	return ask_params(ctx, r, ASK_RULES_TOP, params, NULL);
}

int ctl_dp_stats(void *ctx, struct mgmt_reply *r)
{
	return ask(ctx, r, ASK_STATS);
}

int ctl_dp_rules_list(void *ctx, unsigned int argc, const char *const *argv,
		      struct mgmt_reply *r)
{
	char filter[80] = "";
	unsigned long sid;
	char *end;

	if (argc == 2 && strcmp(argv[0], "--sid") == 0) {
		sid = strtoul(argv[1], &end, 10);
		if (*end || end == argv[1] || sid == 0 || sid > UINT32_MAX)
			argc = 1;
		else
			snprintf(filter, sizeof(filter), ",sid=%lu", sid);
	} else if (argc == 2 && strcmp(argv[0], "--file") == 0) {
		/* a base name, as the list shows it */
		if (strlen(argv[1]) >= 64 || strpbrk(argv[1], "/,"))
			argc = 1;
		else
			snprintf(filter, sizeof(filter), ",file=%s", argv[1]);
	}
	if (argc != 0 && !filter[0])
		return mgmt_reply_error(r, -EINVAL, "usage: rules list [--sid N | --file NAME]");
	return ask_params(ctx, r, ASK_RULES_LIST, NULL, filter);
}

int ctl_dp_rules_stats(void *ctx, struct mgmt_reply *r)
{
	return ask(ctx, r, ASK_RULES_STATS);
}

int ctl_dp_rules_reload(void *ctx, struct mgmt_reply *r)
{
	return ask(ctx, r, ASK_RELOAD);
}

int ctl_dp_rules_failed(void *ctx, struct mgmt_reply *r)
{
	return ask(ctx, r, ASK_RULES_FAILED);
}

struct ctl_dp *ctl_dp_new(struct loop *l, const char *path, uint64_t timeout_us)
{
	struct ctl_dp *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	if (path) {
		snprintf(d->path, sizeof(d->path), "%s", path);
		d->tc = telem_new(l, path, timeout_us, NULL, NULL);
		if (!d->tc) {
			free(d);
			return NULL;
		}
	}
	return d;
}

void ctl_dp_free(struct ctl_dp *d)
{
	if (!d)
		return;
	while (d->parked) {
		struct dp_req *q = d->parked;

		unpark(q);
		mgmt_pending_done(q->p, mgmt_reply_error(mgmt_pending_reply(q->p), -EIO,
							 "dataplane: ids-control stopping or "
							 "following another dataplane"));
		free(q);
	}
	if (d->tc) {
		telem_close(d->tc, "ids-control stopping");
		telem_free(d->tc);
	}
	free(d);
}
