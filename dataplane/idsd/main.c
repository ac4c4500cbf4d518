/* SPDX-License-Identifier: MIT */
/* idsd: parse, initialise, launch, wait, tear down. Nothing else. */
#include <stdio.h>
#include <stdlib.h>

#include "../../common/log.h"
#include "../../conf/conf.h"
#include "../../rules/rule-t.h"
#include "args.h"
#include "engine.h"
#include "conf_load.h"
#include "run.h"
#include "settings.h"

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

/* The rules, their failures logged as errors and (but with -T, which
 * prints its report on stdout) the report at notice. 0 when they loaded. */
static int load_rules(struct engine *e, const struct settings *s, const struct idsd_args *a)
{
	FILE *errs = log_stream_open(LOG_ERR, "rules");
	FILE *rep = NULL;
	int ret;

	ret = engine_load(e, s, NULL, errs ? errs : stderr);
	if (ret != 0 || !a->test) {
		rep = log_stream_open(LOG_NOTICE, "rules");
		engine_report(e, rep ? rep : stderr);
	}
	if (errs != NULL)
		fclose(errs);
	if (rep != NULL)
		fclose(rep);
	return ret;
}

int main(int argc, char **argv)
{
	struct idsd_args a;
	struct conf_logging_ctx lx;
	struct settings s;
	struct engine e;
	struct conf *c;
	FILE *pre = NULL;
	int ret, status = EXIT_INVALID;

	switch (args_parse(argc, argv, &a, stdout, stderr)) {
	case ARGS_RUN:
		break;
	case ARGS_EXIT_OK:
		args_free(&a);
		return EXIT_OK;
	case ARGS_USAGE:
		args_free(&a);
		return EXIT_USAGE;
	}
	log_set_level(a.verbose >= 2 ? LOG_DEBUG : a.verbose ? LOG_INFO : LOG_NOTICE);

	/* what the configuration's checks say, until the outputs are known, is
	 * held by the log for them (idsd -D keeps the warnings in idsd.log) */
	pre = log_stream_open(LOG_ERR, "conf");
	c = idsd_conf_load(&a, pre ? pre : stderr);
	if (c == NULL)
		goto out_args;
	if (a.dump_config) {
		conf_dump(c, stdout);
		status = EXIT_OK;
		goto out_conf;
	}
	ret = settings_load(&s, c, &a, pre ? pre : stderr);
	if (pre != NULL)
		fclose(pre);
	pre = NULL;
	if (ret != 0)
		goto out_settings;
	lx = settings_log_ctx(&s, a.verbose);
	/* -T reports on the terminal only, as Suricata's */
	if (!a.test && conf_logging_apply(&s.logging, &lx, stderr) != 0)
		goto out_settings;

	if (load_rules(&e, &s, &a) != 0)
		goto out_engine;
	if (a.test) {
		engine_report(&e, stdout);
		status = e.rs->nfailed > 0 ? EXIT_INVALID : EXIT_OK;
		goto out_engine;
	}
	if (a.strict_rules && e.rs->nfailed > 0)
		goto out_engine;

	status = run_dataplane(&s, &e, &a);
out_engine:
	engine_free(&e);
out_settings:
	log_close();
	settings_free(&s);
out_conf:
	conf_free(c);
out_args:
	if (pre != NULL)
		fclose(pre);
	args_free(&a);
	return status;
}
