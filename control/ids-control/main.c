/* SPDX-License-Identifier: MIT */
/* ids-control: parse arguments, load and check the config, build the HA
 * node and the management port on one loop, run, tear down. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/log.h"
#include "common/svc.h"
#include "conf/conf.h"
#include "control/config/ctl_conf.h"
#include "control/ha/ha.h"
#include "control/loop/loop.h"
#include "ctl_log.h"
#include "ctl_mgmt.h"

#define DEFAULT_CONF "/etc/ids/ids-control.yaml"

struct args {
	const char *conf;
	const char *pidfile;
	bool test;
	bool foreground;
	int verbose;
};

struct run {
	const struct args *a;
	struct conf *conf;		/* the running configuration (a reload swaps it) */
	struct ctl_conf *cc;
	struct conf_logging *log;	/* its logging section, in force */
	struct loop *loop;
	struct ha *ha;
	struct ctl_mgmt *mgmt;
	struct loop_timer *watchdog;
	uint64_t watchdog_us;
	int sigfd;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ids-control [-c FILE] [-T] [-f] [-p PIDFILE] [-v]\n"
		"  -c, --config FILE   configuration (default " DEFAULT_CONF ")\n"
		"  -T, --test          check the configuration and exit\n"
		"  -f, --foreground    do not detach\n"
		"  -p, --pidfile FILE  write the process id to FILE\n"
		"  -v, --verbose       more log output (repeatable)\n"
		"  -h, --help          this text\n"
		"Signals: TERM/INT stop gracefully (priority 0 advert), HUP reloads the whole\n"
		"configuration as keepalived does (VRRP instances configured as before keep\n"
		"their state; a configuration that does not load keeps the running one),\n"
		"applies the logging section (its file opened anew), reopens the audit log\n"
		"and reloads the TLS files, USR1 dumps counters.\n");
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "test", no_argument, NULL, 'T' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	a->conf = DEFAULT_CONF;
	while ((o = getopt_long(argc, argv, "c:Tfp:vh", opts, NULL)) != -1) {
		switch (o) {
		case 'c': a->conf = optarg; break;
		case 'T': a->test = true; break;
		case 'f': a->foreground = true; break;
		case 'p': a->pidfile = optarg; break;
		case 'v': a->verbose++; break;
		case 'h': usage(stdout); exit(0);
		default: return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ids-control: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* Load, validate against every schema table, read into cc, check the
 * management section: every check the daemon makes of its configuration
 * before it touches the network, so -T passes exactly what would start
 * (files: the management section's TLS files too; a reload leaves them to
 * ctl_mgmt_reconfigure). 0 or -EINVAL with the problems printed to out
 * ("file:line: ..."). */
static int check_conf(const char *path, struct conf *c, struct ctl_conf *cc,
		      struct conf_logging *cl, int verbose, bool files, FILE *out)
{
	struct conf_schema s;
	char err[512];

	if (conf_load_file(c, path, err, sizeof(err)) < 0) {
		fprintf(out, "%s\n", err);
		return -EINVAL;
	}
	conf_schema_init(&s);
	conf_schema_add(&s, ctl_conf_schema);
	conf_schema_add(&s, ctl_mgmt_schema());
	conf_schema_add(&s, conf_schema_logging);
	conf_schema_add(&s, ctl_log_schema);
	if (conf_validate(c, &s, out) || ctl_log_read(cl, c, verbose, out))
		return -EINVAL;
	if (ctl_conf_read(c, cc, err, sizeof(err)) < 0 ||
	    ctl_mgmt_check(c, files, err, sizeof(err)) < 0) {
		fprintf(out, "%s\n", err);
		return -EINVAL;
	}
	return 0;
}

/* Each line of text as one error log line. */
static void log_lines(const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");

		if (n)
			log_msg(LOG_ERR, "control", "reload: %.*s", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/* SIGHUP, as keepalived's reload: read the configuration file again and,
 * when all of it loads and checks, apply it (VRRP instances kept, started
 * or stopped by ha_reload, then the logging section, then the management
 * port's settings); the
 * previous configuration is freed. Otherwise the running one stays and
 * each problem is logged with its file and line. */
static void reload(struct run *r)
{
	struct conf *c = conf_new();
	struct ctl_conf *cc = calloc(1, sizeof(*cc));
	struct conf_logging cl = { 0 };
	char *text = NULL, err[512];
	size_t len = 0;
	FILE *out = open_memstream(&text, &len), *errs;
	int rc = -ENOMEM;

	log_msg(LOG_NOTICE, "control", "SIGHUP: reloading %s", r->a->conf);
	if (c && cc && out)
		rc = check_conf(r->a->conf, c, cc, &cl, r->a->verbose, false, out);
	if (out)
		fclose(out);
	if (rc < 0) {
		log_lines(text ? text : "out of memory");
		log_msg(LOG_ERR, "control", "configuration reload failed, the running "
			"configuration stays");
		goto drop;
	}
	if (ha_reload(r->ha, cc, err, sizeof(err)) < 0) {
		log_msg(LOG_ERR, "control", "configuration reload failed, the running "
			"configuration stays: %s", err);
		goto drop;
	}
	errs = log_stream_open(LOG_ERR, "control");
	/* the VRRP side is applied; then the log, so that what the rest says
	 * goes to the new outputs (ones that cannot open are said there) */
	if (ctl_log_apply(&cl, c, r->a->verbose, errs ? errs : stderr) < 0)
		log_msg(LOG_ERR, "control", "logging: it keeps its previous outputs");
	if (errs)
		fclose(errs);
	/* what the management port cannot take it reports, keeping its
	 * previous settings */
	if (ctl_mgmt_reconfigure(&r->mgmt, r->loop, c, cc, r->ha, err, sizeof(err)) < 0)
		log_msg(LOG_ERR, "control", "management: %s; it keeps its previous settings", err);
	free(text);
	free(r->cc);
	conf_logging_free(r->log);
	conf_free(r->conf);
	r->conf = c;
	r->cc = cc;
	*r->log = cl;
	log_msg(LOG_NOTICE, "control", "configuration reloaded: %u VRRP instance(s)",
		ha_count(r->ha));
	return;
drop:
	free(text);
	free(cc);
	conf_logging_free(&cl);
	conf_free(c);
}

static void on_signal(struct loop *l, int fd, unsigned events, void *arg)
{
	struct run *r = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGUSR1) {
			ha_dump(r->ha, stdout);
			fflush(stdout);
			continue;
		}
		if (si.ssi_signo == SIGHUP) {
			reload(r);
			continue;
		}
		log_msg(LOG_NOTICE, "control", "signal %u: stopping", si.ssi_signo);
		svc_stopping();
		/* Shutdown first: the priority-0 adverts go out before the loop ends */
		ha_stop(r->ha);
		loop_stop(l);
	}
}

static int signals_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* The loop turns, so the process is alive: tell the service manager. */
static void on_watchdog(struct loop *l, struct loop_timer *t, void *arg)
{
	struct run *r = arg;

	svc_watchdog();
	loop_timer_rearm(l, t, r->watchdog_us);
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "%d\n", (int)getpid());
	return fclose(f) ? -errno : 0;
}

/* Runs until a stop signal. *c and *cc are the configuration: a reload
 * replaces them, so the caller frees what they point to at the end. */
static int run(const struct args *a, struct conf **c, struct ctl_conf **cc,
	       struct conf_logging *log)
{
	struct run r = { .a = a, .conf = *c, .cc = *cc, .log = log, .sigfd = -1 };
	char err[512];
	int ret = 1;

	r.loop = loop_new();
	if (!r.loop) {
		fprintf(stderr, "ids-control: event loop: %s\n", strerror(errno));
		return 1;
	}
	r.sigfd = signals_fd();
	if (r.sigfd < 0 || loop_fd_add(r.loop, r.sigfd, LOOP_READ, on_signal, &r) < 0) {
		fprintf(stderr, "ids-control: signalfd: %s\n", strerror(errno));
		goto out;
	}
	r.ha = ha_new(r.loop, r.cc, err, sizeof(err));
	if (!r.ha) {
		fprintf(stderr, "ids-control: %s\n", err);
		goto out;
	}
	if (ctl_mgmt_start(r.loop, r.conf, r.cc, r.ha, &r.mgmt, err, sizeof(err)) < 0) {
		fprintf(stderr, "ids-control: management: %s\n", err);
		goto out;
	}
	if (!a->foreground && daemon(0, 1) < 0) {
		fprintf(stderr, "ids-control: daemon: %s\n", strerror(errno));
		goto out;
	}
	if (a->pidfile && write_pidfile(a->pidfile) < 0)
		log_msg(LOG_WARN, "control", "pidfile %s: %s", a->pidfile, strerror(errno));
	log_msg(LOG_NOTICE, "control", "started: %u VRRP instance(s)", ha_count(r.ha));
	ha_start(r.ha);
	r.watchdog_us = svc_watchdog_period_us();
	if (r.watchdog_us && !(r.watchdog = loop_timer_add(r.loop, 0, on_watchdog, &r)))
		log_msg(LOG_WARN, "control", "watchdog timer: out of memory");
	snprintf(err, sizeof(err), "%u VRRP instance(s)%s", ha_count(r.ha),
		 r.mgmt ? ", management port open" : "");
	svc_ready(err);
	ret = loop_run(r.loop) < 0 ? 1 : 0;
	ha_dump(r.ha, stdout);
	if (a->pidfile)
		unlink(a->pidfile);
out:
	loop_timer_cancel(r.loop, r.watchdog);
	ctl_mgmt_stop(r.mgmt);
	ha_free(r.ha);
	if (r.sigfd >= 0)
		close(r.sigfd);
	loop_free(r.loop);
	*c = r.conf;
	*cc = r.cc;
	return ret;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	struct conf_logging cl = { 0 };
	struct ctl_conf *cc;
	struct conf *c;
	FILE *pre;
	int ret;

	if (parse_args(argc, argv, &a) < 0) {
		usage(stderr);
		return 2;
	}
	log_set_level(a.verbose >= 2 ? LOG_DEBUG : a.verbose ? LOG_INFO : LOG_NOTICE);
	c = conf_new();
	cc = calloc(1, sizeof(*cc));
	if (!c || !cc) {
		fprintf(stderr, "ids-control: out of memory\n");
		ret = 1;
		goto out;
	}
	/* held by the log, until its outputs are known, for them */
	pre = log_stream_open(LOG_ERR, "control");
	ret = check_conf(a.conf, c, cc, &cl, a.verbose, true, pre ? pre : stderr);
	if (pre)
		fclose(pre);
	if (ret < 0) {
		ret = 1;
		goto out;
	}
	if (a.test) {
		printf("configuration ok: %u VRRP instance(s), %u script(s), telemetry %s\n",
		       cc->ninst, cc->nscript, cc->telemetry ? cc->telemetry : "none");
		ret = 0;
		goto out;
	}
	/* -T reports on the terminal only, as idsd's */
	if (ctl_log_apply(&cl, c, a.verbose, stderr) < 0) {
		ret = 1;
		goto out;
	}
	ret = run(&a, &c, &cc, &cl);
	log_close();
out:
	free(cc);
	conf_logging_free(&cl);
	conf_free(c);
	return ret;
}
