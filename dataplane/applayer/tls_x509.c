// SPDX-License-Identifier: MIT
/* An X.509 certificate (RFC 5280 4.1) walked as Suricata 7 decodes it
 * (rs_x509_decode: x509-parser's X509Certificate::from_der, its error mapped
 * by x509_parse_error_to_errcode; then rs_x509_get_subject/_issuer, whose C
 * strings cannot hold a NUL). Each field's failure gives the event that
 * parser names for it:
 *
 *   Certificate ::= SEQUENCE {                   outer header: length / der
 *     tbsCertificate SEQUENCE {                  header: length / der
 *       version [0] EXPLICIT INTEGER OPTIONAL    certificate_invalid_version
 *       serialNumber INTEGER                     certificate_invalid_serial
 *       signature AlgorithmIdentifier            ..._algorithmidentifier
 *       issuer Name                              certificate_invalid_x509name
 *       validity SEQUENCE { Time, Time }         header: length / der; a Time:
 *                                                certificate_invalid_date
 *       subject Name                             certificate_invalid_x509name
 *       subjectPublicKeyInfo SEQUENCE {          header: length / der
 *         AlgorithmIdentifier, BIT STRING }      ..._algorithmidentifier /
 *                                                invalid_certificate
 *       issuerUniqueID [1], subjectUniqueID [2]  invalid_certificate
 *       extensions [3] EXPLICIT SEQUENCE OF      certificate_invalid_extensions
 *         SEQUENCE { OID, BOOLEAN DEFAULT FALSE, OCTET STRING } }
 *     signatureAlgorithm AlgorithmIdentifier     ..._algorithmidentifier
 *     signatureValue BIT STRING }                invalid_certificate
 *   then a subject / issuer string with a NUL    certificate_invalid_subject /
 *                                                ..._issuer
 *
 * "length" is a header whose length runs past its container (the parser's
 * Incomplete: certificate_invalid_length), "der" one that is not DER (a
 * wrong tag, the indefinite form, a length of more than 4 bytes:
 * certificate_invalid_der). Every read is bounded by its container and each
 * byte is visited a fixed number of times: work is linear in the length. */
#include <stdbool.h>
#include <string.h>

#include "../../common/events-t.h"
#include "tls_x509.h"

#define X509_OK TLS_EV_MAX

enum der_rc { DER_OK, DER_SHORT, DER_BAD };

enum {
	ID_BOOLEAN = 0x01, ID_INTEGER = 0x02, ID_BIT_STRING = 0x03, ID_OCTET_STRING = 0x04,
	ID_OID = 0x06, ID_UTCTIME = 0x17, ID_GENTIME = 0x18, ID_SEQUENCE = 0x30,
	ID_SET = 0x31, ID_CTX0 = 0xa0, ID_CTX3 = 0xa3,
};

struct der {
	const uint8_t *p;
	uint32_t len, off;
};

/* One TLV: its identifier octet (class, constructed bit, low tag) and its
 * contents. */
struct tlv {
	uint8_t id;
	const uint8_t *v;
	uint32_t len;
};

static struct der inside(const struct tlv *t)
{
	return (struct der){ t->v, t->len, 0 };
}

static bool at_end(const struct der *d)
{
	return d->off >= d->len;
}

/* X.690 8.1.2-8.1.3 (DER: definite lengths only) */
static enum der_rc der_next(struct der *d, struct tlv *t)
{
	const uint8_t *p = d->p + d->off;
	uint32_t left = d->len - d->off, pos = 1, l;

