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
 * The fields Suricata logs and matches are read on the way: the Names (their
 * text made by tls_x509_name), the serial, the validity as seconds and the
 * subjectAltName extension.
 *
 * "length" is a header whose length runs past its container (the parser's
 * Incomplete: certificate_invalid_length), "der" one that is not DER (a
 * wrong tag, the indefinite form, a length of more than 4 bytes:
 * certificate_invalid_der). Every read is bounded by its container and each
 * byte is visited a fixed number of times: work is linear in the length. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* n decimal digits at p, their value in [lo, hi] in *out. */
static bool num(const uint8_t *p, uint32_t n, int lo, int hi, int *out)
{
	int v = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return v >= lo && v <= hi;
}

/* Time (4.1.2.5): UTCTime YYMMDDHHMM[SS] or GeneralizedTime
 * YYYYMMDDHHMM[SS[.f+]], then Z or +-HHMM, each field in its range (seconds
 * may be missing: x509-parser takes such malformed dates). *secs: the time
 * in seconds since the epoch, UTC (the offset taken out; a two-digit year
 * below 50 is 20YY, else 19YY, as 4.1.2.5.1 says; the fraction dropped). */
static bool asn1_time(struct der *d, int64_t *secs)
{
	struct tlv t;
	struct tm tm = { 0 };
	uint32_t y, pos;
	int64_t off = 0;

	if (der_next(d, &t) != DER_OK || (t.id != ID_UTCTIME && t.id != ID_GENTIME))
		return false;
	y = t.id == ID_UTCTIME ? 2 : 4;
	if (t.len < y + 8 || !num(t.v, y, 0, 9999, &tm.tm_year) ||
	    !num(t.v + y, 2, 1, 12, &tm.tm_mon) || !num(t.v + y + 2, 2, 1, 31, &tm.tm_mday) ||
	    !num(t.v + y + 4, 2, 0, 23, &tm.tm_hour) || !num(t.v + y + 6, 2, 0, 59, &tm.tm_min))
		return false;
	if (y == 2)
		tm.tm_year += tm.tm_year < 50 ? 2000 : 1900;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	pos = y + 8;
	if (pos + 2 <= t.len && t.v[pos] >= '0' && t.v[pos] <= '9') {
		if (!num(t.v + pos, 2, 0, 59, &tm.tm_sec))
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
	if (pos + 1 != t.len || t.v[pos] != 'Z') {
		int oh, om;

		if (pos + 5 != t.len || (t.v[pos] != '+' && t.v[pos] != '-') ||
		    !num(t.v + pos + 1, 2, 0, 23, &oh) || !num(t.v + pos + 3, 2, 0, 59, &om))
			return false;
		off = (t.v[pos] == '+' ? 1 : -1) * (int64_t)(oh * 3600 + om * 60);
	}
	*secs = (int64_t)timegm(&tm) - off;
	return true;
}

/* Extensions (4.1.2.9) inside their [3]: one SEQUENCE, nothing after it.
 * subjectAltName's (2.5.29.17) GeneralNames go to c->san. */
static bool extensions(const struct tlv *x, struct tls_x509_cert *c)
{
	static const uint8_t oid_san[] = { 0x55, 0x1d, 0x11 };
	struct der in = inside(x), seq, ext, val;
	struct tlv s, e, t, oid, g;

	if (!take(&in, ID_SEQUENCE, &s) || !at_end(&in))
		return false;
	seq = inside(&s);
	while (!at_end(&seq)) {
		if (!take(&seq, ID_SEQUENCE, &e))
			return false;
		ext = inside(&e);
		if (!take(&ext, ID_OID, &oid))
			return false;
		if (!at_end(&ext) && ext.p[ext.off] == ID_BOOLEAN &&
		    (!take(&ext, ID_BOOLEAN, &t) || t.len != 1 || (t.v[0] != 0 && t.v[0] != 0xff)))
			return false;
		if (!take(&ext, ID_OCTET_STRING, &t))
			return false;
		val = inside(&t);
		if (c->san == NULL && oid.len == sizeof(oid_san) &&
		    memcmp(oid.v, oid_san, sizeof(oid_san)) == 0 && take(&val, ID_SEQUENCE, &g)) {
			c->san = g.v;
			c->san_len = g.len;
		}
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

static unsigned tbs(struct der *d, struct tlv *subject, struct tlv *issuer,
		    struct tls_x509_cert *c)
{
	struct tlv t;
	struct der in;
	unsigned ev;

	if (!at_end(d) && d->p[d->off] == ID_CTX0 && !version(d))
		return TLS_EV_CERTIFICATE_INVALID_VERSION;
	if (!take(d, ID_INTEGER, &t))
		return TLS_EV_CERTIFICATE_INVALID_SERIAL;
	c->serial = t.v;
	c->serial_len = t.len;
	if (!alg_id(d))
		return TLS_EV_CERTIFICATE_INVALID_ALGORITHMIDENTIFIER;
	if (!name(d, issuer))
		return TLS_EV_CERTIFICATE_INVALID_X509NAME;
	if ((ev = seq_header(d, &t)) != X509_OK)
		return ev;
	in = inside(&t);
	if (!asn1_time(&in, &c->not_before) || !asn1_time(&in, &c->not_after))
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
	if (!take(d, ID_CTX3, &t) || !extensions(&t, c))
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

/* How x509-parser 0.15 prints an attribute value (attribute_value_to_string):
 * the string types as text (UTF-8; BMPString as UTF-16; a value that does
 * not decode spoils the whole name's text), anything else in hex. *nul:
 * the text holds a NUL. */
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

/* A growing string; oom: an append failed, the text is incomplete. */
struct sbuf {
	char *p;
	uint32_t len, cap;
	bool oom;
};

static void put(struct sbuf *s, const void *d, uint32_t n)
{
	if (s->oom)
		return;
	if (s->len + n + 1 > s->cap) {
		uint32_t cap = (s->len + n + 1) * 2;
		char *q = realloc(s->p, cap);

		if (q == NULL) {
			s->oom = true;
			return;
		}
		s->p = q;
		s->cap = cap;
	}
	memcpy(s->p + s->len, d, n);
	s->len += n;
	s->p[s->len] = '\0';
}

static void put_str(struct sbuf *s, const char *str)
{
	put(s, str, (uint32_t)strlen(str));
}

/* One code point as UTF-8. */
static void put_utf8(struct sbuf *s, uint32_t cp)
{
	uint8_t b[4];
	uint32_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | cp >> 18);
		b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	put(s, b, n);
}

/* The value as value_text judged it (not STR_BAD). */
static void put_value(struct sbuf *s, const struct tlv *v, int kind)
{
	static const char hex[] = "0123456789ABCDEF";

	if (kind == STR_OK && v->id != 0x1e) {
		put(s, v->v, v->len);
		return;
	}
	if (kind == STR_OK) {	/* UTF-16BE, surrogates paired (utf16_valid) */
		for (uint32_t i = 0; i + 1 < v->len; i += 2) {
			uint32_t u = (uint32_t)v->v[i] << 8 | v->v[i + 1];

			if (u >= 0xd800 && u <= 0xdbff) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (((uint32_t)v->v[i + 2] << 8 | v->v[i + 3]) - 0xdc00);
				i += 2;
			}
			put_utf8(s, u);
		}
		return;
	}
	for (uint32_t i = 0; i < v->len; i++) {
		char h[2] = { hex[v->v[i] >> 4], hex[v->v[i] & 0xf] };

		put(s, h, 2);
	}
}

/* An attribute type as x509-parser names it (oid2abbrev): its abbreviation,
 * else the short name of oid-registry's entry (features crypto and x509),
 * else asn1-rs's Debug form "OID(1.2.3)" (arcs past 64 bits: the bytes in
 * hex, space-separated). */
static void put_type(struct sbuf *s, const struct tlv *oid)
{
	static const struct {
		uint8_t len;
		uint8_t der[10];
		const char *name;
	} known[] = {
		{ 3, { 0x55, 0x04, 0x03 }, "CN" }, { 3, { 0x55, 0x04, 0x06 }, "C" },
		{ 3, { 0x55, 0x04, 0x07 }, "L" }, { 3, { 0x55, 0x04, 0x08 }, "ST" },
		{ 3, { 0x55, 0x04, 0x0a }, "O" }, { 3, { 0x55, 0x04, 0x0b }, "OU" },
		{ 10, { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19 }, "DC" },
		{ 9, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 }, "Email" },
		{ 9, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x02 }, "unstructuredName" },
		{ 3, { 0x55, 0x04, 0x00 }, "objectClass" },
		{ 3, { 0x55, 0x04, 0x01 }, "aliasedEntryName" },
		{ 3, { 0x55, 0x04, 0x02 }, "knowledgeInformation" },
		{ 3, { 0x55, 0x04, 0x04 }, "surname" }, { 3, { 0x55, 0x04, 0x05 }, "serialNumber" },
		{ 3, { 0x55, 0x04, 0x09 }, "streetAddress" }, { 3, { 0x55, 0x04, 0x0c }, "title" },
		{ 3, { 0x55, 0x04, 0x0d }, "description" }, { 3, { 0x55, 0x04, 0x0e }, "searchGuide" },
		{ 3, { 0x55, 0x04, 0x0f }, "businessCategory" },
		{ 3, { 0x55, 0x04, 0x10 }, "postalAddress" }, { 3, { 0x55, 0x04, 0x11 }, "postalCode" },
		{ 3, { 0x55, 0x04, 0x29 }, "name" }, { 3, { 0x55, 0x04, 0x2a }, "givenName" },
		{ 3, { 0x55, 0x04, 0x2b }, "initials" },
		{ 3, { 0x55, 0x04, 0x2c }, "generationQualifier" },
		{ 3, { 0x55, 0x04, 0x2d }, "uniqueIdentifier" },
		{ 3, { 0x55, 0x04, 0x2e }, "dnQualifier" },
	};
	uint64_t arc = 0;
	bool first = true, wide = oid->len == 0 || (oid->v[oid->len - 1] & 0x80);
	char t[24];

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (oid->len == known[i].len && memcmp(oid->v, known[i].der, known[i].len) == 0) {
			put_str(s, known[i].name);
			return;
		}
	}
	/* X.690 8.19: base-128 arcs, the first two folded into one; an arc
	 * past 64 bits (or a last byte that says more follow) is "wide" */
	for (uint32_t i = 0; i < oid->len && !wide; i++) {
		wide = arc >> 57 != 0;
		arc = oid->v[i] & 0x80 ? arc << 7 | (oid->v[i] & 0x7f) : 0;
	}
	arc = 0;
	put_str(s, "OID(");
	if (wide) {
		for (uint32_t i = 0; i < oid->len; i++) {
			snprintf(t, sizeof(t), i ? " %02x" : "%02x", oid->v[i]);
			put_str(s, t);
		}
		put_str(s, ")");
		return;
	}
	for (uint32_t i = 0; i < oid->len; i++) {
		arc = arc << 7 | (oid->v[i] & 0x7f);
		if (oid->v[i] & 0x80)
			continue;
		if (first)
			snprintf(t, sizeof(t), "%u.%llu", arc < 80 ? (unsigned)(arc / 40) : 2u,
				 (unsigned long long)(arc < 80 ? arc % 40 : arc - 80));
		else
			snprintf(t, sizeof(t), ".%llu", (unsigned long long)arc);
		put_str(s, t);
		first = false;
		arc = 0;
	}
	put_str(s, ")");
}

