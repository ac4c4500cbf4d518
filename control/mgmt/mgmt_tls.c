/* SPDX-License-Identifier: MIT */
/* GnuTLS for the management port: credentials loaded at start and again on
 * SIGHUP (counted, so open connections keep theirs), priorities loaded
 * once, one non-blocking server session per connection, client certificate DN
 * checks, and the values SASL needs from TLS (strength, channel binding). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/x509.h>

#include "common/log.h"
#include "mgmt-priv.h"

/* A private key readable by group or others is a leak waiting to happen:
 * refuse it at start and on reload (as ssh does), and keys owned by someone
 * else. */
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

/* PEM files are small; a bigger one is not what the config meant. */
#define PEM_MAX (16u << 20)

/* The whole of path into d (malloc'd), or -errno with err naming the key
 * of the configuration and the file. */
static int read_pem(const char *what, const char *path, gnutls_datum_t *d, char *err,
		    size_t errlen)
{
	FILE *f = fopen(path, "re");
	struct stat st;
	int rc = 0;

	d->data = NULL;
	d->size = 0;
	if (!f || fstat(fileno(f), &st) != 0) {
		rc = -errno;
		goto fail;
	}
	if (st.st_size > (off_t)PEM_MAX) {
		rc = -EFBIG;
		goto fail;
	}
	d->data = malloc((size_t)st.st_size + 1);
	if (!d->data) {
		rc = -ENOMEM;
		goto fail;
	}
	d->size = (unsigned int)fread(d->data, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		rc = -EIO;
		goto fail;
	}
	d->data[d->size] = '\0';
	fclose(f);
	return 0;
fail:
	snprintf(err, errlen, "management.tls.%s %s: %s", what, path, strerror(-rc));
	free(d->data);
	d->data = NULL;
	if (f)
		fclose(f);
	return rc;
}

void mgmt_tls_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)t);
}

/* The certificate's public key must be the key's: compare their key IDs,
 * so the message can say which pair is wrong (GnuTLS would only say "do
 * not match" much later). */
static int key_matches(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key)
{
	unsigned char a[64], b[64];
	size_t alen = sizeof(a), blen = sizeof(b);

	if (gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, a, &alen) < 0 ||
	    gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA256, b, &blen) < 0)
		return 0;
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* Subject and notAfter of the server certificate, for logs and status. */
static void describe(struct mgmt_creds *cr, gnutls_x509_crt_t crt)
{
	gnutls_datum_t dn = { NULL, 0 };

	if (gnutls_x509_crt_get_dn3(crt, &dn, 0) >= 0)
		snprintf(cr->subject, sizeof(cr->subject), "%s", (const char *)dn.data);
	gnutls_free(dn.data);
	cr->not_after = gnutls_x509_crt_get_expiration_time(crt);
}

static void creds_put(struct mgmt_creds *cr)
{
	if (!cr || --cr->refs)
		return;
	if (cr->cred)
		gnutls_certificate_free_credentials(cr->cred);
	free(cr);
}

/* Load and check the whole credential set the configuration names. With
 * refuse_expired (a reload), a certificate past its notAfter is refused:
 * the one in use is then no worse. At start it is not, so that HA comes
 * up even when the management certificate lapsed. NULL with err naming
 * the configuration key, the file and the cause. */
