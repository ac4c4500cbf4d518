/* SPDX-License-Identifier: MIT */
/* Capture order for shared state when one reader spreads a capture file over
 * several workers (autofp): a worker about to read or change state other
 * workers share (the host table) first waits until every packet read before
 * its current one has been handled by whichever worker it went to. Per-host
 * and per-rule state then sees packets in capture order, so 1, 2 and N
 * workers give the same alerts. Live traffic has no such order to keep and
 * runs without a gate.
 *
 * Cost: the reader stores one number per packet, each worker two into its
 * own cache line (and a fence and a load to see whether anyone sleeps on
 * it); only a worker that touches shared state (a rare rule match) reads
 * the others', and waits for them if they are behind: a short spin, then it
 * sleeps (park.h) until the worker it waits for has passed its packet,
 * leaving its CPU to that worker and the reader. Packets are numbered from
 * 1 in reading order. */
#ifndef IDS_SEQ_GATE_H
#define IDS_SEQ_GATE_H

#include <stdint.h>

/* Once the input has ended, each worker flushes its flows (their last
 * inspection) in the order of their last packets, as one worker flushes
 * its whole table: positions SEQ_GATE_FLUSH + that packet's number, merged
 * across workers. SEQ_GATE_END: done, nothing more to order. */
#define SEQ_GATE_FLUSH (1ull << 63)
#define SEQ_GATE_END   UINT64_MAX
/* A worker whose input has ended, before its flush: waiting there, it
 * waits until every other worker has finished all its packets (with the
 * reader done, a worker is clear below it once it has finished what it
 * was given), while none waits on another at it. */
#define SEQ_GATE_INPUT_DONE (SEQ_GATE_FLUSH - 1)

struct seq_gate;

/* For nworkers workers (ids 0..nworkers-1); NULL without memory. */
struct seq_gate *seq_gate_create(unsigned nworkers);
void seq_gate_destroy(struct seq_gate *g);

/* The reader put packet seq into worker k's queue (after the enqueue: the
 * queue's own ordering publishes it to whoever dequeues a later packet). */
void seq_gate_enqueued(struct seq_gate *g, unsigned k, uint64_t seq);

/* Worker k starts packet seq (SEQ_GATE_FLUSH: the final flush, SEQ_GATE_END:
 * finished), and has finished it. */
void seq_gate_begin(struct seq_gate *g, unsigned k, uint64_t seq);
void seq_gate_end(struct seq_gate *g, unsigned k, uint64_t seq);

/* Worker k, in its final flush, is at the flow whose last packet was
 * last_pkt (flows come in that order). Outside the flush, nothing: a flow
 * that ends mid-capture ends within the packet being handled. Positions
 * only grow; one not told (a flow that touches no shared state) is passed
 * at the next one told, which may make others wait longer, never wrongly. */
void seq_gate_flow_end(struct seq_gate *g, unsigned k, uint64_t last_pkt);

/* Worker k: return once every packet numbered below its current one is
 * finished on every worker. Never waits on a packet numbered above it, so
 * the lowest waiting packet always proceeds. */
void seq_gate_wait(struct seq_gate *g, unsigned k);

/* What worker k's seq_gate_wait calls cost: the calls (host-state accesses
 * put in order), those that found a worker behind, the sleeps among those
 * waits, and the time spent waiting. Any thread may read them. */
struct seq_gate_stats {
	uint64_t checks;
	uint64_t waits;
	uint64_t parks;
	uint64_t wait_ns;
};

void seq_gate_stats(const struct seq_gate *g, unsigned k, struct seq_gate_stats *st);

#endif
