/* SPDX-License-Identifier: MIT */
/* The measured runs: worker lcores pull the same packets from net_pcap
 * (infinite_rx) or scan their payloads with Hyperscan, after a warm-up, for a
 * duration or a packet count. */
#ifndef IDS_BENCH_RUN_H
#define IDS_BENCH_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "dataplane/pipeline/pipeline.h"

enum bench_mode {
	BENCH_RX,       /* (a) receive and free */
	BENCH_DECODE,   /* (b) receive, decode, flow */
	BENCH_FULL,     /* (c) receive and the whole pipeline with the rules */
	BENCH_HS,       /* (d) Hyperscan alone on the same payloads: the ceiling */
	BENCH_MODE_MAX
};

/* One payload per frame of the traffic, in order (len 0: nothing to scan). */
struct bench_payloads {
	const uint8_t **data;
	uint32_t *len;
	uint32_t *wire_len;
	uint32_t n;
	uint64_t payload_bytes;
};

struct bench_opts {
	unsigned workers;
	double seconds;           /* measured time per mode, when packets == 0 */
	double warmup;            /* seconds before measuring */
	uint64_t packets;         /* per worker; 0: run for seconds */
	bool progress;
};

struct bench_figures {
	uint64_t pkts, bytes;     /* summed over workers */
	uint64_t cycles;          /* summed TSC cycles of the workers while measuring */
	double seconds;           /* mean measured time per worker */
	double pps, bps;          /* per worker core */
	double cycles_per_pkt;
	/* (b) and (c) */
	uint64_t flows, evicted, alerts;
};

/* EAL and one net_pcap port per worker over pcap (infinite_rx). mem_mb: EAL
 * memory; npkts and max_len (longest frame) size the mempools. 0 or -errno,
 * err filled. */
int bench_eal_setup(const struct bench_opts *o, const char *pcap, uint32_t npkts,
		    uint32_t max_len, unsigned mem_mb, char *err, size_t errlen);

/* EAL memory (MiB) the mempools need for npkts frames of up to max_len bytes. */
unsigned bench_eal_mem_mb(const struct bench_opts *o, uint32_t npkts, uint32_t max_len);
void bench_eal_teardown(void);

/* Run one mode on every worker. pcfg: pipeline configuration for (b)/(c)
 * (its de is set by the caller), pl NULL for (a); payloads and db for (d). */
int bench_run(enum bench_mode mode, const struct bench_opts *o,
	      const struct pipeline_config *pcfg, const struct bench_payloads *pay,
	      const void *hs_db, struct bench_figures *out, char *err, size_t errlen);

const char *bench_mode_name(enum bench_mode m);

#endif
