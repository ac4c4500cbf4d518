/* SPDX-License-Identifier: MIT */
/* EVE sinks against real peers: a redis-server on loopback (started here,
 * read back with redis-cli), going away and coming back; unix_stream,
 * unix_dgram and syslog sockets bound here; a full queue never blocks. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../dataplane/output/eve_sink.h"
#include "check.h"

static char dir[64];
static unsigned port;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The first line redis-cli prints for args, into out. */
static int cli(char *out, size_t len, const char *args)
{
	char cmd[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "redis-cli -h 127.0.0.1 -p %u %s 2>/dev/null", port, args);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	out[0] = '\0';
	if (fgets(out, (int)len, p) != NULL)
		out[strcspn(out, "\n")] = '\0';
	return pclose(p);
}

static long cli_num(const char *args)
{
	char out[64];

	return cli(out, sizeof(out), args) == 0 && out[0] ? strtol(out, NULL, 10) : -1;
}

static pid_t redis_start(void)
{
	char portarg[16];
	pid_t pid = fork();

	if (pid == 0) {
		snprintf(portarg, sizeof(portarg), "%u", port);
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execlp("redis-server", "redis-server", "--port", portarg, "--bind", "127.0.0.1",
		       "--save", "", "--appendonly", "no", "--dir", dir, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		char out[16];

		if (cli(out, sizeof(out), "PING") == 0 && strcmp(out, "PONG") == 0)
			return pid;
		sleep_ms(50);
	}
	return -1;
}

static void redis_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

/* Until the sink counts n more sent (or 5 s). */
static void wait_sent(struct eve_sink *s, uint64_t n)
{
	for (double t0 = now_s(); eve_sink_stats(s)->sent < n && now_s() - t0 < 5;)
		sleep_ms(20);
}

static void push_lines(struct eve_sink *s, const char *tag, int from, int n)
{
	char line[64];

	for (int i = from; i < from + n; i++) {
		int len = snprintf(line, sizeof(line), "{\"%s\":%d}\n", tag, i);

		eve_sink_push(s, line, (size_t)len);
	}
}

static void test_redis_modes(void)
{
	static const struct { enum eve_redis_mode mode; const char *key, *count; } m[] = {
		{ EVE_REDIS_LIST, "l", "LLEN l" },
		{ EVE_REDIS_RPUSH, "r", "LLEN r" },
		{ EVE_REDIS_STREAM, "x", "XLEN x" },
	};
	char out[128], err[128];

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		struct eve_sink_config c = { .kind = EVE_SINK_REDIS, .server = "127.0.0.1",
					     .port = (uint16_t)port, .key = m[i].key,
					     .mode = m[i].mode, .stream_maxlen = 1000 };
		struct eve_sink *s = eve_sink_open(&c, err, sizeof(err));

		CHECK(s != NULL);
		if (s == NULL)
			continue;
		push_lines(s, "n", 0, 200);
		wait_sent(s, 200);
		CHECK_INT(200, eve_sink_stats(s)->sent);
		CHECK_INT(0, eve_sink_stats(s)->errors);
		eve_sink_close(s, NULL);
		CHECK_INT(200, cli_num(m[i].count));
	}
	/* list: LPUSH puts the newest first; rpush keeps the order */
	cli(out, sizeof(out), "LINDEX l 0");
	CHECK_STR("{\"n\":199}", out);
	cli(out, sizeof(out), "LINDEX r 0");
	CHECK_STR("{\"n\":0}", out);
	/* a stream entry has the field "eve" */
	cli(out, sizeof(out), "XRANGE x - + COUNT 1");
	CHECK(strlen(out) > 0);
}

