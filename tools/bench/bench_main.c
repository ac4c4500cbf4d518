/* SPDX-License-Identifier: MIT */
/* ids-bench: how fast the pipeline runs on given traffic and rules, against
 * the receive rate and the raw Hyperscan ceiling. main parses, prepares,
 * runs the four modes and reports. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_prep.h"
#include "bench_report.h"
#include "bench_rules.h"
#include "bench_run.h"
#include "dataplane/detect/detect.h"
#include "rules/rules.h"
#include "traffic.h"

#define MAX_RULE_PATHS 64
#define FLOW_DEFAULT_MEMCAP (32ull << 20)   /* idsd's flow.memcap default */

struct bench_args {
	struct bench_opts o;
	char *rule_paths[MAX_RULE_PATHS];
	unsigned nrule_paths;
	bool json, verbose;
	unsigned mem_mb;
	uint64_t flow_memcap;
	unsigned modes;           /* bit per enum bench_mode */
	bool no_stream;           /* (c) without TCP reassembly: what streams cost */
	char label[512];
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ids-bench (-r CAPTURE | -g KIND[:N])... [-S RULES]... [options]\n"
		"  -r PATH          capture file, or a folder of captures (repeatable, merged\n"
		"                   in the order given; non-Ethernet files in a folder skipped)\n"
		"  -g KIND[:N]      synthetic traffic: 64 | imix (N frames), http | stress\n"
		"                   (N flows); defaults 1M frames, 50000 and 1048576 flows\n"
		"  -S RULES         rule file, or a folder of .rules (repeatable; none: no rules)\n"
		"  --seconds N      measured time per mode (default 3)\n"
		"  --warmup N       seconds before measuring (default 1)\n"
		"  --packets N      measure N packets per worker instead of a duration\n"
		"  --workers N      worker lcores (default 1)\n"
		"  --flow-memcap MB flow table memory per worker (default: 32, or enough for\n"
		"                   the generated flows)\n"
		"  --mem MB         EAL memory (default: what the mempools need)\n"
		"  --json           end with one JSON line of the figures\n"
		"  --modes LIST     run only these of rx,decode,full,hs (for profiling)\n"
		"  --no-progress    no progress line on stderr\n"
		"  --no-stream      full pipeline without TCP reassembly (packets only), to\n"
		"                   price stream inspection against a run without it\n"
		"  -v               print rule load errors\n");
}

static void label_add(struct bench_args *a, const char *what, const char *v)
{
	size_t len = strlen(a->label);

	snprintf(a->label + len, sizeof(a->label) - len, "%s%s%s", len ? " " : "", what, v);
}

static int add_gen(struct traffic *t, const char *spec, char *err, size_t errlen)
{
	char kind[32];
	const char *colon = strchr(spec, ':');
	uint64_t n = 0;

	snprintf(kind, sizeof(kind), "%.*s", colon ? (int)(colon - spec) : (int)strlen(spec),
		 spec);
	if (colon != NULL) {
		char *end;

		n = strtoull(colon + 1, &end, 10);
		if (*end != '\0' || n == 0) {
			snprintf(err, errlen, "-g %s: the count must be a positive number", spec);
			return -EINVAL;
		}
	}
	return traffic_generate(t, kind, n, err, errlen);
}

static int parse_modes(const char *list, unsigned *out)
{
	static const char *const names[BENCH_MODE_MAX] = { "rx", "decode", "full", "hs" };
	char buf[64], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	*out = 0;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int m = 0;

		while (m < BENCH_MODE_MAX && strcmp(tok, names[m]) != 0)
			m++;
		if (m == BENCH_MODE_MAX) {
			fprintf(stderr, "ids-bench: --modes: unknown mode '%s' (rx, decode, full, "
				"hs)\n", tok);
			return -EINVAL;
		}
		*out |= 1u << m;
	}
	return 0;
}

static int number(const char *opt, const char *v, double min, double *out)
{
	char *end;

	*out = strtod(v, &end);
	if (*end != '\0' || *out < min) {
		fprintf(stderr, "ids-bench: %s %s: expected a number >= %g\n", opt, v, min);
		return -EINVAL;
	}
	return 0;
}

