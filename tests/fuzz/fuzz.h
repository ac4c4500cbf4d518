/* SPDX-License-Identifier: MIT */
/* A fuzz target: LLVMFuzzerTestOneInput (libFuzzer's entry point, built with
 * -fsanitize=fuzzer under clang) plus a description that fuzz_driver.c uses
 * when there is no libFuzzer (gcc, the sanitizer build): built-in seeds,
 * splicing tokens, the input size limit and a cleanup for LeakSanitizer. */
#ifndef IDS_TEST_FUZZ_H
#define IDS_TEST_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Adds one seed input (copied). */
typedef void (*fuzz_add_fn)(const void *data, size_t len);

struct fuzz_target {
	const char *name;
	size_t max_len;                     /* mutated inputs are cut to this */
	bool lines;                         /* seed files hold one input per line */
	const char *const *dict;            /* NULL-terminated tokens to splice in, or NULL */
	void (*seeds)(fuzz_add_fn add);     /* built-in seeds, or NULL */
	/* A capture file given as a seed: NULL, one seed per frame; else the
	 * target makes its seeds from the n frames (of DLT linktype) itself. */
	void (*pcap)(fuzz_add_fn add, uint32_t linktype, const uint8_t *const *frame,
		     const uint32_t *len, size_t n);
	void (*fini)(void);                 /* frees the target's state before exit, or NULL */
};

/* Defined by each target. */
extern const struct fuzz_target fuzz_target;
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
