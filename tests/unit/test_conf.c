/* SPDX-License-Identifier: MIT */
/* conf/: YAML loading, merging, include, --set, getters, dump, schema.
 * Runs from tests/unit (meson's workdir); fixtures live in conf/. */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "conf/conf.h"
#include "conf/conf_logging.h"

static char err[1024];

static struct conf *load(const char *path)
{
	struct conf *c = conf_new();

	err[0] = '\0';
	CHECK(c != NULL);
	CHECK_INT(0, conf_load_file(c, path, err, sizeof(err)));
	if (err[0] != '\0')
		fprintf(stderr, "unexpected error: %s\n", err);
	return c;
}

static const char *val(const struct conf *c, const char *path)
{
	const struct conf_node *n = conf_get(c, path);

	return n ? n->value : NULL;
}

/* Run f on a memory stream and return what it wrote (caller frees). */
static char *capture_dump(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	conf_dump(c, f);
	fclose(f);
	return buf;
}

static unsigned int validate(const struct conf *c, char **out)
{
	struct conf_schema s;
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	unsigned int n;

	conf_schema_init(&s);
	CHECK_INT(0, conf_schema_add(&s, conf_schema_idsd));
	CHECK_INT(0, conf_schema_add(&s, conf_schema_logging));
	n = conf_validate(c, &s, f);
	fclose(f);
	return n;
}

static void test_tree(void)
{
	struct conf *c = load("conf/basic.yaml");
	const struct conf_node *n, *e;

	CHECK_STR("[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]",
		  val(c, "vars.address-groups.HOME_NET"));
	CHECK_STR("!$HOME_NET", val(c, "vars.address-groups.EXTERNAL_NET"));
	CHECK_STR("80", val(c, "vars.port-groups.HTTP_PORTS"));
	CHECK(conf_get(c, "vars.address-groups.NOPE") == NULL);
	CHECK(conf_get(c, "vars.nope.deeper") == NULL);

	/* sequence of scalars */
	n = conf_get(c, "rule-files");
	CHECK(n != NULL && n->is_seq);
	CHECK_INT(2, n->nchildren);
	CHECK_STR("local.rules", val(c, "rule-files.0"));
	CHECK_STR("extra.rules", val(c, "rule-files.1"));

	/* sequence of maps: elements carry their first key, as Suricata */
	n = conf_get(c, "outputs");
	CHECK_INT(2, n->nchildren);
	e = conf_node_first(n);
	CHECK_STR("0", e->name);
	CHECK_STR("fast", e->value);
	e = conf_node_next(e);
	CHECK_STR("eve-log", e->value);
	CHECK(conf_node_next(e) == NULL);
	CHECK_STR("eve.json", conf_node_get(e, "eve-log.filename")->value);
	CHECK_STR("alert", val(c, "outputs.1.eve-log.types.0"));
	CHECK_STR("yes", val(c, "outputs.1.eve-log.types.0.alert.payload"));
	CHECK_STR("flow", val(c, "outputs.1.eve-log.types.1"));

	/* positions: 1-based line and column of the key */
	n = conf_get(c, "stream.midstream");
	CHECK_STR("conf/basic.yaml", n->file);
	CHECK_INT(13, n->line);
	CHECK_INT(3, n->column);
	conf_free(c);
}

static void test_override(void)
{
	struct conf *c = load("conf/basic.yaml");
	const struct conf_node *n;

	CHECK_INT(0, conf_load_file(c, "conf/override.yaml", err, sizeof(err)));
	CHECK_STR("[10.0.0.0/8]", val(c, "vars.address-groups.HOME_NET"));
	/* as Suricata: a key defined again replaces its whole subtree */
	CHECK(conf_get(c, "vars.address-groups.EXTERNAL_NET") == NULL);
	CHECK_STR("true", val(c, "stream.midstream"));
	CHECK(conf_get(c, "stream.inline") == NULL);
	n = conf_get(c, "stream.midstream");
	CHECK_STR("conf/override.yaml", n->file);
	CHECK_INT(6, n->line);
	CHECK_STR("other.rules", val(c, "rule-files.0"));
	CHECK(conf_get(c, "rule-files.1") == NULL);
	/* keys the later file does not name are untouched */
	CHECK(conf_get(c, "default-rule-path") != NULL);
	conf_free(c);
}

