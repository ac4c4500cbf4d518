/* SPDX-License-Identifier: MIT */
/* Transport dispatch for IPv4 and IPv6 (after the extension headers), and
 * the L4 checksum check that needs the IP layer's pseudo header. Tunnels
 * (GRE, IP in IP, and over UDP) are decoded only in a whole datagram: a
 * first fragment waits for its reassembly, as in Suricata. */
#include "decode-int.h"

enum decode_err decode_l4(struct packet *p, const uint8_t *b, uint32_t len, bool first_frag,
			  const uint8_t *csum_dst, const struct decode_opts *o)
{
	enum decode_err err;

	switch (p->proto) {
	case IPPROTO_NUM_TCP:
		err = decode_tcp(p, b, len, first_frag);
		break;
	case IPPROTO_NUM_UDP:
		err = decode_udp(p, b, len, first_frag);
		break;
	case IPPROTO_NUM_ICMP:
		/* ICMPv4 inside IPv6 is meaningless: not decoded, Suricata's
		 * ipv6.icmpv4 event (ICMPv6 in IPv4 is rejected by decode_ipv4) */
		if (p->ip_ver != 4) {
			if (!first_frag)
				decode_ev_set(p, DEV_IPV6_WITH_ICMPV4);
			return DECODE_OK;
		}
		err = decode_icmpv4(p, b, len, first_frag);
		break;
	case IPPROTO_NUM_ICMPV6:
		if (p->ip_ver != 6)
			return DECODE_OK;
		err = decode_icmpv6(p, b, len, first_frag);
		break;
	case IPPROTO_NUM_GRE:
		return first_frag ? DECODE_OK : decode_gre(p, b, len, o);
	case IPPROTO_NUM_IPIP:
	case IPPROTO_NUM_IPV6:
		return first_frag ? DECODE_OK : decode_ip_in_ip(p, b, len, o);
	default:
		return DECODE_OK;
	}
	/* a fragment's checksum covers the whole datagram: not checkable here */
	if (err == DECODE_OK && o->csum_check && !first_frag && p->l4 != NULL &&
	    !csum_l4_ok(p, csum_dst))
	{
		p->flags |= PKT_F_CSUM_BAD;
		p->csum |= PKT_CSUM_L4_BAD;
	}
	if (err == DECODE_OK && p->proto == IPPROTO_NUM_UDP && !first_frag && p->l4 != NULL)
		err = decode_udp_tunnel(p, o);
	return err;
}
