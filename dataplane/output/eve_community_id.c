/* SPDX-License-Identifier: MIT */
/* Community ID v1 (github.com/corelight/community-id-spec), as Suricata's
 * eve-log community-id option writes it: "1:" + base64(SHA-1(seed,
 * ordered addresses, protocol, padding, ordered ports)). The hash input,
 * all in network byte order:
 *
 *   0      2          2+A        2+2A  +1    +2       +4
 *   +------+----------+----------+-----+-----+--------+--------+
 *   | seed | src addr | dst addr |proto| pad | src pt | dst pt |
 *   +------+----------+----------+-----+-----+--------+--------+
 *   A = 4 (IPv4) or 16 (IPv6); ports only for TCP, UDP, SCTP, ICMP(v6).
 */
#include <errno.h>
#include <string.h>

#include "../../common/digest.h"
#include "eve.h"

#define PROTO_ICMP   1
#define PROTO_TCP    6
#define PROTO_UDP    17
#define PROTO_ICMPV6 58
#define PROTO_SCTP   132

/* The spec's ICMP "port equivalents": a message type with a counterpart
 * (echo and echo reply, ...) hashes as type -> counterpart type, so both
 * directions agree; any other as type -> code, one way (never reordered). */
static bool icmp_ports(uint8_t proto, uint16_t *sp, uint16_t *dp)
{
	static const uint8_t v4[][2] = {
		{ 8, 0 }, { 0, 8 }, { 13, 14 }, { 14, 13 }, { 15, 16 }, { 16, 15 },
		{ 10, 9 }, { 9, 10 }, { 17, 18 }, { 18, 17 },
	};
	static const uint8_t v6[][2] = {
		{ 128, 129 }, { 129, 128 }, { 133, 134 }, { 134, 133 }, { 135, 136 },
		{ 136, 135 }, { 130, 131 }, { 131, 130 }, { 144, 145 }, { 145, 144 },
	};
	const uint8_t (*t)[2] = proto == PROTO_ICMP ? v4 : v6;
	size_t n = proto == PROTO_ICMP ? sizeof(v4) / sizeof(v4[0]) : sizeof(v6) / sizeof(v6[0]);

	for (size_t i = 0; i < n; i++) {
		if (t[i][0] == *sp) {
			*dp = t[i][1];
			return false;
		}
	}
	return true;
}

static void base64(const uint8_t *in, size_t n, char *out)
{
	static const char a[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = a[v >> 18];
		out[o++] = a[v >> 12 & 63];
		out[o++] = a[v >> 6 & 63];
		out[o++] = a[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);

		out[o++] = a[v >> 18];
		out[o++] = a[v >> 12 & 63];
		out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
}

int eve_community_id(uint8_t ip_ver, const uint8_t *src, const uint8_t *dst, uint16_t sp,
		     uint16_t dp, uint8_t proto, uint16_t seed, char *out)
{
	uint8_t buf[2 + 16 + 16 + 2 + 4], digest[20];
	size_t alen = ip_ver == 4 ? 4 : 16, n = 0;
	bool ports = proto == PROTO_TCP || proto == PROTO_UDP || proto == PROTO_SCTP;
	bool one_way = false;
	int cmp;

	if (ip_ver != 4 && ip_ver != 6)
		return -EINVAL;
	if (proto == PROTO_ICMP || proto == PROTO_ICMPV6) {
		ports = true;
		one_way = icmp_ports(proto, &sp, &dp);
	}
	cmp = memcmp(src, dst, alen);
	if (!one_way && (cmp > 0 || (cmp == 0 && ports && sp > dp))) {
		const uint8_t *t = src;
		uint16_t tp = sp;

		src = dst;
		dst = t;
		sp = dp;
		dp = tp;
	}
	buf[n++] = (uint8_t)(seed >> 8);
	buf[n++] = (uint8_t)seed;
	memcpy(buf + n, src, alen);
	n += alen;
	memcpy(buf + n, dst, alen);
	n += alen;
	buf[n++] = proto;
	buf[n++] = 0;
	if (ports) {
		buf[n++] = (uint8_t)(sp >> 8);
		buf[n++] = (uint8_t)sp;
		buf[n++] = (uint8_t)(dp >> 8);
		buf[n++] = (uint8_t)dp;
	}
	digest_sha1(buf, n, digest);
	out[0] = '1';
	out[1] = ':';
	base64(digest, sizeof(digest), out + 2);
	return 0;
}
