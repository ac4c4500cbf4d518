/* SPDX-License-Identifier: MIT */
#include "receiver.h"

#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>

#include "../flow/flow.h"
#include "../hoststate/park.h"
#include "../hoststate/seq_gate.h"

/* A reader asleep on a full ring looks round this often (quit). */
#define RECEIVER_PARK_US 10000u
/* A capture file's reader, at the end of the file, looks this often
 * whether the main lcore has seen the input end (it looks every 1 ms). */
#define RECEIVER_IDLE_US 200u

int receiver_seq_field(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "ids_frame_seq",
		.size = sizeof(uint64_t),
		.align = __alignof__(uint64_t),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	return off >= 0 ? off : -rte_errno;
}

unsigned receiver_pick(const struct decode_opts *o, const uint8_t *data, uint32_t len,
		       unsigned nrings)
{
	return receiver_pick_link(o, PKT_LINK_ETHERNET, data, len, nrings);
}

/* Decodes the frame into p[0] and, through its tunnels, p[1] alternately:
 * the innermost packet that decodes, or NULL when the frame has no IP. */
static const struct packet *innermost(const struct decode_opts *o, uint8_t link,
				      const uint8_t *data, uint32_t len, struct packet p[2])
{
	unsigned i = 0;

	p[0].link = link;
	p[0].data = data;
	p[0].len = len;
	p[0].wire_len = len;
	if (decode_packet(&p[0], o) != DECODE_OK || p[0].ip_ver == 0)
		return NULL;
	/* A tunnel goes by its innermost packet, whose flow is inspected: both
	 * directions of it meet even when the carrier's tuple differs by
	 * direction (VXLAN and Geneve source ports). The decoder's layer cap
	 * bounds the walk; an inner packet that does not decode falls back on
	 * the carrier. */
	while (p[i].tun.data != NULL) {
		decode_tunnel_init(&p[i ^ 1], &p[i]);
		if (decode_packet_keep_origin(&p[i ^ 1], o) != DECODE_OK || p[i ^ 1].ip_ver == 0)
			break;
		i ^= 1;
	}
	return &p[i];
}

unsigned receiver_pick_link(const struct decode_opts *o, uint8_t link, const uint8_t *data,
			    uint32_t len, unsigned nrings)
{
	struct packet p[2];
	const struct packet *in;

	if (nrings <= 1)
		return 0;
	in = innermost(o, link, data, len, p);
	return in != NULL ? flow_hash_packet(in) % nrings : 0;
}

/* The slot of fragment p's datagram: the same for all its fragments
 * (addresses, protocol and id; no ports). FNV-1a. */
static struct receiver_frag *frag_slot(struct receiver_frag *frags, const struct packet *p)
{
	size_t alen = p->ip_ver == 4 ? 4 : 16;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < alen; i++)
		h = (h ^ p->src.b[i]) * 16777619u;
	for (size_t i = 0; i < alen; i++)
		h = (h ^ p->dst.b[i]) * 16777619u;
	h = (h ^ p->proto) * 16777619u;
	h = (h ^ (p->ip_id & 0xff)) * 16777619u;
	h = (h ^ (p->ip_id >> 8)) * 16777619u;
	return &frags[h & (RECEIVER_FRAG_SLOTS - 1)];
}

static bool frag_same(const struct receiver_frag *e, const struct packet *p)
{
	size_t alen = p->ip_ver == 4 ? 4 : 16;

	return e->ip_ver == p->ip_ver && e->proto == p->proto && e->id == p->ip_id &&
	       memcmp(e->src.b, p->src.b, alen) == 0 && memcmp(e->dst.b, p->dst.b, alen) == 0;
}

unsigned receiver_pick_frags(struct receiver_frag *frags, const struct decode_opts *o,
			     uint8_t link, const uint8_t *data, uint32_t len, unsigned nrings)
{
	struct packet p[2];
	const struct packet *in;
	struct receiver_frag *e;
	unsigned k;

	if (nrings <= 1)
		return 0;
	in = innermost(o, link, data, len, p);
	if (in == NULL)
		return 0;
	/* a first fragment's ports are decoded, a later one's are zero */
	k = flow_hash_packet(in) % nrings;
	if (!(in->flags & (PKT_F_IPV4_FRAG | PKT_F_IPV6_FRAG)))
		return k;
	e = frag_slot(frags, in);
	if (frag_same(e, in) && (in->frag_off != 0 || e->guessed))
		return e->ring;
	*e = (struct receiver_frag){ .src = in->src, .dst = in->dst, .id = in->ip_id,
				     .proto = in->proto, .ip_ver = in->ip_ver,
				     .guessed = in->frag_off != 0, .ring = (uint8_t)k };
	return k;
}

