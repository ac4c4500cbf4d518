/* SPDX-License-Identifier: MIT */
/* A management port with a backend of fakes, for the mgmt suite: loads a
 * YAML file, checks it against the management schema, serves until SIGTERM.
 * Prints "port N" once listening. With --alerts N it publishes N alert
 * lines at start and one more every 200 ms, for "alerts --follow". */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "conf/conf.h"
#include "control/loop/loop.h"
#include "control/mgmt/mgmt.h"

struct harness {
	struct loop *loop;
	struct mgmt *mgmt;
	const struct conf *conf;
	unsigned int seq;
	bool demoted;
};

static void alert(struct harness *h)
{
	char line[256];
	int n = snprintf(line, sizeof(line),
			 "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":%u,"
			 "\"signature\":\"harness alert %u\"}}", 1000 + h->seq, h->seq);

	h->seq++;
	mgmt_alert_publish(h->mgmt, line, (size_t)n);
}

static void alert_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	alert(arg);
	loop_timer_rearm(l, t, 200000);
}

static int fake_status(void *ctx, struct mgmt_reply *r)
{
	struct harness *h = ctx;

	mgmt_reply_str(r, "node", "harness");
	mgmt_reply_obj_open(r, "vrrp");
	mgmt_reply_str(r, "state", h->demoted ? "BACKUP" : "MASTER");
	mgmt_reply_uint(r, "priority", 150);
	mgmt_reply_obj_close(r);
	mgmt_reply_str(r, "version", "harness 1");
	return 0;
}

static int fake_reload(void *ctx, struct mgmt_reply *r)
{
	(void)ctx;
	mgmt_reply_str(r, "result", "reloaded");
	mgmt_reply_uint(r, "rules_loaded", 42);
	return 0;
}

static int fake_rules_list(void *ctx, unsigned int argc, const char *const *argv,
			   struct mgmt_reply *r)
{
	(void)ctx;
	(void)argv;
	if (argc)
		return mgmt_reply_error(r, -EINVAL, "usage: rules list");
	mgmt_reply_arr_open(r, "files");
	mgmt_reply_obj_open(r, NULL);
	mgmt_reply_str(r, "file", "local.rules");
	mgmt_reply_uint(r, "loaded", 42);
	mgmt_reply_obj_close(r);
	mgmt_reply_arr_close(r);
	return 0;
}

static int fake_demote(void *ctx, struct mgmt_reply *r)
{
	struct harness *h = ctx;

	if (h->demoted)
		return mgmt_reply_error(r, -EALREADY, "already in maintenance");
	h->demoted = true;
	mgmt_reply_str(r, "state", "BACKUP");
	return 0;
}

static int fake_config(void *ctx, struct mgmt_reply *r)
{
	struct harness *h = ctx;

	mgmt_reply_conf(r, "config", h->conf->root);
	return 0;
}

static void on_signal(struct loop *l, int fd, unsigned events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		loop_stop(l);
}

int main(int argc, char **argv)
{
	static const struct conf_schema_row harness_rows[] = {
		{ "vrrp", CONF_ANY }, { "secrets", CONF_ANY }, { NULL, 0 },
	};
	struct harness h = { 0 };
	struct mgmt_backend be = {
		.ctx = &h, .status = fake_status, .rules_reload = fake_reload,
		.rules_list = fake_rules_list, .ha_demote = fake_demote,
		.config_show = fake_config,
	};
	struct conf_schema schema;
	struct conf *c = conf_new();
	char err[512];
	sigset_t ss;
	int sfd, rc = 1, alerts = -1;

	if (argc >= 4 && strcmp(argv[2], "--alerts") == 0)
		alerts = atoi(argv[3]);
	if (!c || argc < 2 || conf_load_file(c, argv[1], err, sizeof(err))) {
		fprintf(stderr, "usage: mgmt_harness CONFIG [--alerts N]: %s\n", c ? err : "");
		conf_free(c);
		return 2;
	}
	conf_schema_init(&schema);
	conf_schema_add(&schema, mgmt_conf_schema);
	conf_schema_add(&schema, harness_rows);
	if (conf_validate(c, &schema, stderr)) {
		conf_free(c);
		return 1;
	}
	h.conf = c;
	h.loop = loop_new();
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &ss, SFD_CLOEXEC);
	h.mgmt = mgmt_new(h.loop, conf_get(c, "management"), &be, err, sizeof(err));
	if (!h.mgmt) {
		fprintf(stderr, "mgmt_harness: %s\n", err);
		goto out;
	}
	loop_fd_add(h.loop, sfd, LOOP_READ, on_signal, NULL);
	for (int i = 0; i < alerts; i++)
		alert(&h);
	if (alerts >= 0)
		loop_timer_add(h.loop, 200000, alert_timer, &h);
	printf("port %u\n", mgmt_port(h.mgmt));
	fflush(stdout);
	rc = loop_run(h.loop) ? 1 : 0;
	loop_fd_del(h.loop, sfd);
out:
	mgmt_free(h.mgmt);
	close(sfd);
	loop_free(h.loop);
	conf_free(c);
	return rc;
}
