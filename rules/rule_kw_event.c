/* SPDX-License-Identifier: MIT */
/* (added) Also stream-event, app-layer-event and the checksum keywords.
 * decode-event: a decoder event by Suricata's name ("ipv4.trunc_pkt", with
 * or without the "decoder." prefix). Every name Suricata's decoder defines
 * is accepted, so public rule sets load; the detect stage matches those its
 * own decoder raises (decode_err_name()), the others never fire. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../common/events.h"
#include "rule-int.h"

/* Suricata's decoder events, by layer: "<layer>.<event>". */
static const struct {
	const char *layer;
	const char *const *events;
} event_layers[] = {
	{ "ipv4", (const char *const[]){ "pkt_too_small", "hlen_too_small",
		"iplen_smaller_than_hlen", "trunc_pkt", "opt_invalid", "opt_invalid_len",
		"opt_malformed", "opt_pad_required", "opt_eol_required", "opt_duplicate",
		"opt_unknown", "wrong_ip_version", "icmpv6", "frag_pkt_too_large",
		"frag_overlap", "frag_ignored", NULL } },
	{ "icmpv4", (const char *const[]){ "pkt_too_small", "unknown_type", "unknown_code",
		"ipv4_trunc_pkt", "ipv4_unknown_ver", NULL } },
	{ "icmpv6", (const char *const[]){ "unknown_type", "unknown_code", "pkt_too_small",
		"ipv6_unknown_version", "ipv6_trunc_pkt", "mld_message_with_invalid_hl",
		"unassigned_type", "experimentation_type", NULL } },
	{ "ipv6", (const char *const[]){ "pkt_too_small", "trunc_pkt", "trunc_exthdr",
		"exthdr_dupl_fh", "exthdr_useless_fh", "exthdr_dupl_rh", "exthdr_dupl_hh",
		"exthdr_dupl_dh", "exthdr_dupl_ah", "exthdr_dupl_eh", "exthdr_invalid_optlen",
		"wrong_ip_version", "exthdr_ah_res_not_null", "hopopts_unknown_opt",
		"hopopts_only_padding", "dstopts_unknown_opt", "dstopts_only_padding",
		"rh_type_0", "zero_len_padn", "fh_non_zero_reserved_field",
		"data_after_none_header", "unknown_next_header", "icmpv4",
		"frag_pkt_too_large", "frag_overlap", "frag_invalid_length", "frag_ignored",
		"ipv4_in_ipv6_too_small", "ipv4_in_ipv6_wrong_version",
		"ipv6_in_ipv6_too_small", "ipv6_in_ipv6_wrong_version", NULL } },
	{ "tcp", (const char *const[]){ "pkt_too_small", "hlen_too_small", "invalid_optlen",
		"opt_invalid_len", "opt_duplicate", NULL } },
	{ "udp", (const char *const[]){ "pkt_too_small", "hlen_too_small", "hlen_invalid",
		"len_invalid", NULL } },
	{ "sll", (const char *const[]){ "pkt_too_small", NULL } },
	/* idsd's own: Suricata names no Linux cooked v2 event */
	{ "sll2", (const char *const[]){ "pkt_too_small", NULL } },
	{ "ethernet", (const char *const[]){ "pkt_too_small", "unknown_ethertype", NULL } },
	{ "ppp", (const char *const[]){ "pkt_too_small", "vju_pkt_too_small",
		"ip4_pkt_too_small", "ip6_pkt_too_small", "wrong_type", "unsup_proto", NULL } },
	{ "pppoe", (const char *const[]){ "pkt_too_small", "wrong_code", "malformed_tags",
		NULL } },
	{ "gre", (const char *const[]){ "pkt_too_small", "wrong_version", "version0_recur",
		"version0_flags", "version0_hdr_too_big", "version0_malformed_sre_hdr",
		"version1_chksum", "version1_route", "version1_ssr", "version1_recur",
		"version1_flags", "version1_no_key", "version1_wrong_protocol",
		"version1_malformed_sre_hdr", "version1_hdr_too_big", NULL } },
	{ "vlan", (const char *const[]){ "header_too_small", "unknown_type",
		"too_many_layers", NULL } },
	{ "ieee8021ah", (const char *const[]){ "header_too_small", NULL } },
	{ "vntag", (const char *const[]){ "header_too_small", "unknown_type", NULL } },
	/* Suricata 8's (802.1BR E-Tag came after 7); idsd decodes it */
	{ "etag", (const char *const[]){ "header_too_small", "unknown_type", NULL } },
	{ "ipraw", (const char *const[]){ "invalid_ip_version", NULL } },
	{ "ltnull", (const char *const[]){ "pkt_too_small", "unsupported_type", NULL } },
	{ "sctp", (const char *const[]){ "pkt_too_small", NULL } },
	{ "esp", (const char *const[]){ "pkt_too_small", NULL } },
	{ "mpls", (const char *const[]){ "header_too_small", "pkt_too_small",
		"bad_label_router_alert", "bad_label_implicit_null", "bad_label_reserved",
		"unknown_payload_type", NULL } },
	{ "vxlan", (const char *const[]){ "unknown_payload_type", NULL } },
	{ "geneve", (const char *const[]){ "unknown_payload_type", NULL } },
	{ "erspan", (const char *const[]){ "header_too_small", "unsupported_version",
		"too_many_vlan_layers", NULL } },
	{ "dce", (const char *const[]){ "pkt_too_small", NULL } },
	{ "chdlc", (const char *const[]){ "pkt_too_small", NULL } },
	{ "nsh", (const char *const[]){ "header_too_small", "unsupported_version",
		"bad_header_length", "reserved_type", "unsupported_type", "unknown_payload",
		NULL } },
};

