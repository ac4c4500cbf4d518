#!/usr/bin/env python3
"""A consumer of Suricata's EVE reads idsd's: every EVE type on, real
captures, the file read with jq only.

usage: test_eve_consumer.py IDSD SRC_ROOT OUT_DIR

idsd runs once per capture (tests/data: demo.pcap with HTTP, DNS, ICMP, a
SYN scan and IPv6; eve-consumer/ with TLS and SNI, an HTTP 206 range with a
hole, an HTTP POST upload, an NXDOMAIN answer, a request in a SYN for
stream and app-layer anomalies; malformed/ for a decoder anomaly; demo.pcap again with --simulate-ips and a drop rule for drop
records) with every type Suricata 7 has for what idsd parses: alert (payload,
metadata, xff), anomaly (decode, stream, applayer), http (extended), dns,
tls (extended), files (force-hash, force-magic), drop, flow, netflow, stats,
community-id.

Then, through jq:
- REQUIRED: for each event_type, every field Suricata 7 writes for such a
  record, with the condition under which it writes it. The list is taken
  from Suricata 7's writers, not from idsd's output: output-json.c
  (CreateEveHeader: timestamp, flow_id, pcap_cnt on real packets,
  event_type, the tuple, icmp_type/code, pkt_src, community_id;
  CreateEveHeaderFromFlow for flow/netflow: no pkt_src; EveFileInfo),
  output-json-alert.c (AlertJsonHeader, the flow object, direction, tx_id
  and app_proto on app-layer alerts), output-json-flow.c and
  output-json-netflow.c, output-json-http.c (EveHttpLogJSONBasic/Extended),
  rust/src/dns/log.rs (version 2 query and answer), output-json-tls.c
  (JsonTlsLogJSONExtended with ja3), output-json-anomaly.c,
  output-json-drop.c, output-json-stats.c; and the field list of
  etc/schema.json. A record missing one fails the test.
- the jq recipes of Suricata's documentation (output/eve/eve-json-examplesjq
  and the eve-json-format examples), each checked against a value worked
  out here from the capture bytes themselves, not from idsd:
  select(.event_type=="alert") | .alert.signature_id, .http.hostname,
  .dns, .tls.sni, .fileinfo.filename, .flow.bytes_toserver,
  select(.dns.rcode=="NXDOMAIN"), the User-Agent histogram, the netflow
  bytes sum, .stats.decoder, the alert payload through base64 --decode,
  the [proto, dest_port] flow histogram.
"""
import base64
import json
import os
import shutil
import struct
import subprocess
import sys

from e2e_check import check

IDSD = SRC = OUT = None

CONFIG = """%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filetype: regular
      filename: eve.json
      community-id: true
      types:
        - alert:
            payload: yes
            payload-printable: yes
            metadata: yes
            xff:
              enabled: yes
              mode: extra-data
              deployment: reverse
              header: X-Forwarded-For
        - anomaly:
            enabled: yes
            types:
              decode: yes
              stream: yes
              applayer: yes
        - http:
            extended: yes
        - dns
        - tls:
            extended: yes
        - files:
            force-magic: yes
            force-hash: [md5, sha1, sha256]
        - drop:
            alerts: yes
            flows: all
        - flow
        - netflow
        - stats
app-layer:
  protocols:
    tls:
      ja3-fingerprints: yes
"""

# Suricata 7's fields per event_type: (path, condition). A condition is a
# jq expression on the record: the field is required where it holds.
TUPLE_PORTS = '(.proto == "TCP" or .proto == "UDP" or .proto == "SCTP")'
FROM_PCAP = '(.pkt_src == "wire/pcap")'   # real packets of the capture file


def header(ip="true"):
    """CreateEveHeader's fields; the tuple where ip holds (a packet whose IP
    header did not decode has none: JsonAddrInfoInit leaves it empty)."""
    return [
        ("timestamp", "true"), ("event_type", "true"),
        ("src_ip", ip), ("dest_ip", ip), ("proto", ip),
        ("src_port", f"({ip} and {TUPLE_PORTS})"), ("dest_port", f"({ip} and {TUPLE_PORTS})"),
        ("pkt_src", "true"), ("pcap_cnt", FROM_PCAP),
        ("icmp_type", '(.proto == "ICMP" or .proto == "IPv6-ICMP")'),
        ("icmp_code", '(.proto == "ICMP" or .proto == "IPv6-ICMP")'),
    ]


