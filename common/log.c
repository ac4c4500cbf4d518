/* SPDX-License-Identifier: MIT */
/* The log's outputs: console (stderr, with sd-daemon <N> priorities when
 * stderr is the journal's stream), file (reopened by name on SIGHUP) and
 * syslog (datagrams to the local socket, as syslog(3) sends them). */
#include "log-int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define LOG_MSG_MAX 2048
#define LOG_LINE_MAX (6 * LOG_MSG_MAX + 512)
#define SYSLOG_SOCKET "/dev/log"
/* Messages held from start until the outputs are configured: the first
 * LOG_HELD_MAX, each cut to LOG_HELD_MSG bytes. */
#define LOG_HELD_MAX 128
#define LOG_HELD_MSG 512

struct log_held {
	struct log_rec r;        /* file, func: literals; msg: text below */
	char subsys[24];
	char text[LOG_HELD_MSG];
};

struct log_out_state {
	bool enabled, json;
	int level;               /* -1: the default level */
	int facility;
	int fd;                  /* file or syslog socket; -1: none */
	char *format;            /* NULL: default format or built-in */
	char *path;
};

static struct {
	pthread_mutex_t lock;    /* outputs, and line below */
	enum log_level level;    /* default-log-level */
	char *format;            /* default-log-format */
	bool has_filter;
	regex_t filter;
	bool console_off;        /* detached: stderr is /dev/null */
	int journal;             /* stderr is journald's: -1 not looked yet, 0, 1 */
	struct log_out_state out[LOG_NOUTS];
	bool configured;         /* log_configure() ran: nothing is held any more */
	struct log_held *held;   /* before that: what was said, for the outputs to come */
	unsigned nheld, held_lost;
	char line[LOG_LINE_MAX + 64];
} lg = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.level = LOG_NOTICE,
	.journal = -1,
	.out = {
		[LOG_OUT_CONSOLE] = { .enabled = true, .level = -1, .fd = -1 },
		[LOG_OUT_FILE] = { .level = -1, .fd = -1 },
		[LOG_OUT_SYSLOG] = { .level = -1, .fd = -1 },
	},
};

void log_config_default(struct log_config *c)
{
	memset(c, 0, sizeof(*c));
	c->level = LOG_NOTICE;
	for (int i = 0; i < LOG_NOUTS; i++)
		c->out[i].level = -1;
	c->out[LOG_OUT_CONSOLE].enabled = true;
	c->out[LOG_OUT_SYSLOG].facility = 21;   /* local5, Suricata's default */
}

void log_set_level(enum log_level lvl)
{
	lg.level = lvl;
}

enum log_level log_get_level(void)
{
	return lg.level;
}

/* systemd sets JOURNAL_STREAM to "device:inode" of the stream it gave as
 * stdout/stderr (systemd.exec(5)); a redirected stderr no longer matches. */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) != 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;   /* nowhere to report a failing log */
		p += w;
		n -= (size_t)w;
	}
}

static int syslog_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* "<PRI>Mmm dd hh:mm:ss idsd[pid]: " as syslog(3) writes for the local
 * socket, then the rendered line. Never waits: a full queue drops it. A
 * restarted syslog daemon gets one reconnection per message. */
