/* SPDX-License-Identifier: MIT */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>

#include "../decode/decode.h"
#include "../hoststate/host_table.h"
#include "../hoststate/seq_gate.h"
#include "../worker/receiver.h"
#include "../worker/worker.h"
#include "sig_tally.h"

static void put(struct stats_snapshot *s, const char *name, uint64_t v)
{
	for (unsigned i = 0; i < s->n; i++) {
		if (strcmp(s->names[i], name) == 0) {
			s->values[i] += v;
			return;
		}
	}
	if (s->n < STATS_MAX) {
		s->names[s->n] = name;
		s->values[s->n++] = v;
	}
}

/* "decoder.event.<layer>.<reason>" names, built once: the strings outlive
 * every snapshot. A reason of no layer (too_many_layers, Suricata 7's one
 * generic decoder event) is "decoder.<reason>": Suricata registers that
 * event's counter under its own name, past the range it renames. */
static const char *decode_event_name(enum decode_err e)
{
	static char names[DECODE_ERR_MAX][64];
	const char *reason = decode_err_name(e);

	if (names[e][0] == '\0')
		snprintf(names[e], sizeof(names[e]), "decoder.%s%s",
			 strchr(reason, '.') != NULL ? "event." : "", reason);
	return names[e];
}

/* Reassembly counters, named as Suricata's tcp.* and defrag.* */
static void collect_stream(struct stats_snapshot *s, const struct pipeline *pl)
{
	const struct stream_stats *ss = stream_ctx_stats(pl->st);
	const struct defrag_stats *ds = defrag_ctx_stats(pl->df);

	put(s, "tcp.sessions", ss->sessions);
	put(s, "tcp.ssn_memcap_drop", ss->ssn_memcap_drop);
	put(s, "tcp.segment_memcap_drop", ss->segment_memcap_drop);
	put(s, "tcp.reassembly_ooo_limit", ss->ooo_limit);
	put(s, "tcp.overlap", ss->overlap);
	put(s, "tcp.overlap_diff_data", ss->overlap_diff_data);
	put(s, "tcp.reassembly_gap", ss->reassembly_gap);
	put(s, "tcp.stream_depth_reached", ss->depth_reached);
	put(s, "tcp.pseudo", ss->pseudo);
	put(s, "tcp.inline_rewritten", ss->rewritten);
	put(s, "tcp.stream_retired", ss->retired);
	put(s, "tcp.memuse", ss->memuse);
	put(s, "tcp.reassembly_memuse", ss->reassembly_memuse);
	put(s, "defrag.ipv4.fragments", ds->ipv4_fragments);
	put(s, "defrag.ipv4.reassembled", ds->ipv4_reassembled);
	put(s, "defrag.ipv6.fragments", ds->ipv6_fragments);
	put(s, "defrag.ipv6.reassembled", ds->ipv6_reassembled);
	put(s, "defrag.max_trackers_reached", ds->max_trackers_reached);
	put(s, "defrag.max_frags_reached", ds->max_frags_reached);
	put(s, "defrag.memcap_exceeded", ds->memcap);
	put(s, "defrag.timeouts", ds->timeouts);
	put(s, "defrag.overlap", ds->overlap);
	put(s, "defrag.too_large", ds->too_large);
	put(s, "defrag.invalid", ds->invalid);
	put(s, "defrag.ignored", ds->ignored);
	put(s, "defrag.datagram.max_frags_reached", ds->dgram_frags);
	put(s, "defrag.datagram.max_overlaps_reached", ds->dgram_overlaps);
	put(s, "defrag.datagram.max_bytes_reached", ds->dgram_bytes);
	put(s, "defrag.source.max_trackers_reached", ds->src_trackers);
	put(s, "defrag.source.memcap_exceeded", ds->src_memcap);
	put(s, "defrag.memuse", ds->memuse);
}

/* App-layer parse counters, under Suricata's app_layer.* names where it
 * has one. */
