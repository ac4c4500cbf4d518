/* SPDX-License-Identifier: MIT */
/* Fast-pattern choice, following Suricata's rules (RetrieveFPForSig):
 * an explicit fast_pattern wins; otherwise among the non-negated contents
 * of the payload buffer the longest, ties broken by pattern strength (rarer
 * bytes score higher) and then by rule order. */
#include <ctype.h>
#include <string.h>

#include "detect-int.h"

/* Suricata's PatternStrength: a byte seen for the first time scores 3 if
 * alphabetic, 4 if printable or one of 0x00 0x01 0xff, 6 otherwise; a repeat
 * scores 1. */
uint32_t fp_pattern_strength(const uint8_t *pat, uint32_t len)
{
	uint8_t seen[256];
	uint32_t s = 0;

	memset(seen, 0, sizeof(seen));
	for (uint32_t i = 0; i < len; i++) {
		uint8_t c = pat[i];

		if (seen[c]) {
			s++;
			continue;
		}
		seen[c] = 1;
		if (isalpha(c))
			s += 3;
		else if (isprint(c) || c == 0x00 || c == 0x01 || c == 0xff)
			s += 4;
		else
			s += 6;
	}
	return s;
}

static const struct rule_content *payload_content(const struct rule *r, uint32_t i)
{
	const struct rule_match *m = &r->match[i];

	/* base64_data contents inspect decoded bytes: no prefilter for them */
	if (m->kind != MATCH_CONTENT || m->buf != RULE_BUF_PAYLOAD || m->b64)
		return NULL;
	return &m->content;
}

int32_t detect_fast_pattern_select(const struct rule *r)
{
	uint32_t max_len = 0;
	int32_t best = -1;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_content *c = payload_content(r, i);

		if (c && (c->flags & CONTENT_FAST_PATTERN))
			return (c->flags & CONTENT_NEGATED) ? -1 : (int32_t)i;
	}
	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_content *c = payload_content(r, i);

		if (c && !(c->flags & CONTENT_NEGATED) && c->len > max_len)
			max_len = c->len;
	}
	if (max_len == 0)
		return -1;	/* only negated contents (or none): always checked */

	uint32_t best_strength = 0;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_content *c = payload_content(r, i);
		uint32_t s;

		if (!c || (c->flags & CONTENT_NEGATED) || c->len != max_len)
			continue;
		s = fp_pattern_strength(c->pat, c->len);
		if (best < 0 || s > best_strength) {
			best = (int32_t)i;
			best_strength = s;
		}
	}
	return best;
}
