#!/usr/bin/env python3
"""FTP control and data connections end to end: usage: test_ftp.py IDSD OUT_DIR.

Writes FTP sessions: PORT naming the client itself then a RETR (active
data connection from the server), PORT naming another host (a bounce),
PASV then RETR (passive: the client connects, the server sends), EPSV then
STOR (the client connects and sends), and a connection to the server on a
port nobody announced. ET Open's bounce rule (sid 2103441) and ftpbounce
must fire on the bounce PORT only; ftp-data rules (header protocol and
app-layer-protocol, ET's sid 2034695 verbatim) must fire on the announced
data connections only; ftpdata_command must name each transfer's command;
EVE must say app_proto "ftp" and "ftp-data"."""
import os
import shutil
import sys

from e2e_check import check, run_capture
from pcapgen import Tcp

ET_BOUNCE = (
    'alert tcp $EXTERNAL_NET any -> $HOME_NET 21 (msg:"GPL FTP PORT bounce attempt"; '
    'flow:to_server,established; content:"PORT"; nocase; ftpbounce; pcre:"/^PORT/smi"; '
    'classtype:misc-attack; sid:2103441; rev:2;)')
ET_KIMSUKY = (
    'alert ftp-data $EXTERNAL_NET any -> $HOME_NET any (msg:"ET HUNTING Possible Kimsuky '
    'Related Malicious VBScript Inbound"; flow:established,to_client; '
    'content:"CreateObject(|22|WScript.Shell|22|)"; content:"reg add"; nocase; fast_pattern; '
    'content:"ftp://"; distance:0; within:200; pcre:"/[a-z]{8}.[a-z]{3}/Ri"; '
    'classtype:trojan-activity; sid:2034695; rev:1;)')
RULES = [
    'alert ftp any any -> any any (msg:"bounce"; ftpbounce; sid:10;)',
    'alert ftp-data any any -> any any (msg:"active data"; content:"active-payload"; sid:11;)',
    'alert tcp any any -> any any (msg:"alp"; app-layer-protocol:ftp-data; '
    'content:"passive-payload"; sid:12;)',
    'alert ftp-data any any -> any any (msg:"stray"; content:"stray-payload"; sid:13;)',
    'alert ftp-data any any -> any any (msg:"epsv"; flow:to_server; content:"upload-payload"; '
    'sid:14;)',
    'alert tcp any any -> any any (msg:"stray seen"; content:"stray-payload"; sid:15;)',
    # ftpdata_command (Suricata's DetectFtpdataMatch): the flow's transfer
    # command, a RETR never in the inspection to the server, a STOR never in
    # the one to the client; so retr alerts to the client in active and
    # passive mode alike
    'alert ftp-data any any -> any any (msg:"retr"; flow:established,to_client; '
    'ftpdata_command:retr; sid:16;)',
    'alert ftp-data any any -> any any (msg:"stor"; ftpdata_command: stor ; sid:17;)',
    'alert ftp-data any any -> any any (msg:"retr up"; flow:to_server; ftpdata_command:retr; '
    'sid:18;)',
]
# sid -> (alerts expected, app_proto they carry)
WANT = {2103441: (1, "ftp"), 10: (1, "ftp"), 11: (1, "ftp-data"), 12: (1, "ftp-data"),
        2034695: (1, "ftp-data"), 13: (0, None), 14: (1, "ftp-data"), 15: (1, None),
        16: (2, "ftp-data"), 17: (1, "ftp-data"), 18: (0, None)}

EXT_CLIENT, HOME_SERVER = bytes([198, 51, 100, 10]), bytes([192, 168, 1, 5])
HOME_CLIENT, EXT_SERVER = bytes([192, 168, 1, 20]), bytes([203, 0, 113, 7])
VBS = (b"Set s = CreateObject(\"WScript.Shell\")\r\ns.Run \"reg add HKCU\\Run /v x /d "
       b"ftp://files.example/abcdefgh.vbs\"\r\n")


def login(c):
    c.send(1, b"220 ftp.example.org ready\r\n")
    c.send(0, b"USER anonymous\r\n")
    c.send(1, b"331 password please\r\n")
    c.send(0, b"PASS guest@\r\n")
    c.send(1, b"230 logged in\r\n")


