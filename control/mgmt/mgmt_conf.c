/* SPDX-License-Identifier: MIT */
/* The "management.*" keys: schema rows, defaults, checks, roles. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/log.h"
#include "conf/conf.h"
#include "mgmt-priv.h"

#define DEFAULT_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

const struct conf_schema_row mgmt_conf_schema[] = {
	{ "management", CONF_MAP },
	{ "management.listen", CONF_MAP },
	{ "management.listen.address", CONF_STR },
	{ "management.listen.port", CONF_INT },
	{ "management.tls", CONF_MAP },
	{ "management.tls.cert", CONF_STR },
	{ "management.tls.key", CONF_STR },
	{ "management.tls.ca", CONF_STR },
	{ "management.tls.crl", CONF_STR },
	{ "management.tls.priority", CONF_STR },
	{ "management.tls.require_client_cert", CONF_BOOL },
	{ "management.tls.allowed_dn", CONF_STR_LIST },
	{ "management.tls.bind_client_cert", CONF_BOOL },
	{ "management.sasl", CONF_MAP },
	{ "management.sasl.app", CONF_STR },
	{ "management.sasl.service", CONF_STR },
	{ "management.sasl.hostname", CONF_STR },
	{ "management.sasl.realm", CONF_STR },
	{ "management.sasl.mechanisms", CONF_STR_LIST },
	{ "management.sasl.sasldb", CONF_STR },
	{ "management.sasl.keytab", CONF_STR },
	{ "management.sasl.allowed_users", CONF_STR_LIST },
	{ "management.sasl.allow_weak_mechanisms", CONF_BOOL },
	{ "management.roles", CONF_MAP },
	{ "management.roles.*", CONF_STR },
	{ "management.audit", CONF_STR },
	{ "management.limits", CONF_MAP },
	{ "management.limits.max_frame", CONF_SIZE },
	{ "management.limits.max_clients", CONF_INT },
	{ "management.limits.max_unauthenticated", CONF_INT },
	{ "management.limits.max_unauthenticated_per_source", CONF_INT },
	{ "management.limits.lockout_failures", CONF_INT },
	{ "management.limits.lockout_seconds", CONF_INT },
	{ "management.limits.handshake_timeout", CONF_INT },
	{ "management.limits.auth_timeout", CONF_INT },
	{ "management.limits.idle_timeout", CONF_INT },
	{ "management.limits.auth_fail_delay_ms", CONF_INT },
	{ "management.limits.auth_fail_delay_max_ms", CONF_INT },
	{ "management.limits.alerts_backlog", CONF_INT },
	{ NULL, 0 },
};

/* Mechanisms Cyrus offers that we know how to carry; the weak ones need
 * allow_weak_mechanisms (RFC 6331 moved DIGEST-MD5 to historic). */
static const struct {
	const char *name;
	bool weak;
} known_mechs[] = {
	{ "SCRAM-SHA-256", false }, { "SCRAM-SHA-256-PLUS", false },
	{ "SCRAM-SHA-512", false }, { "SCRAM-SHA-512-PLUS", false },
	{ "SCRAM-SHA-1", false }, { "SCRAM-SHA-1-PLUS", false },
	{ "PLAIN", false }, { "GSSAPI", false }, { "GS2-KRB5", false },
	{ "EXTERNAL", false }, { "DIGEST-MD5", true }, { "CRAM-MD5", true },
};

static const char *const role_names[] = {
	[MGMT_ROLE_NONE] = "none",
	[MGMT_ROLE_VIEWER] = "viewer",
	[MGMT_ROLE_OPERATOR] = "operator",
	[MGMT_ROLE_ADMIN] = "admin",
};

const char *mgmt_role_name(enum mgmt_role r)
{
	return r <= MGMT_ROLE_ADMIN ? role_names[r] : "?";
}

int mgmt_role_parse(const char *s, enum mgmt_role *out)
{
	for (enum mgmt_role r = MGMT_ROLE_VIEWER; r <= MGMT_ROLE_ADMIN; r++)
		if (strcmp(s, role_names[r]) == 0) {
			*out = r;
			return 0;
		}
	return -EINVAL;
}