static void test_include(void)
{
	struct conf *c = load("conf/inc-top.yaml");
	const struct conf_node *n;

	/* nested include (inc/child.yaml -> grand.yaml, relative to inc/) */
	CHECK_STR("2048", val(c, "max-pending-packets"));
	n = conf_get(c, "max-pending-packets");
	CHECK_STR("conf/inc/grand.yaml", n->file);
	CHECK_STR("workers", val(c, "runmode"));
	/* keys after the include override it */
	CHECK_STR("/var/log/top", val(c, "default-log-dir"));
	/* include inside a mapping loads into that mapping */
	CHECK_STR("1gb", val(c, "stream.memcap"));
	CHECK_STR("no", val(c, "stream.inline"));
	CHECK(conf_get(c, "memcap") == NULL);
	conf_free(c);

	/* "key: !include file" loads the file under key */
	c = conf_new();
	CHECK_INT(0, conf_load_string(c, "conf/tagged.yaml", "stream: !include stream-part.yaml\n",
				      err, sizeof(err)));
	CHECK_STR("yes", val(c, "stream.inline"));
	CHECK_STR("conf/stream-part.yaml", conf_get(c, "stream.memcap")->file);
	conf_free(c);

	c = conf_new();
	CHECK_INT(-ELOOP, conf_load_file(c, "conf/cycle-a.yaml", err, sizeof(err)));
	CHECK_STR("conf/cycle-b.yaml:2:10: include cycle: 'conf/cycle-a.yaml' is already "
		  "being loaded", err);
	conf_free(c);

	c = conf_new();
	CHECK_INT(-ENOENT, conf_load_file(c, "conf/missing.yaml", err, sizeof(err)));
	CHECK_STR("conf/missing.yaml: No such file or directory", err);
	CHECK_INT(-ENOENT, conf_load_string(c, "conf/str.yaml", "include: nothere.yaml\n",
					    err, sizeof(err)));
	CHECK_STR("conf/str.yaml:1:10: conf/nothere.yaml: No such file or directory", err);
	conf_free(c);
}

static void test_anchors(void)
{
	struct conf *c = load("conf/anchors.yaml");

	CHECK_STR("2", val(c, "dpdk.interfaces.0.threads"));
	CHECK_STR("yes", val(c, "dpdk.interfaces.0.promisc"));
	CHECK_STR("p0", val(c, "dpdk.interfaces.0.interface"));
	CHECK_STR("2", val(c, "dpdk.interfaces.1.copy.threads"));
	conf_free(c);

	c = conf_new();
	CHECK_INT(-EINVAL, conf_load_string(c, "s", "a: *nope\n", err, sizeof(err)));
	CHECK_STR("s:1:4: unknown anchor 'nope'", err);
	conf_free(c);
}

