/* SPDX-License-Identifier: MIT */
/* stats.log, as Suricata's stats output (log-stats.c) writes it: a dated
 * block per interval, one "counter | TM Name | value" line per counter
 * (totals: TM Name "Total"), with deltas a fourth column. */
#ifndef IDS_STATS_LOG_H
#define IDS_STATS_LOG_H

#include <stdint.h>
#include <stdio.h>

/* One block. prev_names/prev_values (NULL: none) are the previous
 * block's counters, for the Delta column (deltas only). 0 or -errno. */
int stats_log_write(FILE *f, uint64_t ts_us, uint64_t uptime_s, const char *const *names,
		    const uint64_t *values, unsigned n, const char *const *prev_names,
		    const uint64_t *prev_values, unsigned nprev, int deltas);

#endif
