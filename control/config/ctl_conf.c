/* SPDX-License-Identifier: MIT */
/* Reading ids-control's YAML into struct ctl_conf, with range checks that
 * name the file, line and key. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ctl_conf.h"

const struct conf_schema_row ctl_conf_schema[] = {
	{ "vrrp", CONF_MAP },
	{ "vrrp.script_user", CONF_STR },
	{ "vrrp.notify_timeout", CONF_STR },
	{ "vrrp.scripts", CONF_MAP },
	{ "vrrp.scripts.*", CONF_MAP },
	{ "vrrp.scripts.*.script", CONF_STR },
	{ "vrrp.scripts.*.interval", CONF_STR },
	{ "vrrp.scripts.*.timeout", CONF_STR },
	{ "vrrp.scripts.*.weight", CONF_INT },
	{ "vrrp.scripts.*.rise", CONF_INT },
	{ "vrrp.scripts.*.fall", CONF_INT },
	{ "vrrp.instances", CONF_MAP },
	{ "vrrp.instances.*", CONF_MAP },
	{ "vrrp.instances.*.name", CONF_STR },
	{ "vrrp.instances.*.interface", CONF_STR },
	{ "vrrp.instances.*.virtual_router_id", CONF_INT },
	{ "vrrp.instances.*.priority", CONF_INT },
	{ "vrrp.instances.*.advert_int", CONF_STR },
	{ "vrrp.instances.*.preempt", CONF_BOOL },
	{ "vrrp.instances.*.nopreempt", CONF_BOOL },
	{ "vrrp.instances.*.preempt_delay", CONF_STR },
	{ "vrrp.instances.*.virtual_ipaddress", CONF_STR_LIST },
	{ "vrrp.instances.*.unicast_src_ip", CONF_STR },
	{ "vrrp.instances.*.unicast_peer", CONF_STR_LIST },
	{ "vrrp.instances.*.garp_master_repeat", CONF_INT },
	{ "vrrp.instances.*.garp_interval", CONF_STR },
	{ "vrrp.instances.*.track_interface", CONF_STR_LIST },
	{ "vrrp.instances.*.track_script", CONF_STR_LIST },
	{ "vrrp.instances.*.track_dataplane", CONF_MAP },
	{ "vrrp.instances.*.track_dataplane.weight", CONF_INT },
	{ "vrrp.instances.*.notify_master", CONF_STR },
	{ "vrrp.instances.*.notify_backup", CONF_STR },
	{ "vrrp.instances.*.notify_fault", CONF_STR },
	{ "vrrp.instances.*.notify_stop", CONF_STR },
	{ "vrrp.instances.*.notify", CONF_STR },
	{ "dataplane", CONF_MAP },
	{ "dataplane.telemetry", CONF_STR },
	{ "dataplane.eve", CONF_STR },
	{ "dataplane.interval", CONF_STR },
	{ "dataplane.timeout", CONF_STR },
	{ "dataplane.stall", CONF_STR },
	{ "dataplane.role", CONF_BOOL },
	{ NULL, 0 },
};

int ctl_parse_seconds_us(const char *s, uint64_t *us)
{
	uint64_t whole = 0, frac = 0, scale = 1000000;
	const char *p = s;

	if (!*p)
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > 86400ull * 365)
			return -EINVAL;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			scale /= 10;
			if (!scale)
				return -EINVAL;	/* finer than a microsecond */
			frac += (uint64_t)(*p - '0') * scale;
		}
	}
	if (*p || p == s)
		return -EINVAL;
	*us = whole * 1000000 + frac;
	return 0;
}

int ctl_parse_centisec(const char *s, uint16_t *cs)
{
	uint64_t us;

	if (ctl_parse_seconds_us(s, &us) < 0 || us % 10000 || us == 0 ||
	    us / 10000 > VRRP_MAX_ADVER_INT)
		return -EINVAL;
	*cs = (uint16_t)(us / 10000);
	return 0;
}

static int get_secs(const struct conf_node *base, const char *key, uint64_t def, uint64_t *us,
		    char *err, size_t errlen)
{
	const struct conf_node *n = conf_node_get(base, key);

	*us = def;
	if (!n || !n->value || !*n->value)
		return 0;
	if (ctl_parse_seconds_us(n->value, us) < 0)
		return conf_node_err(n, err, errlen, "expected seconds (\"0.5\"), got '%s'",
				     n->value);
	return 0;
}