#define DECODER_PREFIX "decoder."

/* Suricata's generic event, which has no layer. */
static const char generic_too_many_layers[] = "too_many_layers";

/* Suricata has a decoder event of that name. */
static bool event_known(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t llen;

	if (strcmp(name, generic_too_many_layers) == 0)
		return true;
	if (dot == NULL)
		return false;
	llen = (size_t)(dot - name);
	for (size_t i = 0; i < sizeof(event_layers) / sizeof(event_layers[0]); i++) {
		if (strlen(event_layers[i].layer) != llen ||
		    strncmp(event_layers[i].layer, name, llen) != 0)
			continue;
		for (const char *const *e = event_layers[i].events; *e != NULL; e++)
			if (strcmp(*e, dot + 1) == 0)
				return true;
	}
	return false;
}

int kw_decode_event(struct rule_ctx *c, const char *v)
{
	char name[96];
	size_t n;

	if (strncmp(v, DECODER_PREFIX, strlen(DECODER_PREFIX)) == 0)
		v += strlen(DECODER_PREFIX);
	n = strcspn(v, " \t");
	if (n == 0 || n >= sizeof(name) || v[n + strspn(v + n, " \t")] != '\0')
		return rule_err(c, "decode-event: expected one event name, got '%s'", v);
	memcpy(name, v, n);
	name[n] = '\0';
	if (!event_known(name))
		return rule_err(c, "decode-event: unknown event '%s'", name);
	c->r->decode_event = rule_strtrim(name, n);
	if (c->r->decode_event == NULL)
		return rule_err(c, "out of memory");
	return 0;
}

