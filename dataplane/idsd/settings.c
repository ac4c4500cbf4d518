/* SPDX-License-Identifier: MIT */
#include "settings.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../conf/conf.h"
#include "../applayer/file_magic.h"
#include "../detect/detect.h"

/* Collects problems as "file:line:col: reason" lines and counts them. */
struct problems {
	FILE *out;
	int n;
	char err[512];
};

static void report(struct problems *pb)
{
	fprintf(pb->out, "%s\n", pb->err);
	pb->n++;
}

static const char *get_str(struct problems *pb, const struct conf_node *base, const char *path,
			   const char *def)
{
	const char *v = def;

	if (conf_node_get_str(base, path, def, &v, pb->err, sizeof(pb->err)) != 0)
		report(pb);
	return v;
}

/* One of two words: true for the first (also the default when absent). */
static bool get_either(struct problems *pb, const struct conf_node *base, const char *path,
		       const char *first, const char *second)
{
	const char *v = get_str(pb, base, path, first);

	if (strcmp(v, first) == 0)
		return true;
	if (strcmp(v, second) != 0) {
		conf_node_err(conf_node_get(base, path), pb->err, sizeof(pb->err),
			      "expected '%s' or '%s', got '%s'", first, second, v);
		report(pb);
	}
	return false;
}

static bool get_bool(struct problems *pb, const struct conf_node *base, const char *path, bool def)
{
	bool v = def;

	if (conf_node_get_bool(base, path, def, &v, pb->err, sizeof(pb->err)) != 0)
		report(pb);
	return v;
}

static uint64_t get_u64(struct problems *pb, const struct conf_node *base, const char *path,
			uint64_t def, uint64_t max)
{
	const struct conf_node *n = conf_node_get(base, path);
	uint64_t v = def;

	if (conf_node_get_u64(base, path, def, &v, pb->err, sizeof(pb->err)) != 0) {
		report(pb);
		return def;
	}
	if (v > max) {
		conf_node_err(n, pb->err, sizeof(pb->err), "at most %llu", (unsigned long long)max);
		report(pb);
		return def;
	}
	return v;
}

static uint64_t get_size(struct problems *pb, const struct conf_node *base, const char *path,
			 uint64_t def)
{
	uint64_t v = def;

	if (conf_node_get_size(base, path, def, &v, pb->err, sizeof(pb->err)) != 0)
		report(pb);
	return v;
}

/* "auto" or a number; auto = def. */
static uint64_t get_u64_auto(struct problems *pb, const struct conf_node *base, const char *path,
			     uint64_t def, uint64_t max)
{
	const struct conf_node *n = conf_node_get(base, path);

	if (n != NULL && n->value != NULL && strcmp(n->value, "auto") == 0)
		return def;
	return get_u64(pb, base, path, def, max);
}

static int push_str(const char ***list, unsigned *n, const char *v)
{
	const char **nl = realloc(*list, (*n + 1) * sizeof(*nl));

	if (nl == NULL)
		return -ENOMEM;
	nl[(*n)++] = v;
	*list = nl;
	return 0;
}

static void load_rules(struct settings *s, struct problems *pb, const struct conf *c,
		       const struct idsd_args *a)
{
	const struct conf_node *files = conf_get(c, "rule-files");

	s->rule_path = get_str(pb, c->root, "default-rule-path", NULL);
	s->classification_file = get_str(pb, c->root, "classification-file", NULL);
	s->reference_file = get_str(pb, c->root, "reference-config-file", NULL);
	s->threshold_file = get_str(pb, c->root, "threshold-file", NULL);
	s->strict_rules = a->strict_rules;
	if (a->nrule_files > 0) {
		/* -S replaces rule-files, and its paths are taken as given. */
		for (unsigned i = 0; i < a->nrule_files; i++)
			push_str(&s->rule_files, &s->nrule_files, a->rule_files[i]);
		s->rule_path = NULL;
		return;
	}
	if (files == NULL)
		return;
	if (files->value != NULL && files->child == NULL) {
		push_str(&s->rule_files, &s->nrule_files, files->value);
		return;
	}
	for (const struct conf_node *f = conf_node_first(files); f; f = conf_node_next(f))
		if (f->value != NULL)
			push_str(&s->rule_files, &s->nrule_files, f->value);
}

/* action-order (Suricata's ActionInitConfig): each of pass, drop, reject
 * and alert exactly once, the first evaluated first. Absent: Suricata's
 * default order; anything else is an invalid config. */
static void load_action_order(struct settings *s, struct problems *pb, const struct conf *c)
{
	static const char *const names[RULE_ACT_MAX] = {
		[RULE_ACT_PASS] = "pass", [RULE_ACT_DROP] = "drop",
		[RULE_ACT_REJECT] = "reject", [RULE_ACT_ALERT] = "alert",
	};
	const struct conf_node *list = conf_get(c, "action-order");
	unsigned n = 0, seen = 0;

	for (unsigned a = 0; a < RULE_ACT_MAX; a++)
		s->action_order[a] = (enum rule_action)a;
	if (list == NULL)
		return;
	for (const struct conf_node *e = conf_node_first(list); e; e = conf_node_next(e)) {
		unsigned a = 0;

		while (a < RULE_ACT_MAX && (e->value == NULL || strcmp(e->value, names[a]) != 0))
			a++;
		if (a == RULE_ACT_MAX || (seen & (1u << a)) || n == RULE_ACT_MAX) {
			conf_node_err(e, pb->err, sizeof(pb->err),
				      "action-order: '%s' is not one of pass, drop, reject, alert "
				      "given once", e->value ? e->value : "");
			report(pb);
			return;
		}
		seen |= 1u << a;
		s->action_order[n++] = (enum rule_action)a;
	}
	if (n < RULE_ACT_MAX) {
		conf_node_err(list, pb->err, sizeof(pb->err),
			      "action-order must list all of pass, drop, reject, alert");
		report(pb);
		for (unsigned a = 0; a < RULE_ACT_MAX; a++)
			s->action_order[a] = (enum rule_action)a;
	}
}

static void load_vars(struct settings *s, const struct conf *c)
{
	static const struct { char kind; const char *path; } groups[] = {
		{ 'a', "vars.address-groups" },
		{ 'p', "vars.port-groups" },
	};

	for (unsigned g = 0; g < 2; g++) {
		const struct conf_node *base = conf_get(c, groups[g].path);

		for (const struct conf_node *v = conf_node_first(base); v; v = conf_node_next(v)) {
			struct rule_var *nv;

			if (v->value == NULL)
				continue;
			nv = realloc(s->vars, (s->nvars + 1) * sizeof(*nv));
			if (nv == NULL)
				return;
			s->vars = nv;
			s->vars[s->nvars++] = (struct rule_var){ groups[g].kind, v->name, v->value };
		}
	}
}

static int push_eal(struct settings *s, const char *fmt, const char *a, const char *b)
{
	char **nl = realloc(s->eal_params, (s->neal_params + 1) * sizeof(*nl));

	if (nl == NULL)
		return -ENOMEM;
	s->eal_params = nl;
	if (asprintf(&s->eal_params[s->neal_params], fmt, a, b) < 0)
		return -ENOMEM;
	s->neal_params++;
	return 0;
}

/* dpdk.eal-params as Suricata maps it: key "no-huge: true" -> --no-huge,
 * "vdev: [a, b]" -> --vdev=a --vdev=b, "l: 0-1" -> -l 0-1. */
static void load_eal_params(struct settings *s, struct problems *pb, const struct conf *c)
{
	const struct conf_node *base = conf_get(c, "dpdk.eal-params");

	for (const struct conf_node *p = conf_node_first(base); p; p = conf_node_next(p)) {
		const char *dash = strlen(p->name) == 1 ? "-" : "--";
		char opt[256];

		snprintf(opt, sizeof(opt), "%s%s", dash, p->name);
		if (p->child != NULL) {
			for (const struct conf_node *e = p->child; e; e = e->next)
				if (e->value != NULL)
					push_eal(s, dash[1] ? "%s=%s" : "%s%s", opt, e->value);
			continue;
		}
		if (p->value == NULL)
			continue;
		bool flag;

		if (conf_parse_bool(p->value, &flag) == 0 &&
		    strcmp(p->value, "0") != 0 && strcmp(p->value, "1") != 0) {
			if (flag)
				push_eal(s, "%s%s", opt, "");
			continue;
		}
		push_eal(s, dash[1] ? "%s=%s" : "%s%s", opt, p->value);
	}
	(void)pb;
}

