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
#include "conf/conf.h"
#include "control/config/ctl_conf.h"
#include "control/ha/ha.h"
#include "control/loop/loop.h"
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
	struct loop *loop;
	struct ha *ha;
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
		"Signals: TERM/INT stop gracefully (priority 0 advert), USR1 dumps counters.\n");
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

/* Load, validate against every schema table, read into cc. 0 or -EINVAL
 * with the problems printed. */
static int load_conf(const char *path, struct conf *c, struct ctl_conf *cc)
{
	struct conf_schema s;
	char err[512];

	if (conf_load_file(c, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -EINVAL;
	}
	conf_schema_init(&s);
	conf_schema_add(&s, ctl_conf_schema);
	conf_schema_add(&s, ctl_mgmt_schema());
	if (conf_validate(c, &s, stderr))
		return -EINVAL;
	if (ctl_conf_read(c, cc, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -EINVAL;
	}
	return 0;
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
		log_msg(LOG_NOTICE, "control", "signal %u: stopping", si.ssi_signo);
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

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "%d\n", (int)getpid());
	return fclose(f) ? -errno : 0;
}

static int run(const struct args *a, const struct conf *c, const struct ctl_conf *cc)
{
	struct run r = { .sigfd = -1 };
	struct ctl_mgmt *m = NULL;
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
	r.ha = ha_new(r.loop, cc, err, sizeof(err));
	if (!r.ha) {
		fprintf(stderr, "ids-control: %s\n", err);
		goto out;
	}
	if (ctl_mgmt_start(r.loop, c, r.ha, &m, err, sizeof(err)) < 0) {
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
	ret = loop_run(r.loop) < 0 ? 1 : 0;
	ha_dump(r.ha, stdout);
	if (a->pidfile)
		unlink(a->pidfile);
out:
	ctl_mgmt_stop(m);
	ha_free(r.ha);
	if (r.sigfd >= 0)
		close(r.sigfd);
	loop_free(r.loop);
	return ret;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	struct ctl_conf *cc;
	struct conf *c;
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
	if (load_conf(a.conf, c, cc) < 0) {
		ret = 1;
		goto out;
	}
	if (a.test) {
		printf("configuration ok: %u VRRP instance(s), %u script(s), telemetry %s\n",
		       cc->ninst, cc->nscript, cc->telemetry ? cc->telemetry : "none");
		ret = 0;
		goto out;
	}
	ret = run(&a, c, cc);
out:
	free(cc);
	conf_free(c);
	return ret;
}
