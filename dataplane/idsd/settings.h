/* SPDX-License-Identifier: MIT */
/* Everything idsd runs with, resolved from the config file, --set and the
 * command line, in that order of precedence (the command line wins). */
#ifndef IDS_SETTINGS_H
#define IDS_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"
#include "../decode/decode.h"
#include "../detect/detect_profile.h"
#include "../flow/flow.h"
#include "../defrag/defrag.h"
#include "../stream/stream.h"
#include "../pipeline/exception.h"
#include "../output/eve.h"
#include "../output/eve_sink.h"
#include "../applayer/applayer.h"
#include "../port/port.h"
#include "../hoststate/host_table.h"
#include "cpuset.h"
#include "../../common/log.h"
#include "../../rules/rule-t.h"
#include "../../conf/conf_logging.h"

struct conf;

#define SETTINGS_MAX_PORTS 16
#define SETTINGS_MAX_EVE 8

/* One outputs.eve-log entry. */
struct eve_output_settings {
	const char *filename;      /* absolute, or relative to log_dir */
	bool sink;                 /* filetype other than regular: see sink */
	struct eve_sink_config sink_cfg;   /* path resolved by the caller (filename) */
	uint32_t types;            /* enum eve_type bits the output takes */
	struct eve_options opt;    /* its own options */
	uint8_t file_hashes;       /* files: force-hash, APP_FILE_* bits */
};

struct rule_var {
	char kind;                 /* 'a' address group, 'p' port group */
	const char *name;          /* owned by the conf */
	const char *value;
};

enum runmode { RUNMODE_WORKERS = 0, RUNMODE_AUTOFP };

struct settings {
	/* rules */
	const char **rule_files;   /* paths as given (relative ones resolved against rule_path) */
	unsigned nrule_files;
	const char *rule_path;     /* default-rule-path */
	const char *classification_file;
	const char *reference_file;
	const char *threshold_file;  /* threshold-file (threshold.config), NULL: none */
	struct rule_var *vars;
	unsigned nvars;
	bool strict_rules;         /* --strict-rules: also a reload refuses any failed rule */
	uint32_t packet_alert_max; /* alerts kept per packet (detect_engine_set_alert_max) */
	/* action-order: the actions from first to last evaluated (Suricata's
	 * default pass, drop, reject, alert) */
	enum rule_action action_order[RULE_ACT_MAX];

	/* input and ports */
	const char *pcap;          /* -r */
	unsigned pcap_threads;     /* pcap-file.threads: workers a capture is spread over
				    * (autofp: one reader, these workers), 1: one worker */
	unsigned nports;
	struct port_settings ports[SETTINGS_MAX_PORTS];
	char **eal_params;         /* from dpdk.eal-params, "--key" / "value" pairs */
	unsigned neal_params;
	enum runmode runmode;

	/* stages */
	bool csum_check;
	bool csum_forced;          /* -k given: it wins over a port's checksum-checks */
	struct decode_opts decode;    /* decoder.*: tunnels, max-layers (csum_check apart) */
	bool ips;                  /* verdicts enforced: --simulate-ips or a port in ips mode */
	bool simulate_ips;
	struct flow_config flow;
	struct stream_config stream;  /* stream.*: memcaps, depth, chunk sizes, inline */
	struct exc_config exc;        /* (added) *.memcap-policy, exception-policy */
	struct defrag_config defrag;  /* defrag.memcap, timeout, max-frags */
	struct applayer_config app;   /* app-layer.protocols.*: parsers, ports, libhtp limits */
	struct host_table_config hosts; /* host.memcap, host.hash-size: the shared host table */

	/* output */
	const char *log_dir;
	struct eve_output_settings eve[SETTINGS_MAX_EVE];   /* the enabled eve-log outputs */
	unsigned neve;
	/* what the workers must produce for all of them together (drop and
	 * tagged-packet records, xff); each output filters by its types */
	struct eve_options eve_opt;
	uint32_t stats_interval;   /* seconds between stats records, 0: only at exit */
	const char *stats_log;     /* outputs.stats: stats.log (absolute or in log_dir), NULL: none */
	bool stats_log_deltas;     /* outputs.stats.deltas: a Delta column */
	/* profiling.rules, as Suricata's: per-rule checks, matches and ticks,
	 * written at exit to prof_file (absolute or in log_dir) */
	bool prof_rules;
	const char *prof_file;
	bool prof_append, prof_json;
	bool prof_all_sorts;       /* no "sort": one table per sort order, as Suricata */
	enum rule_perf_sort prof_sort;
	uint32_t prof_limit;       /* rules per table, 0: all */

	/* threading.cpu-affinity (when set-cpu-affinity): where lcores run */
	struct cpu_list worker_cpus;   /* empty: spread over the allowed CPUs */
	struct cpu_list mgmt_cpus;     /* the main lcore; empty: the first allowed CPU */

	/* logging: the process log's outputs (conf/conf_logging.c) */
	struct conf_logging logging;

	/* process */
	bool daemon;               /* -D */
	const char *pidfile;       /* --pidfile, pid-file */
	const char *user;          /* --user, run-as.user: switch after initialisation */
	const char *group;         /* --group, run-as.group */
};

/* Fill s from the (validated) config c and the command line a. Problems are
 * printed to errs as "file:line:col: reason"; returns their number. */
int settings_load(struct settings *s, const struct conf *c, const struct idsd_args *a, FILE *errs);
void settings_free(struct settings *s);

/* What the logging section is read against: the log directory, idsd.log,
 * -D and -v. */
static inline struct conf_logging_ctx settings_log_ctx(const struct settings *s, int verbose)
{
	return (struct conf_logging_ctx){ .log_dir = s->log_dir, .file_name = "idsd.log",
					  .daemon = s->daemon, .verbose = verbose };
}

#endif
