/* SPDX-License-Identifier: MIT */
#include "engine.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../common/events-t.h"
#include "../../rules/rules.h"
#include "../applayer/applayer.h"
#include "../detect/detect.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int env_setup(struct engine *e, const struct settings *s, FILE *errs)
{
	char err[256];
	int bad = 0;

	e->env = rule_env_new();
	if (e->env == NULL)
		return -ENOMEM;
	rule_env_set_default_vars(e->env);
	for (unsigned i = 0; i < s->nvars; i++) {
		const struct rule_var *v = &s->vars[i];

		if (rule_env_set_var(e->env, v->kind, v->name, v->value, err, sizeof(err)) != 0) {
			fprintf(errs, "vars.%s.%s: %s\n",
				v->kind == 'a' ? "address-groups" : "port-groups", v->name, err);
			bad++;
		}
	}
	if (s->classification_file != NULL &&
	    rule_env_load_classification(e->env, s->classification_file, errs) != 0) {
		fprintf(errs, "%s: cannot read the classification file\n", s->classification_file);
		bad++;
	}
	if (s->reference_file != NULL &&
	    rule_env_load_references(e->env, s->reference_file, errs) != 0) {
		fprintf(errs, "%s: cannot read the reference file\n", s->reference_file);
		bad++;
	}
	return bad ? -EINVAL : 0;
}

static void rule_file_path(const struct settings *s, const char *file, char *out, size_t len)
{
	if (file[0] == '/' || s->rule_path == NULL || s->rule_path[0] == '\0')
		snprintf(out, len, "%s", file);
	else
		snprintf(out, len, "%s/%s", s->rule_path, file);
}

/* Rules the engine refused while building, to take out of the set. */
struct rejects {
	uint32_t n, cap;
	const struct rule **r;
	char **reason;
	bool nomem;
};

static void on_reject(void *ctx, const struct rule *r, const char *reason)
{
	struct rejects *rj = ctx;

	/* a pattern is in its kind's prefilter and in a direction's: refused
	 * by each (rejects are rare, the list short) */
	for (uint32_t i = 0; i < rj->n; i++)
		if (rj->r[i] == r)
			return;
	if (rj->n == rj->cap) {
		uint32_t cap = rj->cap ? rj->cap * 2 : 16;
		const struct rule **nr = realloc(rj->r, cap * sizeof(*nr));
		char **ns;

		if (nr == NULL) {
			rj->nomem = true;
			return;
		}
		rj->r = nr;
		ns = realloc(rj->reason, cap * sizeof(*ns));
		if (ns == NULL) {
			rj->nomem = true;
			return;
		}
		rj->reason = ns;
		rj->cap = cap;
	}
	rj->reason[rj->n] = strdup(reason);
	if (rj->reason[rj->n] == NULL) {
		rj->nomem = true;
		return;
	}
	rj->r[rj->n++] = r;
}

/* A rule whose fast pattern Hyperscan refuses fails alone, as one that does
 * not parse: reported as file:line: reason, counted, left out; the engine is
 * built again from the rules that remain. */
static struct detect_engine *build_engine(struct ruleset *rs, FILE *errs, char *err,
					  size_t errlen)
{
	struct rejects rj = { 0 };
	struct detect_engine *de = detect_engine_build_rejecting(rs, on_reject, &rj, err, errlen);

	if (de != NULL && (rj.n > 0 || rj.nomem)) {
		detect_engine_free(de);
		de = NULL;
		if (rj.nomem || ruleset_reject(rs, rj.r, (const char *const *)rj.reason, rj.n,
					       errs) != 0)
			snprintf(err, errlen, "out of memory taking refused rules out");
		else
			de = detect_engine_build(rs, err, errlen);
	}
	for (uint32_t i = 0; i < rj.n; i++)
		free(rj.reason[i]);
	free(rj.reason);
	free(rj.r);
	return de;
}

