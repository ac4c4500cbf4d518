#!/usr/bin/env python3
"""EVE "ftp" records of FTP control connections, as Suricata 7's
EveFTPLogCommand writes them: usage: test_eve_ftp.py IDSD SRC_ROOT OUT_DIR
[corpus].

A crafted session gives one record per command of Suricata's table (an
unknown one, FEAT, makes none: its reply gets a record of its own, with no
command), each checked whole, keys in Suricata's order: a multi-line
greeting, USER, PORT (in lower case), RETR with its preliminary and final
reply, PASV, EPRT refused, a PORT that names no port, a line past the
4096-byte limit, and a NOOP never answered (logged at the flow's end,
reply_received "no"). An ftpbounce alert carries the transaction's id but
no "ftp" object, as in Suricata 7 (8.0 adds one). The real captures of tests/data/ftp (with "corpus": those of
../shared/corpus/pcaps/zeek/ftp instead) give well-formed records."""
import glob
import json
import os
import shutil
import subprocess
import sys

from e2e_check import Checks, eve_conf, run_capture, run_idsd
from pcapgen import Tcp

CLI, SRV = bytes([192, 168, 1, 20]), bytes([192, 168, 1, 5])
LONG = b"MKD " + b"A" * 5000

# (client line or None, server lines, the ftp object Suricata 7 writes or None)
SESSION = [
    (None, [b"220-Welcome", b" second line", b"220 ready"],
     {"completion_code": ["220", "220"], "reply": ["Welcome", " second line", "ready"]}),
    (b"USER anonymous", [b"331 password please"],
     {"command": "USER", "command_data": "anonymous", "command_truncated": False,
      "completion_code": ["331"], "reply": ["password please"]}),
    (b"FEAT", [b"211-Features:", b" EPRT", b"211 End"],
     {"completion_code": ["211", "211"], "reply": ["Features:", " EPRT", "End"]}),
    (b"port 192,168,1,20,200,10", [b"200 PORT ok"],
     {"command": "PORT", "command_data": "192,168,1,20,200,10", "command_truncated": False,
      "completion_code": ["200"], "reply": ["PORT ok"], "dynamic_port": 51210,
      "mode": "active"}),
    (b"RETR a.txt", [b"150 opening", b"226 done  "],
     {"command": "RETR", "command_data": "a.txt", "command_truncated": False,
      "completion_code": ["150", "226"], "reply": ["opening", "done"]}),
    (b"PASV", [b"227 Entering Passive Mode (192,168,1,5,195,80)."],
     {"command": "PASV", "completion_code": ["227"],
      "reply": ["Entering Passive Mode (192,168,1,5,195,80)."], "dynamic_port": 50000}),
    (b"EPRT |1|192.168.1.20|6275|", [b"500 no"],
     {"command": "EPRT", "command_data": "|1|192.168.1.20|6275|", "command_truncated": False,
      "completion_code": ["500"], "reply": ["no"], "dynamic_port": 6275, "mode": "active"}),
    (b"PORT x", [b"501 bad"],
     {"command": "PORT", "command_data": "x", "command_truncated": False,
      "completion_code": ["501"], "reply": ["bad"], "mode": "passive"}),
    (LONG, [b"550 no"],
     {"command": "MKD", "command_data": "A" * 4092, "command_truncated": True,
      "completion_code": ["550"], "reply": ["no"]}),
    (b"NOOP", [], {"command": "NOOP"}),
]
# the keys in the order EveFTPLogCommand writes them
ORDER = ["command", "command_data", "command_truncated", "completion_code", "reply",
         "dynamic_port", "mode", "reply_received", "reply_truncated"]


def want_obj(partial, answered):
    o = dict(partial)
    o["reply_received"] = "yes" if answered else "no"
    o["reply_truncated"] = False
    return {k: o[k] for k in ORDER if k in o}


