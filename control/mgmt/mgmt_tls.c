/* SPDX-License-Identifier: MIT */
/* GnuTLS for the management port: credentials and priorities loaded once,
 * one non-blocking server session per connection, client certificate DN
 * checks, and the values SASL needs from TLS (strength, channel binding). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/x509.h>

#include "mgmt-priv.h"

/* A private key readable by group or others is a leak waiting to happen:
 * refuse it at start (as ssh does), and keys owned by someone else. */
static int check_key_file(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "management.tls.key %s: %s", path, strerror(errno));
		return -errno;
	}
	if (st.st_mode & (S_IRWXO | S_IWGRP | S_IXGRP)) {
		snprintf(err, errlen,
			 "management.tls.key %s: mode %04o gives access to others; "
			 "chmod 600 (or 640 for a group)", path, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(err, errlen, "management.tls.key %s: owned by uid %u, not by us or root",
			 path, (unsigned)st.st_uid);
		return -EPERM;
	}
	return 0;
}

int mgmt_tls_init(struct mgmt *m, char *err, size_t errlen)
{
	const struct mgmt_conf *mc = &m->conf;
	const char *errpos = NULL;
	int rc;

	rc = check_key_file(mc->key, err, errlen);
	if (rc)
		return rc;
	if (gnutls_certificate_allocate_credentials(&m->cred) < 0) {
		snprintf(err, errlen, "management.tls: out of memory");
		return -ENOMEM;
	}
	rc = gnutls_certificate_set_x509_key_file(m->cred, mc->cert, mc->key,
						  GNUTLS_X509_FMT_PEM);
	if (rc < 0) {
		snprintf(err, errlen, "management.tls: cert %s / key %s: %s", mc->cert, mc->key,
			 gnutls_strerror(rc));
		return -EINVAL;
	}
	if (mc->ca) {
		rc = gnutls_certificate_set_x509_trust_file(m->cred, mc->ca, GNUTLS_X509_FMT_PEM);
		if (rc <= 0) {
			snprintf(err, errlen, "management.tls.ca %s: %s", mc->ca,
				 rc < 0 ? gnutls_strerror(rc) : "no certificate in file");
			return -EINVAL;
		}
	}
	if (mc->crl) {
		rc = gnutls_certificate_set_x509_crl_file(m->cred, mc->crl, GNUTLS_X509_FMT_PEM);
		if (rc < 0) {
			snprintf(err, errlen, "management.tls.crl %s: %s", mc->crl,
				 gnutls_strerror(rc));
			return -EINVAL;
		}
	}
	rc = gnutls_priority_init(&m->prio, mc->priority, &errpos);
	if (rc < 0) {
		snprintf(err, errlen, "management.tls.priority: %s at '%s'", gnutls_strerror(rc),
			 errpos ? errpos : "");
		m->prio = NULL;
		return -EINVAL;
	}
	return 0;
}

void mgmt_tls_release(struct mgmt *m)
{
	if (m->prio)
		gnutls_priority_deinit(m->prio);
	if (m->cred)
		gnutls_certificate_free_credentials(m->cred);
	m->prio = NULL;
	m->cred = NULL;
}

int mgmt_tls_session(struct mgmt *m, struct mgmt_conn *c)
{
	gnutls_certificate_request_t req = GNUTLS_CERT_IGNORE;
	int rc;

	rc = gnutls_init(&c->tls, GNUTLS_SERVER | GNUTLS_NONBLOCK);
	if (rc < 0)
		return -ENOMEM;
	if (gnutls_priority_set(c->tls, m->prio) < 0 ||
	    gnutls_credentials_set(c->tls, GNUTLS_CRD_CERTIFICATE, m->cred) < 0)
		return -EINVAL;
	if (m->conf.require_client_cert) {
		req = GNUTLS_CERT_REQUIRE;
		/* verified inside the handshake: a bad certificate gets a TLS alert */
		gnutls_session_set_verify_cert(c->tls, NULL, 0);
	} else if (m->conf.ca) {
		req = GNUTLS_CERT_REQUEST;
	}
	gnutls_certificate_server_set_request(c->tls, req);
	gnutls_transport_set_int(c->tls, c->fd);
	return 0;
}

int mgmt_tls_peer(struct mgmt_conn *c, char *reason, size_t len)
{
	const struct mgmt_conf *mc = &c->m->conf;
	const gnutls_datum_t *certs;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t dn = { NULL, 0 };
	unsigned int n = 0, status = 0;
	size_t cnlen = sizeof(c->cert_cn);
	int rc = -EACCES;

	certs = gnutls_certificate_get_peers(c->tls, &n);
	if (!certs || n == 0) {
		if (!mc->dn_list_set)
			return 0;
		snprintf(reason, len, "a client certificate is required");
		return -EACCES;
	}
	if (!mc->require_client_cert &&
	    (gnutls_certificate_verify_peers2(c->tls, &status) < 0 || status)) {
		snprintf(reason, len, "client certificate not trusted");
		return -EACCES;
	}
	if (gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) < 0 ||
	    gnutls_x509_crt_get_dn3(crt, &dn, 0) < 0) {
		snprintf(reason, len, "client certificate unreadable");
		goto out;
	}
	snprintf(c->cert_dn, sizeof(c->cert_dn), "%s", (const char *)dn.data);
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, c->cert_cn,
					  &cnlen) < 0)
		c->cert_cn[0] = '\0';
	if (mc->dn_list_set && !mgmt_match_any(mc->allowed_dn, mc->n_allowed_dn, c->cert_dn)) {
		snprintf(reason, len, "client certificate DN not allowed: %s", c->cert_dn);
		goto out;
	}
	rc = 0;
out:
	gnutls_free(dn.data);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	return rc;
}

unsigned int mgmt_tls_ssf(gnutls_session_t s)
{
	return (unsigned int)gnutls_cipher_get_key_size(gnutls_cipher_get(s)) * 8;
}
