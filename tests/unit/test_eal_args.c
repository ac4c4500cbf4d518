/* SPDX-License-Identifier: MIT */
/* Unit tests for dataplane/idsd/eal_args.c's lcore placement: one CPU per
 * lcore while there are enough, every lcore free over the allowed CPUs when
 * there are not (a capture's reader and two workers on two vCPUs), and
 * threading.cpu-affinity's worker set kept as given. The test pins itself
 * to CPUs it may run on, as taskset would. */
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dataplane/idsd/eal_args.h"

/* The --lcores argument built for nworkers lcores, "" if none. */
static const char *lcores(const struct settings *s, unsigned nworkers)
{
	static char out[1024];
	struct eal_args ea;
	char err[256];

	out[0] = '\0';
	if (eal_args_build(&ea, s, nworkers, 0, NULL, 0, err, sizeof(err)) != 0)
		return out;
	for (int i = 0; i < ea.argc; i++)
		if (strncmp(ea.argv[i], "--lcores=", 9) == 0)
			snprintf(out, sizeof(out), "%s", ea.argv[i] + 9);
	eal_args_free(&ea);
	return out;
}

static void pin(const int *cpus, unsigned n)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (unsigned i = 0; i < n; i++)
		CPU_SET(cpus[i], &set);
	CHECK_INT(0, sched_setaffinity(0, sizeof(set), &set));
}

int main(void)
{
	static struct settings s;
	cpu_set_t mine;
	int cpus[CPU_SETSIZE];
	unsigned n = 0;
	char want[256];

	CHECK_INT(0, sched_getaffinity(0, sizeof(mine), &mine));
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &mine))
			cpus[n++] = c;
	CHECK(n >= 1);

	/* one CPU: everything on it, the extra lcores free over it */
	pin(cpus, 1);
	snprintf(want, sizeof(want), "0@%d,1@%d", cpus[0], cpus[0]);
	CHECK_STR(want, lcores(&s, 1));
	snprintf(want, sizeof(want), "0@%d,(1-3)@(%d)", cpus[0], cpus[0]);
	CHECK_STR(want, lcores(&s, 3));

	if (n >= 2) {
		/* two CPUs: one worker on the second; a reader and two
		 * workers free over both (the main lcore's included) */
		pin(cpus, 2);
		snprintf(want, sizeof(want), "0@%d,1@%d", cpus[0], cpus[1]);
		CHECK_STR(want, lcores(&s, 1));
		if (cpus[1] == cpus[0] + 1)
			snprintf(want, sizeof(want), "0@%d,(1-3)@(%d-%d)", cpus[0], cpus[0],
				 cpus[1]);
		else
			snprintf(want, sizeof(want), "0@%d,(1-3)@(%d,%d)", cpus[0], cpus[0],
				 cpus[1]);
		CHECK_STR(want, lcores(&s, 3));
		/* threading.cpu-affinity's worker set: pinned round it, as asked */
		s.worker_cpus.n = 1;
		s.worker_cpus.cpu[0] = cpus[1];
		snprintf(want, sizeof(want), "0@%d,1@%d,2@%d,3@%d", cpus[0], cpus[1], cpus[1],
			 cpus[1]);
		CHECK_STR(want, lcores(&s, 3));
		s.worker_cpus.n = 0;
	}
	pin(cpus, n);
	return check_result("eal_args");
}
