#!/usr/bin/env python3
"""EVE "ssh" records, the "ssh" object of alerts, HASSH and the SSH
app-layer events, as Suricata 7 writes and raises them (rust/src/ssh):
usage: test_eve_ssh.py IDSD DATA_DIR OUT_DIR.

The capture is crafted here (pcapgen): a whole handshake (banners, KEXINIT
both ways, NEWKEYS both ways, then "encrypted" bytes), and four sessions
each with one bad input (a line before the server's banner, a record
length of 1, a 300-byte banner, a KEXINIT past 64 KiB). The HASSH values
expected are computed here with hashlib from the lists sent, as the HASSH
spec says (kex;enc;mac;comp of the side's direction), apart from idsd's
own code. Three runs: HASSH switched on by the rules' ssh.hassh keywords,
by app-layer.protocols.ssh.hassh alone, and off (the record is then
written as soon as both banners are read, without "hassh"). Then two real
OpenSSH captures (DATA_DIR/ssh, from zeek's traces): their HASSH as this
script computes it from the KEXINITs it reassembles itself."""
import hashlib
import os
import shutil
import struct
import sys

from e2e_check import Checks, eve_conf, run_capture, run_idsd
from pcapgen import Tcp

CLI, SRV = bytes([10, 0, 0, 7]), bytes([10, 0, 1, 7])
SRV_BANNER = b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n"
CLI_BANNER = b"SSH-2.0-PuTTY_Release_0.81\r\n"
# kex, host key, enc c2s, enc s2c, mac c2s, mac s2c, comp c2s, comp s2c,
# languages c2s, s2c
CLI_LISTS = [b"curve25519-sha256,ecdh-sha2-nistp256,ext-info-c", b"ssh-ed25519",
             b"aes256-ctr,aes128-ctr", b"aes256-ctr", b"hmac-sha2-256", b"hmac-sha2-512",
             b"none", b"none,zlib", b"", b""]
SRV_LISTS = [b"curve25519-sha256,kex-strict-s-v00@openssh.com", b"rsa-sha2-512,ssh-ed25519",
             b"chacha20-poly1305@openssh.com", b"aes128-gcm@openssh.com,aes256-ctr",
             b"umac-128-etm@openssh.com", b"hmac-sha1", b"none", b"zlib@openssh.com",
             b"", b""]


def record(payload, pad=4):
    """An SSH binary packet (RFC 4253 6): length, padding length, payload,
    padding (in clear, before NEWKEYS)."""
    return struct.pack("!IB", 1 + len(payload) + pad, pad) + payload + bytes(pad)


def kexinit(lists):
    body = bytes([20]) + bytes(range(16))
    body += b"".join(struct.pack("!I", len(x)) + x for x in lists)
    return record(body + b"\0" + bytes(4))


NEWKEYS = record(bytes([21]), 10)


def hassh(lists, server):
    s = b";".join(lists[i] for i in ((0, 3, 5, 7) if server else (0, 2, 4, 6)))
    return hashlib.md5(s).hexdigest(), s.decode()


def side(proto, soft, lists=None, server=False):
    o = {"proto_version": proto, "software_version": soft}
    if lists is not None:
        h, s = hassh(lists, server)
        o["hassh"] = {"hash": h, "string": s}
    return o


