/* SPDX-License-Identifier: MIT */
/* The management commands that the dataplane answers (stats, rules list,
 * rules stats [--top], rules reload, rules failed), asked over its telemetry socket with the
 * client of control/track/telem.h on a connection of their own. Replies
 * are deferred (mgmt_reply_defer): the loop never waits for idsd. */
#ifndef IDS_CTL_DP_H
#define IDS_CTL_DP_H

#include <stdint.h>

struct loop;
struct mgmt_reply;
struct ctl_dp;

/* path NULL: no dataplane (telemetry: none), every command says so.
 * timeout_us: a command unanswered this long fails. NULL on allocation
 * failure. */
struct ctl_dp *ctl_dp_new(struct loop *l, const char *path, uint64_t timeout_us);
/* Commands still waiting are answered "ids-control stopping" first, so
 * free this before the management port. NULL is a no-op. */
void ctl_dp_free(struct ctl_dp *d);

/* mgmt_backend callbacks (ctx is the struct ctl_dp). */
int ctl_dp_stats(void *ctx, struct mgmt_reply *r);
/* rules list [--sid N | --file NAME]: loaded and failed, then each loaded
 * rule (or those of sid N, or of the rule file NAME) with the file:line it
 * was read from, read from idsd's /ids/rules/list page by page. */
int ctl_dp_rules_list(void *ctx, unsigned int argc, const char *const *argv,
		      struct mgmt_reply *r);
int ctl_dp_rules_stats(void *ctx, struct mgmt_reply *r);
int ctl_dp_rules_reload(void *ctx, struct mgmt_reply *r);
/* "rules stats --top N [--sort KEY]" (N 1..80, KEY ticks by default):
 * "sort", "checked" and "rules", the first N rules by KEY, each {gid, sid,
 * rev, checks, matches, ticks, avgticks, maxticks}; an error when the
 * dataplane does not profile (profiling.rules.enabled). */
int ctl_dp_rules_top(void *ctx, unsigned int argc, const char *const *argv,
		     struct mgmt_reply *r);
/* "failed": every rule of the running set that failed to load, as
 * "file:line: reason" (read page by page), then "total" and "listed" (the
 * dataplane remembers the first RULESET_FAILURES_MAX). */
int ctl_dp_rules_failed(void *ctx, struct mgmt_reply *r);

#endif
