/* SPDX-License-Identifier: MIT */
/* IPv6 (RFC 8200) and its extension-header chain.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |              Flow Label               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Payload Length         |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Source Address (16)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Destination Address (16)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Hop-by-hop (0), routing (43), destination options (60), mobility (135):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  | Hdr Ext Len   |  data ... ((Hdr Ext Len + 1) * 8 bytes in all)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Hop-by-hop and destination options carry TLVs: Pad1 is one zero byte,
 * every other option is [type][data length][data].
 *
 * Fragment (44), 8 bytes:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |  Fragment Offset (x8)   |Res|M|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * AH (51, RFC 4302): [Next Header][Payload Len][Reserved(2)][SPI][Seq][ICV],
 * (Payload Len + 2) * 4 bytes in all.
 *
 * The chain is checked as Suricata 7 checks it, with its ipv6.* decoder
 * events on a packet that is still decoded: a header of a kind seen before
 * (exthdr_dupl_*), an option past its header, unknown or only padding,
 * routing type 0, a fragment header with its reserved byte set or that
 * fragments nothing, AH's reserved field, bytes after "no next header", a
 * PadN without data (zero_len_padn), an upper layer it has no decoder case
 * for (unknown_next_header).
 * (ipv6.exthdr_dupl_eh is not raised: ESP ends the chain in Suricata 7 as
 * here, so it never sees a second one.)
 */
#include <string.h>

#include "decode-int.h"

/* A chain longer than this is hostile: real stacks send two or three. */
#define IPV6_EXTHDR_MAX 16

#define IPPROTO_NUM_HIP   139
#define IPPROTO_NUM_SHIM6 140
#define IPV6_AH_MIN_LEN   12   /* next header, length, reserved, SPI, sequence */

/* TLV option types (RFC 8200 4.2, 2711, 2675, 6275) */
#define IPV6_OPT_PAD1   0x00
#define IPV6_OPT_PADN   0x01
#define IPV6_OPT_RA     0x05   /* data length 2 */
#define IPV6_OPT_JUMBO  0xc2   /* data length 4 */
#define IPV6_OPT_HAO    0xc9   /* data length 16 */

/* What the TLV options of one hop-by-hop or destination header hold. */
struct ipv6_opt_scan {
	uint32_t jumbo;        /* a jumbo payload length, 0: none */
	uint16_t pad, other;   /* padding options; options that are not (jumbo aside) */
	bool unknown;          /* a type not listed above */
	bool zero_padn;        /* a PadN with no data (RFC 8200 allows it; Suricata flags it) */
	bool bad_len;          /* an option running past the header, or too short
				* for its type: the walk stopped there */
};

/* Walk the n option bytes after a header's first two, as Suricata 7 counts
 * them (its jumbo option counts as neither padding nor other). Each step
 * consumes at least one byte. */
static void ipv6_opts(const uint8_t *opt, uint32_t n, struct ipv6_opt_scan *sc)
{
	uint32_t i = 0;

	*sc = (struct ipv6_opt_scan){ 0 };
	while (i < n) {
		uint32_t dlen;

		if (opt[i] == IPV6_OPT_PAD1) {
			sc->pad++;
			i++;
			continue;
		}
		if (n - i < 2 || (dlen = opt[i + 1]) + 2 > n - i) {
			sc->bad_len = true;
			return;
		}
		switch (opt[i]) {
		case IPV6_OPT_PADN:
			sc->pad++;
			sc->zero_padn |= dlen == 0;
			break;
		case IPV6_OPT_RA:
			if (dlen < 2)
				goto short_opt;
			sc->other++;
			break;
		case IPV6_OPT_JUMBO:
			if (dlen < 4)
				goto short_opt;
			sc->jumbo = rd32(opt + i + 2);
			break;
		case IPV6_OPT_HAO:
			if (dlen < 16)
				goto short_opt;
			sc->other++;
			break;
		default:
			sc->unknown = true;
			sc->other++;
			break;
		}
		i += dlen + 2;
	}
	return;
short_opt:
	sc->bad_len = true;
}

/* RFC 2675: payload length 0 means a jumbogram, whose real length is in a
 * jumbo option of a hop-by-hop header that must come first. Returns the
 * payload length, or 0 when the packet is not a valid jumbogram. */
static uint32_t ipv6_jumbo_len(const uint8_t *b, uint32_t len)
{
	struct ipv6_opt_scan sc;
	uint32_t hlen;

	if (b[6] != IPPROTO_NUM_HOPOPTS || len < IPV6_HDR_LEN + 2)
		return 0;
	hlen = ((uint32_t)b[IPV6_HDR_LEN + 1] + 1) * 8;
	if (hlen > len - IPV6_HDR_LEN)
		return 0;
	ipv6_opts(b + IPV6_HDR_LEN + 2, hlen - 2, &sc);
	if (sc.bad_len)
		return 0;
	return sc.jumbo > 0xffff ? sc.jumbo : 0;
}

