/* SPDX-License-Identifier: MIT */
/* Who polls what: ports and their queues, worker and receiver lcores, the
 * autofp rings, the first detection generation. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "../../common/log.h"
#include "../../common/memcap.h"
#include "../../rules/rule-t.h"
#include "../hoststate/host_table.h"
#include "../hoststate/seq_gate.h"
#include "run-int.h"

#define RING_SIZE 4096
/* A capture file's reader waits for ring space instead of dropping: a
 * shallower ring loses nothing and keeps the mbuf pool (rings included)
 * within -m512 for up to 128 workers. */
#define RING_SIZE_FILE 1024

static unsigned port_threads(const struct port *pt)
{
	return pt->set.threads ? pt->set.threads : 1;
}

static bool autofp(const struct run *r)
{
	return r->s->runmode == RUNMODE_AUTOFP;
}

/* runmode workers: the index of the port paired with port i
 * (port_settings_paired), whose queue k the worker of i's queue k takes
 * too; -1 when i has no pair or in autofp (its workers take every port). */
static int pair_of(const struct run *r, unsigned i)
{
	int peer;

	if (autofp(r) || r->ports[i].set.copy_mode == COPY_NONE)
		return -1;
	peer = ports_find(r->ports, r->nports, r->ports[i].set.copy_iface);
	return peer >= 0 && port_settings_paired(&r->ports[i].set, &r->ports[peer].set) ? peer :
									      -1;
}

/* One worker per RX queue, a pair's queues counted once (the settings gave
 * both ports of a pair the same number). */
static unsigned planned_workers(const struct run *r)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->nports; i++)
		if (pair_of(r, i) < (int)i)
			n += port_threads(&r->ports[i]);
	return n;
}

static unsigned ring_size(const struct run *r)
{
	return r->s->pcap != NULL ? RING_SIZE_FILE : RING_SIZE;
}

unsigned topology_lcores(const struct run *r)
{
	return planned_workers(r) + (autofp(r) ? r->nports : 0);
}

int topology_start_ports(struct run *r)
{
	uint16_t nb_txq[SETTINGS_MAX_PORTS] = { 0 };
	unsigned nw = planned_workers(r);

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
		/* One TX queue per worker that forwards into the peer: the port's
		 * own workers, or in autofp every worker. */
		nb_txq[peer] += autofp(r) ? nw : port_threads(pt);
	}
	/* In autofp one receiver per port reads its only RX queue; the
	 * threads asked for are the workers it feeds. */
	r->autofp_workers = nw;
	if (autofp(r)) {
		/* Frames wait in the workers' rings too: a pool short of them
		 * makes the port drop frames (a capture file's for good). */
		for (unsigned i = 0; i < r->nports; i++) {
			r->ports[i].set.threads = 1;
			r->ports[i].pool_extra = nw * ring_size(r);
		}
	}
	return ports_start(r->ports, r->nports, nb_txq);
}

static struct worker *worker_new(struct run *r, unsigned lcore, int socket)
{
	const struct settings *s = r->s;
	struct worker *w;

	if (lcore >= RTE_MAX_LCORE) {
		log_msg(LOG_ERR, "worker", "not enough lcores for %u workers",
			topology_lcores(r));
		return NULL;
	}
	w = rte_zmalloc_socket("worker", sizeof(*w), RTE_CACHE_LINE_SIZE, socket);
	if (w == NULL)
		return NULL;
	r->workers[r->nworkers] = w;
	w->id = (uint16_t)r->nworkers++;
	w->lcore_id = lcore;
	w->socket = socket;
	w->ctl = &r->ctl;
	if (socket >= 0 && (int)rte_lcore_to_socket_id(lcore) != socket)
		log_msg(LOG_WARN, "worker", "worker %u on lcore %u sits on socket %u, its port "
			"on socket %d: every packet crosses the interconnect", w->id, lcore,
			rte_lcore_to_socket_id(lcore), socket);
	(void)s;
	return w;
}

/* Whether frames of port pt have their checksums checked: -k when given,
 * else the port's dpdk.interfaces checksum-checks, else the run's default. */
static bool worker_csum(const struct run *r, const struct port *pt)
{
	if (r->s->csum_forced || pt->set.csum_check < 0)
		return r->s->csum_check;
	return pt->set.csum_check != 0;
}

