/* SPDX-License-Identifier: MIT */
/* Loading rules in Suricata syntax (and Snort 3's, rule by rule where the
 * text cannot be Suricata: rule_snort3.c): files -> struct ruleset. */
#ifndef IDS_RULES_H
#define IDS_RULES_H

#include <stdio.h>

#include "rule-t.h"

/* What rules refer to from outside: address and port variables
 * (vars.address-groups / vars.port-groups, without the '$'), and the
 * classification and reference tables. */
struct rule_env;

/* An empty environment; NULL on allocation failure. */
struct rule_env *rule_env_new(void);
void rule_env_free(struct rule_env *env);

/* Define or replace a variable. kind: 'a' address group, 'p' port group.
 * value is the raw text ("[10.0.0.0/8,!10.1.0.0/16]", "$HOME_NET", "80").
 * Returns 0 or -EINVAL with err filled. Variables are resolved when a rule
 * uses them, so definition order does not matter. */
int rule_env_set_var(struct rule_env *env, char kind, const char *name,
		     const char *value, char *err, size_t errlen);

/* Install Suricata's default address and port groups (default suricata.yaml). */
void rule_env_set_default_vars(struct rule_env *env);

/* Read classification.config / reference.config. Bad lines are reported to
 * errs as "file:line: reason" and skipped. Returns 0, or -errno if the file
 * cannot be read. Without a classification file, a built-in copy of
 * Suricata's default classifications is used. */
int rule_env_load_classification(struct rule_env *env, const char *path, FILE *errs);
int rule_env_load_references(struct rule_env *env, const char *path, FILE *errs);

/* Parse one rule. Returns the rule, or NULL with err filled with the reason
 * (no file:line prefix: the caller adds it). The rule's classtype and
 * class_desc point into env (or the built-in table), so env must outlive
 * it and not reload its classification meanwhile. Flowbit ids stay
 * RULE_FLOWBIT_UNRESOLVED until the rule is loaded into a ruleset. */
struct rule *rule_parse(const struct rule_env *env, const char *text,
			char *err, size_t errlen);
/* (added) rule_parse, telling apart a rule skipped because its "requires"
 * is not met by this engine (NULL, *skipped true, err says which
 * requirement) from one that failed (NULL, *skipped false). rule_parse
 * reports a skipped rule as failed. */
struct rule *rule_parse_ex(const struct rule_env *env, const char *text, char *err,
			   size_t errlen, bool *skipped);
void rule_free(struct rule *r);

/* (added) The app-layer protocol of a sticky buffer (APP_PROTO_UNKNOWN for
 * the packet's own buffers), and a protocol's name ("http", "tls", ...). */
enum app_proto rule_buffer_app_proto(enum rule_buffer b);
/* (added) Whether b is a multi-instance buffer in Suricata's sense
 * (DetectBufferTypeSupportsMultiInstance): naming its sticky keyword again
 * opens a new list (rule_match.grp) instead of continuing the first. */
bool rule_buffer_multi(enum rule_buffer b);
const char *rule_app_proto_name(enum app_proto p);

/* (added) What the file keywords of rs need from the app layer: whether
 * files must be tracked, and *hashes the APP_FILE_* style bits (md5 0x1,
 * sha1 0x2, sha256 0x4, magic 0x8) to compute. */
bool ruleset_file_needs(const struct ruleset *rs, uint8_t *hashes);
/* (added) Whether a rule of rs inspects ssh.hassh (or its kin): the app
 * layer must compute HASSH, as Suricata's HASSH keywords switch it on. */
bool ruleset_needs_hassh(const struct ruleset *rs);
/* (added) Whether a rule of rs needs one of events (bit per event id of
 * proto's list in common/events-t.h) through app-layer-event. */
bool ruleset_needs_app_events(const struct ruleset *rs, enum app_proto proto, uint64_t events);

struct ruleset *ruleset_new(void);
/* (added) default-rule-path for the rules loaded from now on (their hash
 * lists); 0 or -ENOMEM. */
int ruleset_set_default_path(struct ruleset *rs, const char *dir);
void ruleset_free(struct ruleset *rs);

/* Parse every rule in path (comments, blank lines, '\' continuations) into
 * rs. Each failed rule is written to errs as "file:line: reason", counted in
 * rs->nfailed and tallied by reason; the others load. A rule whose
 * "requires" is not met is skipped: "file:line: skipped: why" on errs,
 * counted in rs->nskipped, no failure (as Suricata). Duplicate gid:sid:
 * the later one fails. Returns 0, or -errno if the file cannot be read.
 * The tally key is the reason up to its first quoted item ("unsupported
 * keyword 'http.uri'") or up to a ": " before it ("depth smaller than
 * content length"). Loaded rules get file, line and interned flowbit and flowint
 * ids. */
int ruleset_load_file(struct ruleset *rs, struct rule_env *env,
		      const char *path, FILE *errs);

/* (added) Before any rule is loaded into rs: the flowbit and flowint names
 * of prev (the running rules, on a reload) get the same ids in rs, as
 * Suricata's variable name store keeps its ids over a reload, so that the
 * bits and counters flows hold keep their meaning and their names. 0,
 * -EINVAL when rs already has names, -ENOMEM. */
int ruleset_seed_names(struct ruleset *rs, const struct ruleset *prev);

/* path a file: ruleset_load_file. A directory: every "*.rules" file in it,
 * in name order (a whole rule set's folder). On error, failed names the
 * file that could not be read (truncated to failedlen). */
int ruleset_load_path(struct ruleset *rs, struct rule_env *env, const char *path, FILE *errs,
		      char *failed, size_t failedlen);

/* (added) threshold.config (Suricata's global thresholds) applied to rs
 * after its rules are loaded: threshold/event_filter for a gid:sid
 * replace the rule's own threshold; with sig_id 0 (gen_id 0: any gid)
 * they apply to the rules without one; suppress without track makes
 * rules noalert, with track by_src|by_dst|by_either and ip (an address,
 * a list or a variable) they do not match for those addresses;
 * rate_filter gives rules without a threshold a THRESH_RATE one (see
 * rule_threshold_file.c for the precedence). Each bad line is reported to
 * errs as "file:line: reason" and skipped; returns their number, or
 * -errno when the file cannot be read. */
int ruleset_apply_threshold_file(struct ruleset *rs, const struct rule_env *env,
				 const char *path, FILE *errs);

/* (added) action-order: order[0] is the action whose rules are evaluated
 * first, ..., each of the RULE_ACT_MAX actions once (the caller checked).
 * Takes effect at ruleset_finalize. */
void ruleset_set_action_order(struct ruleset *rs, const enum rule_action order[RULE_ACT_MAX]);

/* After all files: resolve flowbit names (warn about isset without set) and
 * assign each rule's evaluation order. Also sorts rs->reasons by count,
 * most frequent first. */
void ruleset_finalize(struct ruleset *rs, FILE *errs);

/* (added) Take rules out after loading (the detection engine could not use
 * them): each is reported as "file:line: reason", counted in rs->nfailed,
 * tallied, and freed. bad[k] (reason[k]) must be rules of rs; one listed
 * twice goes once. 0 or -ENOMEM. */
int ruleset_reject(struct ruleset *rs, const struct rule *const *bad,
		   const char *const *reason, uint32_t nbad, FILE *errs);

#endif
