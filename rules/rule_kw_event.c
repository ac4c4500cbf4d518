/* SPDX-License-Identifier: MIT */
/* decode-event: a decoder event by Suricata's name ("ipv4.trunc_pkt", with
 * or without the "decoder." prefix). Every name Suricata's decoder defines
 * is accepted, so public rule sets load; the detect stage matches those its
 * own decoder raises (decode_err_name()), the others never fire. */
#include <stdbool.h>
#include <string.h>

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
		"ipv6_in_ipv6_too_small", "ipv6_in_ipv6_wrong_version",
		/* idsd's own: payload length 0 without a jumbo option */
		"plen_invalid", NULL } },
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
