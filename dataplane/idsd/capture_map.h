/* SPDX-License-Identifier: MIT */
/* Capture files read from a mapping (capture_map.c, which interposes
 * libpcap's open and read for net_pcap). */
#ifndef IDS_IDSD_CAPTURE_MAP_H
#define IDS_IDSD_CAPTURE_MAP_H

#include <stddef.h>

/* From the workers' control thread, between its other duties: maps the
 * pages of each open mapped capture ahead of its reader's cursor, a few
 * MiB per call, so that the reader does not fault them in. Returns the
 * bytes mapped by this call. */
size_t capture_map_back_ahead(void);

#endif
