#!/bin/sh
# What EVE logging costs (issue 13): full-pipeline packets/s by the worker
# thread's CPU time on the same packets and rules, with
#   alerts   - eve-log types [alert]
#   logging  - alert, flow, netflow, http (extended), dns, tls, files (md5),
#              anomaly: every record type, to eve.json
#   redis    - the same types to a Redis list (a redis-server started here
#              on loopback, its own port, no persistence)
# The workload is ../shared/bench's HTTP generator at FLOWS flows (2000:
# about 28,000 packets) with tools/bench/small.rules, -k none, one worker
# pinned to CPU $BENCH_CPU (1), median of RUNS (3). It prints a table; it
# asserts nothing about time.
#
#   tools/bench/outputs.sh [-n RUNS] [-f FLOWS] [-b BUILD] [-o DIR]
set -eu
cd "$(dirname "$0")/../.."
runs=3
flows=2000
build=build
out=${TMPDIR:-/tmp}/ids-bench-outputs
cpu=${BENCH_CPU:-1}
while getopts n:f:b:o: opt; do
	case "$opt" in
	n) runs=$OPTARG ;;
	f) flows=$OPTARG ;;
	b) build=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [-f FLOWS] [-b BUILD] [-o DIR]" >&2; exit 2 ;;
	esac
done
gen=../shared/bench/gen_http_pcap.py
[ -f "$gen" ] || { echo "outputs.sh: $gen is not next to the checkout" >&2; exit 2; }
idsd=$build/dataplane/idsd/idsd
[ -x "$idsd" ] || { echo "outputs.sh: $idsd not built (tools/build.sh $build)" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "outputs.sh: redis-server missing" >&2; exit 2; }
mkdir -p "$out"
pcap=$out/http-$flows.pcap
[ -s "$pcap" ] || python3 "$gen" "$pcap" --flows "$flows" --seed 1 >/dev/null

port=$((20000 + $$ % 20000))
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
	--daemonize no --logfile "$out/redis-server.txt" &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true' EXIT INT TERM

types_all="[alert, flow, netflow, {http: {extended: yes}}, dns, tls, {files: {force-hash: [md5]}}, anomaly]"
config() { # NAME TYPES [SINK]
	{
		printf '%%YAML 1.1\n---\noutputs:\n  - eve-log:\n      filename: eve.json\n'
		printf '      types: %s\n' "$2"
		if [ "${3:-}" = redis ]; then
			printf '      filetype: redis\n      redis: {server: 127.0.0.1, port: %s, mode: list, key: bench}\n' "$port"
		fi
	} >"$out/$1.yaml"
}
config alerts "[alert]"
config logging "$types_all"
config redis "$types_all" redis

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-8s %10s %12s %14s %10s\n' setup packets "cpu s (med)" "pkts/s/core" records
for setup in alerts logging redis; do
	: >"$out/$setup.cpu"
	for i in $(seq "$runs"); do
		rm -rf "$out/$setup.log"
		mkdir -p "$out/$setup.log"
		taskset -c "$cpu" "$idsd" -c "$out/$setup.yaml" -r "$pcap" -S tools/bench/small.rules \
			-l "$out/$setup.log" -k none >"$out/$setup.err" 2>&1
		sed -n 's/^  worker cpu: \([0-9.]*\) s.*/\1/p' "$out/$setup.err" >>"$out/$setup.cpu"
	done
	pkts=$(sed -n 's/^processed: \([0-9]*\) packets.*/\1/p' "$out/$setup.err")
	cpu_s=$(median <"$out/$setup.cpu")
	if [ "$setup" = redis ]; then
		records=$(redis-cli -p "$port" llen bench)
		redis-cli -p "$port" del bench >/dev/null
		records=$((records / runs))
	else
		records=$(wc -l <"$out/$setup.log/eve.json")
	fi
	printf '%-8s %10s %12s %14.0f %10s\n' "$setup" "$pkts" "$cpu_s" \
		"$(echo "$pkts / $cpu_s" | bc -l)" "$records"
done
