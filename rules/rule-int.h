/* SPDX-License-Identifier: MIT */
/* Internals shared by the rule parser's files; not part of the public API. */
#ifndef IDS_RULE_INT_H
#define IDS_RULE_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rule-t.h"

typedef unsigned __int128 u128;

/* ---- interval sets (rule_ivset.c) ----
 * Inclusive ranges of 128-bit integers: IPv4 addresses, IPv6 addresses or
 * ports. Built by appending, then ivset_norm() sorts and merges. */
struct iv {
	u128 lo, hi;
};

struct ivset {
	uint32_t n, cap;
	struct iv *v;
};

int ivset_add(struct ivset *s, u128 lo, u128 hi);
int ivset_append(struct ivset *d, const struct ivset *s);
int ivset_norm(struct ivset *s);
/* d = d minus neg; both normalized. */
int ivset_sub(struct ivset *d, const struct ivset *neg);
void ivset_free(struct ivset *s);

/* ---- environment (rule_env.c) ---- */
struct rule_var {
	char kind;                /* 'a' or 'p' */
	char *name;
	char *value;
};

struct rule_class {
	char *name, *desc;
	uint32_t prio;
};

struct rule_env {
	uint32_t nvars, vars_cap;
	struct rule_var *vars;
	struct rule_name_index var_index;  /* (kind, name) -> index in vars */
	uint32_t nclasses;
	struct rule_class *classes;
	bool classes_loaded;      /* else the built-in table is used */
	uint32_t nrefs;
	char **refs;
	bool refs_loaded;
};

const char *rule_env_var(const struct rule_env *env, char kind, const char *name);
/* Finds a classtype (case-insensitive); false when unknown. */
bool rule_env_class(const struct rule_env *env, const char *name, const char **sname,
		    const char **desc, uint32_t *prio);
bool rule_env_ref_known(const struct rule_env *env, const char *type);

/* ---- built-in copies of the default tables (rule_builtin.c) ---- */
struct rule_class_def {
	const char *name, *desc;
	uint32_t prio;
};
extern const struct rule_class_def rule_builtin_classes[];
extern const uint32_t rule_builtin_nclasses;
extern const char *const rule_builtin_refs[];
extern const uint32_t rule_builtin_nrefs;

/* ---- addresses and ports (rule_addr.c) ----
 * Resolve a header field (variables, lists, negations) into a set. 0 or
 * -EINVAL with err filled. */
int rule_parse_addr(const struct rule_env *env, const char *text, struct addr_set *out,
		    char *err, size_t errlen);
int rule_parse_ports(const struct rule_env *env, const char *text, struct port_set *out,
		     char *err, size_t errlen);

/* ---- option parsing (rule_parse.c and the rule_kw_*.c files) ---- */
struct rule_ctx {
	const struct rule_env *env;
	struct rule *r;
	char *err;
	size_t errlen;
	int last_content;         /* index in r->match of the latest content, -1 */
	uint32_t cap_match;
	uint32_t seen_prio;       /* priority: given explicitly */
	bool have_sid;
	/* (added) sticky buffer new matches go to, and byte_extract/byte_math
	 * variable names (index = variable) */
	enum rule_buffer cur_buf;
	uint8_t cur_xf;           /* (added) rule_match.xf of new matches in an app buffer */
	uint32_t sticky_nmatch;   /* (added) r->nmatch when the sticky buffer was chosen */
	uint8_t cur_grp;          /* (added) rule_match.grp of new matches */
	uint8_t nvars;
	char var_names[RULE_MAX_BYTE_VARS][32];
	/* (added) base64: a base64_decode was seen; after base64_data, new
	 * matches are marked b64 and the buffer (b64_buf, b64_xf) is fixed */
	bool have_b64_decode;
	bool in_b64;
	enum rule_buffer b64_buf;
	uint8_t b64_xf;
	/* (added) the rule is in Snort 3's dialect (rule_snort3.c); what its
	 * options say ahead of their turn: the services (bit per enum
	 * app_proto), a flow to the server; a service option was read */
	bool snort3;
	bool s3_to_server;
	bool s3_service_listed;   /* a service option is in the rule */
	bool have_service;
	uint16_t s3_services;
	/* (added) the last Snort 3 buffer keyword, and r->nmatch then: a
	 * buffer no match follows is refused (a Suricata modifier written in a
	 * Snort 3 rule would otherwise change meaning silently) */
	const char *s3_buf_kw;
	uint32_t s3_buf_nmatch;
};

