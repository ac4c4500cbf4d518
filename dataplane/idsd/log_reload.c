/* SPDX-License-Identifier: MIT */
#include "log_reload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/log.h"
#include "../../conf/conf.h"
#include "conf_load.h"
#include "settings.h"

/* The lines of a problem report as error log lines. */
static void report(char *buf)
{
	for (char *line = buf, *nl; line != NULL && *line != '\0'; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (*line != '\0')
			log_msg(LOG_ERR, "logging", "reload: %s", line);
	}
}

static const struct conf_logging *running(const struct log_live *l, const struct settings *s)
{
	return l->conf != NULL ? &l->cl : &s->logging;
}

/* The running outputs stay; their file is opened again by name. */
static int keep(const struct log_live *l, const struct settings *s, int ret)
{
	const char *path = running(l, s)->file_path;
	int r = log_reopen();

	if (r != 0)
		log_msg(LOG_ERR, "logging", "%s: cannot reopen: %s", path ? path : "?",
			strerror(-r));
	log_msg(LOG_ERR, "logging", "reload failed, the running logging stays");
	return ret;
}

/* The configuration read again; NULL with its problems reported. Its
 * schema warnings were said at start: dropped when it loads. */
static struct conf *conf_again(const struct idsd_args *a)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *errs = open_memstream(&buf, &n);
	struct conf *c;

	if (errs == NULL)
		return NULL;
	c = idsd_conf_load(a, errs);
	fclose(errs);
	if (c == NULL)
		report(buf);
	free(buf);
	return c;
}

int log_live_reload(struct log_live *l, const struct idsd_args *a, const struct settings *s)
{
	struct conf_logging_ctx x = settings_log_ctx(s, a->verbose);
	struct conf_logging cl = { 0 };
	struct conf *c = conf_again(a);
	char *buf = NULL;
	size_t n = 0;
	FILE *errs;
	int ret = -EINVAL;

	if (c == NULL)
		return keep(l, s, -EINVAL);
	errs = open_memstream(&buf, &n);
	if (errs == NULL) {
		conf_free(c);
		return keep(l, s, -ENOMEM);
	}
	if (conf_logging_read(&cl, c, &x, errs) == 0)
		ret = conf_logging_apply(&cl, &x, errs);
	fclose(errs);
	report(buf);
	free(buf);
	if (ret == -EIO) {
		/* a daemon's new outputs cannot write: back to the running ones */
		char err[256];

		log_configure(&running(l, s)->log, err, sizeof(err));
	}
	if (ret != 0) {
		conf_logging_free(&cl);
		conf_free(c);
		return keep(l, s, ret);
	}
	log_live_free(l);
	l->conf = c;
	l->cl = cl;
	log_msg(LOG_NOTICE, "logging", "reloaded: console %s, file %s, syslog %s",
		cl.log.out[LOG_OUT_CONSOLE].enabled ? "on" : "off",
		cl.log.out[LOG_OUT_FILE].enabled ? cl.file_path : "off",
		cl.log.out[LOG_OUT_SYSLOG].enabled ? "on" : "off");
	return 0;
}

void log_live_free(struct log_live *l)
{
	if (l->conf != NULL) {
		conf_logging_free(&l->cl);
		conf_free(l->conf);
	}
	l->conf = NULL;
}