	if (left < 2)
		return DER_SHORT;
	t->id = p[0];
	if ((p[0] & 0x1f) == 0x1f) {	/* high tag number: base-128 octets */
		for (uint32_t n = 0; ; n++) {
			if (pos >= left)
				return DER_SHORT;
			if (n == 4)
				return DER_BAD;
			if (!(p[pos++] & 0x80))
				break;
		}
	}
	if (pos >= left)
		return DER_SHORT;
	l = p[pos++];
	if (l & 0x80) {
		uint32_t n = l & 0x7f;

		if (n == 0 || n > 4)
			return DER_BAD;
		if (left - pos < n)
			return DER_SHORT;
		for (l = 0; n > 0; n--)
			l = l << 8 | p[pos++];
	}
	if (l > left - pos)
		return DER_SHORT;
	t->v = p + pos;
	t->len = l;
	d->off += pos + l;
	return DER_OK;
}

static bool take(struct der *d, uint8_t id, struct tlv *t)
{
	return der_next(d, t) == DER_OK && t->id == id;
}

/* A SEQUENCE whose header is read outside a mapped field: Incomplete or a
 * DER error. */
static unsigned seq_header(struct der *d, struct tlv *t)
{
	enum der_rc rc = der_next(d, t);

	if (rc == DER_SHORT)
		return TLS_EV_CERTIFICATE_INVALID_LENGTH;
	if (rc == DER_BAD || t->id != ID_SEQUENCE)
		return TLS_EV_CERTIFICATE_INVALID_DER;
	return X509_OK;
}

/* AlgorithmIdentifier (4.1.1.2): SEQUENCE { OID, parameters ANY OPTIONAL } */
static bool alg_id(struct der *d)
{
	struct tlv s, o;
	struct der in;

	if (!take(d, ID_SEQUENCE, &s))
		return false;
	in = inside(&s);
	return take(&in, ID_OID, &o) && o.len > 0;
}

/* BIT STRING (X.690 8.6): the unused-bits octet, 0 to 7. */
static bool bit_string(struct der *d)
{
	struct tlv t;

	return take(d, ID_BIT_STRING, &t) && t.len >= 1 && t.v[0] <= 7 &&
	       (t.len > 1 || t.v[0] == 0);
}

/* Name (4.1.2.4): SEQUENCE OF RelativeDistinguishedName, each a SET of
 * one or more SEQUENCE { type OID, value ANY }. */
static bool name(struct der *d, struct tlv *out)
{
	struct der seq, set, atv;
	struct tlv rdn, a, t;

	if (!take(d, ID_SEQUENCE, out))
		return false;
	seq = inside(out);
	while (!at_end(&seq)) {
		if (!take(&seq, ID_SET, &rdn) || rdn.len == 0)
			return false;
		set = inside(&rdn);
		while (!at_end(&set)) {
			if (!take(&set, ID_SEQUENCE, &a))
				return false;
			atv = inside(&a);
			if (!take(&atv, ID_OID, &t) || der_next(&atv, &t) != DER_OK)
				return false;
		}
	}
	return true;
}

static bool num(const uint8_t *p, uint32_t n, uint32_t lo, uint32_t hi)
{
	uint32_t v = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (uint32_t)(p[i] - '0');
	}
	return v >= lo && v <= hi;
}

/* Time (4.1.2.5): UTCTime YYMMDDHHMM[SS] or GeneralizedTime
 * YYYYMMDDHHMM[SS[.f+]], then Z or +-HHMM, each field in its range (seconds
 * may be missing: x509-parser takes such malformed dates). */
static bool asn1_time(struct der *d)
{
	struct tlv t;
	uint32_t y, pos;

	if (der_next(d, &t) != DER_OK || (t.id != ID_UTCTIME && t.id != ID_GENTIME))
		return false;
	y = t.id == ID_UTCTIME ? 2 : 4;
	if (t.len < y + 8 || !num(t.v, y, 0, 9999) || !num(t.v + y, 2, 1, 12) ||
	    !num(t.v + y + 2, 2, 1, 31) || !num(t.v + y + 4, 2, 0, 23) ||
	    !num(t.v + y + 6, 2, 0, 59))
		return false;
	pos = y + 8;
	if (pos + 2 <= t.len && t.v[pos] >= '0' && t.v[pos] <= '9') {
		if (!num(t.v + pos, 2, 0, 59))
			return false;
		pos += 2;
		if (t.id == ID_GENTIME && pos < t.len && t.v[pos] == '.') {
			uint32_t f = ++pos;

			while (pos < t.len && t.v[pos] >= '0' && t.v[pos] <= '9')
				pos++;
			if (pos == f)
				return false;
		}
	}
	if (pos + 1 == t.len && t.v[pos] == 'Z')
		return true;
	return pos + 5 == t.len && (t.v[pos] == '+' || t.v[pos] == '-') &&
	       num(t.v + pos + 1, 2, 0, 23) && num(t.v + pos + 3, 2, 0, 59);
}

