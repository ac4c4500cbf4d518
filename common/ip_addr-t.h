/* SPDX-License-Identifier: MIT */
/* An IPv4 or IPv6 address in network byte order. IPv4 lives in b[0..3], the
 * rest is zero, so a v4 and a v6 address never compare equal by accident
 * because the family travels beside it (struct packet ip_ver, rule ranges). */
#ifndef IDS_IP_ADDR_T_H
#define IDS_IP_ADDR_T_H

#include <stdint.h>

union ip_addr {
	uint8_t b[16];
	uint32_t w[4];
};

#endif
