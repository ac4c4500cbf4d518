/* SPDX-License-Identifier: MIT */
/* Shared by the frame store and the generators. */
#ifndef IDS_BENCH_TRAFFIC_INT_H
#define IDS_BENCH_TRAFFIC_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "traffic.h"

/* Append one frame (copied). 0 or -ENOMEM / -E2BIG. */
int traffic_add(struct traffic *t, const uint8_t *data, uint32_t len, uint32_t wire_len,
		uint64_t ts_us);

#endif
