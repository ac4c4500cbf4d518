/* SPDX-License-Identifier: MIT */
/* Event name tables, generated from the lists in events-t.h so names and
 * ids cannot drift apart. */
#include <string.h>

#include "events.h"

#define EV_X_NAME(id, name) name,
static const char *const pkt_names[] = { EV_STREAM_LIST(EV_X_NAME) EV_APPLAYER_LIST(EV_X_NAME) };
static const char *const http_names[] = { EV_HTTP_LIST(EV_X_NAME) };
static const char *const tls_names[] = { EV_TLS_LIST(EV_X_NAME) };
static const char *const dns_names[] = { EV_DNS_LIST(EV_X_NAME) };
static const char *const smtp_names[] = { EV_SMTP_LIST(EV_X_NAME) };
static const char *const ssh_names[] = { EV_SSH_LIST(EV_X_NAME) };
#undef EV_X_NAME

static const struct {
	const char *const *names;
	unsigned n;
} families[EVF_MAX] = {
	[EVF_PKT] = { pkt_names, PEV_MAX },
	[EVF_HTTP] = { http_names, HTTP_EV_MAX },
	[EVF_TLS] = { tls_names, TLS_EV_MAX },
	[EVF_DNS] = { dns_names, DNS_EV_MAX },
	[EVF_SMTP] = { smtp_names, SMTP_EV_MAX },
	[EVF_SSH] = { ssh_names, SSH_EV_MAX },
};

int event_find(enum event_family fam, const char *name)
{
	if ((unsigned)fam >= EVF_MAX)
		return -1;
	for (unsigned i = 0; i < families[fam].n; i++)
		if (strcmp(families[fam].names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *event_name(enum event_family fam, unsigned id)
{
	if ((unsigned)fam >= EVF_MAX || id >= families[fam].n)
		return NULL;
	return families[fam].names[id];
}
