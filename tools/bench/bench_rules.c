/* SPDX-License-Identifier: MIT */
#include "bench_rules.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dataplane/detect/detect.h"
#include "rules/rules.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

uint64_t bench_rss(void)
{
	unsigned long long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%llu %llu", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE);
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_one(struct bench_rules *br, const char *path, FILE *errs, char *err,
		    size_t errlen)
{
	int ret = ruleset_load_file(br->rs, br->env, path, errs);

	if (ret != 0)
		snprintf(err, errlen, "%s: cannot read rule file: %s", path, strerror(-ret));
	else
		br->files++;
	return ret;
}

static int load_dir(struct bench_rules *br, const char *dir, FILE *errs, char *err,
		    size_t errlen)
{
	char path[PATH_MAX], **names = NULL, **nn;
	size_t n = 0;
	struct dirent *de;
	int ret = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/classification.config", dir);
	if (access(path, R_OK) == 0)
		rule_env_load_classification(br->env, path, errs);
	snprintf(path, sizeof(path), "%s/reference.config", dir);
	if (access(path, R_OK) == 0)
		rule_env_load_references(br->env, path, errs);
	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".rules"))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (nn == NULL || (nn[n] = strdup(de->d_name)) == NULL) {
			names = nn ? nn : names;
			ret = -ENOMEM;
			snprintf(err, errlen, "%s: out of memory", dir);
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (ret == 0 && n == 0) {
		snprintf(err, errlen, "%s: no .rules file", dir);
		ret = -ENOENT;
	}
	if (ret == 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && ret == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		ret = load_one(br, path, errs, err, errlen);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

int bench_rules_load(struct bench_rules *br, char *const *paths, unsigned n, FILE *errs,
		     char *err, size_t errlen)
{
	struct stat st;
	double t0;
	int ret = 0;

	memset(br, 0, sizeof(*br));
	br->rss_before = bench_rss();
	br->env = rule_env_new();
	br->rs = ruleset_new();
	if (br->env == NULL || br->rs == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rule_env_set_default_vars(br->env);
	t0 = now_ms();
	for (unsigned i = 0; i < n && ret == 0; i++) {
		if (stat(paths[i], &st) != 0) {
			snprintf(err, errlen, "%s: %s", paths[i], strerror(errno));
			return -errno;
		}
		if (S_ISDIR(st.st_mode))
			ret = load_dir(br, paths[i], errs, err, errlen);
		else
			ret = load_one(br, paths[i], errs, err, errlen);
	}
	if (ret != 0)
		return ret;
	ruleset_finalize(br->rs, errs);
	br->parse_ms = now_ms() - t0;
	t0 = now_ms();
	br->de = detect_engine_build(br->rs, err, errlen);
	br->compile_ms = now_ms() - t0;
	if (br->de == NULL)
		return -EINVAL;
	br->rss_after = bench_rss();
	return 0;
}

void bench_rules_free(struct bench_rules *br)
{
	if (br->de != NULL)
		detect_engine_free(br->de);
	if (br->rs != NULL)
		ruleset_free(br->rs);
	if (br->env != NULL)
		rule_env_free(br->env);
	memset(br, 0, sizeof(*br));
}