static void load_port(struct problems *pb, const struct conf_node *n, const struct conf_node *dflt,
		      struct port_settings *ps)
{
	const struct conf_node *src[2] = { dflt, n };
	const char *mode = "none";

	memset(ps, 0, sizeof(*ps));
	ps->threads = 1;
	ps->promisc = true;
	ps->csum_check = -1;
	/* The "default" entry first, the interface's own keys override it. */
	for (unsigned i = 0; i < 2; i++) {
		const struct conf_node *b = src[i];

		if (b == NULL)
			continue;
		ps->threads = (uint16_t)get_u64_auto(pb, b, "threads", ps->threads, 256);
		ps->promisc = get_bool(pb, b, "promisc", ps->promisc);
		ps->mtu = (uint16_t)get_u64(pb, b, "mtu", ps->mtu, 65535);
		ps->rx_desc = (uint16_t)get_u64_auto(pb, b, "rx-descriptors", ps->rx_desc, 65535);
		ps->tx_desc = (uint16_t)get_u64_auto(pb, b, "tx-descriptors", ps->tx_desc, 65535);
		ps->mempool_size = (uint32_t)get_u64_auto(pb, b, "mempool-size", ps->mempool_size,
							  UINT32_MAX);
		ps->mempool_cache = (uint32_t)get_u64_auto(pb, b, "mempool-cache-size",
							   ps->mempool_cache, 512);
		if (conf_node_get(b, "checksum-checks") != NULL)
			ps->csum_check = get_bool(pb, b, "checksum-checks", true);
		mode = get_str(pb, b, "copy-mode", mode);
		snprintf(ps->copy_iface, sizeof(ps->copy_iface), "%s",
			 get_str(pb, b, "copy-iface", ps->copy_iface));
	}
	snprintf(ps->name, sizeof(ps->name), "%s", get_str(pb, n, "interface", ""));
	if (ps->threads == 0)
		ps->threads = 1;
	if (strcmp(mode, "none") == 0) {
		ps->copy_mode = COPY_NONE;
	} else if (strcmp(mode, "tap") == 0) {
		ps->copy_mode = COPY_TAP;
	} else if (strcmp(mode, "ips") == 0) {
		ps->copy_mode = COPY_IPS;
	} else {
		conf_node_err(conf_node_get(n, "copy-mode"), pb->err, sizeof(pb->err),
			      "expected none, tap or ips, got '%s'", mode);
		report(pb);
	}
	if (ps->copy_mode != COPY_NONE && ps->copy_iface[0] == '\0') {
		conf_node_err(n, pb->err, sizeof(pb->err), "copy-mode %s needs copy-iface", mode);
		report(pb);
	}
}

static void load_ports(struct settings *s, struct problems *pb, const struct conf *c)
{
	const struct conf_node *ifs = conf_get(c, "dpdk.interfaces");
	const struct conf_node *dflt = NULL;

	for (const struct conf_node *n = conf_node_first(ifs); n; n = conf_node_next(n)) {
		const struct conf_node *name = conf_node_get(n, "interface");

		if (name != NULL && name->value != NULL && strcmp(name->value, "default") == 0)
			dflt = n;
	}
	for (const struct conf_node *n = conf_node_first(ifs); n; n = conf_node_next(n)) {
		struct port_settings *ps;

		if (n == dflt)
			continue;
		if (s->nports == SETTINGS_MAX_PORTS) {
			conf_node_err(n, pb->err, sizeof(pb->err), "at most %d interfaces",
				      SETTINGS_MAX_PORTS);
			report(pb);
			return;
		}
		ps = &s->ports[s->nports++];
		load_port(pb, n, dflt, ps);
		if (ps->name[0] == '\0') {
			conf_node_err(n, pb->err, sizeof(pb->err), "interface name missing");
			report(pb);
		}
		if (ps->copy_mode == COPY_IPS)
			s->ips = true;
	}
}

/* Where to point at the port named name: its dpdk.interfaces entry's
 * threads, else the entry, else the list. */
static const struct conf_node *port_threads_node(const struct conf *c, const char *name)
{
	const struct conf_node *ifs = conf_get(c, "dpdk.interfaces");

	for (const struct conf_node *n = conf_node_first(ifs); n; n = conf_node_next(n)) {
		const struct conf_node *v = conf_node_get(n, "interface");
		const struct conf_node *t = conf_node_get(n, "threads");

		if (v != NULL && v->value != NULL && strcmp(v->value, name) == 0)
			return t != NULL ? t : n;
	}
	return ifs;
}

/* runmode workers: the worker of RX queue k of an inline pair's first port
 * takes queue k of the other too (both directions of a flow land on the
 * same queue index), so both ports need as many queues (threads). */
static void check_pairs(const struct settings *s, struct problems *pb, const struct conf *c)
{
	if (s->runmode != RUNMODE_WORKERS)
		return;
	for (unsigned i = 0; i < s->nports; i++) {
		const struct port_settings *a = &s->ports[i];

		for (unsigned j = i + 1; j < s->nports; j++) {
			const struct port_settings *b = &s->ports[j];

			if (!port_settings_paired(a, b) || a->threads == b->threads)
				continue;
			conf_node_err(port_threads_node(c, b->name), pb->err, sizeof(pb->err),
				      "interfaces %s (threads: %u) and %s (threads: %u) forward into "
				      "each other: in runmode workers one worker takes queue k of "
				      "both, so they need the same threads", a->name, a->threads,
				      b->name, b->threads);
			report(pb);
		}
	}
}

static void load_flow(struct settings *s, struct problems *pb, const struct conf *c)
{
	static const struct { const char *name; enum flow_proto_class pc; } protos[] = {
		{ "default", FLOW_PC_OTHER }, { "tcp", FLOW_PC_TCP },
		{ "udp", FLOW_PC_UDP }, { "icmp", FLOW_PC_ICMP },
	};
	const struct conf_node *ft = conf_get(c, "flow-timeouts");

	s->flow.memcap = get_size(pb, c->root, "flow.memcap", 0);
	s->flow.hash_size = (uint32_t)get_u64(pb, c->root, "flow.hash-size", 0, 1u << 28);
	s->flow.prealloc = (uint32_t)get_u64(pb, c->root, "flow.prealloc", FLOW_PREALLOC_DEFAULT,
					     1u << 28);
	s->flow.emerg_recovery = (uint32_t)get_u64(pb, c->root, "flow.emergency-recovery",
						   FLOW_EMERG_RECOVERY_DEFAULT, 100);
	s->flow.midstream = get_bool(pb, c->root, "stream.midstream", false);
	for (unsigned i = 0; i < 4; i++) {
		const struct conf_node *b = conf_node_get(ft, protos[i].name);
		struct flow_timeouts *to = &s->flow.to[protos[i].pc];

		if (b == NULL)
			continue;
		to->new_s = (uint32_t)get_u64(pb, b, "new", 0, 86400);
		to->established_s = (uint32_t)get_u64(pb, b, "established", 0, 86400 * 7);
		to->closed_s = (uint32_t)get_u64(pb, b, "closed", 0, 86400);
		to->emerg_new_s = (uint32_t)get_u64(pb, b, "emergency-new", 0, 86400);
		to->emerg_established_s = (uint32_t)get_u64(pb, b, "emergency-established", 0,
							    86400 * 7);
		to->emerg_closed_s = (uint32_t)get_u64(pb, b, "emergency-closed", 0, 86400);
	}
}

/* A port list as suricata.yaml writes it, or "$NAME" of vars.port-groups
 * (the stock file says "ports: $VXLAN_PORTS"). NULL: no such variable. */
static const char *port_value(const struct settings *s, const char *v)
{
	if (v[0] != '$')
		return v;
	for (unsigned i = 0; i < s->nvars; i++)
		if (s->vars[i].kind == 'p' && strcmp(s->vars[i].name, v + 1) == 0)
			return s->vars[i].value;
	return NULL;
}

/* decoder.<name>.enabled and .ports of a tunnel over UDP: up to four
 * ports or ranges, as Suricata. */
