/* SPDX-License-Identifier: MIT */
/* The verdict Suricata 7 gives a TLS peer's first certificate: which of its
 * tls.certificate_* / tls.invalid_certificate events a DER certificate
 * raises. A bounded DER walker of our own (GnuTLS stays out of it). */
#ifndef IDS_TLS_X509_H
#define IDS_TLS_X509_H

#include <stdint.h>

/* The tls event (enum tls_event) that Suricata 7 raises when it decodes the
 * certificate der[0, len) and reads its subject and issuer, or TLS_EV_MAX
 * when it decodes cleanly. Reads only der[0, len); work is linear in len. */
unsigned tls_x509_check(const uint8_t *der, uint32_t len);

#endif
