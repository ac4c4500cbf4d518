/* SPDX-License-Identifier: MIT */
/* idsctl -c ids+tls://USER@HOST:PORT [options] COMMAND...: TLS first, then
 * SASL, then one command; human output by default, --json for scripts.
 * Exit status and messages are listed in control/mgmt/PROTOCOL.md. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/mgmt/mgmt_frame.h"
#include "idsctl.h"

#define DEFAULT_CA "/etc/ids/pki/ca-cert.pem"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: idsctl -c ids+tls://USER@HOST[:PORT] [options] COMMAND [ARGS] [options]\n"
		"  -c, --connect URI       the management port (or $IDSCTL_URI)\n"
		"      --ca FILE           CA certificate to trust (default " DEFAULT_CA ")\n"
		"      --cert FILE         client certificate (with --key)\n"
		"      --key FILE          client private key\n"
		"      --mech MECH         SASL mechanism (SCRAM-SHA-256, PLAIN, GSSAPI, EXTERNAL)\n"
		"      --password-file F   read the password from F (else $IDSCTL_PASSWORD,\n"
		"                          else ask on the terminal)\n"
		"      --priority STR      GnuTLS priority string\n"
		"      --timeout S         network timeout in seconds (default 30)\n"
		"      --json              machine-readable output\n"
		"commands: status, stats, alerts [-n N] [--follow], rules list|stats|reload|failed,\n"
		"          rules stats --top N [--sort ticks|avgticks|checks|matches|maxticks],\n"
		"          ha status|demote|promote|release, config show, whoami, help\n"
		"options may also follow the command (idsctl status --json)\n"
		"exit: 0 ok, 1 command failed, 2 usage, 3 permission denied,\n"
		"      4 authentication failed, 5 TLS/certificate, 6 connection\n");
}

enum { O_CA = 256, O_CERT, O_KEY, O_MECH, O_PWFILE, O_PRIO, O_TIMEOUT, O_JSON };

static const struct option longopts[] = {
	{ "connect", required_argument, NULL, 'c' },
	{ "ca", required_argument, NULL, O_CA },
	{ "cert", required_argument, NULL, O_CERT },
	{ "key", required_argument, NULL, O_KEY },
	{ "mech", required_argument, NULL, O_MECH },
	{ "password-file", required_argument, NULL, O_PWFILE },
	{ "priority", required_argument, NULL, O_PRIO },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "json", no_argument, NULL, O_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One option (ch as getopt_long returns it) into o; *uri takes -c.
 * 0 or an idsctl_exit. */
static int apply_opt(int ch, char *arg, struct idsctl_opts *o, const char **uri)
{
	char *end;
	long v;

	switch (ch) {
	case 'c': *uri = arg; break;
	case O_CA: o->ca = arg; break;
	case O_CERT: o->cert = arg; break;
	case O_KEY: o->key = arg; break;
	case O_MECH: o->mech = arg; break;
	case O_PWFILE: o->password_file = arg; break;
	case O_PRIO: o->priority = arg; break;
	case O_JSON: o->json = true; break;
	case O_TIMEOUT:
		v = strtol(arg, &end, 10);
		if (*end || v < 1 || v > 3600) {
			fprintf(stderr, "idsctl: --timeout: 1 to 3600 seconds\n");
			return IDSCTL_USAGE;
		}
		o->timeout_s = (unsigned int)v;
		break;
	case 'h':
		usage(stdout);
		exit(IDSCTL_OK);
	default:
		usage(stderr);
		return IDSCTL_USAGE;
	}
	return 0;
}

/* idsctl's own long options among the command's words ("status --json",
 * "alerts -n 100 --json", "--timeout=5"), taken out of the command; the
 * other words ("-n 100", "--follow", "--top 5") are the command's and stay
 * in order. "--" ends the scan: what follows is the command's even if it
 * looks like ours. Returns 0 or an idsctl_exit. */
