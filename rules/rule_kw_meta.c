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

/* Append one "key" "value" pair to r->meta. */
static int meta_add(struct rule *r, const char *k, size_t kl, const char *v, size_t vl)
{
	char *m = realloc(r->meta, r->meta_len + kl + vl + 2);

	if (m == NULL)
		return -ENOMEM;
	memcpy(m + r->meta_len, k, kl);
	m[r->meta_len + kl] = '\0';
	memcpy(m + r->meta_len + kl + 1, v, vl);
	m[r->meta_len + kl + 1 + vl] = '\0';
	r->meta = m;
	r->meta_len += (uint32_t)(kl + vl + 2);
	r->nmeta++;
	return 0;
}

/* metadata: "key value, key value": no effect on matching; kept for EVE's
 * alert.metadata. As Suricata, an item without a value is skipped, and
 * blanks around keys and values are dropped. */
int kw_metadata(struct rule_ctx *c, const char *v)
{
	while (*v != '\0') {
		size_t len = strcspn(v, ","), kl, vl;
		const char *k = v, *val, *end = v + len;

		while (k < end && (*k == ' ' || *k == '\t'))
			k++;
		kl = strcspn(k, " \t,");
		val = k + kl;
		while (val < end && (*val == ' ' || *val == '\t'))
			val++;
		vl = (size_t)(end - val);
		while (vl > 0 && (val[vl - 1] == ' ' || val[vl - 1] == '\t'))
			vl--;
		if (kl > 0 && vl > 0 && meta_add(c->r, k, kl, val, vl) != 0)
			return -ENOMEM;
		v = *end == ',' ? end + 1 : end;
	}
	return 0;
}

/* prefilter: valid Suricata, no effect on matching here. */
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