static int get_range(const struct conf_node *base, const char *key, int64_t def, int64_t lo,
		     int64_t hi, int64_t *v, char *err, size_t errlen)
{
	int ret = conf_node_get_int(base, key, def, v, err, errlen);

	if (ret < 0)
		return ret;
	if (*v < lo || *v > hi)
		return conf_node_err(conf_node_get(base, key), err, errlen,
				     "must be between %lld and %lld", (long long)lo, (long long)hi);
	return 0;
}

static int read_script(const struct conf_node *n, struct ctl_script *s, char *err, size_t errlen)
{
	int64_t v;
	int ret;

	s->name = n->name;
	if ((ret = conf_node_get_str(n, "script", NULL, &s->cmd, err, errlen)) < 0)
		return ret;
	if (!s->cmd)
		return conf_node_err(n, err, errlen, "a script needs 'script'");
	if ((ret = get_secs(n, "interval", 1000000, &s->interval_us, err, errlen)) < 0 ||
	    (ret = get_secs(n, "timeout", s->interval_us, &s->timeout_us, err, errlen)) < 0)
		return ret;
	if (s->interval_us < 1000)
		return conf_node_err(conf_node_get(n, "interval"), err, errlen,
				     "must be at least 0.001");
	if ((ret = get_range(n, "weight", 0, -253, 253, &v, err, errlen)) < 0)
		return ret;
	s->weight = (int)v;
	if ((ret = get_range(n, "rise", 1, 1, 1000, &v, err, errlen)) < 0)
		return ret;
	s->rise = (unsigned)v;
	if ((ret = get_range(n, "fall", 1, 1, 1000, &v, err, errlen)) < 0)
		return ret;
	s->fall = (unsigned)v;
	return 0;
}

/* keepalived's track lines: "NAME" or "NAME weight N". */
static int parse_track(const struct conf_node *n, struct ctl_track *t, char *err, size_t errlen)
{
	char name[64], kw[16];
	long w;
	int fields;

	fields = sscanf(n->value, "%63s %15s %ld", name, kw, &w);
	if (fields != 1 && !(fields == 3 && strcmp(kw, "weight") == 0))
		return conf_node_err(n, err, errlen, "expected 'NAME' or 'NAME weight N', got '%s'",
				     n->value);
	if (fields == 3 && (w < -253 || w > 253))
		return conf_node_err(n, err, errlen, "weight must be between -253 and 253");
	/* the name is the value's first word: keep a pointer into the tree */
	t->name = n->value;
	t->weight = fields == 3 ? (int)w : 0;
	t->weight_set = fields == 3;
	return 0;
}

static bool same_word(const char *a, const char *b)
{
	size_t n = strcspn(a, " \t");

	return strlen(b) == n && strncmp(a, b, n) == 0;
}

static int read_list(const struct conf_node *inst, const char *key, struct ctl_track *t,
		     unsigned *n, char *err, size_t errlen)
{
	const struct conf_node *l = conf_node_get(inst, key), *e;
	int ret;

	if (!l)
		return 0;
	for (e = l->child ? conf_node_first(l) : l; e; e = l->child ? conf_node_next(e) : NULL) {
		if (*n == CTL_MAX_TRACK)
			return conf_node_err(e, err, errlen, "at most %d entries", CTL_MAX_TRACK);
		if (!e->value)
			return conf_node_err(e, err, errlen, "expected a name");
		if ((ret = parse_track(e, &t[*n], err, errlen)) < 0)
			return ret;
		(*n)++;
	}
	return 0;
}

static int read_addr(const struct conf_node *n, int family, union ip_addr *a, char *err,
		     size_t errlen)
{
	struct vip v;

	if (vip_parse(n->value, &v) < 0 || v.family != family ||
	    v.prefix != (family == AF_INET ? 32 : 128))
		return conf_node_err(n, err, errlen, "expected an %s address, got '%s'",
				     family == AF_INET ? "IPv4" : "IPv6", n->value);
	*a = v.addr;
	return 0;
}

static int read_vips(const struct conf_node *in, struct ctl_instance *ci, char *err,
		     size_t errlen)
{
	const struct conf_node *l = conf_node_get(in, "virtual_ipaddress"), *e;

	if (!l)
		return conf_node_err(in, err, errlen, "an instance needs 'virtual_ipaddress'");
	for (e = l->child ? conf_node_first(l) : l; e; e = l->child ? conf_node_next(e) : NULL) {
		struct vip *v = &ci->vips[ci->nvip];

		if (ci->nvip == VRRP_MAX_ADDRS)
			return conf_node_err(e, err, errlen, "at most %d addresses", VRRP_MAX_ADDRS);
		if (!e->value || vip_parse(e->value, v) < 0)
			return conf_node_err(e, err, errlen, "expected ADDRESS[/PREFIX], got '%s'",
					     e->value ? e->value : "");
		/* §1: an instance is IPv4 or IPv6, never both */
		if (ci->nvip && v->family != ci->family)
			return conf_node_err(e, err, errlen,
					     "IPv4 and IPv6 addresses need separate instances");
		ci->family = v->family;
		ci->nvip++;
	}
	return 0;
}