static void load_udp_tunnel(struct settings *s, struct problems *pb, const struct conf *c,
			    const char *name, struct decode_udp_tunnel *t)
{
	const struct conf_node *n;
	struct app_ports ps;
	const char *v;
	char path[64], err[256];

	snprintf(path, sizeof(path), "decoder.%s.enabled", name);
	t->disabled = !get_bool(pb, c->root, path, true);
	snprintf(path, sizeof(path), "decoder.%s.ports", name);
	n = conf_get(c, path);
	if (n == NULL || n->value == NULL)
		return;
	v = port_value(s, n->value);
	if (v == NULL) {
		conf_node_err(n, pb->err, sizeof(pb->err), "unknown port variable '%s'", n->value);
		report(pb);
	} else if (app_ports_parse(v, &ps, err, sizeof(err)) != 0) {
		conf_node_err(n, pb->err, sizeof(pb->err), "%s", err);
		report(pb);
	} else if (ps.n > DECODE_TUN_PORTS) {
		conf_node_err(n, pb->err, sizeof(pb->err), "at most %d ports, got '%s'",
			      DECODE_TUN_PORTS, v);
		report(pb);
	} else {
		t->nports = ps.n;
		memcpy(t->lo, ps.lo, ps.n * sizeof(t->lo[0]));
		memcpy(t->hi, ps.hi, ps.n * sizeof(t->hi[0]));
	}
}

/* decoder.*: the tunnels over UDP and decoder.max-layers. Call after
 * load_vars (port variables). */
static void load_decoder(struct settings *s, struct problems *pb, const struct conf *c)
{
	uint64_t max = get_u64(pb, c->root, "decoder.max-layers", DECODE_MAX_LAYERS_DEFAULT,
			       DECODE_MAX_LAYERS_LIMIT);

	if (max == 0) {
		conf_node_err(conf_get(c, "decoder.max-layers"), pb->err, sizeof(pb->err),
			      "at least 1");
		report(pb);
		max = DECODE_MAX_LAYERS_DEFAULT;
	}
	s->decode.max_layers = (uint8_t)max;
	load_udp_tunnel(s, pb, c, "teredo", &s->decode.teredo);
	load_udp_tunnel(s, pb, c, "vxlan", &s->decode.vxlan);
	load_udp_tunnel(s, pb, c, "geneve", &s->decode.geneve);
}

/* packet-alert-max: the alerts a packet keeps. Not an integer: an error;
 * outside 1 to 255: a warning and the default, as Suricata 7 checks it
 * (its suricata-verify case alert-max-default gives 0 and expects that). */
static void load_alert_max(struct settings *s, struct problems *pb, const struct conf *c)
{
	int64_t max = DETECT_ALERTS_DEFAULT;

	s->packet_alert_max = DETECT_ALERTS_DEFAULT;
	if (conf_node_get_int(c->root, "packet-alert-max", DETECT_ALERTS_DEFAULT, &max, pb->err,
			      sizeof(pb->err)) != 0) {
		report(pb);
		return;
	}
	if (max < 1 || max > DETECT_MAX_ALERTS) {
		conf_node_err(conf_get(c, "packet-alert-max"), pb->err, sizeof(pb->err),
			      "warning: %lld is not within 1 to %d, the default %d is used",
			      (long long)max, DETECT_MAX_ALERTS, DETECT_ALERTS_DEFAULT);
		fprintf(pb->out, "%s\n", pb->err);
		return;
	}
	s->packet_alert_max = (uint32_t)max;
}

/* The exception policies (pipeline/exception.h) as Suricata 7 reads them:
 * each key's own value, else the exception-policy master switch's, else
 * "auto" (ExceptionPolicyGetDefault: drop-flow in IPS mode, ignore in IDS
 * mode). "auto" is drop-flow in IPS mode (drop-packet where the key has no
 * flow actions) and ignore in IDS mode. In IDS mode the master switch's
 * drop-flow and drop-packet become ignore, as Suricata's; on a key of its
 * own they are refused: nothing is dropped in IDS mode. A key without flow
 * actions (flow, defrag) takes drop-flow as drop-packet, pass-flow as
 * pass-packet and bypass as ignore, with a warning. Refused with the
 * reason: reject (idsd answers rejects for rule matches only) and any
 * app-layer.error-policy other than ignore (idsd's parsers count bad input
 * and go on: none stops on an error the way Suricata's do, so there is no
 * error to apply a policy to). Call after s->ips is known. */
#define EXC_AUTO EXC_POLICIES
#define EXC_BAD (EXC_POLICIES + 1)

static unsigned exc_value(struct problems *pb, const struct conf_node *n)
{
	const char *v = n->value != NULL ? n->value : "";

	if (strcmp(v, "auto") == 0)
		return EXC_AUTO;
	for (unsigned p = 0; p < EXC_POLICIES; p++)
		if (strcmp(v, exc_policy_name((enum exc_policy)p)) == 0)
			return p;
	if (strcmp(v, "reject") == 0)
		conf_node_err(n, pb->err, sizeof(pb->err),
			      "reject is not supported as an exception policy: idsd sends "
			      "rejects for rule matches only");
	else
		conf_node_err(n, pb->err, sizeof(pb->err),
			      "'%s' is not a valid exception policy: drop-flow, pass-flow, bypass, "
			      "drop-packet, pass-packet, ignore or auto", v);
	report(pb);
	return EXC_BAD;
}

/* stream.midstream-policy as Suricata 7's ExceptionPolicyMidstreamParse:
 * its own value (auto: drop-flow in IPS mode without stream.midstream,
 * else ignore; with stream.midstream only pass-flow or ignore; never
 * drop-flow in IDS mode), else the master switch's (auto as above), else
 * drop-flow in IPS mode without stream.midstream and ignore otherwise;
 * the packet actions are refused (a flow is there to act on). */
static unsigned midstream_policy(struct settings *s, struct problems *pb, const struct conf *c,
				 unsigned master)
{
	const struct conf_node *n = conf_get(c, "stream.midstream-policy");
	const bool mid = s->flow.midstream;
	const unsigned auto_v = s->ips && !mid ? EXC_DROP_FLOW : EXC_IGNORE;
	unsigned v = n != NULL ? exc_value(pb, n) : master;
	const char *why = NULL;

	if (v == EXC_BAD)
		return EXC_IGNORE;
	if (v == EXC_AUTO)
		v = auto_v;
	else if (n != NULL && mid && v != EXC_IGNORE && v != EXC_PASS_FLOW)
		why = "with stream.midstream enabled only pass-flow or ignore";
	else if (n != NULL && !s->ips && v == EXC_DROP_FLOW)
		why = "drop-flow is valid in IPS mode only";
	if (why == NULL && (v == EXC_DROP_PACKET || v == EXC_PASS_PACKET))
		why = "a packet action is not valid for stream.midstream-policy";
	if (why == NULL)
		return v;
	conf_node_err(n != NULL ? n : conf_get(c, "exception-policy"), pb->err, sizeof(pb->err),
		      "stream.midstream-policy: %s is not valid: %s",
		      exc_policy_name((enum exc_policy)v), why);
	report(pb);
	return EXC_IGNORE;
}

static void load_exception_policies(struct settings *s, struct problems *pb, const struct conf *c)
{
	const struct conf_node *mn = conf_get(c, "exception-policy");
	const struct conf_node *app = conf_get(c, "app-layer.error-policy");
	unsigned master = mn != NULL ? exc_value(pb, mn) : EXC_AUTO;

	if (master == EXC_BAD)
		master = EXC_IGNORE;
	if (!s->ips && (master == EXC_DROP_FLOW || master == EXC_DROP_PACKET))
		master = EXC_IGNORE;
	for (unsigned pt = 0; pt < EXC_POINTS; pt++) {
		const struct conf_node *n = conf_get(c, exc_point_key((enum exc_point)pt));
		bool flow = exc_point_flow_actions((enum exc_point)pt);
		unsigned v, fitted;

		if (pt == EXC_MIDSTREAM) {
			s->exc.policy[pt] = (uint8_t)midstream_policy(s, pb, c, master);
			continue;
		}
		v = n != NULL ? exc_value(pb, n) : master;

		if (v == EXC_BAD)
			continue;
		if (v == EXC_AUTO)
			v = !s->ips ? EXC_IGNORE : flow ? EXC_DROP_FLOW : EXC_DROP_PACKET;
		if (n != NULL && !s->ips && (v == EXC_DROP_FLOW || v == EXC_DROP_PACKET)) {
			conf_node_err(n, pb->err, sizeof(pb->err),
				      "%s is valid in IPS mode only (copy-mode: ips, --simulate-ips): "
				      "in IDS mode nothing is dropped; use pass-packet, pass-flow, "
				      "bypass or ignore", exc_policy_name((enum exc_policy)v));
			report(pb);
			continue;
		}
		fitted = v;
		if (!flow && v == EXC_DROP_FLOW)
			fitted = EXC_DROP_PACKET;
		else if (!flow && v == EXC_PASS_FLOW)
			fitted = EXC_PASS_PACKET;
		else if (!flow && v == EXC_BYPASS)
			fitted = EXC_IGNORE;
		if (fitted != v && n != NULL) {
			conf_node_err(n, pb->err, sizeof(pb->err),
				      "warning: flow actions not supported here (no flow yet), "
				      "%s is taken as %s", exc_policy_name((enum exc_policy)v),
				      exc_policy_name((enum exc_policy)fitted));
			fprintf(pb->out, "%s\n", pb->err);
		}
		s->exc.policy[pt] = (uint8_t)fitted;
	}
	if (app != NULL) {
		unsigned v = exc_value(pb, app);

		if (v == EXC_AUTO && !s->ips)
			v = EXC_IGNORE;
		if (v != EXC_IGNORE && v != EXC_BAD) {
			conf_node_err(app, pb->err, sizeof(pb->err),
				      "only ignore is supported: idsd's parsers count bad input and go "
				      "on, none stops on an error as Suricata's do, so there is no "
				      "app-layer error to apply a policy to");
			report(pb);
		}
	} else if (mn != NULL && master != EXC_IGNORE) {
		conf_node_err(mn, pb->err, sizeof(pb->err),
			      "warning: app-layer.error-policy is not covered (ignore): idsd's "
			      "parsers stop on no error");
		fprintf(pb->out, "%s\n", pb->err);
	}
}

