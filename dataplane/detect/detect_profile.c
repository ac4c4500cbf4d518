/* SPDX-License-Identifier: MIT */
/* Per-rule profiling: the cold half (counters' life, collection, sorting,
 * rule_perf.log); the hot half is detect_profile-int.h. */
#include "detect_profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/json.h"
#include "../../rules/rule-t.h"
#include "detect-int.h"
#include "detect_profile-int.h"

static const char *const sort_names[RULE_PERF_SORT_MAX] = {
	[RULE_PERF_TICKS] = "ticks", [RULE_PERF_AVGTICKS] = "avgticks",
	[RULE_PERF_CHECKS] = "checks", [RULE_PERF_MATCHES] = "matches",
	[RULE_PERF_MAXTICKS] = "maxticks",
};

/* As Suricata words them in rule_perf.log ("Sorted by", "sort"). */
static const char *const sort_desc[RULE_PERF_SORT_MAX] = {
	[RULE_PERF_TICKS] = "ticks", [RULE_PERF_AVGTICKS] = "average ticks",
	[RULE_PERF_CHECKS] = "number of checks", [RULE_PERF_MATCHES] = "number of matches",
	[RULE_PERF_MAXTICKS] = "max ticks",
};

int detect_profile_sort_parse(const char *name, enum rule_perf_sort *key)
{
	for (int k = 0; k < RULE_PERF_SORT_MAX; k++)
		if (strcmp(name, sort_names[k]) == 0) {
			*key = (enum rule_perf_sort)k;
			return 0;
		}
	return -EINVAL;
}

const char *detect_profile_sort_name(enum rule_perf_sort key)
{
	return key < RULE_PERF_SORT_MAX ? sort_names[key] : "?";
}

void detect_engine_set_profiling(struct detect_engine *de, bool on)
{
	de->profiling = on;
}

bool detect_engine_profiling(const struct detect_engine *de)
{
	return de != NULL && de->profiling;
}

uint32_t detect_profile_nrules(const struct detect_engine *de)
{
	return de != NULL ? de->nrules : 0;
}

int detect_thread_profile_start(struct detect_thread *dt)
{
	if (!dt->de->profiling || dt->de->nrules == 0)
		return 0;
	dt->prof = calloc(dt->de->nrules, sizeof(*dt->prof));
	return dt->prof != NULL ? 0 : -ENOMEM;
}

void detect_thread_profile_stop(struct detect_thread *dt)
{
	free(dt->prof);
	dt->prof = NULL;
}

