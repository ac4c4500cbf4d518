/* SPDX-License-Identifier: MIT */
#include "seq_gate.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "spin.h"

struct seq_slot {
	alignas(64) _Atomic uint64_t cur;   /* worker: the packet it started last */
	_Atomic uint64_t done;              /* worker: the packet it finished last */
	alignas(64) _Atomic uint64_t enq;   /* reader: the last packet it gave the worker */
};

struct seq_gate {
	unsigned n;
	struct seq_slot *slot;
};

struct seq_gate *seq_gate_create(unsigned nworkers)
{
	struct seq_gate *g = calloc(1, sizeof(*g));

	if (g == NULL || nworkers == 0)
		goto fail;
	g->n = nworkers;
	g->slot = aligned_alloc(alignof(struct seq_slot), nworkers * sizeof(*g->slot));
	if (g->slot == NULL)
		goto fail;
	for (unsigned i = 0; i < nworkers; i++) {
		atomic_init(&g->slot[i].cur, 0);
		atomic_init(&g->slot[i].done, 0);
		atomic_init(&g->slot[i].enq, 0);
	}
	return g;
fail:
	seq_gate_destroy(g);
	return NULL;
}

void seq_gate_destroy(struct seq_gate *g)
{
	if (g == NULL)
		return;
	free(g->slot);
	free(g);
}

void seq_gate_enqueued(struct seq_gate *g, unsigned k, uint64_t seq)
{
	atomic_store_explicit(&g->slot[k].enq, seq, memory_order_release);
}

void seq_gate_begin(struct seq_gate *g, unsigned k, uint64_t seq)
{
	atomic_store_explicit(&g->slot[k].cur, seq, memory_order_release);
}

void seq_gate_end(struct seq_gate *g, unsigned k, uint64_t seq)
{
	atomic_store_explicit(&g->slot[k].done, seq, memory_order_release);
}

void seq_gate_flow_end(struct seq_gate *g, unsigned k, uint64_t last_pkt)
{
	uint64_t cur = atomic_load_explicit(&g->slot[k].cur, memory_order_relaxed);
	uint64_t pos = SEQ_GATE_FLUSH + (last_pkt < SEQ_GATE_FLUSH - 1 ? last_pkt :
					 SEQ_GATE_FLUSH - 2);

	if (cur >= SEQ_GATE_FLUSH && cur < pos)
		atomic_store_explicit(&g->slot[k].cur, pos, memory_order_release);
}

/* Worker k has nothing unfinished below position s: it has started
 * something above s (it works in order), or, for a packet position,
 * finished all the reader gave it so far, which includes every packet below
 * s (given before s). A flush position needs the worker's own flush past it. */
static bool clear_below(const struct seq_slot *sl, uint64_t s)
{
	uint64_t enq;

	if (atomic_load_explicit(&sl->cur, memory_order_acquire) > s)
		return true;
	if (s >= SEQ_GATE_FLUSH)
		return false;
	enq = atomic_load_explicit(&sl->enq, memory_order_acquire);
	return atomic_load_explicit(&sl->done, memory_order_acquire) >= enq;
}

void seq_gate_wait(const struct seq_gate *g, unsigned k)
{
	uint64_t s = atomic_load_explicit(&g->slot[k].cur, memory_order_relaxed);

	if (s == SEQ_GATE_END)
		return;		/* finished: nothing of it is ordered any more */
	for (unsigned i = 0; i < g->n; i++) {
		unsigned spins = 0;

		if (i == k)
			continue;
		while (!clear_below(&g->slot[i], s)) {
			if (++spins % 256 == 0)
				sched_yield();
			else
				spin_relax();
		}
	}
}