/* One event name: v trimmed, without blanks inside, into out. */
static int one_name(struct rule_ctx *c, const char *kw, const char *v, char *out, size_t outlen)
{
	size_t n = strcspn(v, " \t");

	if (n == 0 || n >= outlen || v[n + strspn(v + n, " \t")] != '\0')
		return rule_err(c, "%s: expected one event name, got '%s'", kw, v);
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

static int set_pkt_event(struct rule_ctx *c, const char *kw, const char *name)
{
	int id = event_find(EVF_PKT, name);

	/* the packet list holds the stream's events, then applayer_* */
	if (id < 0 || (strncmp(kw, "stream", 6) == 0) != (id < PEV_APPLAYER_FIRST))
		return rule_err(c, "%s: unknown event '%s'", kw, name);
	pkt_event_set(&c->r->pkt_events, (enum pkt_event)id);
	c->r->has |= RULE_HAS_PKTEVENT;
	return 0;
}

/* stream-event:NAME (or stream.NAME): the stream engine raised NAME on the
 * packet. Several must all hold. */
int kw_stream_event(struct rule_ctx *c, const char *v)
{
	char name[96];
	const char *n = name;

	if (one_name(c, "stream-event", v, name, sizeof(name)))
		return -EINVAL;
	if (strncmp(n, "stream.", 7) == 0)
		n += 7;
	return set_pkt_event(c, "stream-event", n);
}

/* engine-event:decoder.NAME|stream.NAME (Suricata 7's detect-engine-event.c:
 * the full name of a decoder or stream event; decode-event and
 * stream-event add the prefix themselves). One decoder event per rule. */
int kw_engine_event(struct rule_ctx *c, const char *v)
{
	if (strncmp(v, DECODER_PREFIX, strlen(DECODER_PREFIX)) == 0) {
		if (c->r->decode_event != NULL)
			return rule_err(c, "engine-event: one decoder event per rule");
		return kw_decode_event(c, v);
	}
	if (strncmp(v, "stream.", 7) == 0)
		return kw_stream_event(c, v);
	return rule_err(c, "engine-event: unknown event '%s' (decoder.NAME or stream.NAME)", v);
}

static const struct {
	const char *name;
	enum app_proto proto;
	enum event_family fam;
} event_protos[] = {
	{ "http", APP_PROTO_HTTP, EVF_HTTP },
	{ "http1", APP_PROTO_HTTP, EVF_HTTP },
	{ "tls", APP_PROTO_TLS, EVF_TLS },
	{ "dns", APP_PROTO_DNS, EVF_DNS },
	{ "smtp", APP_PROTO_SMTP, EVF_SMTP },
	{ "ssh", APP_PROTO_SSH, EVF_SSH },
};

/* app-layer-event:applayer_NAME (a packet event of protocol detection) or
 * PROTO.NAME (an event of the transaction's parser; the rule then belongs
 * to that protocol and is inspected per transaction, like its buffers). */
int kw_app_layer_event(struct rule_ctx *c, const char *v)
{
	char name[128];
	const char *dot;
	struct rule *r = c->r;
	int id;

	if (one_name(c, "app-layer-event", v, name, sizeof(name)))
		return -EINVAL;
	if (strncmp(name, "applayer_", 9) == 0)
		return set_pkt_event(c, "app-layer-event", name);
	dot = strchr(name, '.');
	if (dot == NULL)
		return rule_err(c, "app-layer-event: expected PROTO.EVENT or applayer_EVENT, got '%s'",
				name);
	for (size_t i = 0; i < sizeof(event_protos) / sizeof(event_protos[0]); i++) {
		size_t plen = strlen(event_protos[i].name);

		if ((size_t)(dot - name) != plen || strncmp(name, event_protos[i].name, plen) != 0)
			continue;
		if (r->app_events && r->app_event_proto != event_protos[i].proto)
			return rule_err(c, "app-layer-event: events of two protocols in one rule");
		id = event_find(event_protos[i].fam, dot + 1);
		if (id < 0)
			return rule_err(c, "app-layer-event: unknown event '%s'", name);
		r->app_events |= 1ull << id;
		r->app_event_proto = (uint8_t)event_protos[i].proto;
		r->app_has |= RULE_APP_HAS_EVENT;
		return 0;
	}
	name[dot - name] = '\0';
	return rule_err(c, "app-layer-event: unsupported protocol '%s'", name);
}

/* <layer>-csum:valid|invalid (quotes allowed, as Suricata). */
static int csum_kw(struct rule_ctx *c, const char *v, enum rule_csum which)
{
	char *u = v[0] == '"' ? rule_unquote(v) : NULL;
	const char *s = u ? u : v;
	bool valid;

	if (strcmp(s, "valid") == 0) {
		valid = true;
	} else if (strcmp(s, "invalid") == 0) {
		valid = false;
	} else {
		free(u);
		return rule_err(c, "checksum keyword: expected valid or invalid, got '%s'", v);
	}
	free(u);
	if (c->r->csum_check & (1u << which))
		return rule_err(c, "checksum keyword given twice");
	c->r->csum_check |= (uint8_t)(1u << which);
	if (valid)
		c->r->csum_valid |= (uint8_t)(1u << which);
	c->r->has |= RULE_HAS_CSUM;
	return 0;
}

int kw_ipv4_csum(struct rule_ctx *c, const char *v) { return csum_kw(c, v, CSUM_IPV4); }
int kw_tcpv4_csum(struct rule_ctx *c, const char *v) { return csum_kw(c, v, CSUM_TCPV4); }
int kw_tcpv6_csum(struct rule_ctx *c, const char *v) { return csum_kw(c, v, CSUM_TCPV6); }
int kw_udpv4_csum(struct rule_ctx *c, const char *v) { return csum_kw(c, v, CSUM_UDPV4); }
int kw_udpv6_csum(struct rule_ctx *c, const char *v) { return csum_kw(c, v, CSUM_UDPV6); }
int kw_icmpv4_csum(struct rule_ctx *c, const char *v) { return csum_kw(c, v, CSUM_ICMPV4); }
int kw_icmpv6_csum(struct rule_ctx *c, const char *v) { return csum_kw(c, v, CSUM_ICMPV6); }