/* stream.* and defrag.* as suricata.yaml. stream.inline: yes, no, or auto (the default):
 * inline exactly when verdicts are enforced (IPS). Call after s->ips is known. */
static void load_stream(struct settings *s, struct problems *pb, const struct conf *c)
{
	const struct conf_node *in = conf_node_get(c->root, "stream.inline");
	struct stream_config *sc = &s->stream;
	uint64_t dgram_bytes;

	sc->memcap = get_size(pb, c->root, "stream.memcap", 0);
	sc->reassembly_memcap = get_size(pb, c->root, "stream.reassembly.memcap", 0);
	sc->depth = (uint32_t)get_size(pb, c->root, "stream.reassembly.depth", 1u << 20);
	sc->chunk_size[PKT_TO_SERVER] = (uint32_t)get_size(pb, c->root,
		"stream.reassembly.toserver-chunk-size", 2560);
	sc->chunk_size[PKT_TO_CLIENT] = (uint32_t)get_size(pb, c->root,
		"stream.reassembly.toclient-chunk-size", 2560);
	if (in != NULL && in->value != NULL && strcmp(in->value, "auto") != 0)
		sc->inline_mode = get_bool(pb, c->root, "stream.inline", false);
	else
		sc->inline_mode = s->ips;
	/* the session tracker's handshake checks follow both */
	s->flow.inline_mode = sc->inline_mode;
	s->flow.async_oneside = get_bool(pb, c->root, "stream.async-oneside", false);

	s->defrag.memcap = get_size(pb, c->root, "defrag.memcap", 0);
	s->defrag.timeout_s = (uint32_t)get_u64(pb, c->root, "defrag.timeout", 0, 86400);
	s->defrag.max_frags = (uint32_t)get_u64(pb, c->root, "defrag.max-frags", 0, 1u << 24);
	s->defrag.trackers = (uint32_t)get_u64(pb, c->root, "defrag.trackers", 0, 1u << 20);
	s->defrag.dgram_frags = (uint32_t)get_u64(pb, c->root, "defrag.datagram.max-frags", 0, 8192);
	s->defrag.dgram_overlaps = (uint32_t)get_u64(pb, c->root, "defrag.datagram.max-overlaps",
						     0, 8192);
	dgram_bytes = get_size(pb, c->root, "defrag.datagram.max-bytes", 0);
	s->defrag.dgram_bytes = dgram_bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)dgram_bytes;
	s->defrag.src_trackers = (uint32_t)get_u64(pb, c->root, "defrag.source.max-trackers", 0,
						   1u << 20);
	s->defrag.src_memcap = get_size(pb, c->root, "defrag.source.memcap", 0);
}

/* outputs: [ - eve-log: { enabled, filename, types: [ - alert: {payload, packet} ] } ] */
/* eve-log alert xff: {enabled, mode: extra-data|overwrite,
 * deployment: reverse|forward, header} as Suricata's. */
static void load_xff(struct problems *pb, const struct conf_node *n, struct eve_xff *x)
{
	const char *header;

	if (n == NULL || !get_bool(pb, n, "enabled", false))
		return;
	x->enabled = true;
	x->overwrite = !get_either(pb, n, "mode", "extra-data", "overwrite");
	x->forward = !get_either(pb, n, "deployment", "reverse", "forward");
	header = get_str(pb, n, "header", "X-Forwarded-For");
	if (header[0] == '\0' || strlen(header) >= sizeof(x->header)) {
		conf_node_err(conf_node_get(n, "header"), pb->err, sizeof(pb->err),
			      "header name must be 1 to %zu characters", sizeof(x->header) - 1);
		report(pb);
		return;
	}
	memcpy(x->header, header, strlen(header) + 1);
}

/* The record types outputs.eve-log.types can name and idsd writes. */
static const struct {
	const char *name;
	uint32_t type;
} eve_type_names[] = {
	{ "alert", EVE_T_ALERT }, { "drop", EVE_T_DROP }, { "stats", EVE_T_STATS },
	{ "flow", EVE_T_FLOW }, { "netflow", EVE_T_NETFLOW }, { "http", EVE_T_HTTP },
	{ "dns", EVE_T_DNS }, { "tls", EVE_T_TLS }, { "anomaly", EVE_T_ANOMALY },
	{ "files", EVE_T_FILEINFO }, { "ftp", EVE_T_FTP }, { "smtp", EVE_T_SMTP },
	{ "ssh", EVE_T_SSH },
};


/* Suricata keys idsd accepts and does nothing with, inside the subtrees
 * settings reads itself (the schema's CONF_ANY) or depending on other
 * values: each one present is warned about, with its place, once per load,
 * as conf_validate warns about the schema's CONF_NOOP keys. */
static void warn_noop(struct problems *pb, const struct conf_node *n)
{
	conf_node_err(n, pb->err, sizeof(pb->err), "warning: accepted, has no effect");
	fprintf(pb->out, "%s\n", pb->err);
}

static void warn_noop_keys(struct problems *pb, const struct conf_node *base,
			   const char *const *keys, size_t n)
{
	for (size_t i = 0; base != NULL && i < n; i++) {
		const struct conf_node *k = conf_node_get(base, keys[i]);

		if (k != NULL)
			warn_noop(pb, k);
	}
}

/* Every option under a type idsd writes with fixed fields (http:
 * {extended: yes}, dns: {version: 2}, ...). */
static void warn_noop_children(struct problems *pb, const struct conf_node *opt)
{
	for (const struct conf_node *k = conf_node_first(opt); k != NULL; k = conf_node_next(k))
		warn_noop(pb, k);
}

/* "- anomaly: {enabled, types: {decode, stream, applayer}, packethdr}":
 * Suricata's defaults are decode no, stream no, applayer yes. */
static void load_anomaly(struct problems *pb, const struct conf_node *opt,
			 struct eve_output_settings *o)
{
	static const char *const noop[] = { "packethdr" };
	uint8_t k = 0;

	if (get_bool(pb, opt, "types.decode", false))
		k |= EVE_ANOMALY_DECODE;
	if (get_bool(pb, opt, "types.stream", false))
		k |= EVE_ANOMALY_STREAM;
	if (get_bool(pb, opt, "types.applayer", true))
		k |= EVE_ANOMALY_APPLAYER;
	o->opt.anomaly = k;
	if (!get_bool(pb, opt, "enabled", true) || k == 0)
		o->types &= ~(uint32_t)EVE_T_ANOMALY;
	warn_noop_keys(pb, opt, noop, sizeof(noop) / sizeof(noop[0]));
}

/* force-hash: [md5, sha1, sha256] (eve-log files, file-store): the
 * hashes every file gets, as APP_FILE_* bits. */
static uint8_t load_force_hash(struct problems *pb, const struct conf_node *base)
{
	static const char *const names[] = { "md5", "sha1", "sha256" };
	uint8_t bits = 0;

	for (const struct conf_node *h = conf_node_first(conf_node_get(base, "force-hash")); h;
	     h = conf_node_next(h)) {
		unsigned i = 0;

		while (i < 3 && (h->value == NULL || strcasecmp(h->value, names[i]) != 0))
			i++;
		if (i < 3) {
			bits |= (uint8_t)(1u << i);
			continue;
		}
		conf_node_err(h, pb->err, sizeof(pb->err), "unknown hash '%s' (md5, sha1, sha256)",
			      h->value ? h->value : "");
		report(pb);
	}
	return bits;
}

