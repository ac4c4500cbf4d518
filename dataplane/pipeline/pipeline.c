/* SPDX-License-Identifier: MIT */
#include "pipeline.h"

#include <stdlib.h>

#define EXPIRE_INTERVAL_US 1000000u   /* look for timed-out flows once a second */
#define EXPIRE_BUDGET 64u             /* flows released per look, to bound the pause */

struct pipeline *pipeline_create(const struct pipeline_config *cfg, uint16_t worker_id)
{
	struct pipeline *pl;
	struct flow_config fc = cfg->flow;

	pl = aligned_alloc(64, (sizeof(*pl) + 63) & ~(size_t)63);
	if (pl == NULL)
		return NULL;
	*pl = (struct pipeline){ .decode = cfg->decode, .ips = cfg->ips, .nrules = cfg->nrules };

	fc.worker_id = worker_id;
	pl->ft = flow_table_create(&fc, cfg->socket);
	if (pl->ft == NULL)
		goto fail;
	if (cfg->de != NULL) {
		pl->dt = detect_thread_create(cfg->de, cfg->socket);
		if (pl->dt == NULL)
			goto fail;
		detect_thread_set_ips(pl->dt, cfg->ips);
	}
	if (cfg->eve != NULL) {
		pl->eve = eve_writer_create(cfg->eve, &cfg->eve_opt, cfg->iface, cfg->socket);
		if (pl->eve == NULL)
			goto fail;
	}
	if (cfg->nrules > 0) {
		pl->alerts_by_rule = calloc(cfg->nrules, sizeof(*pl->alerts_by_rule));
		if (pl->alerts_by_rule == NULL)
			goto fail;
	}
	return pl;
fail:
	pipeline_destroy(pl);
	return NULL;
}

void pipeline_destroy(struct pipeline *pl)
{
	if (pl == NULL)
		return;
	free(pl->alerts_by_rule);
	if (pl->eve != NULL)
		eve_writer_destroy(pl->eve);
	if (pl->dt != NULL)
		detect_thread_destroy(pl->dt);
	if (pl->ft != NULL)
		flow_table_destroy(pl->ft);
	free(pl);
}

static void count_layers(struct counters *cnt, const struct packet *p)
{
	cnt->c[CNT_ETHERNET]++;
	if (p->vlan_cnt > 0)
		cnt->c[p->vlan_cnt > 1 ? CNT_VLAN_QINQ : CNT_VLAN]++;
	if (p->ip_ver == 0) {
		cnt->c[CNT_OTHER_L3]++;
		return;
	}
	cnt->c[p->ip_ver == 4 ? CNT_IPV4 : CNT_IPV6]++;
	if (p->flags & (PKT_F_IPV4_FRAG | PKT_F_IPV6_FRAG))
		cnt->c[CNT_FRAG]++;
	if (p->flags & PKT_F_CSUM_BAD)
		cnt->c[CNT_CSUM_BAD]++;
	if (p->l4 == NULL)
		return;
	switch (p->proto) {
	case 6:
		cnt->c[CNT_TCP]++;
		break;
	case 17:
		cnt->c[CNT_UDP]++;
		break;
	case 1:
		cnt->c[CNT_ICMPV4]++;
		break;
	case 58:
		cnt->c[CNT_ICMPV6]++;
		break;
	default:
		break;
	}
}

static void output_alerts(struct pipeline *pl, const struct packet *p)
{
	const struct detect_result *res = &pl->res;

	for (uint32_t i = 0; i < res->nalerts; i++) {
		const struct rule *r = res->alerts[i].rule;

		if (r->order < pl->nrules)
			pl->alerts_by_rule[r->order]++;
		if (pl->eve != NULL)
			eve_write_alert(pl->eve, p, &res->alerts[i]);
	}
}

enum detect_verdict pipeline_packet(struct pipeline *pl, struct packet *p)
{
	struct counters *cnt = &pl->cnt;
	enum decode_err err;

	cnt->c[CNT_PKTS]++;
	cnt->c[CNT_BYTES] += p->wire_len;
	if (p->ts_us > pl->now_us)
		pl->now_us = p->ts_us;

	err = decode_packet(p, &pl->decode);
	if (err != DECODE_OK) {
		cnt->c[CNT_INVALID]++;
		cnt->decode_err[err]++;
		cnt->c[CNT_ACCEPTED]++;
		return VERDICT_ACCEPT;
	}
	count_layers(cnt, p);
	if (p->ip_ver == 0) {
		cnt->c[CNT_ACCEPTED]++;
		return VERDICT_ACCEPT;
	}

	flow_handle_packet(pl->ft, p);

	pl->res.verdict = VERDICT_ACCEPT;
	pl->res.nalerts = 0;
	if (pl->dt != NULL) {
		detect_packet(pl->dt, p, &pl->res);
		output_alerts(pl, p);
	}

	if (pl->res.verdict == VERDICT_DROP)
		cnt->c[pl->res.nalerts > 0 ? CNT_BLOCKED : CNT_FLOW_DROPPED]++;
	else
		cnt->c[CNT_ACCEPTED]++;

	if (pl->now_us >= pl->next_expire_us) {
		pl->next_expire_us = pl->now_us + EXPIRE_INTERVAL_US;
		flow_table_expire(pl->ft, pl->now_us, EXPIRE_BUDGET);
	}
	return pl->res.verdict;
}

void pipeline_idle(struct pipeline *pl, uint64_t now_us)
{
	if (now_us > pl->now_us)
		pl->now_us = now_us;
	flow_table_expire(pl->ft, pl->now_us, EXPIRE_BUDGET);
	if (pl->eve != NULL)
		eve_writer_flush(pl->eve);
}

void pipeline_finish(struct pipeline *pl)
{
	flow_table_flush(pl->ft);
	if (pl->eve != NULL)
		eve_writer_flush(pl->eve);
}
