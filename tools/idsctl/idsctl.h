/* SPDX-License-Identifier: MIT */
/* idsctl: the operator's client of the management port. */
#ifndef IDS_IDSCTL_H
#define IDS_IDSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gnutls/gnutls.h>
#include <sasl/sasl.h>

/* Exit statuses (PROTOCOL.md lists them too). */
enum idsctl_exit {
	IDSCTL_OK = 0,
	IDSCTL_FAILED = 1,		/* the command failed or was malformed */
	IDSCTL_USAGE = 2,		/* bad idsctl arguments */
	IDSCTL_DENIED = 3,		/* permission denied: the role is too low */
	IDSCTL_AUTH = 4,		/* authentication failed */
	IDSCTL_TLS = 5,			/* TLS failed: certificate not trusted, refused */
	IDSCTL_CONN = 6,		/* connection refused, timeout, protocol error */
};

struct idsctl_opts {
	char user[256];
	char host[256];
	char port[8];
	const char *ca, *cert, *key, *mech, *password_file, *priority;
	bool json;
	unsigned int timeout_s;
	int argc;			/* the command */
	char **argv;
};

struct idsctl {
	const struct idsctl_opts *o;
	int fd;
	gnutls_certificate_credentials_t cred;
	gnutls_session_t tls;
	sasl_conn_t *sasl;
	sasl_callback_t cbs[4];
	sasl_secret_t *secret;
	bool external;			/* EXTERNAL: the user is sent as authzid */
	sasl_channel_binding_t cbind;
	uint8_t cbind_data[64];
	uint8_t *in;			/* received bytes, max frame + header */
	size_t in_len, in_off, in_cap;
};

/* Each returns an idsctl_exit; on failure it has printed one line saying why. */
int idsctl_parse_uri(const char *uri, struct idsctl_opts *o);
int idsctl_connect(struct idsctl *c);
int idsctl_auth(struct idsctl *c);
int idsctl_command(struct idsctl *c);
void idsctl_close(struct idsctl *c);

/* Frame I/O over the TLS session (blocking, with the socket's timeout).
 * recv returns the frame type with *p, *n pointing into c->in, -2 if the
 * server ended TLS with an alert (reason printed), or -1. */
int idsctl_send(struct idsctl *c, uint8_t type, const void *a, size_t an, const void *b,
		size_t bn);
int idsctl_recv(struct idsctl *c, const uint8_t **p, size_t *n);

/* The password: --password-file, then $IDSCTL_PASSWORD, then the terminal. */
int idsctl_password(const struct idsctl_opts *o, char *buf, size_t len);

#endif
