/* SPDX-License-Identifier: MIT */
#include "bench_prep.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench_rules.h"
#include "dataplane/decode/decode.h"
#include "dataplane/pipeline/pipeline.h"

#define FLOWMEM_MEMCAP (16u << 20)
#define FLOWMEM_MAX_FLOWS 1000000u

int bench_payloads_build(const struct traffic *t, struct bench_payloads *pay)
{
	struct decode_opts dopt = { .csum_check = false };

	memset(pay, 0, sizeof(*pay));
	pay->data = calloc(t->n ? t->n : 1, sizeof(*pay->data));
	pay->len = calloc(t->n ? t->n : 1, sizeof(*pay->len));
	pay->wire_len = calloc(t->n ? t->n : 1, sizeof(*pay->wire_len));
	if (pay->data == NULL || pay->len == NULL || pay->wire_len == NULL) {
		bench_payloads_free(pay);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < t->n; i++) {
		struct packet p = { .data = traffic_data(t, i), .len = t->f[i].len,
				    .wire_len = t->f[i].wire_len, .ts_us = t->f[i].ts_us,
				    .pcap_cnt = i + 1u };

		pay->wire_len[i] = t->f[i].wire_len;
		if (decode_packet(&p, &dopt) == DECODE_OK && p.l4 != NULL) {
			pay->data[i] = p.payload;
			pay->len[i] = p.payload_len;
			pay->payload_bytes += p.payload_len;
		}
	}
	pay->n = t->n;
	return 0;
}

void bench_payloads_free(struct bench_payloads *pay)
{
	free(pay->data);
	free(pay->len);
	free(pay->wire_len);
	memset(pay, 0, sizeof(*pay));
}

double bench_mem_per_flow(void)
{
	struct pipeline_config cfg = { .flow = { .memcap = FLOWMEM_MEMCAP }, .socket = -1 };
	struct traffic t = { 0 };
	const struct flow_stats *fs;
	struct pipeline *pl = NULL;
	uint64_t rss0, held = 0;
	double per = 0;
	char err[128];

	if (traffic_generate(&t, "stress", FLOWMEM_MAX_FLOWS, err, sizeof(err)) != 0)
		goto out;
	rss0 = bench_rss();
	pl = pipeline_create(&cfg, 0);
	if (pl == NULL)
		goto out;
	fs = flow_table_stats(pl->ft);
	for (uint32_t i = 0; i < t.n && fs->emerg_entered == 0; i++) {
		struct packet p = { .data = traffic_data(&t, i), .len = t.f[i].len,
				    .wire_len = t.f[i].wire_len, .ts_us = t.f[i].ts_us,
				    .pcap_cnt = i + 1u };

		pipeline_packet(pl, &p);
		held = fs->active;
	}
	if (held > 0)
		per = (double)(bench_rss() - rss0) / (double)held;
out:
	pipeline_destroy(pl);
	traffic_free(&t);
	return per;
}