static void test_set(void)
{
	struct conf *c = load("conf/basic.yaml");
	const struct conf_node *n;
	bool b = false;

	CHECK_INT(0, conf_set(c, "stream.midstream=true", err, sizeof(err)));
	CHECK_INT(0, conf_get_bool(c, "stream.midstream", false, &b, err, sizeof(err)));
	CHECK(b);
	CHECK_INT(0, conf_set(c, "app-layer.protocols.http.enabled = no", err, sizeof(err)));
	n = conf_get(c, "app-layer.protocols.http.enabled");
	CHECK(n != NULL);
	CHECK_STR("no", n->value);
	CHECK_STR("<--set>", n->file);
	CHECK_INT(0, n->line);
	CHECK_INT(0, conf_set(c, "outputs.1.eve-log.filename=alerts.json", err, sizeof(err)));
	CHECK_STR("alerts.json", val(c, "outputs.1.eve-log.filename"));
	/* empty value is allowed; a missing '=' or empty key is not */
	CHECK_INT(0, conf_set(c, "detect.profile=", err, sizeof(err)));
	CHECK_STR("", val(c, "detect.profile"));
	CHECK_INT(-EINVAL, conf_set(c, "stream.midstream", err, sizeof(err)));
	CHECK_STR("--set 'stream.midstream': expected key=value", err);
	CHECK_INT(-EINVAL, conf_set(c, "a..b=1", err, sizeof(err)));
	CHECK_STR("--set 'a..b=1': empty key segment", err);
	CHECK(conf_get(c, "a") == NULL);
	CHECK_INT(-EINVAL, conf_set(c, "a.=1", err, sizeof(err)));
	CHECK_INT(-EINVAL, conf_set(c, "=1", err, sizeof(err)));
	/* --set wins over files loaded afterwards (Suricata's final nodes) */
	CHECK_INT(0, conf_load_file(c, "conf/override.yaml", err, sizeof(err)));
	CHECK_STR("true", val(c, "stream.midstream"));
	CHECK_STR("[10.0.0.0/8]", val(c, "vars.address-groups.HOME_NET"));
	/* a bad --set value is reported at <--set> */
	CHECK_INT(0, conf_set(c, "flow.hash-size=many", err, sizeof(err)));
	CHECK_INT(-EINVAL, conf_get_u64(c, "flow.hash-size", 0, &(uint64_t){ 0 },
					err, sizeof(err)));
	CHECK_STR("<--set>:0:0: key 'flow.hash-size': expected a non-negative integer, "
		  "got 'many'", err);
	conf_free(c);
}

static void test_getters(void)
{
	struct conf *c = load("conf/basic.yaml");
	const char *s = NULL;
	bool b = true;
	int64_t i = 0;
	uint64_t u = 0;

	/* missing -> default */
	CHECK_INT(0, conf_get_bool(c, "stream.async-oneside", false, &b, err, sizeof(err)));
	CHECK(!b);
	CHECK_INT(0, conf_get_int(c, "nothing.here", -7, &i, err, sizeof(err)));
	CHECK_INT(-7, i);
	CHECK_INT(0, conf_get_str(c, "detect.profile", "medium", &s, err, sizeof(err)));
	CHECK_STR("medium", s);

	/* bad values: exact messages with file:line:col */
	b = true;
	CHECK_INT(-EINVAL, conf_get_bool(c, "stream.midstream", false, &b, err, sizeof(err)));
	CHECK_STR("conf/basic.yaml:13:3: key 'stream.midstream': expected a boolean, "
		  "got 'maybe'", err);
	CHECK(b);	/* untouched on error */
	CHECK_INT(-EINVAL, conf_get_size(c, "flow.memcap", 0, &u, err, sizeof(err)));
	CHECK_STR("conf/basic.yaml:21:3: key 'flow.memcap': expected a size (4096, 64kb, "
		  "32mb, 1gb), got 'lots'", err);
	CHECK_INT(-EINVAL, conf_get_u64(c, "flow.prealloc", 0, &u, err, sizeof(err)));
	CHECK_STR("conf/basic.yaml:20:3: key 'flow.prealloc': expected a non-negative "
		  "integer, got '-3'", err);
	CHECK_INT(-EINVAL, conf_get_str(c, "stream.reassembly", NULL, &s, err, sizeof(err)));
	CHECK_STR("conf/basic.yaml:16:3: key 'stream.reassembly': expected a string, "
		  "got a mapping", err);
	CHECK_INT(-EINVAL, conf_get_int(c, "vars", 0, &i, err, sizeof(err)));

	/* good values */
	CHECK_INT(0, conf_get_int(c, "flow.prealloc", 0, &i, err, sizeof(err)));
	CHECK_INT(-3, i);
	CHECK_INT(0, conf_get_u64(c, "flow.hash-size", 0, &u, err, sizeof(err)));
	CHECK_INT(65536, u);
	CHECK_INT(0, conf_get_size(c, "stream.memcap", 0, &u, err, sizeof(err)));
	CHECK_INT(32 << 20, u);
	CHECK_INT(0, conf_get_size(c, "stream.reassembly.depth", 0, &u, err, sizeof(err)));
	CHECK_INT(1536, u);
	CHECK_INT(0, conf_get_str(c, "outputs.0", NULL, &s, err, sizeof(err)));
	CHECK_STR("fast", s);
	CHECK_INT(0, conf_node_get_bool(conf_get(c, "outputs.1"), "eve-log.enabled", false, &b,
					err, sizeof(err)));
	CHECK(b);
	CHECK_INT(-EINVAL, conf_node_err(conf_get(c, "flow.hash-size"), err, sizeof(err),
					 "must be a power of %d", 2));
	CHECK_STR("conf/basic.yaml:19:3: key 'flow.hash-size': must be a power of 2", err);
	conf_free(c);
}

