/* SPDX-License-Identifier: MIT */
/* The `logging:` section, as Suricata 7's suricata.yaml has it, into the
 * process log's configuration (common/log.h): idsd's and ids-control's,
 * at start and at each reload. */
#ifndef IDS_CONF_LOGGING_H
#define IDS_CONF_LOGGING_H

#include <stdbool.h>
#include <stdio.h>

#include "common/log.h"
#include "conf-t.h"

struct conf;

/* The logging.* rows, for conf_schema_add(). */
extern const struct conf_schema_row conf_schema_logging[];

/* What a logging section says. log's strings point into the conf tree it
 * was read from (keep it while this is used), but file_path, owned. */
struct conf_logging {
	struct log_config log;
	char *file_path;         /* the file output's: absolute, or joined to log_dir */
};

/* What the process knows before it reads the section. */
struct conf_logging_ctx {
	const char *log_dir;     /* relative file names are in it */
	const char *file_name;   /* the file output's default ("idsd.log") */
	bool daemon;             /* the console goes nowhere: without a file or syslog
				  * output, the file output writes file_name */
	int verbose;             /* -v: at least info, -vv: debug */
};

/* cl from c's logging section (none: the console at notice). Problems
 * printed to errs as "file:line:col: reason"; returns their number. */
int conf_logging_read(struct conf_logging *cl, const struct conf *c,
		      const struct conf_logging_ctx *x, FILE *errs);
void conf_logging_free(struct conf_logging *cl);

/* The log's outputs opened as cl says (the log directory created for the
 * file output): log_configure(). 0, or -errno with the reason printed on
 * errs: the outputs in force then stay, but for a daemon whose file and
 * syslog outputs both failed to open (its log would go to /dev/null),
 * -EIO, the new outputs in force. */
int conf_logging_apply(const struct conf_logging *cl, const struct conf_logging_ctx *x,
		       FILE *errs);

#endif