/* Extensions (4.1.2.9) inside their [3]: one SEQUENCE, nothing after it. */
static bool extensions(const struct tlv *x)
{
	struct der in = inside(x), seq, ext;
	struct tlv s, e, t;

	if (!take(&in, ID_SEQUENCE, &s) || !at_end(&in))
		return false;
	seq = inside(&s);
	while (!at_end(&seq)) {
		if (!take(&seq, ID_SEQUENCE, &e))
			return false;
		ext = inside(&e);
		if (!take(&ext, ID_OID, &t))
			return false;
		if (!at_end(&ext) && ext.p[ext.off] == ID_BOOLEAN &&
		    (!take(&ext, ID_BOOLEAN, &t) || t.len != 1 || (t.v[0] != 0 && t.v[0] != 0xff)))
			return false;
		if (!take(&ext, ID_OCTET_STRING, &t))
			return false;
	}
	return true;
}

/* version's INTEGER read as a u32: 1 to 5 octets, not negative. */
static bool version(struct der *d)
{
	struct tlv t, i;
	struct der v;

	if (der_next(d, &t) != DER_OK)
		return false;
	v = inside(&t);
	return take(&v, ID_INTEGER, &i) && i.len >= 1 && i.len <= 5 && !(i.v[0] & 0x80) &&
	       (i.len < 5 || i.v[0] == 0);
}

/* The context-specific [tag] of the next TLV, primitive or constructed. */
static bool next_is_ctx(const struct der *d, uint8_t tag)
{
	return !at_end(d) && (d->p[d->off] & 0xdf) == (0x80 | tag);
}

static unsigned tbs(struct der *d, struct tlv *subject, struct tlv *issuer)
{
	struct tlv t;
	struct der in;
	unsigned ev;

	if (!at_end(d) && d->p[d->off] == ID_CTX0 && !version(d))
		return TLS_EV_CERTIFICATE_INVALID_VERSION;
	if (!take(d, ID_INTEGER, &t))
		return TLS_EV_CERTIFICATE_INVALID_SERIAL;
	if (!alg_id(d))
		return TLS_EV_CERTIFICATE_INVALID_ALGORITHMIDENTIFIER;
	if (!name(d, issuer))
		return TLS_EV_CERTIFICATE_INVALID_X509NAME;
	if ((ev = seq_header(d, &t)) != X509_OK)
		return ev;
	in = inside(&t);
	if (!asn1_time(&in) || !asn1_time(&in))
		return TLS_EV_CERTIFICATE_INVALID_DATE;
	if (!name(d, subject))
		return TLS_EV_CERTIFICATE_INVALID_X509NAME;
	if ((ev = seq_header(d, &t)) != X509_OK)
		return ev;
	in = inside(&t);
	if (!alg_id(&in))
		return TLS_EV_CERTIFICATE_INVALID_ALGORITHMIDENTIFIER;
	if (!bit_string(&in))
		return TLS_EV_INVALID_CERTIFICATE;
	for (uint8_t tag = 1; tag <= 2; tag++)
		if (next_is_ctx(d, tag) && der_next(d, &t) != DER_OK)
			return TLS_EV_INVALID_CERTIFICATE;
	if (at_end(d))
		return X509_OK;
	if (!take(d, ID_CTX3, &t) || !extensions(&t))
		return TLS_EV_CERTIFICATE_INVALID_EXTENSIONS;
	return X509_OK;
}

