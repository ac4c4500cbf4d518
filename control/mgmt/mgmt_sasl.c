/* SPDX-License-Identifier: MIT */
/* Cyrus SASL on the management port, after the TLS handshake. The TLS
 * strength is SASL's external SSF (so PLAIN, a plaintext mechanism, is
 * allowed only because TLS protects it), the client certificate's CN is the
 * EXTERNAL identity, and the TLS channel binding lets SCRAM-*-PLUS tie the
 * authentication to this very session. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "mgmt-priv.h"

/* Cyrus stores every callback as int (*)(void); the real type is per id. */
typedef int (*sasl_cb_fn)(void);

/* Our options to Cyrus (what sasl2/<app>.conf would otherwise say). */
static int sasl_getopt_cb(void *ctx, const char *plugin, const char *option,
			  const char **result, unsigned *len)
{
	const struct mgmt_conf *mc = ctx;

	(void)plugin;
	*result = NULL;
	if (strcmp(option, "sasldb_path") == 0)
		*result = mc->sasldb;
	else if (strcmp(option, "keytab") == 0)
		*result = mc->keytab;
	else if (strcmp(option, "auxprop_plugin") == 0)
		*result = "sasldb";
	else if (strcmp(option, "pwcheck_method") == 0)
		*result = "auxprop";
	if (!*result)
		return SASL_FAIL;
	if (len)
		*len = (unsigned)strlen(*result);
	return SASL_OK;
}

static int sasl_log_cb(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= SASL_LOG_WARN)
		log_msg(LOG_INFO, MGMT_LOG, "sasl: %s", msg);
	return SASL_OK;
}

/* Cyrus's library state is process-wide and stays for the process's life:
 * sasl_server_done() leaks inside Cyrus 2.1.28 and a later init would
 * reload every plugin, while a second sasl_server_init() is a no-op.
 * Connections are disposed of one by one (mgmt_conn_close). */
int mgmt_sasl_init(struct mgmt *m, char *err, size_t errlen)
{
	int rc;

	/* The GSSAPI plugin reads its keytab option at library init, through
	 * callbacks that must live as long as the process; MIT's own variable
	 * says the same thing without a global of ours. */
	if (m->conf.keytab && setenv("KRB5_KTNAME", m->conf.keytab, 1) != 0) {
		snprintf(err, errlen, "management.sasl.keytab: %s", strerror(errno));
		return -errno;
	}
	m->sasl_cbs[0] = (sasl_callback_t){ SASL_CB_GETOPT, (sasl_cb_fn)(void (*)(void))sasl_getopt_cb, &m->conf };
	m->sasl_cbs[1] = (sasl_callback_t){ SASL_CB_LOG, (sasl_cb_fn)(void (*)(void))sasl_log_cb, NULL };
	m->sasl_cbs[2] = (sasl_callback_t){ SASL_CB_LIST_END, NULL, NULL };
	rc = sasl_server_init(NULL, m->conf.app);
	if (rc != SASL_OK) {
		snprintf(err, errlen, "management.sasl: init failed: %s",
			 sasl_errstring(rc, NULL, NULL));
		return -EINVAL;
	}
	return 0;
}

void mgmt_sasl_files_check(const struct mgmt_conf *mc)
{
	const struct { const char *key, *path, *who; } f[] = {
		{ "management.sasl.sasldb", mc->sasldb, "password logins (SCRAM, PLAIN)" },
		{ "management.sasl.keytab", mc->keytab, "GSSAPI logins" },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].path && access(f[i].path, R_OK) != 0)
			log_msg(LOG_WARN, MGMT_LOG, "%s %s: cannot be read (%s): %s will fail",
				f[i].key, f[i].path, strerror(errno), f[i].who);
}

/* Configured "SCRAM-SHA-256" also admits its -PLUS form. */
static bool mech_allowed(const struct mgmt_conf *mc, const char *mech)
{
	size_t n = strlen(mech);

	for (unsigned int i = 0; i < mc->n_mechs; i++) {
		if (strcmp(mc->mechs[i], mech) == 0)
			return true;
		if (n > 5 && strcmp(mech + n - 5, "-PLUS") == 0 &&
		    strlen(mc->mechs[i]) == n - 5 && strncmp(mc->mechs[i], mech, n - 5) == 0)
			return true;
	}
	return false;
}

static void ip_port(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "";
	unsigned int port = 0;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s->sin_addr, host, sizeof(host));
		port = ntohs(s->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s->sin6_addr, host, sizeof(host));
		port = ntohs(s->sin6_port);
	}
	snprintf(buf, len, "%s;%u", host, port);
}

