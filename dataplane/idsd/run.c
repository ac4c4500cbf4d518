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
#include <rte_malloc.h>

#include "../../common/log.h"
#include "../../rules/rule-t.h"
#include "../port/capture_file.h"
#include "../worker/worker.h"
#include "eal_args.h"
#include "stats.h"

#define MAX_WORKERS RTE_MAX_LCORE
#define MAIN_POLL_US 1000

/* Set by the signal handler, read by the main lcore's loop. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct run {
	const struct settings *s;
	const struct engine *e;
	struct port ports[SETTINGS_MAX_PORTS];
	unsigned nports;
	struct worker *workers[MAX_WORKERS];
	unsigned nworkers;
	struct worker_control ctl;
	struct eve_file *eve;
	struct eve_writer *stats_eve;    /* the main lcore's own writer, for stats records */
	uint64_t capture_pkts;           /* -r: frames in the file */
	char eve_path[PATH_MAX];
};

static uint64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int open_output(struct run *r)
{
	const struct settings *s = r->s;
	char err[256];

	if (!s->eve_enabled)
		return 0;
	if (mkdir(s->log_dir, 0755) != 0 && errno != EEXIST) {
		log_msg(LOG_ERR, "output", "%s: cannot create the log directory: %s", s->log_dir,
			strerror(errno));
		return -errno;
	}
	snprintf(r->eve_path, sizeof(r->eve_path), "%s/%s", s->log_dir, s->eve_filename);
	r->eve = eve_file_open(r->eve_path, err, sizeof(err));
	if (r->eve == NULL) {
		log_msg(LOG_ERR, "output", "%s", err);
		return -EIO;
	}
	r->stats_eve = eve_writer_create(r->eve, &s->eve_opt, "", SOCKET_ID_ANY);
	return r->stats_eve == NULL ? -ENOMEM : 0;
}

/* The ports to open: the capture file's vdev, or the configured ones. */
static void plan_ports(struct run *r)
{
	const struct settings *s = r->s;

	if (s->pcap != NULL) {
		r->nports = 1;
		memset(&r->ports[0], 0, sizeof(r->ports[0]));
		snprintf(r->ports[0].set.name, sizeof(r->ports[0].set.name), "net_pcap0");
		r->ports[0].set.threads = 1;
		return;
	}
	r->nports = s->nports;
	for (unsigned i = 0; i < s->nports; i++) {
		memset(&r->ports[i], 0, sizeof(r->ports[i]));
		r->ports[i].set = s->ports[i];
	}
}

static unsigned planned_workers(const struct run *r)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->nports; i++)
		n += r->ports[i].set.threads ? r->ports[i].set.threads : 1;
	return n;
}

static int start_ports(struct run *r)
{
	uint16_t nb_txq[SETTINGS_MAX_PORTS] = { 0 };

	/* A port needs one TX queue per worker that forwards into it. */
	for (unsigned i = 0; i < r->nports; i++) {
		struct port *pt = &r->ports[i];
		int peer;

		if (pt->set.copy_mode == COPY_NONE)
			continue;
		peer = ports_find(r->ports, r->nports, pt->set.copy_iface);
		if (peer < 0) {
			log_msg(LOG_ERR, "port", "%s: copy-iface '%s' is not a configured interface",
				pt->set.name, pt->set.copy_iface);
			return -EINVAL;
		}
		pt->peer = (uint16_t)peer;
		nb_txq[peer] += pt->set.threads ? pt->set.threads : 1;
	}
	return ports_start(r->ports, r->nports, nb_txq);
}

static int create_workers(struct run *r)
{
	const struct settings *s = r->s;
	uint16_t txq_next[SETTINGS_MAX_PORTS] = { 0 };
	unsigned lcore = rte_get_next_lcore(-1, 1, 0);

	for (unsigned i = 0; i < r->nports; i++) {
		struct port *pt = &r->ports[i];

		for (uint16_t q = 0; q < pt->nb_rxq; q++) {
			struct pipeline_config pc = {
				.decode = { .csum_check = s->csum_check },
				.flow = s->flow,
				.de = r->e->de,
				.nrules = r->e->rs ? r->e->rs->n : 0,
				.ips = s->ips,
				.eve = r->eve,
				.eve_opt = s->eve_opt,
				.iface = pt->set.name,
				.socket = pt->socket,
			};
			struct worker *w;
			int ret;

			if (lcore >= RTE_MAX_LCORE) {
				log_msg(LOG_ERR, "worker", "not enough lcores for %u workers",
					planned_workers(r));
				return -ENODEV;
			}
			w = rte_zmalloc_socket("worker", sizeof(*w), RTE_CACHE_LINE_SIZE, pt->socket);
			if (w == NULL)
				return -ENOMEM;
			r->workers[r->nworkers] = w;
			w->id = (uint16_t)r->nworkers++;
			w->lcore_id = lcore;
			w->socket = pt->socket;
			w->ctl = &r->ctl;
			w->nrxq = 1;
			w->rxq[0] = (struct worker_rxq){ .port = pt, .queue = q,
							 .mode = pt->set.copy_mode };
			if (pt->set.copy_mode != COPY_NONE) {
				w->rxq[0].tx_port_id = r->ports[pt->peer].port_id;
				w->rxq[0].tx_queue = txq_next[pt->peer]++;
			}
			if ((int)rte_lcore_to_socket_id(lcore) != pt->socket && pt->socket >= 0)
				log_msg(LOG_WARN, "worker", "worker %u on lcore %u sits on socket %u, "
					"its port %s on socket %d", w->id, lcore,
					rte_lcore_to_socket_id(lcore), pt->set.name, pt->socket);
			w->pl = pipeline_create(&pc, w->id);
			if (w->pl == NULL)
				return -ENOMEM;
			ret = worker_init(w);
			if (ret != 0)
				return ret;
			lcore = rte_get_next_lcore(lcore, 1, 0);
		}
	}
	return 0;
}