bool mgmt_match_any(char *const *pats, unsigned int n, const char *name)
{
	for (unsigned int i = 0; i < n; i++)
		if (fnmatch(pats[i], name, 0) == 0)
			return true;
	return false;
}

enum mgmt_role mgmt_conf_role(const struct mgmt_conf *mc, const char *identity)
{
	for (unsigned int i = 0; i < mc->n_roles; i++)
		if (strcmp(mc->role_names[i], identity) == 0)
			return mc->roles[i];
	for (unsigned int i = 0; i < mc->n_roles; i++)
		if (strpbrk(mc->role_names[i], "*?[") &&
		    fnmatch(mc->role_names[i], identity, 0) == 0)
			return mc->roles[i];
	return MGMT_ROLE_NONE;
}

static void free_list(char **l, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void mgmt_conf_release(struct mgmt_conf *mc)
{
	free(mc->address);
	free(mc->cert);
	free(mc->key);
	free(mc->ca);
	free(mc->crl);
	free(mc->priority);
	free_list(mc->allowed_dn, mc->n_allowed_dn);
	free(mc->app);
	free(mc->service);
	free(mc->hostname);
	free(mc->realm);
	free(mc->sasldb);
	free(mc->keytab);
	free_list(mc->mechs, mc->n_mechs);
	free_list(mc->users, mc->n_users);
	free_list(mc->role_names, mc->n_roles);
	free(mc->roles);
	free(mc->audit_file);
	memset(mc, 0, sizeof(*mc));
}

/* A string key copied out (NULL when absent and def is NULL). */
static int get_str(const struct conf_node *n, const char *path, const char *def, char **out,
		   char *err, size_t errlen)
{
	const char *v;
	int rc = conf_node_get_str(n, path, def, &v, err, errlen);

	if (rc)
		return rc;
	if (!v)
		return 0;
	*out = strdup(v);
	return *out ? 0 : -ENOMEM;
}

/* A scalar or a sequence of scalars, copied. *set tells the key exists. */
static int get_list(const struct conf_node *base, const char *path, char ***out,
		    unsigned int *n, bool *set, char *err, size_t errlen)
{
	const struct conf_node *l = conf_node_get(base, path);
	unsigned int cnt = 0;

	if (set)
		*set = l != NULL;
	if (!l)
		return 0;
	if (!l->child) {
		if (!l->value || !*l->value)
			return 0;
		*out = calloc(1, sizeof(char *));
		if (!*out || !((*out)[0] = strdup(l->value)))
			return -ENOMEM;
		*n = 1;
		return 0;
	}
	*out = calloc(l->nchildren, sizeof(char *));
	if (!*out)
		return -ENOMEM;
	for (const struct conf_node *e = conf_node_first(l); e; e = conf_node_next(e)) {
		if (!e->value || e->child)
			return conf_node_err(e, err, errlen, "expected a string");
		(*out)[cnt] = strdup(e->value);
		if (!(*out)[cnt])
			return -ENOMEM;
		*n = ++cnt;
	}
	return 0;
}

static int get_uint(const struct conf_node *n, const char *path, int64_t def, int64_t lo,
		    int64_t hi, int64_t *out, char *err, size_t errlen)
{
	int rc = conf_node_get_int(n, path, def, out, err, errlen);

	if (rc)
		return rc;
	if (*out < lo || *out > hi)
		return conf_node_err(conf_node_get(n, path), err, errlen,
				     "must be between %lld and %lld", (long long)lo,
				     (long long)hi);
	return 0;
}

static int parse_mechs(struct mgmt_conf *mc, const struct conf_node *n, char *err,
		       size_t errlen)
{
	const struct conf_node *node = conf_node_get(n, "sasl.mechanisms");
	int rc;

	rc = conf_node_get_bool(n, "sasl.allow_weak_mechanisms", false, &mc->allow_weak, err,
				errlen);
	if (rc)
		return rc;
	rc = get_list(n, "sasl.mechanisms", &mc->mechs, &mc->n_mechs, NULL, err, errlen);
	if (rc)
		return rc;
	if (mc->n_mechs == 0) {
		free(mc->mechs);
		mc->mechs = calloc(1, sizeof(char *));
		if (!mc->mechs || !(mc->mechs[0] = strdup("SCRAM-SHA-256")))
			return -ENOMEM;
		mc->n_mechs = 1;
	}
	for (unsigned int i = 0; i < mc->n_mechs; i++) {
		size_t k;

		for (char *p = mc->mechs[i]; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		for (k = 0; k < sizeof(known_mechs) / sizeof(known_mechs[0]); k++)
			if (strcmp(known_mechs[k].name, mc->mechs[i]) == 0)
				break;
		if (k == sizeof(known_mechs) / sizeof(known_mechs[0]))
			return conf_node_err(node, err, errlen, "unknown SASL mechanism '%s'",
					     mc->mechs[i]);
		if (known_mechs[k].weak && !mc->allow_weak)
			return conf_node_err(node, err, errlen,
					     "%s is refused (weak); set "
					     "management.sasl.allow_weak_mechanisms to enable it",
					     mc->mechs[i]);
		if (known_mechs[k].weak)
			log_msg(LOG_WARN, MGMT_LOG, "weak SASL mechanism %s enabled",
				mc->mechs[i]);
	}
	return 0;
}

static int parse_roles(struct mgmt_conf *mc, const struct conf_node *n, char *err,
		       size_t errlen)
{
	const struct conf_node *r = conf_node_get(n, "roles");

	if (!r || !r->child)
		return 0;
	mc->role_names = calloc(r->nchildren, sizeof(char *));
	mc->roles = calloc(r->nchildren, sizeof(*mc->roles));
	if (!mc->role_names || !mc->roles)
		return -ENOMEM;
	for (const struct conf_node *e = conf_node_first(r); e; e = conf_node_next(e)) {
		if (!e->value || mgmt_role_parse(e->value, &mc->roles[mc->n_roles]))
			return conf_node_err(e, err, errlen,
					     "expected viewer, operator or admin, got '%s'",
					     e->value ? e->value : "");
		mc->role_names[mc->n_roles] = strdup(e->name);
		if (!mc->role_names[mc->n_roles])
			return -ENOMEM;
		mc->n_roles++;
	}
	return 0;
}

static int parse_limits(struct mgmt_conf *mc, const struct conf_node *n, char *err,
			size_t errlen)
{
	/* Timeouts in seconds, delays in milliseconds. */
	static const struct {
		const char *key;
		int64_t def, lo, hi;
	} limits[] = {
		{ "limits.max_clients", 64, 1, 4096 },
		{ "limits.max_unauthenticated", 16, 1, 4096 },
		{ "limits.handshake_timeout", 10, 1, 3600 },
		{ "limits.auth_timeout", 10, 1, 3600 },
		{ "limits.idle_timeout", 600, 1, 86400 },
		{ "limits.auth_fail_delay_ms", 250, 0, 60000 },
		{ "limits.auth_fail_delay_max_ms", 8000, 0, 600000 },
		{ "limits.alerts_backlog", 1000, 1, 1000000 },
		{ "limits.max_unauthenticated_per_source", 4, 1, 4096 },
		{ "limits.lockout_failures", 10, 1, 1000 },
		{ "limits.lockout_seconds", 300, 1, 86400 },
	};
	int64_t v[sizeof(limits) / sizeof(limits[0])];
	uint64_t sz;
	int rc;

	rc = conf_node_get_size(n, "limits.max_frame", MGMT_FRAME_MAX_DEFAULT, &sz, err, errlen);
	if (rc)
		return rc;
	if (sz < MGMT_FRAME_MIN_MAX || sz > (16u << 20))
		return conf_node_err(conf_node_get(n, "limits.max_frame"), err, errlen,
				     "must be between 1kb and 16mb");
	mc->max_frame = (uint32_t)sz;
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		rc = get_uint(n, limits[i].key, limits[i].def, limits[i].lo, limits[i].hi, &v[i],
			      err, errlen);
		if (rc)
			return rc;
	}
	mc->max_clients = (unsigned int)v[0];
	mc->max_unauth = (unsigned int)v[1];
	mc->handshake_us = (uint64_t)v[2] * 1000000u;
	mc->auth_us = (uint64_t)v[3] * 1000000u;
	mc->idle_us = (uint64_t)v[4] * 1000000u;
	mc->fail_delay_us = (uint64_t)v[5] * 1000u;
	mc->fail_delay_max_us = (uint64_t)v[6] * 1000u;
	mc->alerts_backlog = (unsigned int)v[7];
	mc->max_unauth_src = (unsigned int)v[8];
	mc->lockout_fails = (unsigned int)v[9];
	mc->lockout_us = (uint64_t)v[10] * 1000000u;
	return 0;
}

static bool has_mech(const struct mgmt_conf *mc, const char *name)
{
	for (unsigned int i = 0; i < mc->n_mechs; i++)
		if (strcmp(mc->mechs[i], name) == 0)
			return true;
	return false;
}

int mgmt_conf_parse(struct mgmt_conf *mc, const struct conf_node *n, char *err, size_t errlen)
{
	char host[256];
	int64_t port;
	int rc;

	memset(mc, 0, sizeof(*mc));
	if (gethostname(host, sizeof(host)) != 0)
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	if ((rc = get_str(n, "listen.address", "0.0.0.0", &mc->address, err, errlen)) ||
	    (rc = get_uint(n, "listen.port", 7443, 0, 65535, &port, err, errlen)) ||
	    (rc = get_str(n, "tls.cert", NULL, &mc->cert, err, errlen)) ||
	    (rc = get_str(n, "tls.key", NULL, &mc->key, err, errlen)) ||
	    (rc = get_str(n, "tls.ca", NULL, &mc->ca, err, errlen)) ||
	    (rc = get_str(n, "tls.crl", NULL, &mc->crl, err, errlen)) ||
	    (rc = get_str(n, "tls.priority", DEFAULT_PRIORITY, &mc->priority, err, errlen)) ||
	    (rc = conf_node_get_bool(n, "tls.require_client_cert", false,
				     &mc->require_client_cert, err, errlen)) ||
	    (rc = conf_node_get_bool(n, "tls.bind_client_cert", false,
				     &mc->bind_client_cert, err, errlen)) ||
	    (rc = get_list(n, "tls.allowed_dn", &mc->allowed_dn, &mc->n_allowed_dn,
			   &mc->dn_list_set, err, errlen)) ||
	    (rc = get_str(n, "sasl.app", "ids-control", &mc->app, err, errlen)) ||
	    (rc = get_str(n, "sasl.service", "ids", &mc->service, err, errlen)) ||
	    (rc = get_str(n, "sasl.hostname", host, &mc->hostname, err, errlen)) ||
	    (rc = get_str(n, "sasl.realm", NULL, &mc->realm, err, errlen)) ||
	    (rc = get_str(n, "sasl.sasldb", NULL, &mc->sasldb, err, errlen)) ||
	    (rc = get_str(n, "sasl.keytab", NULL, &mc->keytab, err, errlen)) ||
	    (rc = get_list(n, "sasl.allowed_users", &mc->users, &mc->n_users, &mc->users_set,
			   err, errlen)) ||
	    (rc = parse_mechs(mc, n, err, errlen)) ||
	    (rc = parse_roles(mc, n, err, errlen)) ||
	    (rc = get_str(n, "audit", NULL, &mc->audit_file, err, errlen)) ||
	    (rc = parse_limits(mc, n, err, errlen)))
		goto fail;
	mc->port = (uint16_t)port;
	if (!mc->cert || !mc->key) {
		rc = conf_node_err(n, err, errlen, "tls.cert and tls.key are required");
		goto fail;
	}
	if (!mc->ca && (mc->require_client_cert || mc->dn_list_set || mc->bind_client_cert ||
			has_mech(mc, "EXTERNAL"))) {
		rc = conf_node_err(n, err, errlen,
				   "tls.ca is required to verify client certificates");
		goto fail;
	}
	if (has_mech(mc, "EXTERNAL") && !mc->require_client_cert) {
		rc = conf_node_err(conf_node_get(n, "sasl.mechanisms"), err, errlen,
				   "EXTERNAL needs tls.require_client_cert: true");
		goto fail;
	}
	return 0;
fail:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "management: out of memory");
	mgmt_conf_release(mc);
	return rc;
}
