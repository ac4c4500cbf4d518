#!/usr/bin/env python3
"""End-to-end tests of idsd's EVE outputs on the bundled demo capture.

usage: test_outputs.py IDSD SRC_ROOT TEST OUT_DIR

types:    outputs.eve-log.types is honoured (only listed types are written),
          several eve-log outputs at once, each with its own options, an
          absolute filename used as it is and a relative one in the log
          directory, a disabled output writes nothing, a type idsd does not
          write is warned about with file:line.
flows:    "flow" and "netflow" records at flow end and at exit (Suricata 7's
          fields: counters both ways, start/end/age, state, reason, alerted,
          app_proto, TCP flags), "community_id" recomputed here from the spec
          (an implementation independent of idsd's), "host" from sensor-name,
          and alert.metadata from the rules' metadata keyword.
apptx:    "http" (one per transaction), "dns" (version 2: queries and
          answers) and "tls" records, each with its flow's header; the
          same transactions as the alerts' app-layer fields.
sinks:    filetype redis (list and stream, a real redis-server on loopback read
          back with redis-cli) and unix_dgram next to a regular eve.json:
          the same records reach every output; per-sink counters in stats.
thresholds: threshold-file (threshold.config): suppress (whole rule; by_src
          and by_either with an address, a list, a variable), a gid:sid
          threshold replacing the rule's own, a global one (sig_id 0) for
          the rules without one, bad lines reported with file:line.
rate_filter: threshold.config rate_filter on a crafted capture, with
          --simulate-ips: the matches past count in seconds are blocked
          (EVE alert action, drop records, ips.blocked) until timeout, per
          source (by_src); without it, all allowed; a gid:sid threshold
          before it keeps the rule (Suricata's precedence).
fastlog:  outputs.fast (fast.log, one line per alert in Suricata's format)
          and outputs.stats (stats.log with totals and deltas).
anomaly:  "anomaly" records (type decode, event decoder.<name>) for the
          packets the decoder rejects, with anomaly types.decode on (off by
          default, as in Suricata), one per counted decoder event (stream and
          app-layer anomalies: test_eve_records.py).
"""
import base64
import hashlib
import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

IDSD = SRC = OUT = None
FAILS = []


def check(cond, what):
    print(("  ok: " if cond else "  not ok: ") + what, flush=True)
    if not cond:
        FAILS.append(what)
    return cond


