/* SPDX-License-Identifier: MIT */
/* idsctl's SASL client: pick a mechanism from the server's HELLO, run the
 * exchange, and check the server's final message (SCRAM proves the server
 * knows the password too). SCRAM-*-PLUS binds to this TLS session. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "control/mgmt/mgmt_cbind.h"
#include "control/mgmt/mgmt_frame.h"
#include "idsctl.h"

typedef int (*sasl_cb_fn)(void);

int idsctl_password(const struct idsctl_opts *o, char *buf, size_t len)
{
	const char *env = getenv("IDSCTL_PASSWORD");
	struct termios old, quiet;
	FILE *f;
	int fd;

	if (o->password_file || !env) {
		if (o->password_file) {
			f = fopen(o->password_file, "r");
			if (!f) {
				fprintf(stderr, "idsctl: password file %s: %s\n", o->password_file,
					strerror(errno));
				return -1;
			}
		} else {
			fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
			if (fd < 0 || !(f = fdopen(fd, "r+"))) {
				fprintf(stderr, "idsctl: no terminal to ask the password on "
					"(use --password-file or IDSCTL_PASSWORD)\n");
				if (fd >= 0)
					close(fd);
				return -1;
			}
			fprintf(f, "Password for %s@%s: ", o->user, o->host);
			fflush(f);
			tcgetattr(fd, &old);
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(fd, TCSAFLUSH, &quiet);
		}
		if (!fgets(buf, (int)len, f))
			buf[0] = '\0';
		if (!o->password_file) {
			tcsetattr(fileno(f), TCSAFLUSH, &old);
			fputc('\n', f);
		}
		fclose(f);
	} else {
		snprintf(buf, len, "%s", env);
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int cb_user(void *ctx, int id, const char **result, unsigned *len)
{
	struct idsctl *c = ctx;

	/* The authorization id is the authentication id, so it goes empty;
	 * except for EXTERNAL, where the certificate authenticates and the
	 * URI's user is who we claim to be (the server checks they agree). */
	*result = id == SASL_CB_AUTHNAME || c->external ? c->o->user : "";
	if (len)
		*len = (unsigned)strlen(*result);
	return SASL_OK;
}

static int cb_pass(sasl_conn_t *conn, void *ctx, int id, sasl_secret_t **psecret)
{
	struct idsctl *c = ctx;
	char pw[1024];
	size_t n;

	(void)conn;
	(void)id;
	if (!c->secret) {
		if (idsctl_password(c->o, pw, sizeof(pw)))
			return SASL_FAIL;
		n = strlen(pw);
		c->secret = malloc(sizeof(sasl_secret_t) + n + 1);
		if (!c->secret)
			return SASL_NOMEM;
		c->secret->len = n;
		memcpy(c->secret->data, pw, n + 1);
		explicit_bzero(pw, sizeof(pw));
	}
	*psecret = c->secret;
	return SASL_OK;
}

static void ip_port(int fd, bool local, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "";
	unsigned int port = 0;

	buf[0] = '\0';
	if ((local ? getsockname(fd, (struct sockaddr *)&ss, &sl) :
		     getpeername(fd, (struct sockaddr *)&ss, &sl)) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	} else {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	snprintf(buf, len, "%s;%u", host, port);
}

static bool offered(const char *list, const char *mech)
{
	size_t n = strlen(mech);

	for (const char *p = list; *p;) {
		size_t w = strcspn(p, " ");

		if (w == n && strncmp(p, mech, n) == 0)
			return true;
		p += w;
		p += strspn(p, " ");
	}
	return false;
}

/* --mech, or the best password mechanism the server offers. */
static const char *choose_mech(const struct idsctl_opts *o, const char *list)
{
	static const char *const pref[] = {
		"SCRAM-SHA-256-PLUS", "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-512",
		"SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN",
	};

	if (o->mech) {
		char plus[64];

		/* asking for SCRAM-SHA-256 means "with channel binding if offered" */
		snprintf(plus, sizeof(plus), "%s-PLUS", o->mech);
		if (strncmp(o->mech, "SCRAM-", 6) == 0 && !strstr(o->mech, "-PLUS") &&
		    offered(list, plus))
			return strstr(list, plus);
		return offered(list, o->mech) ? o->mech : NULL;
	}
	for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++)
		if (offered(list, pref[i]))
			return pref[i];
	return NULL;
}

