/* SPDX-License-Identifier: MIT */
/* Process log for the cold paths (startup, config, rules, reload, exit).
 * Never called per packet: the data path counts instead of logging. */
#ifndef IDS_LOG_H
#define IDS_LOG_H

enum log_level { LOG_ERR, LOG_WARN, LOG_NOTICE, LOG_INFO, LOG_DEBUG };

/* Messages at or below this level are printed (stderr); default LOG_NOTICE. */
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);

/* subsys names the part speaking ("conf", "rules", "port", ...). */
void log_msg(enum log_level lvl, const char *subsys, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
