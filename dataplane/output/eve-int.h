/* SPDX-License-Identifier: MIT */
/* EVE internals shared by the files of dataplane/output (not for callers). */
#ifndef IDS_EVE_INT_H
#define IDS_EVE_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../common/json.h"
#include "eve.h"
#include "eve_sink.h"

#define EVE_SINK_NSTATS 5

/* Per-worker buffer. A flush is due once the buffer holds more than the
 * high-water mark, so the headroom above it takes any usual record (a
 * full jumbo frame in base64 twice) without a flush in the middle. */
#define EVE_WRITER_BUF    (256u * 1024)
#define EVE_WRITER_HIWAT  (EVE_WRITER_BUF - 64u * 1024)

struct eve_file {
	/* Held for one flush (one write() of whole lines, plus the rest of it
	 * after a short write) and by reopen to swap the fd. A flush happens
	 * once per ~192 KiB per worker, never per record; the kernel holds the
	 * inode lock for an append anyway, so this costs no extra waiting and
	 * keeps a line whole even when write() comes back short. */
	pthread_mutex_t lock;
	int fd;
	char *path;
	/* (added) the eve-log output this file is */
	uint32_t types;                /* enum eve_type bits */
	bool has_opt;                  /* opt below, else the writer's */
	struct eve_options opt;
	struct eve_file *next;         /* the next eve-log output, owned */
	struct eve_sink *sink;         /* (added) not a file: lines go to its queue */
	char stat_names[EVE_SINK_NSTATS][48];   /* "output.sink.N.<counter>" */
};

/* One writer's buffer alone (not its chain). 0 or -errno. */
int eve_writer_flush_one(struct eve_writer *w);

/* Write all of buf[0..len) to the file; *done = bytes written (all of them
 * on success). 0 or -errno of the write() that failed. */
int eve_file_write(struct eve_file *ef, const char *buf, size_t len, size_t *done);

struct eve_writer {
	struct eve_file *ef;
	struct eve_options opt;
	uint32_t types;                /* of ef */
	const char *in_iface;          /* not owned */
	char *buf;                     /* EVE_WRITER_BUF bytes of complete lines */
	size_t len;
	struct eve_writer *next;       /* the writer of ef->next, owned */
	struct eve_stats *st;          /* the first writer's stats: the sum */
	struct eve_stats stats;
	/* stats records: scratch for the sorted order of the counter names,
	 * grown on the (periodic, cold) stats path only */
	unsigned *order;
	unsigned order_cap;
	const struct eve_app *app;     /* (added) fields of the alert being written */
	const struct detect_pktvar *pktvars; /* (added) the packet's, while its alerts
					      * are written (eve_writer_set_pktvars) */
	uint32_t npktvars;
	const struct ruleset *names;   /* (added) the flowbit and flowint names of the
					* running rules (eve_writer_set_names) */
	struct eve_frag_cache *frags;  /* the running rules' alert parts, owned */
};

/* Builds one record into j (the object, without the newline) with the
 * options of writer w. */
typedef void (*eve_build_fn)(struct json_w *j, const struct eve_writer *w, const void *ctx);

/* Append the record built by fn as one line to every output of w's chain
 * that takes type (enum eve_type); flushes at the high-water mark. A record
 * that does not fit even after a flush is dropped and counted. */
void eve_emit(struct eve_writer *w, uint32_t type, eve_build_fn fn, const void *ctx);

/* As eve_emit, to the outputs whose options want the record too (want
 * NULL: all of them). */
typedef bool (*eve_want_fn)(const struct eve_writer *w, const void *ctx);
void eve_emit_if(struct eve_writer *w, uint32_t type, eve_want_fn want, eve_build_fn fn,
		 const void *ctx);
/* Whether a writer of the chain takes records of type: a caller with work
 * to do per packet before it knows (events to walk) asks first. */
bool eve_writes(const struct eve_writer *w, uint32_t type);

/* Text lines (fast.log): fn writes one line, newline included, into
 * buf[0..cap) and returns its length (cap or more: it did not fit). */
typedef size_t (*eve_text_fn)(char *buf, size_t cap, const struct eve_writer *w, const void *ctx);
void eve_emit_text(struct eve_writer *w, uint32_t type, eve_text_fn fn, const void *ctx);

/* A time as Suricata prints it, in UTC: "2024-04-21T10:00:00.123456+0000" */
void eve_put_time(struct json_w *j, const char *key, uint64_t ts_us);

