#!/usr/bin/env python3
"""Which of Suricata 7.0.0's event rules idsd raises, and where a crafted case
fires each: usage: tools/event-rules-coverage.py [RULES_DIR] (default
tests/data/suricata-events), from the repository root. Prints a markdown
table (rules file, sid, event, raised by idsd, the tests naming it) and, on
stderr, a summary per file. Static: "raised" means some dataplane source
sets the event (its enum or, for the decoder, its name in decode_err.c);
the rules Suricata ships commented out are listed too, marked so (they
are not claimed to load: one names an event 7.0.0 does not define);
"crafted case" means a test names its sid or event. Every rule loads (idsd
-T on the directory reports 0 failed)."""
import collections
import glob
import os
import re
import subprocess
import sys
D = sys.argv[1] if len(sys.argv) > 1 else 'tests/data/suricata-events'
src=subprocess.run("cat $(find dataplane common -name '*.c' -o -name '*.h' | grep -v events-t.h)",shell=True,capture_output=True,text=True).stdout
evt=open('common/events-t.h').read()
dec=open('dataplane/decode/decode_err.c').read()
tests={f:open(f,errors='replace').read() for f in glob.glob('tests/e2e/*.py')+glob.glob('tests/unit/*.c')+glob.glob('tests/e2e/**/*.rules',recursive=True)}
def ident(fam,name):
    lists={'stream':'EV_STREAM_LIST','applayer':'EV_APPLAYER_LIST','http':'EV_HTTP_LIST','tls':'EV_TLS_LIST','dns':'EV_DNS_LIST','smtp':'EV_SMTP_LIST'}
    i=evt.index('#define '+lists[fam]); j=evt.find('#define',i+10)
    m=re.search(r'X\(([A-Z0-9_]+), "%s"\)'%re.escape(name),evt[i:j])
    pre={'stream':'PEV_STREAM_','applayer':'PEV_APPLAYER_','http':'HTTP_EV_','tls':'TLS_EV_','dns':'DNS_EV_','smtp':'SMTP_EV_'}[fam]
    return pre+m.group(1) if m else None
def raised_id(idn): return idn is not None and re.search(r'\b%s\b'%idn,src) is not None
def evidence(sid, names):
    out=[]
    for f,t in sorted(tests.items()):
        if re.search(r'\b%s\b'%sid,t) or any(re.search(r'[\"\s:.(]%s[\"\s;,)]'%re.escape(n),t) for n in names):
            out.append(os.path.basename(f))
    return ",".join(out) or "-"
# Events idsd does not raise on purpose, and why (printed in the "raised" column).
NOT_RAISED={
    '3whs_synack_resend_with_diff_seq': 'n/a: Suricata 7 never raises it either (a SYN/ACK resent '
        'with another ISN is queued; past stream.max-synack-queued: 3whs_synack_flood)',
    'wrong_thread': 'no: flow tables are per worker, so a worker never sees a flow another '
        'one holds; software distribution (autofp, capture threads) sends both directions by '
        'the symmetric flow hash, so it cannot happen there; a NIC whose RSS splits a flow '
        'would give two one-sided flows, unflagged',
}
rows=[]
for f in sorted(glob.glob(D+'/*.rules')):
    for ln in open(f):
        # the rules Suricata ships commented out count too (tests enable them)
        off=ln.startswith('#alert')
        if not (ln.startswith('alert') or off): continue
        ln=ln.lstrip('#')
        sid=re.search(r'sid:(\d+)',ln).group(1)
        m=re.search(r'(decode-event|stream-event|app-layer-event):\s*([^;]+);',ln)
        if m is None:
            m=re.search(r'(\w+-csum):invalid',ln)
            if m is None:
                name='flowint tcp.retransmission.count >= 10'; raised=raised_id('PEV_STREAM_PKT_RETRANSMISSION'); names=['excessive retransmissions']
            else:
                name=m.group(1)+':invalid'; raised=True; names=[m.group(1)]
        else:
            kw,name=m.group(1),m.group(2).strip()
            if kw=='decode-event':
                n=name.replace('decoder.','')
                raised=('"%s"'%n) in dec
                names=[n]
            elif kw=='stream-event':
                n=name.replace('stream.',''); idn=ident('stream',n); raised=raised_id(idn); names=[n]+([idn] if idn else [])
            else:
                if name.startswith('applayer_'): idn=ident('applayer',name)
                else:
                    p,e=name.split('.',1); p={'http1':'http'}.get(p,p); idn=ident(p,e)
                raised=raised_id(idn); names=[name, name.split('.')[-1]] + ([idn] if idn else [])
        ev=evidence(sid,names) if raised else "-"
        rows.append((os.path.basename(f).replace('-events.rules',''),sid,name,raised,ev,off))
print("| rules file | sid | event | loads | raised by idsd | crafted case where it fires |")
print("|---|---|---|---|---|---|")
for r in rows: print("| %s | %s | %s | %s | %s | %s |"%(r[0],r[1],r[2],'commented out in Suricata\'s file' if r[5] else 'yes','yes' if r[3] else NOT_RAISED.get(r[2],'no'),r[4]))
c=collections.Counter()
for r in rows:
    c[(r[0],'n')]+=1; c[(r[0],'off')]+=r[5]; c[(r[0],'raised')]+=r[3]; c[(r[0],'tested')]+= (r[4]!='-')
for fam in sorted({r[0] for r in rows}):
    print(f"{fam}: {c[(fam,'n')] - c[(fam,'off')]} rules, all load, plus {c[(fam,'off')]} shipped commented out; {c[(fam,'raised')]} raised, {c[(fam,'tested')]} with a crafted case", file=sys.stderr)
