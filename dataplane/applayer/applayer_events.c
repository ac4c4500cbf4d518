// SPDX-License-Identifier: MIT
/* Suricata 7's generic app-layer events (app-layer.c, its
 * app-layer-event:applayer_* keyword), raised by protocol detection:
 *  - wrong_direction_first_data: the protocol found is one whose parser
 *    wants the client to speak first (HTTP: its
 *    AppLayerParserRegisterParserAcceptableDataDirection), and the server
 *    did; the parser then never sees the flow, as Suricata's parser error;
 *  - detect_protocol_only_one_direction: one direction started a protocol,
 *    the first bytes of the other start none;
 *  - mismatch_protocol_both_directions: they start another one (the first
 *    found stays the flow's);
 *  - proto_detection_skipped: no protocol after more than 100000 bytes of a
 *    direction judged already, the other silent or undecided (or after
 *    200000 bytes whatever the other): detection stops there
 *    (TCPProtoDetectCheckBailConditions, at its smallest limit).
 * On UDP (Suricata 7's AppLayerHandleUdp) only the mismatch: each
 * direction's first datagram is probed, the second's after the protocol is
 * known from the first. The two directions' probes are
 * idsd's own (applayer_detect.c); a protocol whose server side has no
 * signature there (SMTP, FTP: a "220" greeting decides nothing) gives no
 * one-direction event. */
#include "applayer-int.h"

#define SKIP_LIMIT 100000u

_Static_assert(PEV_MAX - PEV_APPLAYER_FIRST <= 8, "app_flow.pev holds the applayer_* events");

void app_ev_raise(struct app_flow *af, enum pkt_event ev)
{
	af->pev |= (uint8_t)(1u << (ev - PEV_APPLAYER_FIRST));
}

void app_flow_take_pkt_events(struct app_flow *af, struct pkt_events *ev)
{
	for (unsigned bits = af->pev; bits != 0; bits &= bits - 1)
		pkt_event_set(ev, (enum pkt_event)(PEV_APPLAYER_FIRST + __builtin_ctz(bits)));
	af->pev = 0;
}

/* The parser wants the client's bytes first (Suricata's acceptable data
 * direction: to server only). Of the protocols parsed here that is HTTP's
 * registration (app-layer-htp.c); TLS, SMB and DCERPC are not held to it
 * (not established for Suricata 7's parsers of them). */
static bool client_first(enum app_proto p)
{
	return p == APP_PROTO_HTTP;
}

/* The probes know the protocol from either side's first bytes. */
static bool both_sides(enum app_proto p)
{
	return p != APP_PROTO_SMTP && p != APP_PROTO_FTP;
}

bool app_ev_undecided(struct app_flow *af, enum app_dir dir, uint32_t len)
{
	const enum app_dir o = (enum app_dir)!dir;

	if (af->ipproto != 6)
		return false;
	af->undecided[dir] = af->undecided[dir] + len < af->undecided[dir] ? UINT32_MAX
									    : af->undecided[dir] + len;
	/* both judged and failed: the flow is given up without an event */
	if (af->failed[dir] && af->failed[o])
		return false;
	if (af->undecided[dir] > 2 * SKIP_LIMIT ||
	    (af->failed[dir] && af->undecided[dir] > SKIP_LIMIT && !af->failed[o])) {
		app_ev_raise(af, PEV_APPLAYER_PROTO_DETECTION_SKIPPED);
		return true;
	}
	return false;
}

bool app_ev_detected(struct app_flow *af, enum app_dir dir, enum app_proto p)
{
	const enum app_dir o = (enum app_dir)!dir;

	af->judged[dir] = true;
	if (af->ipproto != 6)
		return false;
	/* after a protocol change the data went to a parser already
	 * (Suricata's APP_LAYER_DATA_ALREADY_SENT_TO_APP_LAYER) */
	if (af->first_dir == 1 + APP_TO_CLIENT && client_first(p) && af->proto_orig == 0) {
		app_ev_raise(af, PEV_APPLAYER_WRONG_DIRECTION_FIRST_DATA);
		return true;
	}
	if (af->failed[o]) {
		af->judged[o] = true;
		if (both_sides(p)) {
			app_ev_raise(af, PEV_APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION);
			af->dir_proto[o] = APP_PROTO_FAILED;
		}
	}
	return false;
}

void app_ev_other_dir(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		      const uint8_t *d, uint32_t len)
{
	struct abuf *pb = &af->probe[dir];
	enum app_proto p;
	bool other;	/* the protocol is known: the flow stays as it is */

	if (af->ipproto != 6) {
		/* Suricata 7's UDP (AppLayerHandleUdp): the first datagram
		 * judges; none started: the flow's protocol */
		af->judged[dir] = true;
		p = app_probe(ctx, af, dir, d, len, &other);
		if (p != APP_PROTO_UNKNOWN && p != af->proto)
			app_ev_raise(af, PEV_APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS);
		af->dir_proto[dir] = (uint8_t)(p != APP_PROTO_UNKNOWN ? p : af->proto);
		return;
	}
	/* as detection: a direction is judged on APP_PROBE_MIN bytes */
	if (pb->len + len < APP_PROBE_MIN) {
		if (abuf_append(pb, d, len))
			ctx->stats.nomem++;
		return;
	}
	if (pb->len) {
		if (abuf_append(pb, d, len)) {
			ctx->stats.nomem++;
			abuf_free(pb);
			return;
		}
		d = pb->p;
		len = pb->len;
	}
	af->judged[dir] = true;
	p = app_probe(ctx, af, dir, d, len, &other);
	/* detection knows TLS by a handshake record; its other side may start
	 * with any record (an alert, a heartbeat), as Suricata's probe takes */
	if (p == APP_PROTO_UNKNOWN && af->proto == APP_PROTO_TLS && d[0] >= 20 && d[0] <= 24 &&
	    d[1] == 3 && d[2] <= 4)
		p = APP_PROTO_TLS;
	if (p != APP_PROTO_UNKNOWN && p != af->proto)
		app_ev_raise(af, PEV_APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS);
	else if (p == APP_PROTO_UNKNOWN && both_sides((enum app_proto)af->proto)) {
		app_ev_raise(af, PEV_APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION);
		p = APP_PROTO_FAILED;
	}
	af->dir_proto[dir] = (uint8_t)p;
	abuf_free(pb);
}