def read_eve(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_idsd(config, extra=(), pcap=None, rules=None):
    """Run idsd on a capture with config (text) in OUT; (returncode, stderr)."""
    cfg = os.path.join(OUT, "idsd.yaml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(config)
    pcap = pcap or os.path.join(SRC, "tests/data/demo.pcap")
    rules = rules or os.path.join(SRC, "rules/examples/demo.rules")
    p = subprocess.run([IDSD, "-c", cfg, "-r", pcap, "-S", rules, "-l", OUT] + list(extra),
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stderr


def kinds(recs):
    return {r.get("event_type") for r in recs}


def test_types():
    absdir = os.path.join(OUT, "elsewhere")
    os.makedirs(absdir)
    absfile = os.path.join(absdir, "stats-abs.json")
    config = f"""%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filename: alerts.json
      types:
        - alert:
            payload: yes
            metadata: no
  - eve-log:
      enabled: yes
      filename: {absfile}
      types:
        - stats
  - eve-log:
      enabled: no
      filename: disabled.json
      types:
        - alert
  - eve-log:
      filename: both.json
      filemode: 640
      types:
        - alert
        - stats
        - smb
        - http
        - tls:
            custom: [subject]
"""
    rc, err = run_idsd(config)
    check(rc == 0, f"idsd runs with four eve-log outputs: rc {rc} {err[-300:]}")
    alerts = read_eve(os.path.join(OUT, "alerts.json"))
    check(len(alerts) > 0 and kinds(alerts) == {"alert"},
          f"alerts.json (relative, in the log dir) holds only alerts: {kinds(alerts)}")
    check(all("payload" in a and "flow" not in a for a in alerts),
          "its own options: payload on, metadata (flow object) off")
    stats = read_eve(absfile)
    check(len(stats) > 0 and kinds(stats) == {"stats"},
          f"an absolute filename is used as it is, with only stats: {kinds(stats)}")
    check(not os.path.exists(os.path.join(OUT, absfile.lstrip("/"))),
          "the absolute filename is not joined to the log directory")
    check(not os.path.exists(os.path.join(OUT, "disabled.json")),
          "a disabled eve-log writes nothing")
    both = read_eve(os.path.join(OUT, "both.json"))
    check(kinds(both) == {"alert", "stats", "http"} and
          len([r for r in both if r["event_type"] == "alert"]) == len(alerts),
          f"both.json: the same alerts, stats, http: {kinds(both)}")
    check(all("payload" not in a and "flow" in a for a in both
              if a["event_type"] == "alert"),
          "both.json keeps the default options (no payload, the flow object)")
    check(not os.path.exists(os.path.join(OUT, "eve.json")),
          "no eve.json besides the configured outputs")
    check("idsd.yaml:" in err and "'smb' accepted, has no effect" in err,
          f"a type idsd does not write is warned about with file:line: {err[-400:]}")
    check("idsd.yaml:23:7: " in err and "key 'outputs.3.eve-log.filemode': warning: accepted, "
          "has no effect" in err,
          f"keys that do nothing are warned about with file:line: {err[-600:]}")
    # tls custom is implemented (a field list, as Suricata's): no warning
    check("idsd.yaml:30:13: " not in err and "tls.custom" not in err,
          f"tls custom, which does something, is not warned about: {err[-600:]}")


ICMP_EQUIV = {1: {8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17},
              58: {128: 129, 129: 128, 133: 134, 134: 133, 135: 136, 136: 135, 130: 131,
                   131: 130, 139: 140, 140: 139, 144: 145, 145: 144}}


def community_id(src, dst, proto, sp=None, dp=None, seed=0):
    """Community ID v1 as the spec's reference implementation computes it."""
    a, b = ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed
    one_way = False
    if proto in ICMP_EQUIV:
        if sp in ICMP_EQUIV[proto]:
            dp = ICMP_EQUIV[proto][sp]
        else:
            one_way = True
    if not one_way and (a > b or (a == b and sp is not None and sp > dp)):
        a, b, sp, dp = b, a, dp, sp
    data = seed.to_bytes(2, "big") + a + b + bytes([proto, 0])
    if sp is not None:
        data += sp.to_bytes(2, "big") + dp.to_bytes(2, "big")
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode()


PROTO_NUM = {"TCP": 6, "UDP": 17, "ICMP": 1, "IPv6-ICMP": 58}


def expected_cid(r, seed=0):
    proto = PROTO_NUM[r["proto"]]
    if proto in (1, 58):
        return community_id(r["src_ip"], r["dest_ip"], proto, r["icmp_type"], r["icmp_code"],
                            seed)
    return community_id(r["src_ip"], r["dest_ip"], proto, r["src_port"], r["dest_port"], seed)


def test_flows():
    rules = os.path.join(OUT, "meta.rules")
    with open(os.path.join(SRC, "rules/examples/demo.rules"), encoding="utf-8") as f:
        demo = f.read()
    with open(rules, "w", encoding="utf-8") as f:
        f.write(demo.replace("sid:1000004; rev:1;)",
                             "sid:1000004; rev:1; metadata: created_at 2024_01_01, "
                             "tag dns, tag policy, former_category INFO;)"))
    config = """%YAML 1.1
---
sensor-name: probe-7
outputs:
  - eve-log:
      filename: eve.json
      community-id: yes
      community-id-seed: 1
      types:
        - alert
        - flow
        - netflow
        - stats
"""
    rc, err = run_idsd(config, rules=rules)
    check(rc == 0, f"idsd runs: rc {rc} {err[-300:]}")
    recs = read_eve(os.path.join(OUT, "eve.json"))
    flows = [r for r in recs if r["event_type"] == "flow"]
    nflows = [r for r in recs if r["event_type"] == "netflow"]
    alerts = [r for r in recs if r["event_type"] == "alert"]
    stats = [r for r in recs if r["event_type"] == "stats"][-1]["stats"]
    check(len(flows) == stats["flow"]["total"] and len(flows) > 1000,
          f"one flow record per flow: {len(flows)} == flow.total {stats['flow']['total']}")
    check(len({r["flow_id"] for r in flows}) == len(flows), "flow ids are unique")
    reasons = {}
    for r in flows:
        reasons[r["flow"]["reason"]] = reasons.get(r["flow"]["reason"], 0) + 1
    check(reasons.get("timeout") == stats["flow"]["timeout"] and
          reasons.get("timeout", 0) + reasons.get("shutdown", 0) == len(flows),
          f"reason: timeout as flow.timeout, the rest at exit (shutdown): {reasons}")
    alerted = {a["flow_id"] for a in alerts}
    check(all(r["flow"]["alerted"] == (r["flow_id"] in alerted) for r in flows),
          "flow.alerted is true exactly for the flows with alerts")
    need = ["pkts_toserver", "pkts_toclient", "bytes_toserver", "bytes_toclient", "start",
            "end", "age", "state", "reason", "alerted"]
    check(all(all(k in r["flow"] for k in need) for r in flows),
          "every flow record has Suricata 7's flow fields")
    byid = {r["flow_id"]: r for r in flows}
    dns = [r for r in flows if r.get("app_proto") == "dns"]
    check(len(dns) == 1 and dns[0]["flow"]["state"] == "established" and
          dns[0]["flow"]["pkts_toserver"] == 1 and dns[0]["flow"]["pkts_toclient"] == 1,
          f"the DNS flow: app_proto dns, established, one packet each way: {dns}")
    http = [r for r in flows if r.get("app_proto") == "http"]
    check(len(http) >= 1 and all(r["tcp"]["tcp_flags_ts"] != "00" and r["tcp"].get("syn")
                                 and r["tcp"].get("ack") for r in http),
          f"HTTP flows: app_proto http, TCP flags per direction: {http[:1]}")
    scan = [r for r in flows if r["proto"] == "TCP" and r["flow"]["pkts_toclient"] == 0]
    check(len(scan) > 100 and all(r["flow"]["state"] == "new" and
                                  r["tcp"]["tcp_flags_tc"] == "00" for r in scan),
          f"SYN scan flows: state new, nothing to the client: {len(scan)}")
    icmp = [r for r in flows if r["proto"] == "ICMP"]
    check(len(icmp) == 1 and icmp[0]["icmp_type"] == 8 and "src_port" not in icmp[0],
          f"the ping flow: icmp_type 8, no ports: {icmp}")
    bad = [r for r in flows + alerts if r.get("community_id") != expected_cid(r, seed=1)]
    check(not bad and all("community_id" in r for r in flows + alerts),
          f"community_id (seed 1) as the spec computes it, flows and alerts: {bad[:2]}")
    check(all(r.get("host") == "probe-7" for r in recs),
          "host: the sensor-name in every record")
    per_flow = {}
    for r in nflows:
        per_flow.setdefault(r["flow_id"], []).append(r)
    ok = all(sum(n["netflow"]["pkts"] for n in per_flow.get(i, [])) ==
             f["flow"]["pkts_toserver"] + f["flow"]["pkts_toclient"] and
             len(per_flow.get(i, [])) == (f["flow"]["pkts_toserver"] > 0) +
             (f["flow"]["pkts_toclient"] > 0) for i, f in byid.items())
    check(ok and len(per_flow) == len(flows),
          "netflow: one record per direction with packets, packets add up")
    rev = [n for n in nflows if n["src_ip"] != byid[n["flow_id"]]["src_ip"]]
    check(rev and all(n["community_id"] == byid[n["flow_id"]]["community_id"] for n in rev),
          "the reply direction's netflow record is turned around, same community_id")
    dnsalert = [a for a in alerts if a["alert"]["signature_id"] == 1000004]
    check(len(dnsalert) == 1 and dnsalert[0]["alert"].get("metadata") ==
          {"created_at": ["2024_01_01"], "tag": ["dns", "policy"], "former_category": ["INFO"]},
          f"alert.metadata groups the rule's metadata by key: {dnsalert[:1]}")
    check(all("metadata" not in a["alert"] for a in alerts
              if a["alert"]["signature_id"] != 1000004),
          "rules without metadata have no alert.metadata")


def test_apptx():
    config = """%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types: [alert, {http: {extended: yes}}, dns, {tls: {extended: yes}}, flow]
"""
    rc, err = run_idsd(config)
    check(rc == 0, f"idsd runs: rc {rc} {err[-300:]}")
    recs = read_eve(os.path.join(OUT, "eve.json"))
    http = [r for r in recs if r["event_type"] == "http"]
    flows = {r["flow_id"]: r for r in recs if r["event_type"] == "flow"}
    hflows = {i for i, f in flows.items() if f.get("app_proto") == "http"}
    check(len(http) >= len(hflows) and {r["flow_id"] for r in http} == hflows,
          f"http records for every HTTP flow: {len(http)} records, {len(hflows)} flows")
    keys = [(r["flow_id"], r["tx_id"]) for r in http]
    check(len(keys) == len(set(keys)), "one http record per transaction")
    need = ["hostname", "url", "http_user_agent", "http_method", "protocol", "status", "length"]
    check(all(all(k in r["http"] for k in need) for r in http),
          "http records carry Suricata's basic fields")
    ok = True
    for a in recs:
        if a["event_type"] == "alert" and "http" in a and "tx_id" in a:
            m = [r for r in http if r["flow_id"] == a["flow_id"] and r["tx_id"] == a["tx_id"]]
            ok = ok and len(m) == 1 and m[0]["http"]["url"] == a["http"]["url"]
    check(ok, "each HTTP alert's transaction has its http record, same url")
    check(all(r["src_ip"] == flows[r["flow_id"]]["src_ip"] for r in http),
          "http records are seen from the client, as the flow")
    dns = [r for r in recs if r["event_type"] == "dns"]
    q = [r for r in dns if r["dns"]["type"] == "query"]
    a = [r for r in dns if r["dns"]["type"] == "answer"]
    check(len(q) == 1 and len(a) == 1 and q[0]["dns"]["rrname"] == "wireshark.org" and
          q[0]["dns"]["rrtype"] == "A" and a[0]["dns"].get("version") == 2 and
          a[0]["dns"]["id"] == q[0]["dns"]["id"] and a[0]["dns"]["rcode"] == "NOERROR",
          f"dns: the query and its version 2 answer: {dns}")
    d = os.path.join(SRC, "tests/conformance/suricata-verify-applayer/tls/tls-cert-issuer")
    os.remove(os.path.join(OUT, "eve.json"))
    rc, err = run_idsd(config, pcap=os.path.join(d, "tls.pcap"),
                       rules=os.path.join(d, "tls.rules"))
    recs = read_eve(os.path.join(OUT, "eve.json"))
    tls = [r for r in recs if r["event_type"] == "tls"]
    tflows = [r for r in recs if r["event_type"] == "flow" and r.get("app_proto") == "tls"]
    certs = [r for r in tls if "fingerprint" in r["tls"]]
    check(rc == 0 and len(tls) == len(tflows) == 5 and
          all(r["tls"].get("version") == "TLS 1.2" for r in tls) and len(certs) == 4 and
          all(r["tls"].get("subject", "").endswith("CN=SELKS") for r in certs),
          f"tls: one record per TLS session (version), subject and fingerprint where the "
          f"server sent its certificate: {tls[:1]}")


def redis_cli(port, *args):
    p = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port)] + list(args),
                       capture_output=True, text=True, timeout=30)
    return p.stdout


