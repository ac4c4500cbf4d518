/* SPDX-License-Identifier: MIT */
/* The top-level "metadata" of EVE records as Suricata 7's EveAddMetadata
 * (output-json.c) writes it with eve-log's metadata on (its default), when
 * the flow holds a variable of any kind or the packet one:
 *   "traffic": {"id": [..], "label": [..]},   flowbits traffic/id/NAME and
 *                                              traffic/label/NAME, when set
 *   "metadata": {"flowbits": ["name", ..],     the others, in the order set
 *                "flowints": {"name": value},  in the order first set
 *                "flowvars": [{"name": "value"}, ..],
 *                "pktvars": [{"name": "value"}, ..]}
 * each member only when it has an entry, so a flow whose only bits are
 * traffic ones has "metadata": {} as in Suricata. Flows hold flowbit and
 * flowint ids; their names are the running rules' (eve_writer_set_names). */
#include <string.h>

#include "../../rules/rule-t.h"
#include "../flow/flow-t.h"
#include "eve-int.h"

#define TRAFFIC_ID    "traffic/id/"
#define TRAFFIC_LABEL "traffic/label/"

void eve_writer_set_pktvars(struct eve_writer *w, const struct detect_pktvar *pv, uint32_t n)
{
	for (; w != NULL; w = w->next) {
		w->pktvars = pv;
		w->npktvars = n;
	}
}

/* Rules change here, so the alert parts cached for the old ones go: the
 * new rules may come to live where those were. */
void eve_writer_set_names(struct eve_writer *w, const struct ruleset *rs)
{
	for (; w != NULL; w = w->next) {
		w->names = rs;
		eve_frag_cache_clear(w->frags);
	}
}

/* Name id of table t, NULL when unknown (as Suricata's VarNameStoreLookupById,
 * whose NULL leaves the variable out). */
static const char *name_of(const struct rule_var_names *t, uint32_t id)
{
	return id < t->n ? t->names[id] : NULL;
}

/* Whether name has prefix pre. */
static bool prefixed(const char *name, const char *pre)
{
	return strncmp(name, pre, strlen(pre)) == 0;
}

/* The flow's bits named with prefix pre as an array key of their names
 * without it (pre NULL: the bits of neither traffic prefix, whole); nothing
 * when there is none. */
static void put_bits(struct json_w *j, const char *key, const struct flow *f,
		     const struct rule_var_names *t, const char *pre)
{
	bool open = false;

	for (uint32_t i = 0; i < f->nbits; i++) {
		const char *name = name_of(t, f->bits[i]);

		if (name == NULL)
			continue;
		if (pre != NULL ? !prefixed(name, pre) :
		    (prefixed(name, TRAFFIC_ID) || prefixed(name, TRAFFIC_LABEL)))
			continue;
		if (!open) {
			json_arr_open(j, key);
			open = true;
		}
		json_str(j, NULL, pre != NULL ? name + strlen(pre) : name);
	}
	if (open)
		json_arr_close(j);
}

static bool has_traffic(const struct flow *f, const struct rule_var_names *t)
{
	for (uint32_t i = 0; i < f->nbits; i++) {
		const char *name = name_of(t, f->bits[i]);

		if (name != NULL && (prefixed(name, TRAFFIC_ID) || prefixed(name, TRAFFIC_LABEL)))
			return true;
	}
	return false;
}

static void put_ints(struct json_w *j, const struct detect_flow_vars *fv,
		     const struct rule_var_names *t)
{
	bool open = false;

	for (uint32_t i = 0; i < fv->nints; i++) {
		const char *name = name_of(t, fv->ints[i].id);

		if (name == NULL)
			continue;
		if (!open) {
			json_obj_open(j, "flowints");
			open = true;
		}
		json_uint(j, name, fv->ints[i].value);
	}
	if (open)
		json_obj_close(j);
}

void eve_put_vars(struct json_w *j, const struct eve_writer *w, const struct flow *f)
{
	static const struct rule_var_names none;
	const struct detect_flow_vars *fv = f != NULL ? f->det.vars : NULL;
	const struct rule_var_names *bits = w->names != NULL ? &w->names->flowbits : &none;
	const struct rule_var_names *ints = w->names != NULL ? &w->names->flowints : &none;
	uint32_t nvars = fv != NULL ? fv->n : 0, nints = fv != NULL ? fv->nints : 0;
	uint32_t nbits = f != NULL ? f->nbits : 0;

	if (!w->opt.metadata || (nbits == 0 && nvars == 0 && nints == 0 && w->npktvars == 0))
		return;
	if (nbits > 0 && has_traffic(f, bits)) {
		json_obj_open(j, "traffic");
		put_bits(j, "id", f, bits, TRAFFIC_ID);
		put_bits(j, "label", f, bits, TRAFFIC_LABEL);
		json_obj_close(j);
	}
	json_obj_open(j, "metadata");
	if (nbits > 0)
		put_bits(j, "flowbits", f, bits, NULL);
	if (nints > 0)
		put_ints(j, fv, ints);
	if (nvars > 0) {
		json_arr_open(j, "flowvars");
		for (uint32_t i = 0; i < nvars; i++) {
			json_obj_open(j, NULL);
			json_printable_crlf(j, fv->v[i].name, fv->v[i].value, fv->v[i].len);
			json_obj_close(j);
		}
		json_arr_close(j);
	}
	if (w->npktvars > 0) {
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

void eve_put_flow_common(struct json_w *j, const struct eve_writer *w, const struct flow *f)
{
	eve_put_vars(j, w, f);
	if (w->opt.community_id)
		eve_put_community_id(j, w, f);
}
