/* SPDX-License-Identifier: MIT */
/* fork + exec with a pidfd watched by the loop and a kill timer. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "control/loop/loop.h"
#include "spawn.h"

struct child {
	pid_t pid;
	int pidfd;
	bool timed_out;
	struct loop_timer *kill_t;
	spawn_done_cb done;
	void *arg;
};

int spawn_split(const char *cmd, char *buf, size_t buflen, char *argv[SPAWN_MAX_ARGS + 1])
{
	size_t o = 0;
	int argc = 0;
	const char *p = cmd;

	for (;;) {
		char q = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (argc == SPAWN_MAX_ARGS)
			return -EINVAL;
		argv[argc++] = buf + o;
		for (; *p && (q || (*p != ' ' && *p != '\t')); p++) {
			if (!q && (*p == '\'' || *p == '"')) {
				q = *p;
				continue;
			}
			if (q && *p == q) {
				q = 0;
				continue;
			}
			if (o + 1 >= buflen)
				return -EINVAL;
			buf[o++] = *p;
		}
		if (q)
			return -EINVAL;
		if (o + 1 >= buflen)
			return -EINVAL;
		buf[o++] = '\0';
	}
	argv[argc] = NULL;
	return argc ? argc : -EINVAL;
}

static void reap(struct loop *l, struct child *c)
{
	siginfo_t si;
	int status = -1;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PIDFD, (id_t)c->pidfd, &si, WEXITED) == 0)
		status = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
	if (c->timed_out)
		status = -ETIMEDOUT;
	loop_fd_del(l, c->pidfd);
	close(c->pidfd);
	loop_timer_cancel(l, c->kill_t);
	if (c->done)
		c->done(c->arg, status);
	free(c);
}

static void on_exit_fd(struct loop *l, int fd, unsigned events, void *arg)
{
	(void)fd;
	(void)events;
	reap(l, arg);
}

static void on_timeout(struct loop *l, struct loop_timer *t, void *arg)
{
	struct child *c = arg;

	(void)l;
	(void)t;
	c->kill_t = NULL;
	c->timed_out = true;
	syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
}

/* In the child: only async-signal-safe calls from here to exec. */
static void child_exec(char **argv, const struct passwd *pw, gid_t gid)
{
	int null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (pw && (setgroups(1, &gid) < 0 || setgid(gid) < 0 || setuid(pw->pw_uid) < 0))
		_exit(126);
	execvp(argv[0], argv);
	_exit(127);
}

pid_t spawn_run(struct loop *l, const char *cmd, const char *const *extra, const char *user,
		uint64_t timeout_us, spawn_done_cb done, void *arg)
{
	char buf[1024];
	char *argv[SPAWN_MAX_ARGS + 1];
	struct passwd *pw = NULL;
	struct child *c;
	int argc, ret;

	argc = spawn_split(cmd, buf, sizeof(buf), argv);
	if (argc < 0)
		return argc;
	for (; extra && *extra && argc < SPAWN_MAX_ARGS; extra++)
		argv[argc++] = (char *)*extra;
	argv[argc] = NULL;
	if (user && !(pw = getpwnam(user)))
		return -ENOENT;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->done = done;
	c->arg = arg;
	c->pid = fork();
	if (c->pid < 0) {
		ret = -errno;
		goto fail;
	}
	if (c->pid == 0)
		child_exec(argv, pw, pw ? pw->pw_gid : 0);
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (c->pidfd < 0) {
		ret = -errno;
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
		goto fail;
	}
	ret = loop_fd_add(l, c->pidfd, LOOP_READ, on_exit_fd, c);
	if (ret < 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
		close(c->pidfd);
		goto fail;
	}
	if (timeout_us)
		c->kill_t = loop_timer_add(l, timeout_us, on_timeout, c);
	return c->pid;
fail:
	free(c);
	return ret;
}