/* "in_iface" of a port's records: its name, as Suricata's live capture
 * writes its device's; none when reading a file (Suricata's pcap-file
 * source sets no live device, so its records carry no in_iface). */
static const char *eve_iface(const struct run *r, const struct port *pt)
{
	return r->s->pcap != NULL ? NULL : pt->set.name;
}

/* w's pipeline, with w->rxq[] as its inputs (in_iface, checksum-checks). */
static int worker_pipeline(struct run *r, struct worker *w)
{
	const struct settings *s = r->s;
	uint8_t need;
	/* No engine here: the detection generation supplies it (detect_gen). */
	struct pipeline_config pc = {
		.decode = s->decode,
		.flow = s->flow,
		.stream = s->stream,
		.defrag = s->defrag,
		.app = s->app,
		.ips = s->ips,
		.exc = s->exc,
		.eve = r->eve,
		.eve_opt = s->eve_opt,
		.ninputs = (uint8_t)w->nrxq,
		.socket = w->socket,
		.gate = w->gate,
	};

	for (uint16_t i = 0; i < w->nrxq; i++)
		pc.inputs[i] = (struct pipeline_input){ .iface = w->rxq[i].iface,
							.csum_check = w->rxq[i].csum_check };
	pc.flow.budget = r->flow_mem;
	pc.stream.ssn_budget = r->ssn_mem;
	pc.stream.reasm_budget = r->reasm_mem;
	pc.defrag.budget = r->defrag_mem;
	pc.app.expect = r->expect;
	/* files tracked (not logged) for the file keywords of the rules
	 * loaded at start, whatever the outputs */
	pc.app.files |= engine_file_needs(r->e, &need);
	pc.app.file_hashes |= need;
	applayer_config_need(&pc.app, engine_app_needs(r->e));
	w->pl = pipeline_create(&pc, w->id);
	if (w->pl == NULL)
		return -ENOMEM;
	/* the first chunks too are backed here, before the worker runs */
	pipeline_back_spare(w->pl);
	return 0;
}

static struct rte_ring *ring_new(const char *kind, unsigned id, unsigned size, int socket,
				 unsigned flags)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *ring;

	snprintf(name, sizeof(name), "%s%u", kind, id);
	ring = rte_ring_create(name, size, socket < 0 ? SOCKET_ID_ANY : socket, flags);
	if (ring == NULL)
		log_msg(LOG_ERR, "worker", "cannot create ring %s: %s", name,
			rte_strerror(rte_errno));
	return ring;
}

/* Give w queue q of port pt, forwarding (tap/ips) into the next TX queue of
 * pt's peer. */
static void worker_take(struct run *r, struct worker *w, struct port *pt, uint16_t q,
			uint16_t *txq_next)
{
	struct worker_rxq *e = &w->rxq[w->nrxq++];

	*e = (struct worker_rxq){ .port = pt, .queue = q, .mode = pt->set.copy_mode,
				  .iface = eve_iface(r, pt), .csum_check = worker_csum(r, pt) };
	if (pt->set.copy_mode != COPY_NONE) {
		e->tx_port_id = r->ports[pt->peer].port_id;
		e->tx_queue = txq_next[pt->peer]++;
	}
}

/* runmode workers: one worker per RX queue, forwarding to the peer's queue;
 * the worker of queue k of a pair's first port takes queue k of the other
 * too. The symmetric hash puts both directions of a flow on the same queue
 * index of either port, so one flow table sees the whole flow, and a
 * reject's reply to the sender leaves on the worker's own TX queue of the
 * port the packet came in on. */
static int create_workers_rss(struct run *r, unsigned *lcore)
{
	uint16_t txq_next[SETTINGS_MAX_PORTS] = { 0 };

	for (unsigned i = 0; i < r->nports; i++) {
		struct port *pt = &r->ports[i];
		const int mate = pair_of(r, i);

		if (mate >= 0 && mate < (int)i)
			continue;
		for (uint16_t q = 0; q < pt->nb_rxq; q++) {
			struct worker *w = worker_new(r, *lcore, pt->socket);

			if (w == NULL)
				return -ENOMEM;
			worker_take(r, w, pt, q, txq_next);
			if (mate >= 0)
				worker_take(r, w, &r->ports[mate], q, txq_next);
			if (worker_pipeline(r, w) != 0)
				return -ENOMEM;
			*lcore = rte_get_next_lcore(*lcore, 1, 0);
		}
	}
	return 0;
}