int mgmt_sasl_conn(struct mgmt_conn *c)
{
	struct mgmt *m = c->m;
	sasl_security_properties_t sec = {
		.min_ssf = 0,
		.max_ssf = 0,		/* no SASL security layer: TLS protects the stream */
		.maxbufsize = 0,
		.security_flags = SASL_SEC_NOANONYMOUS | SASL_SEC_NOPLAINTEXT,
	};
	struct sockaddr_storage local;
	socklen_t sl = sizeof(local);
	char lbuf[80], rbuf[80];
	sasl_ssf_t ssf;
	size_t cblen = sizeof(c->cbind_data);
	const char *cbname;

	if (getsockname(c->fd, (struct sockaddr *)&local, &sl) != 0)
		return -errno;
	ip_port(&local, lbuf, sizeof(lbuf));
	ip_port(&c->addr, rbuf, sizeof(rbuf));
	if (sasl_server_new(m->conf.service, m->conf.hostname, m->conf.realm, lbuf, rbuf, m->sasl_cbs,
			    SASL_SUCCESS_DATA, &c->sasl) != SASL_OK)
		return -ENOMEM;
	ssf = mgmt_tls_ssf(c->tls);
	if (sasl_setprop(c->sasl, SASL_SSF_EXTERNAL, &ssf) != SASL_OK ||
	    sasl_setprop(c->sasl, SASL_SEC_PROPS, &sec) != SASL_OK)
		return -EINVAL;
	if (c->cert_cn[0] && mech_allowed(&m->conf, "EXTERNAL") &&
	    sasl_setprop(c->sasl, SASL_AUTH_EXTERNAL, c->cert_cn) != SASL_OK)
		return -EINVAL;
	cbname = mgmt_tls_cbind(c->tls, c->cbind_data, &cblen);
	if (cbname) {
		c->cbind.name = cbname;
		c->cbind.critical = 0;	/* plain SCRAM stays usable by clients without it */
		c->cbind.len = cblen;
		c->cbind.data = c->cbind_data;
		if (sasl_setprop(c->sasl, SASL_CHANNEL_BINDING, &c->cbind) != SASL_OK)
			return -EINVAL;
	}
	return 0;
}

void mgmt_sasl_mechs(struct mgmt_conn *c, char *buf, size_t len)
{
	const char *list = NULL;
	unsigned int n = 0;
	int count = 0;
	size_t off = 0;

	buf[0] = '\0';
	if (sasl_listmech(c->sasl, NULL, "", " ", "", &list, &n, &count) != SASL_OK || !list)
		return;
	for (const char *p = list; *p;) {
		size_t w = strcspn(p, " ");
		char mech[64];

		if (w > 0 && w < sizeof(mech)) {
			memcpy(mech, p, w);
			mech[w] = '\0';
			if (mech_allowed(&c->m->conf, mech) && off + w + 2 < len)
				off += (size_t)snprintf(buf + off, len - off, "%s%s",
							off ? " " : "", mech);
		}
		p += w;
		p += strspn(p, " ");
	}
}

int mgmt_sasl_step(struct mgmt_conn *c, const char *mech, const uint8_t *in, size_t inlen,
		   bool has_in, const char **out, unsigned int *outlen, char *reason, size_t rlen)
{
	const void *user = NULL;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (mech) {
		if (!mech_allowed(&c->m->conf, mech)) {
			snprintf(reason, rlen, "mechanism %s not enabled", mech);
			return -EACCES;
		}
		rc = sasl_server_start(c->sasl, mech, has_in ? (const char *)in : NULL,
				       (unsigned)inlen, out, outlen);
	} else {
		rc = sasl_server_step(c->sasl, (const char *)in, (unsigned)inlen, out, outlen);
	}
	if (rc == SASL_CONTINUE)
		return 1;
	if (rc != SASL_OK) {
		snprintf(reason, rlen, "%s", sasl_errdetail(c->sasl));
		return -EACCES;
	}
	if (sasl_getprop(c->sasl, SASL_USERNAME, &user) != SASL_OK || !user) {
		snprintf(reason, rlen, "no username from SASL");
		return -EACCES;
	}
	snprintf(c->identity, sizeof(c->identity), "%s", (const char *)user);
	/* Cyrus qualifies users of an explicit realm ("alice@ids"); the roles
	 * name them as they log in. Other realms (Kerberos) stay visible. */
	if (c->m->conf.realm) {
		size_t n = strlen(c->identity), r = strlen(c->m->conf.realm);

		if (n > r + 1 && c->identity[n - r - 1] == '@' &&
		    strcmp(c->identity + n - r, c->m->conf.realm) == 0)
			c->identity[n - r - 1] = '\0';
	}
	return 0;
}

void mgmt_sasl_user_tried(const char *mech, const uint8_t *in, size_t inlen, char *out,
			  size_t outlen)
{
	const uint8_t *end = in + inlen, *a, *b;

	out[0] = '\0';
	if (in == NULL)
		return;
	if (strcmp(mech, "PLAIN") == 0) {
		/* authzid NUL authcid NUL password (RFC 4616) */
		a = memchr(in, '\0', inlen);
		b = a ? memchr(a + 1, '\0', (size_t)(end - a - 1)) : NULL;
		if (b)
			snprintf(out, outlen, "%.*s", (int)(b - a - 1), (const char *)a + 1);
	} else if (strncmp(mech, "SCRAM-", 6) == 0) {
		/* gs2-header: flag "," [authzid] "," then "n=user,r=..." (RFC 5802) */
		a = memchr(in, ',', inlen);
		a = a ? memchr(a + 1, ',', (size_t)(end - a - 1)) : NULL;
		if (a && end - a > 3 && a[1] == 'n' && a[2] == '=') {
			a += 3;
			for (b = a; b < end && *b != ','; b++)
				;
			snprintf(out, outlen, "%.*s", (int)(b - a), (const char *)a);
		}
	}
	/* only printable bytes reach the audit log and the tables */
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}
