/* SPDX-License-Identifier: MIT */
#include "worker.h"

#include <errno.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_prefetch.h>

#define LINEAR_MAX 65536u          /* largest frame inspected (GSO/BIG TCP in captures) */
#define PREFETCH_AHEAD 3
#define TX_DRAIN_US 100u           /* a quiet link never holds packets longer than this */
#define IDLE_HOUSEKEEP_US 100000u  /* flow expiry and output flush when idle */

int worker_init(struct worker *w)
{
	w->linear = rte_malloc_socket("linear", LINEAR_MAX, 64, w->socket);
	if (w->linear == NULL)
		return -ENOMEM;
	for (uint16_t i = 0; i < w->nrxq; i++) {
		struct worker_rxq *q = &w->rxq[i];

		if (q->mode == COPY_NONE)
			continue;
		q->txb = rte_zmalloc_socket("txb", RTE_ETH_TX_BUFFER_SIZE(WORKER_BURST), 0,
					    w->socket);
		if (q->txb == NULL)
			return -ENOMEM;
		rte_eth_tx_buffer_init(q->txb, WORKER_BURST);
		rte_eth_tx_buffer_set_err_callback(q->txb, rte_eth_tx_buffer_count_callback,
						   &w->tx_fail);
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

static uint64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Point p at the frame's bytes: directly for one segment, else a copy. */
static int frame_bytes(struct worker *w, struct rte_mbuf *m, struct packet *p)
{
	if (m->nb_segs == 1) {
		p->data = rte_pktmbuf_mtod(m, const uint8_t *);
		p->len = rte_pktmbuf_data_len(m);
		return 0;
	}
	if (rte_pktmbuf_pkt_len(m) > LINEAR_MAX) {
		w->pl->cnt.c[CNT_OVERSIZE]++;
		return -E2BIG;
	}
	p->data = rte_pktmbuf_read(m, 0, rte_pktmbuf_pkt_len(m), w->linear);
	p->len = rte_pktmbuf_pkt_len(m);
	w->pl->cnt.c[CNT_LINEARIZED]++;
	return 0;
}

static void handle_burst(struct worker *w, struct worker_rxq *q, struct rte_mbuf **pkts,
			 uint16_t n)
{
	const struct port *pt = q->port;
	uint64_t now_us = 0;
	struct packet p;

	for (uint16_t i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		enum detect_verdict v = VERDICT_ACCEPT;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));

		p.pcap_cnt = ++w->pkt_seq;
		p.port_id = pt->port_id;
		if (pt->rx_timestamp && (m->ol_flags & pt->ts_flag)) {
			p.ts_us = *RTE_MBUF_DYNFIELD(m, pt->ts_offset, rte_mbuf_timestamp_t *);
		} else {
			/* Unstamped frames take the wall time, read once a burst. */
			if (now_us == 0)
				now_us = wall_us();
			p.ts_us = now_us;
		}
		if (frame_bytes(w, m, &p) == 0) {
			p.wire_len = p.len;
			v = pipeline_packet(w->pl, &p);
		}

		if (q->mode == COPY_TAP || (q->mode == COPY_IPS && v == VERDICT_ACCEPT))
			rte_eth_tx_buffer(q->tx_port_id, q->tx_queue, q->txb, m);
		else
			rte_pktmbuf_free(m);
	}
}

static void drain_tx(struct worker *w)
{
	for (uint16_t i = 0; i < w->nrxq; i++)
		if (w->rxq[i].txb != NULL)
			rte_eth_tx_buffer_flush(w->rxq[i].tx_port_id, w->rxq[i].tx_queue,
						w->rxq[i].txb);
}

int worker_main(void *arg)
{
	struct worker *w = arg;
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t drain_tsc = hz / 1000000u * TX_DRAIN_US;
	const uint64_t idle_tsc = hz / 1000000u * IDLE_HOUSEKEEP_US;
	uint64_t prev_drain = rte_rdtsc(), prev_idle = prev_drain;
	struct rte_mbuf *pkts[WORKER_BURST];

	if (w->nrxq == 0)
		return 0;

	while (!__atomic_load_n(&w->ctl->quit, __ATOMIC_RELAXED)) {
		uint64_t cur = rte_rdtsc();
		unsigned got = 0;

		w->heartbeat++;
		if (cur - prev_drain > drain_tsc) {
			drain_tx(w);
			prev_drain = cur;
		}
		for (uint16_t i = 0; i < w->nrxq; i++) {
			struct worker_rxq *q = &w->rxq[i];
			uint16_t n = rte_eth_rx_burst(q->port->port_id, q->queue, pkts, WORKER_BURST);

			if (n == 0)
				continue;
			if (w->first_tsc == 0)
				w->first_tsc = cur;
			handle_burst(w, q, pkts, n);
			got += n;
		}
		if (got > 0) {
			w->busy_tsc += rte_rdtsc() - cur;
			continue;
		}
		/* Read input_done before the next poll: once it is set, an empty
		 * poll after it proves every frame of the file was handled. */
		if (__atomic_load_n(&w->ctl->input_done, __ATOMIC_ACQUIRE)) {
			unsigned more = 0;

			for (uint16_t i = 0; i < w->nrxq; i++) {
				struct worker_rxq *q = &w->rxq[i];
				uint16_t n = rte_eth_rx_burst(q->port->port_id, q->queue, pkts,
							      WORKER_BURST);

				if (n > 0)
					handle_burst(w, q, pkts, n);
				more += n;
			}
			if (more == 0)
				break;
			continue;
		}
		if (cur - prev_idle > idle_tsc) {
			pipeline_idle(w->pl, w->rxq[0].port->rx_timestamp ? 0 : wall_us());
			prev_idle = cur;
		}
		rte_pause();
	}
	drain_tx(w);
	pipeline_finish(w->pl);
	w->last_tsc = rte_rdtsc();
	return 0;
}
