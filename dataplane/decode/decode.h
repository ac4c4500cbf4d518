/* SPDX-License-Identifier: MIT */
/* Decoder: Ethernet, 802.1Q/QinQ, IPv4, IPv6 (extension-header chain), TCP,
 * UDP, ICMPv4, ICMPv6. Reads only within [p->data, p->data + p->len). */
#ifndef IDS_DECODE_H
#define IDS_DECODE_H

#include <stdbool.h>

#include "packet-t.h"

struct decode_opts {
	bool csum_check;       /* -k all: validate IPv4/TCP/UDP/ICMP checksums */
};

/* Decode the frame p->data/p->len into p (the input fields of p must be set,
 * the rest is overwritten). Returns DECODE_OK or the first error, also stored
 * in p->err. On error, the layers decoded before the error stay valid (a
 * truncated TCP header still leaves p->ip_ver, addresses and proto set). */
enum decode_err decode_packet(struct packet *p, const struct decode_opts *o);

/* Short stable name of a decode error, used as the counter name
 * "decoder.event.<name>" (e.g. "ipv4.trunc_pkt"). */
const char *decode_err_name(enum decode_err e);

#endif