static void test_parsers(void)
{
	static const char *const yes[] = { "yes", "YES", "true", "True", "on", "1" };
	static const char *const no[] = { "no", "false", "OFF", "0" };
	bool b;
	int64_t i;
	uint64_t u;
	size_t k;

	for (k = 0; k < sizeof(yes) / sizeof(yes[0]); k++) {
		b = false;
		CHECK_INT(0, conf_parse_bool(yes[k], &b));
		CHECK(b);
	}
	for (k = 0; k < sizeof(no) / sizeof(no[0]); k++) {
		b = true;
		CHECK_INT(0, conf_parse_bool(no[k], &b));
		CHECK(!b);
	}
	CHECK_INT(-EINVAL, conf_parse_bool("maybe", &b));
	CHECK_INT(-EINVAL, conf_parse_bool("", &b));
	CHECK_INT(-EINVAL, conf_parse_bool("yess", &b));

	CHECK_INT(0, conf_parse_size("4096", &u));
	CHECK_INT(4096, u);
	CHECK_INT(0, conf_parse_size("32mb", &u));
	CHECK_INT(32ll << 20, u);
	CHECK_INT(0, conf_parse_size("1gb", &u));
	CHECK_INT(1ll << 30, u);
	CHECK_INT(0, conf_parse_size(" 10 KB ", &u));
	CHECK_INT(10240, u);
	CHECK_INT(0, conf_parse_size("10.5mb", &u));
	CHECK_INT(11010048, u);
	CHECK_INT(0, conf_parse_size("4Gb", &u));
	CHECK_INT(4ll << 30, u);
	CHECK_INT(-EINVAL, conf_parse_size("32m", &u));
	CHECK_INT(-EINVAL, conf_parse_size("32tb", &u));
	CHECK_INT(-EINVAL, conf_parse_size("mb", &u));
	CHECK_INT(-EINVAL, conf_parse_size("-1", &u));
	CHECK_INT(-EINVAL, conf_parse_size("1.kb", &u));
	CHECK_INT(-EINVAL, conf_parse_size("1kb x", &u));
	CHECK_INT(-ERANGE, conf_parse_size("99999999999999999999", &u));
	CHECK_INT(-ERANGE, conf_parse_size("17179869184gb", &u));

	CHECK_INT(0, conf_parse_int("-9223372036854775808", &i));
	CHECK(i == INT64_MIN);
	CHECK_INT(-ERANGE, conf_parse_int("9223372036854775808", &i));
	CHECK_INT(-EINVAL, conf_parse_int("12x", &i));
	CHECK_INT(-EINVAL, conf_parse_int(" 12", &i));
	CHECK_INT(-EINVAL, conf_parse_int("-", &i));
	CHECK_INT(0, conf_parse_u64("18446744073709551615", &u));
	CHECK(u == UINT64_MAX);
	CHECK_INT(-ERANGE, conf_parse_u64("18446744073709551616", &u));
}

static void test_dump(void)
{
	struct conf *c = conf_new();
	char *out;

	CHECK_INT(0, conf_load_string(c, "d", "a:\n  b: 1\n  c: [x, y]\n"
				      "outputs:\n  - eve-log:\n      enabled: yes\n"
				      "  - stats\nempty:\n", err, sizeof(err)));
	CHECK_INT(0, conf_set(c, "z.w=v", err, sizeof(err)));
	out = capture_dump(c);
	CHECK_STR("a.b = 1\n"
		  "a.c.0 = x\n"
		  "a.c.1 = y\n"
		  "outputs.0 = eve-log\n"
		  "outputs.0.eve-log.enabled = yes\n"
		  "outputs.1 = stats\n"
		  "empty = \n"
		  "z.w = v\n", out);
	free(out);
	conf_free(c);
}