/* runmode autofp: receivers spread frames over the workers' rings; every
 * worker forwards frames of every port, so it has a TX queue on each peer. */
static int create_workers_autofp(struct run *r, unsigned *lcore)
{
	unsigned nw = r->autofp_workers;
	struct ring_ev *ring_ev[RECEIVER_MAX_RINGS];
	uint16_t txq_next[SETTINGS_MAX_PORTS] = { 0 };
	int socket = r->ports[0].socket;

	if (r->nports > WORKER_MAX_RXQ || nw > RECEIVER_MAX_RINGS ||
	    r->nports > MAX_RECEIVERS) {
		log_msg(LOG_ERR, "worker", "autofp: at most %d ports and %d workers",
			WORKER_MAX_RXQ, RECEIVER_MAX_RINGS);
		return -EINVAL;
	}
	/* A file read by several workers: its reader numbers the frames and
	 * the workers touch shared host state in that order. */
	if (r->s->pcap != NULL && nw > 1) {
		r->seq_off = receiver_seq_field();
		r->gate = r->seq_off >= 0 ? seq_gate_create(nw) : NULL;
		if (r->gate == NULL) {
			log_msg(LOG_ERR, "worker", "cannot set up the capture-order gate");
			return -ENOMEM;
		}
	}
	for (unsigned k = 0; k < nw; k++) {
		struct worker *w = worker_new(r, *lcore, socket);

		if (w == NULL)
			return -ENOMEM;
		w->nrxq = (uint16_t)r->nports;
		for (unsigned i = 0; i < r->nports; i++) {
			struct port *pt = &r->ports[i];

			w->rxq[i] = (struct worker_rxq){ .port = pt, .mode = pt->set.copy_mode,
							 .iface = eve_iface(r, pt),
							 .csum_check = worker_csum(r, pt) };
			if (pt->set.copy_mode != COPY_NONE) {
				w->rxq[i].tx_port_id = r->ports[pt->peer].port_id;
				w->rxq[i].tx_queue = txq_next[pt->peer]++;
			}
		}
		r->rings[k] = ring_new("afp", k, ring_size(r), socket, RING_F_SC_DEQ);
		if (r->rings[k] == NULL)
			return -ENOMEM;
		w->ring = r->rings[k];
		ring_ev[k] = &w->ring_ev;
		w->gate = r->gate;
		w->seq_off = r->seq_off;
		if (worker_pipeline(r, w) != 0)
			return -ENOMEM;
		*lcore = rte_get_next_lcore(*lcore, 1, 0);
	}
	for (unsigned i = 0; i < r->nports; i++) {
		struct receiver *rc;

		if (*lcore >= RTE_MAX_LCORE)
			return -ENODEV;
		rc = rte_zmalloc_socket("receiver", sizeof(*rc), RTE_CACHE_LINE_SIZE,
					r->ports[i].socket);
		if (rc == NULL)
			return -ENOMEM;
		r->receivers[r->nreceivers++] = rc;
		rc->linear = rte_malloc_socket("rx_linear", WORKER_LINEAR_MAX, 64,
					       r->ports[i].socket);
		rc->frags = rte_zmalloc_socket("rx_frags", RECEIVER_FRAG_SLOTS *
					       sizeof(*rc->frags), 64, r->ports[i].socket);
		if (rc->linear == NULL || rc->frags == NULL)
			return -ENOMEM;
		rc->port = &r->ports[i];
		rc->lossless = r->s->pcap != NULL;
		rc->gate = r->gate;
		rc->seq_off = r->seq_off;
		rc->nrings = nw;
		memcpy(rc->rings, r->rings, nw * sizeof(rc->rings[0]));
		memcpy(rc->ring_ev, ring_ev, nw * sizeof(rc->ring_ev[0]));
		rc->ctl = &r->ctl;
		/* the same decoding as the workers', checksums aside */
		rc->decode = r->s->decode;
		rc->decode.csum_check = false;
		rc->lcore_id = *lcore;
		*lcore = rte_get_next_lcore(*lcore, 1, 0);
	}
	r->ctl.receivers_left = (int)r->nreceivers;
	return 0;
}

