/* SPDX-License-Identifier: MIT */
/* idsctl's transport: TCP connect with a timeout, the GnuTLS client
 * handshake with the server's certificate checked against --ca and the
 * host name, and framed messages over it. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "control/mgmt/mgmt_frame.h"
#include "idsctl.h"

#define DEFAULT_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

int idsctl_parse_uri(const char *uri, struct idsctl_opts *o)
{
	static const char scheme[] = "ids+tls://";
	const char *p, *at, *hend, *end;
	size_t n;

	if (strncmp(uri, scheme, sizeof(scheme) - 1) != 0)
		goto bad;
	p = uri + sizeof(scheme) - 1;
	end = p + strcspn(p, "/");
	at = memchr(p, '@', (size_t)(end - p));
	if (at) {
		n = (size_t)(at - p);
		if (n == 0 || n >= sizeof(o->user))
			goto bad;
		memcpy(o->user, p, n);
		o->user[n] = '\0';
		p = at + 1;
	}
	if (*p == '[') {
		hend = memchr(p, ']', (size_t)(end - p));
		if (!hend)
			goto bad;
		n = (size_t)(hend - p - 1);
		if (n == 0 || n >= sizeof(o->host))
			goto bad;
		memcpy(o->host, p + 1, n);
		p = hend + 1;
	} else {
		hend = p + strcspn(p, ":/");
		n = (size_t)(hend - p);
		if (n == 0 || n >= sizeof(o->host))
			goto bad;
		memcpy(o->host, p, n);
		p = hend;
	}
	o->host[n] = '\0';
	snprintf(o->port, sizeof(o->port), "7443");
	if (*p == ':') {
		n = (size_t)(end - p - 1);
		if (n == 0 || n >= sizeof(o->port) || strspn(p + 1, "0123456789") != n)
			goto bad;
		memcpy(o->port, p + 1, n);
		o->port[n] = '\0';
	} else if (p != end) {
		goto bad;
	}
	return IDSCTL_OK;
bad:
	fprintf(stderr, "idsctl: bad connection URI '%s' (expected ids+tls://USER@HOST:PORT)\n",
		uri);
	return IDSCTL_USAGE;
}

static int tcp_connect(struct idsctl *c)
{
	const struct idsctl_opts *o = c->o;
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai, *a;
	struct timeval tv = { .tv_sec = o->timeout_s };
	int rc, err = 0;

	rc = getaddrinfo(o->host, o->port, &hints, &ai);
	if (rc) {
		fprintf(stderr, "idsctl: cannot resolve %s: %s\n", o->host, gai_strerror(rc));
		return IDSCTL_CONN;
	}
	for (a = ai; a; a = a->ai_next) {
		c->fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c->fd < 0)
			continue;
		setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(c->fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		err = errno;
		close(c->fd);
		c->fd = -1;
	}
	freeaddrinfo(ai);
	if (c->fd < 0) {
		fprintf(stderr, "idsctl: %s %s:%s\n",
			err == ECONNREFUSED ? "connection refused:" :
			err == EINPROGRESS || err == EAGAIN ? "connection timed out:" :
			strerror(err), o->host, o->port);
		return IDSCTL_CONN;
	}
	return IDSCTL_OK;
}

static int handshake_error(struct idsctl *c, int rc)
{
	if (rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		unsigned int status = gnutls_session_get_verify_cert_status(c->tls);
		gnutls_datum_t out = { NULL, 0 };

		gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &out, 0);
		fprintf(stderr, "idsctl: certificate not trusted: %s\n",
			out.data ? (const char *)out.data : "verification failed");
		gnutls_free(out.data);
	} else if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED) {
		fprintf(stderr, "idsctl: TLS refused by the server: %s%s\n",
			gnutls_alert_get_name(gnutls_alert_get(c->tls)),
			c->o->cert ? "" : " (does it require a client certificate? use --cert/--key)");
	} else if (rc == GNUTLS_E_PREMATURE_TERMINATION || rc == GNUTLS_E_PULL_ERROR ||
		   rc == GNUTLS_E_PUSH_ERROR) {
		fprintf(stderr, "idsctl: TLS handshake failed: the server closed the connection "
			"(too many connections, or a TLS policy mismatch)\n");
	} else {
		fprintf(stderr, "idsctl: TLS handshake failed: %s\n", gnutls_strerror(rc));
	}
	return IDSCTL_TLS;
}

int idsctl_connect(struct idsctl *c)
{
	const struct idsctl_opts *o = c->o;
	struct in6_addr a6;
	int rc;

	c->fd = -1;
	if (gnutls_certificate_allocate_credentials(&c->cred) < 0)
		return IDSCTL_FAILED;
	rc = gnutls_certificate_set_x509_trust_file(c->cred, o->ca, GNUTLS_X509_FMT_PEM);
	if (rc <= 0) {
		fprintf(stderr, "idsctl: CA file %s: %s\n", o->ca,
			rc < 0 ? gnutls_strerror(rc) : "no certificate in it");
		return IDSCTL_TLS;
	}
	if (o->cert) {
		rc = gnutls_certificate_set_x509_key_file(c->cred, o->cert, o->key,
							  GNUTLS_X509_FMT_PEM);
		if (rc < 0) {
			fprintf(stderr, "idsctl: client certificate %s / key %s: %s\n", o->cert,
				o->key, gnutls_strerror(rc));
			return IDSCTL_TLS;
		}
	}
	rc = tcp_connect(c);
	if (rc)
		return rc;
	if (gnutls_init(&c->tls, GNUTLS_CLIENT) < 0 ||
	    gnutls_priority_set_direct(c->tls, o->priority ? o->priority : DEFAULT_PRIORITY,
				       NULL) < 0 ||
	    gnutls_credentials_set(c->tls, GNUTLS_CRD_CERTIFICATE, c->cred) < 0) {
		fprintf(stderr, "idsctl: TLS setup failed (bad --priority?)\n");
		return IDSCTL_TLS;
	}
	/* SNI only for names; the certificate is checked against host either way */
	if (inet_pton(AF_INET, o->host, &a6) != 1 && inet_pton(AF_INET6, o->host, &a6) != 1)
		gnutls_server_name_set(c->tls, GNUTLS_NAME_DNS, o->host, strlen(o->host));
	gnutls_session_set_verify_cert(c->tls, o->host, 0);
	gnutls_transport_set_int(c->tls, c->fd);
	gnutls_handshake_set_timeout(c->tls, o->timeout_s * 1000u);
	do {
		rc = gnutls_handshake(c->tls);
	} while (rc < 0 && !gnutls_error_is_fatal(rc));
	if (rc < 0)
		return handshake_error(c, rc);
	return IDSCTL_OK;
}

