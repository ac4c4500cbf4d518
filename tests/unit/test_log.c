/* SPDX-License-Identifier: MIT */
/* The process log (common/log.c, log_fmt.c): level filtering per output,
 * formats and their specifiers, JSON lines, the file output reopened after
 * a rename, syslog datagrams, report streams, the debug filter, journald
 * priorities on the console. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "common/log-int.h"

static char dir[] = "/tmp/test_log.XXXXXX";

static char *slurp(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void file_config(struct log_config *c, const char *path, int level)
{
	log_config_default(c);
	c->out[LOG_OUT_CONSOLE].enabled = false;
	c->out[LOG_OUT_FILE].enabled = true;
	c->out[LOG_OUT_FILE].path = path;
	c->out[LOG_OUT_FILE].level = level;
}

static void test_names(void)
{
	enum log_level l = LOG_ERR;
	int f = -1;
	char err[256];

	CHECK_INT(0, log_level_parse("Perf", &l));
	CHECK_INT(LOG_PERF, l);
	CHECK_INT(0, log_level_parse("config", &l));
	CHECK_INT(LOG_CONFIG, l);
	CHECK_INT(-EINVAL, log_level_parse("critical", &l));
	CHECK_INT(0, log_facility_parse("local5", &f));
	CHECK_INT(21, f);
	CHECK_INT(0, log_facility_parse("DAEMON", &f));
	CHECK_INT(3, f);
	CHECK_INT(-EINVAL, log_facility_parse("local8", &f));
	CHECK_INT(0, log_format_check("[%i] %t [%S] - (%f:%l) <%d> (%n) -- %%", err, sizeof(err)));
	CHECK_INT(-EINVAL, log_format_check("%q %M", err, sizeof(err)));
	CHECK(strstr(err, "'%q'") != NULL);
	CHECK_INT(-EINVAL, log_format_check("trailing %", err, sizeof(err)));
}

static void test_levels(void)
{
	struct log_config c;
	char path[256], err[256];
	const char *s;

	snprintf(path, sizeof(path), "%s/levels.log", dir);
	file_config(&c, path, LOG_WARN);
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	log_msg(LOG_ERR, "t", "an error");
	log_msg(LOG_WARN, "t", "a warning");
	log_msg(LOG_NOTICE, "t", "a notice");
	log_msg(LOG_DEBUG, "t", "a debug");
	s = slurp(path);
	CHECK_INT(2, count_lines(s));
	CHECK(strstr(s, "error: t: an error\n") != NULL);
	CHECK(strstr(s, "warning: t: a warning\n") != NULL);
	CHECK(strstr(s, "notice") == NULL);

	/* -1: the default level, which perf messages pass only at perf */
	snprintf(path, sizeof(path), "%s/default.log", dir);
	file_config(&c, path, -1);
	c.level = LOG_INFO;
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	log_msg(LOG_INFO, "t", "info passes");
	log_msg(LOG_PERF, "t", "perf does not");
	s = slurp(path);
	CHECK_INT(1, count_lines(s));
	CHECK(strstr(s, "info passes") != NULL);
	CHECK_INT(LOG_INFO, log_get_level());

	/* default-log-format: for every output without a format of its own */
	snprintf(path, sizeof(path), "%s/format.log", dir);
	file_config(&c, path, LOG_NOTICE);
	c.format = "%S|%M";
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	log_msg(LOG_NOTICE, "t", "default format");
	c.out[LOG_OUT_FILE].format = "%d|%M";
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	log_msg(LOG_NOTICE, "t", "own format");
	CHECK_STR("t|default format\nnotice|own format\n", slurp(path));
	log_close();
}

