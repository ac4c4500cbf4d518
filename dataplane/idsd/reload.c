/* SPDX-License-Identifier: MIT */
/* Rule reload: parse and compile on a control thread while the workers run
 * the old rules, publish the new generation, wait for quiescence, free the
 * old. Rules that fail are treated as at startup: reported as
 * "file:line: reason", counted and skipped, and the rest swap in. Only an
 * unusable set keeps the running rules: a config or file error, no memory,
 * no rule loading at all where rules run now, or (--strict-rules) any rule
 * failing. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/log.h"
#include "../../rules/rule-t.h"
#include "run-int.h"

/* The first line of the load's complaints, as the reason of a failure. */
static void first_line(char *buf, size_t n, char *msg, size_t len)
{
	char *nl;

	if (buf == NULL || n == 0) {
		snprintf(msg, len, "cannot load the rules");
		return;
	}
	nl = strchr(buf, '\n');
	if (nl != NULL)
		*nl = '\0';
	snprintf(msg, len, "%s", buf);
}

/* Every line of the load's complaints to the log, as startup prints them. */
static void report_lines(char *buf, size_t n)
{
	char *line = buf, *nl;

	if (buf == NULL || n == 0)
		return;
	for (; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		log_msg(LOG_WARN, "reload", "%s", line);
		if (nl == NULL)
			break;
	}
}

/* Whether a set that built is still unusable; msg says why. */
static bool unusable(const struct run *r, const struct engine *ne, const char *buf,
		     char *msg, size_t len)
{
	const struct ruleset *now = r->e->rs;
	const char *first = buf != NULL ? buf : "";

	if (ne->rs->n == 0 && ne->rs->nfailed + (now ? now->n : 0) > 0) {
		snprintf(msg, len, "no rule loaded (%u failed%s%.*s)", ne->rs->nfailed,
			 first[0] ? "; " : "", (int)strcspn(first, "\n"), first);
		return true;
	}
	if (r->s->strict_rules && ne->rs->nfailed > 0) {
		snprintf(msg, len, "%u rules failed (--strict-rules)", ne->rs->nfailed);
		return true;
	}
	return false;
}

int reload_rules(struct run *r, char *msg, size_t len)
{
	int sockets[MAX_WORKERS];
	struct engine ne, old;
	struct detect_gen *g, *prev;
	char *buf = NULL;
	size_t n = 0;
	FILE *errs;
	int ret;

	pthread_mutex_lock(&r->reload_lock);
	errs = open_memstream(&buf, &n);
	if (errs == NULL) {
		ret = -ENOMEM;
		snprintf(msg, len, "out of memory");
		goto fail;
	}
	ret = engine_load(&ne, r->s, r->e, errs);
	fclose(errs);
	if (ret != 0) {
		first_line(buf, n, msg, len);
		engine_free(&ne);
		goto fail;
	}
	/* before report_lines() cuts buf into lines */
	if (unusable(r, &ne, buf, msg, len)) {
		report_lines(buf, n);
		ret = -EINVAL;
		engine_free(&ne);
		goto fail;
	}
	report_lines(buf, n);
	for (unsigned i = 0; i < r->nworkers; i++)
		sockets[i] = r->workers[i]->socket;
	g = detect_gen_create(ne.de, ne.rs->n, r->nworkers, sockets, r->s->ips,
			      r->ctl.gen->serial + 1, r->hosts, r->gate);
	if (g == NULL) {
		ret = -ENOMEM;
		snprintf(msg, len, "out of memory for the workers' detect state");
		engine_free(&ne);
		goto fail;
	}
	/* the first file rule switches file tracking on, as Suricata's
	 * detection sets a flow's file flags from the rules it runs */
	g->files = engine_file_needs(&ne, &g->file_hashes);
	g->app_needs = engine_app_needs(&ne);
	pthread_mutex_lock(&r->lock);
	prev = detect_gen_swap(&r->ctl.gen, r->ctl.qsv, g);
	for (unsigned i = 0; i < r->nworkers; i++)
		worker_gen_retired(r->workers[i], prev);
	/* r->e still holds the rules prev was built from */
	if (sig_tally_add_gen(&r->tally, r->e->rs, prev) != 0)
		log_msg(LOG_WARN, "reload", "out of memory: the summary loses the retired "
			"rules' alert counts");
	run_rule_perf_log(r, prev);
	detect_gen_free(prev);
	old = *r->e;
	*r->e = ne;
	engine_free(&old);
	r->reloads++;
	snprintf(msg, len, "generation %llu: %u rules loaded, %u failed",
		 (unsigned long long)g->serial, ne.rs->n, ne.rs->nfailed);
	snprintf(r->last_reload, sizeof(r->last_reload), "ok: %s", msg);
	pthread_mutex_unlock(&r->lock);
	pthread_mutex_unlock(&r->reload_lock);
	free(buf);
	log_msg(LOG_NOTICE, "reload", "%s", msg);
	return 0;
fail:
	pthread_mutex_lock(&r->lock);
	r->reload_failures++;
	snprintf(r->last_reload, sizeof(r->last_reload), "failed: %s", msg);
	pthread_mutex_unlock(&r->lock);
	pthread_mutex_unlock(&r->reload_lock);
	free(buf);
	log_msg(LOG_ERR, "reload", "failed, the running rules stay: %s", msg);
	return ret;
}
