/* SPDX-License-Identifier: MIT */
#include "eal_args.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EAL_ARGS_MAX 128

/* Append fmt formatted with the one string v. */
static int add(struct eal_args *ea, const char *fmt, const char *v)
{
	if (ea->argc >= EAL_ARGS_MAX - 1)
		return -E2BIG;
	if (asprintf(&ea->argv[ea->argc], fmt, v) < 0)
		return -ENOMEM;
	ea->argc++;
	return 0;
}

static bool given(const struct eal_args *ea, int user_argc, char **user_argv, const char *opt)
{
	size_t len = strlen(opt);

	for (int i = 0; i < ea->argc; i++)
		if (strncmp(ea->argv[i], opt, len) == 0)
			return true;
	for (int i = 0; i < user_argc; i++)
		if (strncmp(user_argv[i], opt, len) == 0)
			return true;
	return false;
}

/* cpus[0..n) (ascending) as DPDK's cpuset: "0-3,6". */
static int cpuset_arg(char *out, size_t len, const int *cpus, unsigned n)
{
	size_t off = 0;

	for (unsigned i = 0; i < n;) {
		unsigned j = i;
		int w;

		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		w = j == i ? snprintf(out + off, len - off, "%s%d", i ? "," : "", cpus[i]) :
			     snprintf(out + off, len - off, "%s%d-%d", i ? "," : "", cpus[i], cpus[j]);
		if (w < 0 || (size_t)w >= len - off)
			return -E2BIG;
		off += (size_t)w;
		i = j + 1;
	}
	return 0;
}

/* "--lcores 0@c0,1@c1,...": the main lcore and one per worker. With
 * threading.cpu-affinity, the main lcore takes the management set's first CPU
 * and workers go round the worker set; otherwise they spread over the CPUs
 * this process may run on, one each after the main lcore's. With more lcores
 * than those CPUs (a capture file's reader and two workers on two vCPUs),
 * each lcore may run on any of them, the main lcore's included (it mostly
 * sleeps): pinned, two lcores would take turns on one CPU while another
 * idles; free, the kernel balances them, and they sleep while they wait
 * (hoststate/park.h). */
static int lcores_arg(char *out, size_t len, const struct settings *s, unsigned nworkers)
{
	cpu_set_t set;
	int cpus[CPU_SETSIZE];
	const int *wcpu;
	unsigned ncpu = 0, nw;
	int main_cpu;
	size_t off = 0;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return -errno;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			cpus[ncpu++] = c;
	if (ncpu == 0)
		return -ENODEV;
	main_cpu = s->mgmt_cpus.n ? s->mgmt_cpus.cpu[0] : cpus[0];
	if (s->worker_cpus.n > 0) {
		wcpu = s->worker_cpus.cpu;
		nw = s->worker_cpus.n;
	} else {
		/* Workers take the CPUs after the main lcore's first. */
		wcpu = ncpu == 1 ? cpus : cpus + 1;
		nw = ncpu == 1 ? 1 : ncpu - 1;
	}
	if (s->worker_cpus.n == 0 && nworkers > nw) {
		char set[512];
		int n, ret = cpuset_arg(set, sizeof(set), cpus, ncpu);

		if (ret != 0)
			return ret;
		n = snprintf(out, len, "0@%d,(1-%u)@(%s)", main_cpu, nworkers, set);
		return n < 0 || (size_t)n >= len ? -E2BIG : 0;
	}
	for (unsigned l = 0; l <= nworkers; l++) {
		int cpu = l == 0 ? main_cpu : wcpu[(l - 1) % nw];
		int n = snprintf(out + off, len - off, "%s%u@%d", l ? "," : "", l, cpu);

		if (n < 0 || (size_t)n >= len - off)
			return -E2BIG;
		off += (size_t)n;
	}
	return 0;
}

bool eal_args_given(const struct eal_args *ea, const char *opt)
{
	return given(ea, 0, NULL, opt);
}

int eal_args_build(struct eal_args *ea, const struct settings *s, unsigned nworkers,
		   int user_argc, char **user_argv, int verbose, char *err, size_t errlen)
{
	char buf[1024];
	int ret;

	ea->argc = 0;
	ea->argv = calloc(EAL_ARGS_MAX, sizeof(char *));
	if (ea->argv == NULL)
		return -ENOMEM;
	ret = add(ea, "%s", "idsd");
	for (unsigned i = 0; ret == 0 && i < s->neal_params; i++)
		ret = add(ea, "%s", s->eal_params[i]);
	if (ret == 0 && s->pcap != NULL) {
		if (strchr(s->pcap, ',') != NULL) {
			snprintf(err, errlen, "%s: a capture path may not contain ',' (DPDK device "
				 "arguments are comma-separated)", s->pcap);
			return -EINVAL;
		}
		ret = add(ea, "--vdev=net_pcap0,rx_pcap=%s", s->pcap);
		if (ret == 0 && !given(ea, user_argc, user_argv, "--no-huge") &&
		    !given(ea, user_argc, user_argv, "--huge"))
			ret = add(ea, "%s", "--no-huge");
		if (ret == 0 && !given(ea, user_argc, user_argv, "--no-pci"))
			ret = add(ea, "%s", "--no-pci");
		if (ret == 0 && !given(ea, user_argc, user_argv, "--no-shconf"))
			ret = add(ea, "%s", "--no-shconf");
		/* Reading a file needs no telemetry socket, and runs side by side
		 * with other instances (tests) without fighting over one. */
		if (ret == 0 && !given(ea, user_argc, user_argv, "--no-telemetry") &&
		    !given(ea, user_argc, user_argv, "--telemetry"))
			ret = add(ea, "%s", "--no-telemetry");
		if (ret == 0 && !given(ea, user_argc, user_argv, "-m") &&
		    !given(ea, user_argc, user_argv, "--socket-mem"))
			ret = add(ea, "%s", "-m512");
		if (ret == 0 && !given(ea, user_argc, user_argv, "--file-prefix")) {
			char prefix[32];

			snprintf(prefix, sizeof(prefix), "idsd-%d", (int)getpid());
			ret = add(ea, "--file-prefix=%s", prefix);
		}
	}
	if (ret == 0 && !given(ea, user_argc, user_argv, "-l") &&
	    !given(ea, user_argc, user_argv, "--lcores") &&
	    !given(ea, user_argc, user_argv, "-c")) {
		ret = lcores_arg(buf, sizeof(buf), s, nworkers);
		if (ret == 0)
			ret = add(ea, "--lcores=%s", buf);
	}
	if (ret == 0 && !given(ea, user_argc, user_argv, "--log-level"))
		ret = add(ea, "--log-level=%s", verbose > 1 ? "8" : verbose ? "7" : "5");
	for (int i = 0; ret == 0 && i < user_argc; i++)
		ret = add(ea, "%s", user_argv[i]);
	if (ret != 0)
		snprintf(err, errlen, "cannot build the EAL arguments: %s", strerror(-ret));
	return ret;
}

void eal_args_free(struct eal_args *ea)
{
	for (int i = 0; i < ea->argc; i++)
		free(ea->argv[i]);
	free(ea->argv);
	ea->argv = NULL;
	ea->argc = 0;
}
