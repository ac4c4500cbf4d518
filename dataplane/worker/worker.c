/* SPDX-License-Identifier: MIT */
#include "worker.h"

#include <errno.h>
#include <sys/resource.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "../../common/thread_cpu.h"
#include "../../rules/rule-t.h"
#include "../hoststate/seq_gate.h"
#include "reject.h"

#define PREFETCH_AHEAD 3
#define TX_DRAIN_US 100u           /* a quiet link never holds packets longer than this */
#define IDLE_HOUSEKEEP_US 100000u  /* flow expiry and output flush when idle */
#define IDLE_PARK_US 10000u        /* an idle autofp worker looks round this often */

static struct rte_eth_dev_tx_buffer *txb_create(struct worker *w)
{
	struct rte_eth_dev_tx_buffer *b;

	b = rte_zmalloc_socket("txb", RTE_ETH_TX_BUFFER_SIZE(WORKER_BURST), 0, w->socket);
	if (b == NULL)
		return NULL;
	rte_eth_tx_buffer_init(b, WORKER_BURST);
	rte_eth_tx_buffer_set_err_callback(b, rte_eth_tx_buffer_count_callback, &w->tx_fail);
	return b;
}

int worker_init(struct worker *w)
{
	w->linear = rte_malloc_socket("linear", WORKER_LINEAR_MAX, 64, w->socket);
	if (w->linear == NULL)
		return -ENOMEM;
	/* written here, so the worker does not pay the first touch (without
	 * hugepages, fresh memory; rte_zmalloc skips what it knows is zero) */
	memset(w->linear, 0, WORKER_LINEAR_MAX);
	for (uint16_t i = 0; i < w->nrxq; i++) {
		struct worker_rxq *q = &w->rxq[i];

		if (q->mode == COPY_NONE)
			continue;
		q->txb = txb_create(w);
		if (q->txb == NULL)
			return -ENOMEM;
	}
	return 0;
}

void worker_fini(struct worker *w)
{
	for (uint16_t i = 0; i < w->nrxq; i++) {
		rte_free(w->rxq[i].txb);
		w->rxq[i].txb = NULL;
	}
	rte_free(w->linear);
	w->linear = NULL;
}

static void detect_stats_add(struct detect_stats *to, const struct detect_stats *s)
{
	to->alerts += s->alerts;
	to->alerts_suppressed += s->alerts_suppressed;
	to->alert_queue_overflow += s->alert_queue_overflow;
	to->candidates += s->candidates;
	to->verified += s->verified;
	to->app_unchanged += s->app_unchanged;
	to->pcre_errors += s->pcre_errors;
	to->threshold_table_full += s->threshold_table_full;
	to->scan_errors += s->scan_errors;
	to->inspect_limit += s->inspect_limit;
	to->flowbits_overflow += s->flowbits_overflow;
	to->vars_refused += s->vars_refused;
	to->vars_table_full += s->vars_table_full;
	to->app_mark_nomem += s->app_mark_nomem;
	to->flow_dropped += s->flow_dropped;
	to->flow_passed += s->flow_passed;
	to->mpm_pkt_bytes += s->mpm_pkt_bytes;
	to->mpm_stream_bytes += s->mpm_stream_bytes;
	to->mpm_app_bytes += s->mpm_app_bytes;
	to->mpm_body_stream_bytes += s->mpm_body_stream_bytes;
	to->mpm_scans += s->mpm_scans;
	to->mpm_remembered += s->mpm_remembered;
	to->mpm_checked_out += s->mpm_checked_out;
	to->mpm_pkt_both += s->mpm_pkt_both;
	to->mpm_stream_unjoined += s->mpm_stream_unjoined;
	to->mpm_matches += s->mpm_matches;
}

void worker_detect_stats(const struct worker *w, struct detect_stats *out)
{
	const struct detect_gen *g = __atomic_load_n(&w->ctl->gen, __ATOMIC_ACQUIRE);

	*out = w->det_base;
	if (g != NULL && w->id < g->nslots && g->slot[w->id].dt != NULL)
		detect_stats_add(out, detect_thread_stats(g->slot[w->id].dt));
}

void worker_gen_retired(struct worker *w, const struct detect_gen *old)
{
	if (old != NULL && w->id < old->nslots && old->slot[w->id].dt != NULL)
		detect_stats_add(&w->det_base, detect_thread_stats(old->slot[w->id].dt));
}

/* Point the pipeline at the generation published now, if it changed. The
 * previous one is not touched: the reloader reads and frees it once this
 * worker has reported quiescence. */
