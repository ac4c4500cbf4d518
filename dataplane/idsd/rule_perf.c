/* SPDX-License-Identifier: MIT */
#include "rule_perf.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

struct rule_perf *rule_perf_collect(const struct detect_gen *g, enum rule_perf_sort key,
				    uint32_t *n)
{
	const struct detect_engine *de = g->de;
	struct detect_thread **dts = calloc(g->nslots ? g->nslots : 1, sizeof(*dts));
	struct rule_perf *v = calloc(detect_profile_nrules(de) ? detect_profile_nrules(de) : 1,
				     sizeof(*v));

	*n = 0;
	if (dts == NULL || v == NULL || !detect_engine_profiling(de)) {
		free(dts);
		free(v);
		return NULL;
	}
	for (unsigned i = 0; i < g->nslots; i++)
		dts[i] = g->slot[i].dt;
	*n = detect_profile_collect(de, dts, g->nslots, v);
	free(dts);
	detect_profile_sort(v, *n, key);
	return v;
}

int rule_perf_log(const struct settings *s, const struct detect_gen *g, const char *path)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;

	if (!detect_engine_profiling(g->de))
		return 0;
	f = fopen(path, s->prof_append ? "a" : "w");
	if (f == NULL)
		return -errno;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", localtime_r(&now, &tm));
	for (int k = 0; k < RULE_PERF_SORT_MAX; k++) {
		enum rule_perf_sort key = (enum rule_perf_sort)k;
		struct rule_perf *v;
		uint32_t n;

		if (!s->prof_all_sorts && key != s->prof_sort)
			continue;
		v = rule_perf_collect(g, key, &n);
		detect_profile_write(f, v, n, s->prof_limit, key, s->prof_json, when);
		free(v);
	}
	return fclose(f) == 0 ? 0 : -errno;
}
