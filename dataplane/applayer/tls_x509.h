/* SPDX-License-Identifier: MIT */
/* A TLS peer's first certificate as Suricata 7 reads it: which of its
 * tls.certificate_* / tls.invalid_certificate events a DER certificate
 * raises, and the fields it logs and matches (subject and issuer DN,
 * serial, validity, subjectAltName). A bounded DER walker of our own: the
 * dataplane links no TLS library. */
#ifndef IDS_TLS_X509_H
#define IDS_TLS_X509_H

#include <stdbool.h>
#include <stdint.h>

/* The walked certificate. Pointers are into the DER given to
 * tls_x509_parse, valid as long as it is. */
struct tls_x509_cert {
	unsigned event;               /* TLS_EV_MAX: decoded cleanly; else the
				       * event Suricata 7 raises on it */
	bool decoded;                 /* the fields below were read (a clean
				       * certificate, or one whose only fault is
				       * a NUL in its subject or issuer) */
	const uint8_t *subject, *issuer;  /* the Names' contents */
	uint32_t subject_len, issuer_len;
	const uint8_t *serial;        /* the serialNumber INTEGER's contents */
	uint32_t serial_len;
	int64_t not_before, not_after; /* seconds since the epoch, UTC */
	const uint8_t *san;           /* the subjectAltName GeneralNames'
				       * contents, NULL: no such extension */
	uint32_t san_len;
};

/* Walks der[0, len): reads only there, work linear in len. */
void tls_x509_parse(const uint8_t *der, uint32_t len, struct tls_x509_cert *c);

/* The event Suricata 7 raises on the certificate (tls_x509_parse's
 * event), TLS_EV_MAX when it decodes cleanly. */
unsigned tls_x509_check(const uint8_t *der, uint32_t len);

/* The Name's contents name[0, len) as Suricata 7 prints a DN
 * (x509-parser's X509Name Display): "C=US, O=Org, CN=host", RDNs in
 * encoded order joined by ", ", the attributes of one RDN by " + ", each
 * type by its abbreviation or short name (else "OID(2.5.4.97)"), string
 * values as text, other values in upper-case hex; a string that does not
 * decode gives "<X509Error: Invalid X.509 name>". Returns a malloc'd
 * NUL-terminated string (*out_len its bytes, which may hold a NUL), or
 * NULL when out of memory. */
char *tls_x509_name(const uint8_t *name, uint32_t len, uint32_t *out_len);

/* subjectAltName entries (RFC 5280 4.2.1.6) that name the host: DNS names
 * as written, IP addresses as Suricata 8 (the first with tls.subjectaltname)
 * writes them, each byte in decimal: "[192, 0, 2, 1]"; the others are
 * passed over. */
struct tls_x509_san_iter {
	const uint8_t *p;
	uint32_t len, off;
};
/* Starts at the cert's SAN (none: the iteration is empty). */
void tls_x509_san_begin(const struct tls_x509_cert *c, struct tls_x509_san_iter *it);
/* The next entry's text in out[0, outsz) (NUL-terminated; one that does
 * not fit is passed over), its length in *n. false: no more. */
bool tls_x509_san_next(struct tls_x509_san_iter *it, char *out, uint32_t outsz, uint32_t *n);

#endif
