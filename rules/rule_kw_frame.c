// SPDX-License-Identifier: MIT
/* frame:[PROTO.]NAME, Suricata 7's app-layer frames (detect-frame.c): a
 * sticky buffer holding one unit of a protocol's records as its parser
 * delimits it. Resolved as Suricata resolves it: a PROTO prefix that is an
 * app-layer protocol names the frame's protocol (and makes the rule one of
 * it, or must agree with the rule's); otherwise the whole value is a frame
 * of the rule's protocol ("frame:pdu" in a dns rule; "ssl2.hdr" in a tls
 * rule). The rule must be a TCP or UDP one, the frame one its protocol
 * defines over that transport.
 *
 * idsd implements dns.pdu (a DNS message, over UDP the datagram's payload,
 * over TCP without its 2-byte length prefix: one buffer for both). The
 * other frames Suricata 7 defines for the protocols idsd parses are known
 * and refused as unsupported, never ignored; any other name is Suricata's
 * "unknown frame". As in Suricata, a frame rule inspects its frame only:
 * payload or transaction keywords are refused in it. */
#include <string.h>

#include "rule-int.h"
#include "rules.h"

#define FRAME_TCP 0x1u
#define FRAME_UDP 0x2u

static const struct frame_def {
	enum app_proto proto;
	const char *name;
	uint8_t transports;       /* FRAME_TCP, FRAME_UDP */
	enum rule_buffer buf;     /* RULE_BUF_PAYLOAD: known, not implemented */
} frames[] = {
	{ APP_PROTO_DNS, "pdu", FRAME_TCP | FRAME_UDP, RULE_BUF_DNS_PDU },
	{ APP_PROTO_HTTP, "request", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_HTTP, "response", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_TLS, "pdu", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_TLS, "hdr", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_TLS, "data", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_TLS, "alert", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_TLS, "heartbeat", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_TLS, "ssl2.hdr", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_TLS, "ssl2.pdu", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_SMTP, "command_line", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_SMTP, "data", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_SMTP, "response_line", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_SSH, "record_hdr", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_SSH, "record_data", FRAME_TCP, RULE_BUF_PAYLOAD },
	{ APP_PROTO_SSH, "record_pdu", FRAME_TCP, RULE_BUF_PAYLOAD },
};

static uint8_t rule_transports(const struct rule *r)
{
	switch (r->proto) {
	case RULE_PROTO_IP:
		return FRAME_TCP | FRAME_UDP;
	case RULE_PROTO_TCP:
	case RULE_PROTO_TCP_STREAM:
		return FRAME_TCP;
	case RULE_PROTO_UDP:
		return FRAME_UDP;
	default:
		return 0;
	}
}

int rule_kw_frame(struct rule_ctx *c, const char *v)
{
	struct rule *r = c->r;
	const char *dot = strchr(v, '.'), *fname = v;
	enum app_proto proto = APP_PROTO_UNKNOWN;
	uint8_t tr = rule_transports(r);

	if (tr == 0)
		return rule_err(c, "'frame' keyword only supported for TCP and UDP");
	if (dot != NULL)
		proto = rule_app_proto_by_name(v, (size_t)(dot - v));
	if (proto != APP_PROTO_UNKNOWN) {
		fname = dot + 1;
	} else {
		/* the short form: a frame of the rule's protocol */
		proto = (enum app_proto)r->app_proto;
		if (proto == APP_PROTO_UNKNOWN)
			return rule_err(c, "rule protocol unknown, can't use shorthand notation "
					"for frame '%s'", v);
	}
	if (r->app_proto != APP_PROTO_UNKNOWN && r->app_proto != proto)
		return rule_err(c, "frame '%s' protocol '%s' mismatch with rule protocol '%s'", v,
				rule_app_proto_name(proto),
				rule_app_proto_name((enum app_proto)r->app_proto));
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		const struct frame_def *f = &frames[i];

		if (f->proto != proto || strcmp(f->name, fname) != 0 || !(f->transports & tr))
			continue;
		if (f->buf == RULE_BUF_PAYLOAD)
			return rule_err(c, "frame '%s.%s' is not supported (idsd implements dns.pdu)",
					rule_app_proto_name(proto), fname);
		r->app_proto = (uint8_t)proto;
		return rule_sticky(c, f->buf);
	}
	return rule_err(c, "unknown frame '%s' for protocol '%s'", fname,
			rule_app_proto_name(proto));
}

int rule_frame_finish(struct rule_ctx *c)
{
	const struct rule *r = c->r;
	const rule_bufset frame_bufs = RULE_BUF_BIT(RULE_BUF_DNS_PDU);
	rule_bufset used = r->app_bufs;

	for (uint32_t i = 0; i < r->nmatch; i++)
		used |= RULE_BUF_BIT(r->match[i].buf);
	if (!(used & frame_bufs))
		return 0;
	if ((used & ~frame_bufs) || r->app_has)
		return rule_err(c, "a frame rule inspects its frame only: no payload or "
				"transaction keywords beside it");
	return 0;
}
