/* SPDX-License-Identifier: MIT */
/* EVE JSON output (eve.json), field names as Suricata's. One writer per
 * worker, each with its own buffer; all append whole lines to one file. */
#ifndef IDS_EVE_H
#define IDS_EVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../decode/packet-t.h"
#include "../detect/detect.h"
#include "../applayer/applayer.h"

/* The open file, shared by the writers (O_APPEND: each flush is one write()
 * of complete lines, so lines from different workers never interleave). */
struct eve_file;

/* Open (create/append) path. NULL with err filled on failure. */
struct eve_file *eve_file_open(const char *path, char *err, size_t errlen);
/* Reopen the same path (logrotate, SIGHUP). 0 or -errno. Safe while
 * workers flush (a flush and the fd swap exclude each other; the old fd is
 * closed after the swap); on failure the old file stays in use. Takes a
 * mutex and calls open(): call it from the control thread, not from the
 * signal handler. */
int eve_file_reopen(struct eve_file *ef);
/* After every writer on ef has been destroyed. Closes the files linked
 * after ef too. */
void eve_file_close(struct eve_file *ef);

/* (added) An eve-log output that is not a file (eve_sink.h: unix_stream,
 * unix_dgram, syslog, redis): workers' flushes go to the sink's bounded
 * queue, its own thread sends. label names it in messages; index numbers
 * its counters "output.sink.<index>.sent|dropped|reconnects|errors|
 * connected". Link it like a file (eve_file_link); eve_file_close sends
 * what is queued (10 s at most) and stops it. */
struct eve_sink_config;
struct eve_file *eve_file_open_sink(const char *label, unsigned index,
				    const struct eve_sink_config *cfg, char *err, size_t errlen);
/* The counters of every sink linked from ef: names (valid while ef is
 * open) and values, at most max; returns how many. */
unsigned eve_file_sink_counters(const struct eve_file *ef, const char **names, uint64_t *values,
				unsigned max);

/* Record types, as outputs.eve-log.types names them. */
enum eve_type {
	EVE_T_ALERT   = 1u << 0,
	EVE_T_DROP    = 1u << 1,
	EVE_T_STATS   = 1u << 2,
	EVE_T_PACKET  = 1u << 3,   /* tagged packets (alert: tagged-packets) */
	EVE_T_FLOW    = 1u << 4,
	EVE_T_NETFLOW = 1u << 5,
	EVE_T_HTTP    = 1u << 6,
	EVE_T_DNS     = 1u << 7,
	EVE_T_TLS     = 1u << 8,
	EVE_T_ANOMALY = 1u << 9,
	EVE_T_FAST    = 1u << 10,  /* (added) fast.log lines of alerts, not JSON */
	EVE_T_FILEINFO = 1u << 11, /* (added) "files" in the types list */
	EVE_T_FTP     = 1u << 12,  /* (added) "ftp": ftp and ftp_data records */
	EVE_T_SMTP    = 1u << 13,  /* (added) "smtp": a record per mail */
	EVE_T_SSH     = 1u << 14,  /* (added) "ssh": a record per SSH session */
};
#define EVE_T_ALL (0x3ffu | EVE_T_FILEINFO | EVE_T_FTP | EVE_T_SMTP | EVE_T_SSH) /* the JSON
										   * record types */

struct eve_writer;
struct eve_options;

/* (added) One eve-log output per file: which record types it takes and,
 * when opt is not NULL, its own options (copied; else a writer uses the
 * options it is created with). A file opened and not configured takes
 * every type. */
void eve_file_set_output(struct eve_file *ef, uint32_t types, const struct eve_options *opt);
/* (added) Several eve-log outputs: next (and its own chain) is written
 * alongside ef by every writer created on ef, each record to the outputs
 * that take its type. ef owns next from then on (closed and reopened with
 * it). */
void eve_file_link(struct eve_file *ef, struct eve_file *next);