static void collect_applayer(struct stats_snapshot *s, const struct pipeline *pl)
{
	const struct applayer_stats *as = applayer_ctx_stats(pl->al);

	static const char *const flow_names[APP_PROTO_MAX] = {
		[APP_PROTO_HTTP] = "app_layer.flow.http",
		[APP_PROTO_TLS] = "app_layer.flow.tls",
		[APP_PROTO_DNS] = "app_layer.flow.dns",
		[APP_PROTO_FAILED] = "app_layer.flow.failed",
		[APP_PROTO_SMTP] = "app_layer.flow.smtp",
		[APP_PROTO_FTP] = "app_layer.flow.ftp",
		[APP_PROTO_SMB] = "app_layer.flow.smb",
		[APP_PROTO_SSH] = "app_layer.flow.ssh",
		[APP_PROTO_DCERPC] = "app_layer.flow.dcerpc",
		[APP_PROTO_FTPDATA] = "app_layer.flow.ftp-data",
	};

	/* AppLayerSetupCounters' app_layer.error.<proto>[_tcp].gap, for the
	 * parsers that refuse a stream gap */
	static const char *const gap_names[APP_PROTO_MAX] = {
		[APP_PROTO_HTTP] = "app_layer.error.http.gap",
		[APP_PROTO_TLS] = "app_layer.error.tls.gap",
		[APP_PROTO_SMTP] = "app_layer.error.smtp.gap",
		[APP_PROTO_FTP] = "app_layer.error.ftp.gap",
		[APP_PROTO_SSH] = "app_layer.error.ssh.gap",
		[APP_PROTO_FTPDATA] = "app_layer.error.ftp-data.gap",
	};

	for (unsigned i = 0; i < APP_PROTO_MAX; i++) {
		if (flow_names[i] != NULL)
			put(s, flow_names[i], as->flows[i]);
		if (gap_names[i] != NULL)
			put(s, gap_names[i], as->gap[i]);
	}
	put(s, "app_layer.tx.http", as->http_txs);
	put(s, "app_layer.tx.tls", as->tls_sessions);
	put(s, "app_layer.tx.dns", as->dns_msgs);
	put(s, "app_layer.error.http.parser", as->http_errors);
	put(s, "app_layer.error.http.max_tx", as->http_max_tx);
	put(s, "app_layer.error.http.body_not_encoded", as->body_not_encoded);
	put(s, "app_layer.error.http.body_truncated", as->body_truncated);
	put(s, "app_layer.http.inflate_stopped", as->inflate_stopped);
	put(s, "app_layer.error.http.max_files", as->http_files_max);
	put(s, "app_layer.error.tls.bad_record", as->tls_bad_record);
	put(s, "app_layer.error.tls.bad_cert", as->tls_bad_cert);
	put(s, "app_layer.error.dns.bad", as->dns_bad);
	put(s, "app_layer.error.dns.loop", as->dns_loop);
	put(s, "app_layer.tx.ftp", as->ftp_txs);
	put(s, "app_layer.error.ftp.parser", as->ftp_bad);
	put(s, "app_layer.error.ftp.max_tx", as->ftp_max_tx);
	put(s, "app_layer.error.ftp.reply_cut", as->ftp_reply_cut);
	put(s, "app_layer.error.smtp.rcpt_cut", as->smtp_rcpt_cut);
	put(s, "app_layer.error.ssh.parser", as->ssh_bad);
	put(s, "app_layer.error.ssh.kex", as->ssh_kex_bad);
	put(s, "app_layer.error.nomem", as->nomem);
}

