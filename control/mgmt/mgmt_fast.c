/* SPDX-License-Identifier: MIT */
/* "alerts" for people: an EVE alert line rewritten as the line Suricata's
 * fast.log (and idsd's outputs.fast) has for it,
 *
 *   MM/DD/YYYY-hh:mm:ss.uuuuuu  [Drop] [**] [gid:sid:rev] msg [**]
 *     [Classification: c] [Priority: n] {PROTO} src:sp -> dst:dp
 *
 * ([Drop] only for a blocked alert; ICMP has type and code for ports).
 * A small scanner reads the few members needed from the top level and from
 * "alert", skipping everything else; it never reads past len and bounds
 * its nesting, so any line from the file is safe to give it. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../../common/hex.h"
#include "mgmt-priv.h"

#define FAST_MAX_DEPTH 32

struct scan {
	const char *p, *end;
};

struct field {
	const char *key;
	char *buf;
	size_t cap;
};

static void ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
		s->p++;
}

static void put(char *out, size_t cap, size_t *n, char c)
{
	if (out && *n + 1 < cap)
		out[(*n)++] = c;
}

/* A string at s->p (its opening quote), unescaped into out (truncated to
 * cap, always terminated; out may be NULL to skip). Control characters
 * become '?': the result is one printable line. 0 or -EINVAL. */
static int read_string(struct scan *s, char *out, size_t cap)
{
	size_t n = 0;

	if (s->p >= s->end || *s->p != '"')
		return -EINVAL;
	s->p++;
	while (s->p < s->end && *s->p != '"') {
		unsigned char c = (unsigned char)*s->p++;

		if (c == '\\') {
			if (s->p >= s->end)
				return -EINVAL;
			c = (unsigned char)*s->p++;
			switch (c) {
			case 'n': case 'r': case 't': case 'b': case 'f':
				c = '?';
				break;
			case 'u': {
				unsigned v = 0;

				for (int i = 0; i < 4; i++) {
					int h = s->p < s->end ? hex_digit((unsigned char)*s->p) : -1;

					if (h < 0)
						return -EINVAL;
					v = v << 4 | (unsigned)h;
					s->p++;
				}
				/* ASCII as is; anything else (and surrogates) as '?' */
				c = v >= 0x20 && v < 0x7f ? (unsigned char)v : '?';
				break;
			}
			default:
				break;		/* \" \\ \/ */
			}
		} else if (c < 0x20) {
			c = '?';
		}
		put(out, cap, &n, (char)c);
	}
	if (s->p >= s->end)
		return -EINVAL;
	s->p++;
	if (out && cap)
		out[n] = '\0';
	return 0;
}

/* A number, true, false or null: its text as written. */
static int read_token(struct scan *s, char *out, size_t cap)
{
	size_t n = 0;

	while (s->p < s->end && (*s->p == '-' || *s->p == '+' || *s->p == '.' ||
				 (*s->p >= '0' && *s->p <= '9') || (*s->p >= 'a' && *s->p <= 'z') ||
				 *s->p == 'E')) {
		put(out, cap, &n, *s->p);
		s->p++;
	}
	if (out && cap)
		out[n] = '\0';
	return n || s->p < s->end ? 0 : -EINVAL;
}

static int skip_value(struct scan *s, unsigned depth);

/* An object or array at s->p, its members skipped. */
static int skip_container(struct scan *s, unsigned depth)
{
	char close = *s->p == '{' ? '}' : ']';
	bool obj = close == '}';

	if (depth >= FAST_MAX_DEPTH)
		return -EINVAL;
	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		return 0;
	}
	for (;;) {
		ws(s);
		if (obj) {
			if (read_string(s, NULL, 0))
				return -EINVAL;
			ws(s);
			if (s->p >= s->end || *s->p++ != ':')
				return -EINVAL;
			ws(s);
		}
		if (skip_value(s, depth + 1))
			return -EINVAL;
		ws(s);
		if (s->p >= s->end)
			return -EINVAL;
		if (*s->p == close) {
			s->p++;
			return 0;
		}
		if (*s->p++ != ',')
			return -EINVAL;
	}
}

static int skip_value(struct scan *s, unsigned depth)
{
	if (s->p >= s->end)
		return -EINVAL;
	if (*s->p == '"')
		return read_string(s, NULL, 0);
	if (*s->p == '{' || *s->p == '[')
		return skip_container(s, depth);
	return read_token(s, NULL, 0);
}

/* The object at s->p: scalar members named in f[0..nf) are copied into
 * their buffers, the object member named sub (if any) is read the same way
 * with sf[0..nsf), everything else is skipped. */
