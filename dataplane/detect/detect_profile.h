/* SPDX-License-Identifier: MIT */
/* Per-rule profiling, as Suricata's rule profiling (profiling.rules): per
 * rule, how often it was verified (checks), how often it matched, and the
 * TSC ticks spent verifying it. Each detect thread counts its own, without
 * locks or atomics; the figures of a generation's threads are summed on
 * request (telemetry, exit). Off (the default), a detect thread has no
 * counters and the verification loop pays one predictable branch. */
#ifndef IDS_DETECT_PROFILE_H
#define IDS_DETECT_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct detect_engine;
struct detect_thread;

/* One rule's figures, summed over threads. */
struct rule_perf {
	uint32_t gid, sid, rev;
	uint64_t checks, matches;
	uint64_t ticks;            /* all checks */
	uint64_t ticks_match;      /* the checks that matched */
	uint64_t ticks_max;        /* the longest check */
};

/* Sort orders, as Suricata's profiling.rules.sort. */
enum rule_perf_sort {
	RULE_PERF_TICKS, RULE_PERF_AVGTICKS, RULE_PERF_CHECKS, RULE_PERF_MATCHES,
	RULE_PERF_MAXTICKS, RULE_PERF_SORT_MAX
};

/* "ticks", "avgticks", "checks", "matches", "maxticks" -> *key; -EINVAL for
 * another word. */
int detect_profile_sort_parse(const char *name, enum rule_perf_sort *key);
const char *detect_profile_sort_name(enum rule_perf_sort key);

/* Threads created for de from now on count (detect_thread_profile_start). */
void detect_engine_set_profiling(struct detect_engine *de, bool on);
bool detect_engine_profiling(const struct detect_engine *de);

/* Give dt its counters when its engine profiles (nothing otherwise); 0 or
 * -ENOMEM. _stop frees them (before detect_thread_destroy). */
int detect_thread_profile_start(struct detect_thread *dt);
void detect_thread_profile_stop(struct detect_thread *dt);

/* The rules of de that were checked, with their figures summed over the n
 * threads (of de; NULL entries and threads without counters are skipped),
 * into out (room for the engine's rule count): returns how many. The
 * threads may be counting meanwhile: each figure is read once (a snapshot
 * a few packets old is fine for a report). */
uint32_t detect_profile_collect(const struct detect_engine *de, struct detect_thread *const *dts,
				unsigned n, struct rule_perf *out);
uint32_t detect_profile_nrules(const struct detect_engine *de);

/* Sort v, largest first (ties: gid:sid ascending, so the order is stable). */
void detect_profile_sort(struct rule_perf *v, uint32_t n, enum rule_perf_sort key);

/* Suricata's rule_perf.log: a header, then the first limit rules of v (0:
 * all) as sorted, each with its share of all the ticks in v; with json one
 * JSON object {"timestamp", "sort", "rules": [...]} on one line, fields named
 * as Suricata's. when: the timestamp text. */
void detect_profile_write(FILE *f, const struct rule_perf *v, uint32_t n, uint32_t limit,
			  enum rule_perf_sort key, bool json, const char *when);

#endif
