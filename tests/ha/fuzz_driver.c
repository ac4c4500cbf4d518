/* SPDX-License-Identifier: MIT */
/* Runs the VRRP fuzz target without libFuzzer (gcc builds, the sanitizer
 * build): valid adverts as seeds, then a fixed number of random byte
 * mutations and truncations, deterministic by seed. Fails only by crashing
 * or by a sanitizer report. Usage: fuzz_vrrp [ITERATIONS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "control/vrrp/vrrp_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t seed(uint8_t *p, int addrs)
{
	union ip_addr s = { .b = { 10, 0, 0, 1 } }, d = { .b = { 224, 0, 0, 18 } };
	union ip_addr v[VRRP_MAX_ADDRS];
	int n;

	memset(v, 0, sizeof(v));
	for (int i = 0; i < addrs; i++)
		v[i].b[0] = 192, v[i].b[1] = 0, v[i].b[2] = 2, v[i].b[3] = (uint8_t)(100 + i);
	memset(p, 0, 20);
	p[0] = 0x45;
	p[8] = 255;
	p[9] = VRRP_PROTO;
	memcpy(p + 12, s.b, 4);
	memcpy(p + 16, d.b, 4);
	n = vrrp_build(p + 20, 200, AF_INET, 51, 100, 1, v, (unsigned)addrs, &s, &d);
	p[3] = (uint8_t)(20 + n);
	return 20 + (size_t)n;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 200000;
	uint8_t base[256], buf[256];
	unsigned rnd = 12345;

	for (long i = 0; i < iters; i++) {
		size_t n = seed(base, (int)(i % 4));
		int flips = 1 + (int)((rnd = rnd * 1103515245u + 12345u) >> 16) % 4;

		memcpy(buf, base, n);
		for (int f = 0; f < flips; f++) {
			rnd = rnd * 1103515245u + 12345u;
			buf[(rnd >> 8) % n] = (uint8_t)(rnd >> 20);
		}
		rnd = rnd * 1103515245u + 12345u;
		if (rnd & 0x10000)
			n = (rnd >> 17) % (n + 1);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz_vrrp: %ld inputs\n", iters);
	return 0;
}