/* eve_alert.c: the common header of packet records (timestamp .. ether),
 * and the "alert" object of rule r, shared by alert and drop records.
 * client_ip (NULL: none) replaces the packet's address on the flow's client
 * side (xff overwrite); xff (NULL: none) goes into the alert object. */
/* The flow_id EVE gives f, formed as Suricata 7's FlowGetId: the flow's
 * hash and start time (51 bits), so a flow gets the same id however many
 * workers read the capture. (f->flow_id, unique per run, keys detection's
 * per-flow state.) */
uint64_t eve_flow_id(const struct flow *f);
void eve_put_header(struct json_w *j, const struct eve_writer *w, const struct packet *p,
		    const char *event_type, const char *client_ip);
void eve_put_alert(struct json_w *j, const struct eve_writer *w, const struct rule *r,
		   bool blocked, const char *xff);
/* The members of the alert object that depend on rule r alone: gid,
 * signature_id, rev, signature, category, severity; and "metadata", the
 * rule's metadata keyword's items (only for a rule that has some). */
void eve_put_rule_ident(struct json_w *j, const struct rule *r);
void eve_put_rule_meta(struct json_w *j, const struct rule *r);

/* eve_alert_frag.c: a writer's cache of those members per rule, rendered
 * on the rule's first alert. Entries are keyed by the rule's address: empty
 * the cache (eve_frag_cache_clear) before rules it may hold are freed.
 * eve_frag_get fills out with r's text, valid until the next call on c:
 * 0, or -ENOENT (c NULL), -ENOMEM, -ENOSPC (no room even in an emptied
 * cache): the caller renders the members itself. */
struct eve_frag_cache;
struct eve_frag {
	const char *ident, *meta;  /* meta NULL: the rule has no metadata */
	size_t ident_len, meta_len;
};
struct eve_frag_cache *eve_frag_cache_create(void);
void eve_frag_cache_destroy(struct eve_frag_cache *c);
void eve_frag_cache_clear(struct eve_frag_cache *c);
int eve_frag_get(struct eve_frag_cache *c, const struct rule *r, struct eve_frag *out);
/* An address as Suricata prints it (IPv6 in full, or RFC 5952 with
 * compress), "proto" by IANA keyword, whether proto has ports. */
void eve_put_ip(struct json_w *j, const char *key, const union ip_addr *a, uint8_t ver,
		bool compress);
void eve_put_proto(struct json_w *j, uint8_t proto);
bool eve_has_ports(uint8_t proto);
/* As Suricata's CreateEveHeaderFromFlow: timestamp (the flow's last
 * packet), ids, event_type, the tuple from side `from` (0: the client) to
 * the other; the common options (eve_put_flow_common) are the caller's, as
 * where they go depends on the record. p (NULL: none, the flow and
 * netflow records) is the packet that has the record written: its
 * "pcap_cnt" and "pkt_src" are added as CreateEveHeader adds them to
 * transaction, file and app-layer anomaly records. client_ip (NULL:
 * none) replaces the client's address (xff overwrite). */
struct flow;
void eve_put_flow_header(struct json_w *j, const struct eve_writer *w, const struct flow *f,
			 const char *event_type, unsigned from, const struct packet *p,
			 const char *client_ip);
/* eve_vars.c (added): Suricata 7's "traffic" and top-level "metadata"
 * (EveAddMetadata) with eve-log metadata on: the flow's flowbits
 * ("flowbits", or "traffic" for the traffic/id/ and traffic/label/ ones)
 * and flowints ("flowints"), its pcre captures ("flowvars") and the
 * packet's ("pktvars"), each in the order set, a captured value as
 * PrintStringsToBuffer makes it (bytes outside printable ASCII but CR and
 * LF as '.'); nothing when there are none. f NULL: the packet's only. */
void eve_put_vars(struct json_w *j, const struct eve_writer *w, const struct flow *f);
/* Suricata's EveAddCommonOptions for a record of flow f: eve_put_vars,
 * then community_id when enabled. */
void eve_put_flow_common(struct json_w *j, const struct eve_writer *w, const struct flow *f);
/* "pkt_src" of p, as Suricata's PktSrcToString. */
const char *eve_pkt_src(const struct packet *p);
/* eve_applayer.c: the protocol objects of alerts, shared with the
 * per-transaction records; dns as an event record of DNS log version 2. */
