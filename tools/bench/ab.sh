#!/bin/sh
# Compare idsd binaries on one workload the way the issue measures them:
# interleaved rounds (A B A B ...), each run pinned to one CPU, the worker
# thread's CPU time; per binary the median and the minimum.
#
#   tools/bench/ab.sh [-n ROUNDS] [-r RULES] CAPTURE IDSD...
#
# RULES defaults to ET Open from ../shared (as vs-suricata.sh). Each run uses
# a fresh copy of its binary: runs of one binary file stayed for minutes in
# one of two modes 25 % apart (the file's place in the page cache), which a
# copy per run averages out; and reads the capture once before, as these
# machines reclaim cold page cache (DAMON) between runs.
set -eu
rounds=5
rules=$(dirname "$0")/../../../shared/corpus/rules/et-open-suricata-5.0-2024-04-21
cpu=${BENCH_CPU:-1}
while getopts n:r: opt; do
	case "$opt" in
	n) rounds=$OPTARG ;;
	r) rules=$OPTARG ;;
	*) echo "usage: $0 [-n ROUNDS] [-r RULES] CAPTURE IDSD..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || { echo "usage: $0 [-n ROUNDS] [-r RULES] CAPTURE IDSD..." >&2; exit 2; }
capture=$1
shift
[ -e "$rules" ] || { echo "ab: no rules at $rules (-r RULES)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

r=1
while [ "$r" -le "$rounds" ]; do
	line="round $r:"
	i=0
	for b in "$@"; do
		i=$((i + 1))
		rm -rf "$tmp/log"
		mkdir "$tmp/log"
		# kept to the end: a copy made where the last one was freed tends
		# to get the same pages, and with them the same speed
		cp "$b" "$tmp/bin.$r.$i"
		cat "$capture" >/dev/null	# in the page cache, whatever reclaimed it since
		out=$(taskset -c "$cpu" "$tmp/bin.$r.$i" -r "$capture" -S "$rules" -k none -l "$tmp/log" \
			--set stream.memcap=2gb --set stream.reassembly.memcap=4gb \
			--set flow.memcap=1gb 2>/dev/null)
		s=$(echo "$out" | sed -n 's/^  worker cpu: \([0-9.]*\) s.*/\1/p')
		[ -n "$s" ] || { echo "ab: $b failed on $capture" >&2; exit 1; }
		echo "$s" >>"$tmp/cpu.$i"
		# the main thread's share of the packet phase (binaries that say it)
		m=$(echo "$out" | sed -n 's/^  main cpu while the workers ran: \([0-9.]*\) s/\1/p')
		[ -z "$m" ] || echo "$m" >>"$tmp/main.$i"
		line="$line $s"
	done
	echo "$line"
	r=$((r + 1))
done
i=0
for b in "$@"; do
	i=$((i + 1))
	sort -n "$tmp/cpu.$i" | awk -v b="$b" '{ v[NR] = $1 }
		END { printf "%s: median %.3f s, min %.3f s\n", b, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1] }'
	[ ! -s "$tmp/main.$i" ] || sort -n "$tmp/main.$i" | awk '{ v[NR] = $1 }
		END { printf "  main thread while the workers ran: median %.3f s\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
done