static void syslog_send(struct log_out_state *o, const struct log_rec *r, size_t off, size_t n)
{
	char head[64], t[32];
	struct tm tm;
	int k;

	localtime_r(&r->ts.tv_sec, &tm);
	strftime(t, sizeof(t), "%b %e %H:%M:%S", &tm);
	k = snprintf(head, sizeof(head), "<%d>%s idsd[%ld]: ",
		     o->facility * 8 + log_severity(r->lvl), t, (long)getpid());
	off -= (size_t)k;
	memcpy(lg.line + off, head, (size_t)k);
	n += (size_t)k;
	for (int tries = 0; tries < 2; tries++) {
		int fd;

		if (o->fd >= 0 && send(o->fd, lg.line + off, n, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return;
		if (o->fd >= 0 && errno != ECONNREFUSED && errno != ENOTCONN)
			return;
		fd = syslog_connect(o->path);
		if (fd < 0)
			return;
		if (o->fd >= 0)
			close(o->fd);
		o->fd = fd;
	}
}

static void output(enum log_out i, const struct log_rec *r)
{
	struct log_out_state *o = &lg.out[i];
	const size_t off = 64;   /* room for a prefix before the line */
	char *p = lg.line + off;
	size_t n;

	if (o->json)
		n = log_render_json(p, LOG_LINE_MAX, r);
	else
		n = log_render(p, LOG_LINE_MAX, o->format ? o->format : lg.format, i, r);
	switch (i) {
	case LOG_OUT_CONSOLE:
		if (lg.journal < 0)
			lg.journal = stderr_is_journal();
		if (lg.journal) {
			/* sd-daemon(3): journald reads the priority from "<N>" */
			char pri[4] = { '<', (char)('0' + log_severity(r->lvl)), '>' };

			p -= 3;
			memcpy(p, pri, 3);
			n += 3;
		}
		p[n++] = '\n';
		write_all(STDERR_FILENO, p, n);
		break;
	case LOG_OUT_FILE:
		p[n++] = '\n';
		write_all(o->fd, p, n);
		break;
	case LOG_OUT_SYSLOG:
		syslog_send(o, r, off, n);
		break;
	}
}

static bool output_wants(enum log_out i, enum log_level lvl)
{
	const struct log_out_state *o = &lg.out[i];

	if (!o->enabled || (i == LOG_OUT_CONSOLE && lg.console_off))
		return false;
	return (int)lvl <= (o->level >= 0 ? o->level : (int)lg.level);
}

/* Before the outputs are configured the console alone writes; the file
 * and syslog outputs to come get these messages too (log_configure), so a
 * warning of the configuration itself is not lost with the console (-D). */
static void hold(const struct log_rec *r)
{
	struct log_held *h;

	if (lg.held == NULL && lg.held_lost == 0)
		lg.held = calloc(LOG_HELD_MAX, sizeof(*lg.held));
	if (lg.held == NULL || lg.nheld == LOG_HELD_MAX) {
		lg.held_lost++;
		return;
	}
	h = &lg.held[lg.nheld++];
	h->r = *r;
	snprintf(h->subsys, sizeof(h->subsys), "%s", r->subsys ? r->subsys : "");
	snprintf(h->text, sizeof(h->text), "%s", r->msg);
	h->r.subsys = h->subsys;
	h->r.msg = h->text;
}

/* The held messages to the file and syslog outputs just configured, as
 * their levels take them, in order; then nothing is held any more. */
static void replay_held(void)
{
	for (unsigned k = 0; k < lg.nheld; k++)
		for (int i = LOG_OUT_FILE; i < LOG_NOUTS; i++)
			if (output_wants((enum log_out)i, lg.held[k].r.lvl))
				output((enum log_out)i, &lg.held[k].r);
	if (lg.held_lost > 0) {
		char msg[96];
		struct log_rec r = {
			.file = __FILE__, .line = __LINE__, .func = __func__, .lvl = LOG_WARN,
			.subsys = "logging", .msg = msg,
		};

		snprintf(msg, sizeof(msg), "%u more messages from before the logging section "
			 "was read went to the console only", lg.held_lost);
		clock_gettime(CLOCK_REALTIME, &r.ts);
		for (int i = LOG_OUT_FILE; i < LOG_NOUTS; i++)
			if (output_wants((enum log_out)i, r.lvl))
				output((enum log_out)i, &r);
	}
	free(lg.held);
	lg.held = NULL;
	lg.nheld = lg.held_lost = 0;
	lg.configured = true;
}

void log_emit(const char *file, int line, const char *func, enum log_level lvl,
	      const char *subsys, bool raw, const char *fmt, ...)
{
	char msg[LOG_MSG_MAX];
	struct log_rec r = {
		.file = file, .line = line, .func = func, .lvl = lvl, .subsys = subsys,
		.raw = raw, .msg = msg,
	};
	va_list ap;
	bool any;

	pthread_mutex_lock(&lg.lock);
	any = !lg.configured;
	for (int i = 0; i < LOG_NOUTS; i++)
		any = any || output_wants((enum log_out)i, lvl);
	if (!any)
		goto out;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Suricata's output filter selects among debug messages only */
	if (lvl == LOG_DEBUG && lg.has_filter && regexec(&lg.filter, msg, 0, NULL, 0) != 0)
		goto out;
	clock_gettime(CLOCK_REALTIME, &r.ts);
	if (!lg.configured)
		hold(&r);
	for (int i = 0; i < LOG_NOUTS; i++)
		if (output_wants((enum log_out)i, lvl))
			output((enum log_out)i, &r);
out:
	pthread_mutex_unlock(&lg.lock);
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	*oom = *oom || d == NULL;
	return d;
}

static void states_free(struct log_out_state *st, char *format, regex_t *filter)
{
	for (int i = 0; i < LOG_NOUTS; i++) {
		if (st[i].fd >= 0)
			close(st[i].fd);
		free(st[i].format);
		free(st[i].path);
	}
	free(format);
	if (filter != NULL)
		regfree(filter);
}

/* New output states from c, files and sockets open. As Suricata, an
 * output that cannot open is said in err and left out (a file) or tried
 * again at each message (syslog: its daemon may come later). The mask of
 * those outputs, or -ENOMEM. */
static int states_open(struct log_out_state *st, const struct log_config *c, char *err,
		       size_t errlen)
{
	struct log_out_state *f = &st[LOG_OUT_FILE], *sl = &st[LOG_OUT_SYSLOG];
	bool oom = false;
	int failed = 0;

	for (int i = 0; i < LOG_NOUTS; i++) {
		const struct log_output_config *oc = &c->out[i];

		st[i] = (struct log_out_state){
			.enabled = oc->enabled, .json = oc->json, .level = oc->level,
			.facility = oc->facility, .fd = -1,
			.format = dup_or_null(oc->format, &oom),
			.path = dup_or_null(i == LOG_OUT_SYSLOG && oc->path == NULL ? SYSLOG_SOCKET :
					    oc->path, &oom),
		};
	}
	if (oom)
		return -ENOMEM;
	err[0] = '\0';
	if (f->enabled) {
		f->fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (f->fd < 0) {
			int e = errno;

			/* configured again with the file that is open (a reload after
			 * the directory became unwritable): it keeps being written,
			 * as log_reopen() keeps it */
			pthread_mutex_lock(&lg.lock);
			if (lg.out[LOG_OUT_FILE].fd >= 0 && lg.out[LOG_OUT_FILE].path != NULL &&
			    strcmp(lg.out[LOG_OUT_FILE].path, f->path) == 0)
				f->fd = fcntl(lg.out[LOG_OUT_FILE].fd, F_DUPFD_CLOEXEC, 0);
			pthread_mutex_unlock(&lg.lock);
			snprintf(err, errlen, "%s: cannot open: %s%s", f->path, strerror(e),
				 f->fd >= 0 ? " (the file open before is kept)" : "");
			if (f->fd < 0) {
				f->enabled = false;
				failed |= 1 << LOG_OUT_FILE;
			}
		}
	}
	if (sl->enabled) {
		sl->fd = syslog_connect(sl->path);
		if (sl->fd < 0) {
			size_t n = strlen(err);

			snprintf(err + n, errlen - n, "%ssyslog: cannot connect to %s: %s",
				 n ? "; " : "", sl->path, strerror(-sl->fd));
			sl->fd = -1;
			failed |= 1 << LOG_OUT_SYSLOG;
		}
	}
	return failed;
}

static void swap_state(struct log_out_state *a, struct log_out_state *b)
{
	struct log_out_state t = *a;

	*a = *b;
	*b = t;
}

static void swap_ptr(char **a, char **b)
{
	char *t = *a;

	*a = *b;
	*b = t;
}

static void swap_filter(regex_t *f, bool *has)
{
	regex_t t = lg.filter;
	bool h = lg.has_filter;

	lg.filter = *f;
	lg.has_filter = *has;
	*f = t;
	*has = h;
}

int log_configure(const struct log_config *c, char *err, size_t errlen)
{
	struct log_out_state st[LOG_NOUTS];
	regex_t filter;
	bool has_filter = c->filter != NULL && c->filter[0] != '\0';
	bool oom = false;
	char *format = dup_or_null(c->format, &oom);
	int failed, ret = 0;

	memset(&filter, 0, sizeof(filter));
	failed = states_open(st, c, err, errlen);
	if (failed < 0 || oom) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
	}
	if (ret == 0 && has_filter &&
	    (ret = regcomp(&filter, c->filter, REG_EXTENDED | REG_NOSUB)) != 0) {
		char why[128];

		regerror(ret, &filter, why, sizeof(why));
		snprintf(err, errlen, "default-output-filter: %s", why);
		ret = -EINVAL;
		has_filter = false;
	}
	if (ret != 0) {
		states_free(st, format, has_filter ? &filter : NULL);
		return ret;
	}
	/* the new state in, the one in force out to the locals, freed after */
	pthread_mutex_lock(&lg.lock);
	for (int i = 0; i < LOG_NOUTS; i++)
		swap_state(&lg.out[i], &st[i]);
	swap_ptr(&lg.format, &format);
	swap_filter(&filter, &has_filter);
	lg.level = c->level;
	if (!lg.configured)
		replay_held();
	pthread_mutex_unlock(&lg.lock);
	states_free(st, format, has_filter ? &filter : NULL);
	return failed;
}

int log_reopen(void)
{
	struct log_out_state *o = &lg.out[LOG_OUT_FILE];
	int fd, ret = 0;

	pthread_mutex_lock(&lg.lock);
	if (o->enabled) {
		fd = open(o->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0) {
			ret = -errno;
		} else {
			close(o->fd);
			o->fd = fd;
		}
	}
	pthread_mutex_unlock(&lg.lock);
	return ret;
}

void log_console_off(void)
{
	pthread_mutex_lock(&lg.lock);
	lg.console_off = true;
	pthread_mutex_unlock(&lg.lock);
}

void log_close(void)
{
	struct log_config def;
	char err[128];

	log_config_default(&def);
	/* the default opens nothing, so it cannot fail */
	log_configure(&def, err, sizeof(err));
	pthread_mutex_lock(&lg.lock);
	lg.console_off = false;
	lg.journal = -1;
	/* as at start: held until configured again */
	free(lg.held);
	lg.held = NULL;
	lg.nheld = lg.held_lost = 0;
	lg.configured = false;
	pthread_mutex_unlock(&lg.lock);
}

/* log_stream_open: lines gathered until '\n', each a log_line. */
struct log_stream {
	enum log_level lvl;
	const char *subsys;
	size_t len;
	char buf[LOG_MSG_MAX];
};

static void stream_flush(struct log_stream *s)
{
	enum log_level lvl = s->lvl;

	s->buf[s->len] = '\0';
	/* the reporters' own words: "file:line: warning: ..." */
	if (lvl == LOG_ERR && strstr(s->buf, "warning: ") != NULL)
		lvl = LOG_WARN;
	log_line(lvl, s->subsys, "%s", s->buf);
	s->len = 0;
}

static ssize_t stream_write(void *cookie, const char *p, size_t n)
{
	struct log_stream *s = cookie;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			stream_flush(s);
			continue;
		}
		s->buf[s->len++] = p[i];
		if (s->len == sizeof(s->buf) - 1)
			stream_flush(s);
	}
	return (ssize_t)n;
}

static int stream_close(void *cookie)
{
	struct log_stream *s = cookie;

	if (s->len > 0)
		stream_flush(s);
	free(s);
	return 0;
}

FILE *log_stream_open(enum log_level lvl, const char *subsys)
{
	struct log_stream *s = calloc(1, sizeof(*s));
	FILE *f;

	if (s == NULL)
		return NULL;
	s->lvl = lvl;
	s->subsys = subsys;
	f = fopencookie(s, "w", (cookie_io_functions_t){ .write = stream_write,
							 .close = stream_close });
	if (f == NULL) {
		free(s);
		return NULL;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}
