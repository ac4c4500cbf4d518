/* SPDX-License-Identifier: MIT */
/* Counters of all workers and ports, summed for EVE stats records, the exit
 * summary and (later) telemetry. Read without locks: each worker is the only
 * writer of its counters. */
#ifndef IDS_STATS_H
#define IDS_STATS_H

#include <stdint.h>
#include <stdio.h>

struct worker;
struct port;
struct sig_tally;

#define STATS_MAX 256

struct stats_snapshot {
	unsigned n;
	const char *names[STATS_MAX];
	uint64_t values[STATS_MAX];
};

/* Sum the counters of workers[0..nw) and ports[0..np) into snap. */
void stats_collect(struct stats_snapshot *snap, struct worker *const *workers, unsigned nw,
		   const struct port *ports, unsigned np);

struct receiver;

/* autofp receivers' counters (capture.autofp.*). */
void stats_add_receivers(struct stats_snapshot *snap, struct receiver *const *rcv, unsigned n);
/* Rule reloads (detect.engines.reloads, .reload_failures). */
void stats_add_reloads(struct stats_snapshot *snap, uint64_t reloads, uint64_t failures);

struct host_table;

/* The shared host table: host.entries (in use), host.entries_max (what
 * host.memcap holds), host.refused (new keys turned away: table full). */
void stats_add_hosts(struct stats_snapshot *snap, const struct host_table *ht);

struct app_expect;

/* The run's expectation table (app_layer.expectations: held now;
 * app_layer.expectation_{created,matched,expired,evicted}). */
void stats_add_expect(struct stats_snapshot *snap, struct app_expect *x);

/* Value of a counter by name, 0 if absent. */
uint64_t stats_get(const struct stats_snapshot *snap, const char *name);

/* The human summary printed at exit: totals, alerts by signature (alerts:
 * the whole run's, every generation folded in). */
void stats_print_summary(FILE *out, const struct stats_snapshot *snap,
			 struct worker *const *workers, unsigned nw, const struct sig_tally *alerts);

#endif
