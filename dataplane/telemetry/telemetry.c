/* SPDX-License-Identifier: MIT */
#include "telemetry.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>

#include "../port/port.h"
#include "../worker/receiver.h"
#include "../worker/worker.h"

/* DPDK's callbacks take no context argument: the source is held here, and
 * the lock keeps it alive while a command runs. DPDK serves each client on
 * its own thread; commands share the lock for reading, so a reload that
 * compiles for seconds never holds up the HA process's health polls. */
static pthread_rwlock_t src_lock = PTHREAD_RWLOCK_INITIALIZER;
static const struct telemetry_src *src;

void telemetry_name(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len && in[i] != '\0'; i++)
		out[i] = (char)((in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' && in[i] <= 'Z') ||
				(in[i] >= '0' && in[i] <= '9') || in[i] == '/' ? in[i] : '_');
	out[i] = '\0';
}

_Static_assert(TELEMETRY_STATS_MAX <= RTE_TEL_MAX_DICT_ENTRIES, "a dict holds no more");

static int cmd_stats(const struct telemetry_src *s, const char *params, struct rte_tel_data *d)
{
	const char *names[TELEMETRY_STATS_MAX];
	uint64_t values[TELEMETRY_STATS_MAX];
	unsigned n = s->stats(s->arg, names, values, TELEMETRY_STATS_MAX);
	char name[64];

	(void)params;
	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < n; i++) {
		telemetry_name(names[i], name, sizeof(name));
		rte_tel_data_add_dict_u64(d, name, values[i]);
	}
	return 0;
}

/* Column arrays: 22.11 dicts nest arrays, not dicts. */
static struct rte_tel_data *column(enum rte_tel_value_type t)
{
	struct rte_tel_data *a = rte_tel_data_alloc();

	if (a != NULL)
		rte_tel_data_start_array(a, t);
	return a;
}

static void add_column(struct rte_tel_data *d, const char *name, struct rte_tel_data *a)
{
	if (a != NULL && rte_tel_data_add_dict_container(d, name, a, 0) != 0)
		rte_tel_data_free(a);
}

static int cmd_ports(const struct telemetry_src *s, const char *params, struct rte_tel_data *d)
{
	static const char *const modes[] = { "none", "tap", "ips" };
	struct rte_tel_data *name = column(RTE_TEL_STRING_VAL), *mode = column(RTE_TEL_STRING_VAL);
	struct rte_tel_data *rxq = column(RTE_TEL_U64_VAL), *ipk = column(RTE_TEL_U64_VAL);
	struct rte_tel_data *opk = column(RTE_TEL_U64_VAL), *miss = column(RTE_TEL_U64_VAL);
	struct rte_tel_data *oerr = column(RTE_TEL_U64_VAL), *sock = column(RTE_TEL_INT_VAL);

	(void)params;
	rte_tel_data_start_dict(d);
	if (!name || !mode || !rxq || !ipk || !opk || !miss || !oerr || !sock)
		goto out;
	for (unsigned i = 0; i < s->nports; i++) {
		const struct port *p = &s->ports[i];
		struct rte_eth_stats es = { 0 };

		rte_eth_stats_get(p->port_id, &es);
		rte_tel_data_add_array_string(name, p->set.name);
		rte_tel_data_add_array_string(mode, modes[p->set.copy_mode]);
		rte_tel_data_add_array_u64(rxq, p->nb_rxq);
		rte_tel_data_add_array_u64(ipk, es.ipackets);
		rte_tel_data_add_array_u64(opk, es.opackets);
		rte_tel_data_add_array_u64(miss, es.imissed);
		rte_tel_data_add_array_u64(oerr, es.oerrors);
		rte_tel_data_add_array_int(sock, p->socket);
	}
out:
	add_column(d, "name", name);
	add_column(d, "copy_mode", mode);
	add_column(d, "rx_queues", rxq);
	add_column(d, "rx_packets", ipk);
	add_column(d, "tx_packets", opk);
	add_column(d, "rx_missed", miss);
	add_column(d, "tx_errors", oerr);
	add_column(d, "socket", sock);
	return 0;
}

