/* SPDX-License-Identifier: MIT */
#include "cpuset.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_cpu(struct cpu_list *l, const cpu_set_t *allowed, long c, const char *item,
		   char *err, size_t errlen)
{
	if (c < 0 || c >= CPU_SETSIZE || !CPU_ISSET((int)c, allowed)) {
		snprintf(err, errlen, "cpu %ld (from '%s') is not available to this process", c,
			 item);
		return -EINVAL;
	}
	for (unsigned i = 0; i < l->n; i++)
		if (l->cpu[i] == c)
			return 0;
	if (l->n == CPUSET_MAX) {
		snprintf(err, errlen, "more than %d cpus", CPUSET_MAX);
		return -EINVAL;
	}
	l->cpu[l->n++] = (int)c;
	return 0;
}

int cpu_list_add(struct cpu_list *l, const char *item, char *err, size_t errlen)
{
	cpu_set_t allowed;
	char *end;
	long lo, hi;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
		snprintf(err, errlen, "cannot read the process affinity: %s", strerror(errno));
		return -errno;
	}
	if (strcmp(item, "all") == 0) {
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &allowed) && add_cpu(l, &allowed, c, item, err, errlen) != 0)
				return -EINVAL;
		return 0;
	}
	errno = 0;
	lo = strtol(item, &end, 10);
	hi = lo;
	if (end != item && *end == '-') {
		const char *h = end + 1;

		hi = strtol(h, &end, 10);
		if (end == h)
			goto bad;
	}
	if (end == item || *end != '\0' || errno != 0 || hi < lo)
		goto bad;
	for (long c = lo; c <= hi; c++)
		if (add_cpu(l, &allowed, c, item, err, errlen) != 0)
			return -EINVAL;
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not a cpu, a range a-b or \"all\"", item);
	return -EINVAL;
}