def active_session(frames):
    """The client is outside, the server at home (ET's bounce rule)."""
    c = Tcp(frames, EXT_CLIENT, HOME_SERVER, 40001, 21)
    login(c)
    c.send(0, b"PORT 198,51,100,10,200,10\r\n")    # itself: no bounce
    c.send(1, b"200 PORT command successful\r\n")
    c.send(0, b"RETR a.txt\r\n")
    c.send(1, b"150 opening data connection\r\n")
    d = Tcp(frames, HOME_SERVER, EXT_CLIENT, 20, 200 * 256 + 10)
    d.send(0, b"active-payload in a file\r\n")
    d.close()
    c.send(1, b"226 transfer complete\r\n")
    c.send(0, b"PORT 10,0,0,99,0,80\r\n")           # another host: a bounce
    c.send(1, b"200 PORT command successful\r\n")
    c.send(0, b"QUIT\r\n")
    c.send(1, b"221 bye\r\n")
    c.close()


def passive_session(frames):
    """The client at home, the server outside (ET's ftp-data rule)."""
    c = Tcp(frames, HOME_CLIENT, EXT_SERVER, 40002, 21)
    login(c)
    c.send(0, b"PASV\r\n")
    c.send(1, b"227 Entering Passive Mode (203,0,113,7,195,80).\r\n")
    c.send(0, b"RETR b.vbs\r\n")
    c.send(1, b"150 opening data connection\r\n")
    d = Tcp(frames, HOME_CLIENT, EXT_SERVER, 40100, 195 * 256 + 80)
    d.send(1, b"passive-payload\r\n" + VBS)
    d.close()
    c.send(1, b"226 transfer complete\r\n")
    c.send(0, b"EPSV\r\n")
    c.send(1, b"229 Entering Extended Passive Mode (|||50001|)\r\n")
    c.send(0, b"STOR c.txt\r\n")
    c.send(1, b"150 ok\r\n")
    d = Tcp(frames, HOME_CLIENT, EXT_SERVER, 40101, 50001)
    d.send(0, b"upload-payload uploaded\r\n")
    d.close()
    c.send(1, b"226 transfer complete\r\n")
    # the same port again: the expectation was used up
    d = Tcp(frames, HOME_CLIENT, EXT_SERVER, 40102, 50001)
    d.send(0, b"stray-payload again\r\n")
    d.close()
    c.send(0, b"QUIT\r\n")
    c.send(1, b"221 bye\r\n")
    c.close()


def main():
    idsd, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    frames = []
    active_session(frames)
    passive_session(frames)
    recs = run_capture(idsd, out, "ftp", frames, [ET_BOUNCE, ET_KIMSUKY] + RULES,
                       "%YAML 1.1\n---\noutputs:\n  - eve-log:\n      filename: eve.json\n"
                       "      types: [alert, flow, stats]\n")
    alerts = [a for a in recs if a.get("event_type") == "alert"]
    for sid, (want, proto) in WANT.items():
        got = [a for a in alerts if a["alert"]["signature_id"] == sid]
        check(len(got) == want, f"sid {sid}: {len(got)} alerts, want {want}")
        for a in got:
            check(a.get("app_proto") == proto,
                  f"sid {sid}: app_proto {a.get('app_proto')!r}, want {proto!r}")
    bounce = [a for a in alerts if a["alert"]["signature_id"] == 10]
    check(bounce and bounce[0]["src_port"] == 40001, "the bounce alert is the control connection's")
    flows = {r["src_port"]: r.get("app_proto") for r in recs if r.get("event_type") == "flow"}
    want_flows = {40001: "ftp", 40002: "ftp", 20: "ftp-data", 40100: "ftp-data",
                  40101: "ftp-data", 40102: None}
    for port, proto in want_flows.items():
        check(flows.get(port) == proto, f"flow from port {port}: app_proto {flows.get(port)!r}, "
              f"want {proto!r}")
    app = [r for r in recs if r.get("event_type") == "stats"][-1]["stats"]["app_layer"]
    got = [app.get(k) for k in ("expectations", "expectation_created", "expectation_matched")]
    check(got == [0, 3, 3], f"stats: expectations held, created, matched {got}, want [0, 3, 3]")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