static struct mgmt_creds *creds_load(const struct mgmt_conf *mc, bool refuse_expired, char *err,
				     size_t errlen)
{
	gnutls_datum_t pem = { NULL, 0 };
	gnutls_x509_crt_t *crts = NULL;
	gnutls_x509_privkey_t key = NULL;
	unsigned int ncrts = 0;
	struct mgmt_creds *cr;
	int rc;

	cr = calloc(1, sizeof(*cr));
	if (cr)
		cr->refs = 1;
	if (!cr || gnutls_certificate_allocate_credentials(&cr->cred) < 0) {
		snprintf(err, errlen, "management.tls: out of memory");
		goto fail;
	}
	if (check_key_file(mc->key, err, errlen) || read_pem("cert", mc->cert, &pem, err, errlen))
		goto fail;
	rc = gnutls_x509_crt_list_import2(&crts, &ncrts, &pem, GNUTLS_X509_FMT_PEM, 0);
	free(pem.data);
	if (rc < 0 || ncrts == 0) {
		snprintf(err, errlen, "management.tls.cert %s: %s", mc->cert,
			 rc < 0 ? gnutls_strerror(rc) : "no certificate in file");
		goto fail;
	}
	if (read_pem("key", mc->key, &pem, err, errlen))
		goto fail;
	rc = gnutls_x509_privkey_init(&key);
	if (rc >= 0)
		rc = gnutls_x509_privkey_import2(key, &pem, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_memset(pem.data, 0, pem.size);
	free(pem.data);
	if (rc < 0) {
		snprintf(err, errlen, "management.tls.key %s: %s", mc->key, gnutls_strerror(rc));
		goto fail;
	}
	if (!key_matches(crts[0], key)) {
		snprintf(err, errlen, "management.tls.key %s: not the key of the certificate in %s",
			 mc->key, mc->cert);
		goto fail;
	}
	rc = gnutls_certificate_set_x509_key(cr->cred, crts, ncrts, key);
	if (rc < 0) {
		snprintf(err, errlen, "management.tls: cert %s / key %s: %s", mc->cert, mc->key,
			 gnutls_strerror(rc));
		goto fail;
	}
	describe(cr, crts[0]);
	if (refuse_expired && cr->not_after != (time_t)-1 && cr->not_after < time(NULL)) {
		char when[32];

		mgmt_tls_time(cr->not_after, when, sizeof(when));
		snprintf(err, errlen, "management.tls.cert %s: expired on %s", mc->cert, when);
		goto fail;
	}
	if (mc->ca) {
		if (read_pem("ca", mc->ca, &pem, err, errlen))
			goto fail;
		rc = gnutls_certificate_set_x509_trust_mem(cr->cred, &pem, GNUTLS_X509_FMT_PEM);
		free(pem.data);
		if (rc <= 0) {
			snprintf(err, errlen, "management.tls.ca %s: %s", mc->ca,
				 rc < 0 ? gnutls_strerror(rc) : "no certificate in file");
			goto fail;
		}
	}
	if (mc->crl) {
		if (read_pem("crl", mc->crl, &pem, err, errlen))
			goto fail;
		rc = gnutls_certificate_set_x509_crl_mem(cr->cred, &pem, GNUTLS_X509_FMT_PEM);
		free(pem.data);
		if (rc <= 0) {
			snprintf(err, errlen, "management.tls.crl %s: %s", mc->crl,
				 rc < 0 ? gnutls_strerror(rc) : "no CRL in file");
			goto fail;
		}
	}
	for (unsigned int i = 0; i < ncrts; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	gnutls_x509_privkey_deinit(key);
	return cr;
fail:
	if (key)
		gnutls_x509_privkey_deinit(key);
	for (unsigned int i = 0; i < ncrts; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	creds_put(cr);
	return NULL;
}

int mgmt_tls_init(struct mgmt *m, bool reload, char *err, size_t errlen)
{
	const char *errpos = NULL;
	int rc;

	m->creds = creds_load(&m->conf, reload, err, errlen);
	if (!m->creds)
		return -EINVAL;
	rc = gnutls_priority_init(&m->prio, m->conf.priority, &errpos);
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
	creds_put(m->creds);
	m->prio = NULL;
	m->creds = NULL;
}

int mgmt_tls_session(struct mgmt *m, struct mgmt_conn *c)
{
	gnutls_certificate_request_t req = GNUTLS_CERT_IGNORE;
	int rc;

	rc = gnutls_init(&c->tls, GNUTLS_SERVER | GNUTLS_NONBLOCK);
	if (rc < 0)
		return -ENOMEM;
	/* GnuTLS keeps the pointer, not a copy: hold the set while c lives */
	c->creds = m->creds;
	c->creds->refs++;
	if (gnutls_priority_set(c->tls, m->prio) < 0 ||
	    gnutls_credentials_set(c->tls, GNUTLS_CRD_CERTIFICATE, c->creds->cred) < 0)
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

void mgmt_tls_session_end(struct mgmt_conn *c)
{
	/* the session first: it points into the credentials */
	if (c->tls)
		gnutls_deinit(c->tls);
	c->tls = NULL;
	creds_put(c->creds);
	c->creds = NULL;
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