static inline void gen_pickup(struct worker *w)
{
	const struct detect_gen *g = __atomic_load_n(&w->ctl->gen, __ATOMIC_ACQUIRE);

	/* By serial, not address: a freed generation's memory may come back. */
	if (likely(g->serial == w->gen_serial))
		return;
	w->gen_serial = g->serial;
	if (g->files)
		applayer_ctx_need_files(w->pl->al, g->file_hashes);
	if (g->app_needs)
		applayer_ctx_need(w->pl->al, g->app_needs);
	pipeline_set_detect(w->pl, g->slot[w->id].dt);
	w->pl->alerts_by_rule = g->slot[w->id].alerts_by_rule;
	w->pl->nrules = g->nrules;
	w->gen_swaps++;
}

static uint64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Whether the segments hold the bytes pkt_len says. DPDK 22.11's net_pcap
 * builds the chain of a frame over 65535 bytes from a 16-bit length: the
 * chain then holds less than pkt_len, and reading it whole would run off
 * its end. */
static bool chain_whole(const struct rte_mbuf *m)
{
	uint64_t sum = 0;
	uint16_t n = 0;

	for (const struct rte_mbuf *s = m; s != NULL && n < m->nb_segs; s = s->next, n++)
		sum += s->data_len;
	return n == m->nb_segs && sum == rte_pktmbuf_pkt_len(m);
}

const uint8_t *worker_frame_read(const struct rte_mbuf *m, uint8_t *buf, uint32_t *len)
{
	if (m->nb_segs == 1) {
		*len = rte_pktmbuf_data_len(m);
		return rte_pktmbuf_mtod(m, const uint8_t *);
	}
	if (rte_pktmbuf_pkt_len(m) > WORKER_LINEAR_MAX || !chain_whole(m))
		return NULL;
	*len = rte_pktmbuf_pkt_len(m);
	return rte_pktmbuf_read(m, 0, *len, buf);
}

/* Point p at the frame's bytes: directly for one segment, else a copy. */
static int frame_bytes(struct worker *w, struct rte_mbuf *m, struct packet *p)
{
	p->data = worker_frame_read(m, w->linear, &p->len);
	if (p->data == NULL) {
		w->pl->cnt.c[CNT_OVERSIZE]++;
		return -E2BIG;
	}
	if (m->nb_segs > 1)
		w->pl->cnt.c[CNT_LINEARIZED]++;
	return 0;
}

/* This worker's forwarding entry that transmits on port_id, NULL if none. */
static struct worker_rxq *tx_entry(struct worker *w, uint16_t port_id)
{
	for (uint16_t i = 0; i < w->nrxq; i++)
		if (w->rxq[i].txb != NULL && w->rxq[i].tx_port_id == port_id)
			return &w->rxq[i];
	return NULL;
}

static void reject_one(struct worker *w, struct worker_rxq *q, const struct packet *p,
		       bool to_src)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(q->port->pool);
	uint8_t *out;
	size_t len;

	if (m == NULL) {
		w->reject_failed++;
		return;
	}
	out = (uint8_t *)rte_pktmbuf_append(m, REJECT_FRAME_MAX);
	len = out != NULL ? reject_build(p, to_src, out) : 0;
	if (len == 0) {
		rte_pktmbuf_free(m);
		w->reject_failed++;
		return;
	}
	rte_pktmbuf_trim(m, (uint16_t)(REJECT_FRAME_MAX - len));
	if (to_src) {
		/* out of the port the packet came in on: in a pair, through the
		 * queue this worker forwards the other port's frames into */
		struct worker_rxq *back = tx_entry(w, q->port->port_id);

		if (back == NULL) {
			rte_pktmbuf_free(m);
			w->reject_failed++;
			return;
		}
		rte_eth_tx_buffer(back->tx_port_id, back->tx_queue, back->txb, m);
	} else {
		rte_eth_tx_buffer(q->tx_port_id, q->tx_queue, q->txb, m);
	}
	w->reject_sent++;
}

/* A dropped packet matched a reject rule (or one a rate_filter made reject):
 * answer the side(s) it names (the source, for a rule without reject's). */
static void reject_reply(struct worker *w, struct worker_rxq *q, const struct packet *p)
{
	const struct detect_result *res = &w->pl->res;

	for (uint32_t i = 0; i < res->nalerts; i++) {
		const struct rule *r = res->alerts[i].rule;

		if (!res->alerts[i].reject)
			continue;
		if (r->reject != REJECT_DST)
			reject_one(w, q, p, true);
		if (r->reject == REJECT_DST || r->reject == REJECT_BOTH)
			reject_one(w, q, p, false);
		return;
	}
}

/* Runs m through the pipeline and forwards, drops or frees it. Returns
 * true when m is left to the caller to free: a queue that forwards nothing
 * gives its mbufs back a burst at a time (one mempool put per burst). */