/* struct rule_kw.flags */
#define KW_NOVAL  0x01u       /* takes no value */
#define KW_VAL    0x02u       /* needs a value */
#define KW_ONCE   0x04u       /* at most once per rule */

/* One row of the keyword table: val is the text after ':' trimmed, or NULL. */
struct rule_kw {
	const char *name;
	int (*parse)(struct rule_ctx *c, const char *val);
	uint32_t flags;
};

extern const struct rule_kw rule_kw_table[];
extern const uint32_t rule_kw_count;

/* Fills c->err and returns -EINVAL. */
int rule_err(struct rule_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rule_errbuf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Strict decimal parsers: whole string, surrounding blanks allowed. */
/* Append a zeroed payload match of kind to the rule, in the current sticky
 * buffer. NULL on allocation failure. */
struct rule_match *rule_match_new(struct rule_ctx *c, enum rule_match_kind kind);

int rule_parse_u32(const char *s, uint32_t *out);
int rule_parse_i32(const char *s, int32_t *out);
/* Copies s without surrounding blanks; NULL on allocation failure. */
char *rule_strtrim(const char *s, size_t len);
/* The text inside double quotes, unescaping \" \; \\ \: ; NULL if s is not quoted. */
char *rule_unquote(const char *s);

/* Per-keyword handlers, grouped by file. */
int kw_msg(struct rule_ctx *c, const char *v);
int kw_sid(struct rule_ctx *c, const char *v);
int kw_rev(struct rule_ctx *c, const char *v);
int kw_gid(struct rule_ctx *c, const char *v);
int kw_classtype(struct rule_ctx *c, const char *v);
int kw_priority(struct rule_ctx *c, const char *v);
int kw_reference(struct rule_ctx *c, const char *v);
int kw_accept(struct rule_ctx *c, const char *v);
int kw_metadata(struct rule_ctx *c, const char *v);
int kw_target(struct rule_ctx *c, const char *v);

int kw_content(struct rule_ctx *c, const char *v);
int kw_nocase(struct rule_ctx *c, const char *v);
int kw_offset(struct rule_ctx *c, const char *v);
int kw_depth(struct rule_ctx *c, const char *v);
int kw_distance(struct rule_ctx *c, const char *v);
int kw_within(struct rule_ctx *c, const char *v);
int kw_fast_pattern(struct rule_ctx *c, const char *v);
int kw_rawbytes(struct rule_ctx *c, const char *v);
int kw_startswith(struct rule_ctx *c, const char *v);
int kw_endswith(struct rule_ctx *c, const char *v);
int kw_pcre(struct rule_ctx *c, const char *v);
/* content's decoding of the text between the quotes into out (room for
 * len bytes): 0, or -EINVAL with the reason in c. */
int rule_content_decode(struct rule_ctx *c, const char *s, size_t len, uint8_t *out,
			uint32_t *olen);
/* rule_kw_var.c (added): pcre captures into variables and the keywords
 * that read them. rule_pcre_names_cut: the length of v[0, len) without a
 * trailing capture name list (", pkt:x, flow:y"). rule_pcre_captures: the
 * list (names[0, nlen)) and the named groups of p (compiled) into p->cap;
 * 0 or -EINVAL with the reason in c (p->cap is the caller's to free with
 * rule_pcre_captures_free either way). */
size_t rule_pcre_names_cut(const char *v, size_t len);
int rule_pcre_captures(struct rule_ctx *c, struct rule_pcre *p, const char *names, size_t nlen);
void rule_pcre_captures_free(struct rule_pcre *p);
int kw_flowvar(struct rule_ctx *c, const char *v);
int kw_pktvar(struct rule_ctx *c, const char *v);
void rule_varmatch_free(struct rule *r);
int kw_pkt_data(struct rule_ctx *c, const char *v);
/* Checks across keywords once the whole rule is read. */
int rule_payload_validate(struct rule_ctx *c);
void rule_match_free(struct rule_match *m);
void rule_pcre_code_free(void *code);

int kw_flow(struct rule_ctx *c, const char *v);
int kw_dsize(struct rule_ctx *c, const char *v);
int kw_ttl(struct rule_ctx *c, const char *v);
int kw_itype(struct rule_ctx *c, const char *v);
int kw_icode(struct rule_ctx *c, const char *v);
int kw_ip_proto(struct rule_ctx *c, const char *v);
int kw_l3_proto(struct rule_ctx *c, const char *v);
int kw_flowbits(struct rule_ctx *c, const char *v);
int kw_noalert(struct rule_ctx *c, const char *v);
int kw_threshold(struct rule_ctx *c, const char *v);
int kw_detection_filter(struct rule_ctx *c, const char *v);

/* rule_kw_byte.c: byte_test, byte_jump, byte_extract, byte_math, isdataat,
 * bsize, sticky header buffers, and offset/depth/distance/within that also
 * take a byte_extract variable. */
int kw_byte_test(struct rule_ctx *c, const char *v);
int kw_byte_jump(struct rule_ctx *c, const char *v);
int kw_byte_extract(struct rule_ctx *c, const char *v);
int kw_byte_math(struct rule_ctx *c, const char *v);
int kw_isdataat(struct rule_ctx *c, const char *v);
int kw_bsize(struct rule_ctx *c, const char *v);
/* (added) An app-layer sticky keyword (rule_kw_applayer.c): new matches go
 * to buffer b, in a new list when b is multi-instance and already has
 * matches (rule_match.grp). 0, or -EINVAL when one buffer is named too
 * often. */
int rule_sticky(struct rule_ctx *c, enum rule_buffer b);
int kw_sticky_ipv4_hdr(struct rule_ctx *c, const char *v);
int kw_sticky_ipv6_hdr(struct rule_ctx *c, const char *v);
int kw_sticky_tcp_hdr(struct rule_ctx *c, const char *v);
int kw_sticky_udp_hdr(struct rule_ctx *c, const char *v);
int kw_sticky_icmpv4_hdr(struct rule_ctx *c, const char *v);
int kw_sticky_icmpv6_hdr(struct rule_ctx *c, const char *v);
int kw_offset_var(struct rule_ctx *c, const char *v);
int kw_depth_var(struct rule_ctx *c, const char *v);
int kw_distance_var(struct rule_ctx *c, const char *v);
int kw_within_var(struct rule_ctx *c, const char *v);

/* rule_kw_hdr.c: header keywords (flags ack seq window id fragbits
 * fragoffset tos ipopts sameip stream_size icmp_id icmp_seq tcp.mss) and
 * the state keywords xbits and flowint. */
int kw_flags(struct rule_ctx *c, const char *v);
int kw_ack(struct rule_ctx *c, const char *v);
int kw_seq(struct rule_ctx *c, const char *v);
int kw_window(struct rule_ctx *c, const char *v);
int kw_id(struct rule_ctx *c, const char *v);
int kw_fragbits(struct rule_ctx *c, const char *v);
int kw_fragoffset(struct rule_ctx *c, const char *v);
int kw_tos(struct rule_ctx *c, const char *v);
int kw_ipopts(struct rule_ctx *c, const char *v);
int kw_sameip(struct rule_ctx *c, const char *v);
int kw_stream_size(struct rule_ctx *c, const char *v);
int kw_icmp_id(struct rule_ctx *c, const char *v);
int kw_icmp_seq(struct rule_ctx *c, const char *v);
int kw_tcp_mss(struct rule_ctx *c, const char *v);
int kw_icmpv6_mtu(struct rule_ctx *c, const char *v);
int kw_xbits(struct rule_ctx *c, const char *v);
int kw_hostbits(struct rule_ctx *c, const char *v);
int kw_flowint(struct rule_ctx *c, const char *v);
/* rule_kw_flow.c (added): flow.age and the flow counters */
int kw_flow_age(struct rule_ctx *c, const char *v);
int kw_flow_pkts_toserver(struct rule_ctx *c, const char *v);
int kw_flow_pkts_toclient(struct rule_ctx *c, const char *v);
int kw_flow_bytes_toserver(struct rule_ctx *c, const char *v);
int kw_flow_bytes_toclient(struct rule_ctx *c, const char *v);
int kw_flow_pkts(struct rule_ctx *c, const char *v);
int kw_flow_bytes(struct rule_ctx *c, const char *v);
/* rule_kw_requires.c (added): the requires value v against this engine:
 * 0 met, 1 not met, -EINVAL invalid; why (whylen) says which. kw_requires
 * is its table entry, run after the check already passed: it only refuses
 * an invalid value. */
int rule_requires_check(const char *v, char *why, size_t whylen);
int kw_requires(struct rule_ctx *c, const char *v);
/* rule_kw_event.c (added) */
int kw_decode_event(struct rule_ctx *c, const char *v);
int kw_stream_event(struct rule_ctx *c, const char *v);
int kw_engine_event(struct rule_ctx *c, const char *v);
/* rule_kw_asn1.c (added) */
int kw_asn1(struct rule_ctx *c, const char *v);
int kw_app_layer_event(struct rule_ctx *c, const char *v);
int kw_ipv4_csum(struct rule_ctx *c, const char *v);
int kw_tcpv4_csum(struct rule_ctx *c, const char *v);
int kw_tcpv6_csum(struct rule_ctx *c, const char *v);
int kw_udpv4_csum(struct rule_ctx *c, const char *v);
int kw_udpv6_csum(struct rule_ctx *c, const char *v);
int kw_icmpv4_csum(struct rule_ctx *c, const char *v);
int kw_icmpv6_csum(struct rule_ctx *c, const char *v);
/* FNV-1a, the key of xbit and flowint names */
uint64_t rule_name_hash(const char *s);

/* rule_names.c: add id under hash h (-ENOMEM); find the id whose entry in
 * table eq() says is key, among those added under h (-1: none). */
int rule_names_add(struct rule_name_index *ix, uint64_t h, uint32_t id);
int64_t rule_names_find(const struct rule_name_index *ix, uint64_t h,
			bool (*eq)(const void *table, uint32_t id, const void *key),
			const void *table, const void *key);
void rule_names_free(struct rule_name_index *ix);

/* rule_kw_applayer.c (added): app-layer keywords, looked up after the
 * table; -ENOENT when name is none of them. rule_applayer_finish runs once
 * the rule is read (buffers used, implied protocol). */
int rule_kw_applayer(struct rule_ctx *c, const char *name, const char *val);
int rule_applayer_finish(struct rule_ctx *c);
/* The app-layer protocol named name[0..n) (any case; "http1" is http),
 * APP_PROTO_UNKNOWN when none. */
enum app_proto rule_app_proto_by_name(const char *name, size_t n);
/* rule_kw_frame.c (added): frame:[PROTO.]NAME, a sticky buffer; rule_frame_finish
 * (from rule_applayer_finish) refuses other inspection beside a frame. */
int rule_kw_frame(struct rule_ctx *c, const char *v);
int rule_frame_finish(struct rule_ctx *c);
/* rule_kw_absent.c (added): absent[: or_else] on the sticky buffer;
 * rule_absent_finish refuses other matches on a plain absent buffer. */
int kw_absent(struct rule_ctx *c, const char *v);
int rule_absent_finish(struct rule_ctx *c);
/* The buffer a pcre HTTP flag (U I P Q H D M C S Y V W) selects; -EINVAL if
 * f is not one. */
int rule_pcre_http_flag(char f, enum rule_buffer *out);

/* rule_kw_tls_date.c (added): tls_cert_notbefore/notafter/expired/valid;
 * -ENOENT when name is none of them. */
int rule_kw_tls_date(struct rule_ctx *c, const char *name, const char *val);

/* rule_kw_transform.c (added): transform keywords after a sticky buffer;
 * -ENOENT when name is not one. rule_xform_finish checks, once the rule is
 * read, that every chain has a match after it. */
int rule_kw_transform(struct rule_ctx *c, const char *name, const char *val);
int rule_xform_finish(struct rule_ctx *c);
void rule_xchain_free(struct rule *r);

/* rule_kw_base64.c (added): base64_decode, base64_data, tag. check runs
 * after every option (the buffer may not change after base64_data); finish
 * once the rule is read. */
int kw_base64_decode(struct rule_ctx *c, const char *v);
int kw_base64_data(struct rule_ctx *c, const char *v);
int kw_tag(struct rule_ctx *c, const char *v);
/* Next comma-separated field of *s, trimmed, into out (size outlen), *s
 * moved past it; false (*s unmoved) when s is exhausted or the field is
 * too long. */
bool rule_next_field(const char **s, char *out, size_t outlen);
int rule_b64_check(struct rule_ctx *c);
int rule_b64_finish(struct rule_ctx *c);

/* rule_kw_file.c (added): filename, fileext, filemagic, file.name,
 * file.magic, filesize, filemd5/filesha1/filesha256, filestore; -ENOENT
 * when name is none of them. rule_file_load_hashes reads the rule's hash
 * lists (relative paths under default_path, NULL: none, else beside
 * rule_path, as Suricata looks for them); 0, -EINVAL (err filled) or
 * -ENOMEM. rule_file_free frees what they hold. */
int rule_kw_file(struct rule_ctx *c, const char *name, const char *val);
int rule_file_load_hashes(struct rule *r, const char *default_path, const char *rule_path,
			  char *err, size_t errlen);
void rule_file_free(struct rule *r);

/* rule_parse.c (added): the next option at *p before end, its text
 * without the ';' in *opt, *len; 1: an option, 0: none left, -EINVAL: the
 * last has no ';'. */
int rule_next_option(const char **p, const char *end, const char **opt, size_t *len);

/* rule_snort3.c (added): the Snort 3 dialect. rule_snort3_detect: whether
 * the rule (text, its '(' and ')') can only be Snort 3; prescan reads the
 * options other options depend on; rule_snort3_option handles a Snort 3
 * keyword (-ENOENT: none, the common table's then applies); finish runs
 * after rule_applayer_finish (the protocol is known). rule_snort3_service
 * maps a Snort 3 service name to the protocol this engine detects
 * (APP_PROTO_UNKNOWN: none), rule_snort3_service_mask a list of them. */
bool rule_snort3_detect(const char *text, const char *open, const char *close);
void rule_snort3_prescan(struct rule_ctx *c, const char *p, const char *end);
int rule_snort3_option(struct rule_ctx *c, const char *name, const char *val);
int rule_snort3_finish(struct rule_ctx *c);
enum app_proto rule_snort3_service(const char *name, size_t n);
uint16_t rule_snort3_service_mask(const char *v);

/* Parses Suricata 7's unsigned comparison forms, bounded by max. */
int rule_parse_u32_cmp(const char *s, uint32_t max, struct u32_cmp *out);

#endif