def build():
    """The frames, and the frame numbers (pcap_cnt) of landmarks of the
    first session."""
    frames, marks = [], {}
    t = Tcp(frames, CLI, SRV, 40001, 22)
    t.send(1, SRV_BANNER)
    t.send(0, CLI_BANNER)
    marks["banners"] = len(frames)
    t.send(0, kexinit(CLI_LISTS))
    marks["kexinit"] = len(frames) - 1
    t.send(1, kexinit(SRV_LISTS))
    t.send(0, NEWKEYS)
    t.send(1, NEWKEYS)
    marks["newkeys"] = len(frames)
    t.send(0, b"\x8a\x11SECRET-MARKER-IN-CIPHERTEXT\x99")
    t.close()
    # a line before the server's banner
    t = Tcp(frames, CLI, SRV, 40002, 22)
    t.send(0, b"SSH-2.0-libssh_0.10.6\r\n")
    t.send(1, b"Welcome to the box\r\nSSH-2.0-OpenSSH_9.6\r\n")
    t.close()
    # a record whose length field is 1
    t = Tcp(frames, CLI, SRV, 40003, 22)
    t.send(1, b"SSH-2.0-OpenSSH_9.6\r\n")
    t.send(0, b"SSH-2.0-x\r\n\0\0\0\x01\0\x15")
    t.close()
    # a 300-byte banner line
    t = Tcp(frames, CLI, SRV, 40004, 22)
    t.send(1, b"SSH-2.0-OpenSSH_9.6\r\n")
    t.send(0, b"SSH-2.0-" + b"L" * 292 + b"\r\n")
    t.close()
    # a KEXINIT that says it is 70000 bytes long (its first 64 sent)
    t = Tcp(frames, CLI, SRV, 40005, 22)
    t.send(1, b"SSH-2.0-OpenSSH_9.6\r\n")
    t.send(0, b"SSH-2.0-y\r\n" + struct.pack("!IBB", 70000, 4, 20) + bytes(58))
    t.close()
    # banners with bytes above 0x7f: valid UTF-8 (the server's) and not
    t = Tcp(frames, CLI, SRV, 40006, 22)
    t.send(1, b"SSH-2.0-caf\xc3\xa9\r\n")
    t.send(0, b"SSH-2.0-Open\xffSSH_\xc3\xa9\x01\r\n")
    t.close()
    return frames, marks


def by_type(recs, t):
    return [r for r in recs if r.get("event_type") == t]


def sids(recs):
    out = {}
    for a in by_type(recs, "alert"):
        out.setdefault(a["alert"]["signature_id"], []).append(a)
    return out


def check_events(check, recs):
    """The anomaly records and the app-layer-event rules of the bad
    sessions (sids 20-23), and what their ssh records hold."""
    want = {40002: "invalid_banner", 40003: "invalid_record", 40004: "long_banner",
            40005: "long_kex_record"}
    parser = [a for a in by_type(recs, "anomaly") if a["anomaly"].get("layer") == "proto_parser"]
    got = {a["src_port"]: a["anomaly"]["event"] for a in parser}
    check(got == want and len(parser) == 4,
          f"the parsers' anomalies by session: {got}, want {want}")
    an = [a for a in parser if a["src_port"] == 40002]
    if an:
        check(an[0]["anomaly"] == {"app_proto": "ssh", "type": "applayer",
                                   "event": "invalid_banner", "layer": "proto_parser"},
              f"the anomaly object: {an[0]['anomaly']}")
    s = sids(recs)
    for sid, port in ((20, 40002), (21, 40003), (22, 40004), (23, 40005)):
        ports = [a["src_port"] if a["src_port"] != 22 else a["dest_port"] for a in s.get(sid, [])]
        check(ports == [port], f"sid {sid}: alerts on ports {ports}, want [{port}]")
    ssh = {r["src_port"]: r["ssh"] for r in by_type(recs, "ssh")}
    check(ssh.get(40002) == {"client": side("2.0", "libssh_0.10.6")},
          f"an invalid server banner: the client's side only: {ssh.get(40002)}")
    # Suricata's JsonBuilder set_string_from_bytes: a valid UTF-8 value as
    # it is, else every byte above 0x7f as the text \xNN
    want = {"client": side("2.0", "Open\\xffSSH_\\xc3\\xa9\x01"),
            "server": side("2.0", "caf\u00e9")}
    check(ssh.get(40006) == want,
          f"non-UTF-8 banner bytes as \\xNN text: {ssh.get(40006)}, want {want}")
    long_sw = ssh.get(40004, {}).get("client", {}).get("software_version", "")
    check(long_sw == "L" * 248, f"a long banner's fields come from its first 256 bytes: "
          f"{len(long_sw)} bytes")