def test_sinks():
    port = 21000 + os.getpid() % 20000
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no", "--dir", OUT],
                             stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if redis_cli(port, "PING").strip() == "PONG":
                break
            time.sleep(0.05)
        dsock = os.path.join(OUT, "eve.dgram")
        rx = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        rx.bind(dsock)
        rx.settimeout(1)
        got = []

        done = threading.Event()

        def reader():
            # a datagram receiver reads as they come (the kernel queues ~10);
            # after idsd's exit, one quiet second ends it
            while True:
                try:
                    got.append(json.loads(rx.recv(1 << 20)))
                except socket.timeout:
                    if done.is_set():
                        break
        th = threading.Thread(target=reader)
        th.start()
        config = f"""%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types: [alert, flow, stats]
  - eve-log:
      filetype: redis
      redis: {{ server: 127.0.0.1, port: {port}, mode: list, key: ids-alerts }}
      types: [alert]
  - eve-log:
      filetype: redis
      redis: {{ server: 127.0.0.1, port: {port}, mode: stream, key: ids-flows }}
      types: [flow]
  - eve-log:
      filetype: unix_dgram
      filename: {dsock}
      types: [alert]
"""
        rc, err = run_idsd(config)
        done.set()
        check(rc == 0, f"idsd runs with redis and unix_dgram sinks: rc {rc} {err[-300:]}")
        recs = read_eve(os.path.join(OUT, "eve.json"))
        alerts = [r for r in recs if r["event_type"] == "alert"]
        flows = [r for r in recs if r["event_type"] == "flow"]
        n = int(redis_cli(port, "LLEN", "ids-alerts") or -1)
        check(n == len(alerts) and n > 0, f"redis list: every alert ({n} of {len(alerts)})")
        first = json.loads(redis_cli(port, "LINDEX", "ids-alerts", "-1"))
        check(first == alerts[0], "the oldest list entry is the first alert, field for field")
        n = int(redis_cli(port, "XLEN", "ids-flows") or -1)
        check(n == len(flows) and n > 1000, f"redis stream: every flow ({n} of {len(flows)}) "
              f"{[l for l in err.splitlines() if 'output' in l]}")
        entry = redis_cli(port, "XRANGE", "ids-flows", "-", "+", "COUNT", "1").splitlines()
        check(len(entry) == 3 and entry[1] == "eve" and
              json.loads(entry[2])["event_type"] == "flow",
              f"a stream entry is field eve = the record: {entry[:2]}")
        th.join()
        rx.close()
        check(got == alerts, f"unix_dgram: one datagram per alert ({len(got)} of {len(alerts)})")
        st = [r for r in recs if r["event_type"] == "stats"][-1]["stats"]
        sink = st.get("output", {}).get("sink", {})
        check(set(sink) == {"1", "2", "3"} and
              all(v["dropped"] == 0 and v["errors"] == 0 for v in sink.values()),
              f"per-sink counters in stats, nothing dropped: {sink}")
    finally:
        redis.terminate()
        redis.wait(timeout=30)