static bool handle_one(struct worker *w, struct worker_rxq *q, struct rte_mbuf *m,
		       uint64_t *now_us)
{
	const struct port *pt = q->port;
	enum detect_verdict v = VERDICT_ACCEPT;
	struct packet p;

	if (w->gate != NULL) {
		w->pkt_seq = *RTE_MBUF_DYNFIELD(m, w->seq_off, uint64_t *);
		seq_gate_begin(w->gate, w->id, w->pkt_seq);
	} else {
		w->pkt_seq++;
	}
	p.pcap_cnt = w->pkt_seq;
	p.port_id = pt->port_id;
	p.link = pt->link;
	if (pt->rx_timestamp && (m->ol_flags & pt->ts_flag)) {
		p.ts_us = *RTE_MBUF_DYNFIELD(m, pt->ts_offset, rte_mbuf_timestamp_t *);
	} else {
		/* Unstamped frames take the wall time, read once a burst. */
		if (*now_us == 0)
			*now_us = wall_us();
		p.ts_us = *now_us;
	}
	if (frame_bytes(w, m, &p) == 0) {
		p.wire_len = p.len;
		v = pipeline_packet(w->pl, &p);
	}
	if (w->gate != NULL)
		seq_gate_end(w->gate, w->id, w->pkt_seq);
	if (q->mode == COPY_NONE)
		return true;
	if (w->ctl->standby) {
		w->standby_pkts++;
		rte_pktmbuf_free(m);
		return false;
	}
	if (q->mode == COPY_IPS && v == VERDICT_DROP) {
		w->drop_pkts++;
		if (w->pl->res.nalerts > 0)
			reject_reply(w, q, &p);
		rte_pktmbuf_free(m);
		return false;
	}
	w->fwd_pkts++;
	rte_eth_tx_buffer(q->tx_port_id, q->tx_queue, q->txb, m);
	return false;
}

static void handle_burst(struct worker *w, struct worker_rxq *q, struct rte_mbuf **pkts,
			 uint16_t n)
{
	uint64_t now_us = 0;

	pipeline_input(w->pl, (uint8_t)(q - w->rxq));
	for (uint16_t i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (uint16_t i = 0; i < n; i++) {
		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		handle_one(w, q, pkts[i], &now_us);
	}
	if (q->mode == COPY_NONE)
		rte_pktmbuf_free_bulk(pkts, n);
	w->rx_pkts += n;
}

/* autofp: the burst mixes ports; each mbuf's port picks its forwarding. */
static void handle_ring_burst(struct worker *w, struct rte_mbuf **pkts, unsigned n)
{
	struct rte_mbuf *done[WORKER_BURST];
	uint64_t now_us = 0;
	unsigned ndone = 0;

	for (unsigned i = 0; i < n; i++) {
		uint16_t in = 0;

		for (uint16_t k = 1; k < w->nrxq; k++)
			if (w->rxq[k].port->port_id == pkts[i]->port)
				in = k;
		pipeline_input(w->pl, (uint8_t)in);
		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		if (handle_one(w, &w->rxq[in], pkts[i], &now_us))
			done[ndone++] = pkts[i];
	}
	rte_pktmbuf_free_bulk(done, ndone);
	w->rx_pkts += n;
}

static void drain_tx(struct worker *w)
{
	for (uint16_t i = 0; i < w->nrxq; i++) {
		struct worker_rxq *q = &w->rxq[i];

		if (q->txb != NULL)
			rte_eth_tx_buffer_flush(q->tx_port_id, q->tx_queue, q->txb);
	}
}

/* One poll of every input; returns the frames handled. */
static unsigned poll_inputs(struct worker *w, struct rte_mbuf **pkts)
{
	unsigned got = 0;

	if (w->ring != NULL) {
		unsigned left;

		got = rte_ring_dequeue_burst(w->ring, (void **)pkts, WORKER_BURST, &left);
		if (got > 0) {
			if (left <= WORKER_RING_LOW(rte_ring_get_capacity(w->ring)))
				park_wake(&w->ring_ev.drained);
			handle_ring_burst(w, pkts, got);
		}
		return got;
	}
	for (uint16_t i = 0; i < w->nrxq; i++) {
		struct worker_rxq *q = &w->rxq[i];
		uint16_t n = port_rx_burst(q->port, q->queue, pkts, WORKER_BURST);

		if (n > 0)
			handle_burst(w, q, pkts, n);
		got += n;
	}
	return got;
}

/* The input has ended (capture file): true once nothing more can arrive.
 * Read input_done (or the receivers' count, or the capture's frames all
 * delivered: port_capture_done) before the last poll: once it is set, an
 * empty poll after it proves every frame was handled. */
static bool input_finished(struct worker *w)
{
	if (w->ring != NULL)
		return __atomic_load_n(&w->ctl->receivers_left, __ATOMIC_ACQUIRE) == 0;
	if (__atomic_load_n(&w->ctl->input_done, __ATOMIC_ACQUIRE))
		return true;
	for (uint16_t i = 0; i < w->nrxq; i++)
		if (!port_capture_done(w->rxq[i].port))
			return false;
	return true;
}

/* autofp, nothing in the ring: spin a little, then sleep until a reader
 * puts a frame in (or the input ends, or IDLE_PARK_US pass: quit, idle
 * housekeeping). Offline for RCU while asleep, so a reload does not wait
 * for this worker; nothing of the generation is used until the loop's next
 * gen_pickup. Live ports are polled: nothing would wake a sleeper. */
static void idle_wait(struct worker *w, struct backoff *b)
{
	uint32_t t;

	if (w->ring == NULL || !backoff_step(b)) {
		if (w->ring == NULL)
			rte_pause();
		return;
	}
	drain_tx(w);
	rte_rcu_qsbr_thread_offline(w->ctl->qsv, w->id);
	t = park_prepare(&w->ring_ev.filled);
	if (rte_ring_count(w->ring) != 0 || input_finished(w) ||
	    __atomic_load_n(&w->ctl->quit, __ATOMIC_RELAXED)) {
		park_cancel(&w->ring_ev.filled);
	} else {
		w->idle_parks++;
		park_wait(&w->ring_ev.filled, t, IDLE_PARK_US);
	}
	rte_rcu_qsbr_thread_online(w->ctl->qsv, w->id);
}

/* Page faults the thread took (first touches of memory): on a virtual
 * machine each is a trip through the hypervisor, so benchmarks report them. */
static uint64_t thread_page_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) != 0)
		return 0;
	return (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;
}

