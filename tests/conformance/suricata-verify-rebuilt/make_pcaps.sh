#!/bin/sh
# Write every case's input.pcap again from its gen_pcap.py (needs the system
# python with Debian's python3-scapy; the pyenv python has no scapy).
set -eu
cd "$(dirname "$0")"
for d in */; do
	[ -f "$d/gen_pcap.py" ] && /usr/bin/python3 "$d/gen_pcap.py" "$d/input.pcap"
done