/* Walks the Name n (already checked by name()): STR_BAD when a value does
 * not decode, else STR_OK with *nul set when the text holds a NUL; with
 * out, the text is written there. */
static int name_walk(const struct tlv *n, struct sbuf *out, bool *nul)
{
	struct der seq = inside(n), set, atv;
	struct tlv rdn, a, oid, v;
	bool first_rdn = true;

	*nul = false;
	while (!at_end(&seq)) {
		bool first = true;

		take(&seq, ID_SET, &rdn);
		set = inside(&rdn);
		if (out && !first_rdn)
			put_str(out, ", ");
		first_rdn = false;
		while (!at_end(&set)) {
			int kind;

			take(&set, ID_SEQUENCE, &a);
			atv = inside(&a);
			take(&atv, ID_OID, &oid);
			der_next(&atv, &v);
			if ((kind = value_text(&v, nul)) == STR_BAD)
				return STR_BAD;
			if (out == NULL)
				continue;
			if (!first)
				put_str(out, " + ");
			first = false;
			put_type(out, &oid);
			put_str(out, "=");
			put_value(out, &v, kind);
		}
	}
	return STR_OK;
}

/* The name prints with a NUL in it: Suricata cannot make a C string of it. */
static bool name_has_nul(const struct tlv *n)
{
	bool nul;

	return name_walk(n, NULL, &nul) == STR_OK && nul;
}

