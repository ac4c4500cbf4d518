/* SPDX-License-Identifier: MIT */
/* autofp runmode: a receiver lcore polls one RX queue and hands each frame
 * to the worker that owns its flow, by the flow module's symmetric hash, so
 * both directions of a flow reach the same worker without RSS. */
#ifndef IDS_RECEIVER_H
#define IDS_RECEIVER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "../decode/decode.h"
#include "../port/port.h"
#include "worker.h"

struct rte_ring;
struct seq_gate;

#define RECEIVER_MAX_RINGS 128

/* The ring each recent IP datagram's fragments go to (RECEIVER_FRAG_SLOTS
 * of them, direct-mapped by addresses, protocol and IP id): a first
 * fragment carries the ports and goes by its flow, the later ones carry
 * none and must follow it to the worker that reassembles the datagram. */
#define RECEIVER_FRAG_SLOTS 1024u
struct receiver_frag {
	union ip_addr src, dst;
	uint16_t id;
	uint8_t proto;
	uint8_t ip_ver;              /* 0: empty */
	uint8_t guessed;             /* set by a later fragment that came first */
	uint8_t ring;
};

struct receiver {
	const struct port *port;
	uint16_t queue;
	bool lossless;               /* capture file: wait for ring space instead of dropping */
	unsigned nrings;
	struct rte_ring *rings[RECEIVER_MAX_RINGS];   /* one per worker */
	struct ring_ev *ring_ev[RECEIVER_MAX_RINGS];  /* their waits (worker.h) */
	struct worker_control *ctl;
	struct decode_opts decode;
	uint8_t *linear;             /* WORKER_LINEAR_MAX bytes: an mbuf chain, read whole to hash */
	struct receiver_frag *frags; /* RECEIVER_FRAG_SLOTS: where fragments go */
	unsigned lcore_id;
	/* a file over several workers: frames numbered in reading order in
	 * the mbuf field at seq_off, each one's queue told to the gate */
	struct seq_gate *gate;
	int seq_off;
	uint64_t seq;

	uint64_t rx_pkts;
	uint64_t ring_full;          /* frames dropped: the worker's ring was full */
	uint64_t ring_waits;         /* lossless: a full ring waited for (asleep: ring_parks) */
	uint64_t ring_parks;
	uint64_t heartbeat;
} __rte_cache_aligned;

/* Ring index for a frame: flow_hash_packet() of its decoded headers (a
 * tunnel's innermost packet) modulo nrings; frames without IP (or
 * undecodable) go to ring 0. */
unsigned receiver_pick(const struct decode_opts *o, const uint8_t *data, uint32_t len,
		       unsigned nrings);
/* (added) The same for a frame of link layer link (enum pkt_link). */
unsigned receiver_pick_link(const struct decode_opts *o, uint8_t link, const uint8_t *data,
			    uint32_t len, unsigned nrings);

/* (added) As receiver_pick_link, but an IP fragment (of the innermost
 * packet) goes where its datagram's other fragments go, remembered in frags
 * (RECEIVER_FRAG_SLOTS entries, zeroed at first): a first fragment by its
 * flow, as the datagram once reassembled; a later one after its first; one
 * that comes before its first by the address pair, and the rest of its
 * datagram, the first included, after it. Two datagrams in flight in one
 * slot: the later takes it (the earlier's remaining fragments may then be
 * sent elsewhere and not reassembled). */
unsigned receiver_pick_frags(struct receiver_frag *frags, const struct decode_opts *o,
			     uint8_t link, const uint8_t *data, uint32_t len, unsigned nrings);

/* The mbuf field a frame's number travels in (registered once): its
 * offset, or -errno. */
int receiver_seq_field(void);

/* lcore entry point; arg is the struct receiver. Ends on quit, or after the
 * capture is consumed (input_done), then decrements ctl->receivers_left. */
int receiver_main(void *arg);

#endif
