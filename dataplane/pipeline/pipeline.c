/* SPDX-License-Identifier: MIT */
#include "pipeline.h"
#include "pipeline_app.h"

#include <stdlib.h>
#include <string.h>

#include "../../common/bug.h"
#include "../../common/wmem.h"

/* Expiry looks for timed-out flows every millisecond of packet time, so
 * they leave about when their timeout ends (a look costs a glance at a few
 * list heads when nothing is due). A look releases EXPIRE_BUDGET flows at
 * most, which bounds what a packet pays for it (each release inspects what
 * the flow's streams held); one that used its whole budget is followed by
 * another at the next packet, so expiry keeps up with new flows at any
 * rate as long as a packet starts fewer than that (only tunnels nested
 * deeper start more), and past that, at flow.memcap, a new flow takes the
 * place of one that timed out before any other (flow_table.c). When the
 * input is idle, a look may release more (PIPELINE_IDLE_BUDGET): no packet
 * waits on it. It comes ten times a second, and, while a look finds more
 * due than its budget, again at the worker's next empty poll
 * (dataplane/worker). */
#define EXPIRE_INTERVAL_US 1000u
#define EXPIRE_BUDGET PIPELINE_EXPIRE_BUDGET

static void flow_released(struct flow *f, void *arg);
static void pipeline_app_end(struct pipeline *pl, struct flow *f);
static void pseudo_packet(const struct pipeline *pl, struct packet *p, struct flow *f,
			  uint8_t dir);
static void inspect(struct pipeline *pl, struct packet *p, const struct stream_window *w,
		    struct detect_result *res);

/* The app layer's turn at the run's expectation table (applayer_set_order),
 * as detection's at the host table: once every packet before the one being
 * run is finished; a flow's end in the final flush goes by its last packet. */
static void app_order(void *arg)
{
	struct pipeline *pl = arg;
	const struct packet *p = pl->cur_pkt;

	if (p != NULL && (p->flags & PKT_F_PSEUDO) && p->flow != NULL)
		seq_gate_flow_end(pl->gate, pl->gate_id, p->flow->last_pkt);
	seq_gate_wait(pl->gate, pl->gate_id);
}

struct pipeline *pipeline_create(const struct pipeline_config *cfg, uint16_t worker_id)
{
	struct pipeline *pl;
	struct flow_config fc = cfg->flow;
	struct stream_config sc;

	pl = aligned_alloc(64, (sizeof(*pl) + 63) & ~(size_t)63);
	if (pl == NULL)
		return NULL;
	*pl = (struct pipeline){ .decode = cfg->decode, .ips = cfg->ips, .nrules = cfg->nrules,
				 .eve_opt = cfg->eve_opt,
				 .stream_inline = cfg->stream.inline_mode,
				 .gate = cfg->gate, .gate_id = worker_id };
	exc_state_init(&pl->exc, &cfg->exc);
	BUG_ON(cfg->ninputs > PIPELINE_MAX_INPUTS);
	if (cfg->ninputs > 0) {
		memcpy(pl->inputs, cfg->inputs, cfg->ninputs * sizeof(cfg->inputs[0]));
		pl->ninputs = cfg->ninputs;
	} else {
		pl->inputs[0].csum_check = cfg->decode.csum_check;
		pl->ninputs = 1;
	}
	pl->decode.csum_check = pl->inputs[0].csum_check;

