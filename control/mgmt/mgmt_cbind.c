/* SPDX-License-Identifier: MIT */
/* TLS channel binding data (see mgmt_cbind.h). */
#include <string.h>

#include "mgmt_cbind.h"

const char *mgmt_tls_cbind(gnutls_session_t s, uint8_t *buf, size_t *len)
{
	gnutls_channel_binding_t type = GNUTLS_CB_TLS_UNIQUE;
	const char *name = "tls-unique";
	gnutls_datum_t cb;

	if (gnutls_protocol_get_version(s) == GNUTLS_TLS1_3) {
		type = GNUTLS_CB_TLS_EXPORTER;
		name = "tls-exporter";
	}
	if (gnutls_session_channel_binding(s, type, &cb) < 0)
		return NULL;
	if (cb.size > *len) {
		gnutls_free(cb.data);
		return NULL;
	}
	memcpy(buf, cb.data, cb.size);
	*len = cb.size;
	gnutls_free(cb.data);
	return name;
}
