/* SPDX-License-Identifier: MIT */
/* A worker lcore: polls its RX queues (or, in autofp, its ring) in bursts and
 * runs each packet to completion through its own pipeline. Nothing here is
 * shared with other workers except the read-only run flags and the current
 * detection generation, which the worker picks up between bursts. */
#ifndef IDS_WORKER_H
#define IDS_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "../hoststate/park.h"
#include "../pipeline/pipeline.h"
#include "../port/port.h"
#include "detect_gen.h"

#define WORKER_MAX_RXQ PIPELINE_MAX_INPUTS   /* rxq[i] is the pipeline's input i */
#define WORKER_BURST 32

struct rte_eth_dev_tx_buffer;
struct rte_rcu_qsbr;
struct rte_ring;
struct seq_gate;

struct worker_rxq {
	const struct port *port;     /* where packets come from */
	uint16_t queue;
	enum copy_mode mode;
	uint16_t tx_port_id;         /* tap/ips: where they go */
	uint16_t tx_queue;
	struct rte_eth_dev_tx_buffer *txb;
	/* the port's "in_iface" and checksum-checks: the pipeline's input of
	 * the same index (pipeline_input), picked per burst (a worker may poll
	 * a pair's two ports) or, in autofp, per frame */
	const char *iface;
	bool csum_check;
};

/* autofp: the waits on a worker's ring (hoststate/park.h), so that neither
 * side spins on a CPU the other needs: the worker sleeps on filled while its
 * ring is empty (the readers wake it with each frame they put in), a reader
 * on drained while the ring is full (the worker wakes it once the ring is
 * down to WORKER_RING_LOW of its frames). */
struct ring_ev {
	struct park filled;
	struct park drained;
} __rte_cache_aligned;

/* Flags the main lcore (and the telemetry thread) set and workers read. */
struct worker_control {
	volatile int quit;           /* stop now (signal) */
	volatile int input_done;     /* capture file read to its end: drain and stop */
	volatile int standby;        /* HA role standby: inspect, forward nothing */
	struct detect_gen *gen;      /* current rules; swapped under RCU (detect_gen_swap) */
	struct rte_rcu_qsbr *qsv;    /* workers report quiescence once per loop */
	volatile int receivers_left; /* autofp: receivers still running (input not done) */
	uint64_t input_end_us;       /* (added) a capture file: its newest frame's time; 0: live */
};

struct worker {
	/* hot */
	struct pipeline *pl;
	uint16_t nrxq;
	struct worker_rxq rxq[WORKER_MAX_RXQ];
	/* autofp: packets come from this ring (the receivers fill it), and
	 * rxq[] then holds one entry per port, found by m->port, for forwarding. */
	struct rte_ring *ring;
	const struct worker_control *ctl;
	uint64_t gen_serial;         /* serial of the generation the pipeline runs now */
	uint8_t *linear;             /* frames that arrive as mbuf chains are copied here */
	uint64_t pkt_seq;            /* pcap_cnt of the last packet */
	/* a file over several workers: the frame's number (the reader's) in
	 * the mbuf field at seq_off, and the gate told of each packet's start
	 * and end (NULL: numbered here, no gate) */
	struct seq_gate *gate;
	int seq_off;

	/* counters, written by this worker only */
	uint64_t rx_pkts;            /* frames received */
	uint64_t fwd_pkts;           /* frames handed to TX (tap/ips) */
	uint64_t drop_pkts;          /* frames not forwarded: verdict drop */
	uint64_t standby_pkts;       /* frames not forwarded: standby role */
	uint64_t reject_sent;        /* RST / ICMP unreachable frames built and queued */
	uint64_t reject_failed;      /* replies that could not be built (no mbuf, no L4) or
				      * sent (to the sender through a port this worker has
				      * no TX queue on: an ips port outside a pair) */
	uint64_t tx_fail;            /* frames the TX ring refused */
	uint64_t gen_swaps;          /* detection generations picked up */
	struct detect_stats det_base;    /* detect counters of the generations left behind */

	/* cold */
	uint16_t id;
	unsigned lcore_id;
	int socket;
	uint64_t first_tsc;          /* first packet received */
	uint64_t last_tsc;           /* end of the drain */
	uint64_t busy_tsc;           /* cycles spent on non-empty bursts */
	uint64_t cpu_ns;             /* CPU time of the lcore thread, set when it returns */
	uint64_t minflt;             /* page faults it took, set with cpu_ns */
	uint64_t heartbeat;          /* loop iterations, for liveness */
	uint64_t idle_parks;         /* autofp: sleeps on an empty ring */

	struct ring_ev ring_ev;      /* autofp: the waits on ring */
} __rte_cache_aligned;

/* A worker wakes the readers waiting for room in its ring once it holds no
 * more than this share of the ring's frames: a reader woken for one free
 * slot would sleep again after one frame. */
#define WORKER_RING_LOW(capacity) ((capacity) / 2)

/* Largest frame inspected: libpcap's largest snapshot length (262144), so
 * GSO and BIG TCP frames in captures, past 65535 bytes, are inspected too. */
#define WORKER_LINEAR_MAX 262144u

/* The bytes of frame m, *len of them: in m itself for one segment, copied
 * into buf (WORKER_LINEAR_MAX bytes) for a chain. NULL for a chain longer
 * than that or not holding what its length says. The workers inspect the
 * frame so, and autofp's reader hashes the same bytes (its first segment
 * alone cannot be decoded when the IP length runs past it). */
struct rte_mbuf;
const uint8_t *worker_frame_read(const struct rte_mbuf *m, uint8_t *buf, uint32_t *len);

/* Allocate the TX buffers (on the worker's socket). 0 or -ENOMEM. */
int worker_init(struct worker *w);
void worker_fini(struct worker *w);

/* lcore entry point (rte_eal_remote_launch); arg is the struct worker. */
int worker_main(void *arg);

/* Detect counters of w: the generations it left plus the current one.
 * Control threads only, serialised with reloads (the run's control lock). */
void worker_detect_stats(const struct worker *w, struct detect_stats *out);

/* After detect_gen_swap returned old (every worker quiescent since), fold
 * w's detect counters of old into its running totals, before old is freed. */
void worker_gen_retired(struct worker *w, const struct detect_gen *old);

#endif
