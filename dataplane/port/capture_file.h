/* SPDX-License-Identifier: MIT */
/* Capture files (-r): checked and counted before DPDK's net_pcap reads them,
 * because net_pcap hands every frame over as Ethernet and never says when
 * the file has ended. */
#ifndef IDS_CAPTURE_FILE_H
#define IDS_CAPTURE_FILE_H

#include <stddef.h>
#include <stdint.h>

struct capture_info {
	uint64_t packets;      /* frames libpcap can read, the count net_pcap will deliver */
	uint64_t bytes;
	int linktype;          /* DLT_* */
	char stopped[256];     /* why libpcap stopped before the end, "" if it did not */
};

/* Open path (pcap or pcapng), check that the link type is Ethernet and count
 * its frames. Returns 0, or -EINVAL/-ENOENT with err naming the file and the
 * reason (unreadable, not a capture, link type not Ethernet). */
int capture_file_scan(const char *path, struct capture_info *ci, char *err, size_t errlen);

#endif