int idsctl_send(struct idsctl *c, uint8_t type, const void *a, size_t an, const void *b,
		size_t bn)
{
	uint8_t hdr[MGMT_FRAME_HDR];
	const void *parts[3] = { hdr, a, b };
	size_t lens[3] = { sizeof(hdr), an, bn };

	mgmt_frame_header(hdr, type, an + bn);
	for (int i = 0; i < 3; i++) {
		size_t off = 0;

		while (off < lens[i]) {
			ssize_t w = gnutls_record_send(c->tls, (const uint8_t *)parts[i] + off,
						       lens[i] - off);

			if (w == GNUTLS_E_AGAIN || w == GNUTLS_E_INTERRUPTED)
				continue;
			if (w < 0) {
				fprintf(stderr, "idsctl: send failed: %s\n", gnutls_strerror((int)w));
				return -1;
			}
			off += (size_t)w;
		}
	}
	return 0;
}

int idsctl_recv(struct idsctl *c, const uint8_t **p, size_t *n)
{
	struct mgmt_frame f;
	enum mgmt_bad bad;

	for (;;) {
		int rc = mgmt_frame_parse(c->in + c->in_off, c->in_len - c->in_off,
					  c->in_cap - MGMT_FRAME_HDR, &f, &bad);
		ssize_t r;

		if (rc > 0) {
			c->in_off += (size_t)rc;
			*p = f.payload;
			*n = f.len;
			return f.type;
		}
		if (rc < 0) {
			fprintf(stderr, "idsctl: protocol error: %s frame from the server\n",
				mgmt_bad_name(bad));
			return -1;
		}
		if (c->in_off) {
			memmove(c->in, c->in + c->in_off, c->in_len - c->in_off);
			c->in_len -= c->in_off;
			c->in_off = 0;
		}
		r = gnutls_record_recv(c->tls, c->in + c->in_len, c->in_cap - c->in_len);
		if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				fprintf(stderr, "idsctl: timed out waiting for the server\n");
				return -1;
			}
			continue;
		}
		if (r == GNUTLS_E_FATAL_ALERT_RECEIVED) {
			/* TLS 1.3 finishes the client's handshake before the
			 * server has judged its certificate */
			handshake_error(c, (int)r);
			return -2;
		}
		if (r == 0 || r == GNUTLS_E_PREMATURE_TERMINATION) {
			fprintf(stderr, "idsctl: the server closed the connection\n");
			return -1;
		}
		if (r < 0) {
			fprintf(stderr, "idsctl: receive failed: %s\n", gnutls_strerror((int)r));
			return -1;
		}
		c->in_len += (size_t)r;
	}
}

void idsctl_close(struct idsctl *c)
{
	if (c->sasl)
		sasl_dispose(&c->sasl);
	if (c->tls) {
		gnutls_bye(c->tls, GNUTLS_SHUT_WR);
		gnutls_deinit(c->tls);
	}
	if (c->cred)
		gnutls_certificate_free_credentials(c->cred);
	if (c->fd >= 0)
		close(c->fd);
	free(c->secret);
	free(c->in);
}