/* Final destination named by a routing header h (already checked to fit)
 * that still has segments left, or NULL for a type whose layout is not known
 * here. Type 0 (RFC 2460, deprecated): the last of its addresses. Type 2
 * (RFC 6275): its one home address. Type 4 (SRH, RFC 8754): Segment
 * List[0]. The header holds (h[1] + 1) * 8 bytes, so naddr addresses of 16
 * bytes fit after its first 8. */
static const uint8_t *ipv6_rt_final_dst(const uint8_t *h)
{
	uint32_t naddr = h[1] / 2;

	if (h[3] == 0 || naddr == 0)
		return NULL;
	switch (h[2]) {
	case 0:
		return h + 8 + (naddr - 1) * 16;
	case 2:
	case 4:
		return h + 8;
	default:
		return NULL;
	}
}

/* An upper layer Suricata 7's IPv6 decoder has a case for (its
 * DecodeIPV6/DecodeIPV6ExtHdrs switches); any other is its
 * ipv6.unknown_next_header. */
static bool ipv6_known_upper(uint8_t nh)
{
	switch (nh) {
	case IPPROTO_NUM_TCP:
	case IPPROTO_NUM_UDP:
	case IPPROTO_NUM_ICMPV6:
	case IPPROTO_NUM_SCTP:
	case IPPROTO_NUM_IPIP:
	case IPPROTO_NUM_IPV6:
	case IPPROTO_NUM_GRE:
	case IPPROTO_NUM_ESP:
	case IPPROTO_NUM_NONE:
	case IPPROTO_NUM_ICMP:
		return true;
	default:
		return false;
	}
}

static inline bool ipv6_is_exthdr(uint8_t nh)
{
	switch (nh) {
	case IPPROTO_NUM_HOPOPTS:
	case IPPROTO_NUM_ROUTING:
	case IPPROTO_NUM_FRAGMENT:
	case IPPROTO_NUM_AH:
	case IPPROTO_NUM_DSTOPTS:
	case IPPROTO_NUM_MOBILITY:
	case IPPROTO_NUM_HIP:
	case IPPROTO_NUM_SHIM6:
		return true;
	default:
		return false;
	}
}

/* One fragment header at h. Returns true when this is not the first
 * fragment (no L4 header follows). */
static bool ipv6_frag(struct packet *p, const uint8_t *h)
{
	uint16_t offmf = rd16(h + 2);

	p->flags |= PKT_F_IPV6_FRAG;
	p->frag_off = offmf & 0xfff8; /* offset in 8-byte units, already x8 in place */
	p->frag_mf = offmf & 1;
	p->ip_id = (uint16_t)rd32(h + 4);
	return p->frag_off != 0;
}

/* Where the chain walk is: the headers seen once already, the routing
 * header's final destination, the fragment state. */
struct ipv6_walk {
	bool hop, rt, ah, frag, later_frag;
	uint8_t dst;                 /* destination options headers seen */
	const uint8_t *rt_dst;
};

/* A hop-by-hop or destination options header h of hlen bytes: its options'
 * events, as Suricata 7's DecodeIPV6ExtHdrs raises them. */
static void ipv6_opts_events(struct packet *p, const uint8_t *h, uint32_t hlen, bool hop)
{
	struct ipv6_opt_scan sc;

	ipv6_opts(h + 2, hlen - 2, &sc);
	if (sc.bad_len)
		decode_ev_set(p, DEV_IPV6_INVALID_OPTLEN);
	if (sc.zero_padn)
		decode_ev_set(p, DEV_IPV6_ZERO_LEN_PADN);
	if (sc.unknown)
		decode_ev_set(p, hop ? DEV_IPV6_HOPOPTS_UNKNOWN : DEV_IPV6_DSTOPTS_UNKNOWN);
	if (sc.pad > 0 && sc.other == 0)
		decode_ev_set(p, hop ? DEV_IPV6_HOPOPTS_PADDING : DEV_IPV6_DSTOPTS_PADDING);
}

/* The extension header h (avail bytes left, at least 2) of type nh: its
 * length in *hlen, its events. A header of a kind seen before is only
 * skipped, as Suricata does (its exthdr_dupl_* event); destination
 * options may come twice (before routing and before the upper layer). */
