// SPDX-License-Identifier: MIT
/* The rule environment: address/port variables, classification and
 * reference tables. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"
#include "rules.h"

struct rule_env *rule_env_new(void)
{
	return calloc(1, sizeof(struct rule_env));
}

static void free_classes(struct rule_env *env)
{
	for (uint32_t i = 0; i < env->nclasses; i++) {
		free(env->classes[i].name);
		free(env->classes[i].desc);
	}
	free(env->classes);
	env->classes = NULL;
	env->nclasses = 0;
}

static void free_refs(struct rule_env *env)
{
	for (uint32_t i = 0; i < env->nrefs; i++)
		free(env->refs[i]);
	free(env->refs);
	env->refs = NULL;
	env->nrefs = 0;
}

void rule_env_free(struct rule_env *env)
{
	if (env == NULL)
		return;
	for (uint32_t i = 0; i < env->nvars; i++) {
		free(env->vars[i].name);
		free(env->vars[i].value);
	}
	free(env->vars);
	rule_names_free(&env->var_index);
	free_classes(env);
	free_refs(env);
	free(env);
}

static bool valid_var_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static bool balanced(const char *s)
{
	int level = 0;

	for (; *s; s++) {
		if (*s == '[')
			level++;
		else if (*s == ']' && --level < 0)
			return false;
	}
	return level == 0;
}

/* Variables are found by (kind, name) through env->var_index. */
struct var_key {
	char kind;
	const char *name;
};

static bool var_eq(const void *table, uint32_t id, const void *key)
{
	const struct rule_var *v = &((const struct rule_var *)table)[id];
	const struct var_key *k = key;

	return v->kind == k->kind && strcmp(v->name, k->name) == 0;
}

static uint64_t var_hash(char kind, const char *name)
{
	return rule_name_hash(name) ^ (uint64_t)(uint8_t)kind << 56;
}

static int64_t var_find(const struct rule_env *env, char kind, const char *name)
{
	struct var_key k = { kind, name };

	return rule_names_find(&env->var_index, var_hash(kind, name), var_eq, env->vars, &k);
}

int rule_env_set_var(struct rule_env *env, char kind, const char *name,
		     const char *value, char *err, size_t errlen)
{
	struct rule_var *v;
	char *n, *val;
	int64_t i;

	if (kind != 'a' && kind != 'p')
		return rule_errbuf(err, errlen, "invalid variable kind '%c'", kind);
	if (!valid_var_name(name))
		return rule_errbuf(err, errlen, "invalid variable name '%s'", name);
	if (value == NULL || value[strspn(value, " \t")] == '\0')
		return rule_errbuf(err, errlen, "empty value for variable '%s'", name);
	if (!balanced(value))
		return rule_errbuf(err, errlen, "unbalanced brackets in variable '%s'", name);
	val = strdup(value);
	if (val == NULL)
		return -ENOMEM;
	i = var_find(env, kind, name);
	if (i >= 0) {
		free(env->vars[i].value);
		env->vars[i].value = val;
		return 0;
	}
	if (env->nvars == env->vars_cap) {
		uint32_t cap = env->vars_cap ? env->vars_cap * 2 : 64;

		v = realloc(env->vars, cap * sizeof(*v));
		if (v == NULL) {
			free(val);
			return -ENOMEM;
		}
		env->vars = v;
		env->vars_cap = cap;
	}
	n = strdup(name);
	if (n == NULL || rule_names_add(&env->var_index, var_hash(kind, name), env->nvars)) {
		free(n);
		free(val);
		return -ENOMEM;
	}
	env->vars[env->nvars++] = (struct rule_var){ .kind = kind, .name = n, .value = val };
	return 0;
}

/* Suricata's default suricata.yaml vars (note AIM_SERVERS is $EXTERNAL_NET there). */
static const struct {
	char kind;
	const char *name, *value;
} default_vars[] = {
	{ 'a', "HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]" },
	{ 'a', "EXTERNAL_NET", "!$HOME_NET" },
	{ 'a', "HTTP_SERVERS", "$HOME_NET" },
	{ 'a', "SMTP_SERVERS", "$HOME_NET" },
	{ 'a', "SQL_SERVERS", "$HOME_NET" },
	{ 'a', "DNS_SERVERS", "$HOME_NET" },
	{ 'a', "TELNET_SERVERS", "$HOME_NET" },
	{ 'a', "AIM_SERVERS", "$EXTERNAL_NET" },
	{ 'a', "DC_SERVERS", "$HOME_NET" },
	{ 'a', "DNP3_SERVER", "$HOME_NET" },
	{ 'a', "DNP3_CLIENT", "$HOME_NET" },
	{ 'a', "MODBUS_CLIENT", "$HOME_NET" },
	{ 'a', "MODBUS_SERVER", "$HOME_NET" },
	{ 'a', "ENIP_CLIENT", "$HOME_NET" },
	{ 'a', "ENIP_SERVER", "$HOME_NET" },
	{ 'p', "HTTP_PORTS", "80" },
	{ 'p', "SHELLCODE_PORTS", "!80" },
	{ 'p', "ORACLE_PORTS", "1521" },
	{ 'p', "SSH_PORTS", "22" },
	{ 'p', "DNP3_PORTS", "20000" },
	{ 'p', "MODBUS_PORTS", "502" },
	{ 'p', "FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]" },
	{ 'p', "FTP_PORTS", "21" },
	{ 'p', "GENEVE_PORTS", "6081" },
	{ 'p', "VXLAN_PORTS", "4789" },
	{ 'p', "TEREDO_PORTS", "3544" },
};