static int read_peers(const struct conf_node *in, struct ctl_instance *ci, char *err,
		      size_t errlen)
{
	const struct conf_node *n = conf_node_get(in, "unicast_src_ip"), *l, *e;
	int ret;

	if (n && n->value) {
		if ((ret = read_addr(n, ci->family, &ci->unicast_src, err, errlen)) < 0)
			return ret;
		ci->has_src = true;
	}
	l = conf_node_get(in, "unicast_peer");
	if (!l)
		return 0;
	for (e = l->child ? conf_node_first(l) : l; e; e = l->child ? conf_node_next(e) : NULL) {
		if (ci->npeer == CTL_MAX_PEERS)
			return conf_node_err(e, err, errlen, "at most %d peers", CTL_MAX_PEERS);
		if (!e->value ||
		    (ret = read_addr(e, ci->family, &ci->peers[ci->npeer], err, errlen)) < 0)
			return e->value ? ret : conf_node_err(e, err, errlen, "expected an address");
		ci->npeer++;
	}
	return 0;
}

static int read_instance(const struct conf_node *in, const struct ctl_conf *cc,
			 struct ctl_instance *ci, char *err, size_t errlen)
{
	const char *s;
	bool preempt, nopreempt;
	int64_t v;
	int ret;

	if ((ret = conf_node_get_str(in, "name", NULL, &s, err, errlen)) < 0)
		return ret;
	if (!s || strlen(s) >= sizeof(ci->vrrp.name))
		return conf_node_err(in, err, errlen, "an instance needs a 'name' (< 32 chars)");
	snprintf(ci->vrrp.name, sizeof(ci->vrrp.name), "%s", s);
	if ((ret = conf_node_get_str(in, "interface", NULL, &s, err, errlen)) < 0)
		return ret;
	if (!s || strlen(s) >= sizeof(ci->ifname))
		return conf_node_err(in, err, errlen, "an instance needs an 'interface'");
	snprintf(ci->ifname, sizeof(ci->ifname), "%s", s);
	if ((ret = get_range(in, "virtual_router_id", 0, 1, 255, &v, err, errlen)) < 0)
		return ret;
	ci->vrrp.vrid = (uint8_t)v;
	/* §5.2.4: 255 is the owner, 1-254 backups (100 is keepalived's default) */
	if ((ret = get_range(in, "priority", 100, 1, 255, &v, err, errlen)) < 0)
		return ret;
	ci->vrrp.priority = (uint8_t)v;
	ci->vrrp.adver_int_cs = 100;
	if ((ret = conf_node_get_str(in, "advert_int", NULL, &s, err, errlen)) < 0)
		return ret;
	if (s && ctl_parse_centisec(s, &ci->vrrp.adver_int_cs) < 0)
		return conf_node_err(conf_node_get(in, "advert_int"), err, errlen,
				     "expected seconds from 0.01 to 40.95 in centiseconds, got '%s'",
				     s);
	if ((ret = conf_node_get_bool(in, "preempt", true, &preempt, err, errlen)) < 0 ||
	    (ret = conf_node_get_bool(in, "nopreempt", false, &nopreempt, err, errlen)) < 0)
		return ret;
	ci->vrrp.preempt = preempt && !nopreempt;
	if ((ret = get_secs(in, "preempt_delay", 0, &ci->vrrp.preempt_delay_us, err, errlen)) < 0)
		return ret;
	if ((ret = read_vips(in, ci, err, errlen)) < 0 || (ret = read_peers(in, ci, err, errlen)) < 0)
		return ret;
	if ((ret = get_range(in, "garp_master_repeat", 5, 1, 100, &v, err, errlen)) < 0)
		return ret;
	ci->garp_repeat = (unsigned)v;
	if ((ret = get_secs(in, "garp_interval", 10000, &ci->garp_interval_us, err, errlen)) < 0)
		return ret;
	if ((ret = read_list(in, "track_interface", ci->track_if, &ci->ntrack_if, err, errlen)) < 0 ||
	    (ret = read_list(in, "track_script", ci->track_script, &ci->ntrack_script,
			     err, errlen)) < 0)
		return ret;
	for (unsigned i = 0; i < ci->ntrack_if; i++) {
		size_t n = strcspn(ci->track_if[i].name, " \t");

		if (n >= IF_NAMESIZE)
			return conf_node_err(in, err, errlen, "interface name too long");
	}
	for (unsigned i = 0; i < ci->ntrack_script; i++) {
		unsigned j;

		for (j = 0; j < cc->nscript; j++)
			if (same_word(ci->track_script[i].name, cc->scripts[j].name))
				break;
		if (j == cc->nscript)
			return conf_node_err(conf_node_get(in, "track_script"), err, errlen,
					     "no script '%.*s' in vrrp.scripts",
					     (int)strcspn(ci->track_script[i].name, " \t"),
					     ci->track_script[i].name);
		ci->track_script[i].script = j;
		if (!ci->track_script[i].weight_set)
			ci->track_script[i].weight = cc->scripts[j].weight;
	}
	if (conf_node_get(in, "track_dataplane")) {
		ci->track_dp = true;
		if ((ret = get_range(in, "track_dataplane.weight", 0, -253, 253, &v,
				     err, errlen)) < 0)
			return ret;
		ci->dp_weight = (int)v;
	}
	if ((ret = conf_node_get_str(in, "notify_master", NULL, &ci->notify_master, err, errlen)) < 0 ||
	    (ret = conf_node_get_str(in, "notify_backup", NULL, &ci->notify_backup, err, errlen)) < 0 ||
	    (ret = conf_node_get_str(in, "notify_fault", NULL, &ci->notify_fault, err, errlen)) < 0 ||
	    (ret = conf_node_get_str(in, "notify_stop", NULL, &ci->notify_stop, err, errlen)) < 0 ||
	    (ret = conf_node_get_str(in, "notify", NULL, &ci->notify, err, errlen)) < 0)
		return ret;
	return 0;
}