static int sasl_setup(struct idsctl *c, const char *mech)
{
	const struct idsctl_opts *o = c->o;
	sasl_security_properties_t sec = {
		.max_ssf = 0,			/* TLS protects the stream */
		.security_flags = SASL_SEC_NOANONYMOUS,
	};
	sasl_ssf_t ssf = (sasl_ssf_t)gnutls_cipher_get_key_size(gnutls_cipher_get(c->tls)) * 8;
	char local[80], remote[80];
	size_t cblen = sizeof(c->cbind_data);
	const char *cbname;
	int rc;

	c->cbs[0] = (sasl_callback_t){ SASL_CB_USER, (sasl_cb_fn)(void (*)(void))cb_user, c };
	c->cbs[1] = (sasl_callback_t){ SASL_CB_AUTHNAME, (sasl_cb_fn)(void (*)(void))cb_user, c };
	c->cbs[2] = (sasl_callback_t){ SASL_CB_PASS, (sasl_cb_fn)(void (*)(void))cb_pass, c };
	c->cbs[3] = (sasl_callback_t){ SASL_CB_LIST_END, NULL, NULL };
	rc = sasl_client_init(NULL);
	if (rc != SASL_OK) {
		fprintf(stderr, "idsctl: SASL init failed: %s\n", sasl_errstring(rc, NULL, NULL));
		return IDSCTL_AUTH;
	}
	ip_port(c->fd, true, local, sizeof(local));
	ip_port(c->fd, false, remote, sizeof(remote));
	rc = sasl_client_new("ids", o->host, local, remote, c->cbs, 0, &c->sasl);
	if (rc != SASL_OK ||
	    sasl_setprop(c->sasl, SASL_SSF_EXTERNAL, &ssf) != SASL_OK ||
	    sasl_setprop(c->sasl, SASL_SEC_PROPS, &sec) != SASL_OK) {
		fprintf(stderr, "idsctl: SASL setup failed\n");
		return IDSCTL_AUTH;
	}
	c->external = strcmp(mech, "EXTERNAL") == 0;
	if (c->external &&
	    sasl_setprop(c->sasl, SASL_AUTH_EXTERNAL, o->user[0] ? o->user : "client") !=
		    SASL_OK)
		return IDSCTL_AUTH;
	if (strstr(mech, "-PLUS")) {
		cbname = mgmt_tls_cbind(c->tls, c->cbind_data, &cblen);
		if (!cbname) {
			fprintf(stderr, "idsctl: no TLS channel binding for %s\n", mech);
			return IDSCTL_AUTH;
		}
		c->cbind = (sasl_channel_binding_t){ cbname, 1, cblen, c->cbind_data };
		if (sasl_setprop(c->sasl, SASL_CHANNEL_BINDING, &c->cbind) != SASL_OK)
			return IDSCTL_AUTH;
	}
	return IDSCTL_OK;
}

static int sasl_failed(struct idsctl *c, const char *mech, int rc)
{
	const char *detail = sasl_errdetail(c->sasl);

	if (strcmp(mech, "GSSAPI") == 0)
		fprintf(stderr, "idsctl: authentication failed: %s (Kerberos needs a ticket "
			"(kinit) and a principal ids/%s@REALM for the exact host name used "
			"in the URI)\n", detail, c->o->host);
	else if (rc == SASL_BADAUTH || rc == SASL_BADSERV)
		fprintf(stderr, "idsctl: authentication failed: the server's proof did not "
			"verify (%s)\n", detail);
	else
		fprintf(stderr, "idsctl: authentication failed: %s\n", detail);
	return IDSCTL_AUTH;
}

