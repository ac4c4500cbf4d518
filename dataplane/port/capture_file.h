/* SPDX-License-Identifier: MIT */
/* Capture files (-r): checked and counted before DPDK's net_pcap reads them,
 * because net_pcap hands every frame over without its link type (the port
 * carries it: struct port.link) and never says when the file has ended. */
#ifndef IDS_CAPTURE_FILE_H
#define IDS_CAPTURE_FILE_H

#include <stddef.h>
#include <stdint.h>

struct capture_info {
	uint64_t packets;      /* frames libpcap can read, the count net_pcap will deliver */
	uint64_t bytes;
	uint64_t last_us;      /* (added) the newest frame's time, as net_pcap stamps it */
	int linktype;          /* DLT_* */
	uint8_t link;          /* (added) enum pkt_link: how the decoder starts */
	char stopped[256];     /* why libpcap stopped before the end, "" if it did not */
};

/* Open path (pcap or pcapng), check that the decoder reads its link type
 * (Ethernet, Linux cooked, BSD loopback, PPP, raw IP) and count its frames.
 * Returns 0, or -EINVAL with err naming the file and the reason (unreadable,
 * not a capture, link type unsupported, pcapng interfaces of different link
 * types or snapshot lengths, which libpcap cannot read past). */
int capture_file_scan(const char *path, struct capture_info *ci, char *err, size_t errlen);

#endif