static int cmd_workers(const struct telemetry_src *s, const char *params, struct rte_tel_data *d)
{
	enum { ID, LCORE, SOCK, PKTS, FWD, DROP, BUSY, BEAT, GEN, NCOL };
	static const char *const cols[NCOL] = { "id", "lcore", "socket", "packets", "forwarded",
						"dropped", "busy_cycles", "heartbeat",
						"rules_generation" };
	struct rte_tel_data *c[NCOL];

	(void)params;
	rte_tel_data_start_dict(d);
	for (unsigned k = 0; k < NCOL; k++)
		c[k] = column(RTE_TEL_U64_VAL);
	for (unsigned k = 0; k < NCOL; k++)
		if (c[k] == NULL)
			goto out;
	for (unsigned i = 0; i < s->nworkers; i++) {
		const struct worker *w = s->workers[i];

		rte_tel_data_add_array_u64(c[ID], w->id);
		rte_tel_data_add_array_u64(c[LCORE], w->lcore_id);
		rte_tel_data_add_array_u64(c[SOCK], (uint64_t)(w->socket < 0 ? 0 : w->socket));
		rte_tel_data_add_array_u64(c[PKTS], w->rx_pkts);
		rte_tel_data_add_array_u64(c[FWD], w->fwd_pkts);
		rte_tel_data_add_array_u64(c[DROP], w->drop_pkts + w->standby_pkts);
		rte_tel_data_add_array_u64(c[BUSY], w->busy_tsc);
		rte_tel_data_add_array_u64(c[BEAT], w->heartbeat);
		rte_tel_data_add_array_u64(c[GEN], w->gen_serial);
	}
	rte_tel_data_add_dict_u64(d, "receivers", s->nreceivers);
out:
	for (unsigned k = 0; k < NCOL; k++)
		add_column(d, cols[k], c[k]);
	return 0;
}

static int cmd_flows(const struct telemetry_src *s, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *act = column(RTE_TEL_U64_VAL), *tot = column(RTE_TEL_U64_VAL);
	uint64_t active = 0, total = 0, tcp = 0, udp = 0, tmo = 0, evict = 0;

	(void)params;
	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < s->nworkers; i++) {
		const struct flow_stats *fs = flow_table_stats(s->workers[i]->pl->ft);

		active += fs->active;
		total += fs->created;
		tcp += fs->tcp;
		udp += fs->udp;
		tmo += fs->timed_out;
		evict += fs->get_used;
		if (act != NULL && tot != NULL) {
			rte_tel_data_add_array_u64(act, fs->active);
			rte_tel_data_add_array_u64(tot, fs->created);
		}
	}
	rte_tel_data_add_dict_u64(d, "active", active);
	rte_tel_data_add_dict_u64(d, "total", total);
	rte_tel_data_add_dict_u64(d, "tcp", tcp);
	rte_tel_data_add_dict_u64(d, "udp", udp);
	rte_tel_data_add_dict_u64(d, "timeout", tmo);
	rte_tel_data_add_dict_u64(d, "memcap_evicted", evict);
	add_column(d, "active_by_worker", act);
	add_column(d, "total_by_worker", tot);
	return 0;
}

static int cmd_rules(const struct telemetry_src *s, const char *params, struct rte_tel_data *d)
{
	uint64_t loaded, failed, reloads, bad;
	char last[RTE_TEL_MAX_STRING_LEN];

	(void)params;
	s->rules(s->arg, &loaded, &failed, &reloads, &bad, last, sizeof(last));
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "loaded", loaded);
	rte_tel_data_add_dict_u64(d, "failed", failed);
	rte_tel_data_add_dict_u64(d, "reloads", reloads);
	rte_tel_data_add_dict_u64(d, "reload_failures", bad);
	rte_tel_data_add_dict_string(d, "last_reload", last);
	return 0;
}

/* "/ids/rules/failed[,FROM]": "total", "from", "shown", then one member per
 * failed rule keyed by its index, in load order. A client pages with FROM
 * while from + shown < total. */
static int cmd_rules_failed(const struct telemetry_src *s, const char *params,
			    struct rte_tel_data *d)
{
	char lines[TELEMETRY_FAILED_MAX][TELEMETRY_LINE_LEN], key[16];
	unsigned long from = 0;
	uint64_t total = 0;
	unsigned n;

