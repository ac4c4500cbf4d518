/* SPDX-License-Identifier: MIT */
#include "ctl_log.h"

#include "conf/conf.h"

#define CTL_LOG_DIR "/var/log/ids"

const struct conf_schema_row ctl_log_schema[] = {
	{ "default-log-dir", CONF_STR },
	{ NULL, 0 },
};

/* The detached ids-control keeps its stderr (daemon(3) with noclose): the
 * console is never /dev/null here, so it needs no fallback file. */
static struct conf_logging_ctx ctx(const struct conf *c, int verbose)
{
	const char *dir = CTL_LOG_DIR;
	char err[8];

	/* the schema made it a string: nothing to report */
	conf_get_str(c, "default-log-dir", CTL_LOG_DIR, &dir, err, sizeof(err));
	return (struct conf_logging_ctx){ .log_dir = dir, .file_name = "ids-control.log",
					  .daemon = false, .verbose = verbose };
}

int ctl_log_read(struct conf_logging *cl, const struct conf *c, int verbose, FILE *errs)
{
	struct conf_logging_ctx x = ctx(c, verbose);

	return conf_logging_read(cl, c, &x, errs);
}

int ctl_log_apply(const struct conf_logging *cl, const struct conf *c, int verbose,
		  FILE *errs)
{
	struct conf_logging_ctx x = ctx(c, verbose);

	return conf_logging_apply(cl, &x, errs);
}
