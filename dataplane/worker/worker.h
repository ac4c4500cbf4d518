/* SPDX-License-Identifier: MIT */
/* A worker lcore: polls its RX queues in bursts and runs each packet to
 * completion through its own pipeline. Nothing here is shared with other
 * workers except the read-only run flags. */
#ifndef IDS_WORKER_H
#define IDS_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "../pipeline/pipeline.h"
#include "../port/port.h"

#define WORKER_MAX_RXQ 8
#define WORKER_BURST 32

struct rte_eth_dev_tx_buffer;

struct worker_rxq {
	const struct port *port;     /* where packets come from */
	uint16_t queue;
	enum copy_mode mode;
	uint16_t tx_port_id;         /* tap/ips: where they go */
	uint16_t tx_queue;
	struct rte_eth_dev_tx_buffer *txb;
};

/* Flags the main lcore sets and workers read. */
struct worker_control {
	volatile int quit;           /* stop now (signal) */
	volatile int input_done;     /* capture file read to its end: drain and stop */
};

struct worker {
	/* hot */
	struct pipeline *pl;
	uint16_t nrxq;
	struct worker_rxq rxq[WORKER_MAX_RXQ];
	const struct worker_control *ctl;
	uint8_t *linear;             /* frames that arrive as mbuf chains are copied here */
	uint64_t pkt_seq;            /* pcap_cnt of the last packet */

	/* cold */
	uint16_t id;
	unsigned lcore_id;
	int socket;
	uint64_t first_tsc;          /* first packet received */
	uint64_t last_tsc;           /* end of the drain */
	uint64_t busy_tsc;           /* cycles spent on non-empty bursts */
	uint64_t heartbeat;          /* loop iterations, for liveness */
	uint64_t tx_fail;            /* frames the TX ring refused */
} __rte_cache_aligned;

/* Allocate the TX buffers (on the worker's socket). 0 or -ENOMEM. */
int worker_init(struct worker *w);
void worker_fini(struct worker *w);

/* lcore entry point (rte_eal_remote_launch); arg is the struct worker. */
int worker_main(void *arg);

#endif
