/* SPDX-License-Identifier: MIT */
/* For the app-layer fuzz targets: read everything detection and EVE can
 * read from a flow (every buffer instance of every transaction, the
 * integer fields, the EVE info), touching the first and last byte of each
 * buffer so ASan checks the bounds the getters return. */
#ifndef IDS_TEST_FUZZ_APP_VISIT_H
#define IDS_TEST_FUZZ_APP_VISIT_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/applayer/applayer.h"

/* A context keeping everything EVE can ask for: files with every hash,
 * DNS records, HTTP header lists. */
static inline struct applayer_ctx *fuzz_applayer_ctx(void)
{
	struct applayer_config cfg;

	applayer_config_init(&cfg);
	cfg.files = true;
	cfg.file_hashes = APP_FILE_MD5 | APP_FILE_SHA1 | APP_FILE_SHA256;
	cfg.dns_rdata = true;
	cfg.http_headers = true;
	return applayer_ctx_create(&cfg);
}

static inline void app_visit_str(const char *s)
{
	if (s != NULL && strlen(s) > (1u << 24))
		abort();
}

static inline void app_visit(struct applayer_ctx *ctx, struct app_flow *af)
{
	volatile uint8_t sink = 0;
	uint32_t ntx = app_flow_ntx(af), v;

	for (uint32_t i = 0; i < ntx; i++) {
		struct app_tx *tx = app_flow_tx(af, i);
		struct app_http_info hi;
		struct app_dns_info di;

		if (tx == NULL)
			abort();
		for (int b = RULE_BUF_HTTP_URI; b < RULE_BUF_MAX; b++) {
			for (uint32_t idx = 0; idx < 64; idx++) {
				const uint8_t *d;
				uint32_t len;
				int rc = app_tx_buffer(ctx, af, tx, (enum rule_buffer)b, idx,
						       &d, &len);

				if (rc == -ERANGE || (rc == -ENOENT && idx > 1))
					break;
				if (rc == 0 && len > 0)
					sink ^= d[0] ^ d[len - 1];
			}
		}
		app_tx_urilen(af, tx, false, &v);
		app_tx_urilen(af, tx, true, &v);
		app_tx_dns_opcode(af, tx, &v);
		for (uint32_t idx = 0; idx < 64 && app_tx_dns_rrtype(af, tx, idx, &v) == 0; idx++)
			;
		hi = (struct app_http_info){ 0 };
		if (app_tx_http_info(ctx, af, tx, "X-Forwarded-For", &hi) == 0) {
			app_visit_str(hi.hostname);
			app_visit_str(hi.url);
			app_visit_str(hi.user_agent);
			app_visit_str(hi.xff);
			app_visit_str(hi.content_range);
			app_visit_str(hi.redirect);
		}
		if (app_tx_dns_info(af, tx, &di) == 0) {
			app_visit_str(di.rrname);
			/* the records EVE writes: names and rdata inside text */
			for (uint32_t r = 0; r < di.nrr; r++) {
				const struct app_dns_rr *rr = &di.rr[r];

				app_visit_str(di.text + rr->name);
				if (rr->kind == APP_DNS_RD_TEXT && rr->s1_len > 0)
					sink ^= (uint8_t)di.text[rr->s1 + rr->s1_len - 1];
				if (rr->kind == APP_DNS_RD_SOA || rr->kind == APP_DNS_RD_SRV)
					app_visit_str(di.text + rr->s1);
				if (rr->kind == APP_DNS_RD_SOA)
					app_visit_str(di.text + rr->s2);
			}
		}
		for (int dir = 0; dir < 2; dir++) {
			struct app_file_info fi;

			for (uint32_t k = 0; app_tx_file_info(af, tx, (enum app_dir)dir, k,
							      &fi) == 0; k++)
				if (fi.name_len > 0)
					sink ^= (uint8_t)fi.name[fi.name_len - 1];
		}
		for (int side = 0; side < 2; side++)
			for (uint32_t h = 0; h < hi.nhdrs[side]; h++)
				sink ^= (uint8_t)(hi.hdrs[side][h].nlen ?
					 hi.hdrs[side][h].name[hi.hdrs[side][h].nlen - 1] : 0);
		if (!app_tx_marked(tx, 3))
			app_tx_mark(tx, 3);
	}
	app_tx_tls_version(af, &v);
	app_tx_tls_chain_len(af, &v);
	{
		struct app_tls_info ti;

		if (app_tx_tls_info(af, &ti) == 0) {
			app_visit_str(ti.sni);
			app_visit_str(ti.subject);
			app_visit_str(ti.ja3_string);
		}
	}
	(void)sink;
}

#endif