/* Parses options and loads the traffic as it is named. 0, 1 (help) or -errno. */
static int parse_args(int argc, char **argv, struct bench_args *a, struct traffic *t)
{
	enum { O_SECONDS = 256, O_WARMUP, O_PACKETS, O_WORKERS, O_MEMCAP, O_MEM, O_JSON,
	       O_NOPROG, O_MODES, O_NOSTREAM };
	static const struct option longopts[] = {
		{ "seconds", required_argument, NULL, O_SECONDS },
		{ "warmup", required_argument, NULL, O_WARMUP },
		{ "packets", required_argument, NULL, O_PACKETS },
		{ "workers", required_argument, NULL, O_WORKERS },
		{ "flow-memcap", required_argument, NULL, O_MEMCAP },
		{ "mem", required_argument, NULL, O_MEM },
		{ "json", no_argument, NULL, O_JSON },
		{ "no-progress", no_argument, NULL, O_NOPROG },
		{ "no-stream", no_argument, NULL, O_NOSTREAM },
		{ "modes", required_argument, NULL, O_MODES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[512];
	double v;
	int c;

	a->o = (struct bench_opts){ .workers = 1, .seconds = 3, .warmup = 1, .progress = true };
	a->modes = (1u << BENCH_MODE_MAX) - 1;
	while ((c = getopt_long(argc, argv, "r:g:S:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
		case 'g':
			if ((c == 'r' ? traffic_load(t, optarg, err, sizeof(err))
				      : add_gen(t, optarg, err, sizeof(err))) != 0) {
				fprintf(stderr, "ids-bench: %s\n", err);
				return -EINVAL;
			}
			label_add(a, c == 'r' ? "" : "gen:", optarg);
			break;
		case 'S':
			if (a->nrule_paths == MAX_RULE_PATHS) {
				fprintf(stderr, "ids-bench: more than %d -S\n", MAX_RULE_PATHS);
				return -E2BIG;
			}
			if (strcmp(optarg, "none") != 0)
				a->rule_paths[a->nrule_paths++] = optarg;
			break;
		case O_SECONDS:
			if (number("--seconds", optarg, 0.01, &a->o.seconds) != 0)
				return -EINVAL;
			break;
		case O_WARMUP:
			if (number("--warmup", optarg, 0, &a->o.warmup) != 0)
				return -EINVAL;
			break;
		case O_PACKETS:
			if (number("--packets", optarg, 1, &v) != 0)
				return -EINVAL;
			a->o.packets = (uint64_t)v;
			break;
		case O_WORKERS:
			if (number("--workers", optarg, 1, &v) != 0 || v > 64)
				return -EINVAL;
			a->o.workers = (unsigned)v;
			break;
		case O_MEMCAP:
			if (number("--flow-memcap", optarg, 1, &v) != 0)
				return -EINVAL;
			a->flow_memcap = (uint64_t)(v * 1024 * 1024);
			break;
		case O_MEM:
			if (number("--mem", optarg, 64, &v) != 0)
				return -EINVAL;
			a->mem_mb = (unsigned)v;
			break;
		case O_JSON:
			a->json = true;
			break;
		case O_MODES:
			if (parse_modes(optarg, &a->modes) != 0)
				return -EINVAL;
			break;
		case O_NOPROG:
			a->o.progress = false;
			break;
		case O_NOSTREAM:
			a->no_stream = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc || t->n == 0) {
		fprintf(stderr, "ids-bench: %s\n", optind != argc ? "unexpected argument" :
			"no traffic: give -r or -g (or the captures held no Ethernet frame)");
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static uint32_t max_frame(const struct traffic *t)
{
	uint32_t m = 0;

	for (uint32_t i = 0; i < t->n; i++)
		if (t->f[i].len > m)
			m = t->f[i].len;
	return m;
}

/* Enough flow memory for every generated flow, as a sized deployment would
 * have; captures keep idsd's default unless --flow-memcap says otherwise. */
static void flow_sizing(const struct bench_args *a, const struct traffic *t, double per_flow,
			struct flow_config *fc)
{
	uint64_t want = (uint64_t)((double)t->flows_hint * per_flow * 1.25);
	uint32_t buckets = 65536;

	fc->memcap = a->flow_memcap ? a->flow_memcap :
		     want > FLOW_DEFAULT_MEMCAP ? want : FLOW_DEFAULT_MEMCAP;
	while (per_flow > 0 && buckets < fc->memcap / per_flow && buckets < (1u << 24))
		buckets <<= 1;
	fc->hash_size = buckets;
}

static int run_all(struct bench_args *a, struct traffic *t, struct bench_rules *br,
		   struct bench_report *rep)
{
	struct pipeline_config pcfg = { .socket = -1, .nrules = br->rs->n,
					.stream_off = a->no_stream };
	const void *db = detect_engine_hs_database(br->de);
	struct bench_payloads pay;
	char err[512], pcap[] = "/tmp/ids-bench-XXXXXX";
	int fd, ret;

	fd = mkstemp(pcap);
	if (fd < 0) {
		fprintf(stderr, "ids-bench: %s: %s\n", pcap, strerror(errno));
		return -errno;
	}
	close(fd);
	ret = traffic_write_pcap(t, pcap, err, sizeof(err));
	if (ret == 0)
		ret = bench_payloads_build(t, &pay) == 0 ? 0 : -ENOMEM;
	if (ret != 0) {
		unlink(pcap);
		fprintf(stderr, "ids-bench: %s\n", ret == -ENOMEM ? "out of memory" : err);
		return ret;
	}
	if (a->mem_mb == 0)
		a->mem_mb = bench_eal_mem_mb(&a->o, t->n, max_frame(t));
	ret = bench_eal_setup(&a->o, pcap, t->n, max_frame(t), a->mem_mb, err, sizeof(err));
	/* net_pcap has read the file into its mbufs */
	unlink(pcap);
	if (ret != 0) {
		fprintf(stderr, "ids-bench: %s\n", err);
		bench_payloads_free(&pay);
		return ret;
	}
	flow_sizing(a, t, rep->mem_per_flow, &pcfg.flow);
	rep->flow_memcap = pcfg.flow.memcap;
	rep->have_hs = db != NULL;
	for (int m = 0; m < BENCH_MODE_MAX && ret == 0; m++) {
		if ((m == BENCH_HS && db == NULL) || !(a->modes & 1u << m))
			continue;
		pcfg.de = m == BENCH_FULL ? br->de : NULL;
		ret = bench_run((enum bench_mode)m, &a->o, &pcfg, &pay, db, &rep->fig[m], err,
				sizeof(err));
		if (ret != 0)
			fprintf(stderr, "ids-bench: %s: %s\n", bench_mode_name((enum bench_mode)m),
				err);
	}
	bench_eal_teardown();
	bench_payloads_free(&pay);
	return ret;
}

int main(int argc, char **argv)
{
	struct bench_args a = { 0 };
	struct traffic t = { 0 };
	struct bench_rules br = { 0 };
	struct bench_report rep = { 0 };
	struct detect_engine_info info;
	FILE *errs = NULL;
	char err[512];
	int ret;

	ret = parse_args(argc, argv, &a, &t);
	if (ret != 0)
		goto out;
	errs = a.verbose ? stderr : fopen("/dev/null", "w");
	ret = bench_rules_load(&br, a.rule_paths, a.nrule_paths, errs, err, sizeof(err));
	if (ret != 0) {
		fprintf(stderr, "ids-bench: %s\n", err);
		goto out;
	}
	detect_engine_info(br.de, &info);
	rep = (struct bench_report){
		.traffic = a.label, .workers = a.o.workers, .frames = t.n,
		.traffic_bytes = t.wire_bytes, .truncated = t.truncated,
		.rule_files = br.files, .rules_loaded = br.rs->n, .rules_failed = br.rs->nfailed,
		.patterns = info.patterns, .db_bytes = info.db_bytes,
		.parse_ms = br.parse_ms, .compile_ms = br.compile_ms,
		.rss_after_load = br.rss_after,
		.rules_rss = br.rss_after > br.rss_before ? br.rss_after - br.rss_before : 0,
		.mem_per_flow = bench_mem_per_flow(),
	};
	ret = run_all(&a, &t, &br, &rep);
	if (ret == 0) {
		bench_report_table(&rep, stdout);
		if (a.json)
			bench_report_json(&rep, stdout);
	}
out:
	if (errs != NULL && errs != stderr)
		fclose(errs);
	bench_rules_free(&br);
	traffic_free(&t);
	return ret == 0 ? 0 : ret == 1 ? 0 : 1;
}