static void test_malformed(void)
{
	static const struct {
		const char *file, *msg;
	} cases[] = {
		{ "conf/bad-indent.yaml", "conf/bad-indent.yaml:3:2: did not find expected key "
		  "(while parsing a block mapping at 1:1)" },
		{ "conf/bad-quote.yaml", "conf/bad-quote.yaml:4:1: found unexpected end of "
		  "stream (while scanning a quoted scalar at 3:12)" },
		{ "conf/bad-tab.yaml", "conf/bad-tab.yaml:2:1: found character that cannot "
		  "start any token (while scanning for the next token at 2:1)" },
	};
	struct conf *c;
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		c = conf_new();
		CHECK_INT(-EINVAL, conf_load_file(c, cases[k].file, err, sizeof(err)));
		CHECK_STR(cases[k].msg, err);
		conf_free(c);
	}
	c = conf_new();
	CHECK_INT(-EINVAL, conf_load_string(c, "s", "- a\n- b\n", err, sizeof(err)));
	CHECK_STR("s:1:1: the top level must be a mapping", err);
	CHECK_INT(-EINVAL, conf_load_string(c, "s", "include: {a: b}\n", err, sizeof(err)));
	CHECK_STR("s:1:10: include: expected a file name or a list of file names", err);
	CHECK_INT(-EINVAL, conf_load_string(c, "s", "include: [[a]]\n", err, sizeof(err)));
	CHECK_STR("s:1:11: include: expected a file name", err);
	CHECK_INT(-EINVAL, conf_load_string(c, "s", "a: &x {b: 1}\nc:\n  <<: x\n", err,
					    sizeof(err)));
	CHECK_STR("s:3:7: '<<' expects an alias or a list of aliases", err);
	CHECK_INT(-EINVAL, conf_load_string(c, "s", "a: &x {b: 1}\nc:\n  <<: [*x, y]\n", err,
					    sizeof(err)));
	CHECK_STR("s:3:12: '<<' expects an alias", err);
	/* an empty document is fine */
	CHECK_INT(0, conf_load_string(c, "s", "%YAML 1.1\n---\n", err, sizeof(err)));
	conf_free(c);
}

static void test_validate(void)
{
	struct conf *c = load("conf/idsd.yaml");
	char *out = NULL;

	CHECK_INT(4, validate(c, &out));
	CHECK_STR("conf/idsd.yaml:15:7: key 'dpdk.interfaces.1.mtu': expected an integer, "
		  "got 'big'\n"
		  "conf/idsd.yaml:16:3: unknown key 'dpdk.interfacez'\n"
		  "conf/idsd.yaml:21:3: unknown key 'stream.midstreem'\n"
		  "conf/idsd.yaml:22:1: unknown key 'foo'\n", out);
	free(out);
	conf_free(c);

	c = load("conf/basic.yaml");
	CHECK_INT(2, validate(c, &out));
	/* flow.prealloc is a signed integer to the schema; its reader refuses -3 */
	CHECK_STR("conf/basic.yaml:13:3: key 'stream.midstream': expected a boolean, "
		  "got 'maybe'\n"
		  "conf/basic.yaml:21:3: key 'flow.memcap': expected a size (4096, 64kb, "
		  "32mb, 1gb), got 'lots'\n", out);
	free(out);
	conf_free(c);
}