static void test_formats(void)
{
	struct log_rec r = {
		.file = "dataplane/idsd/run.c", .line = 42, .func = "fn", .lvl = LOG_NOTICE,
		.subsys = "reload", .msg = "generation 2",
		.ts = { .tv_sec = 86400 * 365, .tv_nsec = 123456000 },
	};
	char buf[512], want[128];
	size_t n;

	n = log_render(buf, sizeof(buf), NULL, LOG_OUT_CONSOLE, &r);
	CHECK_STR("notice: reload: generation 2", buf);
	CHECK_INT(strlen(buf), n);
	r.raw = true;
	log_render(buf, sizeof(buf), NULL, LOG_OUT_CONSOLE, &r);
	CHECK_STR("generation 2", buf);
	r.raw = false;
	snprintf(want, sizeof(want), "<notice> [reload] run.c:42 fn %ld -- generation 2 %%",
		 (long)getpid());
	log_render(buf, sizeof(buf), "<%d> [%S] %f:%l %n %p -- %M %%", LOG_OUT_FILE, &r);
	CHECK_STR(want, buf);
	/* no %M: the message follows the prefix (Suricata 6's formats) */
	log_render(buf, sizeof(buf), "<%d> -- ", LOG_OUT_SYSLOG, &r);
	CHECK_STR("<notice> -- generation 2", buf);
	/* %z is "YYYY-MM-DD HH:MM:SS", %t Suricata's "DD/MM/YYYY -- HH:MM:SS" */
	log_render(buf, sizeof(buf), "%z|%t|%M", LOG_OUT_FILE, &r);
	CHECK_INT(19 + 1 + 22 + 1 + 12, strlen(buf));
	CHECK(buf[4] == '-' && buf[7] == '-' && buf[10] == ' ' && buf[13] == ':');
	CHECK(buf[22] == '/' && buf[25] == '/' && strstr(buf, " -- ") == buf + 30);
	/* the file's built-in form: [time] level: subsys: message */
	log_render(buf, sizeof(buf), NULL, LOG_OUT_FILE, &r);
	CHECK(buf[0] == '[' && buf[20] == ']' &&
	      strcmp(buf + 21, " notice: reload: generation 2") == 0);
	/* truncated, still terminated */
	n = log_render(buf, 10, NULL, LOG_OUT_CONSOLE, &r);
	CHECK_INT(9, n);
	CHECK_STR("notice: r", buf);

	r.msg = "a \"quoted\"\tline";
	n = log_render_json(buf, sizeof(buf), &r);
	CHECK(strncmp(buf, "{\"timestamp\":\"", 14) == 0);
	CHECK(strstr(buf, "\"log_level\":\"Notice\",\"event_type\":\"engine\","
		      "\"engine\":{\"message\":\"a \\\"quoted\\\"\\tline\"") != NULL);
	CHECK(strstr(buf, "\"module\":\"reload\"}}") != NULL);
	CHECK_INT(strlen(buf), n);
}

static void test_reopen(void)
{
	struct log_config c;
	char path[256], moved[300], err[256];

	snprintf(path, sizeof(path), "%s/idsd.log", dir);
	snprintf(moved, sizeof(moved), "%s.1", path);
	file_config(&c, path, LOG_NOTICE);
	c.out[LOG_OUT_FILE].json = true;
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	log_msg(LOG_NOTICE, "t", "one");
	CHECK_INT(0, rename(path, moved));
	log_msg(LOG_NOTICE, "t", "two");
	CHECK_INT(0, log_reopen());
	log_msg(LOG_NOTICE, "t", "three");
	CHECK(strstr(slurp(moved), "\"one\"") != NULL);
	CHECK(strstr(slurp(moved), "\"two\"") != NULL);
	CHECK_INT(1, count_lines(slurp(path)));
	CHECK(strstr(slurp(path), "\"three\"") != NULL);

	/* a file that cannot be opened: said, left out, the others run */
	c.out[LOG_OUT_FILE].path = "/nonexistent-dir/x.log";
	c.out[LOG_OUT_CONSOLE].enabled = true;
	CHECK_INT(1 << LOG_OUT_FILE, log_configure(&c, err, sizeof(err)));
	CHECK_STR("/nonexistent-dir/x.log: cannot open: No such file or directory", err);
	log_msg(LOG_NOTICE, "t", "four");
	CHECK(strstr(slurp(path), "\"four\"") == NULL);
	/* a bad filter: refused, the outputs in force stay */
	c.filter = "(";
	c.out[LOG_OUT_FILE].path = path;
	CHECK_INT(-EINVAL, log_configure(&c, err, sizeof(err)));
	CHECK(strstr(err, "default-output-filter") != NULL);
	log_close();
}