int worker_main(void *arg)
{
	struct worker *w = arg;
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t drain_tsc = hz / 1000000u * TX_DRAIN_US;
	const uint64_t idle_tsc = hz / 1000000u * IDLE_HOUSEKEEP_US;
	uint64_t prev_drain = rte_rdtsc(), prev_idle = prev_drain;
	struct rte_mbuf *pkts[WORKER_BURST];
	struct backoff idle = { 0 };
	bool idle_more = false;    /* the last housekeeping left flows due */

	if (w->nrxq == 0)
		return 0;
	rte_rcu_qsbr_thread_online(w->ctl->qsv, w->id);
	while (!__atomic_load_n(&w->ctl->quit, __ATOMIC_RELAXED)) {
		uint64_t cur = rte_rdtsc();
		unsigned got;

		gen_pickup(w);
		w->heartbeat++;
		if (cur - prev_drain > drain_tsc) {
			drain_tx(w);
			prev_drain = cur;
		}
		got = poll_inputs(w, pkts);
		if (got > 0) {
			if (w->first_tsc == 0)
				w->first_tsc = cur;
			w->busy_tsc += rte_rdtsc() - cur;
			backoff_reset(&idle);
		} else if (input_finished(w)) {
			if (poll_inputs(w, pkts) == 0)
				break;
		} else if (idle_more || cur - prev_idle > idle_tsc) {
			/* bounded work per call; one that ran out of budget
			 * is followed by another at the next empty poll, so
			 * expiry keeps up when a busy link goes quiet */
			idle_more = pipeline_idle(w->pl,
						  w->rxq[0].port->rx_timestamp ? 0 : wall_us());
			prev_idle = cur;
		} else {
			idle_wait(w, &idle);
		}
		/* Nothing of the current generation is held past this point. */
		rte_rcu_qsbr_quiescent(w->ctl->qsv, w->id);
	}
	drain_tx(w);
	if (w->gate != NULL) {
		/* The final flush comes after every packet. Stopped early, the
		 * frames left in the ring are abandoned and the flush is not
		 * ordered: nobody waits for this worker. */
		bool quit = __atomic_load_n(&w->ctl->quit, __ATOMIC_RELAXED);

		seq_gate_begin(w->gate, w->id, quit ? SEQ_GATE_END : SEQ_GATE_INPUT_DONE);
		if (quit) {
			seq_gate_end(w->gate, w->id, SEQ_GATE_END);
		} else {
			/* and after every other worker's packets: a flow freed
			 * here gives its memory back to the memcaps all workers
			 * share, which must not let another worker's last
			 * packets have what one worker would have refused */
			seq_gate_wait(w->gate, w->id);
			seq_gate_begin(w->gate, w->id, SEQ_GATE_FLUSH);
		}
	}
	pipeline_finish(w->pl, w->ctl->input_end_us);
	if (w->gate != NULL) {
		seq_gate_begin(w->gate, w->id, SEQ_GATE_END);
		seq_gate_end(w->gate, w->id, SEQ_GATE_END);
	}
	rte_rcu_qsbr_thread_offline(w->ctl->qsv, w->id);
	w->last_tsc = rte_rdtsc();
	w->cpu_ns = thread_cpu_ns();
	w->minflt = thread_page_faults();
	return 0;
}