static int detection_start(struct run *r)
{
	int sockets[MAX_WORKERS];
	size_t sz = rte_rcu_qsbr_get_memsize(r->nworkers);

	r->ctl.qsv = rte_zmalloc("qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (r->ctl.qsv == NULL || rte_rcu_qsbr_init(r->ctl.qsv, r->nworkers) != 0)
		return -ENOMEM;
	for (unsigned i = 0; i < r->nworkers; i++) {
		sockets[i] = r->workers[i]->socket;
		rte_rcu_qsbr_thread_register(r->ctl.qsv, i);
	}
	r->ctl.gen = detect_gen_create(r->e->de, r->e->rs ? r->e->rs->n : 0, r->nworkers,
				       sockets, r->s->ips, 1, r->hosts, r->gate);
	return r->ctl.gen == NULL ? -ENOMEM : 0;
}

static uint64_t or_default(uint64_t v, uint64_t def)
{
	return v != 0 ? v : def;
}

/* flow.memcap, stream.memcap, stream.reassembly.memcap, defrag.memcap: each
 * one budget for the process, as Suricata's, whatever the workers. */
static int budgets_create(struct run *r)
{
	const struct settings *s = r->s;

	r->flow_mem = memcap_create(flow_table_budget(&s->flow));
	r->ssn_mem = memcap_create(or_default(s->stream.memcap, STREAM_MEMCAP_DEFAULT));
	r->reasm_mem = memcap_create(or_default(s->stream.reassembly_memcap,
						STREAM_REASSEMBLY_MEMCAP_DEFAULT));
	r->defrag_mem = memcap_create(or_default(s->defrag.memcap, DEFRAG_MEMCAP_DEFAULT));
	if (r->flow_mem == NULL || r->ssn_mem == NULL || r->reasm_mem == NULL ||
	    r->defrag_mem == NULL) {
		log_msg(LOG_ERR, "worker", "cannot allocate the memcaps");
		return -ENOMEM;
	}
	return 0;
}

static void budgets_destroy(struct run *r)
{
	memcap_destroy(r->flow_mem);
	memcap_destroy(r->ssn_mem);
	memcap_destroy(r->reasm_mem);
	memcap_destroy(r->defrag_mem);
	r->flow_mem = r->ssn_mem = r->reasm_mem = r->defrag_mem = NULL;
}

int topology_create(struct run *r)
{
	unsigned lcore = rte_get_next_lcore(-1, 1, 0);
	int ret;

	ret = budgets_create(r);
	if (ret != 0)
		return ret;
	r->hosts = host_table_create(&r->s->hosts);
	if (r->hosts == NULL) {
		log_msg(LOG_ERR, "worker", "cannot allocate the host table (host.memcap)");
		return -ENOMEM;
	}
	ret = autofp(r) ? create_workers_autofp(r, &lcore) : create_workers_rss(r, &lcore);
	if (ret != 0)
		return ret;
	for (unsigned i = 0; i < r->nworkers; i++) {
		ret = worker_init(r->workers[i]);
		if (ret != 0)
			return ret;
	}
	return detection_start(r);
}

void topology_destroy(struct run *r)
{
	for (unsigned i = 0; i < r->nworkers; i++) {
		struct worker *w = r->workers[i];

		worker_fini(w);
		if (w->pl != NULL) {
			/* The generation owns these. */
			pipeline_set_detect(w->pl, NULL);
			w->pl->alerts_by_rule = NULL;
			pipeline_destroy(w->pl);
		}
		rte_ring_free(r->rings[i]);
		rte_free(w);
	}
	for (unsigned i = 0; i < r->nreceivers; i++) {
		rte_free(r->receivers[i]->linear);
		rte_free(r->receivers[i]->frags);
		rte_free(r->receivers[i]);
	}
	detect_gen_free(r->ctl.gen);
	r->ctl.gen = NULL;
	host_table_destroy(r->hosts);
	r->hosts = NULL;
	/* after the pipelines, which leave them */
	budgets_destroy(r);
	seq_gate_destroy(r->gate);
	r->gate = NULL;
	rte_free(r->ctl.qsv);
	r->ctl.qsv = NULL;
	r->nworkers = 0;
	r->nreceivers = 0;
}
