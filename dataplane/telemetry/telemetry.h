/* SPDX-License-Identifier: MIT */
/* idsd's DPDK telemetry commands (/ids/stats, /ids/ports, /ids/workers,
 * /ids/flows, /ids/rules, /ids/rules/failed, /ids/rules/profile, /ids/reload,
 * /ids/role), served on DPDK's
 * telemetry socket so dpdk-telemetry.py and ids-control can read them. */
#ifndef IDS_TELEMETRY_H
#define IDS_TELEMETRY_H

#include <stddef.h>
#include <stdint.h>

struct worker;
struct receiver;
struct port;
struct worker_control;

/* /ids/stats: counters per reply, as many as a DPDK dict holds
 * (RTE_TEL_MAX_DICT_ENTRIES); idsd has ~170, past the 128 it once took */
#define TELEMETRY_STATS_MAX 256
/* /ids/rules/failed: entries per reply (DPDK's 16 KiB reply holds this
 * many lines of at most TELEMETRY_LINE_LEN characters with their keys) */
#define TELEMETRY_FAILED_MAX 80
#define TELEMETRY_LINE_LEN 128

/* What the commands read. The callbacks run on DPDK's telemetry thread. */
struct telemetry_src {
	void *arg;
	/* Counter snapshot: fills names/values (at most max), returns the count. */
	unsigned (*stats)(void *arg, const char **names, uint64_t *values, unsigned max);
	/* Rule figures of the running engine. */
	void (*rules)(void *arg, uint64_t *loaded, uint64_t *failed, uint64_t *reloads,
		      uint64_t *reload_failures, char *last, size_t lastlen);
	/* The rules that failed to load in the running set, as
	 * "file:line: reason" (the file's base name), from index from on: fills
	 * at most max lines, returns their number; *total = all failures. */
	unsigned (*failed)(void *arg, unsigned from, char (*lines)[TELEMETRY_LINE_LEN],
			   unsigned max, uint64_t *total);
	/* The rules of the running set in load order, from index from on, as
	 * "file:line gid:sid:rev msg" (the file's base name; msg cut to fit);
	 * only those of sid (when not 0) and of the file named file (when not
	 * NULL). Fills at most max lines with their indexes in idx; *next is
	 * where the next page starts, *total the rules of the set. */
	unsigned (*list)(void *arg, unsigned from, uint32_t sid, const char *file,
			 char (*lines)[TELEMETRY_LINE_LEN], uint32_t *idx, unsigned max,
			 uint64_t *next, uint64_t *total);
	/* Reload the rules now; 0, or -errno with msg saying why (old rules kept). */
	int (*reload)(void *arg, char *msg, size_t len);
	/* profiling.rules: the first max rules of the running set by sort
	 * ("ticks", "avgticks", "checks", "matches", "maxticks"), as lines
	 * "GID:SID:REV CHECKS MATCHES TICKS TICKS_MATCH TICKS_MAX"; returns their
	 * number, -EINVAL for another sort, -ENOTSUP when profiling is off;
	 * *checked = the rules checked so far. */
	int (*profile)(void *arg, const char *sort, unsigned max,
		       char (*lines)[TELEMETRY_LINE_LEN], uint64_t *checked);

	struct worker *const *workers;
	unsigned nworkers;
	struct receiver *const *receivers;
	unsigned nreceivers;
	const struct port *ports;
	unsigned nports;
	struct worker_control *ctl;     /* role (standby) */
};

/* Register the commands; src must stay valid until telemetry_unregister().
 * 0 or -errno. */
int telemetry_register(const struct telemetry_src *src);

/* Stop answering from src (DPDK cannot unregister a command: they reply
 * "not running" from then on). */
void telemetry_unregister(void);

/* "decoder.pkts" -> "decoder_pkts": telemetry names allow [A-Za-z0-9_/] only. */
void telemetry_name(const char *in, char *out, size_t len);

#endif
