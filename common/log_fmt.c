/* SPDX-License-Identifier: MIT */
/* Level and facility names, and a message rendered by a format: Suricata's
 * specifiers (util-debug's) plus its JSON log line. */
#include "log-int.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "json.h"

static const char *const level_names[LOG_NLEVELS] = {
	"error", "warning", "notice", "info", "perf", "config", "debug",
};
/* as Suricata writes them in JSON ("log_level": "Notice") */
static const char *const level_titles[LOG_NLEVELS] = {
	"Error", "Warning", "Notice", "Info", "Perf", "Config", "Debug",
};
/* RFC 5424 section 6.2.1 severities; perf and config are informational */
static const int severities[LOG_NLEVELS] = { 3, 4, 5, 6, 6, 6, 7 };

const char *const log_facility_names[LOG_NFACILITIES] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
	"authpriv", "ftp", NULL, NULL, NULL, NULL, "local0", "local1", "local2", "local3",
	"local4", "local5", "local6", "local7",
};

int log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i < LOG_NLEVELS; i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

int log_facility_parse(const char *s, int *out)
{
	for (int i = 0; i < LOG_NFACILITIES; i++) {
		if (log_facility_names[i] != NULL && strcasecmp(s, log_facility_names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

int log_severity(enum log_level lvl)
{
	return severities[lvl];
}

int log_format_check(const char *fmt, char *err, size_t errlen)
{
	for (const char *p = strchr(fmt, '%'); p != NULL; p = strchr(p + 2, '%')) {
		if (p[1] == '\0' || strchr("tzpimdSMfln%", p[1]) == NULL) {
			snprintf(err, errlen, "unknown specifier '%%%.1s' (known: %%t %%z %%p %%i "
				 "%%m %%d %%S %%M %%f %%l %%n %%%%)", p + 1);
			return -EINVAL;
		}
	}
	return 0;
}

/* Appends within cap, keeping room for the NUL. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static void put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len + 1 >= b->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

static void put_time(struct sbuf *b, const struct timespec *ts, const char *strf)
{
	char t[64];
	struct tm tm;

	localtime_r(&ts->tv_sec, &tm);
	strftime(t, sizeof(t), strf, &tm);
	put(b, "%s", t);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static const char *subsys_of(const struct log_rec *r)
{
	return r->subsys != NULL ? r->subsys : "idsd";
}

/* The form each output has when no format is configured: the console's is
 * the one idsd has always printed (scripts and tests read it), the file's
 * adds the time; a report line already says where it comes from. */
static const char *builtin(enum log_out out, bool raw)
{
	static const char *const forms[LOG_NOUTS][2] = {
		[LOG_OUT_CONSOLE] = { "%d: %S: %M", "%M" },
		[LOG_OUT_FILE] = { "[%z] %d: %S: %M", "[%z] %d: %M" },
		[LOG_OUT_SYSLOG] = { "%d: %S: %M", "%d: %M" },
	};

	return forms[out][raw];
}

size_t log_render(char *buf, size_t cap, const char *fmt, enum log_out out,
		  const struct log_rec *r)
{
	struct sbuf b = { buf, 0, cap };
	bool said = false;
	char name[16];

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (fmt == NULL)
		fmt = builtin(out, r->raw);
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0') {
			put(&b, "%c", *p);
			continue;
		}
		switch (*++p) {
		case 't': put_time(&b, &r->ts, "%d/%m/%Y -- %H:%M:%S"); break;
		case 'z': put_time(&b, &r->ts, "%Y-%m-%d %H:%M:%S"); break;
		case 'p': put(&b, "%ld", (long)getpid()); break;
		case 'i': put(&b, "%ld", (long)gettid()); break;
		case 'm':
			if (pthread_getname_np(pthread_self(), name, sizeof(name)) != 0)
				name[0] = '\0';
			put(&b, "%s", name);
			break;
		case 'd': put(&b, "%s", level_names[r->lvl]); break;
		case 'S': put(&b, "%s", subsys_of(r)); break;
		case 'M': put(&b, "%s", r->msg); said = true; break;
		case 'f': put(&b, "%s", base_name(r->file)); break;
		case 'l': put(&b, "%d", r->line); break;
		case 'n': put(&b, "%s", r->func); break;
		default: put(&b, "%c", *p); break;   /* %%, and what log_format_check refused */
		}
	}
	if (!said)
		put(&b, "%s", r->msg);
	return b.len;
}

size_t log_render_json(char *buf, size_t cap, const struct log_rec *r)
{
	struct sbuf ts = { (char[48]){ 0 }, 0, 48 };
	struct json_w j;
	char name[16];

	put_time(&ts, &r->ts, "%Y-%m-%dT%H:%M:%S");
	put(&ts, ".%06ld", r->ts.tv_nsec / 1000);
	put_time(&ts, &r->ts, "%z");
	if (pthread_getname_np(pthread_self(), name, sizeof(name)) != 0)
		name[0] = '\0';
	json_init(&j, buf, cap - 1);
	json_obj_open(&j, NULL);
	json_str(&j, "timestamp", ts.p);
	json_str(&j, "log_level", level_titles[r->lvl]);
	json_str(&j, "event_type", "engine");
	json_obj_open(&j, "engine");
	json_str(&j, "message", r->msg);
	json_str(&j, "thread_name", name);
	json_str(&j, "module", subsys_of(r));
	json_obj_close(&j);
	json_obj_close(&j);
	buf[json_len(&j)] = '\0';
	return json_len(&j);
}
