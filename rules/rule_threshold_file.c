/* SPDX-License-Identifier: MIT */
/* threshold.config, as Suricata's util-threshold-config.c reads it:
 *
 *   threshold|event_filter gen_id G, sig_id S, type limit|threshold|both,
 *             track by_src|by_dst|by_rule|by_both|by_flow, count N, seconds T
 *   suppress gen_id G, sig_id S[, track by_src|by_dst|by_either, ip ADDR]
 *   rate_filter gen_id G, sig_id S, track by_src|by_dst|by_rule|by_both,
 *             count N, seconds T, new_action alert|drop|pass|reject, timeout T
 *
 * '#' starts a comment, a trailing '\' continues a line. Precedence as
 * Suricata's: a threshold for a gid:sid replaces the rule's own; a global
 * one (sig_id 0) applies only to rules without a threshold of either kind;
 * suppressions combine with any threshold. A rate_filter (Suricata installs
 * it as one more threshold item, which its own checks then see) takes a
 * rule only while it has no threshold, detection_filter or rate_filter:
 * the rule's own, a gid:sid threshold (before or after it in the file: a
 * later one replaces it) and the first rate_filter win; global ones (sig_id
 * 0) come after every gid:sid line, the first in the file taking a rule. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule-int.h"
#include "rules.h"

#define THR_LINE_MAX 4096

enum thr_kind { K_THRESHOLD, K_SUPPRESS, K_RATE };

struct thr_line {
	enum thr_kind kind;
	uint32_t gid, sid;
	bool has_type, has_track, has_count, has_seconds, has_ip, has_action, has_timeout;
	struct rule_threshold t;
	uint8_t supp_track;
	char ip[THR_LINE_MAX];
};

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int word(const char *v, const char *const *words, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(v, words[i]) == 0)
			return (int)i;
	return -1;
}

static bool parse_u32(const char *v, uint32_t *out)
{
	char *end;
	unsigned long x = strtoul(v, &end, 10);

	if (*v == '\0' || *end != '\0' || x > UINT32_MAX)
		return false;
	*out = (uint32_t)x;
	return true;
}

/* One "key value" item into l; false with err. */
static bool item(struct thr_line *l, char *it, char *err, size_t errlen)
{
	static const char *const types[] = { "limit", "threshold", "both" };
	static const enum thresh_type type_of[] = { THRESH_LIMIT, THRESH_THRESHOLD, THRESH_BOTH };
	static const char *const tracks[] = { "by_src", "by_dst", "by_rule", "by_both", "by_flow" };
	static const enum thresh_track track_of[] = { TRACK_BY_SRC, TRACK_BY_DST, TRACK_BY_RULE,
						      TRACK_BY_BOTH, TRACK_BY_FLOW };
	static const char *const stracks[] = { "by_src", "by_dst", "by_either" };
	static const char *const actions[] = { "alert", "drop", "pass", "reject" };
	static const enum rule_action action_of[] = { RULE_ACT_ALERT, RULE_ACT_DROP,
						      RULE_ACT_PASS, RULE_ACT_REJECT };
	char *v = it + strcspn(it, " \t");
	int w;

	if (*v != '\0')
		*v++ = '\0';
	v = trim(v);
	if (strcmp(it, "gen_id") == 0 && parse_u32(v, &l->gid))
		return true;
	if (strcmp(it, "sig_id") == 0 && parse_u32(v, &l->sid))
		return true;
	if (strcmp(it, "type") == 0 && (w = word(v, types, 3)) >= 0) {
		l->t.type = type_of[w];
		l->has_type = true;
		return true;
	}
	if (strcmp(it, "track") == 0) {
		/* rate_filter: Suricata's tracks but by_flow */
		w = l->kind == K_SUPPRESS ? word(v, stracks, 3) :
		    word(v, tracks, l->kind == K_RATE ? 4 : 5);
		if (w >= 0) {
			if (l->kind == K_SUPPRESS)
				l->supp_track = (uint8_t)w;
			else
				l->t.track = track_of[w];
			l->has_track = true;
			return true;
		}
	}
	if (strcmp(it, "count") == 0 && parse_u32(v, &l->t.count)) {
		l->has_count = true;
		return true;
	}
	if (strcmp(it, "seconds") == 0 && parse_u32(v, &l->t.seconds)) {
		l->has_seconds = true;
		return true;
	}
	if (strcmp(it, "ip") == 0 && *v != '\0') {
		snprintf(l->ip, sizeof(l->ip), "%s", v);
		l->has_ip = true;
		return true;
	}
	if (l->kind == K_RATE && strcmp(it, "new_action") == 0 &&
	    (w = word(v, actions, 4)) >= 0) {
		l->t.new_action = action_of[w];
		l->has_action = true;
		return true;
	}
	if (l->kind == K_RATE && strcmp(it, "timeout") == 0 && parse_u32(v, &l->t.timeout)) {
		l->has_timeout = true;
		return true;
	}
	snprintf(err, errlen, "invalid '%s %s'", it, v);
	return false;
}