static void collect_worker(struct stats_snapshot *s, const struct worker *w)
{
	const struct pipeline *pl = w->pl;
	const struct flow_stats *fs = flow_table_stats(pl->ft);

	for (unsigned c = 0; c < CNT_MAX; c++)
		put(s, counter_name(c), pl->cnt.c[c]);
	/* the policies in force only, as Suricata registers them */
	for (unsigned pt = 0; pt < EXC_POINTS; pt++)
		if (pl->exc.cfg.policy[pt] != EXC_IGNORE)
			put(s, exc_counter_name((enum exc_point)pt, pl->exc.cfg.policy[pt]),
			    pl->exc.applied[pt][pl->exc.cfg.policy[pt]]);
	for (unsigned e = 1; e < DECODE_ERR_MAX; e++)
		if (pl->cnt.decode_err[e] != 0)
			put(s, decode_event_name(e), pl->cnt.decode_err[e]);

	put(s, "flow.total", fs->created);
	put(s, "flow.tcp", fs->tcp);
	put(s, "flow.udp", fs->udp);
	put(s, "flow.icmp", fs->icmp);
	put(s, "flow.other", fs->other);
	put(s, "flow.active", fs->active);
	put(s, "flow.timeout", fs->timed_out);
	/* Suricata 7's flow.memcap counts a flow allocation failing after its
	 * memcap check passed (threads racing for the last room): the tables'
	 * budget is taken in one step, so it stays 0 (get_used_failed counts
	 * the packets the memcap left without a flow) */
	put(s, "flow.memcap", 0);
	put(s, "flow.get_used", fs->get_used);
	put(s, "flow.get_used_failed", fs->get_used_failed);
	put(s, "flow.emerg_mode_entered", fs->emerg_entered);
	put(s, "flow.emerg_mode_over", fs->emerg_over);
	put(s, "flow.memuse", flow_table_memuse(pl->ft));
	put(s, "flow.no_flow", fs->no_flow);
	collect_stream(s, pl);
	if (pl->al != NULL)
		collect_applayer(s, pl);
	put(s, "detect.tag.added", pl->tags.stats.added);
	put(s, "detect.tag.tagged_packets", pl->tags.stats.tagged);
	put(s, "detect.tag.pool_full", pl->tags.stats.pool_full);
	put(s, "detect.tag.flow_full", pl->tags.stats.flow_full);

	if (w->ctl->gen != NULL && w->ctl->gen->de != NULL) {
		struct detect_stats ds;

		worker_detect_stats(w, &ds);
		put(s, "detect.alert", ds.alerts);
		put(s, "detect.alerts_suppressed", ds.alerts_suppressed);
		put(s, "detect.alert_queue_overflow", ds.alert_queue_overflow);
		put(s, "detect.candidates", ds.candidates);
		put(s, "detect.verified", ds.verified);
		put(s, "detect.app_unchanged", ds.app_unchanged);
		/* work refused or failed, each by its reason */
		put(s, "detect.inspect_limit", ds.inspect_limit);
		put(s, "detect.scan_errors", ds.scan_errors);
		put(s, "detect.app_mark_nomem", ds.app_mark_nomem);
		put(s, "detect.mpm.scans", ds.mpm_scans);
		put(s, "detect.mpm.remembered", ds.mpm_remembered);
		put(s, "detect.mpm.checked_out", ds.mpm_checked_out);
		put(s, "detect.mpm.packet_sets_joined", ds.mpm_pkt_both);
		put(s, "detect.mpm.stream_unjoined", ds.mpm_stream_unjoined);
		put(s, "detect.mpm.matches", ds.mpm_matches);
		put(s, "detect.mpm.packet_bytes", ds.mpm_pkt_bytes);
		put(s, "detect.mpm.stream_bytes", ds.mpm_stream_bytes);
		put(s, "detect.mpm.app_bytes", ds.mpm_app_bytes);
		put(s, "detect.mpm.body_from_stream_bytes", ds.mpm_body_stream_bytes);
		put(s, "detect.pcre_errors", ds.pcre_errors);
		put(s, "detect.threshold_table_full", ds.threshold_table_full);
		put(s, "detect.vars_refused", ds.vars_refused);
		/* what a flow or the host table could not hold of flowbits,
		 * flowints and xbits (missing from "metadata" too) */
		put(s, "flow.bits_overflow", ds.flowbits_overflow);
		put(s, "detect.vars_table_full", ds.vars_table_full);
		put(s, "detect.bypassed", ds.flow_passed);
	}
	if (pl->eve != NULL) {
		const struct eve_stats *es = eve_writer_stats(pl->eve);

		put(s, "output.eve.records", es->records);
		put(s, "output.eve.write_errors", es->write_errors);
		put(s, "output.eve.dropped", es->dropped);
	}
	put(s, "capture.tx_failed", w->tx_fail);
	put(s, "capture.forwarded", w->fwd_pkts);
	put(s, "capture.dropped", w->drop_pkts);
	put(s, "capture.standby_dropped", w->standby_pkts);
	put(s, "capture.reject_sent", w->reject_sent);
	put(s, "capture.reject_failed", w->reject_failed);
	if (w->ring != NULL)
		put(s, "capture.autofp.idle_parks", w->idle_parks);
	if (w->gate != NULL) {
		struct seq_gate_stats gs;

		seq_gate_stats(w->gate, w->id, &gs);
		put(s, "capture.gate.checks", gs.checks);
		put(s, "capture.gate.waits", gs.waits);
		put(s, "capture.gate.parks", gs.parks);
		put(s, "capture.gate.wait_us", gs.wait_ns / 1000u);
	}
}