static int check_unique(const struct ctl_conf *cc, const struct conf_node *in, unsigned i,
			char *err, size_t errlen)
{
	const struct ctl_instance *ci = &cc->inst[i];

	for (unsigned j = 0; j < i; j++) {
		const struct ctl_instance *o = &cc->inst[j];

		if (strcmp(o->vrrp.name, ci->vrrp.name) == 0)
			return conf_node_err(in, err, errlen, "instance name '%s' used twice",
					     ci->vrrp.name);
		/* §7.1 dispatches on VRID per interface and family */
		if (o->vrrp.vrid == ci->vrrp.vrid && o->family == ci->family &&
		    strcmp(o->ifname, ci->ifname) == 0)
			return conf_node_err(in, err, errlen, "VRID %u used twice on %s",
					     ci->vrrp.vrid, ci->ifname);
	}
	return 0;
}

static int read_dataplane(const struct conf *c, struct ctl_conf *out, char *err, size_t errlen)
{
	const struct conf_node *dp = conf_get(c, "dataplane");
	const char *t;
	int ret;

	if ((ret = conf_node_get_str(dp, "telemetry", "/var/run/dpdk/rte/dpdk_telemetry.v2", &t,
				     err, errlen)) < 0)
		return ret;
	out->telemetry = strcmp(t, "none") == 0 ? NULL : t;
	if ((ret = conf_node_get_str(dp, "eve", NULL, &out->eve, err, errlen)) < 0)
		return ret;
	if ((ret = get_secs(dp, "interval", 10000, &out->dp_interval_us, err, errlen)) < 0 ||
	    (ret = get_secs(dp, "timeout", 100000, &out->dp_timeout_us, err, errlen)) < 0 ||
	    (ret = get_secs(dp, "stall", 100000, &out->dp_stall_us, err, errlen)) < 0 ||
	    (ret = conf_node_get_bool(dp, "role", true, &out->dp_role, err, errlen)) < 0)
		return ret;
	if (out->dp_interval_us < 1000)
		return conf_node_err(conf_node_get(dp, "interval"), err, errlen,
				     "must be at least 0.001");
	return 0;
}

