/* SPDX-License-Identifier: MIT */
/* logging:
 *   default-log-level: notice
 *   default-log-format: "[%i] %t - (%f:%l) <%d> (%n) -- "
 *   default-output-filter:
 *   outputs:
 *     - console: { enabled: yes, type: json }
 *     - file: { enabled: yes, level: info, filename: idsd.log }
 *     - syslog: { enabled: no, facility: local5, format: "[%i] <%d> -- " }
 * As Suricata reads it: an output is used only when `enabled` says so, and
 * with an `outputs` list the console writes only if the list enables it (or
 * if the list enables nothing). */
#include "conf_logging.h"

#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"

/* Process log, as Suricata 7's: levels, formats, the console, file and
 * syslog outputs (syslog's filename, ours, is its socket). */
const struct conf_schema_row conf_schema_logging[] = {
	{ "logging", CONF_MAP },
	{ "logging.default-log-level", CONF_STR },
	{ "logging.default-log-format", CONF_STR },
	{ "logging.default-output-filter", CONF_STR },
	{ "logging.stacktrace-on-signal", CONF_NOOP },
	{ "logging.outputs", CONF_MAP },
	{ "logging.outputs.*", CONF_ITEM },
	{ "logging.outputs.*.console", CONF_MAP },
	{ "logging.outputs.*.console.enabled", CONF_BOOL },
	{ "logging.outputs.*.console.level", CONF_STR },
	{ "logging.outputs.*.console.format", CONF_STR },
	{ "logging.outputs.*.console.type", CONF_STR },
	{ "logging.outputs.*.file", CONF_MAP },
	{ "logging.outputs.*.file.enabled", CONF_BOOL },
	{ "logging.outputs.*.file.level", CONF_STR },
	{ "logging.outputs.*.file.format", CONF_STR },
	{ "logging.outputs.*.file.type", CONF_STR },
	{ "logging.outputs.*.file.filename", CONF_STR },
	{ "logging.outputs.*.syslog", CONF_MAP },
	{ "logging.outputs.*.syslog.enabled", CONF_BOOL },
	{ "logging.outputs.*.syslog.level", CONF_STR },
	{ "logging.outputs.*.syslog.format", CONF_STR },
	{ "logging.outputs.*.syslog.type", CONF_STR },
	{ "logging.outputs.*.syslog.filename", CONF_STR },
	{ "logging.outputs.*.syslog.facility", CONF_STR },
	{ NULL, 0 },
};

struct lp {
	FILE *errs;
	int n;
	char err[512];
};

static void report(struct lp *p)
{
	fprintf(p->errs, "%s\n", p->err);
	p->n++;
}

static const char *str(struct lp *p, const struct conf_node *base, const char *key,
		       const char *def)
{
	const char *v = def;

	if (conf_node_get_str(base, key, def, &v, p->err, sizeof(p->err)) != 0)
		report(p);
	return v;
}

static void level(struct lp *p, const struct conf_node *base, const char *key, int *out)
{
	const char *v = str(p, base, key, NULL);
	enum log_level lvl;

	if (v == NULL)
		return;
	if (log_level_parse(v, &lvl) != 0) {
		conf_node_err(conf_node_get(base, key), p->err, sizeof(p->err),
			      "expected error, warning, notice, info, perf, config or debug, got '%s'",
			      v);
		report(p);
		return;
	}
	*out = (int)lvl;
}

static const char *format(struct lp *p, const struct conf_node *base, const char *key)
{
	const char *v = str(p, base, key, NULL);
	char why[160];

	if (v != NULL && log_format_check(v, why, sizeof(why)) != 0) {
		conf_node_err(conf_node_get(base, key), p->err, sizeof(p->err), "%s", why);
		report(p);
		return NULL;
	}
	return v;
}

static void filter(struct lp *p, const struct conf_node *lg, struct log_config *lc)
{
	const char *v = str(p, lg, "default-output-filter", NULL);
	regex_t re;
	int ret;

	if (v == NULL)
		return;
	ret = regcomp(&re, v, REG_EXTENDED | REG_NOSUB);
	if (ret != 0) {
		char why[128];

		regerror(ret, &re, why, sizeof(why));
		conf_node_err(conf_node_get(lg, "default-output-filter"), p->err, sizeof(p->err),
			      "not a regular expression: %s", why);
		report(p);
		return;
	}
	regfree(&re);
	lc->filter = v;
}

/* The file output's path: absolute as given, else in the log directory. */
static void file_path(struct lp *p, struct conf_logging *cl, const char *log_dir,
		      const char *name)
{
	free(cl->file_path);
	if (name[0] == '/')
		cl->file_path = strdup(name);
	else if (asprintf(&cl->file_path, "%s/%s", log_dir, name) < 0)
		cl->file_path = NULL;
	if (cl->file_path == NULL) {
		snprintf(p->err, sizeof(p->err), "logging: out of memory");
		report(p);
	}
	cl->log.out[LOG_OUT_FILE].path = cl->file_path;
}

