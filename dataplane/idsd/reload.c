/* SPDX-License-Identifier: MIT */
/* Rule reload: parse and compile on a control thread while the workers run
 * the old rules, publish the new generation, wait for quiescence, free the
 * old. A failure anywhere (a rule file unreadable, any rule failing, no
 * memory) keeps the running rules. */
#include <errno.h>
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
	ret = engine_load(&ne, r->s, errs);
	fclose(errs);
	/* All or nothing: a rule that no longer loads would vanish from the
	 * running set without anyone noticing, so the reload is refused. */
	if (ret == 0 && ne.rs->nfailed > 0)
		ret = -EINVAL;
	if (ret != 0) {
		first_line(buf, n, msg, len);
		engine_free(&ne);
		goto fail;
	}
	for (unsigned i = 0; i < r->nworkers; i++)
		sockets[i] = r->workers[i]->socket;
	g = detect_gen_create(ne.de, ne.rs->n, r->nworkers, sockets, r->s->ips,
			      r->ctl.gen->serial + 1);
	if (g == NULL) {
		ret = -ENOMEM;
		snprintf(msg, len, "out of memory for the workers' detect state");
		engine_free(&ne);
		goto fail;
	}
	pthread_mutex_lock(&r->lock);
	prev = detect_gen_swap(&r->ctl.gen, r->ctl.qsv, g);
	for (unsigned i = 0; i < r->nworkers; i++)
		worker_gen_retired(r->workers[i], prev);
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