int idsctl_auth(struct idsctl *c)
{
	const uint8_t *p;
	const char *out = NULL, *mech;
	char list[512];
	unsigned int outlen = 0;
	size_t n;
	int t, rc;

	t = idsctl_recv(c, &p, &n);
	if (t == -2)
		return IDSCTL_TLS;
	if (t == MGMT_F_ERROR) {
		fprintf(stderr, "idsctl: refused by the server: %.*s\n", (int)n, (const char *)p);
		return IDSCTL_TLS;
	}
	if (t != MGMT_F_HELLO || n < sizeof(MGMT_PROTO_NAME) ||
	    memcmp(p, MGMT_PROTO_NAME " ", sizeof(MGMT_PROTO_NAME)) != 0 ||
	    n - sizeof(MGMT_PROTO_NAME) >= sizeof(list)) {
		if (t >= 0)
			fprintf(stderr, "idsctl: not an ids management port (no %s greeting)\n",
				MGMT_PROTO_NAME);
		return IDSCTL_CONN;
	}
	memcpy(list, p + sizeof(MGMT_PROTO_NAME), n - sizeof(MGMT_PROTO_NAME));
	list[n - sizeof(MGMT_PROTO_NAME)] = '\0';
	mech = choose_mech(c->o, list);
	if (!mech) {
		fprintf(stderr, "idsctl: authentication failed: mechanism %s not offered "
			"(server offers: %s)\n", c->o->mech ? c->o->mech : "for passwords",
			list[0] ? list : "none");
		return IDSCTL_AUTH;
	}
	n = strcspn(mech, " ");
	{
		char chosen[64];

		snprintf(chosen, sizeof(chosen), "%.*s", (int)n, mech);
		rc = sasl_setup(c, chosen);
		if (rc)
			return rc;
		rc = sasl_client_start(c->sasl, chosen, NULL, &out, &outlen, &mech);
		if (rc != SASL_OK && rc != SASL_CONTINUE)
			return sasl_failed(c, chosen, rc);
		if (idsctl_send(c, MGMT_F_AUTH_START, chosen, strlen(chosen) + (out ? 1 : 0),
				out, outlen))
			return IDSCTL_CONN;
	}
	for (;;) {
		t = idsctl_recv(c, &p, &n);
		switch (t) {
		case MGMT_F_CHALLENGE:
			rc = sasl_client_step(c->sasl, (const char *)p, (unsigned)n, NULL, &out,
					      &outlen);
			if (rc != SASL_OK && rc != SASL_CONTINUE)
				return sasl_failed(c, mech, rc);
			if (idsctl_send(c, MGMT_F_AUTH_STEP, out, outlen, NULL, 0))
				return IDSCTL_CONN;
			break;
		case MGMT_F_AUTH_OK:
			/* the server's last word must verify (SCRAM's server signature) */
			if (n || rc == SASL_CONTINUE) {
				rc = sasl_client_step(c->sasl, (const char *)p, (unsigned)n, NULL,
						      &out, &outlen);
				if (rc != SASL_OK)
					return sasl_failed(c, mech, rc);
			}
			return IDSCTL_OK;
		case MGMT_F_AUTH_FAIL:
			fprintf(stderr, "idsctl: %.*s\n", (int)n, (const char *)p);
			return IDSCTL_AUTH;
		case MGMT_F_ERROR:
			fprintf(stderr, "idsctl: server error: %.*s\n", (int)n, (const char *)p);
			return IDSCTL_CONN;
		case -1:
			return IDSCTL_CONN;
		default:
			fprintf(stderr, "idsctl: protocol error: unexpected frame '%c'\n", t);
			return IDSCTL_CONN;
		}
	}
}
