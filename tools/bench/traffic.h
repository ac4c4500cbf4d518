/* SPDX-License-Identifier: MIT */
/* The benchmark's traffic: frames held in memory, loaded from captures and
 * made by synthetic generators, in the order they were added. */
#ifndef IDS_BENCH_TRAFFIC_H
#define IDS_BENCH_TRAFFIC_H

#include <stddef.h>
#include <stdint.h>

/* Frames longer than this are cut to it (the mbuf data room); wire_len keeps
 * the original length. */
#define TRAFFIC_SNAPLEN 2048u

struct frame {
	uint32_t off;          /* into traffic.buf */
	uint32_t len;          /* captured */
	uint32_t wire_len;
	uint64_t ts_us;
};

struct traffic {
	uint8_t *buf;
	size_t used, cap;
	struct frame *f;
	uint32_t n, fcap;
	uint64_t wire_bytes;
	uint64_t flows_hint;       /* flows the generators made (sizes the flow table) */
	uint32_t files, files_skipped, truncated;
};

/* Append every Ethernet frame of a capture, or of every capture under a
 * directory (recursively; other link types are skipped and counted).
 * Returns 0 or -errno with err filled. */
int traffic_load(struct traffic *t, const char *path, char *err, size_t errlen);

/* Append a synthetic kind: "64" (60-byte UDP frames, 64 on the wire with the
 * FCS), "imix" (7:4:1 of 64/594/1518-byte frames), "http" (complete HTTP/1.1
 * flows: handshake, GET, a response of three segments, close), "stress" (one
 * SYN per flow). count: frames for 64/imix, flows for http/stress (0: the
 * kind's default). Returns 0 or -errno with err filled. */
int traffic_generate(struct traffic *t, const char *kind, uint64_t count,
		     char *err, size_t errlen);

/* Write the frames to a pcap file for net_pcap. 0 or -errno. */
int traffic_write_pcap(const struct traffic *t, const char *path, char *err, size_t errlen);

static inline const uint8_t *traffic_data(const struct traffic *t, uint32_t i)
{
	return t->buf + t->f[i].off;
}

void traffic_free(struct traffic *t);

#endif
