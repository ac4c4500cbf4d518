/* SPDX-License-Identifier: MIT */
/* profiling.rules for idsd: the figures of a generation's detect threads,
 * summed (detect_profile.h), for telemetry's top list and rule_perf.log. */
#ifndef IDS_RULE_PERF_H
#define IDS_RULE_PERF_H

#include <stdint.h>

#include "../detect/detect_profile.h"
#include "../worker/detect_gen.h"
#include "settings.h"

/* The rules of g checked so far, summed over its workers, sorted by key:
 * a malloc'd array (free it) of *n entries; NULL with *n 0 when none was
 * checked or memory ran out. The caller keeps g alive (the run's lock). */
struct rule_perf *rule_perf_collect(const struct detect_gen *g, enum rule_perf_sort key,
				    uint32_t *n);

/* Append (or write, profiling.rules.append: no) g's figures to path, one
 * table per sort order asked for. 0 or -errno (the file cannot be opened). */
int rule_perf_log(const struct settings *s, const struct detect_gen *g, const char *path);

#endif