HEADER = header()
FLOW_HEADER = [
    ("timestamp", "true"), ("flow_id", "true"), ("event_type", "true"),
    ("src_ip", "true"), ("dest_ip", "true"), ("proto", "true"),
    ("src_port", TUPLE_PORTS), ("dest_port", TUPLE_PORTS), ("community_id", "true"),
]
# the one request of payload-syn.pcap has no Host header ($run: the capture)
HAS_HOST = '($run != "anomalies")'
WITH_FLOW = [("flow_id", "true"), ("community_id", "true")]
REQUIRED = {
    "alert": HEADER + WITH_FLOW + [
        ("alert.action", "true"), ("alert.gid", "true"), ("alert.signature_id", "true"),
        ("alert.rev", "true"), ("alert.signature", "true"), ("alert.category", "true"),
        ("alert.severity", "true"), ("direction", "true"),
        ("flow.pkts_toserver", "true"), ("flow.pkts_toclient", "true"),
        ("flow.bytes_toserver", "true"), ("flow.bytes_toclient", "true"),
        ("flow.start", "true"), ("flow.src_ip", "true"), ("flow.dest_ip", "true"),
        ("payload", "true"), ("payload_printable", "true"), ("stream", "true"),
        ("app_proto", '(.http != null or .tls != null or .dns != null)'),
        ("tx_id", '(.http != null)'),
    ],
    "http": HEADER + WITH_FLOW + [
        ("tx_id", "true"), ("http.hostname", HAS_HOST), ("http.url", "true"),
        ("http.http_method", "true"), ("http.protocol", "true"), ("http.length", "true"),
        ("http.status", '(.http.redirect != null or .http.http_content_type != null)'),
    ],
    "dns": HEADER + WITH_FLOW + [
        ("dns.type", "true"), ("dns.id", "true"), ("dns.opcode", "true"),
        ("dns.rrname", "true"), ("dns.rrtype", "true"),
        ("dns.tx_id", '(.dns.type == "query")'),
        ("dns.version", '(.dns.type == "answer")'), ("dns.flags", '(.dns.type == "answer")'),
        ("dns.qr", '(.dns.type == "answer")'), ("dns.rcode", '(.dns.type == "answer")'),
        ("dns.answers", '(.dns.type == "answer" and .dns.rcode == "NOERROR")'),
        ("dns.grouped", '(.dns.type == "answer" and .dns.rcode == "NOERROR")'),
    ],
    "tls": HEADER + WITH_FLOW + [
        ("tls.subject", "true"), ("tls.issuerdn", "true"), ("tls.serial", "true"),
        ("tls.fingerprint", "true"), ("tls.version", "true"),
        ("tls.notbefore", "true"), ("tls.notafter", "true"),
        ("tls.ja3.hash", "true"), ("tls.ja3.string", "true"),
        ("tls.ja3s.hash", "true"), ("tls.ja3s.string", "true"),
    ],
    "fileinfo": HEADER + WITH_FLOW + [
        ("app_proto", "true"), ("http.hostname", HAS_HOST), ("http.url", "true"),
        ("fileinfo.filename", "true"), ("fileinfo.magic", "true"), ("fileinfo.gaps", "true"),
        ("fileinfo.state", "true"), ("fileinfo.stored", "true"), ("fileinfo.size", "true"),
        ("fileinfo.tx_id", "true"),
        # a file the output ends TRUNCATED (OutputFileLogFfc at EOF: a
        # gap stopped its parser) has no digest finalized
        ("fileinfo.sha256", '(.fileinfo.state == "CLOSED")'),
        ("fileinfo.md5", '(.fileinfo.state == "CLOSED")'),
        ("fileinfo.sha1", '(.fileinfo.state == "CLOSED")'),
        # FileSetRange: a response that is a valid part of a known size
        ("fileinfo.start", '(.http.content_range.size != null and '
                           '.http.content_range.start != null and .src_port == 80)'),
        ("fileinfo.end", '(.http.content_range.size != null and '
                         '.http.content_range.start != null and .src_port == 80)'),
    ],
    "anomaly": header('(.anomaly.type != "decode")') + [
        ("anomaly.type", "true"), ("anomaly.event", "true"),
        ("flow_id", '(.anomaly.type != "decode")'),
        ("anomaly.app_proto", '(.anomaly.type == "applayer")'),
        ("anomaly.layer", '(.anomaly.type == "applayer")'),
        ("tx_id", '(.anomaly.type == "applayer")'),
    ],
    "drop": HEADER + WITH_FLOW + [
        ("drop.len", "true"), ("drop.tos", "true"), ("drop.ttl", "true"),
        ("drop.ipid", "true"),
        ("drop.icmp_id", '(.proto == "ICMP" and (.icmp_type == 8 or .icmp_type == 0))'),
        ("drop.icmp_seq", '(.proto == "ICMP" and (.icmp_type == 8 or .icmp_type == 0))'),
        ("alert.signature_id", "true"), ("alert.action", "true"),
    ],
    "flow": FLOW_HEADER + [
        ("flow.pkts_toserver", "true"), ("flow.pkts_toclient", "true"),
        ("flow.bytes_toserver", "true"), ("flow.bytes_toclient", "true"),
        ("flow.start", "true"), ("flow.end", "true"), ("flow.age", "true"),
        ("flow.state", "true"), ("flow.reason", "true"), ("flow.alerted", "true"),
        ("tcp.tcp_flags", '(.proto == "TCP")'), ("tcp.tcp_flags_ts", '(.proto == "TCP")'),
        ("tcp.tcp_flags_tc", '(.proto == "TCP")'), ("tcp.state", '(.proto == "TCP")'),
    ],
    "netflow": FLOW_HEADER + [
        ("netflow.pkts", "true"), ("netflow.bytes", "true"), ("netflow.start", "true"),
        ("netflow.end", "true"), ("netflow.age", "true"),
        ("tcp.tcp_flags", '(.proto == "TCP")'),
    ],
    "stats": [
        ("timestamp", "true"), ("event_type", "true"), ("stats.uptime", "true"),
        ("stats.decoder.pkts", "true"), ("stats.decoder.bytes", "true"),
        ("stats.decoder.ipv4", "true"), ("stats.decoder.ipv6", "true"),
        ("stats.decoder.tcp", "true"), ("stats.decoder.udp", "true"),
        ("stats.flow.tcp", "true"), ("stats.flow.udp", "true"),
        ("stats.detect.alert", "true"), ("stats.app_layer.flow.http", "true"),
    ],
}