static void test_suricata_verify(void)
{
	static const char *const files[] = {
		"conf/suricata-verify/alert-testmyids/default.yaml",
		"conf/suricata-verify/alert-testmyids/suricata.yaml",
		"conf/suricata-verify/bug-4663/suricata.yaml",
		"conf/suricata-verify/like-ip-only-01/suricata.yaml",
		"conf/suricata-verify/exception-policy-midstream-03/suricata.yaml",
	};
	struct conf *c;
	char *out = NULL;
	size_t k;

	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		c = load(files[k]);
		CHECK_INT(0, validate(c, &out));
		/* only warnings, each key once, each with file:line:col */
		for (char *line = out, *nl; line != NULL && *line != '\0'; line = nl + 1) {
			nl = strchr(line, '\n');
			CHECK(nl != NULL);
			if (nl == NULL)
				break;
			*nl = '\0';
			CHECK(strncmp(line, "conf/suricata-verify/", 21) == 0);
			CHECK(strstr(line, "': warning: accepted, has no effect") != NULL);
			CHECK(strstr(nl + 1, strstr(line, " key '")) == NULL);
			*nl = '\n';
		}
		if (k == 0) {
			/* the stock file: Suricata's sections idsd does not have, one
			 * warning per section; nothing idsd reads */
			static const char *const noop[] = {
				":1027:1: key 'vlan'", "key 'af-packet'", "key 'defrag.prealloc'",
				"key 'pcap'",
				"key 'host-os-policy'", "key 'detect.profile'",
			};
			static const char *const used[] = {
				"'af-packet.", "'defrag.memcap'", "'flow.memcap'", "'stream.memcap'",
				"'flow.emergency-recovery'", "'flow-timeouts.tcp.emergency-new'",
				"'default-rule-path'", "'outputs.1.eve-log.types.0.alert.payload'",
				"key 'logging",
			};

			for (size_t i = 0; i < sizeof(noop) / sizeof(noop[0]); i++)
				CHECK(out != NULL && strstr(out, noop[i]) != NULL);
			for (size_t i = 0; i < sizeof(used) / sizeof(used[0]); i++)
				CHECK(out != NULL && strstr(out, used[i]) == NULL);
		}
		free(out);
		conf_free(c);
	}
	/* suricata.yaml includes the stock file, then overrides it */
	c = load(files[1]);
	CHECK_STR("[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]",
		  val(c, "vars.address-groups.HOME_NET"));
	CHECK_STR("notice", val(c, "logging.default-log-level"));
	CHECK_STR("4kb", val(c, "outputs.1.eve-log.types.0.alert.payload-buffer-size"));
	conf_free(c);
}

/* 50k keys in one mapping (address groups at scale), some defined twice:
 * found by name through the child index, a re-definition replaces the
 * value in place, and file order is kept. */
static void test_many_keys(void)
{
	enum { N = 50000 };
	size_t cap = (size_t)N * 48 + 256, len = 0;
	char *yaml = malloc(cap), err[256], path[64];
	struct conf *c = conf_new();
	const struct conf_node *g, *ch;
	unsigned i = 0;

	CHECK(yaml != NULL && c != NULL);
	if (yaml == NULL || c == NULL)
		return;
	len += (size_t)snprintf(yaml + len, cap - len, "vars:\n  address-groups:\n");
	for (unsigned k = 0; k < N; k++)
		len += (size_t)snprintf(yaml + len, cap - len, "    G%u: \"10.0.%u.0/24\"\n", k,
					k % 256);
	for (unsigned k = 0; k < 100; k++)	/* defined again: the later wins */
		len += (size_t)snprintf(yaml + len, cap - len, "    G%u: \"again\"\n", k * 7);
	CHECK_INT(0, conf_load_string(c, "conf/many.yaml", yaml, err, sizeof(err)));
	g = conf_get(c, "vars.address-groups");
	CHECK(g != NULL);
	if (g != NULL) {
		CHECK_INT(N, g->nchildren);
		for (ch = g->child; ch != NULL; ch = ch->next, i++) {
			snprintf(path, sizeof(path), "G%u", i);
			if (strcmp(ch->name, path) != 0)
				break;
		}
		CHECK_INT(N, i);
	}
	CHECK_STR("again", val(c, "vars.address-groups.G693"));
	CHECK_STR("10.0.183.0/24", val(c, "vars.address-groups.G49847"));
	CHECK(conf_get(c, "vars.address-groups.G50000") == NULL);
	conf_free(c);
	free(yaml);
}

int main(void)
{
	test_many_keys();
	test_tree();
	test_override();
	test_include();
	test_anchors();
	test_set();
	test_getters();
	test_parsers();
	test_dump();
	test_malformed();
	test_validate();
	test_suricata_verify();
	return check_result("conf");
}
