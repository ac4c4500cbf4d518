/* SPDX-License-Identifier: MIT */
/* The rule set under test: files or folders of rules, parsed and compiled as
 * idsd does, with the startup figures. */
#ifndef IDS_BENCH_RULES_H
#define IDS_BENCH_RULES_H

#include <stdint.h>
#include <stdio.h>

struct rule_env;
struct ruleset;
struct detect_engine;

struct bench_rules {
	struct rule_env *env;
	struct ruleset *rs;
	struct detect_engine *de;   /* built even from no rules: (c) then costs detect's overhead */
	uint32_t files;
	double parse_ms, compile_ms;
	uint64_t rss_before, rss_after;   /* bytes, around the load */
};

/* Load every path (a rule file, or a folder: its *.rules in name order and
 * its classification.config and reference.config). Rule errors go to errs
 * (may be NULL). Returns 0 or -errno with err filled. */
int bench_rules_load(struct bench_rules *br, char *const *paths, unsigned n, FILE *errs,
		     char *err, size_t errlen);
void bench_rules_free(struct bench_rules *br);

/* Resident memory of this process in bytes (0 if unknown). */
uint64_t bench_rss(void);

#endif
