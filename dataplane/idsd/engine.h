/* SPDX-License-Identifier: MIT */
/* The detection engine as idsd loads it: rule environment, rule files,
 * compiled Hyperscan database, and the load report. */
#ifndef IDS_ENGINE_H
#define IDS_ENGINE_H

#include <stdio.h>

#include "settings.h"

struct rule_env;
struct ruleset;
struct detect_engine;

struct engine {
	struct rule_env *env;
	struct ruleset *rs;
	struct detect_engine *de;
	double parse_ms;
	double compile_ms;
};

/* Load the rules s names and compile them. Rule problems go to errs as
 * "file:line: reason" and are counted in e->rs; returns 0, or -errno when
 * nothing usable could be built (the reason printed). prev (NULL: none):
 * the rules running, on a reload: their flowbit and flowint names keep
 * their ids (ruleset_seed_names), which flows hold across the reload. */
int engine_load(struct engine *e, const struct settings *s, const struct engine *prev,
		FILE *errs);

/* The -T style report: totals, failure reasons, engine figures, and the last
 * line "rules: N loaded, M failed". */
void engine_report(const struct engine *e, FILE *out);

/* (added) Whether the rules' file keywords need files tracked, and
 * *hashes the APP_FILE_* bits (hashes, magic) they need computed. */
bool engine_file_needs(const struct engine *e, uint8_t *hashes);
/* (added) What the rules need of the app layer (APP_NEED_* bits):
 * HASSH, the HTTP response decompressors' events. */
unsigned engine_app_needs(const struct engine *e);

void engine_free(struct engine *e);

#endif
