/* SPDX-License-Identifier: MIT */
/* Fast-pattern choice, following Suricata's rules (RetrieveFPForSig):
 * an explicit fast_pattern wins; otherwise among the non-negated contents
 * of the payload buffer the longest, ties broken by pattern strength (rarer
 * bytes score higher) and then by rule order. (added) A content of one
 * repeated byte is taken only when the rule has no other: see
 * fp_one_byte_run. */
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

/* ASCII case folding, as Hyperscan's HS_FLAG_CASELESS. */
static uint8_t fold(uint8_t c)
{
	return (uint8_t)(c | ((uint8_t)(c - 'A') < 26u ? 0x20 : 0));
}

bool fp_one_byte_run(const struct rule_content *c)
{
	const bool nocase = (c->flags & CONTENT_NOCASE) != 0;

	if (c->len == 0)
		return false;
	for (uint32_t i = 1; i < c->len; i++)
		if (nocase ? fold(c->pat[i]) != fold(c->pat[0]) : c->pat[i] != c->pat[0])
			return false;
	return true;
}

static const struct rule_content *payload_content(const struct rule *r, uint32_t i)
{
	const struct rule_match *m = &r->match[i];

	/* base64_data contents inspect decoded bytes: no prefilter for them */
	if (m->kind != MATCH_CONTENT || m->buf != RULE_BUF_PAYLOAD || m->b64)
		return NULL;
	return &m->content;
}

/* The longest non-negated payload content, ties to the strongest, then
 * the first; one-byte runs only with runs. -1: none. */
static int32_t longest_content(const struct rule *r, bool runs)
{
	uint32_t max_len = 0, best_strength = 0;
	int32_t best = -1;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_content *c = payload_content(r, i);

		if (c && !(c->flags & CONTENT_NEGATED) && c->len > max_len &&
		    (runs || !fp_one_byte_run(c)))
			max_len = c->len;
	}
	if (max_len == 0)
		return -1;
	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_content *c = payload_content(r, i);
		uint32_t s;

		if (!c || (c->flags & CONTENT_NEGATED) || c->len != max_len ||
		    (!runs && fp_one_byte_run(c)))
			continue;
		s = fp_pattern_strength(c->pat, c->len);
		if (best < 0 || s > best_strength) {
			best = (int32_t)i;
			best_strength = s;
		}
	}
	return best;
}

int32_t detect_fast_pattern_select(const struct rule *r)
{
	int32_t best;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct rule_content *c = payload_content(r, i);

		if (c && (c->flags & CONTENT_FAST_PATTERN))
			return (c->flags & CONTENT_NEGATED) ? -1 : (int32_t)i;
	}
	best = longest_content(r, false);
	/* only negated contents (or none): -1, always checked */
	return best >= 0 ? best : longest_content(r, true);
}