/* A counter another thread writes: read once, whole (aligned 64-bit). */
static uint64_t peek(const uint64_t *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

uint32_t detect_profile_collect(const struct detect_engine *de, struct detect_thread *const *dts,
				unsigned n, struct rule_perf *out)
{
	uint32_t m = 0;

	for (uint32_t rank = 0; de != NULL && rank < de->nrules; rank++) {
		const struct rule *r = de->rules[rank].r;
		struct rule_perf v = { .gid = r->gid, .sid = r->sid, .rev = r->rev };

		for (unsigned i = 0; i < n; i++) {
			const struct rule_prof *p;
			uint64_t max;

			if (dts[i] == NULL || dts[i]->prof == NULL || dts[i]->de != de)
				continue;
			p = &dts[i]->prof[rank];
			v.checks += peek(&p->checks);
			v.matches += peek(&p->matches);
			v.ticks += peek(&p->ticks);
			v.ticks_match += peek(&p->ticks_match);
			max = peek(&p->ticks_max);
			if (max > v.ticks_max)
				v.ticks_max = max;
		}
		if (v.checks > 0)
			out[m++] = v;
	}
	return m;
}

static uint64_t avg(uint64_t total, uint64_t n)
{
	return n ? total / n : 0;
}

static uint64_t sort_value(const struct rule_perf *p, enum rule_perf_sort key)
{
	switch (key) {
	case RULE_PERF_AVGTICKS:
		return avg(p->ticks, p->checks);
	case RULE_PERF_CHECKS:
		return p->checks;
	case RULE_PERF_MATCHES:
		return p->matches;
	case RULE_PERF_MAXTICKS:
		return p->ticks_max;
	default:
		return p->ticks;
	}
}

static int cmp(const void *a, const void *b, void *ctx)
{
	const struct rule_perf *x = a, *y = b;
	enum rule_perf_sort key = *(const enum rule_perf_sort *)ctx;
	uint64_t vx = sort_value(x, key), vy = sort_value(y, key);

	if (vx != vy)
		return vx > vy ? -1 : 1;
	if (x->gid != y->gid)
		return x->gid < y->gid ? -1 : 1;
	return x->sid < y->sid ? -1 : x->sid > y->sid;
}

void detect_profile_sort(struct rule_perf *v, uint32_t n, enum rule_perf_sort key)
{
	qsort_r(v, n, sizeof(*v), cmp, &key);
}

static void write_json(FILE *f, const struct rule_perf *v, uint32_t n, uint64_t total,
		       enum rule_perf_sort key, const char *when)
{
	struct json_w j;

	if (json_init_growable(&j, 4096) != 0)
		return;
	json_obj_open(&j, NULL);
	json_str(&j, "timestamp", when);
	json_str(&j, "sort", sort_desc[key]);
	json_arr_open(&j, "rules");
	for (uint32_t i = 0; i < n; i++) {
		const struct rule_perf *p = &v[i];

		json_obj_open(&j, NULL);
		json_uint(&j, "signature_id", p->sid);
		json_uint(&j, "gid", p->gid);
		json_uint(&j, "rev", p->rev);
		json_uint(&j, "checks", p->checks);
		json_uint(&j, "matches", p->matches);
		json_uint(&j, "ticks_total", p->ticks);
		json_uint(&j, "ticks_max", p->ticks_max);
		json_uint(&j, "ticks_avg", avg(p->ticks, p->checks));
		json_uint(&j, "ticks_avg_match", avg(p->ticks_match, p->matches));
		json_uint(&j, "ticks_avg_nomatch", avg(p->ticks - p->ticks_match,
						       p->checks - p->matches));
		json_uint(&j, "percent", total ? p->ticks * 100 / total : 0);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	json_newline(&j);
	if (json_ok(&j))
		fwrite(j.buf, 1, json_len(&j), f);
	json_release(&j);
}

static double favg(uint64_t total, uint64_t n)
{
	return n ? (double)total / (double)n : 0.0;
}

static void write_text(FILE *f, const struct rule_perf *v, uint32_t n, uint64_t total,
		       enum rule_perf_sort key, const char *when)
{
	static const char rule[] = "  ----------------------------------------------"
				   "----------------------------\n";

	fprintf(f, "%s  Date: %s -- Sorted by: %s.\n%s", rule, when, sort_desc[key], rule);
	fprintf(f, "   %-8s %-12s %-8s %-8s %-12s %-6s %-8s %-8s %-11s %-11s %-11s %-11s\n",
		"Num", "Rule", "Gid", "Rev", "Ticks", "%", "Checks", "Matches", "Max Ticks",
		"Avg Ticks", "Avg Match", "Avg No Match");
	fprintf(f, "  -------- ------------ -------- -------- ------------ ------ -------- "
		"-------- ----------- ----------- ----------- -------------- \n");
	for (uint32_t i = 0; i < n; i++) {
		const struct rule_perf *p = &v[i];

		fprintf(f, "  %-8u %-12u %-8u %-8u %-12llu %-6.2f %-8llu %-8llu %-11llu %-11.2f "
			"%-11.2f %-11.2f\n", i + 1, p->sid, p->gid, p->rev,
			(unsigned long long)p->ticks,
			total ? (double)p->ticks * 100.0 / (double)total : 0.0,
			(unsigned long long)p->checks, (unsigned long long)p->matches,
			(unsigned long long)p->ticks_max, favg(p->ticks, p->checks),
			favg(p->ticks_match, p->matches),
			favg(p->ticks - p->ticks_match, p->checks - p->matches));
	}
	fputc('\n', f);
}

void detect_profile_write(FILE *f, const struct rule_perf *v, uint32_t n, uint32_t limit,
			  enum rule_perf_sort key, bool json, const char *when)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < n; i++)
		total += v[i].ticks;
	if (limit != 0 && limit < n)
		n = limit;
	if (json)
		write_json(f, v, n, total, key, when);
	else
		write_text(f, v, n, total, key, when);
}
