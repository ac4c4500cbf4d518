/* SPDX-License-Identifier: MIT */
#include "run.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include "../../common/log.h"
#include "../../common/svc.h"
#include "../../common/thread_cpu.h"
#include "../../rules/rule-t.h"
#include "../flow/flow.h"
#include "../port/capture_file.h"
#include "../telemetry/telemetry.h"
#include "capture_map.h"
#include "daemon.h"
#include "eal_args.h"
#include "privs.h"
#include "rule_perf.h"
#include "run-int.h"
#include "stats.h"
#include "../output/stats_log.h"

#define MAIN_POLL_US 1000

/* Set by the signal handlers, read by the main lcore's loop. */
static volatile sig_atomic_t stop_signal, reload_signal, reopen_signal;

static void on_signal(int sig)
{
	switch (sig) {
	case SIGUSR2:
		reload_signal = 1;
		break;
	case SIGHUP:
		reopen_signal = 1;
		break;
	default:
		stop_signal = sig;
		break;
	}
}

static uint64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void run_output_path(const struct settings *s, const char *name, char *out, size_t len)
{
	if (name[0] == '/')
		snprintf(out, len, "%s", name);
	else
		snprintf(out, len, "%s/%s", s->log_dir, name);
}

/* Every eve-log output, linked after the first (r->eve), each with its
 * types and options. */
static int open_output(struct run *r)
{
	const struct settings *s = r->s;
	char err[256], path[PATH_MAX];

	if (s->neve == 0)
		return 0;
	if (mkdir(s->log_dir, 0755) != 0 && errno != EEXIST) {
		log_msg(LOG_ERR, "output", "%s: cannot create the log directory: %s", s->log_dir,
			strerror(errno));
		return -errno;
	}
	for (unsigned i = 0; i < s->neve; i++) {
		struct eve_file *ef;

		run_output_path(s, s->eve[i].filename, path, sizeof(path));
		if (s->eve[i].sink) {
			struct eve_sink_config sc = s->eve[i].sink_cfg;

			if (sc.kind == EVE_SINK_UNIX_STREAM || sc.kind == EVE_SINK_UNIX_DGRAM)
				sc.path = path;
			if (sc.kind == EVE_SINK_REDIS)
				snprintf(path, sizeof(path), "redis://%s:%u/%s", sc.server, sc.port,
					 sc.key);
			ef = eve_file_open_sink(path, i, &sc, err, sizeof(err));
		} else {
			ef = eve_file_open(path, err, sizeof(err));
		}
		if (ef == NULL) {
			log_msg(LOG_ERR, "output", "%s", err);
			return -EIO;
		}
		eve_file_set_output(ef, s->eve[i].types, &s->eve[i].opt);
		if (r->eve == NULL) {
			r->eve = ef;
			snprintf(r->eve_path, sizeof(r->eve_path), "%s", path);
		} else {
			eve_file_link(r->eve, ef);
		}
	}
	r->stats_eve = eve_writer_create(r->eve, &s->eve_opt, "", SOCKET_ID_ANY);
	return r->stats_eve == NULL ? -ENOMEM : 0;
}

static int open_stats_log(struct run *r)
{
	char path[PATH_MAX];

	if (r->s->stats_log == NULL)
		return 0;
	if (mkdir(r->s->log_dir, 0755) != 0 && errno != EEXIST)
		return -errno;
	run_output_path(r->s, r->s->stats_log, path, sizeof(path));
	r->stats_log = fopen(path, "a");
	r->stats_prev = calloc(1, sizeof(*r->stats_prev));
	if (r->stats_log == NULL || r->stats_prev == NULL) {
		log_msg(LOG_ERR, "output", "%s: %s", path, strerror(errno ? errno : ENOMEM));
		return -EIO;
	}
	return 0;
}

/* The ports to open: the capture file's vdev, or the configured ones. */
static void plan_ports(struct run *r)
{
	const struct settings *s = r->s;

	if (s->pcap != NULL) {
		r->nports = 1;
		memset(&r->ports[0], 0, sizeof(r->ports[0]));
		snprintf(r->ports[0].set.name, sizeof(r->ports[0].set.name), "net_pcap0");
		r->ports[0].set.threads = s->pcap_threads;
		r->ports[0].link = r->capture_link;
		r->capture_rx = (struct port_capture_rx){ .limit = r->capture_pkts };
		r->ports[0].capture = &r->capture_rx;
		return;
	}
	r->nports = s->nports;
	for (unsigned i = 0; i < s->nports; i++) {
		memset(&r->ports[i], 0, sizeof(r->ports[i]));
		r->ports[i].set = s->ports[i];
	}
}