/* force-magic: yes (eve-log files): every file's type by libmagic, as
 * APP_FILE_MAGIC; its database is loaded here once so that a missing one
 * is a config error naming the key, not a worker that fails to start. */
static uint8_t load_force_magic(struct problems *pb, const struct conf_node *base)
{
	struct file_magic *m;
	char err[160];

	if (!get_bool(pb, base, "force-magic", false))
		return 0;
	m = file_magic_create(err, sizeof(err));
	if (m == NULL) {
		conf_node_err(conf_node_get(base, "force-magic"), pb->err, sizeof(pb->err), "%s",
			      err);
		report(pb);
		return 0;
	}
	file_magic_destroy(m);
	return APP_FILE_MAGIC;
}

/* "- http: {extended, custom: [...], dump-all-headers}" as Suricata's
 * http logger reads them. */
static void load_http_opts(struct problems *pb, const struct conf_node *opt,
			   struct eve_output_settings *o)
{
	static const char *const dump[] = { "none", "request", "response", "both" };
	const struct conf_node *d = conf_node_get(opt, "dump-all-headers");

	o->opt.http_extended = get_bool(pb, opt, "extended", false);
	load_xff(pb, conf_node_get(opt, "xff"), &o->opt.http_xff);
	for (unsigned i = 0; d != NULL && d->value != NULL && i < 4; i++)
		if (strcasecmp(d->value, dump[i]) == 0)
			o->opt.http_dump = (uint8_t)i;
	for (const struct conf_node *f = conf_node_first(conf_node_get(opt, "custom")); f;
	     f = conf_node_next(f)) {
		int k = f->value ? eve_http_field(f->value) : -1;

		if (k >= 0) {
			o->opt.http_fields |= 1ull << k;
			continue;
		}
		/* Suricata skips a name it does not know; idsd says so */
		conf_node_err(f, pb->err, sizeof(pb->err),
			      "warning: http custom field '%s' unknown, ignored",
			      f->value ? f->value : "");
		fprintf(pb->out, "%s\n", pb->err);
	}
}

/* "- dns: {version, requests, responses, formats: [detailed, grouped]}"
 * as Suricata 7's dns logger reads them (version 2 only: 1 is gone). */
static void load_dns_opts(struct problems *pb, const struct conf_node *opt,
			  struct eve_output_settings *o)
{
	const struct conf_node *fmts = conf_node_get(opt, "formats");
	static const char *const noop[] = { "types", "query", "answer" };

	if (get_u64(pb, opt, "version", 2, 3) != 2) {
		conf_node_err(conf_node_get(opt, "version"), pb->err, sizeof(pb->err),
			      "warning: dns version 2 is written (as Suricata 7)");
		fprintf(pb->out, "%s\n", pb->err);
	}
	o->opt.dns_no_requests = !get_bool(pb, opt, "requests", true);
	o->opt.dns_no_responses = !get_bool(pb, opt, "responses", true);
	for (const struct conf_node *f = conf_node_first(fmts); f; f = conf_node_next(f)) {
		if (f->value != NULL && strcmp(f->value, "detailed") == 0) {
			o->opt.dns_formats |= EVE_DNS_DETAILED;
		} else if (f->value != NULL && strcmp(f->value, "grouped") == 0) {
			o->opt.dns_formats |= EVE_DNS_GROUPED;
		} else {
			conf_node_err(f, pb->err, sizeof(pb->err),
				      "unknown dns format '%s' (detailed, grouped)",
				      f->value ? f->value : "");
			report(pb);
		}
	}
	warn_noop_keys(pb, opt, noop, sizeof(noop) / sizeof(noop[0]));
}

/* "- tls: {extended, custom: [...], session-resumption}" as Suricata's
 * OutputTlsInitCtx: custom replaces what extended says; names Suricata
 * does not know are warned about and skipped, as are those it writes and
 * idsd cannot (no certificate bytes, client certificate or JA4 kept). */
static void load_tls_opts(struct problems *pb, const struct conf_node *opt,
			  struct eve_output_settings *o)
{
	const struct conf_node *custom = conf_node_get(opt, "custom");

	o->opt.tls_fields = get_bool(pb, opt, "extended", false) ? EVE_TLS_EXTENDED
								   : EVE_TLS_BASIC;
	if (custom != NULL)
		o->opt.tls_fields = 0;
	for (const struct conf_node *f = conf_node_first(custom); f; f = conf_node_next(f)) {
		int bit = f->value ? eve_tls_field(f->value) : -1;

		if (bit > 0) {
			o->opt.tls_fields |= (uint32_t)bit;
			continue;
		}
		conf_node_err(f, pb->err, sizeof(pb->err), bit == 0 ?
			      "warning: tls custom field '%s' accepted, has no effect" :
			      "warning: tls custom field '%s' unknown, ignored",
			      f->value ? f->value : "");
		fprintf(pb->out, "%s\n", pb->err);
	}
	if (get_bool(pb, opt, "session-resumption", true))
		o->opt.tls_fields |= EVE_TLS_SESSION_RESUMED;
}

/* "- alert: {payload: yes, ...}" */
static void load_alert_opts(struct problems *pb, const struct conf_node *opt,
			    struct eve_output_settings *o)
{
	o->opt.payload = get_bool(pb, opt, "payload", false);
	o->opt.payload_printable = get_bool(pb, opt, "payload-printable", false);
	o->opt.http_body = get_bool(pb, opt, "http-body", false);
	o->opt.http_body_printable = get_bool(pb, opt, "http-body-printable", false);
	o->opt.packet = get_bool(pb, opt, "packet", false);
	o->opt.tagged_packets = get_bool(pb, opt, "tagged-packets", false);
	o->opt.flow = get_bool(pb, opt, "metadata", true);
	load_xff(pb, conf_node_get(opt, "xff"), &o->opt.xff);
	/* the options idsd does not implement are the schema's (CONF_NOOP) */
}

/* One "- name" or "- name: {options}" of a types list: the element's value
 * names it. A type Suricata has and idsd does not write is a warning. */
static void load_eve_type(struct problems *pb, const struct conf_node *t,
			  struct eve_output_settings *o)
{
	const struct conf_node *opt = conf_node_get(t, t->value);
	size_t i;

	for (i = 0; i < sizeof(eve_type_names) / sizeof(eve_type_names[0]); i++)
		if (strcmp(t->value, eve_type_names[i].name) == 0)
			break;
	if (i == sizeof(eve_type_names) / sizeof(eve_type_names[0])) {
		conf_node_err(t, pb->err, sizeof(pb->err),
			      "warning: eve-log type '%s' accepted, has no effect", t->value);
		fprintf(pb->out, "%s\n", pb->err);
		return;
	}
	o->types |= eve_type_names[i].type;
	if (eve_type_names[i].type == EVE_T_ALERT && opt != NULL) {
		load_alert_opts(pb, opt, o);
		if (o->opt.tagged_packets)
			o->types |= EVE_T_PACKET;
	} else if (eve_type_names[i].type == EVE_T_DROP) {
		o->opt.drop = true;
		o->opt.drop_alerts = opt ? get_bool(pb, opt, "alerts", true) : true;
		o->opt.drop_all = opt && !get_either(pb, opt, "flows", "start", "all");
	} else if (eve_type_names[i].type == EVE_T_ANOMALY) {
		load_anomaly(pb, opt, o);
	} else if (eve_type_names[i].type == EVE_T_HTTP) {
		load_http_opts(pb, opt, o);
	} else if (eve_type_names[i].type == EVE_T_DNS) {
		load_dns_opts(pb, opt, o);
	} else if (eve_type_names[i].type == EVE_T_TLS) {
		load_tls_opts(pb, opt, o);
	} else if (eve_type_names[i].type == EVE_T_FILEINFO) {
		o->file_hashes = load_force_hash(pb, opt) | load_force_magic(pb, opt);
	} else if (eve_type_names[i].type != EVE_T_ALERT) {
		warn_noop_children(pb, opt);
	}
}

/* What the workers must produce for every output together. */
static void merge_eve_opt(struct eve_options *all, const struct eve_options *o)
{
	all->drop |= o->drop;
	all->drop_all |= o->drop_all;
	all->drop_alerts |= o->drop_alerts;
	all->tagged_packets |= o->tagged_packets;
	all->payload |= o->payload;
	all->packet |= o->packet;
	all->flow |= o->flow;
	all->metadata |= o->metadata;
	/* one header name is extracted for both, the first one configured */
	if (o->xff.enabled && !all->xff.enabled)
		all->xff = o->xff;
	if (o->http_xff.enabled && !all->xff.enabled)
		all->xff = o->http_xff;
}

