#!/usr/bin/env python3
"""Hostile input through the real idsd: caps and counters, never timings.

usage: test_hardening.py IDSD OUT_DIR SCENARIO
  defrag_flood    a duplicate-offset fragment flood: given up at the
                  per-datagram overlap cap (counted, decoder events), or,
                  with the caps raised, reassembled with the first copy's bytes
  http_max_tx     pipelined requests past max-tx stop the connection's parsing
  body_limit      a response body past response-body-limit: the rules that hit
                  it are verified when it has new bytes, not again on every
                  packet that follows (Suricata's "no new data")
  inflate_stop    a gzip response past response-body-limit is not inflated further
                  (counted), unless a rule or an anomaly output wants the
                  decompressors' events: then a bad block past the limit raises
                  gzip_decompression_failed as in Suricata
  long_content    a content over Hyperscan's length limit loads and is checked whole
  escaped_quote   msg:"\\"; is a parse error naming file:line
  capture_records a record longer than the snapshot length hides no frames
  capture_big     a frame over 65535 bytes is counted in the summary and stats
  capture_shrinks the capture cut short while idsd reads it (mapped): the run
                  ends, the frames lost counted and said, none made of zeros
  privileges      live (net_null), with --user nobody and as root without it: the
                  daemon runs, and every thread (/proc/PID/task/*: the lcores,
                  DPDK's interrupt, multi-process and telemetry threads, a
                  telemetry client's) holds no capability but the main one's
                  NET_ADMIN and NET_RAW, and an empty bounding set; EAL was
                  initialised with only what it needs (needs root)
"""
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

# the hostile traffic generators the adversarial benchmark uses too
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tools", "bench"))
import hostile  # noqa: E402
from e2e_check import Checks  # noqa: E402

IDSD = OUT = None
check = Checks()