def crafted(idsd, out, check):
    frames = []
    c = Tcp(frames, CLI, SRV, 40001, 21)
    for line, replies, _ in SESSION:
        if line is not None:
            c.send(0, line + b"\r\n")
        if replies:
            c.send(1, b"".join(r + b"\r\n" for r in replies))
    c.close()
    bounce = Tcp(frames, CLI, SRV, 40002, 21)
    bounce.send(1, b"220 ready\r\n")
    bounce.send(0, b"PORT 10,0,0,99,0,80\r\n")
    bounce.send(1, b"200 ok\r\n")
    bounce.close()
    rules = ['alert ftp any any -> any any (msg:"bounce"; ftpbounce; sid:1;)']
    recs = run_capture(idsd, out, "ftp", frames, rules,
                       eve_conf("- alert\n- ftp\n- flow\n- stats\n"))
    ftp = [r for r in recs if r.get("event_type") == "ftp" and r["src_port"] == 40001]
    want = [want_obj(p, bool(rep)) for _, rep, p in SESSION if p is not None]
    check(len(ftp) == len(want), f"{len(ftp)} ftp records, want {len(want)}")
    for i, (r, w) in enumerate(zip(ftp, want)):
        check(r["ftp"] == w, f"record {i}: {json.dumps(r['ftp'])[:300]}, want "
              f"{json.dumps(w)[:300]}")
        check(list(r["ftp"]) == list(w), f"record {i}: keys in Suricata's order {list(r['ftp'])}")
        check(r["tx_id"] == i, f"record {i}: tx_id {r['tx_id']}")
        check(r["src_ip"] == "192.168.1.20" and r["dest_port"] == 21 and
              "app_proto" not in r and "flow_id" in r and
              ("pcap_cnt" in r or r["pkt_src"] == "stream (flow timeout)"),
              f"record {i}: the flow's header, client to server: {list(r)}")
    alerts = [r for r in recs if r.get("event_type") == "alert"]
    check(len(alerts) == 1 and "ftp" not in alerts[0] and alerts[0]["tx_id"] == 1 and
          alerts[0].get("app_proto") == "ftp",
          f"the bounce alert names its transaction and no ftp object (Suricata 7's "
          f"AlertAddAppLayer has no FTP case): {alerts}")
    other = [r["ftp"] for r in recs if r.get("event_type") == "ftp" and r["src_port"] == 40002]
    check([o.get("command") for o in other] == [None, "PORT"], f"second connection: {other}")
    # an output without the ftp type writes none
    os.makedirs(os.path.join(out, "noftp"))
    recs = run_idsd(idsd, os.path.join(out, "noftp"), os.path.join(out, "ftp.pcap"),
                    [os.path.join(out, "ftp.rules")], eve_conf("- alert\n- flow\n"))
    check(not [r for r in recs if r.get("event_type") == "ftp"], "types without ftp: none")


# The command names of Suricata's table (FtpCommands), matched at a line's start.
NAMES = ["AUTH TLS", "PORT", "EPRT", "PASV", "RETR", "EPSV", "STOR", "ABOR", "ACCT", "ALLO",
         "APPE", "CDUP", "CHMOD", "CWD", "DELE", "HELP", "IDLE", "LIST", "MAIL", "MDTM", "MKD",
         "MLFL", "MODE", "MRCP", "MRSQ", "MSAM", "MSND", "MSOM", "NLST", "NOOP", "PASS", "PWD",
         "QUIT", "REIN", "REST", "RMD", "RNFR", "RNTO", "SITE", "SIZE", "SMNT", "STAT", "STOU",
         "STRU", "SYST", "TYPE", "UMASK", "USER"]


def real(idsd, out, pcap, check):
    """Every record well formed: keys in Suricata's order, completion codes
    of three digits, commands of Suricata's table. stream.midstream: some
    captures begin after the control connection's handshake."""
    name = os.path.basename(pcap).split(".")[0]
    o = os.path.join(out, name)
    os.makedirs(o)
    src = pcap
    if pcap.endswith(".gz"):
        src = os.path.join(o, name + ".pcap")
        with open(src, "wb") as f:
            subprocess.run(["gzip", "-dc", pcap], stdout=f, check=True)
    recs = run_idsd(idsd, o, src, [], eve_conf("- ftp\n", "stream:\n  midstream: true\n"))
    ftp = [r for r in recs if r.get("event_type") == "ftp"]
    check(ftp, f"{name}: ftp records ({len(ftp)})")
    for r in ftp:
        f = r["ftp"]
        keys = list(f)
        check(keys == [k for k in ORDER if k in f] and
              all(len(c) == 3 and c.isdigit() for c in f.get("completion_code", [])) and
              f["reply_received"] in ("yes", "no") and (f.get("command") in NAMES or
                                                       "command" not in f),
              f"{name}: a well-formed record {json.dumps(f)[:200]}")
    return ftp


def main():
    idsd, root, out = sys.argv[1:4]
    corpus = len(sys.argv) > 4 and sys.argv[4] == "corpus"
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    check = Checks()
    if corpus:
        zeek = os.path.join(root, "..", "shared", "corpus", "pcaps", "zeek", "ftp")
        pcaps = sorted(glob.glob(os.path.join(zeek, "*.pcap*")))
        check(len(pcaps) >= 10, f"{len(pcaps)} corpus captures")
        for pcap in pcaps:
            recs = real(idsd, out, pcap, check)
            if "password-pass" in pcap:
                check(any(r["ftp"].get("command") == "PASS" for r in recs),
                      "zeek ftp-password-pass-command: a PASS record")
        return check.done("eve_ftp_corpus")
    crafted(idsd, out, check)
    for pcap in sorted(glob.glob(os.path.join(root, "tests", "data", "ftp", "*.pcap"))):
        recs = real(idsd, out, pcap, check)
        if pcap.endswith("retr.pcap"):
            check(any(r["ftp"].get("command") == "RETR" and r["ftp"]["reply_received"] == "yes"
                      for r in recs), "retr.pcap: its RETR answered")
    return check.done("eve_ftp")


if __name__ == "__main__":
    sys.exit(main())
