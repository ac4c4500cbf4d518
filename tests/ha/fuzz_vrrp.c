/* SPDX-License-Identifier: MIT */
/* Fuzz target for the advert parser: any bytes as a raw IPv4 datagram (and
 * as an IPv6 payload) through the §7.1 validator and decoder. Built with
 * libFuzzer under clang; fuzz_driver.c runs it on mutated seeds elsewhere. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "control/vrrp/vrrp_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct vrrp_rx *rx)
{
	static const union ip_addr vip = { .b = { 192, 0, 2, 100 } };
	struct vrrp_rx_conf c = { .vrid = 51, .priority = 100, .nvip = 1, .vips = &vip };
	struct vrrp_advert adv;
	uint8_t vrid;

	if (vrrp_check_common(rx, &vrid) != VRRP_RX_OK)
		return;
	c.vrid = vrid;
	vrrp_check_instance(rx, &c, &adv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vrrp_rx rx;

	if (vrrp_rx_from_ip4(data, size, &rx) == VRRP_RX_OK) {
		/* the TTL byte is fuzzed too; force 255 half the time to go deeper */
		if (size > 1 && (data[1] & 1))
			rx.ttl = 255;
		check(&rx);
	}
	memset(&rx, 0, sizeof(rx));
	rx.family = AF_INET6;
	rx.ttl = 255;
	rx.data = data;
	rx.len = size;
	check(&rx);
	return 0;
}