static bool quitting(const struct receiver *r)
{
	return __atomic_load_n(&r->ctl->quit, __ATOMIC_RELAXED);
}

/* Lossless, ring k full: spin a little, then sleep until its worker has
 * drained it to WORKER_RING_LOW (or IDLE_PARK_US pass: quit). A reader
 * spinning here would take the CPU the worker needs to make room. */
static void wait_room(struct receiver *r, unsigned k, struct backoff *b)
{
	struct rte_ring *ring = r->rings[k];
	struct park *pk = &r->ring_ev[k]->drained;
	uint32_t t;

	if (!backoff_step(b))
		return;
	t = park_prepare(pk);
	if (rte_ring_count(ring) <= WORKER_RING_LOW(rte_ring_get_capacity(ring)) ||
	    quitting(r)) {
		park_cancel(pk);
		return;
	}
	r->ring_parks++;
	park_wait(pk, t, RECEIVER_PARK_US);
}

/* Frame m into ring k; false: dropped (ring full, not lossless or quit). */
static bool enqueue(struct receiver *r, unsigned k, struct rte_mbuf *m)
{
	struct backoff b = { 0 };

	if (rte_ring_enqueue(r->rings[k], m) != 0) {
		if (r->lossless)
			r->ring_waits++;
		do {
			if (!r->lossless || quitting(r)) {
				r->ring_full++;
				rte_pktmbuf_free(m);
				return false;
			}
			wait_room(r, k, &b);
		} while (rte_ring_enqueue(r->rings[k], m) != 0);
	}
	park_wake(&r->ring_ev[k]->filled);
	return true;
}

static void distribute(struct receiver *r, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = 0;
		/* a frame the worker will not read either goes to ring 0 */
		const uint8_t *d = worker_frame_read(m, r->linear, &len);
		unsigned k = d == NULL ? 0 : receiver_pick_frags(r->frags, &r->decode,
								 r->port->link, d, len, r->nrings);
		uint64_t seq = ++r->seq;

		if (r->gate != NULL)
			*RTE_MBUF_DYNFIELD(m, r->seq_off, uint64_t *) = seq;
		if (enqueue(r, k, m) && r->gate != NULL)
			seq_gate_enqueued(r->gate, k, seq);
	}
	r->rx_pkts += n;
}

int receiver_main(void *arg)
{
	struct receiver *r = arg;
	struct rte_mbuf *pkts[WORKER_BURST];
	struct backoff idle = { 0 };

	while (!__atomic_load_n(&r->ctl->quit, __ATOMIC_RELAXED)) {
		uint16_t n = port_rx_burst(r->port, r->queue, pkts, WORKER_BURST);

		r->heartbeat++;
		if (n > 0) {
			distribute(r, pkts, n);
			backoff_reset(&idle);
			continue;
		}
		/* As the workers: input_done (or the capture's every frame
		 * delivered) read before one last empty poll. */
		if (__atomic_load_n(&r->ctl->input_done, __ATOMIC_ACQUIRE) ||
		    port_capture_done(r->port)) {
			n = port_rx_burst(r->port, r->queue, pkts, WORKER_BURST);
			if (n == 0)
				break;
			distribute(r, pkts, n);
			continue;
		}
		/* A capture file is empty only at its end, until the main lcore
		 * says so (input_done): sleep meanwhile, the workers need the
		 * CPU. A live port is polled. */
		if (!r->lossless)
			rte_pause();
		else if (backoff_step(&idle))
			rte_delay_us_sleep(RECEIVER_IDLE_US);
	}
	__atomic_sub_fetch(&r->ctl->receivers_left, 1, __ATOMIC_RELEASE);
	/* workers asleep on an empty ring: the input may have ended */
	for (unsigned k = 0; k < r->nrings; k++)
		park_wake(&r->ring_ev[k]->filled);
	return 0;
}