/* Split at commas outside brackets ("ip [a,b]") and read each item. */
static bool parse_line(char *s, struct thr_line *l, char *err, size_t errlen)
{
	static const char *const kinds[] = { "threshold", "event_filter", "suppress", "rate_filter" };
	static const enum thr_kind kind_of[] = { K_THRESHOLD, K_THRESHOLD, K_SUPPRESS, K_RATE };
	char *rest = s + strcspn(s, " \t");
	int k, depth = 0;
	bool ids;

	memset(l, 0, sizeof(*l));
	l->gid = UINT32_MAX;
	l->sid = UINT32_MAX;
	if (*rest != '\0')
		*rest++ = '\0';
	k = word(s, kinds, 4);
	if (k < 0) {
		snprintf(err, errlen, "unknown directive '%s'", s);
		return false;
	}
	l->kind = kind_of[k];
	for (char *it = rest, *p = rest;; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		if ((*p == ',' && depth == 0) || *p == '\0') {
			bool last = *p == '\0';

			*p = '\0';
			if (*trim(it) != '\0' && !item(l, trim(it), err, errlen))
				return false;
			if (last)
				break;
			it = p + 1;
		}
	}
	ids = l->gid != UINT32_MAX && l->sid != UINT32_MAX;
	if (!ids) {
		snprintf(err, errlen, "gen_id and sig_id are needed");
		return false;
	}
	if (l->kind == K_THRESHOLD &&
	    !(l->has_type && l->has_track && l->has_count && l->has_seconds)) {
		snprintf(err, errlen, "%s needs type, track, count and seconds", kinds[k]);
		return false;
	}
	if (l->kind == K_SUPPRESS && l->has_track != l->has_ip) {
		snprintf(err, errlen, "suppress takes track and ip together");
		return false;
	}
	if (l->kind == K_RATE) {
		if (!(l->has_track && l->has_count && l->has_seconds && l->has_action &&
		      l->has_timeout)) {
			snprintf(err, errlen, "rate_filter needs track, count, seconds, new_action "
				 "and timeout");
			return false;
		}
		l->t.type = THRESH_RATE;
	}
	return true;
}

static bool selects(const struct thr_line *l, const struct rule *r)
{
	return (l->gid == 0 || l->gid == r->gid) && (l->sid == 0 || l->sid == r->sid);
}

static int add_suppress(struct rule *r, const struct thr_line *l, const struct addr_set *ips)
{
	struct rule_suppress *v = realloc(r->supp, (r->nsupp + 1) * sizeof(*v));
	struct addr_set *c;

	if (v == NULL)
		return -ENOMEM;
	r->supp = v;
	c = &v[r->nsupp].ips;
	*c = *ips;
	c->v4 = malloc((ips->n4 ? ips->n4 : 1) * sizeof(*c->v4));
	c->v6 = malloc((ips->n6 ? ips->n6 : 1) * sizeof(*c->v6));
	if (c->v4 == NULL || c->v6 == NULL) {
		free(c->v4);
		free(c->v6);
		return -ENOMEM;
	}
	if (ips->n4 > 0)
		memcpy(c->v4, ips->v4, ips->n4 * sizeof(*c->v4));
	if (ips->n6 > 0)
		memcpy(c->v6, ips->v6, ips->n6 * sizeof(*c->v6));
	v[r->nsupp++].track = l->supp_track;
	return 0;
}