def jq(program, path, *opts):
    p = subprocess.run(["jq"] + list(opts) + [program, path], capture_output=True,
                       text=True, timeout=60)
    if p.returncode != 0:
        check(False, f"jq {program!r} on {path}: rc {p.returncode} {p.stderr[:300]}")
    return p.stdout


def jq_lines(program, path, *opts):
    return [json.loads(x) for x in jq(program, path, "-c", *opts).splitlines() if x]


def missing_program(etype):
    """A jq program printing, per record of etype, the required paths it lacks."""
    tests = []
    for path, cond in REQUIRED[etype]:
        p = json.dumps(path.split("."))
        tests.append(f'(if {cond} then (if getpath({p}) == null then "{path}" else empty end)'
                     f' else empty end)')
    return (f'select(.event_type == "{etype}") | {{pcap_cnt, flow_id, '
            f'missing: [{", ".join(tests)}]}} | select(.missing != [])')


# --- the capture bytes, read here (pcap and pcapng, Ethernet) ---------------

def frames(path):
    """(timestamp, frame) of every packet of a pcap or pcapng file."""
    with open(path, "rb") as f:
        d = f.read()
    out = []
    if d[:4] == b"\x0a\x0d\x0d\x0a":          # pcapng: little-endian files only here
        off = 0
        while off + 12 <= len(d):
            btype, blen = struct.unpack_from("<II", d, off)
            if btype == 6:                      # enhanced packet block
                _, hi, lo, cap, _ = struct.unpack_from("<IIIII", d, off + 8)
                out.append(((hi << 32) | lo, d[off + 28:off + 28 + cap]))
            off += blen
        return out
    endian = "<" if d[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    off = 24
    while off + 16 <= len(d):
        sec, usec, cap, _ = struct.unpack_from(endian + "IIII", d, off)
        out.append((sec * 1000000 + usec, d[off + 16:off + 16 + cap]))
        off += 16 + cap
    return out


def ip_of(frame):
    """(version, src, dst, proto, l4 offset) of an Ethernet frame, or None."""
    et, off = struct.unpack_from("!H", frame, 12)[0], 14
    while et == 0x8100:
        et, off = struct.unpack_from("!H", frame, off + 2)[0], off + 4
    if et == 0x0800:
        ihl = (frame[off] & 15) * 4
        return (4, frame[off + 12:off + 16], frame[off + 16:off + 20], frame[off + 9],
                off + ihl)
    if et == 0x86dd:
        return (6, frame[off + 8:off + 24], frame[off + 24:off + 40], frame[off + 6],
                off + 40)
    return None


def text_ip(v, b):
    import ipaddress
    a = ipaddress.ip_address(b)
    return str(a) if v == 4 else ":".join(a.exploded.split(":"))


def tcp_payloads(path):
    for _, fr in frames(path):
        ip = ip_of(fr)
        if ip is None or ip[3] != 6:
            continue
        off = ip[4] + (fr[ip[4] + 12] >> 4) * 4
        yield ip, fr[off:]


def request_headers(path, name):
    """Values of a request header in every HTTP request of the capture."""
    vals = []
    for _, pl in tcp_payloads(path):
        if not pl[:8].split(b" ")[0] in (b"GET", b"POST", b"HEAD", b"PUT"):
            continue
        for line in pl.split(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == name.lower():
                vals.append(v.strip().decode("latin-1"))
    return vals


def tls_sni(path):
    """The server_name of each ClientHello (RFC 6066 3), parsed here."""
    names = []
    for _, pl in tcp_payloads(path):
        if len(pl) < 44 or pl[0] != 0x16 or pl[5] != 1:
            continue
        o = 9 + 2 + 32
        o += 1 + pl[o]                                         # session id
        o += 2 + struct.unpack_from("!H", pl, o)[0]            # cipher suites
        o += 1 + pl[o]                                         # compression
        end = o + 2 + struct.unpack_from("!H", pl, o)[0]
        o += 2
        while o + 4 <= end:
            t, n = struct.unpack_from("!HH", pl, o)
            if t == 0:
                ln = struct.unpack_from("!H", pl, o + 7)[0]
                names.append(pl[o + 9:o + 9 + ln].decode())
            o += 4 + n
    return names


def dns_qname(path):
    for _, fr in frames(path):
        ip = ip_of(fr)
        if ip is None or ip[3] != 17:
            continue
        dns, o, labels = fr[ip[4] + 8:], 12, []
        if struct.unpack_from("!H", dns, 2)[0] & 0x8000:
            continue
        while dns[o]:
            labels.append(dns[o + 1:o + 1 + dns[o]].decode())
            o += 1 + dns[o]
        return ".".join(labels)
    return None


# --- the runs ----------------------------------------------------------------

def run(name, pcap, rules, extra=()):
    out = os.path.join(OUT, name)
    os.makedirs(out)
    cfg = os.path.join(out, "idsd.yaml")
    with open(cfg, "w") as f:
        f.write(CONFIG)
    p = subprocess.run([IDSD, "-c", cfg, "-r", pcap, "-S", rules, "-l", out] + list(extra),
                       capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, f"{name}: idsd runs: rc {p.returncode} {p.stderr[-400:]}")
    check("has no effect" not in p.stderr,
          f"{name}: every key of the config does something: "
          f"{[x for x in p.stderr.splitlines() if 'no effect' in x]}")
    return os.path.join(out, "eve.json")


def main():
    global IDSD, SRC, OUT
    IDSD, SRC, OUT = sys.argv[1:4]
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    data = os.path.join(SRC, "tests/data")
    demo_rules = os.path.join(SRC, "rules/examples/demo.rules")
    drop_rules = os.path.join(OUT, "drop.rules")
    with open(drop_rules, "w") as f:
        f.write('drop icmp any any -> any any (msg:"consumer: drop pings"; itype:8; '
                'metadata: created_at 2024_01_01, tag ping; sid:1900001; rev:2;)\n')
    caps = {
        "demo": os.path.join(data, "demo.pcap"),
        "tls": os.path.join(data, "eve-consumer/chrome-34-google.pcap"),
        "range": os.path.join(data, "eve-consumer/content-range-gap.pcap"),
        "post": os.path.join(data, "eve-consumer/http_post.pcapng"),
        "nxdomain": os.path.join(data, "eve-consumer/dns_query_nonexistent.pcapng"),
        "decode": os.path.join(data, "malformed/tcp_header_heapoverflow.pcap"),
        "anomalies": os.path.join(data, "eve-consumer/payload-syn.pcap"),
    }
    eve = {n: run(n, c, demo_rules) for n, c in caps.items()}
    eve["drop"] = run("drop", caps["demo"], drop_rules, ["--simulate-ips"])

    # every line is one JSON object (the first recipe: jq -c '.')
    for n, path in eve.items():
        with open(path) as f:
            nlines = sum(1 for _ in f)
        check(len(jq(".", path, "-c").splitlines()) == nlines and nlines > 0,
              f"{n}: jq -c '.' reads all {nlines} lines")

    # every type is there, and each record has what Suricata 7 writes
    seen = set()
    for path in eve.values():
        seen |= set(jq(".event_type", path, "-r").split())
    check(seen >= set(REQUIRED), f"every type written: {sorted(seen)}, "
          f"missing {sorted(set(REQUIRED) - seen)}")
    for etype in REQUIRED:
        total, bad = 0, []
        for n, path in eve.items():
            total += len(jq_lines(f'select(.event_type == "{etype}") | .event_type', path))
            bad += [(n, r) for r in jq_lines(missing_program(etype), path, "--arg", "run", n)]
        check(total > 0 and not bad,
              f"{etype}: {total} records, each with Suricata 7's fields; lacking: {bad[:5]}")

    # app_proto on the flow and netflow records of flows whose protocol a
    # transaction record names (jq -s: a join over the file)
    for n in ("demo", "tls", "range", "post", "nxdomain"):
        lost = jq_lines('[.[] | select(.event_type == "http" or .event_type == "tls" or '
                        '.event_type == "dns") | {key: (.flow_id | tostring), value: '
                        '.event_type}] | from_entries as $p | .[] | select((.event_type == '
                        '"flow" or .event_type == "netflow") and $p[.flow_id | tostring] != '
                        'null and .app_proto != $p[.flow_id | tostring]) | .flow_id',
                        eve[n], "-s")
        check(not lost, f"{n}: flow/netflow app_proto matches the flow's transactions: {lost}")

    # recipes with values worked out from the capture bytes
    sids = jq_lines('select(.event_type=="alert") | .alert.signature_id', eve["demo"])
    check(1000001 in sids and 1000004 in sids and 1000008 in sids,
          f"select(.event_type==\"alert\") | .alert.signature_id: {sorted(set(sids))}")
    hosts = set(jq_lines('select(.event_type=="http") | .http.hostname', eve["demo"]))
    # the Host header without its port (an IPv6 literal keeps its brackets)
    want = {h[:h.index("]") + 1] if h.startswith("[") else h.split(":")[0]
            for h in request_headers(caps["demo"], b"Host")}
    check(hosts == want, f".http.hostname: {hosts}, the requests' Host headers: {want}")
    ua = json.loads(jq('[.[]|select(.event_type=="http")|.http.http_user_agent]|group_by(.)|'
                       'map({key:.[0],value:(.|length)})|from_entries', eve["demo"], "-s"))
    want = {}
    for v in request_headers(caps["demo"], b"User-Agent"):
        want[v] = want.get(v, 0) + 1
    check(ua == want, f"User-Agent histogram (group_by/from_entries): {ua} vs {want}")
    qname = dns_qname(caps["demo"])
    dns = jq_lines('select(.event_type=="dns") | .dns', eve["demo"])
    check(any(d.get("rrname") == qname and d["type"] == "query" for d in dns) and
          any(d.get("rrname") == qname and d["type"] == "answer" for d in dns),
          f".dns: the query and the answer for {qname}: {dns}")
    nx = jq_lines('select(.dns.rcode=="NXDOMAIN")', eve["nxdomain"])
    qname = dns_qname(caps["nxdomain"])
    check(len(nx) == 1 and nx[0]["dns"]["rrname"] == qname,
          f"select(.dns.rcode==\"NXDOMAIN\"): the answer for {qname}: {nx}")
    sni = jq_lines('select(.event_type=="tls") | .tls.sni', eve["tls"])
    check(sni == tls_sni(caps["tls"]) and sni, f".tls.sni: {sni} (ClientHello: "
          f"{tls_sni(caps['tls'])})")
    names = set(jq_lines('select(.event_type=="fileinfo") | .fileinfo.filename', eve["range"]))
    check(names == {"/images/misc/static/2012/11/ifdata-welcome-0.png"},
          f".fileinfo.filename: the URI's path: {names}")
    rng = jq_lines('select(.event_type=="fileinfo") | [.fileinfo.start, .fileinfo.end, '
                   '.http.content_range.start, .http.content_range.end]', eve["range"])
    check(rng and all(r[0] == r[2] and r[1] == r[3] for r in rng),
          f".fileinfo.start/end are the Content-Range part's: {rng}")
    # bytes per flow and per direction against the frames of the capture
    # (Suricata counts whole frames), and the netflow sum recipe
    for n in ("tls", "range", "post"):
        fl = jq_lines('select(.event_type=="flow") | [.src_ip, .dest_ip, '
                      '.flow.bytes_toserver, .flow.bytes_toclient]', eve[n])
        for cli, srv, ts, tc in fl:
            up = down = 0
            for _, fr in frames(caps[n]):
                ip = ip_of(fr)
                if ip is None:
                    continue
                s, d = text_ip(ip[0], ip[1]), text_ip(ip[0], ip[2])
                up += len(fr) if (s, d) == (cli, srv) else 0
                down += len(fr) if (s, d) == (srv, cli) else 0
            check((ts, tc) == (up, down),
                  f"{n}: .flow.bytes_toserver/toclient {ts}/{tc}, frames {up}/{down}")
            nf = jq(f'map(select(.event_type=="netflow" and .dest_ip=="{srv}").netflow.bytes)'
                    f'|add', eve[n], "-s").strip()
            check(nf == str(up), f"{n}: netflow bytes to {srv} (add): {nf}, frames {up}")
    npk = len(frames(caps["demo"]))
    dec = jq_lines('select(.event_type=="stats")|.stats.decoder', eve["demo"])
    check(dec and dec[-1]["pkts"] == npk and
          dec[-1]["bytes"] == sum(len(f) for _, f in frames(caps["demo"])),
          f".stats.decoder: pkts {dec[-1]['pkts'] if dec else None}, capture {npk}")
    # the alert payload recipe: jq -r | base64 --decode
    pay = jq('select(.event_type=="alert")|.payload', eve["demo"], "-r", "-c")
    raw = b"".join(base64.b64decode(x) for x in pay.split())
    check(b"union+select" in raw.lower() and b"etc/passwd" in raw,
          "select(.event_type==\"alert\")|.payload | base64 --decode: the matched requests")
    hist = jq_lines('select(.event_type=="flow")|[.proto, .dest_port]', eve["demo"])
    nflows = len(jq_lines('select(.event_type=="flow")|.flow_id', eve["demo"]))
    check(len(hist) == nflows and all(isinstance(p, str) and isinstance(d, int)
                                      for p, d in hist if p in ("TCP", "UDP")),
          f"[.proto, .dest_port] of every flow: {len(hist)} of {nflows}")
    kinds = set()
    for path in eve.values():
        kinds |= set(jq_lines('select(.event_type=="anomaly") | .anomaly.type', path))
    check(kinds == {"decode", "stream", "applayer"}, f"anomaly records of each type: {kinds}")
    drops = jq_lines('select(.event_type=="drop")', eve["drop"])
    pings = sum(1 for _, fr in frames(caps["demo"])
                if (ip_of(fr) or (0,))[0] == 4 and ip_of(fr)[3] == 1 and
                fr[ip_of(fr)[4]] == 8)
    check(len(drops) == pings and all(d["alert"]["signature_id"] == 1900001 for d in drops),
          f"drop records for the {pings} echo requests: {len(drops)}")
    meta = jq_lines('select(.event_type=="alert") | .alert.metadata', eve["drop"])
    check(meta and all(m == {"created_at": ["2024_01_01"], "tag": ["ping"]} for m in meta),
          f".alert.metadata grouped as Suricata's: {meta[:1]}")


if __name__ == "__main__":
    main()