/* A name of a list, its index in *out; else reported, false. */
static bool get_word(struct problems *pb, const struct conf_node *base, const char *path,
		     const char *def, const char *const *words, unsigned n, unsigned *out)
{
	const char *v = get_str(pb, base, path, def);

	for (unsigned i = 0; i < n; i++) {
		if (words[i] != NULL && strcasecmp(v, words[i]) == 0) {
			*out = i;
			return true;
		}
	}
	conf_node_err(conf_node_get(base, path), pb->err, sizeof(pb->err),
		      "unknown value '%s'", v);
	report(pb);
	return false;
}

/* syslog: facility (local5) and level (Info), as Suricata names them. */
static void load_syslog(struct problems *pb, const struct conf_node *eve, struct eve_sink_config *sc)
{
	static const char *const levels[] = {
		"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug",
	};
	const struct conf_node *fn = conf_node_get(eve, "filename");

	sc->facility = 21;
	sc->severity = 6;
	get_word(pb, eve, "facility", "local5", log_facility_names, LOG_NFACILITIES,
		 &sc->facility);
	get_word(pb, eve, "level", "Info", levels, 8, &sc->severity);
	sc->identity = get_str(pb, eve, "identity", "idsd");
	/* the local syslog socket, or the socket an absolute filename names */
	sc->path = fn != NULL && fn->value != NULL && fn->value[0] == '/' ? fn->value : "/dev/log";
}

/* redis: {server, port, mode, key, stream-maxlen} as Suricata's. */
static void load_redis(struct problems *pb, const struct conf_node *r, struct eve_sink_config *sc)
{
	static const char *const modes[] = {
		"list", "lpush", "rpush", "channel", "publish", "stream", "xadd",
	};
	static const enum eve_redis_mode mode_of[] = {
		EVE_REDIS_LIST, EVE_REDIS_LIST, EVE_REDIS_RPUSH, EVE_REDIS_CHANNEL,
		EVE_REDIS_CHANNEL, EVE_REDIS_STREAM, EVE_REDIS_STREAM,
	};
	unsigned m = 0;

	sc->server = get_str(pb, r, "server", "127.0.0.1");
	sc->port = (uint16_t)get_u64(pb, r, "port", 6379, 65535);
	if (get_word(pb, r, "mode", "list", modes, 7, &m))
		sc->mode = mode_of[m];
	sc->key = get_str(pb, r, "key", "suricata");
	sc->stream_maxlen = get_u64(pb, r, "stream-maxlen", 100000, UINT32_MAX);
	/* always asynchronous and pipelined; MAXLEN always approximate */
	static const char *const noop[] = { "async", "pipelining", "stream-trim-exact" };
	warn_noop_keys(pb, r, noop, sizeof(noop) / sizeof(noop[0]));
}

/* filetype: regular (a file), or a sink. */
static void load_filetype(struct problems *pb, const struct conf_node *eve,
			  struct eve_output_settings *e)
{
	static const char *const types[] = {
		"regular", "file", "unix_stream", "unix_dgram", "syslog", "redis",
	};
	static const enum eve_sink_kind kind_of[] = {
		0, 0, EVE_SINK_UNIX_STREAM, EVE_SINK_UNIX_DGRAM, EVE_SINK_SYSLOG, EVE_SINK_REDIS,
	};
	unsigned t = 0;

	if (!get_word(pb, eve, "filetype", "regular", types, 6, &t) || kind_of[t] == 0)
		return;
	e->sink = true;
	e->sink_cfg.kind = kind_of[t];
	if (e->sink_cfg.kind == EVE_SINK_SYSLOG)
		load_syslog(pb, eve, &e->sink_cfg);
	else if (e->sink_cfg.kind == EVE_SINK_REDIS)
		load_redis(pb, conf_node_get(eve, "redis"), &e->sink_cfg);
}

/* outputs: - fast: {enabled, filename}: fast.log, one line per alert. */
static void load_fast(struct settings *s, struct problems *pb, const struct conf_node *n)
{
	struct eve_output_settings *e;

	if (n == NULL || !get_bool(pb, n, "enabled", true))
		return;
	if (s->neve == SETTINGS_MAX_EVE) {
		conf_node_err(n, pb->err, sizeof(pb->err), "at most %u outputs", SETTINGS_MAX_EVE);
		report(pb);
		return;
	}
	e = &s->eve[s->neve++];
	memset(e, 0, sizeof(*e));
	e->filename = get_str(pb, n, "filename", "fast.log");
	e->types = EVE_T_FAST;
}

/* outputs: - stats: {enabled, filename, totals, threads, deltas}: stats.log
 * at each stats interval. Per-thread figures are not kept: threads: yes is
 * warned about. */
static void load_stats_log(struct settings *s, struct problems *pb, const struct conf_node *n)
{
	if (n == NULL || !get_bool(pb, n, "enabled", true))
		return;
	s->stats_log = get_str(pb, n, "filename", "stats.log");
	s->stats_log_deltas = get_bool(pb, n, "deltas", false);
	if (!get_bool(pb, n, "totals", true)) {
		conf_node_err(conf_node_get(n, "totals"), pb->err, sizeof(pb->err),
			      "totals: no leaves nothing to write (threads are not kept)");
		report(pb);
	}
	if (get_bool(pb, n, "threads", false)) {
		conf_node_err(conf_node_get(n, "threads"), pb->err, sizeof(pb->err),
			      "warning: threads accepted, has no effect (totals only)");
		fprintf(pb->out, "%s\n", pb->err);
	}
}

/* outputs: [ - eve-log: { enabled, filename, types: [ - alert: {...}, - drop, ... ] } ]
 * Every enabled eve-log is an output of its own. Without any, eve.json
 * takes alerts and stats as before; an eve-log without "types" too. */
static void load_outputs(struct settings *s, struct problems *pb, const struct conf *c)
{
	const struct conf_node *outs = conf_get(c, "outputs");
	bool any = false;

	s->neve = 0;
	memset(&s->eve_opt, 0, sizeof(s->eve_opt));
	for (const struct conf_node *o = conf_node_first(outs); o; o = conf_node_next(o)) {
		const struct conf_node *eve = conf_node_get(o, "eve-log");
		const struct conf_node *types;
		struct eve_output_settings *e;

		load_fast(s, pb, conf_node_get(o, "fast"));
		load_stats_log(s, pb, conf_node_get(o, "stats"));
		if (eve == NULL)
			continue;
		any = true;
		if (!get_bool(pb, eve, "enabled", true))
			continue;
		if (s->neve == SETTINGS_MAX_EVE) {
			conf_node_err(eve, pb->err, sizeof(pb->err), "at most %u eve-log outputs",
				      SETTINGS_MAX_EVE);
			report(pb);
			break;
		}
		e = &s->eve[s->neve++];
		memset(e, 0, sizeof(*e));
		e->filename = get_str(pb, eve, "filename", "eve.json");
		load_filetype(pb, eve, e);
		/* keys that depend on filetype; the others are the schema's */
		if (!e->sink || e->sink_cfg.kind != EVE_SINK_SYSLOG) {
			static const char *const sys[] = { "level", "identity", "facility" };

			warn_noop_keys(pb, eve, sys, 3);
		}
		if (!e->sink || e->sink_cfg.kind != EVE_SINK_REDIS)
			warn_noop_keys(pb, eve, (const char *const[]){ "redis" }, 1);
		/* Suricata's defaults: pcap_cnt on, the alert's metadata on */
		e->opt.pcap_cnt = true;
		e->opt.flow = true;
		e->opt.ether = get_bool(pb, eve, "ethernet", false);
		e->opt.ipv6_compress = get_bool(pb, eve, "ipv6-compress", false);
		e->opt.community_id = get_bool(pb, eve, "community-id", false);
		e->opt.metadata = get_bool(pb, eve, "metadata", true);
		e->opt.community_id_seed =
			(uint16_t)get_u64(pb, eve, "community-id-seed", 0, UINT16_MAX);
		e->opt.host = get_str(pb, c->root, "sensor-name", NULL);
		types = conf_node_get(eve, "types");
		if (types == NULL)
			e->types = EVE_T_ALERT | EVE_T_STATS;
		for (const struct conf_node *t = conf_node_first(types); t; t = conf_node_next(t))
			if (t->value != NULL)
				load_eve_type(pb, t, e);
		merge_eve_opt(&s->eve_opt, &e->opt);
	}
	if (!any && s->neve < SETTINGS_MAX_EVE) {
		struct eve_output_settings *e = &s->eve[s->neve++];

		memset(e, 0, sizeof(*e));
		e->filename = "eve.json";
		e->types = EVE_T_ALERT | EVE_T_STATS;
		e->opt.pcap_cnt = true;
		e->opt.flow = true;
		e->opt.metadata = true;
		e->opt.host = get_str(pb, c->root, "sensor-name", NULL);
		merge_eve_opt(&s->eve_opt, &e->opt);
	}
	s->eve_opt.pcap_cnt = true;
	s->stats_interval = (uint32_t)get_u64(pb, c->root, "stats.interval", 8, 86400);
	if (!get_bool(pb, c->root, "stats.enabled", true))
		s->stats_interval = 0;
}

