// SPDX-License-Identifier: MIT
/* absent (Suricata 8): after a sticky buffer, the rule needs that buffer to
 * be missing from the transaction (present but empty is not missing). It
 * stands alone on its buffer; "absent: or_else" instead reads "missing, or
 * the matches that follow on it match". */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "rule-int.h"

int kw_absent(struct rule_ctx *c, const char *v)
{
	struct rule *r = c->r;
	enum rule_buffer b = c->cur_buf;
	rule_bufset bit;

	if (b < RULE_BUF_APP_FIRST || b >= RULE_BUF_MAX || c->in_b64)
		return rule_err(c, "absent needs an app-layer sticky buffer before it");
	bit = RULE_BUF_BIT(b);
	if (r->absent_bufs & bit)
		return rule_err(c, "duplicate absent on the same buffer");
	if (v != NULL && strcasecmp(v, "or_else") != 0)
		return rule_err(c, "invalid absent value '%s' (only or_else)", v);
	r->absent_bufs |= bit;
	if (v != NULL)
		r->absent_or_else |= bit;
	return 0;
}

int rule_absent_finish(struct rule_ctx *c)
{
	const struct rule *r = c->r;
	rule_bufset matched = 0;

	for (uint32_t i = 0; i < r->nmatch; i++)
		matched |= RULE_BUF_BIT(r->match[i].buf);
	if (matched & r->absent_bufs & ~r->absent_or_else)
		return rule_err(c, "absent can't be combined with other matches on the same "
				   "buffer (use absent: or_else)");
	if (r->absent_or_else & ~matched)
		return rule_err(c, "absent: or_else needs matches on the same buffer");
	return 0;
}
