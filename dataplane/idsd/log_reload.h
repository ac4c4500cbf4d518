/* SPDX-License-Identifier: MIT */
/* The logging section applied again at a reload (SIGHUP, SIGUSR2): the
 * configuration file is read again and its `logging:` (levels, formats,
 * outputs, files opened anew) replaces the running one, without a
 * restart. The other sections keep what idsd started with. */
#ifndef IDS_IDSD_LOG_RELOAD_H
#define IDS_IDSD_LOG_RELOAD_H

#include "../../conf/conf_logging.h"

struct conf;
struct idsd_args;
struct settings;

/* The logging in force: s->logging until a reload replaced it by one read
 * from conf (owned). */
struct log_live {
	struct conf *conf;
	struct conf_logging cl;
};

/* Read the logging section again and apply it. A file that does not load
 * or check, a section with problems, or outputs that cannot write when
 * the console goes nowhere (-D) keep the running outputs (their file
 * reopened, as logrotate needs), each problem logged as "logging: reload:
 * file:line: reason". 0 or -errno. Called from the main lcore only. */
int log_live_reload(struct log_live *l, const struct idsd_args *a, const struct settings *s);
void log_live_free(struct log_live *l);

#endif