/* Apply one line; global thresholds wait for the second pass. */
static int apply(struct ruleset *rs, const struct rule_env *env, const struct thr_line *l,
		 bool global_pass, char *err, size_t errlen)
{
	struct addr_set ips = { 0 };
	int rc = 0;

	if (l->kind != K_SUPPRESS && global_pass != (l->sid == 0))
		return 0;
	if (l->kind == K_SUPPRESS && global_pass)
		return 0;
	if (l->has_ip && rule_parse_addr(env, l->ip, &ips, err, errlen) != 0)
		return -EINVAL;
	for (uint32_t i = 0; i < rs->n && rc == 0; i++) {
		struct rule *r = rs->rules[i];

		if (!selects(l, r))
			continue;
		if (l->kind == K_THRESHOLD) {
			/* a global one leaves rules with their own threshold be */
			if (!global_pass || r->threshold.type == THRESH_NONE)
				r->threshold = l->t;
		} else if (l->kind == K_RATE) {
			if (r->threshold.type == THRESH_NONE)
				r->threshold = l->t;
		} else if (!l->has_ip) {
			r->flags |= RULE_F_NOALERT;
		} else {
			rc = add_suppress(r, l, &ips);
		}
	}
	free(ips.v4);
	free(ips.v6);
	if (rc != 0)
		snprintf(err, errlen, "out of memory");
	return rc;
}

/* Read the whole file as logical lines (continuations joined), with the
 * line number where each starts. */
struct thr_file {
	char (*text)[THR_LINE_MAX];
	uint32_t *line;
	uint32_t n;
};

static int read_lines(FILE *f, struct thr_file *tf)
{
	char buf[THR_LINE_MAX], cur[THR_LINE_MAX];
	uint32_t lineno = 0, start = 0;
	size_t len = 0;

	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *s = buf, *hash;
		size_t n;
		bool cont;

		lineno++;
		hash = strchr(s, '#');
		if (hash != NULL)
			*hash = '\0';
		s = trim(s);
		n = strlen(s);
		cont = n > 0 && s[n - 1] == '\\';
		if (cont)
			s[--n] = '\0';
		if (len == 0)
			start = lineno;
		if (len + n + 2 < sizeof(cur)) {
			memcpy(cur + len, s, n);
			len += n;
			cur[len++] = ' ';
		}
		if (cont)
			continue;
		cur[len] = '\0';
		if (*trim(cur) != '\0') {
			void *t = realloc(tf->text, (tf->n + 1) * sizeof(*tf->text));

			if (t == NULL)
				return -ENOMEM;
			tf->text = t;
			t = realloc(tf->line, (tf->n + 1) * sizeof(*tf->line));
			if (t == NULL)
				return -ENOMEM;
			tf->line = t;
			snprintf(tf->text[tf->n], THR_LINE_MAX, "%s", trim(cur));
			tf->line[tf->n++] = start;
		}
		len = 0;
	}
	return 0;
}

int ruleset_apply_threshold_file(struct ruleset *rs, const struct rule_env *env,
				 const char *path, FILE *errs)
{
	struct thr_file tf = { 0 };
	struct thr_line *l = malloc(sizeof(*l));
	FILE *f = fopen(path, "r");
	char err[256];
	int bad = 0, rc;

	if (f == NULL || l == NULL) {
		rc = f == NULL ? -errno : -ENOMEM;
		if (f != NULL)
			fclose(f);
		free(l);
		return rc;
	}
	rc = read_lines(f, &tf);
	fclose(f);
	/* two passes: gid:sid thresholds and suppressions, then the global
	 * thresholds, which only take rules still without one */
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		for (uint32_t i = 0; i < tf.n; i++) {
			char text[THR_LINE_MAX];

			memcpy(text, tf.text[i], sizeof(text));
			if (!parse_line(text, l, err, sizeof(err))) {
				if (pass == 0) {
					fprintf(errs, "%s:%u: %s\n", path, tf.line[i], err);
					bad++;
				}
				continue;
			}
			rc = apply(rs, env, l, pass == 1, err, sizeof(err));
			if (rc == -EINVAL) {
				if (pass == 0) {
					fprintf(errs, "%s:%u: %s\n", path, tf.line[i], err);
					bad++;
				}
				rc = 0;
			}
		}
	}
	free(tf.text);
	free(tf.line);
	free(l);
	return rc != 0 ? rc : bad;
}
