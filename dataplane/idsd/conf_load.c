/* SPDX-License-Identifier: MIT */
#include "conf_load.h"

#include "../../conf/conf.h"
#include "../../conf/conf_logging.h"
#include "args.h"

struct conf *idsd_conf_load(const struct idsd_args *a, FILE *errs)
{
	struct conf_schema schema;
	struct conf *c = conf_new();
	char err[512];

	if (c == NULL)
		return NULL;
	if (a->config != NULL && conf_load_file(c, a->config, err, sizeof(err)) != 0) {
		fprintf(errs, "%s\n", err);
		goto fail;
	}
	for (unsigned i = 0; i < a->nsets; i++) {
		if (conf_set(c, a->sets[i], err, sizeof(err)) != 0) {
			fprintf(errs, "--set %s: %s\n", a->sets[i], err);
			goto fail;
		}
	}
	conf_schema_init(&schema);
	conf_schema_add(&schema, conf_schema_idsd);
	conf_schema_add(&schema, conf_schema_logging);
	if (conf_validate(c, &schema, errs) != 0)
		goto fail;
	return c;
fail:
	conf_free(c);
	return NULL;
}
