/* SPDX-License-Identifier: MIT */
/* Replies for the reject action (Suricata's reject/rejectsrc/rejectdst/
 * rejectboth): a TCP RST for TCP, an ICMP/ICMPv6 port unreachable for the
 * rest, addressed so that the endpoint's stack accepts it. */
#ifndef IDS_REJECT_H
#define IDS_REJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../decode/packet-t.h"

/* Largest reply: L2 header, IPv6 header, ICMPv6 header and the quoted packet. */
#define REJECT_FRAME_MAX 640

/* Build in out (REJECT_FRAME_MAX bytes) the reply to the decoded packet p.
 * to_src: addressed to p's source (from p's destination), else to p's
 * destination (from p's source). The L2 header (VLAN tags included) is
 * copied from p with the MACs swapped for to_src. Returns the frame length,
 * or 0 when p cannot be answered (no IP, a fragment without L4, an ICMP error,
 * or an RST itself). */
size_t reject_build(const struct packet *p, bool to_src, uint8_t *out);

#endif
