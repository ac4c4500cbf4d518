/* SPDX-License-Identifier: MIT */
#include "args.h"
#include "malloc_lib.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_RUNMODE = 256,
	OPT_SET,
	OPT_SIMULATE_IPS,
	OPT_STRICT_RULES,
	OPT_DUMP_CONFIG,
	OPT_VERSION,
	OPT_PIDFILE,
	OPT_USER,
	OPT_GROUP,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "runmode", required_argument, NULL, OPT_RUNMODE },
	{ "set", required_argument, NULL, OPT_SET },
	{ "simulate-ips", no_argument, NULL, OPT_SIMULATE_IPS },
	{ "strict-rules", no_argument, NULL, OPT_STRICT_RULES },
	{ "dump-config", no_argument, NULL, OPT_DUMP_CONFIG },
	{ "pidfile", required_argument, NULL, OPT_PIDFILE },
	{ "user", required_argument, NULL, OPT_USER },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fputs("usage: idsd [options] [-- EAL options]\n"
	      "\n"
	      "  -c FILE            configuration file (YAML, suricata.yaml keys)\n"
	      "  -r FILE            read a pcap/pcapng capture (Ethernet) and exit at its end;\n"
	      "                     runs without hugepages or NICs; one worker, or N with\n"
	      "                     --set pcap-file.threads=N (one reader, N workers by the\n"
	      "                     symmetric flow hash, as autofp; same alerts as one)\n"
	      "  -S PATH            load only this rule file, or every *.rules file of a\n"
	      "                     folder (repeatable), ignoring rule-files\n"
	      "  -l DIR             log directory (eve.json), default: default-log-dir or .\n"
	      "  -T                 check the configuration and rules, report, exit\n"
	      "  -k none|all        checksum validation (default: none for -r, else all)\n"
	      "  -v                 more messages (repeatable)\n"
	      "  --runmode MODE     workers (one worker per RX queue) or autofp\n"
	      "  --set KEY=VALUE    override a configuration key (repeatable)\n"
	      "  --simulate-ips     treat a capture as inline traffic: drop rules drop\n"
	      "  --strict-rules     exit 1 if any rule fails to load\n"
	      "  --dump-config      print the effective configuration and exit\n"
	      "  -D                 run as a daemon (in the background)\n"
	      "  --pidfile FILE     write the process id to FILE (removed at exit)\n"
	      "  --user USER        run as USER after initialisation (keeps only the\n"
	      "                     capabilities the ports still need)\n"
	      "  --group GROUP      run as GROUP after initialisation\n"
	      "  -h, --help         this text\n"
	      "  --version          version\n"
	      "\n"
	      "signals: SIGUSR2 reloads the rules, SIGHUP reopens eve.json; both apply the\n"
	      "config file's logging section anew; SIGTERM/SIGINT drain and exit\n"
	      "\n"
	      "exit status: 0 success, 1 invalid configuration or rules, 2 bad usage\n", out);
}

static int push(const char ***list, unsigned *n, const char *v)
{
	const char **nl = realloc(*list, (*n + 1) * sizeof(*nl));

	if (nl == NULL)
		return -1;
	nl[(*n)++] = v;
	*list = nl;
	return 0;
}

enum args_result args_parse(int argc, char **argv, struct idsd_args *a, FILE *out, FILE *err)
{
	int c;

	memset(a, 0, sizeof(*a));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+c:r:S:l:Tk:vhD", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			a->config = optarg;
			break;
		case 'r':
			a->pcap = optarg;
			break;
		case 'S':
			if (push(&a->rule_files, &a->nrule_files, optarg) != 0)
				goto nomem;
			break;
		case 'l':
			a->log_dir = optarg;
			break;
		case 'T':
			a->test = true;
			break;
		case 'k':
			if (strcmp(optarg, "none") == 0) {
				a->csum = CSUM_NONE;
			} else if (strcmp(optarg, "all") == 0) {
				a->csum = CSUM_ALL;
			} else {
				fprintf(err, "idsd: -k: expected 'none' or 'all', got '%s'\n", optarg);
				return ARGS_USAGE;
			}
			break;
		case 'v':
			a->verbose++;
			break;
		case OPT_RUNMODE:
			if (strcmp(optarg, "workers") != 0 && strcmp(optarg, "autofp") != 0) {
				fprintf(err, "idsd: --runmode: expected 'workers' or 'autofp', got '%s'\n",
					optarg);
				return ARGS_USAGE;
			}
			a->runmode = optarg;
			break;
		case OPT_SET:
			if (strchr(optarg, '=') == NULL) {
				fprintf(err, "idsd: --set: expected KEY=VALUE, got '%s'\n", optarg);
				return ARGS_USAGE;
			}
			if (push(&a->sets, &a->nsets, optarg) != 0)
				goto nomem;
			break;
		case OPT_SIMULATE_IPS:
			a->simulate_ips = true;
			break;
		case OPT_STRICT_RULES:
			a->strict_rules = true;
			break;
		case OPT_DUMP_CONFIG:
			a->dump_config = true;
			break;
		case 'D':
			a->daemon = true;
			break;
		case OPT_PIDFILE:
			a->pidfile = optarg;
			break;
		case OPT_USER:
			a->user = optarg;
			break;
		case OPT_GROUP:
			a->group = optarg;
			break;
		case 'h':
			usage(out);
			return ARGS_EXIT_OK;
		case OPT_VERSION:
			fprintf(out, "idsd %s\nmalloc: %s\n", IDS_VERSION, malloc_lib());
			return ARGS_EXIT_OK;
		default:
			if (optopt != 0 && optopt < 256)
				fprintf(err, "idsd: option -%c: unknown or missing its argument\n", optopt);
			else
				fprintf(err, "idsd: unknown option '%s'\n", argv[optind - 1]);
			fputs("Try 'idsd --help'.\n", err);
			return ARGS_USAGE;
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		fprintf(err, "idsd: unexpected argument '%s' (EAL options go after --)\n",
			argv[optind]);
		return ARGS_USAGE;
	}
	a->eal_argc = argc - optind;
	a->eal_argv = argv + optind;
	if (a->config == NULL && a->pcap == NULL && !a->test && !a->dump_config) {
		fputs("idsd: nothing to do: give -c FILE (live ports) or -r CAPTURE\n"
		      "Try 'idsd --help'.\n", err);
		return ARGS_USAGE;
	}
	return ARGS_RUN;
nomem:
	fputs("idsd: out of memory\n", err);
	return ARGS_USAGE;
}

void args_free(struct idsd_args *a)
{
	free(a->rule_files);
	free(a->sets);
	a->rule_files = NULL;
	a->sets = NULL;
}
