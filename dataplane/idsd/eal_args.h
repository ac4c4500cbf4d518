/* SPDX-License-Identifier: MIT */
/* The argument vector handed to rte_eal_init(). */
#ifndef IDS_EAL_ARGS_H
#define IDS_EAL_ARGS_H

#include <stdbool.h>

#include "settings.h"

struct eal_args {
	int argc;
	char **argv;        /* argv[i] owned */
};

/* Build EAL arguments for nworkers worker lcores plus the main lcore:
 * dpdk.eal-params, then what a capture file needs (a net_pcap vdev,
 * --no-huge --no-pci --no-shconf), then the user's arguments after "--",
 * which take precedence. Returns 0 or -errno with err filled. */
int eal_args_build(struct eal_args *ea, const struct settings *s, unsigned nworkers,
		   int user_argc, char **user_argv, int verbose, char *err, size_t errlen);
/* Whether a built vector holds an argument starting with opt. */
bool eal_args_given(const struct eal_args *ea, const char *opt);
void eal_args_free(struct eal_args *ea);

#endif
