/* SPDX-License-Identifier: MIT */
#include "detect_gen.h"

#include <stdlib.h>

#include <rte_rcu_qsbr.h>

#include "../detect/detect.h"
#include "../detect/detect_profile.h"

struct detect_gen *detect_gen_create(const struct detect_engine *de, uint32_t nrules,
				     unsigned nworkers, const int *sockets, bool ips,
				     uint64_t serial, struct host_table *hosts,
				     struct seq_gate *gate)
{
	struct detect_gen *g = calloc(1, sizeof(*g) + nworkers * sizeof(g->slot[0]));

	if (g == NULL)
		return NULL;
	g->de = de;
	g->nrules = nrules;
	g->nslots = nworkers;
	g->serial = serial;
	for (unsigned i = 0; i < nworkers; i++) {
		struct detect_gen_slot *s = &g->slot[i];

		if (de != NULL) {
			s->dt = detect_thread_create(de, sockets[i]);
			if (s->dt == NULL || detect_thread_profile_start(s->dt) != 0)
				goto fail;
			detect_thread_set_ips(s->dt, ips);
			detect_thread_share_hosts(s->dt, hosts, gate, i);
		}
		if (nrules > 0) {
			s->alerts_by_rule = calloc(nrules, sizeof(*s->alerts_by_rule));
			if (s->alerts_by_rule == NULL)
				goto fail;
		}
	}
	return g;
fail:
	detect_gen_free(g);
	return NULL;
}

void detect_gen_free(struct detect_gen *g)
{
	if (g == NULL)
		return;
	for (unsigned i = 0; i < g->nslots; i++) {
		if (g->slot[i].dt != NULL) {
			detect_thread_profile_stop(g->slot[i].dt);
			detect_thread_destroy(g->slot[i].dt);
		}
		free(g->slot[i].alerts_by_rule);
	}
	free(g);
}

struct detect_gen *detect_gen_swap(struct detect_gen **live, struct rte_rcu_qsbr *qsv,
				   struct detect_gen *g)
{
	struct detect_gen *old = __atomic_exchange_n(live, g, __ATOMIC_ACQ_REL);
	uint64_t token = rte_rcu_qsbr_start(qsv);

	/* A worker that reports quiescence with this token has finished the
	 * burst it may have begun with old, and reads *live afresh next. */
	rte_rcu_qsbr_check(qsv, token, true);
	return old;
}
