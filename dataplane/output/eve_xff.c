/* SPDX-License-Identifier: MIT */
/* X-Forwarded-For for alert and http records, as Suricata's xff option:
 * the client address a proxy put in a request header, logged beside the
 * packet's addresses (extra-data) or in place of the client's one
 * (overwrite). */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "eve-int.h"

/* One list element, spaces trimmed, "[v6]:port" and "v4:port" reduced to
 * the address. Returns its IP version, 0 when it is not an address. */
static int xff_element(const char *s, size_t n, char *out, size_t outlen)
{
	uint8_t bin[16];
	const char *colon;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close == NULL)
			return 0;
		n = (size_t)(close - s - 1);
		s++;
	} else if ((colon = memchr(s, ':', n)) != NULL &&
		   memchr(colon + 1, ':', n - (size_t)(colon + 1 - s)) == NULL) {
		n = (size_t)(colon - s);	/* one colon: IPv4 with a port */
	}
	if (n == 0 || n >= outlen)
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	if (inet_pton(AF_INET, out, bin) == 1)
		return 4;
	if (inet_pton(AF_INET6, out, bin) == 1)
		return 6;
	return 0;
}

int eve_xff_pick(const char *value, bool forward, char *out, size_t outlen)
{
	const char *start, *end;

	if (value == NULL)
		return 0;
	/* forward proxies append: the client is the first; a reverse proxy
	 * in front of the server appended the last one */
	if (forward) {
		start = value;
		end = strchr(value, ',');
		if (end == NULL)
			end = value + strlen(value);
	} else {
		start = strrchr(value, ',');
		start = start ? start + 1 : value;
		end = value + strlen(value);
	}
	return xff_element(start, (size_t)(end - start), out, outlen);
}

/* The value of this output's header: from the request's header list when
 * it is given (outputs naming different headers: each finds its own; the
 * first APP_HTTP_HDRS_MAX headers), else the one header the workers
 * extracted, which is then the only one configured. */
static const char *xff_value(const struct eve_xff *x, const struct app_http_info *h, char *tmp,
			     size_t tmplen)
{
	size_t name = strlen(x->header);

	if (h->nhdrs[0] == 0)
		return h->xff;
	for (uint32_t i = 0; i < h->nhdrs[0]; i++) {
		const struct app_http_hdr *e = &h->hdrs[0][i];
		size_t n = e->vlen < tmplen - 1 ? e->vlen : tmplen - 1;

		if (e->nlen != name || strncasecmp(e->name, x->header, name) != 0)
			continue;
		memcpy(tmp, e->value, n);
		tmp[n] = '\0';
		return tmp;
	}
	return NULL;
}

void eve_xff_resolve(const struct eve_xff *x, const struct app_http_info *h, uint8_t ip_ver,
		     char *buf, size_t buflen, const char **client, const char **extra)
{
	char value[512];
	int ver;

	*client = *extra = NULL;
	if (!x->enabled || h == NULL)
		return;
	ver = eve_xff_pick(xff_value(x, h, value, sizeof(value)), x->forward, buf, buflen);
	/* an address of the other IP version cannot stand in for the
	 * packet's: Suricata logs it as extra data then */
	if (ver != 0 && x->overwrite && ver == ip_ver)
		*client = buf;
	else if (ver != 0)
		*extra = buf;
}