void stats_add_receivers(struct stats_snapshot *snap, struct receiver *const *rcv, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		put(snap, "capture.autofp.received", rcv[i]->rx_pkts);
		put(snap, "capture.autofp.ring_full", rcv[i]->ring_full);
		put(snap, "capture.autofp.ring_waits", rcv[i]->ring_waits);
		put(snap, "capture.autofp.ring_parks", rcv[i]->ring_parks);
	}
}

void stats_add_reloads(struct stats_snapshot *snap, uint64_t reloads, uint64_t failures)
{
	put(snap, "detect.engines.reloads", reloads);
	put(snap, "detect.engines.reload_failures", failures);
}

void stats_add_hosts(struct stats_snapshot *snap, const struct host_table *ht)
{
	struct host_table_stats hs;

	if (ht == NULL)
		return;
	host_table_stats(ht, &hs);
	put(snap, "host.entries", hs.used);
	put(snap, "host.entries_max", hs.entries);
	put(snap, "host.refused", hs.refused);
}

void stats_add_expect(struct stats_snapshot *snap, struct app_expect *x)
{
	struct app_expect_stats es;

	app_expect_stats(x, &es);
	/* Suricata's name holds the count; a name cannot also be a group */
	put(snap, "app_layer.expectations", es.held);
	put(snap, "app_layer.expectation_created", es.created);
	put(snap, "app_layer.expectation_matched", es.matched);
	put(snap, "app_layer.expectation_expired", es.expired);
	put(snap, "app_layer.expectation_evicted", es.evicted);
	put(snap, "app_layer.expectation_refused", es.refused);
}

void stats_collect(struct stats_snapshot *snap, struct worker *const *workers, unsigned nw,
		   const struct port *ports, unsigned np)
{
	snap->n = 0;
	for (unsigned i = 0; i < nw; i++)
		collect_worker(snap, workers[i]);
	for (unsigned i = 0; i < np; i++) {
		struct rte_eth_stats es;

		if (rte_eth_stats_get(ports[i].port_id, &es) != 0)
			continue;
		put(snap, "capture.dpdk.imissed", es.imissed);
		put(snap, "capture.dpdk.rx_errors", es.ierrors);
		put(snap, "capture.dpdk.rx_no_mbufs", es.rx_nombuf);
		put(snap, "capture.dpdk.tx_errors", es.oerrors);
		if (ports[i].capture != NULL) {
			put(snap, "capture.beyond_readable", ports[i].capture->beyond);
			put(snap, "capture.file_shrank", ports[i].capture->shrank);
		}
	}
}

uint64_t stats_get(const struct stats_snapshot *snap, const char *name)
{
	for (unsigned i = 0; i < snap->n; i++)
		if (strcmp(snap->names[i], name) == 0)
			return snap->values[i];
	return 0;
}

