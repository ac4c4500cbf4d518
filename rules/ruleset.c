// SPDX-License-Identifier: MIT
/* Rule files -> struct ruleset: reading lines, failure reports and tallies,
 * duplicate gid:sid, flowbit name interning and evaluation order. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rule-int.h"
#include "rules.h"

/* Open-addressing set of gid:sid keys (0 marks a free slot: sid 0 is invalid). */
struct sid_index {
	uint32_t cap, n;
	uint64_t *keys;
};

static uint32_t sid_hash(uint64_t k, uint32_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (uint32_t)k & (cap - 1);
}

static int sid_grow(struct sid_index *ix)
{
	uint32_t cap = ix->cap ? ix->cap * 2 : 1024;
	uint64_t *keys = calloc(cap, sizeof(*keys));

	if (keys == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < ix->cap; i++) {
		uint32_t h;

		if (ix->keys[i] == 0)
			continue;
		for (h = sid_hash(ix->keys[i], cap); keys[h]; h = (h + 1) & (cap - 1))
			;
		keys[h] = ix->keys[i];
	}
	free(ix->keys);
	ix->keys = keys;
	ix->cap = cap;
	return 0;
}

/* 1 if the key was already present, 0 if added, -ENOMEM. */
static int sid_insert(struct sid_index *ix, uint32_t gid, uint32_t sid)
{
	uint64_t k = (uint64_t)gid << 32 | sid;
	uint32_t h;

	if ((ix->n + 1) * 2 > ix->cap && sid_grow(ix))
		return -ENOMEM;
	for (h = sid_hash(k, ix->cap); ix->keys[h]; h = (h + 1) & (ix->cap - 1))
		if (ix->keys[h] == k)
			return 1;
	ix->keys[h] = k;
	ix->n++;
	return 0;
}

struct ruleset *ruleset_new(void)
{
	struct ruleset *rs = calloc(1, sizeof(*rs));

	if (rs == NULL)
		return NULL;
	rs->sid_index = calloc(1, sizeof(struct sid_index));
	if (rs->sid_index == NULL) {
		free(rs);
		return NULL;
	}
	for (uint8_t a = 0; a < RULE_ACT_MAX; a++)
		rs->action_rank[a] = a;	/* enum rule_action is the default order */
	return rs;
}

int ruleset_set_default_path(struct ruleset *rs, const char *dir)
{
	char *d = dir != NULL ? strdup(dir) : NULL;

	if (dir != NULL && d == NULL)
		return -ENOMEM;
	free(rs->default_path);
	rs->default_path = d;
	return 0;
}

static void var_names_free(struct rule_var_names *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	rule_names_free(&t->index);
	*t = (struct rule_var_names){ 0 };
}

