/* SPDX-License-Identifier: MIT */
/* Fuzz target for the config loader: the input as a YAML document loaded
 * with conf_load_string(), then dumped, checked against idsd's schema and
 * read through the typed getters. An include names a file relative to
 * tests/unit/conf (the name given), so includes and their cycles are
 * reached too. A failure must come with a reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "conf/conf.h"
#include "conf/conf_logging.h"

#define ERRLEN 256

static FILE *devnull;

static void getters(const struct conf *c)
{
	static const char *const paths[] = {
		"stream.midstream", "flow.memcap", "vars.address-groups.HOME_NET",
		"dpdk.interfaces.0.mtu", "outputs.0.eve-log.types", "default-rule-path",
		"rule-files.0", "flow-timeouts.tcp.established", "", NULL,
	};
	char err[ERRLEN];

	for (int i = 0; paths[i] != NULL; i++) {
		const struct conf_node *n = conf_get(c, paths[i]);
		const char *s;
		bool b;
		int64_t v;
		uint64_t u;

		conf_get_str(c, paths[i], "", &s, err, sizeof(err));
		conf_get_bool(c, paths[i], false, &b, err, sizeof(err));
		conf_get_int(c, paths[i], 0, &v, err, sizeof(err));
		conf_get_u64(c, paths[i], 0, &u, err, sizeof(err));
		conf_get_size(c, paths[i], 0, &u, err, sizeof(err));
		if (n != NULL) {
			for (const struct conf_node *k = conf_node_first(n); k != NULL;
			     k = conf_node_next(k))
				conf_node_path(k, err, sizeof(err));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *yaml = malloc(size + 1);
	char *err = malloc(ERRLEN);
	struct conf *c = conf_new();
	struct conf_schema s;
	int rc;

	if (yaml == NULL || err == NULL || c == NULL)
		abort();
	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	memcpy(yaml, data, size);
	yaml[size] = '\0';
	err[0] = '\0';
	rc = conf_load_string(c, FUZZ_CONF_DIR "/fuzz.yaml", yaml, err, ERRLEN);
	if (rc < 0 && (err[0] == '\0' || strnlen(err, ERRLEN) == ERRLEN))
		abort();
	conf_dump(c, devnull);
	conf_schema_init(&s);
	if (conf_schema_add(&s, conf_schema_idsd) != 0 ||
	    conf_schema_add(&s, conf_schema_logging) != 0)
		abort();
	conf_validate(c, &s, devnull);
	getters(c);
	if (size > 0 && data[0] & 1)
		conf_set(c, "flow.memcap=1gb", err, ERRLEN);
	conf_free(c);
	free(err);
	free(yaml);
	return 0;
}

static void fini(void)
{
	if (devnull != NULL)
		fclose(devnull);
	devnull = NULL;
}

static const char *const dict[] = {
	"\n", ": ", "- ", "  ", "include: ", "!include ", "inc/child.yaml", "cycle-a.yaml",
	"&a ", "*a", "<<: *a", "---\n", "%YAML 1.1\n", "...\n", "[", "]", "{", "}", ", ", "\"",
	"'", "|\n", ">\n", "? ", "!!str ", "!!map ", "yes", "no", "0x", "1gb", "-1",
	"18446744073709551616", "~", "null", "vars:\n  address-groups:\n", "dpdk:\n  interfaces:\n",
	"outputs:\n  - eve-log:\n", "stream:\n  midstream: ", "\t", "#", "\\u0000", "\xef\xbb\xbf",
	NULL,
};

const struct fuzz_target fuzz_target = {
	.name = "conf",
	.max_len = 8192,
	.dict = dict,
	.fini = fini,
};