/* Optional alert fields, as Suricata's eve-log alert options. */
struct eve_options {
	bool payload;            /* "payload" (base64) */
	bool payload_printable;  /* "payload_printable" (non-printable bytes as '.') */
	bool http_body;          /* alert http-body: the transaction's bodies, base64 */
	bool http_body_printable; /* alert http-body-printable: the same as lossy text */
	bool packet;             /* "packet" (base64 of the frame) */
	bool tagged_packets;     /* (added) alert tagged-packets: "packet" records of the
				  * packets the tag keyword tagged */
	bool ether;              /* "ether": {src_mac, dest_mac} */
	bool pcap_cnt;           /* "pcap_cnt" (reading a capture file) */
	bool flow;               /* "flow": {pkts/bytes each way, start, 5-tuple} */
	bool ipv6_compress;      /* eve-log.ipv6-compress: RFC 5952 IPv6 text */
	bool community_id;       /* eve-log.community-id: "community_id" (v1) of the flow */
	bool metadata;           /* (added) eve-log.metadata (default yes): "metadata" with
				  * the flow's and packet's variables (eve_vars.c) */
	uint16_t community_id_seed;
	const char *host;        /* sensor-name: "host" in every record; NULL: none (not copied) */
	/* "drop" records of dropped packets (eve-log types: - drop) */
	bool drop;
	bool drop_all;           /* flows: all (each dropped packet), else start (first per direction) */
	bool drop_alerts;        /* alerts: yes: the dropping rule as an "alert" object */
	/* alert xff: the client's address as an HTTP proxy reports it */
	struct eve_xff {
		bool enabled;
		bool overwrite;      /* replace the client-side address, else "alert.xff" */
		bool forward;        /* the first address in the list, else the last */
		char header[64];     /* header name, e.g. "X-Forwarded-For" */
	} xff;
	/* (added) http records (types: - http: {extended, custom,
	 * dump-all-headers}) */
	bool http_extended;
	uint32_t tls_fields;     /* tls records: EVE_TLS_* (extended, custom, session-resumption) */
	struct eve_xff http_xff; /* http xff: as the alert's, for the http records */
	uint8_t http_dump;       /* dump-all-headers: bit 0 request, bit 1 response */
	uint64_t http_fields;    /* custom: bit per eve_http_field() index */
	/* (added) anomaly records: the kinds written (types: {decode, stream,
	 * applayer}); 0: decode only (an output not configured) */
	uint8_t anomaly;
	/* (added) dns records (types: - dns: {requests, responses, formats}) */
	uint8_t dns_formats;     /* EVE_DNS_* bits; 0: Suricata's default, both */
	bool dns_no_requests, dns_no_responses;
};
#define EVE_ANOMALY_DECODE   0x1u
#define EVE_ANOMALY_STREAM   0x2u
#define EVE_ANOMALY_APPLAYER 0x4u
#define EVE_DNS_DETAILED 0x1u  /* "answers": a list of records */
#define EVE_DNS_GROUPED  0x2u  /* "grouped": rdata by record type */

/* (added) The index of a name Suricata's http "custom" list takes (its
 * field name or the header's, any case), -1 for an unknown one. */
int eve_http_field(const char *name);

/* The fields of tls records, as Suricata's LOG_TLS_FIELD_*: basic
 * (JsonTlsLogJSONBasic) by default, extended with extended: yes, or the
 * custom: list; session-resumption (yes by default) adds session_resumed
 * and has resumed sessions without a certificate logged. Written in
 * Suricata's order whatever the list's. */
enum {
	EVE_TLS_SUBJECT = 1u << 0,
	EVE_TLS_ISSUER = 1u << 1,
	EVE_TLS_SESSION_RESUMED = 1u << 2,
	EVE_TLS_SERIAL = 1u << 3,
	EVE_TLS_FINGERPRINT = 1u << 4,
	EVE_TLS_SNI = 1u << 5,
	EVE_TLS_VERSION = 1u << 6,
	EVE_TLS_NOTBEFORE = 1u << 7,
	EVE_TLS_NOTAFTER = 1u << 8,
	EVE_TLS_JA3 = 1u << 9,
	EVE_TLS_JA3S = 1u << 10,
};
#define EVE_TLS_BASIC (EVE_TLS_SUBJECT | EVE_TLS_ISSUER)
#define EVE_TLS_EXTENDED (EVE_TLS_BASIC | EVE_TLS_VERSION | EVE_TLS_SERIAL | EVE_TLS_FINGERPRINT | \
			  EVE_TLS_NOTBEFORE | EVE_TLS_NOTAFTER | EVE_TLS_JA3 | EVE_TLS_JA3S | \
			  EVE_TLS_SNI)
