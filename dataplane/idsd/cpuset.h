/* SPDX-License-Identifier: MIT */
/* CPU lists as Suricata's threading.cpu-affinity writes them: numbers,
 * "a-b" ranges and "all", checked against the CPUs this process may use. */
#ifndef IDS_CPUSET_H
#define IDS_CPUSET_H

#include <stddef.h>

#define CPUSET_MAX 256

struct cpu_list {
	unsigned n;
	int cpu[CPUSET_MAX];
};

/* Add the CPUs item names ("3", "2-5", "all") to l, in order, skipping
 * duplicates. A CPU outside the process affinity mask is an error. Returns 0,
 * or -EINVAL with err naming the item and the reason. */
int cpu_list_add(struct cpu_list *l, const char *item, char *err, size_t errlen);

#endif
