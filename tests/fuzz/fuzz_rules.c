/* SPDX-License-Identifier: MIT */
/* Fuzz target for the rule parser: the input as one rule line, against an
 * environment with the default variables plus variables that refer to
 * each other in a cycle. A rule either parses or fails with a reason that
 * fits its (exactly sized, heap) error buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rules/rules.h"

#define ERRLEN 160

static struct rule_env *env;
static unsigned long parsed, runs;

static struct rule_env *env_get(void)
{
	char err[ERRLEN];

	if (env != NULL)
		return env;
	env = rule_env_new();
	if (env == NULL)
		abort();
	rule_env_set_default_vars(env);
	/* definitions are checked when used: these must fail then, not recurse */
	rule_env_set_var(env, 'a', "LOOP_A", "[$LOOP_B,10.0.0.0/8]", err, sizeof(err));
	rule_env_set_var(env, 'a', "LOOP_B", "!$LOOP_A", err, sizeof(err));
	rule_env_set_var(env, 'p', "LOOP_P", "[80,$LOOP_P]", err, sizeof(err));
	return env;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char *err = malloc(ERRLEN);
	struct rule *r;

	if (text == NULL || err == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	r = rule_parse(env_get(), text, err, ERRLEN);
	if (r == NULL && (err[0] == '\0' || strnlen(err, ERRLEN) == ERRLEN))
		abort();
	parsed += r != NULL;
	runs++;
	rule_free(r);
	free(err);
	free(text);
	return 0;
}

static void fini(void)
{
	/* how deep the mutations got: a run where nothing parses tests little */
	printf("fuzz_rules: %lu of %lu rules parsed\n", parsed, runs);
	rule_env_free(env);
	env = NULL;
}

/* Keywords and syntax the mutator splices in. */
static const char *const dict[] = {
	"content:\"", "\"; ", "|00 ff|", "nocase; ", "depth:", "offset:", "distance:", "within:",
	"pcre:\"/", "/R\"; ", "byte_test:", "byte_jump:", "byte_extract:", "byte_math:",
	"isdataat:", "flowbits:", "xbits:", "flowint:", "threshold:", "detection_filter:",
	"http.uri; ", "http.header; ", "dns.query; ", "tls.sni; ", "file.data; ", "to_sha256; ",
	"url_decode; ", "pcrexform:\"", "xor:\"", "fast_pattern; ", "relative", "dsize:",
	"flags:", "flow:", "sid:", "rev:", "gid:", "msg:\"", "$HOME_NET", "$LOOP_A", "$LOOP_P",
	"[", "]", "!", "any", "->", "<>", "::", "/33", ":65535", ",", "<>", "-1", "4294967296",
	"18446744073709551616", "\\", "\\;", "; ", "(", ")", "0x", "bsize:", "urilen:",
	"app-layer-protocol:", "decode-event:", "ipopts:", "fragbits:", "itype:", "tls.version:",
	"base64_decode:", "base64_data; ", "tag:", "tls.alpn; ", "dns.rrtype:", NULL,
};

const struct fuzz_target fuzz_target = {
	.name = "rules",
	.max_len = 4096,
	.lines = true,
	.dict = dict,
	.fini = fini,
};