int ctl_conf_read(const struct conf *c, struct ctl_conf *out, char *err, size_t errlen)
{
	const struct conf_node *l, *n;
	int ret;

	memset(out, 0, sizeof(*out));
	if ((ret = conf_get_str(c, "vrrp.script_user", NULL, &out->script_user, err, errlen)) < 0 ||
	    (ret = get_secs(conf_get(c, "vrrp"), "notify_timeout", 5000000, &out->notify_timeout_us,
			    err, errlen)) < 0)
		return ret;
	l = conf_get(c, "vrrp.scripts");
	for (n = conf_node_first(l); n; n = conf_node_next(n)) {
		if (out->nscript == CTL_MAX_SCRIPTS)
			return conf_node_err(n, err, errlen, "at most %d scripts", CTL_MAX_SCRIPTS);
		if ((ret = read_script(n, &out->scripts[out->nscript], err, errlen)) < 0)
			return ret;
		out->nscript++;
	}
	l = conf_get(c, "vrrp.instances");
	for (n = conf_node_first(l); n; n = conf_node_next(n)) {
		if (out->ninst == CTL_MAX_INSTANCES)
			return conf_node_err(n, err, errlen, "at most %d instances",
					     CTL_MAX_INSTANCES);
		if ((ret = read_instance(n, out, &out->inst[out->ninst], err, errlen)) < 0 ||
		    (ret = check_unique(out, n, out->ninst, err, errlen)) < 0)
			return ret;
		out->ninst++;
	}
	if ((ret = read_dataplane(c, out, err, errlen)) < 0)
		return ret;
	/* tracking needs the socket it reads (the daemon could not start) */
	n = conf_node_first(l);
	for (unsigned i = 0; i < out->ninst; i++, n = conf_node_next(n))
		if (out->inst[i].track_dp && !out->telemetry)
			return conf_node_err(conf_node_get(n, "track_dataplane"), err, errlen,
					     "track_dataplane needs dataplane.telemetry "
					     "(it is none)");
	out->management = conf_get(c, "management");
	return 0;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_tracks(const struct ctl_track *a, const struct ctl_track *b, unsigned n)
{
	/* by name, not by index: scripts may move in the list */
	for (unsigned i = 0; i < n; i++)
		if (!same_str(a[i].name, b[i].name) || a[i].weight != b[i].weight ||
		    a[i].weight_set != b[i].weight_set)
			return false;
	return true;
}

bool ctl_instance_same(const struct ctl_instance *a, const struct ctl_instance *b)
{
	const struct vrrp_inst_conf *x = &a->vrrp, *y = &b->vrrp;

	return strcmp(x->name, y->name) == 0 && x->vrid == y->vrid &&
	       x->priority == y->priority && x->adver_int_cs == y->adver_int_cs &&
	       x->preempt == y->preempt && x->preempt_delay_us == y->preempt_delay_us &&
	       strcmp(a->ifname, b->ifname) == 0 && a->family == b->family &&
	       a->nvip == b->nvip && memcmp(a->vips, b->vips, a->nvip * sizeof(a->vips[0])) == 0 &&
	       a->has_src == b->has_src &&
	       memcmp(&a->unicast_src, &b->unicast_src, sizeof(a->unicast_src)) == 0 &&
	       a->npeer == b->npeer &&
	       memcmp(a->peers, b->peers, a->npeer * sizeof(a->peers[0])) == 0 &&
	       a->garp_repeat == b->garp_repeat && a->garp_interval_us == b->garp_interval_us &&
	       a->ntrack_if == b->ntrack_if && same_tracks(a->track_if, b->track_if, a->ntrack_if) &&
	       a->ntrack_script == b->ntrack_script &&
	       same_tracks(a->track_script, b->track_script, a->ntrack_script) &&
	       a->track_dp == b->track_dp && a->dp_weight == b->dp_weight &&
	       same_str(a->notify_master, b->notify_master) &&
	       same_str(a->notify_backup, b->notify_backup) &&
	       same_str(a->notify_fault, b->notify_fault) &&
	       same_str(a->notify_stop, b->notify_stop) && same_str(a->notify, b->notify);
}

bool ctl_script_same(const struct ctl_script *a, const struct ctl_script *b)
{
	return same_str(a->name, b->name) && same_str(a->cmd, b->cmd) &&
	       a->interval_us == b->interval_us && a->timeout_us == b->timeout_us &&
	       a->weight == b->weight && a->rise == b->rise && a->fall == b->fall;
}

bool ctl_dataplane_same(const struct ctl_conf *a, const struct ctl_conf *b)
{
	return same_str(a->telemetry, b->telemetry) && a->dp_interval_us == b->dp_interval_us &&
	       a->dp_timeout_us == b->dp_timeout_us && a->dp_stall_us == b->dp_stall_us;
}