/* All frames of the capture have left the PMD (delivered, or dropped and
 * counted by it)? net_pcap has no end-of-file signal of its own. */
static bool capture_consumed(const struct run *r)
{
	struct rte_eth_stats es;

	if (rte_eth_stats_get(r->ports[0].port_id, &es) != 0)
		return false;
	return es.ipackets + es.ierrors + es.rx_nombuf >= r->capture_pkts;
}

/* The capture's input has ended: all its frames consumed, or its reader
 * had the end of the file first (it was cut short after it was counted). */
static bool capture_ended(struct run *r)
{
	if (capture_consumed(r))
		return true;
	r->capture_eof = capture_map_ended(&r->capture_end);
	return r->capture_eof;
}

/* After the workers, when the reader had the end of the file before all
 * the frames counted (not when a signal stopped the run): the frames the
 * file lacked, counted and said once. */
static void capture_report_cut(struct run *r)
{
	const struct capture_map_end *e = &r->capture_end;
	struct rte_eth_stats es;
	uint64_t got;

	if (!r->capture_eof || rte_eth_stats_get(r->ports[0].port_id, &es) != 0)
		return;
	got = es.ipackets + es.ierrors + es.rx_nombuf;
	if (got >= r->capture_pkts && !e->partial)
		return;
	r->capture_rx.shrank = got < r->capture_pkts ? r->capture_pkts - got : 0;
	if (e->shrank)
		log_msg(LOG_WARN, "capture", "%s: the file shrank from %zu to %zu bytes while it "
			"was read: %llu frames counted at the start were not read "
			"(capture.file_shrank)%s", r->s->pcap, e->mapped, e->cut,
			(unsigned long long)r->capture_rx.shrank,
			e->partial ? "; the frame across the cut was read with zeros past it" : "");
	else
		log_msg(LOG_WARN, "capture", "%s: the file held %llu frames fewer when read than "
			"when counted (capture.file_shrank): it was cut short or changed meanwhile",
			r->s->pcap, (unsigned long long)r->capture_rx.shrank);
}

static void snapshot(struct run *r, struct stats_snapshot *snap)
{
	pthread_mutex_lock(&r->lock);
	stats_collect(snap, r->workers, r->nworkers, r->ports, r->nports);
	stats_add_receivers(snap, r->receivers, r->nreceivers);
	stats_add_reloads(snap, r->reloads, r->reload_failures);
	stats_add_hosts(snap, r->hosts);
	if (r->expect != NULL)
		stats_add_expect(snap, r->expect);
	if (r->eve != NULL)
		snap->n += eve_file_sink_counters(r->eve, snap->names + snap->n,
						  snap->values + snap->n, STATS_MAX - snap->n);
	pthread_mutex_unlock(&r->lock);
}

static void write_stats(struct run *r, uint64_t start_us)
{
	struct stats_snapshot snap;
	uint64_t now = wall_us();

	if (r->stats_eve == NULL && r->stats_log == NULL)
		return;
	snapshot(r, &snap);
	if (r->stats_eve != NULL) {
		eve_write_stats(r->stats_eve, now, (now - start_us) / 1000000u, snap.names,
				snap.values, snap.n);
		eve_writer_flush(r->stats_eve);
	}
	if (r->stats_log != NULL) {
		if (stats_log_write(r->stats_log, now, (now - start_us) / 1000000u, snap.names,
				    snap.values, snap.n, r->stats_prev->names,
				    r->stats_prev->values, r->stats_prev->n,
				    r->s->stats_log_deltas) != 0)
			log_msg(LOG_ERR, "output", "stats.log: cannot write");
		*r->stats_prev = snap;
	}
}

static void handle_signals(struct run *r)
{
	char msg[256];

	if (stop_signal && !r->ctl.quit) {
		svc_stopping();
		__atomic_store_n(&r->ctl.quit, 1, __ATOMIC_RELAXED);
	}
	/* both apply the logging section anew (its file opened again) */
	if (reload_signal) {
		reload_signal = 0;
		log_live_reload(&r->log, r->a, r->s);
		reload_rules(r, msg, sizeof(msg));
	}
	if (reopen_signal) {
		reopen_signal = 0;
		/* Workers keep appending to the old descriptor until this
		 * returns; their next flush goes to the new file. */
		if (r->eve != NULL && eve_file_reopen(r->eve) != 0)
			log_msg(LOG_ERR, "output", "%s: cannot reopen", r->eve_path);
		log_live_reload(&r->log, r->a, r->s);
	}
}