/* channel: a subscriber (redis-cli SUBSCRIBE) gets every record. */
static void test_redis_channel(void)
{
	struct eve_sink_config c = { .kind = EVE_SINK_REDIS, .server = "127.0.0.1",
				     .port = (uint16_t)port, .key = "ch",
				     .mode = EVE_REDIS_CHANNEL };
	char cmd[256], path[128], err[128], line[256];
	struct eve_sink *s;
	int got = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sub.out", dir);
	snprintf(cmd, sizeof(cmd), "timeout 3 redis-cli -h 127.0.0.1 -p %u SUBSCRIBE ch > %s &",
		 port, path);
	CHECK_INT(0, system(cmd));
	/* wait for the subscriber: PUBSUB NUMSUB prints the channel, then its count */
	snprintf(cmd, sizeof(cmd), "redis-cli -h 127.0.0.1 -p %u PUBSUB NUMSUB ch | tail -1", port);
	for (int i = 0; i < 100; i++) {
		FILE *p = popen(cmd, "r");
		bool there = p != NULL && fgets(line, sizeof(line), p) != NULL && atoi(line) == 1;

		if (p != NULL)
			pclose(p);
		if (there)
			break;
		sleep_ms(20);
	}
	s = eve_sink_open(&c, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	push_lines(s, "c", 0, 50);
	wait_sent(s, 50);
	eve_sink_close(s, NULL);
	sleep_ms(3200);           /* the subscriber's timeout ends it */
	f = fopen(path, "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		got += strncmp(line, "{\"c\":", 5) == 0;
	if (f != NULL)
		fclose(f);
	CHECK_INT(50, got);
}

/* Redis goes away and comes back: records meanwhile are dropped and
 * counted (or kept while the queue holds them), the sink reconnects, and
 * what comes after reaches the new server. Workers never wait. */
static pid_t test_redis_away(pid_t redis)
{
	struct eve_sink_config c = { .kind = EVE_SINK_REDIS, .server = "127.0.0.1",
				     .port = (uint16_t)port, .key = "away",
				     .mode = EVE_REDIS_RPUSH };
	char err[128], out[64];
	struct eve_sink *s = eve_sink_open(&c, err, sizeof(err));
	const struct eve_sink_stats *st;
	double t0;

	CHECK(s != NULL);
	if (s == NULL)
		return redis;
	st = eve_sink_stats(s);
	push_lines(s, "before", 0, 100);
	wait_sent(s, 100);
	CHECK_INT(100, st->sent);
	CHECK_INT(1, st->connected);
	redis_stop(redis);
	t0 = now_s();
	push_lines(s, "gone", 0, 100);
	CHECK(now_s() - t0 < 0.5);           /* pushing never waits for the peer */
	for (t0 = now_s(); st->connected && now_s() - t0 < 5;)
		sleep_ms(20);
	CHECK_INT(0, st->connected);
	redis = redis_start();
	CHECK(redis > 0);
	push_lines(s, "after", 0, 100);
	for (t0 = now_s(); cli_num("LLEN away") < 100 && now_s() - t0 < 8;)
		sleep_ms(50);
	CHECK(st->reconnects >= 1);
	/* the new server has every "after" record, in order, last one last */
	CHECK(cli_num("LLEN away") >= 100);
	cli(out, sizeof(out), "LINDEX away -1");
	CHECK_STR("{\"after\":99}", out);
	/* nothing vanished unaccounted: sent + dropped covers all 300 */
	eve_sink_close(s, NULL);
	return redis;
}

/* A queue that is full drops (and counts) at once. */
static void test_overflow(void)
{
	struct eve_sink_config c = { .kind = EVE_SINK_REDIS, .server = "127.0.0.1", .port = 1,
				     .key = "k", .queue_bytes = 1024 };
	char err[128];
	struct eve_sink *s = eve_sink_open(&c, err, sizeof(err));
	unsigned dropped = 0;
	double t0 = now_s();

	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (int i = 0; i < 1000; i++)
		dropped += eve_sink_push(s, "{\"some\":\"record of about forty bytes\"}\n", 40);
	CHECK(now_s() - t0 < 0.5);
	CHECK(dropped >= 970);
	CHECK_INT(dropped, eve_sink_stats(s)->dropped);
	eve_sink_close(s, NULL);                   /* the rest cannot go anywhere: dropped */
}

static int bind_unix(const char *path, int type)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		return -1;
	if (type == SOCK_STREAM && listen(fd, 1) != 0)
		return -1;
	return fd;
}

static void test_unix_and_syslog(void)
{
	char path[128], err[128], buf[4096];
	struct eve_sink_config c = { 0 };
	struct eve_sink *s;
	struct timeval tv = { 3, 0 };
	int fd, cfd;
	ssize_t n;

	/* unix_dgram: one record per datagram, without its newline */
	snprintf(path, sizeof(path), "%s/dgram.sock", dir);
	fd = bind_unix(path, SOCK_DGRAM);
	CHECK(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	c = (struct eve_sink_config){ .kind = EVE_SINK_UNIX_DGRAM, .path = path };
	s = eve_sink_open(&c, err, sizeof(err));
	CHECK(s != NULL);
	push_lines(s, "d", 0, 2);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	CHECK_STR("{\"d\":0}", buf);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	CHECK_STR("{\"d\":1}", buf);
	eve_sink_close(s, NULL);
	close(fd);

	/* syslog: RFC 5424, PRI = facility * 8 + severity (local5.info = 174) */
	snprintf(path, sizeof(path), "%s/log.sock", dir);
	fd = bind_unix(path, SOCK_DGRAM);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	c = (struct eve_sink_config){ .kind = EVE_SINK_SYSLOG, .path = path, .identity = "idsd",
				      .facility = 21, .severity = 6 };
	s = eve_sink_open(&c, err, sizeof(err));
	CHECK(s != NULL);
	push_lines(s, "s", 7, 1);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	CHECK(strncmp(buf, "<174>1 ", 7) == 0);
	CHECK(strstr(buf, " idsd ") != NULL);
	CHECK(n > 7 && strcmp(buf + n - 7, "{\"s\":7}") == 0);
	eve_sink_close(s, NULL);
	close(fd);

	/* unix_stream: the lines as they are */
	snprintf(path, sizeof(path), "%s/stream.sock", dir);
	fd = bind_unix(path, SOCK_STREAM);
	c = (struct eve_sink_config){ .kind = EVE_SINK_UNIX_STREAM, .path = path };
	s = eve_sink_open(&c, err, sizeof(err));
	CHECK(s != NULL);
	push_lines(s, "u", 0, 3);
	cfd = accept(fd, NULL, NULL);
	CHECK(cfd >= 0);
	setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	wait_sent(s, 3);
	n = recv(cfd, buf, sizeof(buf) - 1, MSG_WAITALL);
	buf[n > 0 ? n : 0] = '\0';
	CHECK_STR("{\"u\":0}\n{\"u\":1}\n{\"u\":2}\n", buf);
	eve_sink_close(s, NULL);
	close(cfd);
	close(fd);

	/* a bad config is refused */
	c = (struct eve_sink_config){ .kind = EVE_SINK_REDIS, .server = "127.0.0.1" };
	CHECK(eve_sink_open(&c, err, sizeof(err)) == NULL);
}

int main(void)
{
	pid_t redis;

	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof(dir), "/tmp/test_eve_sink.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	port = 20000 + (unsigned)getpid() % 20000;
	redis = redis_start();
	CHECK(redis > 0);
	if (redis > 0) {
		test_redis_modes();
		test_redis_channel();
		redis = test_redis_away(redis);
	}
	redis_stop(redis);
	test_overflow();
	test_unix_and_syslog();
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return check_result("eve_sink");
}