def run(args, timeout=300):
    p = subprocess.run([IDSD] + args, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def inspect(pcap, rules, extra=()):
    """idsd -r: (rc, stdout + stderr, alerts by sid, the last stats record)."""
    out = os.path.join(OUT, "run%d" % len(os.listdir(OUT)))
    os.makedirs(out)
    rc, so, se = run(["-r", pcap, "-S", rules, "-l", out] + list(extra))
    check(rc == 0, f"idsd -r {pcap} rc {rc}: {se[-400:]}")
    alerts, stats = {}, {}
    path = os.path.join(out, "eve.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if r.get("event_type") == "alert":
                    sid = r["alert"]["signature_id"]
                    alerts[sid] = alerts.get(sid, 0) + 1
                elif r.get("event_type") == "stats":
                    stats = r["stats"]
    return rc, so + se, alerts, stats


def stat(stats, dotted):
    v = stats
    for k in dotted.split("."):
        if not isinstance(v, dict) or k not in v:
            return None
        v = v[k]
    return v


def test_defrag_flood():
    pcap = os.path.join(OUT, "flood.pcap")
    hostile.write_pcap(pcap, hostile.fragment_flood(3000))
    rules = write(os.path.join(OUT, "frag.rules"),
                  'alert ip any any -> any any (msg:"overlap"; '
                  'decode-event:ipv4.frag_overlap; sid:1;)\n'
                  'alert ip any any -> any any (msg:"ignored"; '
                  'decode-event:ipv4.frag_ignored; sid:2;)\n'
                  'alert udp any any -> any any (msg:"whole"; content:"FRAGDATAFRAGDATA"; '
                  'content:"LASTPART"; distance:0; sid:3;)\n')
    # default caps: 64 overlaps, then the datagram is given up
    _, _, alerts, st = inspect(pcap, rules)
    check(stat(st, "defrag.datagram.max_overlaps_reached") == 1,
          f"max_overlaps_reached {stat(st, 'defrag.datagram.max_overlaps_reached')}")
    check(stat(st, "defrag.ipv4.reassembled") == 0, "given up: nothing reassembled")
    check((stat(st, "defrag.ignored") or 0) >= 3000 - 66,
          f"later fragments ignored: {stat(st, 'defrag.ignored')}")
    check(alerts.get(1, 0) >= 1 and alerts.get(2, 0) >= 1,
          f"frag_overlap and frag_ignored decoder events fire: {alerts}")
    check(3 not in alerts, "no datagram built once given up")
    # caps raised: every copy is a duplicate, the first one's bytes win
    _, _, alerts, st = inspect(pcap, rules, ["--set", "defrag.datagram.max-overlaps=5000",
                                             "--set", "defrag.datagram.max-frags=5000"])
    check(stat(st, "defrag.ipv4.reassembled") == 1,
          f"reassembled {stat(st, 'defrag.ipv4.reassembled')}")
    check(stat(st, "defrag.overlap") == 2999, f"overlap {stat(st, 'defrag.overlap')}")
    check(alerts.get(3) == 1, f"the datagram built from the first copy: {alerts}")


def test_http_max_tx():
    reqs = b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n" * 600
    pcap = os.path.join(OUT, "pipeline.pcap")
    hostile.write_pcap(pcap, hostile.tcp_session(reqs))
    rules = write(os.path.join(OUT, "http.rules"),
                  'alert http any any -> any any (msg:"uri"; http.uri; content:"/x"; '
                  'sid:1;)\n')
    _, _, alerts, st = inspect(pcap, rules)
    check(stat(st, "app_layer.error.http.max_tx") == 1,
          f"max_tx {stat(st, 'app_layer.error.http.max_tx')}")
    n = alerts.get(1, 0)
    check(1 <= n <= 513, f"requests up to the cap inspected: {n}")
    _, _, alerts, st = inspect(pcap, rules, [
        "--set", "app-layer.protocols.http.libhtp.default-config.max-tx=1000"])
    check(stat(st, "app_layer.error.http.max_tx") == 0, "under the cap: no error")


def test_body_limit():
    # 30,000 one-byte chunks (180 kB on the wire, ~130 segments) after a
    # body limit of 4 KiB: each later segment updates the transaction, but
    # the body it would show is the one already inspected
    res = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
           b"1\r\na\r\n" * 30000 + b"0\r\n\r\n")
    pcap = os.path.join(OUT, "chunks.pcap")
    hostile.write_pcap(pcap, hostile.tcp_session(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", res))
    rules = write(os.path.join(OUT, "body.rules"),
                  'alert http any any -> any any (msg:"never"; http.response_body; '
                  'content:"a"; pcre:"/a.*b/R"; sid:1;)\n'
                  'alert http any any -> any any (msg:"body"; http.response_body; '
                  'content:"aaaa"; sid:2;)\n')
    _, _, alerts, st = inspect(pcap, rules, [
        "--set", "app-layer.protocols.http.libhtp.default-config.response-body-limit=4096"])
    check((stat(st, "app_layer.error.http.body_truncated") or 0) > 0,
          f"body_truncated {stat(st, 'app_layer.error.http.body_truncated')}")
    check(alerts == {2: 1}, f"the body that was kept is inspected: {alerts}")
    # sid 1 retries each "a" up to the step limit (counted) whenever it is
    # verified on the body; before, once per segment after the limit (~130)
    lim = stat(st, "detect.inspect_limit")
    check(lim is not None and 1 <= lim <= 2, f"inspect_limit {lim}: the body is verified once")

def gzip_bad_tail():
    """A gzip body: 4 stored blocks of 50,000 bytes ("a", "b", "c", "d"), then
    a block of the reserved type, where inflating to the end fails."""
    body = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])
    for k in range(4):
        body += struct.pack("<BHH", 0, 50000, 50000 ^ 0xFFFF) + bytes([0x61 + k]) * 50000
    return body + b"\x07" + bytes(8)


def test_inflate_stop():
    body = gzip_bad_tail()
    res = (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
           % len(body)) + body
    pcap = os.path.join(OUT, "gzip.pcap")
    hostile.write_pcap(pcap, hostile.tcp_session(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", res))
    body_rule = ('alert http any any -> any any (msg:"body"; file_data; content:"cccc"; '
                 'sid:1;)\n')
    event_rule = ('alert http any any -> any any (msg:"gzip"; '
                  'app-layer-event:http.gzip_decompression_failed; sid:2;)\n')
    # the body holds its limit (100 KiB: into the "c" block) either way
    _, _, alerts, st = inspect(pcap, write(os.path.join(OUT, "body.rules"), body_rule))
    check(stat(st, "app_layer.http.inflate_stopped") == 1,
          f"inflate_stopped {stat(st, 'app_layer.http.inflate_stopped')}")
    check(alerts == {1: 1}, f"the body up to its limit is inspected: {alerts}")
    _, _, alerts, st = inspect(pcap, write(os.path.join(OUT, "event.rules"),
                                           body_rule + event_rule))
    check(stat(st, "app_layer.http.inflate_stopped") == 0,
          f"a rule wants the event: inflate_stopped {stat(st, 'app_layer.http.inflate_stopped')}")
    check(alerts == {1: 1, 2: 1}, f"the bad block past the limit raises the event: {alerts}")
    # an anomaly output writing the app layer's events wants them too
    conf = write(os.path.join(OUT, "anomaly.yaml"),
                 "%YAML 1.1\n---\noutputs:\n  - eve-log:\n      enabled: yes\n"
                 "      filename: eve.json\n      types:\n        - alert\n        - stats\n"
                 "        - anomaly:\n            types:\n              applayer: yes\n")
    _, _, alerts, st = inspect(pcap, write(os.path.join(OUT, "body2.rules"), body_rule),
                               ["-c", conf])
    check(stat(st, "app_layer.http.inflate_stopped") == 0,
          f"anomaly output: inflate_stopped {stat(st, 'app_layer.http.inflate_stopped')}")
    runs = sorted((d for d in os.listdir(OUT) if d.startswith("run")), key=lambda d: int(d[3:]))
    with open(os.path.join(OUT, runs[-1], "eve.json"), encoding="utf-8") as f:
        events = [json.loads(ln).get("anomaly", {}).get("event") for ln in f]
    check("GZIP_DECOMPRESSION_FAILED" in events, f"the anomaly record is written: {events}")


def test_long_content():
    # the prefilter holds a slice of a long content (Hyperscan refuses
    # literals of 16,000 bytes and more); the verification checks all of it
    big = ("B" * 19968 + "A" * 32).encode()
    rules = write(os.path.join(OUT, "long.rules"),
                  'alert udp any any -> any any (msg:"ok"; content:"hello"; sid:1;)\n'
                  f'alert udp any any -> any any (msg:"big"; content:"{big.decode()}"; sid:2;)\n'
                  'alert udp any any -> any any (msg:"ok2"; content:"world"; sid:3;)\n')
    rc, so, se = run(["-T", "-S", rules])
    check(rc == 0, f"-T with a 20,000-byte content exits 0, got {rc}: {se[-300:]}")
    check("rules: 3 loaded, 0 failed" in so, f"-T summary: {so[-300:]}")
    # the whole content in one datagram, sent as IPv4 fragments (1480 bytes
    # of it each); then a datagram with only the slice the prefilter holds
    dgram = struct.pack("!HHHH", 40000, 5000, 8 + len(big), 0) + big
    frames = [(1, hostile.udp(b"hello world"))]
    for off in range(0, len(dgram), 1480):
        frames.append((2 + off, hostile.ipv4(17, dgram[off:off + 1480], ident=9, frag=off,
                                             mf=off + 1480 < len(dgram))))
    frames.append((50000, hostile.udp(b"B" * 100 + b"A" * 32)))
    pcap = os.path.join(OUT, "long.pcap")
    hostile.write_pcap(pcap, frames)
    _, _, alerts, _ = inspect(pcap, rules)
    check(alerts == {1: 1, 2: 1, 3: 1}, f"the whole content alerts once, its slice alone not: "
          f"{alerts}")


def test_escaped_quote():
    rules = write(os.path.join(OUT, "q.rules"),
                  'alert tcp any any -> any any (msg:"\\"; sid:2;)\n')
    rc, so, se = run(["-T", "-S", rules])
    check(rc == 1, f"rc {rc}")
    check(f"{rules}:1: msg is missing its closing quote" in se, f"reason: {se[-300:]}")
    check("rules: 0 loaded, 1 failed" in so, f"summary: {so[-200:]}")


def record(fr, ts=0):
    return struct.pack("<IIII", 1700000000, ts, len(fr), len(fr)) + fr


def test_capture_records():
    """A record longer than libpcap accepts (past the snapshot length and
    its maximum) whose body holds well-formed records: libpcap stops there;
    none of the hidden frames may be inspected."""
    hidden = b"".join(record(hostile.udp(b"HIDDEN%d" % i), i) for i in range(200))
    body = hostile.udp(b"A" * 1000) + hidden + b"B" * 300000
    pcap = os.path.join(OUT, "hidden.pcap")
    with open(pcap, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        f.write(record(hostile.udp(b"before")))
        f.write(record(body))
    rules = write(os.path.join(OUT, "hidden.rules"),
                  'alert udp any any -> any any (msg:"hidden"; content:"HIDDEN"; sid:1;)\n'
                  'alert udp any any -> any any (msg:"before"; content:"before"; sid:2;)\n')
    for _ in range(3):	# the port may or may not poll past the end before the drain
        _, so, alerts, st = inspect(pcap, rules)
        check(1 not in alerts, f"no frame hidden inside a record is inspected: {alerts}")
        check(alerts.get(2) == 1, f"the frame before it is: {alerts}")
        check(stat(st, "decoder.pkts") == 1, f"one frame inspected: {stat(st, 'decoder.pkts')}")
        check(stat(st, "capture.beyond_readable") is not None, "capture.beyond_readable in stats")


def test_capture_big():
    big = hostile.udp(b"X" * 60000) + b"\0" * 10000     # a 70,042-byte frame
    pcap = os.path.join(OUT, "big.pcap")
    with open(pcap, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        f.write(record(big))
        f.write(record(hostile.udp(b"after"), 1))
    rules = write(os.path.join(OUT, "big.rules"),
                  'alert udp any any -> any any (msg:"after"; content:"after"; sid:1;)\n')
    _, so, alerts, st = inspect(pcap, rules)
    check(alerts.get(1) == 1, f"the next frame is inspected: {alerts}")
    inspected = stat(st, "decoder.pkts") or 0
    oversize = stat(st, "decoder.oversize") or 0
    check(inspected + oversize == 2, f"the big frame inspected or counted: pkts {inspected}, "
          f"oversize {oversize}")
    check(oversize == 0 or "1 oversize" in so, f"oversize said in the summary: {so[-400:]}")


def shrunk_run(frames, cut, name, minor=4):
    """idsd -r on frames with the file cut at byte cut after idsd has opened
    it and before its worker reads: eve.json is a FIFO, whose open blocks
    idsd between starting its ports (the capture opened, and mapped when it
    is a version 2.4 file) and launching its workers. (output, alerts, last
    stats, size before)."""
    out = os.path.join(OUT, name)
    os.makedirs(out)
    pcap = os.path.join(out, "shrink.pcap")
    hostile.write_pcap(pcap, [(i, fr) for i, fr in enumerate(frames)])
    with open(pcap, "r+b") as f:
        f.seek(6)
        f.write(struct.pack("<H", minor))
    rules = write(os.path.join(out, "shrink.rules"),
                  'alert udp any any -> any any (msg:"s"; content:"SHRINK"; sid:1;)\n')
    eve = os.path.join(out, "eve.json")
    os.mkfifo(eve)
    p = subprocess.Popen([IDSD, "-r", pcap, "-S", rules, "-l", out], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    size = os.path.getsize(pcap)
    lines = []
    # blocks until idsd opens its end, after the capture was mapped
    with open(eve, encoding="utf-8") as f:
        os.truncate(pcap, cut)
        reader = threading.Thread(target=lambda: lines.extend(f))
        reader.start()
        try:
            so, _ = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            so, _ = p.communicate()
            check(False, f"{name}: idsd still runs 60 s after the cut")
        reader.join()
    records = [json.loads(line) for line in lines]
    check(p.returncode == 0, f"{name}: rc {p.returncode}: {so[-600:]}")
    alerts = sum(1 for r in records if r.get("event_type") == "alert")
    stats = [r["stats"] for r in records if r.get("event_type") == "stats"]
    return so, alerts, stats[-1] if stats else {}, size


def test_capture_shrinks():
    """The file cut short while idsd reads it. First just past a record's
    header, its data running on into the next page: its bytes past the cut
    read as zeros, the next page faults; then at a record's end, the rest of
    that page zeros (records of zeros to a reader that does not look); then
    a file read, not mapped, cut at a record's end."""
    frames = [hostile.udp(b"SHRINK%05d" % i + b"." * (900 + i % 200)) for i in range(4000)]
    page, at, cut, before, ends = 4096, 24, 0, 0, {}
    for i, fr in enumerate(frames):
        end = at + 16 + len(fr)
        if not cut and i > 2000 and (at + 16) // page == (end - 1) // page - 1 and (at + 16) % page:
            cut, before = at + 16, i
        ends[i] = end
        at = end
    check(cut > 0, "a record crossing a page")
    so, alerts, st, size = shrunk_run(frames, cut, "in_record")
    lost = stat(st, "capture.file_shrank")
    # the frames before the cut, and the one across it, handed out before
    # the cut showed (its bytes past the cut read as zeros: no alert); no
    # frame made of the zeros after it
    check(alerts == before, f"alerts {alerts}, {before} frames before the cut")
    check(lost == 4000 - before - 1, f"capture.file_shrank {lost}, want {4000 - before - 1}")
    check(stat(st, "decoder.invalid") == 0, f"decoder.invalid {stat(st, 'decoder.invalid')}")
    check(f"shrank from {size} to {cut} bytes" in so and f"{lost} frames" in so and
          "read with zeros past it" in so and f"{lost} cut from the file" in so,
          f"the cut said: {so[-800:]}")
    # at a record's end: the run ends (fewer frames than counted), those
    # before whole
    so, alerts, st, size = shrunk_run(frames, ends[1999], "at_record")
    check(alerts == 2000, f"at a record: alerts {alerts}, 2000 frames before the cut")
    check(stat(st, "capture.file_shrank") == 2000,
          f"at a record: capture.file_shrank {stat(st, 'capture.file_shrank')}")
    check(stat(st, "decoder.invalid") == 0,
          f"at a record: decoder.invalid {stat(st, 'decoder.invalid')}")
    check(f"shrank from {size} to {ends[1999]} bytes" in so and "zeros" not in so,
          f"at a record: the cut said: {so[-800:]}")
    # a version 2.3 file is read, not mapped: the run ends all the same
    so, alerts, st, size = shrunk_run(frames, ends[1999], "read", minor=3)
    check(alerts == 2000 and stat(st, "capture.file_shrank") == 2000,
          f"read: alerts {alerts}, capture.file_shrank {stat(st, 'capture.file_shrank')}")
    check("2000 frames fewer when read" in so, f"read: the cut said: {so[-800:]}")


CAP_NET_ADMIN_RAW = (1 << 12) | (1 << 13)
# the threads DPDK creates in rte_eal_init, besides the main one and the lcores
DPDK_THREADS = ("eal-intr-thread", "rte_mp_handle", "telemetry-v2")


def thread_caps(pid):
    """{thread name/tid: (CapEff, CapPrm, CapBnd, uid)} of every task of pid;
    the main thread is named "main"."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status", encoding="utf-8") as f:
                st = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
        except OSError:
            continue	# a thread that ended meanwhile
        name = "main" if int(tid) == pid else st["Name"]
        out[name + "/" + tid] = (int(st["CapEff"], 16), int(st["CapPrm"], 16),
                                 int(st["CapBnd"], 16), int(st["Uid"].split()[1]))
    return out


def telemetry_client(prefix):
    """A connection to idsd's telemetry socket, so that DPDK's per-client
    thread exists while the capabilities are read (None: no socket)."""
    path = f"/var/run/dpdk/{prefix}/dpdk_telemetry.v2"
    c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        c.connect(path)
        c.recv(1024)	# the greeting: the client thread runs
        return c
    except OSError:
        c.close()
        return None


def live(extra, name):
    """A live run on net_null: (caps by thread, stderr)."""
    out = os.path.join(OUT, name)
    os.makedirs(out)
    prefix = f"idsharden{os.getpid()}{name}"
    cfg = write(os.path.join(out, "idsd.yaml"),
                "dpdk:\n  eal-params: { no-huge: true, no-pci: true, "
                f"file-prefix: {prefix}, vdev: [\"net_null0,size=64\"] }}\n"
                "  interfaces:\n    - interface: net_null0\n      threads: 1\n")
    rules = write(os.path.join(out, "t.rules"),
                  'alert udp any any -> any any (msg:"x"; content:"zz"; sid:1;)\n')
    os.chmod(out, 0o777)
    p = subprocess.Popen([IDSD, "-v", "-c", cfg, "-S", rules, "-l", out] + extra,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    caps, client = {}, None
    for _ in range(100):
        time.sleep(0.1)
        if p.poll() is not None:
            break
        caps = thread_caps(p.pid)
        # started: the main thread has dropped what it does not need
        if any(k.startswith("main/") and v[0] == CAP_NET_ADMIN_RAW for k, v in caps.items()):
            time.sleep(0.5)
            client = telemetry_client(prefix)
            caps = thread_caps(p.pid)
            break
    check(client is not None, f"{name}: telemetry connection")
    if client is not None:
        client.close()
    alive = p.poll() is None
    if alive:
        p.send_signal(signal.SIGTERM)
    so, se = p.communicate(timeout=60)
    check(alive, f"{name}: the daemon runs: rc {p.returncode}: {se[-400:]}")
    check(p.returncode == 0, f"{name}: exits 0 on SIGTERM, got {p.returncode}: {se[-400:]}")
    return caps, se


def check_threads(caps, mode):
    """Every thread, DPDK's own included, holds nothing but the main thread's
    NET_ADMIN and NET_RAW, and no bounding set to regain more from."""
    names = [k.split("/")[0] for k in caps]
    for want in ("main", "rte-worker-1") + DPDK_THREADS:
        check(want in names, f"{mode}: thread {want} seen: {sorted(caps)}")
    check(names.count("telemetry-v2") >= 2, f"{mode}: telemetry's client thread (named as "
          f"its listener) seen: {sorted(caps)}")
    for name, (eff, prm, bnd, _) in caps.items():
        want = CAP_NET_ADMIN_RAW if name.startswith("main/") else 0
        check(eff == want and prm == want and bnd == 0,
              f"{mode}: {name} CapEff {eff:#x} CapPrm {prm:#x} CapBnd {bnd:#x}")


def test_privileges():
    if os.geteuid() != 0:
        check(False, "needs root")
        return
    caps, se = live(["--user", "nobody"], "runas")
    check_threads(caps, "run-as")
    for name, (_, _, _, uid) in caps.items():
        check(uid == 65534, f"run-as: {name} uid {uid}")
    check("EAL initialises with setgid, setuid, setpcap, net_admin, net_raw\n" in se,
          f"run-as: EAL had only what it needs: {se[-600:]}")
    caps, se = live([], "root")
    check_threads(caps, "root")
    for name, (_, _, _, uid) in caps.items():
        check(uid == 0, f"root: {name} uid {uid}")
    # --no-huge --no-pci: no IPC_LOCK, SYS_ADMIN, SYS_RAWIO, nor any id change
    check("EAL initialises with setpcap, net_admin, net_raw\n" in se,
          f"root: EAL had only what it needs: {se[-600:]}")


def main():
    global IDSD, OUT
    IDSD, OUT, name = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    globals()["test_" + name]()
    return check.done(name)


if __name__ == "__main__":
    sys.exit(main())