/* Every worker's heartbeat moved since the last look (seen[]): the
 * service manager's watchdog is fed only then, so a stuck worker gets the
 * dataplane restarted even though this thread still runs. */
static bool workers_beating(const struct run *r, uint64_t *seen)
{
	bool all = true;

	for (unsigned i = 0; i < r->nworkers; i++) {
		uint64_t hb = __atomic_load_n(&r->workers[i]->heartbeat, __ATOMIC_RELAXED);

		all = all && hb != seen[i];
		seen[i] = hb;
	}
	return all;
}

static void wait_loop(struct run *r, uint64_t start_us)
{
	const uint64_t cpu0 = thread_cpu_ns();
	const uint64_t interval = (uint64_t)r->s->stats_interval * 1000000u;
	const uint64_t wd_period = svc_watchdog_period_us();
	uint64_t next_stats = start_us + interval, next_wd = rte_get_timer_cycles();
	uint64_t seen[MAX_WORKERS] = { 0 };

	for (;;) {
		bool running = false;
		unsigned lcore;

		RTE_LCORE_FOREACH_WORKER(lcore)
			if (rte_eal_get_lcore_state(lcore) == RUNNING)
				running = true;
		if (!running)
			break;
		handle_signals(r);
		if (r->s->pcap != NULL && !r->ctl.input_done && capture_ended(r))
			__atomic_store_n(&r->ctl.input_done, 1, __ATOMIC_RELEASE);
		if (interval != 0 && wall_us() >= next_stats) {
			write_stats(r, start_us);
			next_stats += interval;
		}
		/* this thread is the workers' memory manager: it backs their
		 * spare flow slots and pool chunks, so that they do not fault
		 * them in */
		for (unsigned i = 0; i < r->nworkers; i++)
			pipeline_back_spare(r->workers[i]->pl);
		/* and the pages of the capture files they replay */
		capture_map_back_ahead();
		if (wd_period != 0 && rte_get_timer_cycles() >= next_wd) {
			if (workers_beating(r, seen))
				svc_watchdog();
			next_wd = rte_get_timer_cycles() + wd_period * rte_get_timer_hz() / 1000000u;
		}
		usleep(MAIN_POLL_US);
	}
	rte_eal_mp_wait_lcore();
	r->main_cpu_ns = thread_cpu_ns() - cpu0;
}

/* On stdout; a daemon's stdout goes nowhere: then to the log. */
static void print_summary(struct run *r)
{
	FILE *out = r->s->daemon ? log_stream_open(LOG_NOTICE, "summary") : stdout;
	struct stats_snapshot snap;
	uint64_t first = UINT64_MAX, last = 0;
	double secs;

	if (out == NULL)
		return;

	snapshot(r, &snap);
	for (unsigned i = 0; i < r->nworkers; i++) {
		if (r->workers[i]->first_tsc != 0 && r->workers[i]->first_tsc < first)
			first = r->workers[i]->first_tsc;
		if (r->workers[i]->last_tsc > last)
			last = r->workers[i]->last_tsc;
	}
	secs = first == UINT64_MAX || last < first ? 0.0 :
	       (double)(last - first) / (double)rte_get_tsc_hz();

	/* the generation in force joins the retired ones' counts */
	if (sig_tally_add_gen(&r->tally, r->e->rs, r->ctl.gen) != 0)
		log_msg(LOG_WARN, "summary", "out of memory: alerts by signature incomplete");
	fprintf(out, "idsd: %s\n", r->s->pcap ? r->s->pcap : "live ports");
	stats_print_summary(out, &snap, r->workers, r->nworkers, &r->tally);
	/* what the workers' CPU figures leave out: flow slots backed ahead,
	 * stats, signals (Suricata's flow manager and recycler do the like) */
	fprintf(out, "  main cpu while the workers ran: %.3f s\n", (double)r->main_cpu_ns / 1e9);
	if (r->eve != NULL)
		fprintf(out, "  eve: %s\n", r->eve_path);
	fprintf(out, "processed: %llu packets, %llu bytes in %.3f s\n",
		(unsigned long long)stats_get(&snap, "decoder.pkts"),
		(unsigned long long)stats_get(&snap, "decoder.bytes"), secs);
	if (out == stdout)
		fflush(stdout);
	else
		fclose(out);
}

