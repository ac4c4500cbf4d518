/* SPDX-License-Identifier: MIT */
/* TLS channel binding for SCRAM-*-PLUS, computed alike on both ends. */
#ifndef IDS_MGMT_CBIND_H
#define IDS_MGMT_CBIND_H

#include <stddef.h>
#include <stdint.h>

#include <gnutls/gnutls.h>

/* After the handshake: "tls-exporter" (RFC 9266) on TLS 1.3, "tls-unique"
 * (RFC 5929) on TLS 1.2, with its data in buf (*len in: size, out: used).
 * Returns the binding's name, or NULL if GnuTLS cannot give one. */
const char *mgmt_tls_cbind(gnutls_session_t s, uint8_t *buf, size_t *len);

#endif
