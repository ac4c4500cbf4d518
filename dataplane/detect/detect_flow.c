/* SPDX-License-Identifier: MIT */
/* Detection's per-flow state: allocated the first time a flow needs it, so
 * flows that never carry a stream candidate cost a pointer. */
#include <stdlib.h>

#include "../flow/flow-t.h"
#include "detect-int.h"

struct detect_flow *detect_flow_get(struct flow *f)
{
	if (f->det == NULL)
		f->det = calloc(1, sizeof(*f->det));
	return f->det;
}

void detect_flow_free(struct detect_flow *df)
{
	if (df == NULL)
		return;
	free(df->hdr[0].ranks);
	free(df->hdr[1].ranks);
	free(df);
}

bool detect_flow_header_rules(struct detect_thread *dt, struct flow *f, const struct packet *p,
			      const uint32_t *al, uint32_t nal, const uint32_t **out, uint32_t *n)
{
	struct detect_flow *df = detect_flow_get(f);
	struct detect_flow_hdr *h;
	uint32_t k = 0;

	if (df == NULL)
		return false;
	h = &df->hdr[p->dir];
	if (h->de == dt->de)
		goto done;
	free(h->ranks);
	*h = (struct detect_flow_hdr){ 0 };
	if (nal > 0 && (h->ranks = malloc(nal * sizeof(*h->ranks))) == NULL)
		return false;
	for (uint32_t i = 0; i < nal; i++)
		if (detect_match_addr_ports(&dt->de->rules[al[i]], p))
			h->ranks[k++] = al[i];
	h->n = k;
	h->de = dt->de;
done:
	*out = h->ranks;
	*n = h->n;
	return true;
}