/* RFC 3629 4: no overlong form, no surrogate, nothing past U+10FFFF. */
static bool utf8_valid(const uint8_t *s, uint32_t n)
{
	for (uint32_t i = 0; i < n;) {
		uint32_t c = s[i], k, cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3, cp = c & 0x07;
		else
			return false;
		if (n - i - 1 < k)
			return false;
		for (uint32_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += 1 + k;
	}
	return true;
}

/* UTF-16BE with its surrogates paired. */
static bool utf16_valid(const uint8_t *s, uint32_t n)
{
	if (n % 2)
		return false;
	for (uint32_t i = 0; i < n; i += 2) {
		uint32_t u = (uint32_t)s[i] << 8 | s[i + 1];

		if (u >= 0xdc00 && u <= 0xdfff)
			return false;
		if (u >= 0xd800 && u <= 0xdbff) {
			if (i + 3 >= n || (s[i + 2] & 0xfc) != 0xdc)
				return false;
			i += 2;
		}
	}
	return true;
}

enum { STR_NONE, STR_OK, STR_BAD };

/* How x509-parser prints an attribute value: string types as text (UTF-8,
 * BMPString as UTF-16; a value that does not decode spoils the whole
 * name's text), anything else in hex. *nul: the text holds a NUL. */
static int value_text(const struct tlv *v, bool *nul)
{
	switch (v->id) {
	case 0x07: case 0x0c: case 0x12: case 0x13: case 0x14: case 0x15:
	case 0x16: case 0x19: case 0x1a: case 0x1b:
		if (!utf8_valid(v->v, v->len))
			return STR_BAD;
		*nul |= memchr(v->v, 0, v->len) != NULL;
		return STR_OK;
	case 0x1e:
		if (!utf16_valid(v->v, v->len))
			return STR_BAD;
		for (uint32_t i = 0; i + 1 < v->len; i += 2)
			*nul |= v->v[i] == 0 && v->v[i + 1] == 0;
		return STR_OK;
	default:
		return STR_NONE;
	}
}

/* The name (already walked by name()) prints with a NUL in it: Suricata
 * cannot make a C string of it. */
static bool name_has_nul(const struct tlv *n)
{
	struct der seq = inside(n), set, atv;
	struct tlv rdn, a, oid, v;
	bool nul = false;

	while (!at_end(&seq)) {
		take(&seq, ID_SET, &rdn);
		set = inside(&rdn);
		while (!at_end(&set)) {
			take(&set, ID_SEQUENCE, &a);
			atv = inside(&a);
			take(&atv, ID_OID, &oid);
			der_next(&atv, &v);
			if (value_text(&v, &nul) == STR_BAD)
				return false;
		}
	}
	return nul;
}

unsigned tls_x509_check(const uint8_t *der, uint32_t len)
{
	struct der top = { der, len, 0 }, cert, in;
	struct tlv c, t, subject, issuer;
	unsigned ev;

	if ((ev = seq_header(&top, &c)) != X509_OK)
		return ev;
	cert = inside(&c);
	if ((ev = seq_header(&cert, &t)) != X509_OK)
		return ev;
	in = inside(&t);
	if ((ev = tbs(&in, &subject, &issuer)) != X509_OK)
		return ev;
	if (!alg_id(&cert))
		return TLS_EV_CERTIFICATE_INVALID_ALGORITHMIDENTIFIER;
	if (!bit_string(&cert))
		return TLS_EV_INVALID_CERTIFICATE;
	if (name_has_nul(&subject))
		return TLS_EV_CERTIFICATE_INVALID_SUBJECT;
	if (name_has_nul(&issuer))
		return TLS_EV_CERTIFICATE_INVALID_ISSUER;
	return X509_OK;
}