/* One "- console|file|syslog: {options}" of logging.outputs. */
static void output(struct lp *p, struct conf_logging *cl, const struct conf_logging_ctx *x,
		   const struct conf_node *item, bool *seen)
{
	static const char *const names[LOG_NOUTS] = { "console", "file", "syslog" };
	const struct conf_node *o = conf_node_get(item, item->value);
	struct log_output_config *oc;
	const char *type;
	bool on = false;
	int i;

	for (i = 0; i < LOG_NOUTS; i++)
		if (strcmp(item->value, names[i]) == 0)
			break;
	if (i == LOG_NOUTS)
		return;   /* the schema refused it */
	if (seen[i]) {
		conf_node_err(item, p->err, sizeof(p->err), "logging output '%s' given twice",
			      names[i]);
		report(p);
		return;
	}
	seen[i] = true;
	oc = &cl->log.out[i];
	if (conf_node_get_bool(o, "enabled", false, &on, p->err, sizeof(p->err)) != 0)
		report(p);
	oc->enabled = on;
	level(p, o, "level", &oc->level);
	oc->format = format(p, o, "format");
	type = str(p, o, "type", "regular");
	oc->json = strcmp(type, "json") == 0;
	if (!oc->json && strcmp(type, "regular") != 0) {
		conf_node_err(conf_node_get(o, "type"), p->err, sizeof(p->err),
			      "expected 'regular' or 'json', got '%s'", type);
		report(p);
	}
	if (i == LOG_OUT_FILE && on)
		file_path(p, cl, x->log_dir, str(p, o, "filename", x->file_name));
	if (i == LOG_OUT_SYSLOG) {
		const char *fac = str(p, o, "facility", "local5");
		const char *sock = str(p, o, "filename", NULL);

		if (log_facility_parse(fac, &oc->facility) != 0) {
			conf_node_err(conf_node_get(o, "facility"), p->err, sizeof(p->err),
				      "unknown syslog facility '%s'", fac);
			report(p);
		}
		/* idsd's own: the socket (as the eve-log syslog sink's filename) */
		if (sock != NULL && sock[0] != '/') {
			conf_node_err(conf_node_get(o, "filename"), p->err, sizeof(p->err),
				      "the syslog socket must be an absolute path, got '%s'", sock);
			report(p);
		} else {
			oc->path = sock;
		}
	}
}

int conf_logging_read(struct conf_logging *cl, const struct conf *c,
		      const struct conf_logging_ctx *x, FILE *errs)
{
	const struct conf_node *lg = conf_get(c, "logging");
	const struct conf_node *outs = conf_node_get(lg, "outputs");
	struct lp p = { .errs = errs };
	bool seen[LOG_NOUTS] = { false };
	int def = LOG_NOTICE;

	cl->file_path = NULL;
	log_config_default(&cl->log);
	if (lg != NULL) {
		level(&p, lg, "default-log-level", &def);
		cl->log.format = format(&p, lg, "default-log-format");
		filter(&p, lg, &cl->log);
	}
	if (outs != NULL)
		cl->log.out[LOG_OUT_CONSOLE].enabled = false;
	for (const struct conf_node *it = conf_node_first(outs); it; it = conf_node_next(it))
		if (it->value != NULL)
			output(&p, cl, x, it, seen);
	/* as Suricata: no output enabled is the default, the console */
	if (!cl->log.out[LOG_OUT_FILE].enabled && !cl->log.out[LOG_OUT_SYSLOG].enabled)
		cl->log.out[LOG_OUT_CONSOLE].enabled = true;
	/* -v, -vv: at least info, debug (whatever the file says) */
	if (x->verbose > 0 && def < (x->verbose >= 2 ? LOG_DEBUG : LOG_INFO))
		def = x->verbose >= 2 ? LOG_DEBUG : LOG_INFO;
	cl->log.level = (enum log_level)def;
	if (x->daemon && !cl->log.out[LOG_OUT_FILE].enabled &&
	    !cl->log.out[LOG_OUT_SYSLOG].enabled) {
		cl->log.out[LOG_OUT_FILE].enabled = true;
		file_path(&p, cl, x->log_dir, x->file_name);
	}
	return p.n;
}

void conf_logging_free(struct conf_logging *cl)
{
	free(cl->file_path);
	cl->file_path = NULL;
}

int conf_logging_apply(const struct conf_logging *cl, const struct conf_logging_ctx *x,
		       FILE *errs)
{
	const struct log_output_config *f = &cl->log.out[LOG_OUT_FILE];
	const struct log_output_config *sl = &cl->log.out[LOG_OUT_SYSLOG];
	char err[2 * PATH_MAX + 128];
	int failed;

	if (f->enabled && mkdir(x->log_dir, 0755) != 0 && errno != EEXIST)
		fprintf(errs, "%s: cannot create the log directory: %s\n", x->log_dir,
			strerror(errno));
	failed = log_configure(&cl->log, err, sizeof(err));
	if (failed < 0) {
		fprintf(errs, "logging: %s\n", err);
		return failed;
	}
	if (err[0] != '\0')
		log_msg(LOG_ERR, "logging", "%s", err);
	/* a daemon's console is /dev/null: it needs one of them */
	if (x->daemon && (!f->enabled || (failed & 1 << LOG_OUT_FILE)) &&
	    (!sl->enabled || (failed & 1 << LOG_OUT_SYSLOG))) {
		fprintf(errs, "logging: -D: neither the file nor the syslog output can write: "
			"refusing to run with the log going to /dev/null\n");
		return -EIO;
	}
	return 0;
}