static int read_object(struct scan *s, const struct field *f, size_t nf, const char *sub,
		       const struct field *sf, size_t nsf)
{
	char key[32];

	ws(s);
	if (s->p >= s->end || *s->p != '{')
		return -EINVAL;
	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		const struct field *hit = NULL;

		ws(s);
		if (read_string(s, key, sizeof(key)))
			return -EINVAL;
		ws(s);
		if (s->p >= s->end || *s->p++ != ':')
			return -EINVAL;
		ws(s);
		for (size_t i = 0; i < nf && !hit; i++)
			if (strcmp(f[i].key, key) == 0)
				hit = &f[i];
		if (s->p >= s->end)
			return -EINVAL;
		if (sub && strcmp(key, sub) == 0 && *s->p == '{') {
			if (read_object(s, sf, nsf, NULL, NULL, 0))
				return -EINVAL;
		} else if (hit && *s->p == '"') {
			if (read_string(s, hit->buf, hit->cap))
				return -EINVAL;
		} else if (hit && *s->p != '{' && *s->p != '[') {
			if (read_token(s, hit->buf, hit->cap))
				return -EINVAL;
		} else if (skip_value(s, 1)) {
			return -EINVAL;
		}
		ws(s);
		if (s->p >= s->end)
			return -EINVAL;
		if (*s->p == '}') {
			s->p++;
			return 0;
		}
		if (*s->p++ != ',')
			return -EINVAL;
	}
}

/* "2024-05-01T10:00:00.123456+0000" as fast.log's "05/01/2024-10:00:00.123456":
 * the clock as EVE wrote it (both are the writer's local time in Suricata). */
static void fast_time(const char *ts, char *out, size_t cap)
{
	char frac[7] = "000000";
	const char *dot = strchr(ts, '.');

	if (strlen(ts) < 19 || ts[4] != '-' || ts[7] != '-' || ts[10] != 'T') {
		snprintf(out, cap, "%s", ts[0] ? ts : "-");
		return;
	}
	for (size_t i = 0; dot && i < 6 && dot[1 + i] >= '0' && dot[1 + i] <= '9'; i++)
		frac[i] = dot[1 + i];
	snprintf(out, cap, "%.2s/%.2s/%.4s-%.8s.%s", ts + 5, ts + 8, ts, ts + 11, frac);
}

int mgmt_eve_fast(const char *line, size_t len, char *out, size_t cap)
{
	char ts[48] = "", proto[16] = "", src[64] = "-", dst[64] = "-", sp[16] = "",
	     dp[16] = "", it[16] = "", ic[16] = "", action[16] = "", gid[16] = "1",
	     sid[16] = "0", rev[16] = "0", sig[512] = "", cat[160] = "", sev[16] = "0";
	const struct field top[] = {
		{ "timestamp", ts, sizeof(ts) }, { "proto", proto, sizeof(proto) },
		{ "src_ip", src, sizeof(src) }, { "dest_ip", dst, sizeof(dst) },
		{ "src_port", sp, sizeof(sp) }, { "dest_port", dp, sizeof(dp) },
		{ "icmp_type", it, sizeof(it) }, { "icmp_code", ic, sizeof(ic) },
	};
	const struct field alert[] = {
		{ "action", action, sizeof(action) }, { "gid", gid, sizeof(gid) },
		{ "signature_id", sid, sizeof(sid) }, { "rev", rev, sizeof(rev) },
		{ "signature", sig, sizeof(sig) }, { "category", cat, sizeof(cat) },
		{ "severity", sev, sizeof(sev) },
	};
	struct scan s = { line, line + len };
	char when[48];
	int n;

	if (read_object(&s, top, sizeof(top) / sizeof(top[0]), "alert", alert,
			sizeof(alert) / sizeof(alert[0])))
		return -EINVAL;
	fast_time(ts, when, sizeof(when));
	n = snprintf(out, cap, "%s  %s[**] [%s:%s:%s] %s [**] [Classification: %s] "
		     "[Priority: %s] {%s} %s:%s -> %s:%s", when,
		     strcmp(action, "blocked") == 0 ? "[Drop] " : "", gid, sid, rev, sig, cat, sev,
		     proto[0] ? proto : "?", src, sp[0] ? sp : it[0] ? it : "0", dst,
		     dp[0] ? dp : ic[0] ? ic : "0");
	if (n < 0)
		return -EINVAL;
	return (size_t)n < cap ? n : (int)cap - 1;
}

/* One alert as the client asked: the EVE line with --json, else its
 * fast.log line (the EVE line itself if it does not parse, so nothing is
 * hidden). Writes into buf when converting; returns what to send. */
const char *mgmt_alert_render(const char *eve, bool fast, char *buf, size_t cap, size_t *len)
{
	int n = fast ? mgmt_eve_fast(eve, strlen(eve), buf, cap) : -EINVAL;

	if (n < 0) {
		*len = strlen(eve);
		return eve;
	}
	*len = (size_t)n;
	return buf;
}
