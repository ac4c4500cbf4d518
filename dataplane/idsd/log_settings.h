/* SPDX-License-Identifier: MIT */
/* The `logging:` section, as Suricata 7's suricata.yaml has it, into the
 * process log's configuration. */
#ifndef IDS_LOG_SETTINGS_H
#define IDS_LOG_SETTINGS_H

#include <stdio.h>

struct settings;
struct conf;
struct idsd_args;

/* s->log from c's logging section, -v (raises the default level) and -D
 * (a daemon's console goes nowhere: without a file or syslog output, the
 * file output writes idsd.log in s->log_dir). s->log_dir must be set.
 * Problems printed to errs as "file:line:col: reason"; returns their
 * number. */
int log_settings_load(struct settings *s, const struct conf *c, const struct idsd_args *a,
		      FILE *errs);

/* The log's outputs opened as s->log says (the log directory created for
 * the file output). 0, or -errno with the reason printed on errs. */
int log_settings_apply(const struct settings *s, FILE *errs);

#endif
