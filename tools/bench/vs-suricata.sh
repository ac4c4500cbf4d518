#!/bin/sh
# The two workloads the product is judged on (../shared/bench/README.md), run
# through idsd as Suricata 7's reference figures were measured: ET Open, -k none,
# one worker pinned to one CPU, the worker thread's CPU time, median of N runs.
#
#   tools/bench/vs-suricata.sh [-n RUNS] [-w WORKLOAD] [-b BUILD] [-o DIR]
#
# WORKLOAD is bench-http, corpus-mix or both (default). Prints one line per run
# and a summary per workload: CPU s, packets/s per core, alerts, and the ratio to
# Suricata 7's figure. Needs ../shared next to the checkout; says so otherwise.
set -eu
cd "$(dirname "$0")/../.."
runs=3
which=both
build=build
out=${TMPDIR:-/tmp}/ids-vs-suricata
cpu=${BENCH_CPU:-1}
while getopts n:w:b:o: opt; do
	case "$opt" in
	n) runs=$OPTARG ;;
	w) which=$OPTARG ;;
	b) build=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [-w bench-http|corpus-mix|both] [-b BUILD] [-o DIR]" >&2; exit 2 ;;
	esac
done

shared=../shared
if [ ! -d "$shared/bench" ] || [ ! -d "$shared/corpus" ]; then
	echo "vs-suricata: ../shared/bench and ../shared/corpus are not next to the checkout; nothing to measure" >&2
	exit 2
fi
# corpus-mix is built with Wireshark's capinfos and mergecap, as the reference was
if ! command -v mergecap >/dev/null || ! command -v capinfos >/dev/null; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "vs-suricata: installing wireshark-common (capinfos, mergecap)" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			wireshark-common >/dev/null
	else
		echo "vs-suricata: capinfos and mergecap are missing (apt install wireshark-common)" >&2
		exit 2
	fi
fi
idsd=$build/dataplane/idsd/idsd
[ -x "$idsd" ] || { echo "vs-suricata: $idsd not built (tools/build.sh $build)" >&2; exit 2; }
rules=$shared/corpus/rules/et-open-suricata-5.0-2024-04-21
mkdir -p "$out"

# Suricata 7.0.0's CPU seconds on this machine type (../shared/bench/README.md).
ref_cpu() { case "$1" in bench-http) echo 3.41 ;; corpus-mix) echo 0.132 ;; esac; }

make_workload() {
	case "$1" in
	bench-http)
		[ -s "$out/bench-http.pcap" ] ||
			python3 "$shared/bench/gen_http_pcap.py" "$out/bench-http.pcap" --flows 50000 --seed 1 >/dev/null
		;;
	corpus-mix)
		if [ ! -s "$out/corpus-mix.pcap" ]; then
			# the captures Suricata reads as they are: not the gzip-compressed ones
			find "$shared/corpus/pcaps" -type f ! -name '*.gz' | LC_ALL=C sort | while read -r f; do
				capinfos -E "$f" 2>/dev/null | grep -q 'Ethernet$' && printf '%s\n' "$f"
			done >"$out/corpus-mix.list"
			# shellcheck disable=SC2046
			mergecap -a -F pcap -w "$out/corpus-mix.pcap" $(cat "$out/corpus-mix.list")
		fi
		;;
	esac
}

# Prefilter work of the last run, from its final stats record: bytes given
# to Hyperscan per payload byte (every payload byte has one packet scan, so
# packet_bytes is the payload), pattern matches and candidates per packet.
scan_figures() {
	python3 - "$1" <<'PY'
import json, sys
stats = None
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("event_type") == "stats":
        stats = e["stats"]
if stats is None or "mpm" not in stats.get("detect", {}):
    sys.exit(0)
m, pk = stats["detect"]["mpm"], stats["decoder"]["pkts"]
pay = max(m["packet_bytes"], 1)
print("  scanned per payload byte %.2f (packet %.2f, stream %.2f, app-layer %.2f); "
      "%.2f matches and %.2f candidates per packet" % (
          (m["packet_bytes"] + m["stream_bytes"] + m["app_bytes"]) / pay, 1.0,
          m["stream_bytes"] / pay, m["app_bytes"] / pay, m["matches"] / pk,
          stats["detect"]["candidates"] / pk))
PY
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {
	w=$1
	make_workload "$w"
	: >"$out/$w.cpu"
	i=0
	while [ "$i" -lt "$runs" ]; do
		i=$((i + 1))
		rm -rf "$out/$w.log"
		taskset -c "$cpu" "$idsd" -r "$out/$w.pcap" -S "$rules" -k none -l "$out/$w.log" \
			--set stream.memcap=2gb --set stream.reassembly.memcap=4gb \
			--set flow.memcap=1gb >"$out/$w.summary" 2>"$out/$w.err" || {
			echo "vs-suricata: idsd failed on $w (see $out/$w.err)" >&2
			exit 1
		}
		s=$(sed -n 's/^  worker cpu: \([0-9.]*\) s.*/\1/p' "$out/$w.summary")
		pk=$(sed -n 's/^processed: \([0-9]*\) packets.*/\1/p' "$out/$w.summary")
		al=$(sed -n 's/^  alerts: \([0-9]*\).*/\1/p' "$out/$w.summary")
		echo "$s" >>"$out/$w.cpu"
		echo "$w run $i: worker cpu $s s, $pk packets, $al alerts"
	done
	scan_figures "$out/$w.log/eve.json"
	med=$(median <"$out/$w.cpu")
	ref=$(ref_cpu "$w")
	awk -v w="$w" -v s="$med" -v p="$pk" -v a="$al" -v r="$ref" 'BEGIN {
		printf "%s: median worker cpu %.3f s, %.0f kpps per core, %d alerts; Suricata 7: %.3f s, %.0f kpps; ratio %.2fx\n",
			w, s, p / s / 1000, a, r, p / r / 1000, r / s }'
}

case "$which" in
both) measure bench-http; measure corpus-mix ;;
bench-http | corpus-mix) measure "$which" ;;
*) echo "vs-suricata: unknown workload '$which'" >&2; exit 2 ;;
esac
