// SPDX-License-Identifier: MIT
/* The app-layer settings: Suricata's defaults (its stock suricata.yaml) and
 * the detection-port lists of app-layer.protocols.*.detection-ports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applayer.h"

void applayer_config_init(struct applayer_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->set = true;
	cfg->request_body_limit = 100u * 1024u;
	cfg->response_body_limit = 100u * 1024u;
	cfg->request_inspect_min = 32u * 1024u;
	cfg->response_inspect_min = 40u * 1024u;
	cfg->request_inspect_window = 4u * 1024u;
	cfg->response_inspect_window = 16u * 1024u;
	cfg->decompress_layer_limit = 2;
	cfg->http_max_tx = 512;
	for (int t = 0; t < 2; t++) {
		cfg->dns_dp[t] = (struct app_ports){ .n = 1, .lo = { 53 }, .hi = { 53 } };
		cfg->dns_sp[t] = (struct app_ports){ 0 };
	}
}

/* One decimal port at *s; advances *s. -1 when none or out of range. */
static long port_num(const char **s)
{
	char *end;
	long v;

	while (**s == ' ')
		(*s)++;
	if (**s < '0' || **s > '9')
		return -1;
	v = strtol(*s, &end, 10);
	*s = end;
	while (**s == ' ')
		(*s)++;
	return v <= 65535 ? v : -1;
}

/* "N", "N:M", "N:" or ":M", separated by commas, optionally in brackets
 * (Suricata's detection-ports take the rule port syntax without negation). */
int app_ports_parse(const char *s, struct app_ports *out, char *err, size_t errlen)
{
	const char *p = s;
	bool bracket;

	memset(out, 0, sizeof(*out));
	while (*p == ' ')
		p++;
	bracket = *p == '[';
	p += bracket;
	for (;;) {
		long lo, hi;

		while (*p == ' ')
			p++;
		if (*p == ':') {
			lo = 0;
		} else if ((lo = port_num(&p)) < 0) {
			goto bad;
		}
		hi = lo;
		if (*p == ':') {
			p++;
			while (*p == ' ')
				p++;
			hi = (*p == ',' || *p == ']' || *p == '\0') ? 65535 : port_num(&p);
			if (hi < lo)
				goto bad;
		}
		if (out->n == APP_PORTS_MAX) {
			snprintf(err, errlen, "more than %d port ranges in '%s'", APP_PORTS_MAX, s);
			return -EINVAL;
		}
		out->lo[out->n] = (uint16_t)lo;
		out->hi[out->n] = (uint16_t)hi;
		out->n++;
		if (*p != ',')
			break;
		p++;
	}
	if (bracket && *p++ != ']')
		goto bad;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return 0;
bad:
	snprintf(err, errlen, "expected ports such as 53, [53, 5353] or 1024:, got '%s'", s);
	return -EINVAL;
}

bool app_ports_has(const struct app_ports *ps, uint16_t port)
{
	for (uint8_t i = 0; i < ps->n; i++)
		if (port >= ps->lo[i] && port <= ps->hi[i])
			return true;
	return false;
}
