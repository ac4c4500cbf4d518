/* SPDX-License-Identifier: MIT */
/* Decoder entry point: reset the output part of the packet, then descend
 * from the link layer (Ethernet, or what the capture file has), or for a
 * tunnel packet from the header its payload starts with. Layer decoders
 * live in decode_<layer>.c. */
#include <stddef.h>
#include <string.h>

#include "../../common/bug.h"
#include "decode-int.h"

/* Everything from eth_type to the end of struct packet is decoder or flow
 * output; the input fields come first (see packet-t.h). */
#define PKT_OUT_OFF offsetof(struct packet, eth_type)
_Static_assert(offsetof(struct packet, port_id) < PKT_OUT_OFF &&
	       offsetof(struct packet, link) < PKT_OUT_OFF,
	       "packet input fields must precede the decoder output");

/* A tunnel payload: the frame a tunnel header announced, on the VLAN the
 * header named (ERSPAN). */
static enum decode_err decode_tunnel_payload(struct packet *p, const struct decode_opts *o)
{
	if (p->origin.vlan != 0) {
		p->vlan_id[0] = p->origin.vlan;
		p->vlan_cnt = 1;
	}
	switch (p->origin.type) {
	case TUN_TYPE_ETHERNET:
		return decode_eth_at(p, p->data, p->len, o);
	case TUN_TYPE_PPP:
		return decode_ppp_at(p, p->data, p->len, o);
	default:
		return decode_ethertype(p, p->data, p->len, p->origin.type, o);
	}
}

enum decode_err decode_packet_keep_origin(struct packet *p, const struct decode_opts *o)
{
	BUG_ON_HOT(o == NULL || (p->data == NULL && p->len != 0));

	/* A worker reuses its packet structs: clear every output field so no
	 * value of the previous frame survives (one memset, ~150 bytes). */
	memset((uint8_t *)p + PKT_OUT_OFF, 0, sizeof(*p) - PKT_OUT_OFF);
	p->layers = p->origin.layers;
	if (p->wire_len > p->len)
		p->flags |= PKT_F_TRUNCATED;
	if (o->csum_check)
		p->csum = PKT_CSUM_CHECKED;

	if (p->origin.type != 0)
		p->err = decode_tunnel_payload(p, o);
	else
		p->err = p->link == PKT_LINK_ETHERNET ? decode_eth(p, o) : decode_link(p, o);
	return p->err;
}

enum decode_err decode_packet(struct packet *p, const struct decode_opts *o)
{
	p->origin = (struct pkt_origin){ 0 };
	return decode_packet_keep_origin(p, o);
}
