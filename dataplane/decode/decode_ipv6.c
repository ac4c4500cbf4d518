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
 */
#include <string.h>

#include "decode-int.h"

/* A chain longer than this is hostile: real stacks send two or three. */
#define IPV6_EXTHDR_MAX 16

#define IPV6_OPT_PAD1   0x00
#define IPV6_OPT_JUMBO  0xc2   /* RFC 2675, data length 4 */

/* Walk the TLV options of a hop-by-hop or destination header (n bytes
 * after its first two). Stores a jumbo payload length in *jumbo when one is
 * present. Returns -1 on an option running past the header. */
static int ipv6_opts(const uint8_t *opt, uint32_t n, uint32_t *jumbo)
{
	uint32_t i = 0;

	while (i < n) {
		uint32_t olen;

		if (opt[i] == IPV6_OPT_PAD1) {
			i++;
			continue;
		}
		if (n - i < 2)
			return -1;
		olen = 2u + opt[i + 1];
		if (olen > n - i)
			return -1;
		if (opt[i] == IPV6_OPT_JUMBO && olen == 6)
			*jumbo = rd32(opt + i + 2);
		i += olen;
	}
	return 0;
}

/* RFC 2675: payload length 0 means a jumbogram, whose real length is in a
 * jumbo option of a hop-by-hop header that must come first. Returns the
 * payload length, or 0 when the packet is not a valid jumbogram. */
static uint32_t ipv6_jumbo_len(const uint8_t *b, uint32_t len)
{
	uint32_t hlen, jumbo = 0;

	if (b[6] != IPPROTO_NUM_HOPOPTS || len < IPV6_HDR_LEN + 2)
		return 0;
	hlen = ((uint32_t)b[IPV6_HDR_LEN + 1] + 1) * 8;
	if (hlen > len - IPV6_HDR_LEN)
		return 0;
	if (ipv6_opts(b + IPV6_HDR_LEN + 2, hlen - 2, &jumbo) != 0)
		return 0;
	return jumbo > 0xffff ? jumbo : 0;
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

static inline bool ipv6_is_exthdr(uint8_t nh)
{
	switch (nh) {
	case IPPROTO_NUM_HOPOPTS:
	case IPPROTO_NUM_ROUTING:
	case IPPROTO_NUM_FRAGMENT:
	case IPPROTO_NUM_AH:
	case IPPROTO_NUM_DSTOPTS:
	case IPPROTO_NUM_MOBILITY:
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

enum decode_err decode_ipv6(struct packet *p, const uint8_t *b, uint32_t len,
			    const struct decode_opts *o)
{
	uint32_t tot, off = IPV6_HDR_LEN;
	uint8_t nh;
	unsigned int n;
	bool seen_frag = false, later_frag = false;
	const uint8_t *rt_dst = NULL;

	if (len < IPV6_HDR_LEN)
		return DECODE_IPV6_TRUNC;
	if ((b[0] >> 4) != 6)
		return DECODE_IPV6_VER_BAD;
	tot = IPV6_HDR_LEN + rd16(b + 4);
	if (tot == IPV6_HDR_LEN) {
		uint32_t jumbo = ipv6_jumbo_len(b, len);

		if (jumbo == 0)
			return DECODE_IPV6_LEN_BAD;
		tot = IPV6_HDR_LEN + jumbo;
		if (tot < jumbo) /* wrapped: larger than any frame anyway */
			return DECODE_IPV6_TRUNC;
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
	for (n = 0; ipv6_is_exthdr(nh) && !later_frag; n++) {
		const uint8_t *h = b + off;
		uint32_t avail = tot - off, hlen;
		uint32_t jumbo = 0;

		if (n == IPV6_EXTHDR_MAX || avail < 8)
			return DECODE_IPV6_EXTHDR_BAD;
		switch (nh) {
		case IPPROTO_NUM_FRAGMENT:
			if (seen_frag)
				return DECODE_IPV6_EXTHDR_BAD;
			seen_frag = true;
			later_frag = ipv6_frag(p, h);
			hlen = 8;
			break;
		case IPPROTO_NUM_AH:
			hlen = ((uint32_t)h[1] + 2) * 4;
			break;
		default:
			hlen = ((uint32_t)h[1] + 1) * 8;
			break;
		}
		if (hlen > avail)
			return DECODE_IPV6_EXTHDR_BAD;
		if ((nh == IPPROTO_NUM_HOPOPTS || nh == IPPROTO_NUM_DSTOPTS) &&
		    ipv6_opts(h + 2, hlen - 2, &jumbo) != 0)
			return DECODE_IPV6_EXTHDR_BAD;
		if (nh == IPPROTO_NUM_ROUTING)
			rt_dst = ipv6_rt_final_dst(h);
		nh = h[0];
		off += hlen;
	}
	p->proto = nh;

	if (later_frag) {
		/* what follows a later fragment's header is the middle of the
		 * fragmentable part: no header to read */
		decode_l4_partial(p);
		return DECODE_OK;
	}
	/* No next header (59): nothing follows, trailing bytes are ignored.
	 * Otherwise an upper-layer protocol (ESP included, opaque to us). */
	if (nh == IPPROTO_NUM_NONE)
		return DECODE_OK;
	return decode_l4(p, b + off, tot - off, seen_frag && p->frag_mf, rt_dst, o);
}