static int eal_init(const struct run *r, const struct idsd_args *a)
{
	struct eal_args ea;
	char err[256];
	char **argv_copy;
	unsigned nl = topology_lcores(r);
	int ret;

	ret = eal_args_build(&ea, r->s, nl, a->eal_argc, a->eal_argv, a->verbose, err,
			     sizeof(err));
	if (ret != 0) {
		log_msg(LOG_ERR, "eal", "%s", err);
		return ret;
	}
	/* rte_eal_init permutes argv; hand it a copy of the pointers we free. */
	argv_copy = calloc((size_t)ea.argc + 1, sizeof(char *));
	if (argv_copy == NULL) {
		eal_args_free(&ea);
		return -ENOMEM;
	}
	memcpy(argv_copy, ea.argv, (size_t)ea.argc * sizeof(char *));
	if (a->verbose) {
		char line[1024] = "";
		size_t n = 0;

		for (int i = 1; i < ea.argc && n < sizeof(line); i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s", ea.argv[i]);
		log_msg(LOG_INFO, "eal", "arguments:%s", line);
	}
	/* Live, as root: EAL's threads are created in there and start with
	 * nothing; the main thread goes in with what EAL needs. */
	if (r->s->pcap == NULL && (getuid() == 0 || geteuid() == 0) &&
	    privs_limit(!eal_args_given(&ea, "--no-huge") || !eal_args_given(&ea, "--no-pci"),
			r->s->user != NULL || r->s->group != NULL) != 0) {
		log_msg(LOG_ERR, "privileges", "cannot limit the capabilities for EAL");
		free(argv_copy);
		eal_args_free(&ea);
		return -EPERM;
	}
	ret = rte_eal_init(ea.argc, argv_copy);
	free(argv_copy);
	eal_args_free(&ea);
	if (ret < 0) {
		log_msg(LOG_ERR, "eal", "rte_eal_init failed: %s", rte_strerror(rte_errno));
		return -EINVAL;
	}
	if (rte_lcore_count() < nl + 1) {
		log_msg(LOG_ERR, "eal", "%u workers need %u lcores, EAL has %u", nl, nl + 1,
			rte_lcore_count());
		rte_eal_cleanup();
		return -ENODEV;
	}
	return 0;
}

/* telemetry_src callbacks */
static unsigned tel_stats(void *arg, const char **names, uint64_t *values, unsigned max)
{
	struct stats_snapshot snap;
	unsigned n;

	snapshot(arg, &snap);
	n = snap.n < max ? snap.n : max;
	memcpy(names, snap.names, n * sizeof(*names));
	memcpy(values, snap.values, n * sizeof(*values));
	return n;
}

static void tel_rules(void *arg, uint64_t *loaded, uint64_t *failed, uint64_t *reloads,
		      uint64_t *bad, char *last, size_t lastlen)
{
	struct run *r = arg;

	pthread_mutex_lock(&r->lock);
	*loaded = r->e->rs ? r->e->rs->n : 0;
	*failed = r->e->rs ? r->e->rs->nfailed : 0;
	*reloads = r->reloads;
	*bad = r->reload_failures;
	snprintf(last, lastlen, "%s", r->last_reload[0] ? r->last_reload : "none");
	pthread_mutex_unlock(&r->lock);
}

static unsigned tel_failed(void *arg, unsigned from, char (*lines)[TELEMETRY_LINE_LEN],
			   unsigned max, uint64_t *total)
{
	struct run *r = arg;
	const struct ruleset *rs;
	unsigned n = 0;

	pthread_mutex_lock(&r->lock);
	rs = r->e->rs;
	*total = rs ? rs->nfailed : 0;
	for (uint32_t i = from; rs != NULL && i < rs->nfailures && n < max; i++, n++) {
		const struct ruleset_failure *f = &rs->failures[i];
		const char *base = strrchr(f->file, '/');

		snprintf(lines[n], TELEMETRY_LINE_LEN, "%s:%u: %s", base ? base + 1 : f->file,
			 f->line, f->reason);
	}
	pthread_mutex_unlock(&r->lock);
	return n;
}

static unsigned tel_list(void *arg, unsigned from, uint32_t sid, const char *file,
			 char (*lines)[TELEMETRY_LINE_LEN], uint32_t *idx, unsigned max,
			 uint64_t *next, uint64_t *total)
{
	struct run *r = arg;
	const struct ruleset *rs;
	unsigned n = 0;
	uint32_t i = from;

	pthread_mutex_lock(&r->lock);
	rs = r->e->rs;
	*total = rs ? rs->n : 0;
	for (; rs != NULL && i < rs->n && n < max; i++) {
		const struct rule *ru = rs->rules[i];
		const char *base = ru->file ? strrchr(ru->file, '/') : NULL;

		base = base ? base + 1 : ru->file ? ru->file : "-";
		if ((sid && ru->sid != sid) || (file && strcmp(file, base) != 0))
			continue;
		snprintf(lines[n], TELEMETRY_LINE_LEN, "%s:%u %u:%u:%u %s", base, ru->line, ru->gid,
			 ru->sid, ru->rev, ru->msg ? ru->msg : "");
		idx[n++] = i;
	}
	*next = i < *total ? i : *total;
	pthread_mutex_unlock(&r->lock);
	return n;
}

static int tel_reload(void *arg, char *msg, size_t len)
{
	return reload_rules(arg, msg, len);
}

static int tel_profile(void *arg, const char *sort, unsigned max,
		       char (*lines)[TELEMETRY_LINE_LEN], uint64_t *checked)
{
	struct run *r = arg;
	enum rule_perf_sort key;
	struct rule_perf *v;
	uint32_t n;

	if (detect_profile_sort_parse(sort, &key) != 0)
		return -EINVAL;
	if (!r->s->prof_rules)
		return -ENOTSUP;
	pthread_mutex_lock(&r->lock);
	v = rule_perf_collect(r->ctl.gen, key, &n);
	pthread_mutex_unlock(&r->lock);
	*checked = n;
	if (n < max)
		max = n;
	for (unsigned i = 0; i < max; i++)
		snprintf(lines[i], TELEMETRY_LINE_LEN, "%u:%u:%u %llu %llu %llu %llu %llu",
			 v[i].gid, v[i].sid, v[i].rev, (unsigned long long)v[i].checks,
			 (unsigned long long)v[i].matches, (unsigned long long)v[i].ticks,
			 (unsigned long long)v[i].ticks_match,
			 (unsigned long long)v[i].ticks_max);
	free(v);
	return (int)max;
}

void run_rule_perf_log(const struct run *r, const struct detect_gen *g)
{
	char path[PATH_MAX];
	int ret;

	if (!r->s->prof_rules)
		return;
	run_output_path(r->s, r->s->prof_file, path, sizeof(path));
	ret = rule_perf_log(r->s, g, path);
	if (ret != 0)
		log_msg(LOG_WARN, "profiling", "%s: %s", path, strerror(-ret));
}

/* After initialisation every thread keeps only what it needs: the main
 * thread CAP_NET_ADMIN and CAP_NET_RAW (the ports' stop at exit), the others
 * nothing (they started so: privs_limit before rte_eal_init).
 * With run-as, the ids change first: glibc applies a set*id call to every
 * thread of the process (DPDK's included) and aborts the process if one of
 * them no longer may, so they kept CAP_SETUID/CAP_SETGID until now; leaving
 * uid 0 empties the capabilities of every thread but the one that asked to
 * keep them (capng_change_id: the main thread). */
static int drop_privileges(struct run *r)
{
	char err[256];
	int uid, gid;

	if (getuid() != 0 && geteuid() != 0)
		return 0;
	if (privs_resolve(r->s, &uid, &gid, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "privileges", "%s", err);
		return -EINVAL;
	}
	if (privs_drop(uid, gid) != 0) {
		log_msg(LOG_ERR, "privileges", "cannot drop capabilities%s%s",
			r->s->user ? " or switch to user " : "", r->s->user ? r->s->user : "");
		return -EPERM;
	}
	return 0;
}

static void launch(struct run *r)
{
	for (unsigned i = 0; i < r->nworkers; i++)
		rte_eal_remote_launch(worker_main, r->workers[i], r->workers[i]->lcore_id);
	for (unsigned i = 0; i < r->nreceivers; i++)
		rte_eal_remote_launch(receiver_main, r->receivers[i], r->receivers[i]->lcore_id);
}

/* Workers have stopped: point their pipelines at the generation in force
 * (a reload may have come after a worker's last loop) for the summary. */
static void settle_generation(struct run *r)
{
	const struct detect_gen *g = r->ctl.gen;

	for (unsigned i = 0; i < r->nworkers; i++) {
		pipeline_set_detect(r->workers[i]->pl, g->slot[i].dt);
		r->workers[i]->pl->alerts_by_rule = g->slot[i].alerts_by_rule;
		r->workers[i]->pl->nrules = g->nrules;
	}
}

static int prepare_capture(struct run *r)
{
	struct capture_info ci;
	char err[512];

	if (capture_file_scan(r->s->pcap, &ci, err, sizeof(err)) != 0) {
		log_line(LOG_ERR, "capture", "%s", err);
		return -EINVAL;
	}
	if (ci.stopped[0] != '\0')
		log_msg(LOG_WARN, "capture", "%s: libpcap stops after %llu packets: %s",
			r->s->pcap, (unsigned long long)ci.packets, ci.stopped);
	r->capture_pkts = ci.packets;
	r->capture_link = ci.link;
	r->ctl.input_end_us = ci.last_us;
	return 0;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
}

int run_dataplane(const struct settings *s, struct engine *e, const struct idsd_args *a)
{
	struct telemetry_src tsrc;
	struct run *r;
	uint64_t start_us;
	int status = 1;
	bool ports_up = false, pidfile = false;
	char err[256];

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return 1;
	r->s = s;
	r->a = a;
	r->e = e;
	pthread_mutex_init(&r->lock, NULL);
	pthread_mutex_init(&r->reload_lock, NULL);
	if (s->pcap != NULL && prepare_capture(r) != 0)
		goto out_free;
	plan_ports(r);
	if (s->daemon) {
		if (daemon_detach() != 0) {
			log_msg(LOG_ERR, "daemon", "cannot detach: %s", strerror(errno));
			goto out_free;
		}
		/* stdio is /dev/null now: the file or syslog output carries on,
		 * DPDK's own messages included */
		log_console_off();
		r->dpdk_log = log_stream_open(LOG_NOTICE, "dpdk");
		if (r->dpdk_log != NULL)
			rte_openlog_stream(r->dpdk_log);
	}
	if (s->pidfile != NULL) {
		if (pidfile_write(s->pidfile, err, sizeof(err)) != 0) {
			log_msg(LOG_ERR, "daemon", "%s", err);
			goto out_free;
		}
		pidfile = true;
	}
	install_signals();
	if (eal_init(r, a) != 0)
		goto out_free;

	if (topology_start_ports(r) != 0)
		goto out;
	ports_up = true;
	r->expect = app_expect_create(0);
	if (r->expect == NULL || open_output(r) != 0 || open_stats_log(r) != 0 ||
	    topology_create(r) != 0)
		goto out;
	if (s->pcap == NULL && drop_privileges(r) != 0)
		goto out;

	tsrc = (struct telemetry_src){
		.arg = r, .stats = tel_stats, .rules = tel_rules, .failed = tel_failed,
		.list = tel_list, .reload = tel_reload, .profile = tel_profile,
		.workers = r->workers, .nworkers = r->nworkers,
		.receivers = r->receivers, .nreceivers = r->nreceivers,
		.ports = r->ports, .nports = r->nports, .ctl = &r->ctl,
	};
	if (telemetry_register(&tsrc) != 0)
		log_msg(LOG_WARN, "telemetry", "cannot register the /ids commands");

	start_us = wall_us();
	launch(r);
	snprintf(err, sizeof(err), "%u worker(s) on %u port(s)", r->nworkers, r->nports);
	svc_ready(err);
	wait_loop(r, start_us);
	capture_report_cut(r);
	telemetry_unregister();
	settle_generation(r);
	run_rule_perf_log(r, r->ctl.gen);

	print_summary(r);
	write_stats(r, start_us);
	status = 0;
out:
	topology_destroy(r);
	app_expect_destroy(r->expect);
	if (r->stats_eve != NULL)
		eve_writer_destroy(r->stats_eve);
	if (r->eve != NULL)
		eve_file_close(r->eve);
	if (r->stats_log != NULL)
		fclose(r->stats_log);
	free(r->stats_prev);
	sig_tally_free(&r->tally);
	if (ports_up)
		ports_stop(r->ports, r->nports);
	rte_eal_cleanup();
out_free:
	if (r->dpdk_log != NULL) {
		rte_openlog_stream(NULL);
		fclose(r->dpdk_log);
	}
	if (pidfile)
		pidfile_remove(s->pidfile);
	pthread_mutex_destroy(&r->lock);
	pthread_mutex_destroy(&r->reload_lock);
	/* main closes the log: what the last reload configured is let go here */
	log_live_free(&r->log);
	free(r);
	return status;
}
