// SPDX-License-Identifier: MIT
/* tag, as Suricata 7 reads it (detect-tag.c):
 * tag:session|host[,count,packets|bytes|seconds[,src|dst]], the direction
 * for host tags only (default dst: the alerting packet's destination). */
#include <string.h>
#include <strings.h>

#include "rule-int.h"

int kw_tag(struct rule_ctx *c, const char *v)
{
	struct rule_tag t = { .metric = TAG_METRIC_PACKETS, .count = RULE_TAG_DEFAULT_COUNT };
	static const char *const metrics[] = { "packets", "bytes", "seconds" };
	char f[32];

	if (!rule_next_field(&v, f, sizeof(f)))
		return rule_err(c, "invalid tag: '%s'", v);
	if (strcasecmp(f, "host") == 0)
		t.scope = TAG_SCOPE_HOST;
	else if (strcasecmp(f, "session") != 0)
		return rule_err(c, "invalid tag scope '%s': session or host", f);
	if (rule_next_field(&v, f, sizeof(f))) {
		size_t k;

		if (rule_parse_u32(f, &t.count))
			return rule_err(c, "invalid tag count '%s'", f);
		if (!rule_next_field(&v, f, sizeof(f)))
			return rule_err(c, "tag count needs a metric: packets, bytes or seconds");
		for (k = 0; k < sizeof(metrics) / sizeof(metrics[0]); k++)
			if (strcasecmp(f, metrics[k]) == 0)
				break;
		if (k == sizeof(metrics) / sizeof(metrics[0]))
			return rule_err(c, "invalid tag metric '%s': packets, bytes or seconds", f);
		t.metric = (uint8_t)k;
		if (rule_next_field(&v, f, sizeof(f))) {
			if (t.scope != TAG_SCOPE_HOST)
				return rule_err(c, "a tag direction ('%s') is for tag:host only", f);
			if (strcasecmp(f, "src") == 0)
				t.host_src = true;
			else if (strcasecmp(f, "dst") != 0)
				return rule_err(c, "invalid tag direction '%s': src or dst", f);
		}
	}
	if (*v != '\0')
		return rule_err(c, "invalid tag: unexpected '%s'", v);
	/* Suricata keeps one tag per rule and flow (or host): a second tag of
	 * the same rule only restarts the first, so the first one's count holds */
	if (!(c->r->flags & RULE_F_TAG)) {
		c->r->tag = t;
		c->r->flags |= RULE_F_TAG;
	}
	return 0;
}
