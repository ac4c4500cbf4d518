/* SPDX-License-Identifier: MIT */
/* asn1 (Suricata 7's detect-asn1): comma-separated options, in any order:
 * bitstring_overflow, double_overflow, oversize_length N, absolute_offset N,
 * relative_offset N (signed); at least one check, at most one offset. */
#include <errno.h>
#include <string.h>

#include "rule-int.h"

int kw_asn1(struct rule_ctx *c, const char *v)
{
	struct rule_asn1 a = { 0 };
	struct rule_match *m;
	char f[64];
	const char *s = v;

	while (rule_next_field(&s, f, sizeof(f))) {
		char *arg = f + strcspn(f, " \t");

		if (*arg != '\0') {
			*arg++ = '\0';
			arg += strspn(arg, " \t");
		}
		if (strcmp(f, "bitstring_overflow") == 0 && *arg == '\0') {
			a.flags |= ASN1_F_BITSTRING;
		} else if (strcmp(f, "double_overflow") == 0 && *arg == '\0') {
			a.flags |= ASN1_F_DOUBLE;
		} else if (strcmp(f, "oversize_length") == 0) {
			if (rule_parse_u32(arg, &a.oversize))
				return rule_err(c, "asn1: invalid oversize_length '%s'", arg);
			a.flags |= ASN1_F_OVERSIZE;
		} else if (strcmp(f, "absolute_offset") == 0 ||
			   strcmp(f, "relative_offset") == 0) {
			bool rel = f[0] == 'r';

			if (a.flags & (ASN1_F_ABSOLUTE | ASN1_F_RELATIVE))
				return rule_err(c, "asn1: more than one offset");
			if (rule_parse_i32(arg, &a.offset) || (!rel && a.offset < 0) ||
			    a.offset > 65535 || a.offset < -65535)
				return rule_err(c, "asn1: invalid %s '%s'", f, arg);
			a.flags |= rel ? ASN1_F_RELATIVE : ASN1_F_ABSOLUTE;
		} else {
			return rule_err(c, "asn1: unknown option '%s'", f);
		}
	}
	if (*s != '\0')
		return rule_err(c, "asn1: option too long in '%s'", v);
	if (!(a.flags & (ASN1_F_BITSTRING | ASN1_F_DOUBLE | ASN1_F_OVERSIZE)))
		return rule_err(c, "asn1: no check given in '%s'", v);
	m = rule_match_new(c, MATCH_ASN1);
	if (m == NULL)
		return rule_err(c, "out of memory");
	/* Suricata's asn1 always inspects the packet payload, whatever sticky
	 * buffer came before it */
	m->buf = RULE_BUF_PAYLOAD;
	m->xf = 0;
	m->grp = 0;
	m->b64 = 0;
	m->asn1 = a;
	return 0;
}