char *tls_x509_name(const uint8_t *name, uint32_t len, uint32_t *out_len)
{
	struct tlv n = { ID_SEQUENCE, name, len };
	struct sbuf s = { 0 };
	bool nul;

	put(&s, "", 0);
	if (name_walk(&n, &s, &nul) == STR_BAD) {
		s.len = 0;
		put_str(&s, "<X509Error: Invalid X.509 name>");
	}
	if (s.oom) {
		free(s.p);
		return NULL;
	}
	*out_len = s.len;
	return s.p;
}

void tls_x509_parse(const uint8_t *der, uint32_t len, struct tls_x509_cert *c)
{
	struct der top = { der, len, 0 }, cert, in;
	struct tlv t, subject, issuer;

	*c = (struct tls_x509_cert){ .event = TLS_EV_MAX };
	if ((c->event = seq_header(&top, &t)) != X509_OK)
		return;
	cert = inside(&t);
	if ((c->event = seq_header(&cert, &t)) != X509_OK)
		return;
	in = inside(&t);
	if ((c->event = tbs(&in, &subject, &issuer, c)) != X509_OK)
		return;
	if (!alg_id(&cert)) {
		c->event = TLS_EV_CERTIFICATE_INVALID_ALGORITHMIDENTIFIER;
		return;
	}
	if (!bit_string(&cert)) {
		c->event = TLS_EV_INVALID_CERTIFICATE;
		return;
	}
	c->decoded = true;
	c->subject = subject.v;
	c->subject_len = subject.len;
	c->issuer = issuer.v;
	c->issuer_len = issuer.len;
	if (name_has_nul(&subject))
		c->event = TLS_EV_CERTIFICATE_INVALID_SUBJECT;
	else if (name_has_nul(&issuer))
		c->event = TLS_EV_CERTIFICATE_INVALID_ISSUER;
}

