/* SPDX-License-Identifier: MIT */
#include "bench_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hs/hs.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#define BURST 32
#define PREFETCH_AHEAD 4
#define RX_DESC 1024
#define POOL_CACHE 256
#define PROGRESS_US 500000u
#define EXTRA_MBUFS (RX_DESC + 2 * POOL_CACHE + 4 * BURST)

enum phase { PH_WARMUP = 0, PH_MEASURE, PH_STOP };

/* One per worker lcore, written only by it (the main lcore reads the
 * published counts for the progress line). */
struct bench_worker {
	enum bench_mode mode;
	uint16_t port;
	struct pipeline *pl;
	hs_scratch_t *scratch;
	const hs_database_t *db;
	const struct bench_payloads *pay;
	const int *phase;
	uint64_t limit;
	/* published */
	uint64_t pkts, bytes;
	uint64_t tsc_start, tsc_end;
	int done;
} __rte_cache_aligned;

static struct bench_worker workers[RTE_MAX_LCORE];
static unsigned nports;

const char *bench_mode_name(enum bench_mode m)
{
	static const char *const names[BENCH_MODE_MAX] = {
		"receive", "decode+flow", "full", "hs-ceiling",
	};

	return names[m];
}

/* Data room for frames up to max_len: small frames make small mbufs, so a
 * million-flow capture fits in memory. */
static uint16_t data_room(uint32_t max_len)
{
	uint32_t room = RTE_PKTMBUF_HEADROOM + ((max_len + 63) & ~63u);

	return (uint16_t)(room > RTE_MBUF_DEFAULT_BUF_SIZE ? RTE_MBUF_DEFAULT_BUF_SIZE : room);
}

unsigned bench_eal_mem_mb(const struct bench_opts *o, uint32_t npkts, uint32_t max_len)
{
	/* mbuf header, data room and the mempool's per-object header */
	uint64_t per = sizeof(struct rte_mbuf) + data_room(max_len) + 64;
	uint64_t pools = (uint64_t)(npkts + EXTRA_MBUFS) * per * o->workers;

	return (unsigned)(pools * 5 / 4 / (1024 * 1024)) + 256;
}

int bench_eal_setup(const struct bench_opts *o, const char *pcap, uint32_t npkts,
		    uint32_t max_len, unsigned mem_mb, char *err, size_t errlen)
{
	char *argv[16 + RTE_MAX_LCORE], mem[32], prefix[64], lcores[256], vdev[RTE_MAX_LCORE][512];
	struct rte_eth_conf conf = { 0 };
	int argc = 0, ret, off = 0, cpus[2] = { 0, 0 }, ncpu = 0;
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (int c = 0; c < CPU_SETSIZE && ncpu < 2; c++)
			if (CPU_ISSET(c, &set))
				cpus[ncpu++] = c;
	/* the main lcore only sleeps: it shares the first CPU; workers take the
	 * others (or share when there are fewer CPUs than workers) */
	off = snprintf(lcores, sizeof(lcores), "--lcores=0@%d", cpus[0]);
	for (unsigned w = 1; w <= o->workers && off < (int)sizeof(lcores); w++) {
		long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
		unsigned spread = (unsigned)(ncpus > 1 ? ncpus - 1 : 1);
		int cpu = ncpu > 1 ? (int)(cpus[1] + (w - 1) % spread) : cpus[0];

		off += snprintf(lcores + off, sizeof(lcores) - (size_t)off, ",%u@%d", w, cpu);
	}
	snprintf(mem, sizeof(mem), "-m%u", mem_mb);
	snprintf(prefix, sizeof(prefix), "--file-prefix=ids-bench-%d", (int)getpid());
	argv[argc++] = (char *)"ids-bench";
	argv[argc++] = (char *)"--no-huge";
	argv[argc++] = (char *)"--no-pci";
	argv[argc++] = (char *)"--no-shconf";
	argv[argc++] = (char *)"--no-telemetry";
	argv[argc++] = (char *)"--log-level=4";
	argv[argc++] = mem;
	argv[argc++] = prefix;
	argv[argc++] = lcores;
	for (unsigned w = 0; w < o->workers; w++) {
		snprintf(vdev[w], sizeof(vdev[w]), "--vdev=net_pcap%u,rx_pcap=%s,infinite_rx=1", w,
			 pcap);
		argv[argc++] = vdev[w];
	}
	argv[argc] = NULL;
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		snprintf(err, errlen, "EAL: %s", rte_strerror(rte_errno));
		return -rte_errno;
	}
	nports = rte_eth_dev_count_avail();
	if (nports < o->workers) {
		snprintf(err, errlen, "EAL: %u net_pcap ports for %u workers", nports, o->workers);
		return -ENODEV;
	}
	for (uint16_t p = 0; p < o->workers; p++) {
		char name[RTE_MEMPOOL_NAMESIZE];
		struct rte_mempool *mp;

		snprintf(name, sizeof(name), "bench%u", p);
		/* infinite_rx keeps a copy of every frame in mbufs, and copies each
		 * into a fresh mbuf per receive, as a NIC's DMA fills one */
		mp = rte_pktmbuf_pool_create(name, npkts + EXTRA_MBUFS, POOL_CACHE, 0,
					     data_room(max_len), (int)rte_socket_id());
		if (mp == NULL) {
			snprintf(err, errlen, "mempool of %u mbufs: %s (raise --mem)",
				 npkts + EXTRA_MBUFS, rte_strerror(rte_errno));
			return -ENOMEM;
		}
		ret = rte_eth_dev_configure(p, 1, 1, &conf);
		if (ret == 0)
			ret = rte_eth_rx_queue_setup(p, 0, RX_DESC, rte_socket_id(), NULL, mp);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(p, 0, RX_DESC, rte_socket_id(), NULL);
		if (ret == 0)
			ret = rte_eth_dev_start(p);
		if (ret != 0) {
			snprintf(err, errlen, "port %u: %s", p, rte_strerror(-ret));
			return ret;
		}
	}
	return 0;
}