/* app-layer.protocols.P.enabled (or P.tcp/P.udp.enabled, as Suricata looks
 * them up): yes, no or detection-only. */
static void load_app_mode(struct problems *pb, const struct conf *c, const char *proto,
			  enum app_proto p, struct applayer_config *ac)
{
	static const char *const ipp[2] = { "tcp", "udp" };
	const struct conf_node *all;
	char path[128];

	snprintf(path, sizeof(path), "app-layer.protocols.%s.enabled", proto);
	all = conf_get(c, path);
	for (int t = 0; t < 2; t++) {
		const struct conf_node *n = all;
		bool on;

		if (n == NULL) {
			snprintf(path, sizeof(path), "app-layer.protocols.%s.%s.enabled", proto,
				 ipp[t]);
			n = conf_get(c, path);
		}
		if (n == NULL || n->value == NULL)
			continue;
		if (strcmp(n->value, "detection-only") == 0) {
			ac->mode[t][p] = APP_MODE_DETECT_ONLY;
		} else if (conf_parse_bool(n->value, &on) == 0) {
			ac->mode[t][p] = on ? APP_MODE_ON : APP_MODE_OFF;
		} else {
			conf_node_err(n, pb->err, sizeof(pb->err),
				      "expected yes, no or detection-only, got '%s'", n->value);
			report(pb);
			if (n == all)
				return;   /* one key for both: said once */
		}
	}
}

/* app-layer.protocols.dns[.tcp|.udp].detection-ports: {dp, sp} (toserver,
 * toclient are their older names). */
static void load_dns_ports(struct problems *pb, const struct conf *c, struct applayer_config *ac)
{
	static const char *const ipp[2] = { "tcp", "udp" };
	static const char *const keys[2][2] = { { "dp", "toserver" }, { "sp", "toclient" } };

	const struct conf_node *all = conf_get(c, "app-layer.protocols.dns.detection-ports");

	for (int t = 0; t < 2; t++) {
		const struct conf_node *dp = all;
		char path[128];

		if (dp == NULL) {
			snprintf(path, sizeof(path), "app-layer.protocols.dns.%s.detection-ports",
				 ipp[t]);
			dp = conf_get(c, path);
		}
		if (dp == NULL)
			continue;
		for (int k = 0; k < 2; k++) {
			struct app_ports *ps = k ? &ac->dns_sp[t] : &ac->dns_dp[t];
			const struct conf_node *n = conf_node_get(dp, keys[k][0]);
			char err[256];

			if (n == NULL)
				n = conf_node_get(dp, keys[k][1]);
			*ps = (struct app_ports){ 0 };
			if (n == NULL || n->value == NULL)
				continue;
			if (app_ports_parse(n->value, ps, err, sizeof(err)) != 0 &&
			    (all == NULL || t == 0)) {
				conf_node_err(n, pb->err, sizeof(pb->err), "%s", err);
				report(pb);
			}
		}
	}
}

/* app-layer.protocols.tls.encryption-handling: what is inspected of a TLS
 * flow once its encrypted application data starts (Suricata 7's default,
 * "track-only" in Suricata 8: its TLS fields and events, not its payload). */
static void load_tls_encryption(struct problems *pb, const struct conf *c,
				struct applayer_config *ac)
{
	const struct conf_node *n = conf_get(c, "app-layer.protocols.tls.encryption-handling");

	if (n == NULL || n->value == NULL)
		return;
	if (strcmp(n->value, "default") == 0 || strcmp(n->value, "track-only") == 0) {
		ac->tls_encryption = APP_TLS_ENC_TRACK_ONLY;
	} else if (strcmp(n->value, "bypass") == 0) {
		ac->tls_encryption = APP_TLS_ENC_BYPASS;
	} else if (strcmp(n->value, "full") == 0) {
		ac->tls_encryption = APP_TLS_ENC_FULL;
	} else {
		conf_node_err(n, pb->err, sizeof(pb->err),
			      "expected default, track-only, bypass or full, got '%s'", n->value);
		report(pb);
	}
}

/* app-layer.protocols.*: which parsers run, DNS detection ports, and
 * http.libhtp.default-config as Suricata reads it. */
static void load_applayer(struct settings *s, struct problems *pb, const struct conf *c)
{
	const struct conf_node *h = conf_get(c, "app-layer.protocols.http.libhtp.default-config");
	struct applayer_config *ac = &s->app;

	applayer_config_init(ac);
	load_app_mode(pb, c, "http", APP_PROTO_HTTP, ac);
	load_app_mode(pb, c, "tls", APP_PROTO_TLS, ac);
	load_app_mode(pb, c, "dns", APP_PROTO_DNS, ac);
	/* detected only (no parser): yes and detection-only mean the same */
	load_app_mode(pb, c, "smtp", APP_PROTO_SMTP, ac);
	load_app_mode(pb, c, "ftp", APP_PROTO_FTP, ac);
	load_app_mode(pb, c, "smb", APP_PROTO_SMB, ac);
	load_app_mode(pb, c, "ssh", APP_PROTO_SSH, ac);
	load_app_mode(pb, c, "dcerpc", APP_PROTO_DCERPC, ac);
	load_dns_ports(pb, c, ac);
	load_tls_encryption(pb, c, ac);
	ac->ssh_hassh = get_bool(pb, conf_get(c, "app-layer.protocols.ssh"), "hassh", false);
	ac->midstream = s->flow.midstream;	/* load_flow ran first */
	if (h == NULL)
		return;
	ac->request_body_limit = (uint32_t)get_size(pb, h, "request-body-limit",
						    ac->request_body_limit);
	ac->response_body_limit = (uint32_t)get_size(pb, h, "response-body-limit",
						     ac->response_body_limit);
	ac->request_inspect_min = (uint32_t)get_size(pb, h, "request-body-minimal-inspect-size",
						     ac->request_inspect_min);
	ac->response_inspect_min = (uint32_t)get_size(pb, h,
		"response-body-minimal-inspect-size", ac->response_inspect_min);
	ac->request_inspect_window = (uint32_t)get_size(pb, h, "request-body-inspect-window",
							ac->request_inspect_window);
	ac->response_inspect_window = (uint32_t)get_size(pb, h, "response-body-inspect-window",
							 ac->response_inspect_window);
	ac->decompress_layer_limit = (uint32_t)get_u64(pb, h,
		"response-body-decompress-layer-limit", ac->decompress_layer_limit, 64);
	ac->double_decode_path = get_bool(pb, h, "double-decode-path", false);
	ac->double_decode_query = get_bool(pb, h, "double-decode-query", false);
	ac->uri_include_all = get_bool(pb, h, "uri-include-all", false);
	ac->http_max_tx = (uint32_t)get_u64(pb, h, "max-tx", ac->http_max_tx, 1u << 20);
}

/* What the outputs need the app layer to keep: files (and their hashes:
 * any output's force-hash and file-store's, as Suricata ORs them) when an
 * output takes fileinfo; header lists when one logs http headers; the
 * records of DNS responses when one takes dns. */
/* Whether the enabled xff options of all outputs name more than one
 * header: the workers extract one, so each output then looks its own up in
 * the request's header list. */
static bool xff_headers_differ(const struct settings *s)
{
	const char *first = NULL;

	for (unsigned i = 0; i < s->neve; i++) {
		const struct eve_xff *x[2] = { &s->eve[i].opt.xff, &s->eve[i].opt.http_xff };

		for (int k = 0; k < 2; k++) {
			if (!x[k]->enabled)
				continue;
			if (first != NULL && strcasecmp(first, x[k]->header) != 0)
				return true;
			first = x[k]->header;
		}
	}
	return false;
}

