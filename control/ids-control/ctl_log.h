/* SPDX-License-Identifier: MIT */
/* ids-control's process log: the `logging:` section, keys and meaning as
 * idsd's (conf/conf_logging.c, Suricata 7's), a relative file name in
 * default-log-dir (/var/log/ids), ids-control.log by default. Read with
 * the rest of the configuration (so -T and a reload refuse what does not
 * check), applied at start and at each reload (SIGHUP). */
#ifndef IDS_CTL_LOG_H
#define IDS_CTL_LOG_H

#include <stdio.h>

#include "conf/conf_logging.h"

struct conf;

/* default-log-dir, for conf_schema_add() beside conf_schema_logging. */
extern const struct conf_schema_row ctl_log_schema[];

/* cl from c (kept while cl is used); problems on errs as "file:line:col:
 * reason", their number returned. */
int ctl_log_read(struct conf_logging *cl, const struct conf *c, int verbose, FILE *errs);
/* The outputs opened as cl (read from c) says: 0, or -errno with the
 * reason on errs and the outputs in force kept. */
int ctl_log_apply(const struct conf_logging *cl, const struct conf *c, int verbose,
		  FILE *errs);

#endif