void bench_eal_teardown(void)
{
	for (uint16_t p = 0; p < nports; p++) {
		rte_eth_dev_stop(p);
		rte_eth_dev_close(p);
	}
	rte_eal_cleanup();
}

static inline void publish(struct bench_worker *w, uint64_t pkts, uint64_t bytes)
{
	__atomic_store_n(&w->pkts, pkts, __ATOMIC_RELAXED);
	__atomic_store_n(&w->bytes, bytes, __ATOMIC_RELAXED);
}

/* One burst through the pipeline, as dataplane/worker feeds it. */
static void pipeline_burst(struct bench_worker *w, struct rte_mbuf **m, uint16_t n,
			   uint64_t now_us, uint64_t *seq)
{
	for (uint16_t i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(m[i], void *));
	for (uint16_t i = 0; i < n; i++) {
		struct packet p;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(m[i + PREFETCH_AHEAD], void *));
		p.data = rte_pktmbuf_mtod(m[i], const uint8_t *);
		p.len = m[i]->data_len;
		p.wire_len = m[i]->pkt_len;
		p.ts_us = now_us;
		p.pcap_cnt = ++*seq;
		p.port_id = w->port;
		pipeline_packet(w->pl, &p);
	}
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(*(uint64_t *)ctx)++;
	return 0;
}

static int worker_main(void *arg)
{
	struct bench_worker *w = arg;
	struct rte_mbuf *m[BURST];
	uint64_t pkts = 0, bytes = 0, seq = 0, matches = 0, hz_us = rte_get_tsc_hz() / 1000000u;
	uint64_t t0 = rte_rdtsc(), base_us = 1700000000000000ull;
	uint32_t next = 0;
	int ph = PH_WARMUP;

	for (;;) {
		int now = __atomic_load_n(w->phase, __ATOMIC_ACQUIRE);

		if (now != ph) {
			if (now == PH_MEASURE) {
				pkts = bytes = 0;
				w->tsc_start = rte_rdtsc();
			}
			ph = now;
		}
		if (ph == PH_STOP || (ph == PH_MEASURE && w->limit && pkts >= w->limit))
			break;
		if (w->mode == BENCH_HS) {
			const struct bench_payloads *pay = w->pay;

			for (unsigned k = 0; k < BURST; k++) {
				if (pay->len[next] > 0 &&
				    hs_scan(w->db, (const char *)pay->data[next], pay->len[next], 0,
					    w->scratch, on_match, &matches) != HS_SUCCESS) {
					__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
					return -EINVAL;
				}
				bytes += pay->wire_len[next];
				next = next + 1 == pay->n ? 0 : next + 1;
			}
			pkts += BURST;
		} else {
			uint16_t n = rte_eth_rx_burst(w->port, 0, m, BURST);

			if (n == 0)
				continue;
			if (w->mode != BENCH_RX)
				pipeline_burst(w, m, n, base_us + (rte_rdtsc() - t0) / hz_us, &seq);
			for (uint16_t i = 0; i < n; i++)
				bytes += m[i]->pkt_len;
			pkts += n;
			rte_pktmbuf_free_bulk(m, n);
		}
		publish(w, pkts, bytes);
	}
	w->tsc_end = rte_rdtsc();
	publish(w, pkts, bytes);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return 0;
}

static void progress(enum bench_mode mode, const struct bench_opts *o, double t, double total,
		     uint64_t pkts, uint64_t bytes, double dt, bool last)
{
	fprintf(stderr, "\r%-12s %5.1f/%-5.1f s %10.0f pps/core %8.3f Gbit/s/core%s",
		bench_mode_name(mode), t, total, dt > 0 ? (double)pkts / dt / o->workers : 0,
		dt > 0 ? (double)bytes * 8 / dt / o->workers / 1e9 : 0, last ? "\n" : "");
	fflush(stderr);
}

