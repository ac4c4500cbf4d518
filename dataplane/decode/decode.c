/* SPDX-License-Identifier: MIT */
/* Decoder entry point: reset the output part of the packet, then descend
 * from the link layer (Ethernet, or what the capture file has). Layer
 * decoders live in decode_<layer>.c. */
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

enum decode_err decode_packet(struct packet *p, const struct decode_opts *o)
{
	BUG_ON_HOT(o == NULL || (p->data == NULL && p->len != 0));

	/* A worker reuses its packet structs: clear every output field so no
	 * value of the previous frame survives (one memset, ~150 bytes). */
	memset((uint8_t *)p + PKT_OUT_OFF, 0, sizeof(*p) - PKT_OUT_OFF);
	if (p->wire_len > p->len)
		p->flags |= PKT_F_TRUNCATED;
	if (o->csum_check)
		p->csum = PKT_CSUM_CHECKED;

	p->err = p->link == PKT_LINK_ETHERNET ? decode_eth(p, o) : decode_link(p, o);
	return p->err;
}
