// SPDX-License-Identifier: MIT
/* Identity and metadata keywords: msg sid rev gid classtype priority
 * reference metadata target. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rule-int.h"

int kw_msg(struct rule_ctx *c, const char *v)
{
	char *m = v[0] == '"' ? rule_unquote(v) : strdup(v);

	if (m == NULL) {
		if (v[0] == '"')
			return rule_err(c, "msg is missing its closing quote");
		return -ENOMEM;
	}
	c->r->msg = m;
	return 0;
}

int kw_sid(struct rule_ctx *c, const char *v)
{
	if (rule_parse_u32(v, &c->r->sid) || c->r->sid == 0)
		return rule_err(c, "invalid sid: '%s'", v);
	c->have_sid = true;
	return 0;
}

int kw_rev(struct rule_ctx *c, const char *v)
{
	if (rule_parse_u32(v, &c->r->rev))
		return rule_err(c, "invalid rev: '%s'", v);
	return 0;
}

int kw_gid(struct rule_ctx *c, const char *v)
{
	if (rule_parse_u32(v, &c->r->gid))
		return rule_err(c, "invalid gid: '%s'", v);
	return 0;
}

int kw_classtype(struct rule_ctx *c, const char *v)
{
	uint32_t prio;

	if (!rule_env_class(c->env, v, &c->r->classtype, &c->r->class_desc, &prio))
		return rule_err(c, "unknown classtype '%s'", v);
	return 0;
}

int kw_priority(struct rule_ctx *c, const char *v)
{
	uint32_t p;

	if (rule_parse_u32(v, &p) || p == 0 || p > 255)
		return rule_err(c, "invalid priority: '%s'", v);
	c->seen_prio = p;
	return 0;
}

/* "type,value": only the type is checked; nothing needs the value. */
int kw_reference(struct rule_ctx *c, const char *v)
{
	const char *comma = strchr(v, ',');
	char *type;
	bool known;

	if (comma == NULL)
		return rule_err(c, "invalid reference: '%s'", v);
	type = rule_strtrim(v, (size_t)(comma - v));
	if (type == NULL)
		return -ENOMEM;
	known = rule_env_ref_known(c->env, type);
	if (!known)
		rule_err(c, "unknown reference type '%s'", type);
	free(type);
	return known ? 0 : -EINVAL;
}

/* metadata and prefilter: valid Suricata, no effect on matching here. */
int kw_accept(struct rule_ctx *c, const char *v)
{
	(void)c;
	(void)v;
	return 0;
}

int kw_target(struct rule_ctx *c, const char *v)
{
	if (strcmp(v, "src_ip") != 0 && strcmp(v, "dest_ip") != 0)
		return rule_err(c, "invalid target '%s'", v);
	return 0;
}
