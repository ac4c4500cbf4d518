#!/bin/bash
# scale.sh [-b BUILD] [-n RUNS] [-t "1 2"] [-c CPUS] PCAP [-- EXTRA idsd ARGS]
# (BUILD: a build directory, of this tree unless absolute; default build)
#
# One capture read with 1 and with 2 (or -t's list of) workers (pcap-file.threads,
# one reader spreading it by the flow hash), interleaved, RUNS times each, ET Open and
# the memcaps of ../shared/bench/README.md, pinned to CPUS (taskset, default 0,1).
# Per run: wall time (the summary's "processed" line), alerts, and for every lcore
# thread its CPU time and its wait for a CPU (/proc/PID/task/TID/schedstat, first and
# second fields, sampled until the thread's work ended), the reader's included; the
# capture-order gate's waits from the final stats record; the load average at start.
# The machine is shared: compare CPU times, read wall times as noise-prone.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
build=build; runs=3; threads="1 2"; cpus=0,1
while getopts b:n:t:c: o; do
	case $o in
	b) build=$OPTARG ;; n) runs=$OPTARG ;; t) threads=$OPTARG ;; c) cpus=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: scale.sh [-b BUILD] [-n RUNS] [-t LIST] [-c CPUS] PCAP [-- ARGS]" >&2; exit 2; }
pcap=$1; shift
[ "${1:-}" = "--" ] && shift
et=$here/../shared/corpus/rules/et-open-suricata-5.0-2024-04-21
case $build in /*) ;; *) build=$here/$build ;; esac
bin=$build/dataplane/idsd/idsd
[ -x "$bin" ] || { echo "scale.sh: no $bin" >&2; exit 2; }
[ -d "$et" ] || { echo "scale.sh: no $et" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# sample PID: the last schedstat of each rte-worker thread, as "name cpu_ns wait_ns"
sample() {
	local pid=$1 t name st
	declare -A last
	while kill -0 "$pid" 2>/dev/null; do
		for t in /proc/"$pid"/task/*; do
			name=$(cat "$t/comm" 2>/dev/null) || continue
			case $name in rte-worker-*) ;; *) continue ;; esac
			st=$(cat "$t/schedstat" 2>/dev/null) && [ -n "$st" ] && last[$name]=$st
		done
		sleep 0.05
	done
	for name in "${!last[@]}"; do
		echo "$name ${last[$name]}"
	done | sort -V
}

for i in $(seq "$runs"); do
	for t in $threads; do
		rm -rf "$out/log"; mkdir -p "$out/log"
		load=$(cut -d' ' -f1 /proc/loadavg)
		taskset -c "$cpus" "$bin" -r "$pcap" -S "$et" -k none -l "$out/log" \
			--set pcap-file.threads="$t" --set stream.memcap=2gb \
			--set stream.reassembly.memcap=4gb --set flow.memcap=1gb "$@" \
			>"$out/stdout" 2>"$out/stderr" &
		pid=$!
		sample $pid >"$out/sched"
		wait $pid || { echo "run $i, $t worker(s): idsd failed"; tail -3 "$out/stderr"; continue; }
		wall=$(awk '/^processed:/{print $(NF-1)}' "$out/stdout")
		alerts=$(grep -c '"event_type":"alert"' "$out/log/eve.json")
		gate=$(tail -n 200 "$out/log/eve.json" | grep '"event_type":"stats"' | tail -1 |
			python3 -c 'import json,sys
s=json.loads(sys.stdin.read() or "{}").get("stats",{}).get("capture",{}).get("gate",{})
print(" ".join(f"{k}={v}" for k,v in sorted(s.items())) or "-")')
		lc=$(awk '{printf "%s%s %.3f+%.3f", (NR > 1 ? ", " : ""), $1, $2 / 1e9, $3 / 1e9}' "$out/sched")
		echo "run $i threads $t: load $load wall $wall s alerts $alerts gate: $gate | cpu+wait: $lc"
	done
done