	if (params != NULL && params[0] != '\0') {
		char *end;

		from = strtoul(params, &end, 10);
		if (*end != '\0' || from > UINT32_MAX)
			return -EINVAL;
	}
	n = s->failed(s->arg, (unsigned)from, lines, TELEMETRY_FAILED_MAX, &total);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "total", total);
	rte_tel_data_add_dict_u64(d, "from", from);
	rte_tel_data_add_dict_u64(d, "shown", n);
	for (unsigned i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%lu", from + i);
		rte_tel_data_add_dict_string(d, key, lines[i]);
	}
	return 0;
}

/* "/ids/rules/list[,FROM[,sid=N|file=NAME]]": "total" (rules loaded),
 * "next" (where the next page starts: total when this is the last), then
 * one member per rule keyed by its index in load order: "file:line
 * gid:sid:rev msg". A client pages with FROM = next while next < total. */
static int cmd_rules_list(const struct telemetry_src *s, const char *params,
			  struct rte_tel_data *d)
{
	char lines[TELEMETRY_FAILED_MAX][TELEMETRY_LINE_LEN], key[16], file[64] = "";
	uint32_t idx[TELEMETRY_FAILED_MAX];
	unsigned long from = 0, sid = 0;
	uint64_t next = 0, total = 0;
	unsigned n;

	if (params != NULL && params[0] != '\0') {
		const char *comma = strchr(params, ',');
		char *end;

		from = strtoul(params, &end, 10);
		if (end == params || (*end != '\0' && *end != ',') || from > UINT32_MAX)
			return -EINVAL;
		if (comma != NULL && strncmp(comma + 1, "sid=", 4) == 0) {
			sid = strtoul(comma + 5, &end, 10);
			if (*end != '\0' || sid == 0 || sid > UINT32_MAX)
				return -EINVAL;
		} else if (comma != NULL && strncmp(comma + 1, "file=", 5) == 0) {
			if (comma[6] == '\0' || strlen(comma + 6) >= sizeof(file))
				return -EINVAL;
			snprintf(file, sizeof(file), "%s", comma + 6);
		} else if (comma != NULL) {
			return -EINVAL;
		}
	}
	if (s->list == NULL)
		return -ENOTSUP;
	n = s->list(s->arg, (unsigned)from, (uint32_t)sid, file[0] ? file : NULL, lines, idx,
		    TELEMETRY_FAILED_MAX, &next, &total);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "total", total);
	rte_tel_data_add_dict_u64(d, "next", next);
	for (unsigned i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%u", idx[i]);
		rte_tel_data_add_dict_string(d, key, lines[i]);
	}
	return 0;
}

/* "/ids/rules/profile[,SORT[,N]]" (ticks, 10): "enabled" (0: profiling.rules
 * is off, and nothing follows), "sort", "checked" (rules checked so far),
 * "shown", then the first N rules by SORT keyed by their place, as the
 * profile callback writes them. */
static int cmd_rules_profile(const struct telemetry_src *s, const char *params,
			     struct rte_tel_data *d)
{
	char lines[TELEMETRY_FAILED_MAX][TELEMETRY_LINE_LEN], sort[16] = "ticks", key[16];
	unsigned long max = 10;
	uint64_t checked = 0;
	int n;

	if (params != NULL && params[0] != '\0') {
		const char *comma = strchr(params, ',');
		size_t len = comma ? (size_t)(comma - params) : strlen(params);
		char *end;

		if (len == 0 || len >= sizeof(sort))
			return -EINVAL;
		memcpy(sort, params, len);
		sort[len] = '\0';
		if (comma != NULL) {
			max = strtoul(comma + 1, &end, 10);
			if (*end != '\0' || max == 0 || max > TELEMETRY_FAILED_MAX)
				return -EINVAL;
		}
	}
	n = s->profile == NULL ? -ENOTSUP :
	    s->profile(s->arg, sort, (unsigned)max, lines, &checked);
	if (n < 0 && n != -ENOTSUP)
		return n;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "enabled", n != -ENOTSUP);
	if (n < 0)
		return 0;
	rte_tel_data_add_dict_string(d, "sort", sort);
	rte_tel_data_add_dict_u64(d, "checked", checked);
	rte_tel_data_add_dict_u64(d, "shown", (uint64_t)n);
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%d", i);
		rte_tel_data_add_dict_string(d, key, lines[i]);
	}
	return 0;
}