static void test_syslog(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct log_config c;
	char err[256], buf[1024], want[64];
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	ssize_t n;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/log.sock", dir);
	CHECK_INT(0, bind(fd, (struct sockaddr *)&sun, sizeof(sun)));
	log_config_default(&c);
	c.out[LOG_OUT_CONSOLE].enabled = false;
	c.out[LOG_OUT_SYSLOG].enabled = true;
	c.out[LOG_OUT_SYSLOG].path = sun.sun_path;
	c.out[LOG_OUT_SYSLOG].facility = 3;    /* daemon */
	c.out[LOG_OUT_SYSLOG].level = LOG_INFO;
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	log_msg(LOG_DEBUG, "t", "not sent");
	log_msg(LOG_WARN, "port", "link down");
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	CHECK(n > 0);
	buf[n > 0 ? n : 0] = '\0';
	/* daemon (3) * 8 + warning (4) */
	CHECK(strncmp(buf, "<28>", 4) == 0);
	snprintf(want, sizeof(want), " idsd[%ld]: warning: port: link down", (long)getpid());
	CHECK(n > (ssize_t)strlen(want) && strcmp(buf + n - strlen(want), want) == 0);
	CHECK_INT(-1, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));

	/* the listener goes and comes back: its messages meanwhile are lost,
	 * the first after its return reaches it (one reconnection) */
	close(fd);
	unlink(sun.sun_path);
	log_msg(LOG_WARN, "t", "lost");
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_INT(0, bind(fd, (struct sockaddr *)&sun, sizeof(sun)));
	log_msg(LOG_WARN, "t", "back");
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	CHECK(n > 0 && strstr(buf, "warning: t: back") != NULL);
	close(fd);

	/* nobody listens: said at configure, tried again later */
	c.out[LOG_OUT_SYSLOG].path = "/nonexistent-dir/log.sock";
	CHECK_INT(1 << LOG_OUT_SYSLOG, log_configure(&c, err, sizeof(err)));
	CHECK(strstr(err, "syslog: cannot connect to /nonexistent-dir/log.sock") != NULL);
	log_close();
}

static void test_stream_and_filter(void)
{
	struct log_config c;
	char path[256], err[256];
	const char *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/stream.log", dir);
	file_config(&c, path, LOG_DEBUG);
	c.out[LOG_OUT_FILE].format = "%d %S %M";
	c.filter = "^keep";
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	f = log_stream_open(LOG_ERR, "rules");
	CHECK(f != NULL);
	fprintf(f, "a.rules:1: bad\nb.rules:%d: worse\nno newline", 2);
	fclose(f);
	log_msg(LOG_DEBUG, "t", "drop me");
	log_msg(LOG_DEBUG, "t", "keep me");
	log_msg(LOG_INFO, "t", "info is not filtered");
	s = slurp(path);
	CHECK_STR("error rules a.rules:1: bad\nerror rules b.rules:2: worse\n"
		  "error rules no newline\ndebug t keep me\ninfo t info is not filtered\n", s);
	log_close();
}

