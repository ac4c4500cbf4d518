/* SPDX-License-Identifier: MIT */
/* Capture files read from a mapping (capture_map.c, which interposes
 * libpcap's open and read for net_pcap). */
#ifndef IDS_IDSD_CAPTURE_MAP_H
#define IDS_IDSD_CAPTURE_MAP_H

#include <stdbool.h>
#include <stddef.h>

/* From the workers' control thread, between its other duties: maps the
 * pages of each open mapped capture ahead of its reader's cursor, a few
 * MiB per call, so that the reader does not fault them in. Returns the
 * bytes mapped by this call. */
size_t capture_map_back_ahead(void);

/* How an open capture's reading ended. */
struct capture_map_end {
	size_t mapped;		/* the file's size when opened (0: read, not mapped) */
	size_t cut;		/* its size when found cut, when shrank */
	bool shrank;		/* the file was cut short while it was read */
	bool partial;		/* the last record read ran past the cut (zeros) */
};

/* Whether the reader of a capture open through this file (mapped or read)
 * has had the end of its file, filling e: nothing more will come from it.
 * net_pcap says nothing when its file ends, and a file cut short while
 * read ends before the frames counted beforehand. false while reading. */
bool capture_map_ended(struct capture_map_end *e);

#endif