/* The "http" object: rec NULL as alerts and fileinfo write it (basic and
 * extended fields), else as the http record with rec's options
 * (extended, custom, dump-all-headers); alert: an alert's options
 * (http-body, http-body-printable), NULL for the other records. */
void eve_put_http(struct json_w *j, const struct app_http_info *h, const struct eve_options *rec,
		  const struct eve_options *alert);
/* eve_fileinfo.c: the "fileinfo" object (alerts on files carry it too). */
void eve_put_fileinfo(struct json_w *j, const struct app_file_info *fi);
/* (added) Suricata's "ftp_data" object (EveFTPDataAddMetadata): the
 * transfer's filename and command, each when known. */
void eve_put_ftpdata(struct json_w *j, const struct app_ftpdata_info *d);
/* (added) Suricata 7's "ftp" object of a control connection's command
 * (EveFTPLogCommand): command, command_data and command_truncated,
 * completion_code, reply, dynamic_port, mode (PORT and EPRT),
 * reply_received, reply_truncated. */
void eve_put_ftp(struct json_w *j, const struct app_ftp_info *f);
/* (added) Suricata 7's "smtp" object (EveSmtpDataLogger: helo, mail_from,
 * rcpt_to) and, once the mail's DATA began, its "email" object
 * (EveEmailLogJsonData: status, from, to, cc, attachment; no url
 * extraction, no extended or custom fields, no md5). */
void eve_put_smtp_email(struct json_w *j, const struct app_smtp_info *m);
/* (added) Suricata 7's "ssh" object (rust/src/ssh/logger.rs): "client"
 * and "server", each where its banner was read, with proto_version,
 * software_version (when not empty) and "hassh" {hash, string} (when
 * computed). */
void eve_put_ssh(struct json_w *j, const struct app_ssh_info *s);
/* The "tls" object: JsonTlsLogJSONBasic (subject, issuerdn,
 * session_resumed), and with extended (tls records' extended: yes, and
 * always in alerts) JsonTlsLogJSONExtended's fields too. */
void eve_put_tls(struct json_w *j, const struct app_tls_info *t, uint32_t fields);
void eve_put_dns_v2(struct json_w *j, const struct app_dns_info *d, uint64_t tx_id,
		    const struct eve_options *o);
/* "community_id" of flow f (client to server). */
void eve_put_community_id(struct json_w *j, const struct eve_writer *w, const struct flow *f);
/* The end of every record: "host" (sensor-name) when set, then the
 * object's close. */
void eve_close_record(struct json_w *j, const struct eve_writer *w);
/* flow->output_flags: the flow had an alert (EVE flow "alerted") */
#define EVE_FLOW_ALERTED 0x80u
/* The frame as "packet" (base64) and its "packet_info" (link type). */
void eve_put_frame(struct json_w *j, const struct packet *p);

/* eve_xff.c: the address an X-Forwarded-For style value names, the first
 * (forward) or last element; written to out as text. Returns its IP
 * version (4 or 6), 0 when there is none or it is not an address. */
int eve_xff_pick(const char *value, bool forward, char *out, size_t outlen);
/* What xff option x makes of the request h of a flow of IP version
 * ip_ver: *client (overwrite mode, an address of that version) replaces
 * the client's address, *extra (extra-data mode, or an address of the
 * other version) is logged as "xff"; both point into buf (an
 * INET6_ADDRSTRLEN array) or are NULL. h NULL: neither. */
void eve_xff_resolve(const struct eve_xff *x, const struct app_http_info *h, uint8_t ip_ver,
		     char *buf, size_t buflen, const char **client, const char **extra);

/* eve_applayer.c (added): "tx_id", "app_proto" and the protocol object of
 * an alert written with options opt. */
void eve_put_app(struct json_w *j, const struct eve_app *app, const struct eve_options *opt);
/* "http", "tls", ... of enum app_proto; NULL for none. */
const char *eve_app_proto_name(uint8_t p);
/* "app_proto" (proto), then each of ap's others where it differs from it,
 * as Suricata's EveAddAppProto: "app_proto_ts", "app_proto_tc" (what each
 * direction was judged), "app_proto_orig" and "app_proto_expected" (a
 * protocol change); ap->proto is not used. */
void eve_put_app_protos(struct json_w *j, uint8_t proto, const struct app_protos *ap);

#endif