def run_rules(check, idsd, out, frames, marks):
    ch, cs = hassh(CLI_LISTS, False)
    sh, ss = hassh(SRV_LISTS, True)
    rules = [
        f'alert ssh any any -> any any (msg:"hassh"; ssh.hassh; content:"{ch}"; sid:1;)',
        f'alert ssh any any -> any any (msg:"hassh.server"; ssh.hassh.server; content:"{sh}"; '
        'sid:2;)',
        'alert ssh any any -> any any (msg:"hassh.string"; ssh.hassh.string; '
        'content:"curve25519-sha256,ecdh"; startswith; sid:3;)',
        # a rule's content cannot hold ';' as is
        f'alert ssh any any -> any any (msg:"server string"; ssh.hassh.server.string; '
        f'content:"{ss.replace(";", "|3b|")}"; bsize:{len(ss)}; sid:4;)',
        f'alert ssh any any -> any any (msg:"wrong side"; ssh.hassh; content:"{sh}"; sid:5;)',
        f'alert ssh any any -> any any (msg:"wrong side"; ssh-hassh-server; content:"{ch}"; '
        'sid:6;)',
        'alert tcp any any -> any any (msg:"ciphertext"; content:"SECRET-MARKER"; sid:7;)',
        'alert ssh any any -> any any (msg:"e"; app-layer-event:ssh.invalid_banner; sid:20;)',
        'alert ssh any any -> any any (msg:"e"; app-layer-event:ssh.invalid_record; sid:21;)',
        'alert ssh any any -> any any (msg:"e"; app-layer-event:ssh.long_banner; sid:22;)',
        'alert ssh any any -> any any (msg:"e"; app-layer-event:ssh.long_kex_record; sid:23;)',
    ]
    recs = run_capture(idsd, out, "ssh_rules", frames, rules,
                       eve_conf("- alert\n- ssh\n- anomaly:\n    types:\n      applayer: yes\n"))
    s = sids(recs)
    for sid, n in ((1, 1), (2, 1), (3, 1), (4, 1), (5, 0), (6, 0), (7, 0)):
        check(len(s.get(sid, [])) == n, f"sid {sid}: {len(s.get(sid, []))} alerts, want {n}")
    whole = {"client": side("2.0", "PuTTY_Release_0.81", CLI_LISTS),
             "server": side("2.0", "OpenSSH_9.6p1", SRV_LISTS, True)}
    for a in s.get(1, []) + s.get(2, []):
        check(a.get("app_proto") == "ssh" and a.get("tx_id") == 0,
              f"the alert names app_proto ssh and tx 0: {a.get('app_proto')} {a.get('tx_id')}")
        check(a.get("ssh") == whole, f"the alert's ssh object: {a.get('ssh')}")
    rec = [r for r in by_type(recs, "ssh") if r["src_port"] == 40001]
    check(len(rec) == 1, f"{len(rec)} ssh records of the handshake, want 1")
    if rec:
        r = rec[0]
        check(r["ssh"] == whole and list(r["ssh"]) == ["client", "server"] and
              list(r["ssh"]["client"]) == ["proto_version", "software_version", "hassh"],
              f"the ssh record (keys in Suricata's order): {r['ssh']}")
        check(r["tx_id"] == 0 and r["dest_port"] == 22 and r["src_ip"] == "10.0.0.7",
              f"its header: client to server, tx 0: {r}")
        check(marks["newkeys"] - 1 <= r["pcap_cnt"] <= marks["newkeys"] + 1,
              f"with HASSH it is written once both sides sent NEWKEYS (frame "
              f"{marks['newkeys']}): pcap_cnt {r['pcap_cnt']}")
    check_events(check, recs)


def run_config(check, idsd, out, frames, marks, hassh_on):
    """No HASSH keyword in the rules: the config alone decides."""
    extra = "app-layer:\n  protocols:\n    ssh:\n      hassh: yes\n" if hassh_on else ""
    rules = ['alert ssh any any -> any any (msg:"sw"; flow:to_client; ssh.software; '
             'content:"OpenSSH_9.6p1"; bsize:13; sid:1;)']
    recs = run_capture(idsd, out, "ssh_conf", frames, rules, eve_conf("- alert\n- ssh\n", extra))
    rec = [r for r in by_type(recs, "ssh") if r["src_port"] == 40001]
    want = {"client": side("2.0", "PuTTY_Release_0.81", CLI_LISTS if hassh_on else None),
            "server": side("2.0", "OpenSSH_9.6p1", SRV_LISTS if hassh_on else None, True)}
    check(len(rec) == 1 and rec[0]["ssh"] == want,
          f"hassh {hassh_on}: the ssh record: {[r['ssh'] for r in rec]}")
    if rec and not hassh_on:
        check(marks["banners"] - 1 <= rec[0]["pcap_cnt"] <= marks["kexinit"],
              f"without HASSH it is written once both banners are read (frames "
              f"{marks['banners']}..{marks['kexinit']}): pcap_cnt {rec[0]['pcap_cnt']}")
    # the alert comes with the server's banner, before any KEXINIT: the
    # object is the session's as it was then
    a = sids(recs).get(1, [])
    check(len(a) == 1 and a[0].get("ssh") == {"client": side("2.0", "PuTTY_Release_0.81"),
                                              "server": side("2.0", "OpenSSH_9.6p1")},
          f"the alert's ssh object: {a}")
    check(len(by_type(recs, "anomaly")) == 0, "no anomaly records: not in the types")