static void load_output_needs(struct settings *s, struct problems *pb, const struct conf *c)
{
	s->app.http_headers |= xff_headers_differ(s);
	for (unsigned i = 0; i < s->neve; i++) {
		const struct eve_output_settings *e = &s->eve[i];

		s->app.files |= (e->types & EVE_T_FILEINFO) != 0;
		s->app.file_hashes |= e->file_hashes;
		s->app.dns_rdata |= (e->types & EVE_T_DNS) != 0;
		s->app.http_coding_events |= (e->types & EVE_T_ANOMALY) &&
					     (e->opt.anomaly & EVE_ANOMALY_APPLAYER);
		s->app.http_headers |= (e->types & EVE_T_HTTP) &&
				       (e->opt.http_dump != 0 || e->opt.http_fields != 0);
	}
	for (const struct conf_node *o = conf_node_first(conf_get(c, "outputs")); o;
	     o = conf_node_next(o)) {
		const struct conf_node *fs = conf_node_get(o, "file-store");

		if (fs != NULL && get_bool(pb, fs, "enabled", false))
			s->app.file_hashes |= load_force_hash(pb, fs);
	}
}

/* threading.cpu-affinity: [ {management-cpu-set: {cpu: [...]}}, {worker-cpu-set: ...} ] */
static void load_cpu_sets(struct settings *s, struct problems *pb, const struct conf *c)
{
	static const char *const sets[2] = { "management-cpu-set", "worker-cpu-set" };
	const struct conf_node *aff = conf_get(c, "threading.cpu-affinity");

	if (!get_bool(pb, c->root, "threading.set-cpu-affinity", aff != NULL))
		return;
	for (const struct conf_node *e = conf_node_first(aff); e; e = conf_node_next(e)) {
		for (unsigned k = 0; k < 2; k++) {
			struct cpu_list *l = k ? &s->worker_cpus : &s->mgmt_cpus;
			const struct conf_node *set = conf_node_get(e, sets[k]);
			const struct conf_node *cpus = set ? conf_node_get(set, "cpu") : NULL;
			char err[256];

			if (cpus == NULL)
				continue;
			if (cpus->value != NULL && cpus->child == NULL) {
				if (cpu_list_add(l, cpus->value, err, sizeof(err)) != 0) {
					conf_node_err(cpus, pb->err, sizeof(pb->err), "%s", err);
					report(pb);
				}
				continue;
			}
			for (const struct conf_node *v = conf_node_first(cpus); v;
			     v = conf_node_next(v)) {
				if (v->value == NULL || cpu_list_add(l, v->value, err,
								     sizeof(err)) == 0)
					continue;
				conf_node_err(v, pb->err, sizeof(pb->err), "%s", err);
				report(pb);
			}
		}
	}
}

/* host.memcap and host.hash-size size the host table the workers share
 * (xbits, host and rule thresholds); host.prealloc is accepted: the table's
 * memory is reserved at start and backed as it fills. pcap-file.threads
 * spreads a capture file over that many workers. */
static void load_hosts(struct settings *s, struct problems *pb, const struct conf *c)
{
	s->hosts.memcap = get_size(pb, c->root, "host.memcap", HOST_TABLE_MEMCAP_DEFAULT);
	s->hosts.hash_size = (uint32_t)get_u64(pb, c->root, "host.hash-size",
					       HOST_TABLE_HASH_SIZE_DEFAULT, 1u << 24);
	if (host_table_capacity(&s->hosts) == 0) {
		conf_node_err(conf_get(c, "host.memcap"), pb->err, sizeof(pb->err),
			      "host.memcap holds fewer entries than host.hash-size has buckets");
		report(pb);
	}
	s->pcap_threads = (unsigned)get_u64(pb, c->root, "pcap-file.threads", 1, 128);
	if (s->pcap_threads == 0)
		s->pcap_threads = 1;
}

static void load_process(struct settings *s, struct problems *pb, const struct conf *c,
			 const struct idsd_args *a)
{
	s->daemon = a->daemon;
	s->pidfile = a->pidfile ? a->pidfile : get_str(pb, c->root, "pid-file", NULL);
	s->user = a->user ? a->user : get_str(pb, c->root, "run-as.user", NULL);
	s->group = a->group ? a->group : get_str(pb, c->root, "run-as.group", NULL);
	if (s->pidfile != NULL && !a->daemon && a->pidfile == NULL)
		s->pidfile = NULL;   /* as Suricata: the config's pid-file is for daemons */
}

/* profiling.rules: {enabled, filename, append, sort, limit, json}, with
 * Suricata's defaults (no sort: every order). */
static void load_profiling(struct settings *s, struct problems *pb, const struct conf *c)
{
	const struct conf_node *n = conf_get(c, "profiling.rules");
	const char *sort;

	if (n == NULL || !get_bool(pb, n, "enabled", false))
		return;
	s->prof_rules = true;
	s->prof_file = get_str(pb, n, "filename", "rule_perf.log");
	s->prof_append = get_bool(pb, n, "append", true);
	s->prof_json = get_bool(pb, n, "json", false);
	s->prof_limit = (uint32_t)get_u64(pb, n, "limit", 0, UINT32_MAX);
	sort = get_str(pb, n, "sort", NULL);
	s->prof_all_sorts = sort == NULL;
	if (sort != NULL && detect_profile_sort_parse(sort, &s->prof_sort) != 0) {
		conf_node_err(conf_node_get(n, "sort"), pb->err, sizeof(pb->err),
			      "expected ticks, avgticks, checks, matches or maxticks, got '%s'", sort);
		report(pb);
	}
}

int settings_load(struct settings *s, const struct conf *c, const struct idsd_args *a, FILE *errs)
{
	struct problems pb = { .out = errs };
	struct conf_logging_ctx lx;
	const char *runmode;

	memset(s, 0, sizeof(*s));
	load_rules(s, &pb, c, a);
	load_action_order(s, &pb, c);
	load_vars(s, c);
	load_decoder(s, &pb, c);
	load_alert_max(s, &pb, c);
	load_eal_params(s, &pb, c);
	load_flow(s, &pb, c);
	load_outputs(s, &pb, c);
	load_profiling(s, &pb, c);
	s->pcap = a->pcap;
	if (s->pcap == NULL)
		load_ports(s, &pb, c);
	load_cpu_sets(s, &pb, c);
	load_process(s, &pb, c, a);
	load_applayer(s, &pb, c);
	load_hosts(s, &pb, c);
	load_output_needs(s, &pb, c);

	runmode = a->runmode ? a->runmode : get_str(&pb, c->root, "runmode", "workers");
	if (strcmp(runmode, "autofp") == 0) {
		s->runmode = RUNMODE_AUTOFP;
	} else if (strcmp(runmode, "workers") == 0 || strcmp(runmode, "single") == 0) {
		s->runmode = RUNMODE_WORKERS;
	} else {
		conf_node_err(conf_get(c, "runmode"), pb.err, sizeof(pb.err),
			      "expected workers or autofp, got '%s'", runmode);
		report(&pb);
	}
	/* a file has no RSS: its workers are fed by a reader, as autofp */
	if (s->pcap != NULL && s->pcap_threads > 1)
		s->runmode = RUNMODE_AUTOFP;
	check_pairs(s, &pb, c);

	s->log_dir = a->log_dir ? a->log_dir : get_str(&pb, c->root, "default-log-dir", ".");
	s->simulate_ips = a->simulate_ips;
	if (a->simulate_ips)
		s->ips = true;
	/* Without -k, a capture is read as Suricata's "auto" settles on most
	 * captures (offloaded checksums are wrong on the wire): unchecked. */
	s->csum_check = a->csum == CSUM_ALL || (a->csum == CSUM_AUTO && a->pcap == NULL);
	s->csum_forced = a->csum != CSUM_AUTO;
	load_stream(s, &pb, c);
	load_exception_policies(s, &pb, c);
	lx = settings_log_ctx(s, a->verbose);
	pb.n += conf_logging_read(&s->logging, c, &lx, pb.out);
	if (!a->test && s->pcap == NULL && s->nports == 0) {
		snprintf(pb.err, sizeof(pb.err), "no input: give -r CAPTURE or dpdk.interfaces");
		report(&pb);
	}
	return pb.n;
}

void settings_free(struct settings *s)
{
	free(s->rule_files);
	free(s->vars);
	for (unsigned i = 0; i < s->neal_params; i++)
		free(s->eal_params[i]);
	free(s->eal_params);
	conf_logging_free(&s->logging);
	memset(s, 0, sizeof(*s));
}
