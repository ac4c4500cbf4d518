/* SPDX-License-Identifier: MIT */
/* idsd's command line, in Suricata's vocabulary. */
#ifndef IDS_ARGS_H
#define IDS_ARGS_H

#include <stdbool.h>
#include <stdio.h>

enum csum_mode { CSUM_AUTO = 0, CSUM_NONE, CSUM_ALL };

struct idsd_args {
	const char *config;          /* -c */
	const char *pcap;            /* -r */
	const char **rule_files;     /* -S, repeatable */
	unsigned nrule_files;
	const char *log_dir;         /* -l */
	bool test;                   /* -T */
	const char *runmode;         /* --runmode workers|autofp */
	int verbose;                 /* -v, repeatable */
	const char **sets;           /* --set key=value, repeatable */
	unsigned nsets;
	enum csum_mode csum;         /* -k none|all */
	bool simulate_ips;           /* --simulate-ips */
	bool strict_rules;           /* --strict-rules */
	bool dump_config;            /* --dump-config */
	bool daemon;                 /* -D: run in the background */
	const char *pidfile;         /* --pidfile */
	const char *user;            /* --user: drop to this user after initialisation */
	const char *group;           /* --group */
	int eal_argc;                /* after "--": handed to DPDK's EAL */
	char **eal_argv;
};

enum args_result { ARGS_RUN = 0, ARGS_EXIT_OK, ARGS_USAGE };

/* Parse argv into a (pointers into argv, lists allocated). ARGS_EXIT_OK after
 * --help/--version (printed to out), ARGS_USAGE after a bad option (reason
 * printed to err). */
enum args_result args_parse(int argc, char **argv, struct idsd_args *a, FILE *out, FILE *err);
void args_free(struct idsd_args *a);

#endif