def sids(recs):
    out = {}
    for r in recs:
        if r["event_type"] == "alert":
            out[r["alert"]["signature_id"]] = out.get(r["alert"]["signature_id"], 0) + 1
    return out


def test_thresholds():
    config = "%YAML 1.1\n---\noutputs:\n  - eve-log:\n      filename: eve.json\n" \
             "      types: [alert]\n"
    rc, _ = run_idsd(config)
    base = sids(read_eve(os.path.join(OUT, "eve.json")))
    os.remove(os.path.join(OUT, "eve.json"))
    check(rc == 0 and base.get(1000005, 0) > 0 and base.get(1000004) == 1 and
          base.get(1000006) == 1 and base.get(1000008, 0) > 0 and base.get(1000007, 0) > 1,
          f"without a threshold file: {base}")
    thr = os.path.join(OUT, "threshold.config")
    with open(thr, "w", encoding="utf-8") as f:
        f.write("# as an operator writes it\n"
                "suppress gen_id 1, sig_id 1000005, track by_src, ip 192.168.100.138\n"
                "suppress gen_id 1, sig_id 1000004\n"
                "threshold gen_id 1, sig_id 1000006, type limit, track by_src, \\\n"
                "    count 2, seconds 1000000000\n"
                "threshold gen_id 0, sig_id 0, type limit, track by_rule, count 1, "
                "seconds 1000000000\n"
                "rate_filter gen_id 1, sig_id 1000007, track by_rule, count 1, seconds 1, "
                "new_action explode, timeout 10\n"
                "bogus gen_id 1, sig_id 1\n"
                "suppress gen_id 1, sig_id 1000008, track by_either, ip [$EXTERNAL_NET, "
                "2001:db8::/32]\n"
                "suppress gen_id 1, sig_id 1000003, track by_dst, ip $NO_SUCH_VAR\n")
    rc, err = run_idsd(config + f"threshold-file: {thr}\n")
    recs = read_eve(os.path.join(OUT, "eve.json"))
    got = sids(recs)
    check(rc == 0, f"idsd runs with the threshold file: rc {rc}")
    scan = {}
    for r in recs:
        if r["event_type"] == "alert" and r["alert"]["signature_id"] == 1000006:
            scan[r["src_ip"]] = scan.get(r["src_ip"], 0) + 1
    check(1000005 not in got, f"suppress by_src with an address: no ICMP alert ({got})")
    check(1000004 not in got, "suppress without track: the rule is noalert")
    check(scan and set(scan.values()) == {2}, f"a gid:sid threshold replaces the rule's own "
          f"(both, count 100: {base.get(1000006)} alert): limit 2 by_src -> {scan}")
    check(got.get(1000007) == 1 and got.get(1000001, 1) == 1 and got.get(1000003, 1) == 1,
          f"the global threshold (limit 1 by_rule) takes the rules without one: {got}")
    check(1000008 not in got, "suppress by_either with a list of a variable and a prefix")
    check(f"{thr}:7: invalid 'new_action explode'" in err,
          f"a bad rate_filter is reported with file:line: {err[-600:]}")
    check(f"{thr}:8: unknown directive 'bogus'" in err, "a bad line: file:line: reason")
    check(f"{thr}:10: " in err and "NO_SUCH_VAR" in err,
          "an unknown address variable: file:line: reason")
    rc, err = run_idsd(config + f"threshold-file: {OUT}/missing.config\n")
    check(rc != 0 and "missing.config: cannot read the threshold file" in err,
          f"a threshold file that cannot be read is an error: rc {rc} {err[-200:]}")