def run_types(check, idsd, out, frames):
    """outputs.eve-log.types without ssh: no ssh records."""
    recs = run_capture(idsd, out, "ssh_types", frames,
                       ['alert ssh any any -> any any (msg:"any"; ssh.proto; content:"2"; '
                        'sid:1;)'], eve_conf("- alert\n- flow\n"))
    check(len(by_type(recs, "ssh")) == 0 and len(by_type(recs, "alert")) > 0,
          f"no ssh type, no ssh records: {len(by_type(recs, 'ssh'))}")


def pcap_streams(path):
    """Each TCP direction's payload of a classic pcap (Ethernet, IPv4),
    by sequence number: {(src, sport, dst, dport): bytes}."""
    with open(path, "rb") as f:
        d = f.read()
    off, segs = 24, {}
    while off + 16 <= len(d):
        caplen = struct.unpack("<I", d[off + 8:off + 12])[0]
        fr, off = d[off + 16:off + 16 + caplen], off + 16 + caplen
        ip = fr[14:]
        if fr[12:14] != b"\x08\x00" or ip[9] != 6:
            continue
        tcp = ip[(ip[0] & 15) * 4:struct.unpack("!H", ip[2:4])[0]]
        sp, dp, seq = struct.unpack("!HHI", tcp[:8])
        if len(tcp) > (tcp[12] >> 4) * 4:
            segs.setdefault((ip[12:16], sp, ip[16:20], dp), {})[seq] = tcp[(tcp[12] >> 4) * 4:]
    out = {}
    for k, by_seq in segs.items():
        data, nxt = b"", None
        for seq in sorted(by_seq):
            if nxt is None or seq >= nxt:
                data, nxt = data + by_seq[seq], seq + len(by_seq[seq])
            elif seq + len(by_seq[seq]) > nxt:
                data, nxt = data + by_seq[seq][nxt - seq:], seq + len(by_seq[seq])
        out[k] = data
    return out


def capture_hassh(path):
    """{(server?): (hash, string)} from the first KEXINIT after each banner."""
    out = {}
    for (_, sport, _, _), data in pcap_streams(path).items():
        at = data.index(b"\n") + 1
        plen, code = struct.unpack("!I", data[at:at + 4])[0], data[at + 5]
        if code != 20:
            continue
        body, i, lists = data[at + 6:at + 4 + plen], 16, []
        for _ in range(10):
            n = struct.unpack("!I", body[i:i + 4])[0]
            lists.append(body[i + 4:i + 4 + n])
            i += 4 + n
        out[sport == 22] = hassh(lists, sport == 22)
    return out


def run_captures(check, idsd, data, out):
    for name in ("single-conn.pcap", "ssh_kex_curve25519.pcap"):
        pcap = os.path.join(data, "ssh", name)
        d = os.path.join(out, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        want = capture_hassh(pcap)
        recs = run_idsd(idsd, d, pcap, [], eve_conf("- ssh\n", "app-layer:\n  protocols:\n"
                                                    "    ssh:\n      hassh: yes\n"))
        got = {}
        for r in by_type(recs, "ssh"):
            for k, srv in (("client", False), ("server", True)):
                h = r["ssh"].get(k, {}).get("hassh")
                if h:
                    got[srv] = (h["hash"], h["string"])
        check(len(want) == 2 and got == want, f"{name}: HASSH {got}, want {want}")


def main():
    idsd, data, out = sys.argv[1:4]
    check = Checks()
    frames, marks = build()
    for name, fn in (("rules", lambda o: run_rules(check, idsd, o, frames, marks)),
                     ("conf_on", lambda o: run_config(check, idsd, o, frames, marks, True)),
                     ("conf_off", lambda o: run_config(check, idsd, o, frames, marks, False)),
                     ("types", lambda o: run_types(check, idsd, o, frames))):
        d = os.path.join(out, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        fn(d)
    run_captures(check, idsd, data, out)
    return check.done("eve_ssh")


if __name__ == "__main__":
    sys.exit(main())