unsigned tls_x509_check(const uint8_t *der, uint32_t len)
{
	struct tls_x509_cert c;

	tls_x509_parse(der, len, &c);
	return c.event;
}

void tls_x509_san_begin(const struct tls_x509_cert *c, struct tls_x509_san_iter *it)
{
	*it = (struct tls_x509_san_iter){ c->decoded ? c->san : NULL,
					  c->decoded && c->san ? c->san_len : 0, 0 };
}

/* An iPAddress as Suricata 8 (the first Suricata with the SAN buffer)
 * writes it: SCGeneralName's Display prints the OCTET STRING with Rust's
 * Debug of a byte slice, every byte in decimal, "[192, 0, 2, 1]", whatever
 * its length (x509-parser does not check it). false: it does not fit in
 * out[0, outsz). */
static bool san_ip_text(const struct tlv *g, char *out, uint32_t outsz, uint32_t *n)
{
	const char *sep = "[";
	uint32_t o = 0;
	int w;

	for (uint32_t i = 0; i < g->len; i++, sep = ", ") {
		w = snprintf(out + o, outsz - o, "%s%u", sep, g->v[i]);
		if (w < 0 || (uint32_t)w >= outsz - o)
			return false;
		o += (uint32_t)w;
	}
	w = snprintf(out + o, outsz - o, "%s]", g->len ? "" : "[");
	if (w < 0 || (uint32_t)w >= outsz - o)
		return false;
	*n = o + (uint32_t)w;
	return true;
}

/* GeneralName (4.2.1.6): dNSName [2] IA5String as written, iPAddress [7]
 * OCTET STRING by san_ip_text; a GeneralNames that does not parse ends the
 * walk. */
bool tls_x509_san_next(struct tls_x509_san_iter *it, char *out, uint32_t outsz, uint32_t *n)
{
	struct der d = { it->p, it->len, it->off };
	struct tlv g;

	while (!at_end(&d)) {
		if (der_next(&d, &g) != DER_OK)
			break;
		it->off = d.off;
		if (g.id == 0x82 && g.len < outsz) {
			memcpy(out, g.v, g.len);
			out[g.len] = '\0';
			*n = g.len;
			return true;
		}
		if (g.id == 0x87 && san_ip_text(&g, out, outsz, n))
			return true;
	}
	it->off = it->len;
	return false;
}