static void wait_measure(enum bench_mode mode, const struct bench_opts *o, int *phase)
{
	uint64_t hz = rte_get_tsc_hz(), t0 = rte_rdtsc();
	unsigned lc;

	for (;;) {
		double t = (double)(rte_rdtsc() - t0) / (double)hz;
		uint64_t pkts = 0, bytes = 0;
		bool all_done = true;

		RTE_LCORE_FOREACH_WORKER(lc) {
			if (lc > o->workers)
				continue;
			pkts += __atomic_load_n(&workers[lc].pkts, __ATOMIC_RELAXED);
			bytes += __atomic_load_n(&workers[lc].bytes, __ATOMIC_RELAXED);
			all_done &= __atomic_load_n(&workers[lc].done, __ATOMIC_ACQUIRE) != 0;
		}
		if (o->packets ? all_done : t >= o->seconds) {
			if (o->progress)
				progress(mode, o, t, o->seconds, pkts, bytes, t, true);
			break;
		}
		if (o->progress && isatty(2))
			progress(mode, o, t, o->packets ? 0 : o->seconds, pkts, bytes, t, false);
		usleep(PROGRESS_US);
	}
	__atomic_store_n(phase, PH_STOP, __ATOMIC_RELEASE);
	/* a slow burst may take a while to end: sleep rather than spin in
	 * rte_eal_wait_lcore on a CPU a worker may share */
	RTE_LCORE_FOREACH_WORKER(lc) {
		while (lc <= o->workers && !__atomic_load_n(&workers[lc].done, __ATOMIC_ACQUIRE))
			usleep(1000);
	}
}

static void worker_release(struct bench_worker *w)
{
	if (w->pl != NULL) {
		pipeline_finish(w->pl, 0);
		pipeline_destroy(w->pl);
	}
	hs_free_scratch(w->scratch);
	w->pl = NULL;
	w->scratch = NULL;
}

int bench_run(enum bench_mode mode, const struct bench_opts *o,
	      const struct pipeline_config *pcfg, const struct bench_payloads *pay,
	      const void *hs_db, struct bench_figures *out, char *err, size_t errlen)
{
	static int phase;
	uint64_t hz = rte_get_tsc_hz();
	unsigned lc, w = 0;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	__atomic_store_n(&phase, PH_WARMUP, __ATOMIC_RELEASE);
	RTE_LCORE_FOREACH_WORKER(lc) {
		struct bench_worker *bw = &workers[lc];

		if (lc > o->workers)
			continue;
		memset(bw, 0, sizeof(*bw));
		*bw = (struct bench_worker){ .mode = mode, .port = (uint16_t)w++, .phase = &phase,
					     .limit = o->packets, .pay = pay, .db = hs_db };
		if ((mode == BENCH_DECODE || mode == BENCH_FULL) &&
		    (bw->pl = pipeline_create(pcfg, (uint16_t)lc)) == NULL) {
			snprintf(err, errlen, "cannot create the pipeline (flow memcap too big?)");
			ret = -ENOMEM;
		}
		if (mode == BENCH_HS && hs_alloc_scratch(hs_db, &bw->scratch) != HS_SUCCESS) {
			snprintf(err, errlen, "cannot allocate Hyperscan scratch");
			ret = -ENOMEM;
		}
	}
	if (ret != 0)
		goto out;
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (lc <= o->workers)
			rte_eal_remote_launch(worker_main, &workers[lc], lc);
	}
	usleep((useconds_t)(o->warmup * 1e6));
	__atomic_store_n(&phase, PH_MEASURE, __ATOMIC_RELEASE);
	wait_measure(mode, o, &phase);
	RTE_LCORE_FOREACH_WORKER(lc) {
		struct bench_worker *bw = &workers[lc];

		if (lc > o->workers)
			continue;
		if (rte_eal_wait_lcore(lc) != 0) {
			snprintf(err, errlen, "worker %u: Hyperscan scan failed", lc);
			ret = -EINVAL;
		}
		out->pkts += bw->pkts;
		out->bytes += bw->bytes;
		out->cycles += bw->tsc_end - bw->tsc_start;
		if (bw->pl != NULL) {
			const struct flow_stats *fs = flow_table_stats(bw->pl->ft);

			out->flows += fs->created;
			out->evicted += fs->get_used;
			if (bw->pl->dt != NULL)
				out->alerts += detect_thread_stats(bw->pl->dt)->alerts;
		}
	}
	out->seconds = (double)out->cycles / (double)hz / o->workers;
	if (out->seconds > 0) {
		out->pps = (double)out->pkts / out->seconds / o->workers;
		out->bps = (double)out->bytes * 8 / out->seconds / o->workers;
	}
	out->cycles_per_pkt = out->pkts ? (double)out->cycles / (double)out->pkts : 0;
out:
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (lc <= o->workers)
			worker_release(&workers[lc]);
	}
	return ret;
}