/* Frames the capture held that were not inspected, said in the summary as
 * well as counted in stats: too large to linearize, refused by the PMD, or
 * read past a record libpcap refused. */
static void not_inspected(FILE *out, const struct stats_snapshot *snap)
{
	uint64_t big = stats_get(snap, "decoder.oversize");
	uint64_t err = stats_get(snap, "capture.dpdk.rx_errors");
	uint64_t beyond = stats_get(snap, "capture.beyond_readable");
	uint64_t shrank = stats_get(snap, "capture.file_shrank");

	if (big + err + beyond + shrank == 0)
		return;
	fprintf(out, "  not inspected: %llu oversize (decoder.oversize), %llu refused by the "
		"port (capture.dpdk.rx_errors), %llu past an unreadable record "
		"(capture.beyond_readable), %llu cut from the file while read "
		"(capture.file_shrank)\n", (unsigned long long)big,
		(unsigned long long)err, (unsigned long long)beyond, (unsigned long long)shrank);
}

/* One figure per worker: the uint64_t at off in struct worker. */
static void per_worker(FILE *out, const char *what, struct worker *const *workers, unsigned nw,
		       size_t off)
{
	fprintf(out, "  worker %s:", what);
	for (unsigned i = 0; i < nw; i++)
		fprintf(out, " %llu",
			(unsigned long long)*(const uint64_t *)((const char *)workers[i] + off));
	fputc('\n', out);
}

void stats_print_summary(FILE *out, const struct stats_snapshot *snap,
			 struct worker *const *workers, unsigned nw, const struct sig_tally *alerts)
{
	fprintf(out, "  packets: %llu (%llu bytes); ipv4 %llu, ipv6 %llu, tcp %llu, udp %llu, "
		"icmp %llu, invalid %llu\n",
		(unsigned long long)stats_get(snap, "decoder.pkts"),
		(unsigned long long)stats_get(snap, "decoder.bytes"),
		(unsigned long long)stats_get(snap, "decoder.ipv4"),
		(unsigned long long)stats_get(snap, "decoder.ipv6"),
		(unsigned long long)stats_get(snap, "decoder.tcp"),
		(unsigned long long)stats_get(snap, "decoder.udp"),
		(unsigned long long)(stats_get(snap, "decoder.icmpv4") +
				     stats_get(snap, "decoder.icmpv6")),
		(unsigned long long)stats_get(snap, "decoder.invalid"));
	fprintf(out, "  flows: %llu\n", (unsigned long long)stats_get(snap, "flow.total"));
	fprintf(out, "  alerts: %llu", (unsigned long long)stats_get(snap, "detect.alert"));
	if (stats_get(snap, "ips.blocked") + stats_get(snap, "ips.drop_reason.flow_drop") > 0)
		fprintf(out, "; blocked packets: %llu",
			(unsigned long long)(stats_get(snap, "ips.blocked") +
					     stats_get(snap, "ips.drop_reason.flow_drop")));
	fputc('\n', out);
	not_inspected(out, snap);
	sig_tally_print(out, alerts);
	fprintf(out, "  worker cpu:");
	for (unsigned i = 0; i < nw; i++)
		fprintf(out, " %.3f s", (double)workers[i]->cpu_ns / 1e9);
	fputc('\n', out);
	per_worker(out, "page faults", workers, nw, offsetof(struct worker, minflt));
	per_worker(out, "packets", workers, nw, offsetof(struct worker, rx_pkts));
	if (nw > 0 && workers[0]->gate != NULL)
		fprintf(out, "  capture-order gate: %llu host-state accesses, %llu waited "
			"(%llu asleep), %.3f s waiting\n",
			(unsigned long long)stats_get(snap, "capture.gate.checks"),
			(unsigned long long)stats_get(snap, "capture.gate.waits"),
			(unsigned long long)stats_get(snap, "capture.gate.parks"),
			(double)stats_get(snap, "capture.gate.wait_us") / 1e6);
}