void ruleset_free(struct ruleset *rs)
{
	struct sid_index *ix;

	if (rs == NULL)
		return;
	free(rs->default_path);
	for (uint32_t i = 0; i < rs->n; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	var_names_free(&rs->flowbits);
	var_names_free(&rs->flowints);
	for (uint32_t i = 0; i < rs->nreasons; i++)
		free(rs->reasons[i].reason);
	free(rs->reasons);
	for (uint32_t i = 0; i < rs->nfailures; i++) {
		free(rs->failures[i].file);
		free(rs->failures[i].reason);
	}
	free(rs->failures);
	ix = rs->sid_index;
	free(ix->keys);
	free(ix);
	free(rs);
}

/* The part of a reason that names its kind: up to the end of the first
 * quoted item ("unsupported keyword 'http.uri'"), or, when a ": " comes
 * first, up to it ("depth smaller than content length: 3 < 5"). */
static size_t reason_key_len(const char *r)
{
	const char *colon = strstr(r, ": ");
	const char *q = strchr(r, '\'');

	if (colon && (q == NULL || colon < q))
		return (size_t)(colon - r);
	if (q) {
		const char *q2 = strchr(q + 1, '\'');

		if (q2)
			return (size_t)(q2 - r + 1);
	}
	return strlen(r);
}

static int tally(struct ruleset *rs, const char *reason)
{
	size_t len = reason_key_len(reason);
	struct ruleset_reason *v;

	for (uint32_t i = 0; i < rs->nreasons; i++) {
		if (strlen(rs->reasons[i].reason) == len &&
		    memcmp(rs->reasons[i].reason, reason, len) == 0) {
			rs->reasons[i].count++;
			return 0;
		}
	}
	v = realloc(rs->reasons, (rs->nreasons + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	rs->reasons = v;
	v[rs->nreasons].reason = strndup(reason, len);
	if (v[rs->nreasons].reason == NULL)
		return -ENOMEM;
	v[rs->nreasons++].count = 1;
	return 0;
}

/* Keep the failure for later listing (bounded: past the cap it is only
 * counted). */
static int remember(struct ruleset *rs, const char *path, uint32_t line, const char *reason)
{
	struct ruleset_failure *v, *f;

	if (rs->nfailures >= RULESET_FAILURES_MAX)
		return 0;
	v = realloc(rs->failures, (rs->nfailures + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	rs->failures = v;
	f = &v[rs->nfailures];
	f->file = strdup(path);
	f->reason = strdup(reason);
	f->line = line;
	if (f->file == NULL || f->reason == NULL) {
		free(f->file);
		free(f->reason);
		return -ENOMEM;
	}
	rs->nfailures++;
	return 0;
}

/* (added) A pcre named group written for Suricata 8's alert variables. */
static bool alert_capture(const struct rule *r)
{
	for (uint32_t i = 0; i < r->nmatch; i++)
		if (r->match[i].kind == MATCH_PCRE && strstr(r->match[i].pcre.expr, "(?P<alert_"))
			return true;
	return false;
}

static int fail_rule(struct ruleset *rs, const char *path, uint32_t line, const char *reason,
		     FILE *errs)
{
	if (errs)
		fprintf(errs, "%s:%u: %s\n", path, line, reason);
	rs->nfailed++;
	if (remember(rs, path, line, reason) != 0)
		return -ENOMEM;
	return tally(rs, reason);
}

static bool name_eq(const void *table, uint32_t id, const void *key)
{
	return strcmp(((char *const *)table)[id], key) == 0;
}

/* Grow an array of n elements of size sz to hold n + 1, doubling. */
static int grow(void **arr, uint32_t *cap, uint32_t n, size_t sz)
{
	void *v;
	uint32_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	v = realloc(*arr, c * sz);
	if (v == NULL)
		return -ENOMEM;
	*arr = v;
	*cap = c;
	return 0;
}

static int intern(struct rule_var_names *t, const char *name, uint32_t *id)
{
	uint64_t h = rule_name_hash(name);
	int64_t found = rule_names_find(&t->index, h, name_eq, t->names, name);
	char *copy;

	if (found >= 0) {
		*id = (uint32_t)found;
		return 0;
	}
	if (grow((void **)&t->names, &t->cap, t->n, sizeof(*t->names)))
		return -ENOMEM;
	copy = strdup(name);
	if (copy == NULL || rule_names_add(&t->index, h, t->n)) {
		free(copy);
		return -ENOMEM;
	}
	t->names[t->n] = copy;
	*id = t->n++;
	return 0;
}

int ruleset_seed_names(struct ruleset *rs, const struct ruleset *prev)
{
	const struct rule_var_names *from[] = { &prev->flowbits, &prev->flowints };
	struct rule_var_names *to[] = { &rs->flowbits, &rs->flowints };
	uint32_t id;

	for (unsigned k = 0; k < 2; k++) {
		if (to[k]->n != 0)
			return -EINVAL;
		for (uint32_t i = 0; i < from[k]->n; i++)
			if (intern(to[k], from[k]->names[i], &id))
				return -ENOMEM;
	}
	return 0;
}

/* The ids of r's flowbit and flowint names. */
static int intern_rule(struct ruleset *rs, struct rule *r)
{
	for (uint32_t i = 0; i < r->nflowbit; i++)
		for (uint32_t k = 0; k < r->flowbit[i].n; k++)
			if (intern(&rs->flowbits, r->flowbit[i].names[k], &r->flowbit[i].ids[k]))
				return -ENOMEM;
	for (uint32_t i = 0; i < r->nflowint; i++) {
		struct rule_flowint *fi = &r->flowint[i];

		if (intern(&rs->flowints, fi->name, &fi->id) ||
		    (fi->value_is_var && intern(&rs->flowints, fi->value_name, &fi->value_id)))
			return -ENOMEM;
	}
	return 0;
}

static int add_rule(struct ruleset *rs, struct rule *r, const char *path, uint32_t line,
		    FILE *errs)
{
	char reason[64];
	int dup = sid_insert(rs->sid_index, r->gid, r->sid);

	if (dup < 0)
		goto nomem;
	if (dup) {
		snprintf(reason, sizeof(reason), "duplicate signature: %u:%u", r->gid, r->sid);
		rule_free(r);
		return fail_rule(rs, path, line, reason, errs);
	}
	r->file = strdup(path);
	r->line = line;
	if (r->file == NULL)
		goto nomem;
	/* (added) file keywords: hash lists read now, where Suricata finds them */
	if (r->filekw.nhash > 0) {
		char why[512];
		int rc = rule_file_load_hashes(r, rs->default_path, path, why, sizeof(why));

		if (rc == -ENOMEM)
			goto nomem;
		if (rc) {
			rule_free(r);
			return fail_rule(rs, path, line, why, errs);
		}
	}
	if (r->filekw.store && errs != NULL)
		fprintf(errs, "%s:%u: warning: filestore: idsd does not store files; the rule "
			"matches and alerts, nothing is written\n", path, line);
	if (errs != NULL && alert_capture(r))
		fprintf(errs, "%s:%u: warning: pcre: (?P<alert_...>) stores nothing in Suricata "
			"7 (alert variables came with Suricata 8): a plain named group\n",
			path, line);
	if ((r->flags & RULE_F_TLS_STORE) && errs != NULL)
		fprintf(errs, "%s:%u: warning: tls.store: idsd does not store certificates; the "
			"rule matches and alerts, nothing is written\n", path, line);
	if (intern_rule(rs, r))
		goto nomem;
	if (grow((void **)&rs->rules, &rs->rules_cap, rs->n, sizeof(*rs->rules)))
		goto nomem;
	rs->rules[rs->n++] = r;
	return 0;
nomem:
	rule_free(r);
	return -ENOMEM;
}

static bool blank_or_comment(const char *s)
{
	s += strspn(s, " \t\r\n");
	return *s == '\0' || *s == '#';
}

/* Strips the line end; true if the line ends with a '\' continuation. */
static bool chomp(char *s)
{
	size_t n = strcspn(s, "\r\n");

	s[n] = '\0';
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	if (n && s[n - 1] == '\\') {
		s[n - 1] = '\0';
		return true;
	}
	return false;
}

/* One rule's text (starting on line): added, failed, or skipped (its
 * "requires" is not met: counted apart, said once on errs, not a failure,
 * as Suricata skips it). */
static int load_rule(struct ruleset *rs, const struct rule_env *env, const char *text,
		     const char *path, uint32_t line, FILE *errs)
{
	char err[512];
	bool skipped;
	struct rule *r = rule_parse_ex(env, text, err, sizeof(err), &skipped);

	if (r != NULL)
		return add_rule(rs, r, path, line, errs);
	if (!skipped)
		return fail_rule(rs, path, line, err, errs);
	if (errs)
		fprintf(errs, "%s:%u: skipped: %s\n", path, line, err);
	rs->nskipped++;
	return 0;
}

int ruleset_load_file(struct ruleset *rs, struct rule_env *env, const char *path, FILE *errs)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *text = NULL;
	size_t cap = 0, tlen = 0, tcap = 0;
	uint32_t lineno = 0, first = 0;
	int rc = 0;

	if (f == NULL)
		return -errno;
	while (getline(&line, &cap, f) >= 0) {
		bool more;
		size_t l;

		lineno++;
		if (tlen == 0) {
			if (blank_or_comment(line))
				continue;
			first = lineno;
		}
		more = chomp(line);
		l = strlen(line);
		if (tlen + l + 1 > tcap) {
			char *t = realloc(text, tlen + l + 1);

			if (t == NULL) {
				rc = -ENOMEM;
				break;
			}
			text = t;
			tcap = tlen + l + 1;
		}
		memcpy(text + tlen, line, l + 1);
		tlen += l;
		if (more)
			continue;
		if (!blank_or_comment(text)) {
			rc = load_rule(rs, env, text, path, first, errs);
			if (rc)
				break;
		}
		tlen = 0;
	}
	/* a read error (a directory: EISDIR) is not an empty file */
	if (rc == 0 && ferror(f))
		rc = errno ? -errno : -EIO;
	/* a continuation on the last line: parse what there is */
	if (rc == 0 && tlen && !blank_or_comment(text)) {
		rc = load_rule(rs, env, text, path, first, errs);
	}
	free(text);
	free(line);
	fclose(f);
	return rc;
}

static int rules_file_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 6 && strcmp(d->d_name + n - 6, ".rules") == 0;
}

int ruleset_load_path(struct ruleset *rs, struct rule_env *env, const char *path, FILE *errs,
		      char *failed, size_t failedlen)
{
	struct dirent **names;
	struct stat st;
	int n, rc = 0;

	snprintf(failed, failedlen, "%s", path);
	if (stat(path, &st) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return ruleset_load_file(rs, env, path, errs);
	n = scandir(path, &names, rules_file_filter, alphasort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		if (rc == 0) {
			snprintf(failed, failedlen, "%s/%s", path, names[i]->d_name);
			rc = ruleset_load_file(rs, env, failed, errs);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Suricata's flowbits order: rules that only set, then set and read, then
 * only read, then rules without flowbits. */
static int fb_class(const struct rule *r)
{
	bool set = false, read = false;

	for (uint32_t i = 0; i < r->nflowbit; i++) {
		enum flowbit_op op = r->flowbit[i].op;

		if (op == FB_SET || op == FB_UNSET || op == FB_TOGGLE)
			set = true;
		else if (op == FB_ISSET || op == FB_ISNOTSET)
			read = true;
	}
	if (set && !read)
		return 0;
	if (set)
		return 1;
	return read ? 2 : 3;
}

struct order_key {
	const struct rule *r;
	uint32_t idx;
	int fb;
	uint8_t act;	/* the action's rank in action-order */
};

static int order_cmp(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;

	if (x->act != y->act)
		return x->act < y->act ? -1 : 1;
	if (x->fb != y->fb)
		return x->fb < y->fb ? -1 : 1;
	if (x->r->priority != y->r->priority)
		return x->r->priority < y->r->priority ? -1 : 1;
	if (x->r->sid != y->r->sid)
		return x->r->sid < y->r->sid ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int reason_cmp(const void *a, const void *b)
{
	const struct ruleset_reason *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->reason, y->reason);
}

struct bad_rule {
	const struct rule *r;
	const char *reason;
};

static int cmp_bad(const void *a, const void *b)
{
	const struct bad_rule *x = a, *y = b;

	return x->r < y->r ? -1 : x->r > y->r;
}

int ruleset_reject(struct ruleset *rs, const struct rule *const *bad,
		   const char *const *reason, uint32_t nbad, FILE *errs)
{
	struct bad_rule *b = calloc(nbad ? nbad : 1, sizeof(*b));
	uint32_t k = 0;
	int rc = 0;

	if (b == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < nbad; i++)
		b[i] = (struct bad_rule){ bad[i], reason[i] };
	qsort(b, nbad, sizeof(*b), cmp_bad);
	for (uint32_t i = 0; i < rs->n; i++) {
		struct rule *r = rs->rules[i];
		struct bad_rule key = { .r = r }, *hit = bsearch(&key, b, nbad, sizeof(*b), cmp_bad);

		if (hit == NULL) {
			rs->rules[k++] = r;
			continue;
		}
		if (fail_rule(rs, r->file, r->line, hit->reason, errs))
			rc = -ENOMEM;
		rule_free(r);
	}
	rs->n = k;
	free(b);
	return rc;
}

static void warn_unset_flowbits(struct ruleset *rs, FILE *errs)
{
	uint8_t *state = calloc(rs->flowbits.n, 1);   /* bit 0: set somewhere, bit 1: warned */

	if (state == NULL || errs == NULL) {
		free(state);
		return;
	}
	for (uint32_t i = 0; i < rs->n; i++)
		for (uint32_t j = 0; j < rs->rules[i]->nflowbit; j++) {
			const struct rule_flowbit *fb = &rs->rules[i]->flowbit[j];

			if (fb->op == FB_SET || fb->op == FB_TOGGLE)
				for (uint32_t k = 0; k < fb->n; k++)
					state[fb->ids[k]] |= 1;
		}
	for (uint32_t i = 0; i < rs->n; i++)
		for (uint32_t j = 0; j < rs->rules[i]->nflowbit; j++) {
			const struct rule *r = rs->rules[i];
			const struct rule_flowbit *fb = &r->flowbit[j];

			if (fb->op != FB_ISSET && fb->op != FB_ISNOTSET)
				continue;
			for (uint32_t k = 0; k < fb->n; k++) {
				if (state[fb->ids[k]])
					continue;
				state[fb->ids[k]] |= 2;
				fprintf(errs, "%s:%u: warning: flowbit '%s' is %s\n", r->file,
					r->line, rs->flowbits.names[fb->ids[k]],
					"checked but never set");
			}
		}
	free(state);
}

void ruleset_set_action_order(struct ruleset *rs, const enum rule_action order[RULE_ACT_MAX])
{
	for (uint8_t i = 0; i < RULE_ACT_MAX; i++)
		rs->action_rank[order[i]] = i;
}

void ruleset_finalize(struct ruleset *rs, FILE *errs)
{
	struct order_key *keys;

	warn_unset_flowbits(rs, errs);
	if (rs->nreasons > 1)
		qsort(rs->reasons, rs->nreasons, sizeof(rs->reasons[0]), reason_cmp);
	if (rs->n == 0)
		return;
	keys = calloc(rs->n, sizeof(*keys));
	if (keys == NULL) {
		/* keep a valid order even without memory: file order */
		for (uint32_t i = 0; i < rs->n; i++)
			rs->rules[i]->order = i;
		return;
	}
	for (uint32_t i = 0; i < rs->n; i++)
		keys[i] = (struct order_key){ .r = rs->rules[i], .idx = i,
					      .fb = fb_class(rs->rules[i]),
					      .act = rs->action_rank[rs->rules[i]->action] };
	qsort(keys, rs->n, sizeof(*keys), order_cmp);
	for (uint32_t i = 0; i < rs->n; i++)
		rs->rules[keys[i].idx]->order = i;
	free(keys);
}

bool ruleset_needs_hassh(const struct ruleset *rs)
{
	const rule_bufset bufs = RULE_BUF_BIT(RULE_BUF_SSH_HASSH) | RULE_BUF_BIT(RULE_BUF_SSH_HASSH_STRING);

	for (uint32_t i = 0; rs != NULL && i < rs->n; i++)
		if (rs->rules[i]->app_bufs & bufs)
			return true;
	return false;
}

bool ruleset_needs_app_events(const struct ruleset *rs, enum app_proto proto, uint64_t events)
{
	for (uint32_t i = 0; rs != NULL && i < rs->n; i++) {
		const struct rule *r = rs->rules[i];

		if ((r->app_has & RULE_APP_HAS_EVENT) && r->app_event_proto == proto &&
		    (r->app_events & events))
			return true;
	}
	return false;
}

bool ruleset_file_needs(const struct ruleset *rs, uint8_t *hashes)
{
	static const uint8_t hash_bit[] = { [RULE_HASH_MD5] = 0x1, [RULE_HASH_SHA1] = 0x2,
					    [RULE_HASH_SHA256] = 0x4 };
	const rule_bufset file_bufs = RULE_BUF_BIT(RULE_BUF_FILE_NAME) | RULE_BUF_BIT(RULE_BUF_FILE_MAGIC);
	bool files = false;

	*hashes = 0;
	for (uint32_t i = 0; rs != NULL && i < rs->n; i++) {
		const struct rule *r = rs->rules[i];

		if (!(r->app_bufs & file_bufs) &&
		    !(r->app_has & (RULE_APP_HAS_FILESIZE | RULE_APP_HAS_FILEHASH |
				    RULE_APP_HAS_FILE)))
			continue;
		files = true;
		if (r->app_bufs & RULE_BUF_BIT(RULE_BUF_FILE_MAGIC))
			*hashes |= 0x8;
		for (uint8_t k = 0; k < r->filekw.nhash; k++)
			*hashes |= hash_bit[r->filekw.hash[k].kind];
	}
	return files;
}
