/* SPDX-License-Identifier: MIT */
/* A detection generation: one compiled engine plus each worker's detect
 * thread (Hyperscan scratch) and alert tally for it. Rule reload builds a new
 * generation off the hot path, publishes it, waits until every worker has
 * passed a quiescent point (rte_rcu_qsbr) and then frees the old one. A
 * worker switches between bursts, so every packet is inspected whole by
 * exactly one generation. */
#ifndef IDS_DETECT_GEN_H
#define IDS_DETECT_GEN_H

#include <stdbool.h>
#include <stdint.h>

struct detect_engine;
struct detect_thread;
struct host_table;
struct seq_gate;
struct rte_rcu_qsbr;

struct detect_gen_slot {
	struct detect_thread *dt;
	uint64_t *alerts_by_rule;    /* indexed by rule->order, nrules long */
};

struct detect_gen {
	const struct detect_engine *de;
	uint32_t nrules;
	uint32_t nslots;
	uint64_t serial;             /* 1 for the rules loaded at start, +1 per reload */
	/* (added) the rules' file keywords need files tracked, with these
	 * APP_FILE_* hashes (and magic): a worker taking the generation
	 * switches its app layer to it (applayer_ctx_need_files) */
	bool files;
	uint8_t file_hashes;
	/* (added) what the rules need of the app layer (APP_NEED_* bits): the
	 * worker's app layer provides it from then on (applayer_ctx_need) */
	unsigned app_needs;
	struct detect_gen_slot slot[];   /* one per worker, by worker id */
};

/* A generation for nworkers workers; sockets[i] is worker i's NUMA node.
 * de may be NULL (no rules: decode and flow only). ips sets the detect
 * threads' enforcement; hosts (NULL: each thread its own) is the host table
 * the workers share, which outlives generations (host state survives a
 * reload, as in Suricata), gate (NULL: none) orders their use of it by
 * worker id. NULL on allocation failure. */
struct detect_gen *detect_gen_create(const struct detect_engine *de, uint32_t nrules,
				     unsigned nworkers, const int *sockets, bool ips,
				     uint64_t serial, struct host_table *hosts,
				     struct seq_gate *gate);
void detect_gen_free(struct detect_gen *g);

/* Publish g in *live and wait until every online worker of qsv has reported
 * quiescence after the publication: from then on no worker uses the old
 * generation, which is returned for the caller to free (after reading what
 * it wants from it). Runs on a control thread, never on a worker. */
struct detect_gen *detect_gen_swap(struct detect_gen **live, struct rte_rcu_qsbr *qsv,
				   struct detect_gen *g);

#endif
