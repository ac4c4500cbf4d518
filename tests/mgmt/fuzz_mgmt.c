/* SPDX-License-Identifier: MIT */
/* Fuzz target for the frame and request parsers, and for the EVE alert
 * line reader behind "alerts" (mgmt_eve_fast: lines from eve.json). With clang's libFuzzer
 * (-fsanitize=fuzzer -DIDS_LIBFUZZER) LLVMFuzzerTestOneInput is the entry;
 * otherwise main() feeds it N pseudo-random inputs (mutated valid frames
 * and noise) with a fixed seed, so the suite runs it under ASan/UBSan. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/mgmt/mgmt-priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any bytes as an EVE line: refused or a terminated line within out. */
static void fuzz_fast(const uint8_t *data, size_t size)
{
	char out[MGMT_FAST_LINE];
	int n = mgmt_eve_fast((const char *)data, size, out, sizeof(out));

	if (n >= (int)sizeof(out) || (n >= 0 && strlen(out) != (size_t)n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	fuzz_fast(data, size);

	while (off < size) {
		struct mgmt_frame f;
		struct mgmt_request req;
		enum mgmt_bad bad;
		int rc = mgmt_frame_parse(data + off, size - off, 4096, &f, &bad);

		if (rc <= 0)
			break;
		if ((size_t)rc > size - off || f.payload + f.len > data + size)
			abort();
		if (f.type == MGMT_F_REQUEST && mgmt_request_parse(f.payload, f.len, &req, &bad) == 0)
			for (unsigned int i = 0; i < req.argc; i++)
				if (strlen(req.argv[i]) > MGMT_REQ_MAX_ARG)
					abort();
		off += (size_t)rc;
	}
	return 0;
}

#ifndef IDS_LIBFUZZER
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	char *words[] = { "rules", "reload", "alerts", "--follow" };
	uint8_t buf[600];

	for (unsigned long i = 0; i < iters; i++) {
		size_t len = rnd() % sizeof(buf);

		if (i % 4 == 2) {
			/* an EVE alert line, a few bytes flipped or cut */
			static const char eve[] =
				"{\"timestamp\":\"2024-05-01T10:00:00.123456+0000\",\"src_ip\":"
				"\"10.0.0.1\",\"src_port\":1,\"dest_ip\":\"10.0.0.2\",\"dest_port\":2,"
				"\"proto\":\"TCP\",\"x\":[{\"y\":[1,2,{}]},null,true,-1.5e3],"
				"\"alert\":{\"action\":\"blocked\",\"gid\":1,\"signature_id\":3,"
				"\"rev\":4,\"signature\":\"a\\\"b\\u0041\\n\",\"category\":\"c\","
				"\"severity\":2}}";

			len = sizeof(eve) - 1;
			memcpy(buf, eve, len);
			for (int k = 0; k < 3; k++)
				buf[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
			len -= rnd() % 3 == 0 ? rnd() % len : 0;
		} else if (i % 2) {
			/* a valid request frame, then a few bytes flipped or cut */
			int n = mgmt_request_encode(rnd() % 2, 1 + (int)(rnd() % 4), words,
						    buf + MGMT_FRAME_HDR, sizeof(buf) - MGMT_FRAME_HDR);

			if (n < 0)
				abort();
			mgmt_frame_header(buf, MGMT_F_REQUEST, (size_t)n);
			len = MGMT_FRAME_HDR + (size_t)n;
			for (int k = 0; k < 3; k++)
				buf[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
			len -= rnd() % 3 == 0 ? rnd() % len : 0;
		} else {
			for (size_t k = 0; k < len; k++)
				buf[k] = (uint8_t)rnd();
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("fuzz_mgmt: %lu inputs, no crash\n", iters);
	return 0;
}
#endif
