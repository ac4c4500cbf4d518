/* SPDX-License-Identifier: MIT */
#include "stats_log.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#define RULE "------------------------------------------------------------------------------------\n"

static uint64_t previous(const char *name, const char *const *names, const uint64_t *values,
			 unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return values[i];
	return 0;
}

int stats_log_write(FILE *f, uint64_t ts_us, uint64_t uptime_s, const char *const *names,
		    const uint64_t *values, unsigned n, const char *const *prev_names,
		    const uint64_t *prev_values, unsigned nprev, int deltas)
{
	time_t t = (time_t)(ts_us / 1000000u);
	struct tm tm;

	localtime_r(&t, &tm);
	fprintf(f, RULE "Date: %d/%d/%04d -- %02d:%02d:%02d (uptime: %" PRIu64 "d, %02" PRIu64
		"h %02" PRIu64 "m %02" PRIu64 "s)\n" RULE,
		tm.tm_mon + 1, tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		uptime_s / 86400, uptime_s / 3600 % 24, uptime_s / 60 % 60, uptime_s % 60);
	fprintf(f, deltas ? "Counter                                       | TM Name                   "
			    "| Value                | Delta\n" RULE
			  : "Counter                                       | TM Name                   "
			    "| Value\n" RULE);
	for (unsigned i = 0; i < n; i++) {
		if (deltas)
			fprintf(f, "%-45s | %-25s | %-20" PRIu64 " | %" PRId64 "\n", names[i], "Total",
				values[i], (int64_t)(values[i] - previous(names[i], prev_names,
									  prev_values, nprev)));
		else
			fprintf(f, "%-45s | %-25s | %" PRIu64 "\n", names[i], "Total", values[i]);
	}
	if (fflush(f) != 0 || ferror(f))
		return -EIO;
	return 0;
}