static int cmd_reload(const struct telemetry_src *s, const char *params, struct rte_tel_data *d)
{
	char msg[RTE_TEL_MAX_STRING_LEN];
	int ret;

	(void)params;
	ret = s->reload(s->arg, msg, sizeof(msg));
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "status", ret == 0 ? "ok" : "failed");
	rte_tel_data_add_dict_string(d, "message", msg);
	return 0;
}

/* "/ids/role" reads the role, "/ids/role,active" or ",standby" sets it. */
static int cmd_role(const struct telemetry_src *s, const char *params, struct rte_tel_data *d)
{
	if (params != NULL && params[0] != '\0') {
		if (strcmp(params, "standby") == 0)
			__atomic_store_n(&s->ctl->standby, 1, __ATOMIC_RELEASE);
		else if (strcmp(params, "active") == 0)
			__atomic_store_n(&s->ctl->standby, 0, __ATOMIC_RELEASE);
		else
			return -EINVAL;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "role", s->ctl->standby ? "standby" : "active");
	return 0;
}

typedef int (*ids_cmd_fn)(const struct telemetry_src *s, const char *params,
			  struct rte_tel_data *d);

static const struct {
	const char *path;
	ids_cmd_fn fn;
	const char *help;
} commands[] = {
	{ "/ids/stats", cmd_stats, "All counters, as in EVE stats (dots as _)." },
	{ "/ids/ports", cmd_ports, "Ports: name, copy mode, queues, packets, misses, errors." },
	{ "/ids/workers", cmd_workers, "Per worker: packets, forwarded, dropped, busy cycles, "
	  "heartbeat, rules generation." },
	{ "/ids/flows", cmd_flows, "Flow table totals and per-worker active flows." },
	{ "/ids/rules", cmd_rules, "Rules loaded and failed, reloads, last reload result." },
	{ "/ids/rules/failed", cmd_rules_failed, "Rules that failed to load and why "
	  "(file:line: reason). Parameter: the index to start from." },
	/* help strings: at most RTE_TEL_MAX_STRING_LEN, or the command is not registered */
	{ "/ids/rules/list", cmd_rules_list, "Loaded rules as file:line gid:sid:rev msg. "
	  "Parameters: FROM[,sid=N|file=NAME]." },
	{ "/ids/rules/profile", cmd_rules_profile, "profiling.rules: the costliest rules. "
	  "Parameters: SORT (ticks|avgticks|checks|matches|maxticks),N (at most 80)." },
	{ "/ids/reload", cmd_reload, "Reload the rules; the old ones stay on failure." },
	{ "/ids/role", cmd_role, "HA role: active or standby (forwards nothing). "
	  "Parameter: active|standby to set it." },
};

static int dispatch(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int ret = -ENODEV;

	pthread_rwlock_rdlock(&src_lock);
	for (size_t i = 0; src != NULL && i < RTE_DIM(commands); i++)
		if (strcmp(cmd, commands[i].path) == 0)
			ret = commands[i].fn(src, params, d);
	pthread_rwlock_unlock(&src_lock);
	return ret;
}

int telemetry_register(const struct telemetry_src *s)
{
	pthread_rwlock_wrlock(&src_lock);
	src = s;
	pthread_rwlock_unlock(&src_lock);
	for (size_t i = 0; i < RTE_DIM(commands); i++) {
		int ret = rte_telemetry_register_cmd(commands[i].path, dispatch, commands[i].help);

		/* -EINVAL when already registered (a second run in one process). */
		if (ret != 0 && ret != -EINVAL)
			return ret;
	}
	return 0;
}

void telemetry_unregister(void)
{
	pthread_rwlock_wrlock(&src_lock);
	src = NULL;
	pthread_rwlock_unlock(&src_lock);
}
