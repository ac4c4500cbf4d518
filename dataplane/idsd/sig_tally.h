/* SPDX-License-Identifier: MIT */
/* Alerts by signature over the whole run: a reload retires a generation
 * and its per-worker counts with it, so they are folded in here first,
 * keyed by gid:sid:rev (a rule that comes back unchanged keeps counting in
 * the same row; a new revision is a row of its own, as it is a different
 * signature). Control plane only: the reloader and the exit summary. */
#ifndef IDS_SIG_TALLY_H
#define IDS_SIG_TALLY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ruleset;
struct detect_gen;

struct sig_tally_row {
	uint32_t gid, sid, rev;
	uint64_t n;
	char *msg;               /* owned: the rules it came from are freed */
};

struct sig_tally {
	struct sig_tally_row *rows;   /* sorted by gid, sid, rev */
	size_t n;
};

/* Add every worker's alert counts of g, whose rules are rs (the set g was
 * built from), to t. 0 or -ENOMEM (t unchanged). */
int sig_tally_add_gen(struct sig_tally *t, const struct ruleset *rs, const struct detect_gen *g);
/* "  alerts by signature:" and one line per signature, most alerts first
 * (equal counts by sid); nothing when no rule alerted. */
void sig_tally_print(FILE *out, const struct sig_tally *t);
void sig_tally_free(struct sig_tally *t);

#endif