/* A custom: name (any case): its EVE_TLS_* bit; 0 for one Suricata
 * writes and idsd cannot (certificate, chain, client, client_certificate,
 * client_chain, ja4: it keeps no certificate bytes, no client
 * certificate, no JA4); -1 for a name Suricata does not know. */
int eve_tls_field(const char *name);

/* A writer belongs to one thread (its worker); with linked files it holds
 * a buffer per file. Records are buffered and
 * reach the file at the high-water mark, on eve_writer_flush() and on
 * destroy, so the owner should also flush on a timer (about once a
 * second) for alerts to show up promptly on a quiet link.
 * in_iface: the interface name for "in_iface", NULL to omit it as Suricata
 * does for capture files (not copied, must outlive w). socket: a NUMA
 * placement hint. NULL on allocation failure or ef == NULL. */
struct eve_writer *eve_writer_create(struct eve_file *ef, const struct eve_options *opt,
				     const char *in_iface, int socket);
/* Flushes, then frees (what cannot be written then is lost). */
void eve_writer_destroy(struct eve_writer *w);
/* The "in_iface" of the records w (and its chain) writes from now on, as
 * eve_writer_create's; w may be NULL. */
void eve_writer_set_iface(struct eve_writer *w, const char *in_iface);
/* Write buffered lines now. 0 or -errno (the lines are kept and retried). */
int eve_writer_flush(struct eve_writer *w);

/* One "alert" record for a of packet p. */
void eve_write_alert(struct eve_writer *w, const struct packet *p, const struct detect_alert *a);

/* (added) An alert whose match was on reassembled stream data: "payload"
 * is the stream window (Suricata prints a skipped hole before it as
 * "[N bytes missing]"; at most EVE_STREAM_PAYLOAD_MAX bytes), "stream": 1. */
#define EVE_STREAM_PAYLOAD_MAX 4096u  /* payload-buffer-size default */
struct eve_stream_payload {
	const uint8_t *data;
	uint32_t len;
	uint32_t gap_before;
};
void eve_write_alert_stream(struct eve_writer *w, const struct packet *p,
			    const struct detect_alert *a, const struct eve_stream_payload *sp);

/* (added) One "packet" record (Suricata's tagged packet log): the header,
 * "packet" (base64 of the frame) and "packet_info". */
void eve_write_packet(struct eve_writer *w, const struct packet *p);

/* (added) One "anomaly" record of packet p, which the decoder rejected
 * (p->err): type "decode", event "decoder.<name>". */
void eve_write_anomaly(struct eve_writer *w, const struct packet *p);
/* (added) One "anomaly" record per event raised on a packet the decoder
 * kept: its decoder events (type "decode", event "decoder.<name>"), then
 * its stream events (type "stream", event "stream.<name>"). */
void eve_write_anomaly_stream(struct eve_writer *w, const struct packet *p);
/* (added) One "anomaly" record per event of a transaction (events: its
 * app_tx_events() bits; app: its fields, tx_id and proto used): type
 * "applayer", layer "proto_parser". */
struct flow;
struct eve_app;
void eve_write_anomaly_tx(struct eve_writer *w, const struct flow *f, const struct eve_app *app,
			  uint64_t events);

/* One "stats" record: names[i] = values[i], names dotted ("decoder.pkts");
 * dots become nested objects as in Suricata's EVE stats. ts_us: the time. */
void eve_write_stats(struct eve_writer *w, uint64_t ts_us, uint64_t uptime_s,
		     const char *const *names, const uint64_t *values, unsigned n);

/* (added) The "flow" record of flow f leaving the table (f->end_reason)
 * and its "netflow" records (one per direction with packets), to the
 * outputs taking them; ap: the flow's app-layer protocols
 * (app_flow_protos; the netflow records name app_proto only, as
 * Suricata's). */
struct flow;
void eve_write_flow(struct eve_writer *w, const struct flow *f, const struct app_protos *ap);

/* (added) The record of one app-layer transaction let go ("http", "dns",
 * "tls", "ftp", "ftp_data", "smtp" or "ssh" by app->proto, with "tx_id" and the protocol object), to the
 * outputs taking that type; the header is flow f's, client to server. */
struct eve_app;
void eve_write_app_tx(struct eve_writer *w, const struct flow *f, const struct eve_app *app);