def test_fastlog():
    config = """%YAML 1.1
---
outputs:
  - fast:
      enabled: yes
      filename: fast.log
  - eve-log:
      filename: eve.json
      types: [alert, stats]
  - stats:
      enabled: yes
      filename: stats.log
      totals: yes
      deltas: yes
"""
    rc, err = run_idsd(config)
    check(rc == 0, f"idsd runs with fast and stats outputs: rc {rc} {err[-300:]}")
    recs = read_eve(os.path.join(OUT, "eve.json"))
    alerts = [r for r in recs if r["event_type"] == "alert"]
    with open(os.path.join(OUT, "fast.log"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    check(len(lines) == len(alerts) and len(lines) > 0,
          f"one fast.log line per alert: {len(lines)} of {len(alerts)}")
    ok = True
    for a, line in zip(alerts, lines):
        al = a["alert"]
        t = a["timestamp"]   # 2006-12-16T18:22:47.202144+0000
        ts = f"{t[5:7]}/{t[8:10]}/{t[0:4]}-{t[11:26]}"
        sp = a.get("src_port", a.get("icmp_type", 0))
        dp = a.get("dest_port", a.get("icmp_code", 0))
        src = str(ipaddress.ip_address(a["src_ip"]))
        dst = str(ipaddress.ip_address(a["dest_ip"]))
        want = (f"{ts}  [**] [{al['gid']}:{al['signature_id']}:{al['rev']}] {al['signature']} "
                f"[**] [Classification: {al['category']}] [Priority: {al['severity']}] "
                f"{{{a['proto']}}} {src}:{sp} -> {dst}:{dp}")
        if line != want:
            ok = False
            print("   want:", want, "\n   got: ", line)
            break
    check(ok, "each fast.log line as Suricata writes it, matching its EVE alert")
    with open(os.path.join(OUT, "stats.log"), encoding="utf-8") as f:
        text = f.read()
    last = [r for r in recs if r["event_type"] == "stats"][-1]["stats"]
    rows = {}
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 4 and parts[1] == "Total":
            rows[parts[0]] = (int(parts[2]), int(parts[3]))
    check(text.startswith("-" * 20) and "Date: " in text and "(uptime: " in text and
          "Counter" in text and "| Delta" in text, "stats.log: dated blocks with a Delta column")
    check(rows.get("decoder.pkts", (None,))[0] == last["decoder"]["pkts"] and
          rows.get("detect.alert", (None,))[0] == last["detect"]["alert"],
          f"stats.log totals equal the last stats record: {rows.get('decoder.pkts')}")


def test_anomaly():
    on = """%YAML 1.1
---
outputs:
  - eve-log:
      filename: eve.json
      types:
        - anomaly:
            enabled: yes
            types: {decode: yes}
        - stats
"""
    off = on.replace("types: {decode: yes}", "types: {applayer: yes}")
    mdir = os.path.join(SRC, "tests/data/malformed")
    total = 0
    ok = True
    # a few of the malformed captures, each rejected differently
    for name in ["esp_truncated.pcap", "icmp6_mobileprefix_asan.pcap", "ipv6-bad-version.pcap",
                 "tcp_header_heapoverflow.pcap", "ip_ts_opts_asan.pcap",
                 "ipv6-too-long-jumbo.pcap"]:
        if os.path.exists(os.path.join(OUT, "eve.json")):
            os.remove(os.path.join(OUT, "eve.json"))
        rc, _ = run_idsd(on, pcap=os.path.join(mdir, name), rules=os.devnull)
        recs = read_eve(os.path.join(OUT, "eve.json"))
        if rc != 0 or not recs:
            continue
        events = {}
        for r in recs:
            if r["event_type"] == "anomaly":
                ev = r["anomaly"]["event"]
                events[ev] = events.get(ev, 0) + 1
                ok = ok and r["anomaly"]["type"] == "decode"
        st = [r for r in recs if r["event_type"] == "stats"][-1]["stats"]
        counted = {f"decoder.{k}.{k2}": v2 for k, v in
                   st.get("decoder", {}).get("event", {}).items()
                   for k2, v2 in v.items() if v2}
        if events != counted:
            ok = False
            print("   ", name, events, counted)
        total += sum(events.values())
    check(ok and total >= 8, f"one anomaly per decoder event counted, named as the "
          f"decode-event rules ({total} over the malformed captures)")
    os.remove(os.path.join(OUT, "eve.json"))
    rc, err = run_idsd(off, pcap=os.path.join(mdir, "heapoverflow-tcp_print.pcap"),
                       rules=os.devnull)
    recs = read_eve(os.path.join(OUT, "eve.json"))
    check(all(r["event_type"] != "anomaly" or r["anomaly"]["type"] == "applayer"
              for r in recs) and "types.applayer'" not in err,
          "without types.decode no decoder anomaly; applayer is written, not warned about")


def test_rate_filter():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import pcapgen
    a, b, dst = (bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), bytes([10, 0, 0, 9]))
    # (source, second): 10.0.0.1 at 0, 1, 2, 3, 9, 10; 10.0.0.2 at 4
    plan = [(a, 0), (a, 1), (a, 2), (a, 3), (b, 4), (a, 9), (a, 10)]
    pcap = os.path.join(OUT, "rated.pcap")
    pcapgen.write_pcap(pcap, [pcapgen.udp_frame(s, dst, 1000, 53, b"rated") for s, _ in plan],
                       [t for _, t in plan])
    rules = os.path.join(OUT, "rated.rules")
    with open(rules, "w", encoding="utf-8") as f:
        f.write('alert udp any any -> any 53 (msg:"rated"; content:"rated"; sid:7;)\n'
                'alert udp any any -> any 53 (msg:"also"; content:"ted"; sid:8;)\n')
    thr = os.path.join(OUT, "threshold.config")
    with open(thr, "w", encoding="utf-8") as f:
        f.write("rate_filter gen_id 1, sig_id 7, track by_src, count 2, seconds 30, \\\n"
                "    new_action drop, timeout 5\n"
                "threshold gen_id 1, sig_id 8, type limit, track by_rule, count 1, seconds 60\n"
                "rate_filter gen_id 1, sig_id 8, track by_rule, count 0, seconds 60, "
                "new_action drop, timeout 60\n")
    config = ("%YAML 1.1\n---\noutputs:\n  - eve-log:\n      filename: eve.json\n"
              f"      types: [alert, {{drop: {{flows: all}}}}, stats]\nthreshold-file: {thr}\n")

    def actions(extra):
        if os.path.exists(os.path.join(OUT, "eve.json")):
            os.remove(os.path.join(OUT, "eve.json"))
        rc, err = run_idsd(config, extra=extra, pcap=pcap, rules=rules)
        recs = read_eve(os.path.join(OUT, "eve.json"))
        got = [(r["src_ip"], r["alert"]["action"]) for r in recs
               if r["event_type"] == "alert" and r["alert"]["signature_id"] == 7]
        other = [r for r in recs if r["event_type"] == "alert" and
                 r["alert"]["signature_id"] == 8]
        st = [r["stats"] for r in recs if r["event_type"] == "stats"]
        return rc, err, got, other, [r for r in recs if r["event_type"] == "drop"], \
            (st[-1] if st else {})

    rc, err, got, other, drops, st = actions(["--simulate-ips"])
    check(rc == 0 and err.count("threshold.config") == 0,
          f"idsd takes the rate_filter lines: rc {rc} {err[-300:]}")
    want = [("10.0.0.1", "allowed"), ("10.0.0.1", "allowed"), ("10.0.0.1", "blocked"),
            ("10.0.0.1", "blocked"), ("10.0.0.2", "allowed"), ("10.0.0.1", "allowed"),
            ("10.0.0.1", "blocked")]
    # t 2: the 3rd match in 30 s; t 3: within the 5 s timeout; t 9: past it,
    # the rule's own action (ends the timeout); t 10: still the 0..30 window
    check(got == want, f"inline: every match alerts, past count the new action drops, "
          f"until the timeout; per source: {got}")
    check(len(drops) == 3 and all(d["src_ip"] == "10.0.0.1" for d in drops),
          f"each dropped packet has a drop record (flows: all): {[d['src_ip'] for d in drops]}")
    check(st.get("ips", {}).get("blocked") == 3, f"ips.blocked 3: {st.get('ips')}")
    check(len(other) == 1 and other[0]["alert"]["action"] == "allowed",
          f"a gid:sid threshold before a rate_filter keeps the rule: "
          f"{[o['alert']['action'] for o in other]}")
    rc, err, got, _, drops, _ = actions([])
    check(rc == 0 and len(got) == 7 and {x[1] for x in got} == {"allowed"} and not drops,
          f"not inline: drop does not drop: {got}")


def main():
    global IDSD, SRC, OUT
    IDSD, SRC, name, OUT = sys.argv[1:5]
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    globals()["test_" + name]()
    print(f"{name}: {len(FAILS)} failures")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
