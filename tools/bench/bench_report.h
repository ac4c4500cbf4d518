/* SPDX-License-Identifier: MIT */
/* The figures of one invocation: a table for people, a JSON line for scripts. */
#ifndef IDS_BENCH_REPORT_H
#define IDS_BENCH_REPORT_H

#include <stdio.h>

#include "bench_run.h"

struct bench_report {
	const char *traffic;          /* label: what -r/-g gave */
	unsigned workers;
	uint32_t frames;
	uint64_t traffic_bytes;
	uint32_t truncated;
	/* rules */
	uint32_t rule_files, rules_loaded, rules_failed, patterns;
	uint64_t db_bytes;
	double parse_ms, compile_ms;
	uint64_t rss_after_load, rules_rss;
	double mem_per_flow;
	uint64_t flow_memcap;
	struct bench_figures fig[BENCH_MODE_MAX];
	bool have_hs;                 /* (d) ran: the rules have a Hyperscan database */
};

void bench_report_table(const struct bench_report *r, FILE *out);
void bench_report_json(const struct bench_report *r, FILE *out);

#endif
