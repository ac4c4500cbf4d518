/* SPDX-License-Identifier: MIT */
/* NIC ports and vdevs: configuration, queues, mempools, start and stop. */
#ifndef IDS_PORT_H
#define IDS_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rte_mempool;
struct rte_mbuf;

enum copy_mode { COPY_NONE = 0, COPY_TAP, COPY_IPS };

/* What the config asks for one port (dpdk.interfaces[i]). */
struct port_settings {
	char name[128];          /* PCI address or vdev name ("net_pcap0") */
	uint16_t threads;        /* RX queues = workers for this port */
	enum copy_mode copy_mode;
	char copy_iface[128];    /* peer port for tap/ips */
	bool promisc;
	uint16_t mtu;            /* 0: leave the device's */
	uint16_t rx_desc, tx_desc;
	uint32_t mempool_size;   /* mbufs; 0: sized from queues and descriptors */
	uint32_t mempool_cache;
	int8_t csum_check;       /* (added) checksum-checks: 1, 0, -1 not set (the run's) */
};

/* A started port. */
struct port {
	struct port_settings set;
	uint16_t port_id;
	uint16_t nb_rxq, nb_txq;
	int socket;                   /* NUMA node of the device, -1 unknown */
	struct rte_mempool *pool;
	bool rx_timestamp;            /* the device stamps packets (pcap files) */
	int ts_offset;                /* mbuf dynfield offset of the timestamp, when rx_timestamp */
	uint64_t ts_flag;             /* ol_flags bit saying the timestamp is set */
	uint16_t peer;                /* index into the port array of copy_iface, for tap/ips */
	uint8_t link;                 /* (added) enum pkt_link of its frames: a capture
				       * file's link type, Ethernet (0) otherwise */
	struct port_capture_rx *capture;  /* (added) a capture file's, else NULL */
	uint32_t pool_extra;          /* (added) mbufs its frames may also wait in outside its
				       * queues (autofp rings): the automatic pool holds them too */
};

/* (added) A capture file: the frames libpcap reads cleanly. net_pcap goes
 * on reading after a record libpcap refused (longer than the snapshot
 * length allows), taking that record's body for further records; those
 * are not the capture's frames. One thread reads such a port. */
struct port_capture_rx {
	uint64_t limit, seen;
	uint64_t beyond;          /* frames read past the limit: freed, counted */
	uint64_t shrank;          /* frames of the limit the file no longer held when
				   * read (cut short meanwhile): set at its end */
};

/* rte_eth_rx_burst on queue q of p, with a capture file's limit applied:
 * frames past it are freed and counted. Returns the frames kept. */
uint16_t port_rx_burst(const struct port *p, uint16_t q, struct rte_mbuf **pkts, uint16_t n);

/* (added) p is a capture file whose frames were all delivered: its input
 * has ended. net_pcap has no end-of-file signal, and the main lcore's
 * (input_done) comes up to a poll interval later, which its reader would
 * spend polling. false for a live port, and for a capture the PMD dropped
 * frames of (input_done then). */
static inline bool port_capture_done(const struct port *p)
{
	return p->capture != NULL && p->capture->seen >= p->capture->limit;
}

/* Configure and start ports[0..n). nb_txq[i] is the TX queues port i needs
 * (one per worker that forwards into it). Errors are printed naming the
 * port; returns 0 or -errno. */
int ports_start(struct port *ports, unsigned n, const uint16_t *nb_txq);

/* Stop and close every started port. */
void ports_stop(struct port *ports, unsigned n);

/* The symmetric Toeplitz key the ports program for RSS (40 bytes), so
 * tests can check that both directions of a flow pick the same queue. A
 * port with several RX queues also gets the redirection table entry j ->
 * queue j % nb_rxq, whatever its driver's default: the two ports of a pair
 * then put both directions of a flow on the same queue index (for RETA
 * sizes that nb_rxq divides, or the same on both ports). */
const uint8_t *port_rss_key(size_t *len);

/* The packet fields RSS hashes, of those the NIC offers (its
 * flow_type_rss_offloads): the IP addresses only, as Suricata's DPDK
 * capture does by default (rss-hash-functions: auto). A NIC hashes a
 * fragment on its addresses alone (it has no ports, or its first part
 * comes without them on some NICs), so with ports in the hash of whole
 * packets a datagram's fragments would reach another worker than its
 * flow's other packets, and on those NICs its first fragment another
 * worker than the rest, whose per-worker defrag never sees it whole.
 * Only a NIC that hashes no address-only type gets the ports. */
uint64_t port_rss_hf(uint64_t offloads);

/* Index of the port named name, -1 if none. */
int ports_find(const struct port *ports, unsigned n, const char *name);

/* Whether a and b are an inline pair: two distinct ports, each forwarding
 * (tap or ips) into the other (b is a's copy-iface and a is b's). In
 * runmode workers one worker takes queue k of both ports of a pair. */
bool port_settings_paired(const struct port_settings *a, const struct port_settings *b);

#endif