static int take_trailing_opts(struct idsctl_opts *o, const char **uri)
{
	int out = 0, rc;

	for (int i = 0; i < o->argc; i++) {
		char *w = o->argv[i], *val = NULL;
		const struct option *lo = NULL;
		size_t nlen;

		if (strcmp(w, "--") == 0) {
			while (++i < o->argc)
				o->argv[out++] = o->argv[i];
			break;
		}
		if (strncmp(w, "--", 2) == 0) {
			nlen = strcspn(w + 2, "=");
			for (const struct option *k = longopts; k->name && !lo; k++)
				if (strlen(k->name) == nlen && strncmp(k->name, w + 2, nlen) == 0)
					lo = k;
		}
		if (!lo) {
			o->argv[out++] = w;
			continue;
		}
		if (w[2 + nlen] == '=')
			val = w + 3 + nlen;
		if (lo->has_arg == required_argument && !val) {
			if (i + 1 >= o->argc) {
				fprintf(stderr, "idsctl: %s needs a value\n", w);
				return IDSCTL_USAGE;
			}
			val = o->argv[++i];
		} else if (lo->has_arg == no_argument && val) {
			fprintf(stderr, "idsctl: --%s takes no value\n", lo->name);
			return IDSCTL_USAGE;
		}
		rc = apply_opt(lo->val, val, o, uri);
		if (rc)
			return rc;
	}
	o->argc = out;
	return 0;
}

static int parse_args(int argc, char **argv, struct idsctl_opts *o)
{
	const char *uri = getenv("IDSCTL_URI");
	int ch, rc;

	o->ca = DEFAULT_CA;
	o->timeout_s = 30;
	/* "+": options stop at the command, so "alerts -n 5" reaches the server;
	 * idsctl's own long options after it are taken out below */
	while ((ch = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
		rc = apply_opt(ch, optarg, o, &uri);
		if (rc)
			return rc;
	}
	o->argc = argc - optind;
	o->argv = argv + optind;
	rc = take_trailing_opts(o, &uri);
	if (rc)
		return rc;
	if (!uri || o->argc == 0) {
		fprintf(stderr, "idsctl: %s\n", !uri ? "no -c URI" : "no command");
		usage(stderr);
		return IDSCTL_USAGE;
	}
	if (!o->cert != !o->key) {
		fprintf(stderr, "idsctl: --cert and --key go together\n");
		return IDSCTL_USAGE;
	}
	return idsctl_parse_uri(uri, o);
}

static int status_exit(uint8_t st)
{
	switch (st) {
	case MGMT_ST_OK:
		return IDSCTL_OK;
	case MGMT_ST_DENIED:
		return IDSCTL_DENIED;
	default:
		return IDSCTL_FAILED;
	}
}

int idsctl_command(struct idsctl *c)
{
	uint8_t req[MGMT_REQ_MAX_ARGS * (MGMT_REQ_MAX_ARG + 1) + 1];
	const uint8_t *p;
	uint8_t last = '\n';	/* the last byte of the body written */
	size_t n;
	int len, t;

	len = mgmt_request_encode(c->o->json ? MGMT_REQ_JSON : 0, c->o->argc, c->o->argv, req,
				  sizeof(req));
	if (len < 0) {
		fprintf(stderr, "idsctl: command too long or with control characters (at most "
			"%d words of %d bytes)\n", MGMT_REQ_MAX_ARGS, MGMT_REQ_MAX_ARG);
		return IDSCTL_USAGE;
	}
	if (idsctl_send(c, MGMT_F_REQUEST, req, (size_t)len, NULL, 0))
		return IDSCTL_CONN;
	for (;;) {
		t = idsctl_recv(c, &p, &n);
		switch (t) {
		case MGMT_F_STREAM:
			fwrite(p, 1, n, stdout);
			fputc('\n', stdout);
			fflush(stdout);
			continue;
		case MGMT_F_PART:
			/* a large reply's leading part; the REPLY carries the rest */
			fwrite(p, 1, n, stdout);
			if (n > 0)
				last = p[n - 1];
			continue;
		case MGMT_F_REPLY:
			if (n < 1) {
				fprintf(stderr, "idsctl: protocol error: empty reply\n");
				return IDSCTL_CONN;
			}
			if (p[0] == MGMT_ST_OK) {
				fwrite(p + 1, 1, n - 1, stdout);
				if (n > 1)
					last = p[n - 1];
				if (last != '\n')
					fputc('\n', stdout);
			} else {
				fprintf(stderr, "idsctl: %.*s\n", (int)(n - 1), (const char *)p + 1);
			}
			return status_exit(p[0]);
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

int main(int argc, char **argv)
{
	struct idsctl_opts o = { 0 };
	struct idsctl c = { .o = &o, .fd = -1 };
	int rc;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;
	c.in_cap = MGMT_FRAME_MAX_DEFAULT * 16 + MGMT_FRAME_HDR;
	c.in = malloc(c.in_cap);
	if (!c.in)
		return IDSCTL_FAILED;
	rc = idsctl_connect(&c);
	if (!rc)
		rc = idsctl_auth(&c);
	if (!rc)
		rc = idsctl_command(&c);
	idsctl_close(&c);
	return rc;
}
