/* SPDX-License-Identifier: MIT */
#include "bench_report.h"

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

void bench_report_table(const struct bench_report *r, FILE *out)
{
	const struct bench_figures *f = r->fig;

	fprintf(out, "traffic: %s: %u frames, %.1f MB, mean %.0f B%s\n", r->traffic, r->frames,
		(double)r->traffic_bytes / 1e6,
		r->frames ? (double)r->traffic_bytes / r->frames : 0,
		r->truncated ? " (some frames cut to 2048 B)" : "");
	fprintf(out, "rules: %u loaded, %u failed from %u files; %u patterns, database %llu B; "
		"parse %.1f ms, compile %.1f ms\n", r->rules_loaded, r->rules_failed,
		r->rule_files, r->patterns, (unsigned long long)r->db_bytes, r->parse_ms,
		r->compile_ms);
	fprintf(out, "memory: %.1f MB resident after load (rules %.1f MB), %.0f B per flow, "
		"flow memcap %.0f MB\n", (double)r->rss_after_load / 1e6,
		(double)r->rules_rss / 1e6,
		r->mem_per_flow, (double)r->flow_memcap / 1e6);
	fprintf(out, "\n%-16s %14s %12s %12s %10s\n", "per worker core", "packets/s", "Gbit/s",
		"cycles/pkt", "packets");
	for (int m = 0; m < BENCH_MODE_MAX; m++) {
		static const char *const label[BENCH_MODE_MAX] = {
			"(a) receive", "(b) decode+flow", "(c) full", "(d) hs ceiling",
		};

		if (m == BENCH_HS && !r->have_hs) {
			fprintf(out, "%-16s %14s\n", label[m], "no database");
			continue;
		}
		fprintf(out, "%-16s %14.0f %12.3f %12.0f %10llu\n", label[m], f[m].pps,
			f[m].bps / 1e9, f[m].cycles_per_pkt, (unsigned long long)f[m].pkts);
	}
	fprintf(out, "\n(c)/(a) %.3f", ratio(f[BENCH_FULL].pps, f[BENCH_RX].pps));
	if (r->have_hs)
		fprintf(out, "   (c)/(d) %.3f", ratio(f[BENCH_FULL].pps, f[BENCH_HS].pps));
	fprintf(out, "   workers %u   flows (c) %llu, evicted %llu   alerts (c) %llu\n", r->workers,
		(unsigned long long)f[BENCH_FULL].flows, (unsigned long long)f[BENCH_FULL].evicted,
		(unsigned long long)f[BENCH_FULL].alerts);
}

/* The label is from the command line: escape what JSON needs. */
static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

void bench_report_json(const struct bench_report *r, FILE *out)
{
	const struct bench_figures *f = r->fig;

	fprintf(out, "{\"traffic\":");
	json_str(out, r->traffic);
	fprintf(out, ",\"frames\":%u,\"traffic_bytes\":%llu,\"workers\":%u,"
		"\"rules_loaded\":%u,\"rules_failed\":%u,\"rule_files\":%u,\"hs_patterns\":%u,"
		"\"hs_db_bytes\":%llu,\"parse_ms\":%.1f,\"compile_ms\":%.1f,"
		"\"rss_after_load_bytes\":%llu,\"rules_rss_bytes\":%llu,"
		"\"mem_per_flow_bytes\":%.0f,",
		r->frames, (unsigned long long)r->traffic_bytes, r->workers, r->rules_loaded,
		r->rules_failed, r->rule_files, r->patterns, (unsigned long long)r->db_bytes,
		r->parse_ms, r->compile_ms, (unsigned long long)r->rss_after_load,
		(unsigned long long)r->rules_rss, r->mem_per_flow);
	fprintf(out, "\"rx_pps\":%.0f,\"rx_bps\":%.0f,\"rx_cycles_per_pkt\":%.1f,"
		"\"decode_pps\":%.0f,\"decode_bps\":%.0f,\"decode_cycles_per_pkt\":%.1f,"
		"\"full_pps\":%.0f,\"full_bps\":%.0f,\"full_cycles_per_pkt\":%.1f,"
		"\"hs_ceiling_pps\":%.0f,\"hs_ceiling_bps\":%.0f,"
		"\"hs_ceiling_cycles_per_pkt\":%.1f,",
		f[BENCH_RX].pps, f[BENCH_RX].bps, f[BENCH_RX].cycles_per_pkt,
		f[BENCH_DECODE].pps, f[BENCH_DECODE].bps, f[BENCH_DECODE].cycles_per_pkt,
		f[BENCH_FULL].pps, f[BENCH_FULL].bps, f[BENCH_FULL].cycles_per_pkt,
		f[BENCH_HS].pps, f[BENCH_HS].bps, f[BENCH_HS].cycles_per_pkt);
	fprintf(out, "\"full_over_rx\":%.4f,\"full_over_hs\":%.4f,\"flows\":%llu,"
		"\"flows_evicted\":%llu,\"alerts\":%llu}\n",
		ratio(f[BENCH_FULL].pps, f[BENCH_RX].pps),
		r->have_hs ? ratio(f[BENCH_FULL].pps, f[BENCH_HS].pps) : 0,
		(unsigned long long)f[BENCH_FULL].flows, (unsigned long long)f[BENCH_FULL].evicted,
		(unsigned long long)f[BENCH_FULL].alerts);
}