static enum decode_err ipv6_exthdr(struct packet *p, struct ipv6_walk *w, uint8_t nh,
				   const uint8_t *h, uint32_t avail, uint32_t *hlen)
{
	switch (nh) {
	case IPPROTO_NUM_FRAGMENT:
		*hlen = 8;
		break;
	case IPPROTO_NUM_AH:
		/* RFC 4302 2.2: (Payload Len + 2) * 4, 12 at least */
		*hlen = h[1] == 0 ? IPV6_AH_MIN_LEN : ((uint32_t)h[1] + 2) * 4;
		break;
	default:
		*hlen = ((uint32_t)h[1] + 1) * 8;
		break;
	}
	if (*hlen > avail)
		return DECODE_IPV6_EXTHDR_BAD;

	switch (nh) {
	case IPPROTO_NUM_HOPOPTS:
		if (w->hop) {
			decode_ev_set(p, DEV_IPV6_DUPL_HH);
			break;
		}
		w->hop = true;
		ipv6_opts_events(p, h, *hlen, true);
		break;
	case IPPROTO_NUM_DSTOPTS:
		if (w->dst == 2) {
			decode_ev_set(p, DEV_IPV6_DUPL_DH);
			break;
		}
		w->dst++;
		ipv6_opts_events(p, h, *hlen, false);
		break;
	case IPPROTO_NUM_ROUTING:
		if (w->rt) {
			decode_ev_set(p, DEV_IPV6_DUPL_RH);
			break;
		}
		w->rt = true;
		if (h[2] == 0)
			decode_ev_set(p, DEV_IPV6_RH_TYPE_0);
		w->rt_dst = ipv6_rt_final_dst(h);
		break;
	case IPPROTO_NUM_FRAGMENT:
		/* RFC 8200 4.5: the second byte is reserved */
		if (h[1] != 0)
			decode_ev_set(p, DEV_IPV6_FH_RESERVED);
		if (w->frag) {
			decode_ev_set(p, DEV_IPV6_DUPL_FH);
			break;
		}
		w->frag = true;
		w->later_frag = ipv6_frag(p, h);
		/* offset 0 and no more fragments: the whole datagram */
		if (p->frag_off == 0 && !p->frag_mf)
			decode_ev_set(p, DEV_IPV6_USELESS_FH);
		break;
	case IPPROTO_NUM_AH:
		if (h[2] != 0 || h[3] != 0)
			decode_ev_set(p, DEV_IPV6_AH_RES_NOT_NULL);
		if (w->ah)
			decode_ev_set(p, DEV_IPV6_DUPL_AH);
		w->ah = true;
		break;
	default:
		/* mobility, HIP, shim6: skipped unparsed */
		break;
	}
	return DECODE_OK;
}

enum decode_err decode_ipv6(struct packet *p, const uint8_t *b, uint32_t len,
			    const struct decode_opts *o)
{
	uint32_t tot, off = IPV6_HDR_LEN;
	uint8_t nh;
	unsigned int n;
	struct ipv6_walk w = { 0 };
	enum decode_err err;

	if (len < IPV6_HDR_LEN)
		return DECODE_IPV6_SMALL;
	if ((b[0] >> 4) != 6)
		return DECODE_IPV6_VER_BAD;
	tot = IPV6_HDR_LEN + rd16(b + 4);
	if (tot == IPV6_HDR_LEN) {
		uint32_t jumbo = ipv6_jumbo_len(b, len);

		/* without a valid jumbo option the payload is empty, as Suricata
		 * reads it: the next header then finds no room (tcp.pkt_too_small,
		 * ipv6.trunc_exthdr, ...) */
		if (jumbo > 0) {
			tot = IPV6_HDR_LEN + jumbo;
			if (tot < jumbo) /* wrapped: larger than any frame anyway */
				return DECODE_IPV6_TRUNC;
		}
	}
	/* as IPv4: the payload must be captured, trailing padding is ignored */
	if (tot > len)
		return DECODE_IPV6_TRUNC;

	p->ip_ver = 6;
	p->l3 = b;
	p->l3_len = tot;
	p->ip_hlen = IPV6_HDR_LEN;
	p->tos = (uint8_t)(((b[0] & 0x0f) << 4) | (b[1] >> 4));
	p->ttl = b[7];
	memcpy(p->src.b, b + 8, 16);
	memcpy(p->dst.b, b + 24, 16);

	/* Walk the chain: each step consumes at least 8 bytes of the payload
	 * and the count is capped, so the loop is bounded twice over. */
	nh = b[6];
	for (n = 0; ipv6_is_exthdr(nh) && !w.later_frag; n++) {
		uint32_t hlen;

		if (n == IPV6_EXTHDR_MAX || tot - off < 2)
			return DECODE_IPV6_EXTHDR_BAD;
		err = ipv6_exthdr(p, &w, nh, b + off, tot - off, &hlen);
		if (err != DECODE_OK)
			return err;
		nh = b[off];
		off += hlen;
	}
	p->proto = nh;

	if (w.later_frag) {
		/* what follows a later fragment's header is the middle of the
		 * fragmentable part: no header to read */
		decode_l4_partial(p);
		return DECODE_OK;
	}
	if (!ipv6_known_upper(nh))
		decode_ev_set(p, DEV_IPV6_UNKNOWN_NH);
	/* No next header (59): nothing should follow (RFC 8200 4.7).
	 * Otherwise an upper-layer protocol (ESP included, opaque to us). */
	if (nh == IPPROTO_NUM_NONE) {
		if (tot > off)
			decode_ev_set(p, DEV_IPV6_DATA_AFTER_NONE);
		return DECODE_OK;
	}
	return decode_l4(p, b + off, tot - off, w.frag && p->frag_mf, w.rt_dst, o);
}
