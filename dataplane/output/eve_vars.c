/* SPDX-License-Identifier: MIT */
/* The top-level "metadata" of EVE records as Suricata 7's EveAddMetadata
 * writes it for pcre captures: {"flowvars": [{"name": "value"}, ...],
 * "pktvars": [...]} after the header's pkt_src, with eve-log's metadata on
 * (its default). Suricata lists the flow's flowbits and flowints there too;
 * idsd writes the object only for captured variables, so a record without
 * them is as before. */
#include "../flow/flow-t.h"
#include "eve-int.h"

void eve_writer_set_pktvars(struct eve_writer *w, const struct detect_pktvar *pv, uint32_t n)
{
	for (; w != NULL; w = w->next) {
		w->pktvars = pv;
		w->npktvars = n;
	}
}

void eve_put_vars(struct json_w *j, const struct eve_writer *w, const struct flow *f)
{
	const struct detect_flow_vars *fv = f != NULL ? f->det.vars : NULL;
	bool flow = fv != NULL && fv->n > 0, pkt = w->npktvars > 0;

	if (!w->opt.metadata || (!flow && !pkt))
		return;
	json_obj_open(j, "metadata");
	if (flow) {
		json_arr_open(j, "flowvars");
		for (uint32_t i = 0; i < fv->n; i++) {
			json_obj_open(j, NULL);
			json_printable_crlf(j, fv->v[i].name, fv->v[i].value, fv->v[i].len);
			json_obj_close(j);
		}
		json_arr_close(j);
	}
	if (pkt) {
		json_arr_open(j, "pktvars");
		for (uint32_t i = 0; i < w->npktvars; i++) {
			json_obj_open(j, NULL);
			json_printable_crlf(j, w->pktvars[i].name, w->pktvars[i].value,
					    w->pktvars[i].len);
			json_obj_close(j);
		}
		json_arr_close(j);
	}
	json_obj_close(j);
}