/* stderr made a file whose device:inode JOURNAL_STREAM names: "<N>" lines. */
static void test_journal(void)
{
	char path[256];
	struct stat st;
	char env[64];
	int saved = dup(STDERR_FILENO), fd;
	const char *s;

	snprintf(path, sizeof(path), "%s/journal", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && fstat(fd, &st) == 0);
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", env, 1);
	dup2(fd, STDERR_FILENO);
	log_close();              /* looks again at stderr */
	log_msg(LOG_WARN, "port", "link down");
	log_line(LOG_ERR, "rules", "x.rules:3: bad");
	log_msg(LOG_NOTICE, "t", "notice");
	log_msg(LOG_INFO, "t", "info: filtered at the default level");
	/* stderr elsewhere: no prefix */
	setenv("JOURNAL_STREAM", "1:1", 1);
	log_close();
	log_msg(LOG_NOTICE, "t", "plain");
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	unsetenv("JOURNAL_STREAM");
	log_close();
	s = slurp(path);
	CHECK_STR("<4>warning: port: link down\n<3>x.rules:3: bad\n<5>notice: t: notice\n"
		  "notice: t: plain\n", s);
}

/* What was said before the outputs were configured reaches the file output
 * the first log_configure opens (as its level takes it), in order, once;
 * past the first 128 held, one line says how many went to the console only. */
static void test_held(void)
{
	struct log_config c;
	char path[256], err[256];
	const char *s;
	FILE *f;

	log_close();
	log_msg(LOG_WARN, "conf", "before the config");
	log_msg(LOG_DEBUG, "conf", "a debug nobody wants");
	f = log_stream_open(LOG_ERR, "conf");
	fputs("x.yaml:3:1: key 'a': warning: accepted, has no effect\nx.yaml:4:1: bad\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/held.log", dir);
	file_config(&c, path, LOG_WARN);
	c.out[LOG_OUT_FILE].format = "%d|%M";
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	log_msg(LOG_ERR, "t", "after");
	CHECK_STR("warning|before the config\n"
		  "warning|x.yaml:3:1: key 'a': warning: accepted, has no effect\n"
		  "error|x.yaml:4:1: bad\nerror|after\n", slurp(path));
	/* given once: a second configure replays nothing */
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	CHECK_INT(4, count_lines(slurp(path)));

	log_close();
	for (int i = 0; i < 130; i++)
		log_msg(LOG_NOTICE, "t", "early %d", i);
	snprintf(path, sizeof(path), "%s/held2.log", dir);
	file_config(&c, path, LOG_NOTICE);
	c.out[LOG_OUT_FILE].format = "%M";
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	s = slurp(path);
	CHECK_INT(129, count_lines(s));
	CHECK(strstr(s, "early 127\n") != NULL && strstr(s, "early 128") == NULL);
	CHECK(strstr(s, "2 more messages from before the logging section was read went to "
		     "the console only\n") != NULL);
	log_close();
}

/* Configured again with the file that is open, and that cannot be opened
 * again (its folder moved away): the open file keeps being written. */
static void test_kept(void)
{
	struct log_config c;
	char sub[256], moved[256], path[300], err[512];

	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(moved, sizeof(moved), "%s/sub2", dir);
	snprintf(path, sizeof(path), "%s/x.log", sub);
	CHECK_INT(0, mkdir(sub, 0755));
	file_config(&c, path, LOG_NOTICE);
	c.out[LOG_OUT_FILE].format = "%M";
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	log_msg(LOG_NOTICE, "t", "one");
	CHECK_INT(0, rename(sub, moved));
	CHECK_INT(0, log_configure(&c, err, sizeof(err)));
	CHECK(strstr(err, "cannot open") != NULL && strstr(err, "kept") != NULL);
	log_msg(LOG_NOTICE, "t", "two");
	snprintf(path, sizeof(path), "%s/x.log", moved);
	CHECK_STR("one\ntwo\n", slurp(path));
	log_close();
}

int main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	test_names();
	test_levels();
	test_formats();
	test_reopen();
	test_syslog();
	test_stream_and_filter();
	test_journal();
	test_held();
	test_kept();
	{
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return check_result("log");
}