void rule_env_set_default_vars(struct rule_env *env)
{
	char err[128];

	for (size_t i = 0; i < sizeof(default_vars) / sizeof(default_vars[0]); i++)
		rule_env_set_var(env, default_vars[i].kind, default_vars[i].name,
				 default_vars[i].value, err, sizeof(err));
}

const char *rule_env_var(const struct rule_env *env, char kind, const char *name)
{
	int64_t i = var_find(env, kind, name);

	return i >= 0 ? env->vars[i].value : NULL;
}

bool rule_env_class(const struct rule_env *env, const char *name, const char **sname,
		    const char **desc, uint32_t *prio)
{
	if (env->classes_loaded) {
		for (uint32_t i = 0; i < env->nclasses; i++) {
			if (strcasecmp(env->classes[i].name, name) == 0) {
				*sname = env->classes[i].name;
				*desc = env->classes[i].desc;
				*prio = env->classes[i].prio;
				return true;
			}
		}
		return false;
	}
	for (uint32_t i = 0; i < rule_builtin_nclasses; i++) {
		if (strcasecmp(rule_builtin_classes[i].name, name) == 0) {
			*sname = rule_builtin_classes[i].name;
			*desc = rule_builtin_classes[i].desc;
			*prio = rule_builtin_classes[i].prio;
			return true;
		}
	}
	return false;
}

bool rule_env_ref_known(const struct rule_env *env, const char *type)
{
	uint32_t n = env->refs_loaded ? env->nrefs : rule_builtin_nrefs;

	for (uint32_t i = 0; i < n; i++) {
		const char *t = env->refs_loaded ? env->refs[i] : rule_builtin_refs[i];

		if (strcasecmp(t, type) == 0)
			return true;
	}
	return false;
}

/* "config <what>: rest" -> rest, or NULL when the line is something else. */
static char *config_line(char *line, const char *what)
{
	size_t wl = strlen(what);

	line += strspn(line, " \t");
	if (strncmp(line, "config", 6) != 0)
		return NULL;
	line += 6;
	line += strspn(line, " \t");
	if (strncmp(line, what, wl) != 0)
		return NULL;
	line += wl;
	line += strspn(line, " \t");
	if (*line != ':')
		return NULL;
	return line + 1;
}

static bool skip_line(const char *line)
{
	line += strspn(line, " \t\r\n");
	return *line == '\0' || *line == '#';
}

/* "name,description,priority" */
static int class_add(struct rule_env *env, char *rest)
{
	char *c1 = strchr(rest, ','), *c2 = c1 ? strrchr(rest, ',') : NULL;
	struct rule_class *v, k = { 0 };

	if (c1 == NULL || c2 == c1)
		return -EINVAL;
	*c1 = *c2 = '\0';
	if (rule_parse_u32(c2 + 1, &k.prio))
		return -EINVAL;
	k.name = rule_strtrim(rest, strlen(rest));
	k.desc = rule_strtrim(c1 + 1, strlen(c1 + 1));
	v = realloc(env->classes, (env->nclasses + 1) * sizeof(*v));
	if (k.name == NULL || k.desc == NULL || v == NULL || k.name[0] == '\0') {
		free(k.name);
		free(k.desc);
		if (v)
			env->classes = v;
		return v ? -EINVAL : -ENOMEM;
	}
	env->classes = v;
	env->classes[env->nclasses++] = k;
	return 0;
}

static int ref_add(struct rule_env *env, char *rest)
{
	size_t sp = strspn(rest, " \t");
	size_t len = strcspn(rest + sp, " \t\r\n");
	char **v, *t;

	if (len == 0)
		return -EINVAL;
	t = rule_strtrim(rest + sp, len);
	v = realloc(env->refs, (env->nrefs + 1) * sizeof(*v));
	if (t == NULL || v == NULL) {
		free(t);
		if (v)
			env->refs = v;
		return -ENOMEM;
	}
	env->refs = v;
	env->refs[env->nrefs++] = t;
	return 0;
}

static int load_config(struct rule_env *env, const char *path, FILE *errs, const char *what,
		       int (*add)(struct rule_env *, char *))
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	uint32_t lineno = 0;

	if (f == NULL)
		return -errno;
	while (getline(&line, &cap, f) >= 0) {
		char *rest;

		lineno++;
		if (skip_line(line))
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		rest = config_line(line, what);
		if (rest == NULL || add(env, rest) == -EINVAL) {
			if (errs)
				fprintf(errs, "%s:%u: invalid %s line\n", path, lineno, what);
		}
	}
	free(line);
	fclose(f);
	return 0;
}

int rule_env_load_classification(struct rule_env *env, const char *path, FILE *errs)
{
	int rc;

	free_classes(env);
	rc = load_config(env, path, errs, "classification", class_add);
	env->classes_loaded = rc == 0;
	return rc;
}

int rule_env_load_references(struct rule_env *env, const char *path, FILE *errs)
{
	int rc;

	free_refs(env);
	rc = load_config(env, path, errs, "reference", ref_add);
	env->refs_loaded = rc == 0;
	return rc;
}
