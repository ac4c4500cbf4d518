/* SPDX-License-Identifier: MIT */
/* The hot half of per-rule profiling (detect_profile.h): what the
 * verification loops call for a check while their thread counts. */
#ifndef IDS_DETECT_PROFILE_INT_H
#define IDS_DETECT_PROFILE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <x86intrin.h>

/* One rule's figures in one thread; written by that thread only. */
struct rule_prof {
	uint64_t checks, matches, ticks, ticks_match, ticks_max;
};

/* The TSC: the ticks Suricata's rule profiling counts. */
static inline uint64_t detect_profile_tsc(void)
{
	return __rdtsc();
}

/* A check of the rule of rank that began at TSC t0 ended with matched:
 * count it, and return matched (for the caller's test). */
static inline bool detect_profile_count(struct rule_prof *prof, uint32_t rank, uint64_t t0,
					bool matched)
{
	struct rule_prof *p = &prof[rank];
	uint64_t t = detect_profile_tsc() - t0;

	p->checks++;
	p->ticks += t;
	if (matched) {
		p->matches++;
		p->ticks_match += t;
	}
	if (t > p->ticks_max)
		p->ticks_max = t;
	return matched;
}

#endif