static void destroy_workers(struct run *r)
{
	for (unsigned i = 0; i < r->nworkers; i++) {
		worker_fini(r->workers[i]);
		pipeline_destroy(r->workers[i]->pl);
		rte_free(r->workers[i]);
	}
	r->nworkers = 0;
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

static void write_stats(struct run *r, uint64_t start_us)
{
	struct stats_snapshot snap;
	uint64_t now = wall_us();

	if (r->stats_eve == NULL)
		return;
	stats_collect(&snap, r->workers, r->nworkers, r->ports, r->nports);
	eve_write_stats(r->stats_eve, now, (now - start_us) / 1000000u, snap.names, snap.values,
			snap.n);
	eve_writer_flush(r->stats_eve);
}

static void wait_loop(struct run *r, uint64_t start_us)
{
	const uint64_t interval = (uint64_t)r->s->stats_interval * 1000000u;
	uint64_t next_stats = start_us + interval;

	for (;;) {
		bool running = false;
		unsigned lcore;

		RTE_LCORE_FOREACH_WORKER(lcore)
			if (rte_eal_get_lcore_state(lcore) == RUNNING)
				running = true;
		if (!running)
			break;
		if (stop_signal)
			__atomic_store_n(&r->ctl.quit, 1, __ATOMIC_RELAXED);
		if (r->s->pcap != NULL && !r->ctl.input_done && capture_consumed(r))
			__atomic_store_n(&r->ctl.input_done, 1, __ATOMIC_RELEASE);
		if (interval != 0 && wall_us() >= next_stats) {
			write_stats(r, start_us);
			next_stats += interval;
		}
		usleep(MAIN_POLL_US);
	}
	rte_eal_mp_wait_lcore();
}

static void print_summary(struct run *r)
{
	struct stats_snapshot snap;
	uint64_t first = UINT64_MAX, last = 0;
	double secs;

	stats_collect(&snap, r->workers, r->nworkers, r->ports, r->nports);
	for (unsigned i = 0; i < r->nworkers; i++) {
		if (r->workers[i]->first_tsc != 0 && r->workers[i]->first_tsc < first)
			first = r->workers[i]->first_tsc;
		if (r->workers[i]->last_tsc > last)
			last = r->workers[i]->last_tsc;
	}
	secs = first == UINT64_MAX || last < first ? 0.0 :
	       (double)(last - first) / (double)rte_get_tsc_hz();

	printf("idsd: %s\n", r->s->pcap ? r->s->pcap : "live ports");
	stats_print_summary(stdout, &snap, r->workers, r->nworkers, r->e->rs);
	if (r->eve != NULL)
		printf("  eve: %s\n", r->eve_path);
	printf("processed: %llu packets, %llu bytes in %.3f s\n",
	       (unsigned long long)stats_get(&snap, "decoder.pkts"),
	       (unsigned long long)stats_get(&snap, "decoder.bytes"), secs);
	fflush(stdout);
}

static int eal_init(const struct run *r, const struct idsd_args *a)
{
	struct eal_args ea;
	char err[256];
	char **argv_copy;
	int ret;

	ret = eal_args_build(&ea, r->s, planned_workers(r), a->eal_argc, a->eal_argv, a->verbose,
			     err, sizeof(err));
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
		fprintf(stderr, "info: eal: arguments:");
		for (int i = 1; i < ea.argc; i++)
			fprintf(stderr, " %s", ea.argv[i]);
		fputc('\n', stderr);
	}
	ret = rte_eal_init(ea.argc, argv_copy);
	free(argv_copy);
	eal_args_free(&ea);
	if (ret < 0) {
		log_msg(LOG_ERR, "eal", "rte_eal_init failed: %s", rte_strerror(rte_errno));
		return -EINVAL;
	}
	if (rte_lcore_count() < planned_workers(r) + 1) {
		log_msg(LOG_ERR, "eal", "%u workers need %u lcores, EAL has %u", planned_workers(r),
			planned_workers(r) + 1, rte_lcore_count());
		rte_eal_cleanup();
		return -ENODEV;
	}
	return 0;
}

int run_dataplane(const struct settings *s, const struct engine *e, const struct idsd_args *a)
{
	struct run *r;
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t start_us;
	int status = 1;
	bool ports_up = false;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return 1;
	r->s = s;
	r->e = e;
	if (s->pcap != NULL) {
		struct capture_info ci;
		char err[512];

		if (capture_file_scan(s->pcap, &ci, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			free(r);
			return 1;
		}
		if (ci.stopped[0] != '\0')
			log_msg(LOG_WARN, "capture", "%s: libpcap stops after %llu packets: %s",
				s->pcap, (unsigned long long)ci.packets, ci.stopped);
		r->capture_pkts = ci.packets;
	}
	plan_ports(r);
	if (eal_init(r, a) != 0) {
		free(r);
		return 1;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (start_ports(r) != 0)
		goto out;
	ports_up = true;
	if (open_output(r) != 0 || create_workers(r) != 0)
		goto out;

	start_us = wall_us();
	for (unsigned i = 0; i < r->nworkers; i++)
		rte_eal_remote_launch(worker_main, r->workers[i], r->workers[i]->lcore_id);
	wait_loop(r, start_us);

	print_summary(r);
	write_stats(r, start_us);
	status = 0;
out:
	destroy_workers(r);
	if (r->stats_eve != NULL)
		eve_writer_destroy(r->stats_eve);
	if (r->eve != NULL)
		eve_file_close(r->eve);
	if (ports_up)
		ports_stop(r->ports, r->nports);
	rte_eal_cleanup();
	free(r);
	return status;
}
