/* SPDX-License-Identifier: MIT */
/* Process log for the cold paths (startup, config, rules, reload, exit).
 * Never called per packet: the data path counts instead of logging.
 *
 * Outputs as Suricata's `logging:` section: the console (stderr), a file
 * and syslog, each with its level, its format and optionally JSON lines.
 * Until log_configure() only the console writes, at the default level;
 * the messages of that time (the first 128) are held, and the first
 * log_configure() gives them to the file and syslog outputs it opens, so
 * they keep what was said before the configuration was read.
 * The log is process-wide on purpose: every subsystem may speak, from any
 * thread; one mutex serialises the outputs (a cold path). */
#ifndef IDS_LOG_H
#define IDS_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Suricata's levels, most severe first: an output set to a level writes
 * the messages of that level and the more severe ones. */
enum log_level { LOG_ERR, LOG_WARN, LOG_NOTICE, LOG_INFO, LOG_PERF, LOG_CONFIG, LOG_DEBUG };
#define LOG_NLEVELS 7

enum log_out { LOG_OUT_CONSOLE, LOG_OUT_FILE, LOG_OUT_SYSLOG };
#define LOG_NOUTS 3

struct log_output_config {
	bool enabled;
	bool json;               /* type: json (one JSON object per line) */
	int level;               /* an enum log_level, or -1: the default level */
	const char *format;      /* NULL: default-log-format, else the built-in */
	const char *path;        /* file: the file; syslog: its socket (NULL: /dev/log) */
	int facility;            /* syslog: 0..23 (local5 is 21) */
};

struct log_config {
	enum log_level level;    /* default-log-level */
	const char *format;      /* default-log-format; NULL: each output's built-in */
	const char *filter;      /* default-output-filter: an ERE debug messages must
				  * match to be written (as Suricata); NULL: no filter */
	struct log_output_config out[LOG_NOUTS];
};

/* Console only, at LOG_NOTICE, built-in formats: the log before configuring. */
void log_config_default(struct log_config *c);

/* Replace the outputs by c's (the strings are copied): opens the file
 * (appending, created 0640) and the syslog socket. An output that cannot
 * open does not stop the others, as in Suricata: the file output is left
 * out, syslog tried again at each message; the mask of them
 * (1 << LOG_OUT_FILE, 1 << LOG_OUT_SYSLOG) is returned, err saying why.
 * -ENOMEM or -EINVAL (a filter that is no ERE): the outputs in force stay. */
int log_configure(const struct log_config *c, char *err, size_t errlen);
/* The file output opened again by name (SIGHUP after logrotate moved it).
 * 0, or -errno with the old file kept. */
int log_reopen(void);
/* stdio now goes nowhere (a daemon detached): the console stops writing. */
void log_console_off(void);
/* Close the outputs and go back to log_config_default(). */
void log_close(void);

/* The default level alone (-v before any config); log_get_level gives it. */
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);

/* Names as suricata.yaml writes them (any case): error, warning, notice,
 * info, perf, config, debug; kern, user, ..., local0..local7. 0 or -EINVAL. */
int log_level_parse(const char *s, enum log_level *out);
int log_facility_parse(const char *s, int *out);
/* The facilities by number (RFC 5424 section 6.2.1; NULL: unnamed). */
#define LOG_NFACILITIES 24
extern const char *const log_facility_names[LOG_NFACILITIES];
/* A format's specifiers are known (%t %z %p %i %m %d %S %M %f %l %n %%)?
 * 0, or -EINVAL with err saying which is not. */
int log_format_check(const char *fmt, char *err, size_t errlen);

/* subsys names the part speaking ("conf", "rules", "port", ...). The
 * console's built-in form is "level: subsys: message". */
#define log_msg(lvl, subsys, ...) \
	log_emit(__FILE__, __LINE__, __func__, (lvl), (subsys), false, __VA_ARGS__)
/* A report line that names its own place ("file:line: reason"): written on
 * the console as it is, with level and subsys only where a format asks. */
#define log_line(lvl, subsys, ...) \
	log_emit(__FILE__, __LINE__, __func__, (lvl), (subsys), true, __VA_ARGS__)
void log_emit(const char *file, int line, const char *func, enum log_level lvl,
	      const char *subsys, bool raw, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* A stdio stream each line of which is a log_line(lvl, subsys): for the
 * reporters that write to a FILE *. A line of a LOG_ERR stream that says
 * "warning: " is logged as a warning. NULL on failure; fclose() it. */
FILE *log_stream_open(enum log_level lvl, const char *subsys);

#endif
