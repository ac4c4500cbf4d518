/* SPDX-License-Identifier: MIT */
/* Work done before the measured runs: the payloads for (d) and the memory
 * one flow costs. */
#ifndef IDS_BENCH_PREP_H
#define IDS_BENCH_PREP_H

#include "bench_run.h"
#include "traffic.h"

/* Decode every frame of t once and note its payload (t must outlive pay).
 * 0 or -ENOMEM. */
int bench_payloads_build(const struct traffic *t, struct bench_payloads *pay);
void bench_payloads_free(struct bench_payloads *pay);

/* Resident bytes per flow: a flow table is filled with new TCP flows until
 * it evicts, and the growth of the process divided by the flows it held.
 * Returns 0 when it cannot be measured. */
double bench_mem_per_flow(void);

#endif