int engine_load(struct engine *e, const struct settings *s, const struct engine *prev,
		FILE *errs)
{
	char path[PATH_MAX], err[512];
	double t0;
	int ret;

	memset(e, 0, sizeof(*e));
	ret = env_setup(e, s, errs);
	if (ret != 0)
		return ret;
	e->rs = ruleset_new();
	if (e->rs == NULL || ruleset_set_default_path(e->rs, s->rule_path) != 0 ||
	    (prev != NULL && ruleset_seed_names(e->rs, prev->rs) != 0))
		return -ENOMEM;

	t0 = now_ms();
	for (unsigned i = 0; i < s->nrule_files; i++) {
		rule_file_path(s, s->rule_files[i], path, sizeof(path));
		ret = ruleset_load_path(e->rs, e->env, path, errs, err, sizeof(err));
		if (ret != 0) {
			fprintf(errs, "%s: cannot read rule file: %s\n", err, strerror(-ret));
			return ret;
		}
	}
	ruleset_set_action_order(e->rs, s->action_order);
	ruleset_finalize(e->rs, errs);
	if (s->threshold_file != NULL) {
		ret = ruleset_apply_threshold_file(e->rs, e->env, s->threshold_file, errs);
		if (ret < 0) {
			fprintf(errs, "%s: cannot read the threshold file: %s\n", s->threshold_file,
				strerror(-ret));
			return ret;
		}
	}
	e->parse_ms = now_ms() - t0;

	t0 = now_ms();
	e->de = build_engine(e->rs, errs, err, sizeof(err));
	e->compile_ms = now_ms() - t0;
	if (e->de == NULL) {
		fprintf(errs, "detect: cannot build the engine: %s\n", err);
		return -EINVAL;
	}
	detect_engine_set_profiling(e->de, s->prof_rules);
	detect_engine_set_alert_max(e->de, s->packet_alert_max);
	return 0;
}

static int reason_cmp(const void *a, const void *b)
{
	const struct ruleset_reason *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->reason, y->reason);
}

void engine_report(const struct engine *e, FILE *out)
{
	struct detect_engine_info info;

	if (e->rs != NULL && e->rs->nreasons > 0) {
		struct ruleset_reason *r = malloc(e->rs->nreasons * sizeof(*r));

		fprintf(out, "failed rules by reason:\n");
		if (r != NULL) {
			memcpy(r, e->rs->reasons, e->rs->nreasons * sizeof(*r));
			qsort(r, e->rs->nreasons, sizeof(*r), reason_cmp);
			for (uint32_t i = 0; i < e->rs->nreasons; i++)
				fprintf(out, "  %7u  %s\n", r[i].count, r[i].reason);
			free(r);
		}
	}
	if (e->de != NULL) {
		detect_engine_info(e->de, &info);
		fprintf(out, "engine: %u rules, %u with a fast pattern, %u without; "
			"%u patterns, database %llu bytes (%u port-group sets); "
			"parse %.1f ms, compile %.1f ms\n",
			info.rules, info.with_fast_pattern, info.without_fast_pattern,
			info.patterns, (unsigned long long)info.db_bytes, info.port_dbs, e->parse_ms,
			e->compile_ms);
	}
	if (e->rs && e->rs->nskipped)
		fprintf(out, "rules skipped (requires not met): %u\n", e->rs->nskipped);
	fprintf(out, "rules: %u loaded, %u failed\n", e->rs ? e->rs->n : 0,
		e->rs ? e->rs->nfailed : 0);
}

void engine_free(struct engine *e)
{
	if (e->de != NULL)
		detect_engine_free(e->de);
	if (e->rs != NULL)
		ruleset_free(e->rs);
	if (e->env != NULL)
		rule_env_free(e->env);
	memset(e, 0, sizeof(*e));
}

bool engine_file_needs(const struct engine *e, uint8_t *hashes)
{
	_Static_assert(APP_FILE_MD5 == 0x1 && APP_FILE_SHA1 == 0x2 && APP_FILE_SHA256 == 0x4 &&
		       APP_FILE_MAGIC == 0x8, "ruleset_file_needs speaks APP_FILE_* bits");
	return ruleset_file_needs(e->rs, hashes);
}

unsigned engine_app_needs(const struct engine *e)
{
	unsigned needs = 0;

	if (ruleset_needs_hassh(e->rs))
		needs |= APP_NEED_HASSH;
	if (ruleset_needs_app_events(e->rs, APP_PROTO_HTTP, HTTP_CODING_EVENTS))
		needs |= APP_NEED_CODING_EVENTS;
	return needs;
}
