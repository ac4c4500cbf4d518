/* SPDX-License-Identifier: MIT */
/* The running dataplane as run.c, topology.c and reload.c share it. */
#ifndef IDS_RUN_INT_H
#define IDS_RUN_INT_H

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "../worker/receiver.h"
#include "../worker/worker.h"
#include "capture_map.h"
#include "engine.h"
#include "log_reload.h"
#include "sig_tally.h"
#include "stats.h"
#include "settings.h"

#define MAX_WORKERS RTE_MAX_LCORE
#define MAX_RECEIVERS 64

struct rte_ring;

struct run {
	const struct settings *s;
	const struct idsd_args *a;       /* a reload reads the config file again */
	struct log_live log;             /* the logging in force (reloaded) */
	struct engine *e;                /* replaced in place by a reload */
	struct port ports[SETTINGS_MAX_PORTS];
	unsigned nports;
	struct worker *workers[MAX_WORKERS];
	unsigned nworkers;
	struct receiver *receivers[MAX_RECEIVERS];   /* autofp */
	unsigned nreceivers;
	struct rte_ring *rings[MAX_WORKERS];         /* autofp: one per worker */
	unsigned autofp_workers;         /* autofp: workers fed by the receivers */
	struct host_table *hosts;        /* host state every worker shares */
	/* the memcaps, each one budget all workers share (common/memcap.h) */
	struct memcap *flow_mem, *ssn_mem, *reasm_mem, *defrag_mem;
	struct seq_gate *gate;           /* a file over several workers: capture order */
	int seq_off;                     /* with gate: the mbuf field holding a frame's number */
	struct worker_control ctl;
	struct eve_file *eve;
	struct app_expect *expect;       /* FTP data expectations, shared by the workers */
	struct eve_writer *stats_eve;    /* the main lcore's own writer, for stats records */
	FILE *stats_log;                 /* outputs.stats: stats.log, NULL: none */
	struct stats_snapshot *stats_prev;   /* stats.log deltas: the last block's counters */
	uint64_t capture_pkts;           /* -r: frames in the file */
	uint64_t main_cpu_ns;            /* this thread's CPU while the workers ran */
	struct port_capture_rx capture_rx; /* -r: the port reads no further */
	struct capture_map_end capture_end;  /* -r: how its reader ended, */
	bool capture_eof;                /* if it had the end of the file first */
	uint8_t capture_link;            /* -r: enum pkt_link of the file */
	char eve_path[PATH_MAX];
	FILE *dpdk_log;                  /* -D: DPDK's messages into the log */

	/* Control plane: stats, telemetry and the reload's swap take turns on
	 * lock (never workers). reload_lock serialises reloads; the long part
	 * of one (parse and compile) holds only reload_lock, so stats and
	 * health polls answer while it compiles. */
	pthread_mutex_t lock;
	pthread_mutex_t reload_lock;
	uint64_t reloads, reload_failures;
	char last_reload[128];
	struct sig_tally tally;          /* alerts of the retired generations (under lock) */
};

/* run.c: an output's file name: an absolute one as it is, else in the log
 * dir. */
void run_output_path(const struct settings *s, const char *name, char *out, size_t len);
/* run.c: profiling.rules: g's figures to the rule_perf.log (when a
 * generation retires, and at exit: as Suricata when a detect engine goes);
 * a file that cannot be written is warned about. */
void run_rule_perf_log(const struct run *r, const struct detect_gen *g);

/* topology.c: lcores the plan needs (workers + receivers), ports up, workers
 * and receivers created. Errors printed; 0 or -errno. */
unsigned topology_lcores(const struct run *r);
int topology_start_ports(struct run *r);
int topology_create(struct run *r);
void topology_destroy(struct run *r);

/* reload.c: build the rules again off the hot path and swap them in; on
 * failure the running rules stay and msg says why. 0 or -errno. Takes
 * r->reload_lock for the whole reload and r->lock only for the swap. */
int reload_rules(struct run *r, char *msg, size_t len);

#endif