	fc.worker_id = worker_id;
	pl->ft = flow_table_create(&fc, cfg->socket);
	if (pl->ft == NULL)
		goto fail;
	/* the parsers run whatever the rules (a reload may bring app rules) */
	sc = cfg->stream;
	sc.app_layer = true;
	pl->al = applayer_ctx_create(&cfg->app);
	if (pl->al == NULL)
		goto fail;
	if (pl->gate != NULL)
		applayer_set_order(pl->al, app_order, pl);
	pl->st = cfg->stream_off ? NULL : stream_ctx_create(&sc);
	pl->df = defrag_ctx_create(&cfg->defrag);
	if ((pl->st == NULL && !cfg->stream_off) || pl->df == NULL)
		goto fail;
	flow_table_set_release_cb(pl->ft, flow_released, pl);
	if (cfg->de != NULL) {
		pl->dt = detect_thread_create(cfg->de, cfg->socket);
		if (pl->dt == NULL)
			goto fail;
		detect_thread_set_ips(pl->dt, cfg->ips);
	}
	/* the detect thread may come later (idsd's workers get it per rules
	 * generation): the tag pool is there either way */
	if (tag_pool_init(&pl->tags, TAG_POOL_DEFAULT) < 0)
		goto fail;
	if (cfg->eve != NULL) {
		pl->eve = eve_writer_create(cfg->eve, &cfg->eve_opt, pl->inputs[0].iface,
					    cfg->socket);
		if (pl->eve == NULL)
			goto fail;
		pipeline_app_log_txs(pl);
		pipeline_set_detect(pl, pl->dt);
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

size_t pipeline_back_spare(struct pipeline *pl)
{
	size_t n = flow_table_back_spare(pl->ft);

	if (pl->st != NULL)
		n += wmem_back_spare(stream_ctx_mem(pl->st));
	if (pl->al != NULL)
		n += wmem_back_spare(applayer_ctx_mem(pl->al));
	return n;
}

void pipeline_destroy(struct pipeline *pl)
{
	if (pl == NULL)
		return;
	free(pl->alerts_by_rule);
	tag_pool_fini(&pl->tags);
	if (pl->eve != NULL)
		eve_writer_destroy(pl->eve);
	if (pl->dt != NULL)
		detect_thread_destroy(pl->dt);
	if (pl->ft != NULL)
		flow_table_destroy(pl->ft);
	stream_ctx_destroy(pl->st);
	applayer_ctx_destroy(pl->al);
	defrag_ctx_destroy(pl->df);
	free(pl);
}

static void count_layers(struct counters *cnt, const struct packet *p)
{
	if (p->origin.depth == 0 || decode_starts_with_eth(p))
		cnt->c[CNT_ETHERNET]++;
	/* the bits set only: most packets have none */
	for (unsigned e = p->encaps; e != 0; e &= e - 1)
		cnt->c[CNT_GRE + __builtin_ctz(e)]++;
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

static void output_alerts(struct pipeline *pl, const struct packet *p,
			  const struct detect_result *res, const struct stream_window *w)
{
	for (uint32_t i = 0; i < res->nalerts; i++) {
		const struct rule *r = res->alerts[i].rule;
		const struct packet *q = p;

		if (r->order < pl->nrules)
			pl->alerts_by_rule[r->order]++;
		if (pl->eve == NULL)
			continue;
		/* app_proto and the transaction's fields; seen from its direction */
		if (p->flow != NULL && p->flow->app != NULL)
			q = pipeline_app_alert_begin(pl, p, &res->alerts[i]);
		if (res->alerts[i].stream && w != NULL) {
			struct eve_stream_payload sp = {
				.data = w->data, .len = w->len, .gap_before = w->gap_before,
			};

			eve_write_alert_stream(pl->eve, q, &res->alerts[i], &sp);
		} else {
			eve_write_alert(pl->eve, q, &res->alerts[i]);
		}
		eve_writer_set_app(pl->eve, NULL);
	}
}

/* A "drop" record for a dropped packet: every one (flows: all) or the
 * first of each flow direction (flows: start), as Suricata's drop log. */
static void output_drop(struct pipeline *pl, const struct packet *p,
			const struct detect_result *res)
{
	const struct eve_options *o = &pl->eve_opt;

	/* a pseudo packet (stream flush at flow end) is no packet to drop */
	if (res->verdict != VERDICT_DROP || pl->eve == NULL || !o->drop ||
	    (p->flags & PKT_F_PSEUDO))
		return;
	if (!o->drop_all && p->flow != NULL) {
		uint8_t bit = (uint8_t)(1u << p->dir);

		if (p->flow->output_flags & bit)
			return;
		p->flow->output_flags |= bit;
	}
	eve_write_drop(pl->eve, p, res->drop_reason, res->drop_rule);
}

/* Tags: the alerts of p set theirs (on the flow, or on a host in the
 * shared host table), then p counts against its flow's and its hosts' tags
 * (Suricata's PacketAlertFinalize order); a tagged packet is logged once as
 * a "packet" record when tagged-packets is on. Pseudo packets (stream
 * flushes) are no packets to count or log. */
static void output_tags(struct pipeline *pl, const struct packet *p,
			const struct detect_result *res)
{
	struct flow *f = p->flow;
	bool tagged;

	if ((p->flags & PKT_F_PSEUDO) || pl->tags.e == NULL)
		return;
	for (uint32_t i = 0; i < res->nalerts; i++) {
		const struct rule *r = res->alerts[i].rule;

		if (!(r->flags & RULE_F_TAG))
			continue;
		if (r->tag.scope == TAG_SCOPE_HOST)
			detect_tag_host_add(pl->dt, r, p);
		else if (f != NULL)
			tag_add(&pl->tags, f, r, p);
	}
	tagged = f != NULL && f->tags != 0 && tag_packet(&pl->tags, f, p);
	tagged |= detect_tag_host_packet(pl->dt, p);
	if (tagged && pl->eve != NULL && pl->eve_opt.tagged_packets)
		eve_write_packet(pl->eve, p);
}

/* What detection still inspects of flow f (NULL: everything). */
static enum app_inspection flow_inspection(const struct flow *f)
{
	return f != NULL && f->app != NULL ? app_flow_inspection(f->app) : APP_INSPECT_ALL;
}

/* Rules on p, with the stream window w of p's direction when one is due. */
static void inspect(struct pipeline *pl, struct packet *p, const struct stream_window *w,
		    struct detect_result *res)
{
	struct detect_stream ds;

	if (w != NULL)
		ds = (struct detect_stream){ .data = w->data, .len = w->len,
					     .old_len = w->old_len, .seq = w->seq,
					     .mem = applayer_ctx_mem(pl->al) };
	detect_packet_stream(pl->dt, p, w != NULL ? &ds : NULL, res);
	/* the packet's variables go into its records' metadata, as Suricata's
	 * p->pktvar does */
	if (pl->eve != NULL && res->npktvars > 0)
		eve_writer_set_pktvars(pl->eve, res->pktvars, res->npktvars);
	output_alerts(pl, p, res, w);
	output_tags(pl, p, res);
	output_drop(pl, p, res);
	if (pl->eve != NULL && res->npktvars > 0)
		eve_writer_set_pktvars(pl->eve, NULL, 0);
}

/* The packet Suricata makes up to inspect a stream at flow end: the flow's
 * addresses in the stream's direction, no frame (EVE shows the headers
 * Suricata makes up). Its time is the engine's when the end is handled (the
 * newest packet's, at the end of input the capture's last), as Suricata's
 * TimeGet(); the link type is the last packet's, as its global datalink. */
static void pseudo_packet(const struct pipeline *pl, struct packet *p, struct flow *f,
			  uint8_t dir)
{
	unsigned s = f->client ^ dir;

	memset(p, 0, sizeof(*p));
	p->ts_us = pl->now_us > f->last_ts_us ? pl->now_us : f->last_ts_us;
	p->link = pl->link;
	p->ip_ver = f->key.ip_ver;
	p->proto = f->key.proto;
	p->src = f->key.addr[s];
	p->dst = f->key.addr[s ^ 1];
	p->sp = f->key.port[s];
	p->dp = f->key.port[s ^ 1];
	if (f->key.vlan != 0) {
		p->vlan_cnt = 1;
		p->vlan_id[0] = f->key.vlan;
	}
	p->flags = PKT_F_PSEUDO | PKT_F_HAS_FLOW;
	p->flow = f;
	p->dir = dir;
	/* as Suricata's flow-timeout pseudo packets: established, whatever the
	 * session's last state (a closed session's data is still its payload) */
	p->flow_flags = PKT_FLOW_ESTABLISHED |
			(dir == PKT_TO_SERVER ? PKT_FLOW_TOSERVER : PKT_FLOW_TOCLIENT);
}

/* What a flow's end does before its record: what its streams hold and no
 * packet inspected yet is inspected now (pkt_src "stream (flow timeout)"),
 * the app layer gets its end, then the stream and parser state go. */
static void flow_end_data(struct pipeline *pl, struct flow *f)
{
	struct stream_window w;
	struct packet pp;

	for (uint8_t dir = PKT_TO_SERVER; f->stream != NULL && dir <= PKT_TO_CLIENT; dir++) {
		while (stream_flush_next(pl->st, f, dir, &w)) {
			if (pl->dt != NULL && flow_inspection(f) == APP_INSPECT_ALL) {
				pseudo_packet(pl, &pp, f, dir);
				if (pipeline_app_feed(pl, &pp, true))
					w.dir ^= 1u;
				inspect(pl, &pp, &w, &pl->flush_res);
				if (f->app != NULL)
					app_flow_inspected_dir(pl->al, f->app,
							       (enum app_dir)dir);
			}
			stream_window_done(pl->st, f, &w);
		}
	}
	if (f->app != NULL && pl->dt != NULL)
		pipeline_app_end(pl, f);
	stream_flow_free(pl->st, f);
	if (f->app != NULL)
		app_flow_retire(pl->al, f->app);   /* logs the transactions still held */
	detect_flow_streams_free(applayer_ctx_mem(pl->al), f);
	f->flags |= FLOW_F_DATA_ENDED;
}

/* A flow's end: its data's (flow_end_data), at once when its TCP session
 * closed (flow_tcp_done: nothing more can come, so its parser and stream
 * state need not wait for the flow's timeout, as Suricata's app layer gets
 * its end at TCP_CLOSED), else at its release (timeout, eviction, end of
 * input), which also writes its record and lets the rest go. */
static void flow_end(struct pipeline *pl, struct flow *f, bool release)
{
	const struct packet *running = pl->cur_pkt;
	struct packet end;
	struct app_protos ap = { 0 };

	pseudo_packet(pl, &end, f, PKT_TO_SERVER);
	pl->cur_pkt = &end;
	/* what is written now (the flow and netflow records, and what the
	 * end's pseudo packets raise) names the port of the flow's first
	 * packet, as Suricata's flow loggers and flow-timeout pseudo packets
	 * take the flow's livedev */
	if (f->input != pl->input)
		eve_writer_set_iface(pl->eve, pl->inputs[f->input].iface);
	/* forced out at flow.memcap: Suricata 7's FlowGetUsedFlow logs the
	 * flow and clears its state, nothing inspected or logged at its end */
	if (release && f->end_reason == FLOW_END_FORCED && (f->flags & FLOW_F_EMERGENCY)) {
		if (f->app != NULL)
			app_flow_unlogged(f->app);
		f->flags |= FLOW_F_DATA_ENDED;
		stream_flow_free(pl->st, f);
		detect_flow_streams_free(applayer_ctx_mem(pl->al), f);
	}
	if (!(f->flags & FLOW_F_DATA_ENDED))
		flow_end_data(pl, f);
	if (release) {
		if (f->app != NULL)
			app_flow_protos(f->app, &ap);
		tag_flow_release(&pl->tags, f);
		app_flow_free(pl->al, f->app);
		f->app = NULL;
		/* the flow's last word: after what its end inspected could
		 * alert, with the variables detection kept on it ("metadata") */
		if (pl->eve != NULL)
			eve_write_flow(pl->eve, f, &ap);
		detect_flow_free(applayer_ctx_mem(pl->al), f);
	}
	if (f->input != pl->input)
		eve_writer_set_iface(pl->eve, pl->inputs[pl->input].iface);
	pl->cur_pkt = running;
}

static void flow_released(struct flow *f, void *arg)
{
	flow_end(arg, f, true);
}

/* Flow end: the app layer gets what the streams still hold and the end of
 * both directions (close-delimited bodies end), and the transactions that
 * changed are inspected once more with a pseudo packet of each direction. */
static void pipeline_app_end(struct pipeline *pl, struct flow *f)
{
	struct packet pp;

	pseudo_packet(pl, &pp, f, PKT_TO_SERVER);
	pipeline_app_feed(pl, &pp, true);
	app_flow_eof(pl->al, f->app, APP_TO_SERVER);
	app_flow_eof(pl->al, f->app, APP_TO_CLIENT);
	for (uint8_t dir = PKT_TO_SERVER; dir <= PKT_TO_CLIENT; dir++) {
		pseudo_packet(pl, &pp, f, dir);
		/* what the ends raised (a protocol change given up) is the
		 * first pseudo packet's, as Suricata's end-of-stream packet */
		app_flow_take_pkt_events(f->app, &pp.events);
		inspect(pl, &pp, NULL, &pl->flush_res);
		if (pl->eve != NULL)
			eve_write_anomaly_stream(pl->eve, &pp);
		app_flow_inspected_dir(pl->al, f->app, (enum app_dir)dir);
	}
}

/* The exception points (exception.h) p met in the flow and stream steps,
 * added to exc (those met before), each applied (not to a flow a policy
 * or a rule already dropped or passed: its packets are not inspected
 * anyway, as Suricata's never reach its stream engine): whether p goes
 * uninspected, *drop whether it is dropped (pl->exc_why: by which). */
static bool exceptions(struct pipeline *pl, struct packet *p, unsigned exc,
		       const uint64_t before[3], bool *drop)
{
	static const enum counter why[EXC_POINTS] = {
		[EXC_FLOW_MEMCAP] = CNT_DROP_FLOW_MEMCAP, [EXC_SSN_MEMCAP] = CNT_DROP_STREAM_MEMCAP,
		[EXC_REASM_MEMCAP] = CNT_DROP_STREAM_REASM,
		[EXC_DEFRAG_MEMCAP] = CNT_DROP_DEFRAG_MEMCAP,
		[EXC_MIDSTREAM] = CNT_DROP_STREAM_MIDSTREAM,
	};
	static const enum drop_reason reason[EXC_POINTS] = {
		[EXC_FLOW_MEMCAP] = DROP_REASON_FLOW_MEMCAP,
		[EXC_SSN_MEMCAP] = DROP_REASON_STREAM_MEMCAP,
		[EXC_REASM_MEMCAP] = DROP_REASON_STREAM_REASSEMBLY,
		[EXC_DEFRAG_MEMCAP] = DROP_REASON_DEFRAG_MEMCAP,
		[EXC_MIDSTREAM] = DROP_REASON_STREAM_MIDSTREAM,
	};
	const struct stream_stats *ss = pl->st != NULL ? stream_ctx_stats(pl->st) : NULL;
	bool skip = false;

	if (p->flow != NULL && (p->flow->flags & (FLOW_F_ACTION_DROP | FLOW_F_ACTION_PASS)))
		return false;
	if (p->flow == NULL && flow_table_stats(pl->ft)->get_used_failed != before[0])
		exc |= 1u << EXC_FLOW_MEMCAP;
	if (ss != NULL && ss->ssn_memcap_drop != before[1])
		exc |= 1u << EXC_SSN_MEMCAP;
	if (ss != NULL && ss->segment_memcap_drop != before[2])
		exc |= 1u << EXC_REASM_MEMCAP;
	if (p->flags & PKT_F_MIDSTREAM)
		exc |= 1u << EXC_MIDSTREAM;
	for (unsigned pt = 0; pt < EXC_POINTS; pt++) {
		bool was = *drop;

		if (!(exc & (1u << pt)))
			continue;
		skip |= exc_apply(&pl->exc, (enum exc_point)pt, p->flow, drop);
		if (*drop && !was) {
			pl->exc_why = why[pt];
			pl->res.drop_reason = reason[pt];
			pl->res.drop_rule = NULL;
		}
	}
	return skip;
}

/* flow -> stream -> detect -> output for a decoded IP packet; the verdict
 * is left in pl->res. exc: the exception points p met before (defrag's). */
static void run_packet(struct pipeline *pl, struct packet *p, unsigned exc)
{
	struct stream_window win;
	bool have_win, skip = false, drop = false;
	uint64_t before[3] = { 0 };

	pl->cur_pkt = p;
	pl->exc_why = CNT_PKTS;
	if (pl->exc.any) {
		const struct stream_stats *ss = pl->st != NULL ? stream_ctx_stats(pl->st) : NULL;

		before[0] = flow_table_stats(pl->ft)->get_used_failed;
		before[1] = ss != NULL ? ss->ssn_memcap_drop : 0;
		before[2] = ss != NULL ? ss->segment_memcap_drop : 0;
	}
	flow_handle_packet(pl->ft, p);
	if (p->flow_flags & PKT_FLOW_FIRST)
		p->flow->input = pl->input;
	/* what the flow's earlier data decided applies to this packet's payload
	 * (as Suricata's flow flag, set on the packet at flow lookup) */
	if (flow_inspection(p->flow) != APP_INSPECT_ALL)
		p->flags |= PKT_F_NO_PAYLOAD;
	have_win = p->flow != NULL && pl->st != NULL && stream_packet(pl->st, p, &win);
	if (p->flow != NULL && pipeline_app_feed(pl, p, false) && have_win)
		win.dir ^= 1u;

	if (pl->exc.any)
		skip = exceptions(pl, p, exc, before, &drop);
	pl->res.verdict = drop ? VERDICT_DROP : VERDICT_ACCEPT;
	pl->res.nalerts = 0;
	if (pl->dt != NULL && !skip)
		inspect(pl, p, have_win && flow_inspection(p->flow) == APP_INSPECT_ALL ? &win : NULL,
			&pl->res);
	else if (drop)
		output_drop(pl, p, &pl->res);	/* an exception policy's drop */
	if (flow_inspection(p->flow) == APP_INSPECT_NONE)
		p->flow->flags |= FLOW_F_ACTION_PASS;
	if (pl->eve != NULL)
		eve_write_anomaly_stream(pl->eve, p);
	if (have_win)
		stream_window_done(pl->st, p->flow, &win);
	if (p->flow != NULL && p->flow->app != NULL)
		app_flow_inspected_dir(pl->al, p->flow->app, (enum app_dir)p->dir);
	if (p->flow != NULL && !(p->flow->flags & FLOW_F_DATA_ENDED) && flow_tcp_done(p->flow))
		flow_end(pl, p->flow, false);
	pl->cur_pkt = NULL;
}

/* A packet the decoder rejected: no flow, no transport fields. Its
 * decode-event rules run on it, and when only the transport header is
 * broken the IP-level rules too (Suricata alerts "alert ip" on a TCP
 * segment too short for its header). */
static enum detect_verdict run_invalid(struct pipeline *pl, struct packet *p)
{
	p->l4 = NULL;
	p->l4_len = 0;
	p->payload = NULL;
	p->payload_len = 0;
	p->sp = p->dp = 0;
	pl->res.verdict = VERDICT_ACCEPT;
	pl->res.nalerts = 0;
	if (pl->dt != NULL)
		inspect(pl, p, NULL, &pl->res);
	return pl->res.verdict;
}

static enum detect_verdict run_decoded(struct pipeline *pl, struct packet *p, enum counter *why);

/* The packet p's tunnel carries, decoded and run as a packet of its own
 * before p, as Suricata runs its tunnel packets before their parent; p's
 * payload is then left to it. As in Suricata, an inner packet broken below
 * its transport header is dropped from inspection (counted, p keeps its
 * payload), and a Teredo guess that does not decode cleanly was no
 * tunnel. Returns the inner packet's verdict. */
static enum detect_verdict run_tunnel(struct pipeline *pl, struct packet *p, enum counter *why)
{
	struct packet *in;

	/* every tunnel is a decoder layer: depth < layers <= max-layers */
	BUG_ON_HOT(p->origin.depth >= PIPELINE_TUNNEL_MAX);
	in = &pl->tunnel[p->origin.depth];
	decode_tunnel_init(in, p);
	if (decode_packet_keep_origin(in, &pl->decode) != DECODE_OK) {
		if (p->tun.src == PKT_SRC_TEREDO) {
			p->encaps &= (uint16_t)~PKT_ENC_TEREDO;
			return VERDICT_ACCEPT;
		}
		if (!decode_err_is_l4(in->err)) {
			pl->cnt.c[CNT_INVALID]++;
			pl->cnt.decode_err[in->err]++;
			return VERDICT_ACCEPT;
		}
	}
	p->flags |= PKT_F_TUNNEL_ROOT;
	return run_decoded(pl, in, why);
}

/* An IP packet the decoder accepted: its tunnel packet, defrag, then p
 * itself and the datagram a fragment completed. Returns the frame's
 * verdict so far; *why says which counter a drop goes to. */
static enum detect_verdict run_ip(struct pipeline *pl, struct packet *p, enum counter *why);

/* The datagram a fragment completed, decoded and run as a packet of its
 * own (Suricata's defrag pseudo packet). Returns its verdict. */
static enum detect_verdict run_reassembled(struct pipeline *pl, const struct packet *frag,
					   const uint8_t *frame, uint32_t len, enum counter *why)
{
	struct packet rp = {
		.data = frame, .len = len, .wire_len = len, .ts_us = frag->ts_us,
		.pcap_cnt = frag->pcap_cnt, .port_id = frag->port_id,
		.link = frag->link,	/* defrag keeps the fragment's link header */
		.origin = frag->origin,	/* and its place in a tunnel */
	};

	if (decode_packet_keep_origin(&rp, &pl->decode) != DECODE_OK) {
		pl->cnt.decode_err[rp.err]++;
		return VERDICT_ACCEPT;
	}
	rp.flags |= PKT_F_REASSEMBLED;
	return run_ip(pl, &rp, why);
}

static enum detect_verdict run_ip(struct pipeline *pl, struct packet *p, enum counter *why)
{
	enum detect_verdict v = VERDICT_ACCEPT;
	enum counter rwhy = CNT_BLOCKED;
	const uint8_t *frame;
	uint32_t flen = 0;
	unsigned exc = 0;

	/* the first drop of the frame names the counter */
	if (p->tun.data != NULL && run_tunnel(pl, p, why) == VERDICT_DROP)
		v = VERDICT_DROP;
	if (p->flags & (PKT_F_IPV4_FRAG | PKT_F_IPV6_FRAG)) {
		uint64_t refused = defrag_ctx_stats(pl->df)->memcap;

		flen = defrag_packet(pl->df, p, &frame);
		if (defrag_ctx_stats(pl->df)->memcap != refused)
			exc = 1u << EXC_DEFRAG_MEMCAP;
	}
	run_packet(pl, p, pl->exc.any ? exc : 0);
	if (pl->res.verdict == VERDICT_DROP && v != VERDICT_DROP) {
		*why = pl->res.nalerts > 0 ? CNT_BLOCKED :
		       pl->exc_why != CNT_PKTS ? pl->exc_why : CNT_FLOW_DROPPED;
		v = VERDICT_DROP;
	}
	/* the datagram is dropped with the fragment that completed it */
	if (flen > 0 && run_reassembled(pl, p, frame, flen, &rwhy) == VERDICT_DROP &&
	    v != VERDICT_DROP) {
		*why = rwhy;
		v = VERDICT_DROP;
	}
	return v;
}

/* Everything after decode for p (from the wire or out of a tunnel). */
static enum detect_verdict run_decoded(struct pipeline *pl, struct packet *p, enum counter *why)
{
	enum detect_verdict v;

	if (p->err != DECODE_OK) {
		pl->cnt.c[CNT_INVALID]++;
		pl->cnt.decode_err[p->err]++;
		if (pl->eve != NULL)
			eve_write_anomaly(pl->eve, p);
		/* decode-event rules see every rejected packet */
		v = run_invalid(pl, p);
		if (v == VERDICT_DROP)
			*why = CNT_BLOCKED;
		return v;
	}
	if (p->ip_ver == 0) {
		count_layers(&pl->cnt, p);
		return VERDICT_ACCEPT;
	}
	v = run_ip(pl, p, why);
	/* after run_ip: a Teredo guess its inner packet refuted is not counted */
	count_layers(&pl->cnt, p);
	return v;
}

enum detect_verdict pipeline_packet(struct pipeline *pl, struct packet *p)
{
	struct counters *cnt = &pl->cnt;
	enum counter why = CNT_BLOCKED;
	enum detect_verdict v;
	/* p is at the front of packet time: a look may follow it. One from
	 * before (a capture's clock going back) does not move the time the
	 * flows are judged by, so it does not look again at it, even when the
	 * last look ran out of budget */
	bool front = p->ts_us >= pl->now_us;

	cnt->c[CNT_PKTS]++;
	cnt->c[CNT_BYTES] += p->wire_len;
	if (p->ts_us > pl->now_us)
		pl->now_us = p->ts_us;
	pl->link = p->link;

	decode_packet(p, &pl->decode);
	v = run_decoded(pl, p, &why);
	cnt->c[v == VERDICT_DROP ? why : CNT_ACCEPTED]++;

	if (front && pl->now_us >= pl->next_expire_us) {
		bool more = flow_table_expire(pl->ft, pl->now_us, EXPIRE_BUDGET) == EXPIRE_BUDGET;

		pl->next_expire_us = more ? pl->now_us : pl->now_us + EXPIRE_INTERVAL_US;
		defrag_expire(pl->df, pl->now_us);
	}
	return v;
}

bool pipeline_idle(struct pipeline *pl, uint64_t now_us)
{
	bool more;

	if (now_us > pl->now_us)
		pl->now_us = now_us;
	more = flow_table_expire(pl->ft, pl->now_us, PIPELINE_IDLE_BUDGET) ==
	       PIPELINE_IDLE_BUDGET;
	defrag_expire(pl->df, pl->now_us);
	if (pl->eve != NULL)
		eve_writer_flush(pl->eve);
	return more;
}

void pipeline_finish(struct pipeline *pl, uint64_t end_us)
{
	if (end_us > pl->now_us)
		pl->now_us = end_us;
	flow_table_flush(pl->ft, pl->now_us);
	if (pl->eve != NULL)
		eve_writer_flush(pl->eve);
}
