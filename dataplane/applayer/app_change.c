// SPDX-License-Identifier: MIT
/* A flow's application protocol changes midway, as Suricata 7 does it
 * (AppLayerRequestProtocolChange and the FlowChangeProto branch of its
 * AppLayerHandleTCPData):
 *
 *  - a parser asks for it once the peers agreed to switch (SMTP STARTTLS
 *    and FTP AUTH TLS accepted: TLS expected; an HTTP CONNECT answered
 *    2xx: any protocol). A second request while one is under way is
 *    refused (SMTP raises failed_protocol_change);
 *  - the old parser finishes the bytes it was given; the next bytes, of
 *    either direction, go to protocol detection run over again, the old
 *    parser's state kept aside (the flow's protocol stays the old one
 *    meanwhile, as Suricata reverts to it between tries);
 *  - a protocol found takes the flow: the old state is released, and when
 *    a protocol was expected and another came, applayer_unexpected_protocol
 *    is raised, with applayer_no_tls_after_starttls when TLS was expected;
 *  - nothing found after FLOW_PROTO_CHANGE_MAX_DEPTH bytes of a direction,
 *    or at a direction's end: the app layer gives up on the flow (failed),
 *    with the same events.
 * EVE shows the old protocol as app_proto_orig and the expected one as
 * app_proto_expected where they differ from app_proto (app_flow_protos).
 * Only TCP flows change (the parsers that ask are TCP ones). */
#include <errno.h>

#include "applayer-int.h"

/* Suricata's FLOW_PROTO_CHANGE_MAX_DEPTH: bytes of a direction detection
 * gets before a change is given up. */
#define APP_CHANGE_MAX_DEPTH 4096u

bool app_flow_request_change(struct app_flow *af, enum app_proto expect)
{
	if (af->changing)
		return false;
	af->changing = true;
	af->proto_orig = af->proto;
	af->proto_expect = (uint8_t)expect;
	return true;
}

/* Detection starts over: the old parser's state aside, each direction
 * unjudged. */
static void start_over(struct app_flow *af)
{
	af->orig_state = af->state;
	af->state = NULL;
	af->proto = APP_PROTO_UNKNOWN;
	for (int d = 0; d < 2; d++) {
		af->failed[d] = false;
		af->judged[d] = false;
		af->undecided[d] = 0;
		abuf_free(&af->probe[d]);
	}
	af->banner220 = false;
	af->dir_proto[0] = af->dir_proto[1] = APP_PROTO_UNKNOWN;
}

/* The old parser's transactions go to the owner and its state is freed;
 * af's current protocol and state are left as they are. */
static void release_orig(struct applayer_ctx *ctx, struct app_flow *af)
{
	const uint8_t proto = af->proto;
	const bool detect_only = af->detect_only;
	void *state = af->state;

	/* only a parsed protocol asks for a change */
	af->proto = af->proto_orig;
	af->state = af->orig_state;
	af->detect_only = false;
	app_state_release(ctx, af);
	af->proto = proto;
	af->state = state;
	af->detect_only = detect_only;
	af->orig_state = NULL;
}

/* The change is decided: af->proto is the new protocol (or failed). */
static void decided(struct applayer_ctx *ctx, struct app_flow *af)
{
	af->changing = false;
	release_orig(ctx, af);
	if (af->proto_expect == APP_PROTO_UNKNOWN || af->proto == af->proto_expect)
		return;
	app_ev_raise(af, PEV_APPLAYER_UNEXPECTED_PROTOCOL);
	if (af->proto_expect == APP_PROTO_TLS)
		app_ev_raise(af, PEV_APPLAYER_NO_TLS_AFTER_STARTTLS);
}

static void give_up(struct applayer_ctx *ctx, struct app_flow *af)
{
	app_disable(ctx, af);
	decided(ctx, af);
}

int app_change_data(struct applayer_ctx *ctx, struct app_flow *af, enum app_dir dir,
		    const uint8_t *d, uint32_t len, uint64_t ts_us)
{
	if (af->orig_state == NULL)
		start_over(af);
	if (!af->failed[dir])
		app_detect_data(ctx, af, dir, d, len, ts_us);
	if (af->proto != APP_PROTO_UNKNOWN) {
		decided(ctx, af);
		return af->gave_up ? -EINVAL : 0;
	}
	af->undecided[dir] = len > APP_CHANGE_MAX_DEPTH - af->undecided[dir] ?
			     APP_CHANGE_MAX_DEPTH : af->undecided[dir] + len;
	if (af->undecided[dir] >= APP_CHANGE_MAX_DEPTH)
		give_up(ctx, af);
	return 0;
}

void app_change_eof(struct applayer_ctx *ctx, struct app_flow *af)
{
	/* asked for, no byte came since: detection never started over */
	if (af->orig_state == NULL)
		start_over(af);
	give_up(ctx, af);
}