/* (added) The "fileinfo" record of a file of an app-layer transaction
 * (app: its fields, as for eve_write_app_tx), sent by side `from` (0: the
 * client, a request's body; 1: the server), to the outputs taking files. */
struct app_file_info;
void eve_write_fileinfo(struct eve_writer *w, const struct flow *f, const struct eve_app *app,
			unsigned from, const struct app_file_info *fi);

/* One "drop" record for packet p, dropped for reason; r is the rule that
 * dropped it (NULL for a flow already dropped). The caller applies
 * opt->drop_all (this function logs whatever it is given). */
void eve_write_drop(struct eve_writer *w, const struct packet *p, enum drop_reason reason,
		    const struct rule *r);

/* (added) App-layer fields of the next alert records (Suricata's
 * "app_proto", "tx_id" and the http/tls/dns objects), set by the owner
 * around an alert on a flow with app state; NULL: none. Not copied: app
 * must stay valid until cleared. */
struct eve_app {
	uint8_t proto;               /* enum app_proto; UNKNOWN: no "app_proto" */
	/* (added) the flow's others (alerts only): "app_proto_ts", "_tc",
	 * "_orig", "_expected"; zero: none */
	struct app_protos protos;
	bool has_tx, has_http, has_tls, has_dns;
	bool has_ftpdata;            /* (added) an FTP data connection's "ftp_data" */
	bool has_ftp;                /* (added) an FTP command's "ftp" (its record; alerts carry none) */
	bool has_smtp;               /* (added) a mail's "smtp" (and "email") */
	bool has_ssh;                /* (added) the SSH session's "ssh" */
	/* (added) an alert without a transaction on an HTTP flow: an empty
	 * "http" object, as Suricata 7's AlertAddAppLayer opens it before its
	 * transaction lookup fails */
	bool http_empty;
	uint64_t tx_id;
	/* the packet being processed when a transaction's record is written
	 * (its "pkt_src" and "pcap_cnt", as Suricata's CreateEveHeader takes
	 * them from the packet that ran the logger); NULL: none */
	const struct packet *pkt;
	struct app_http_info http;
	struct app_tls_info tls;
	struct app_dns_info dns;
	struct app_ftpdata_info ftpdata;
	struct app_ftp_info ftp;
	struct app_smtp_info smtp;
	struct app_ssh_info ssh;
};
void eve_writer_set_app(struct eve_writer *w, const struct eve_app *app);
/* (added) The variables of the packet whose alerts are written next (n 0:
 * none), for the records' "metadata" (eve-log metadata). */
void eve_writer_set_pktvars(struct eve_writer *w, const struct detect_pktvar *pv, uint32_t n);
/* (added) The rules whose flowbit and flowint names (struct ruleset's
 * flowbits, flowints) name the ids flows hold, in the records' "metadata";
 * NULL: none, the ids go unnamed (left out). rs must outlive its use: set
 * again whenever the worker's detection changes (pipeline_set_detect).
 * The writer keeps the alert text of the rules it wrote, by their address,
 * and forgets it here: call this before a rule alerted on is freed or
 * changed. */
struct ruleset;
void eve_writer_set_names(struct eve_writer *w, const struct ruleset *rs);

/* (added) Community ID v1 (github.com/corelight/community-id-spec) of a
 * 5-tuple: src/dst are 4 (ip_ver 4) or 16 bytes in network order; for
 * TCP, UDP and SCTP sp/dp are the ports, for ICMP and ICMPv6 the type and
 * the code (mapped to the spec's port equivalents), for other protocols
 * ignored. out gets "1:" and the base64 SHA-1, EVE_COMMUNITY_ID_LEN bytes
 * with the NUL. 0, or -EINVAL (ip_ver neither 4 nor 6, no hash). */
#define EVE_COMMUNITY_ID_LEN 31
int eve_community_id(uint8_t ip_ver, const uint8_t *src, const uint8_t *dst, uint16_t sp,
		     uint16_t dp, uint8_t proto, uint16_t seed, char *out);

struct eve_stats {
	uint64_t records;
	uint64_t write_errors;      /* write() failures; the data is retried */
	uint64_t dropped;           /* records lost because the buffer stayed full */
};
/* Owned by the writer's thread; others may read it as approximate. The
 * sum over the linked files' buffers. */
const struct eve_stats *eve_writer_stats(const struct eve_writer *w);

#endif
