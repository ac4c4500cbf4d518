#!/bin/sh
# SPDX-License-Identifier: MIT
# Throughput per rule set and traffic kind: runs ids-bench over the matrix
# (traffic: corpus mix, HTTP flows, IMIX, 64-byte, 1M-flow stress; rules:
# none, small, ET Open), writes every JSON line to OUT/results.jsonl, a table
# to OUT/results.tsv and, with gnuplot, OUT/throughput.png.
#   tools/bench/plot.sh BUILD/tools/bench/ids-bench [OUT]
# Environment: SECONDS_PER_MODE (default 2), CORPUS (../shared/corpus, from
# the source root), ET (the ET Open folder), KINDS and RULESETS to narrow.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=${1:?usage: plot.sh IDS_BENCH [OUT]}
out=${2:-bench-out}
secs=${SECONDS_PER_MODE:-2}
corpus=${CORPUS:-$root/../shared/corpus}
et=${ET:-$corpus/rules/et-open-suricata-5.0-2024-04-21}
kinds=${KINDS:-"corpus http imix 64 stress"}
rulesets=${RULESETS:-"none small et"}

mkdir -p "$out"
: >"$out/results.jsonl"
printf 'traffic\trules\trx_pps\tdecode_pps\tfull_pps\tfull_gbps\ths_ceiling_gbps\tfull_over_rx\tfull_over_hs\n' \
	>"$out/results.tsv"

traffic_args() {
	case $1 in
	corpus)
		if [ ! -d "$corpus/pcaps" ]; then
			echo "plot.sh: $corpus/pcaps not found (../shared absent?): corpus skipped" >&2
			return 1
		fi
		echo "-r $corpus/pcaps/zeek -r $corpus/pcaps/chrissanders-packets" ;;
	http) echo "-g http:50000" ;;
	imix) echo "-g imix:1000000" ;;
	64) echo "-g 64:1000000" ;;
	stress) echo "-g stress:1048576" ;;
	*) echo "plot.sh: unknown traffic kind $1" >&2; return 1 ;;
	esac
}

rule_args() {
	case $1 in
	none) echo "-S none" ;;
	small) echo "-S $here/small.rules" ;;
	et)
		if [ ! -d "$et" ]; then
			echo "plot.sh: $et not found (../shared absent?): ET Open skipped" >&2
			return 1
		fi
		echo "-S $et" ;;
	*) echo "plot.sh: unknown rule set $1" >&2; return 1 ;;
	esac
}

for k in $kinds; do
	targs=$(traffic_args "$k") || continue
	for r in $rulesets; do
		rargs=$(rule_args "$r") || continue
		echo "== $k / $r" >&2
		# shellcheck disable=SC2086
		line=$("$bench" $targs $rargs --seconds "$secs" --warmup 0.5 --json --no-progress |
			tail -n 1)
		echo "$line" >>"$out/results.jsonl"
		python3 - "$k" "$r" "$line" >>"$out/results.tsv" <<'PY'
import json, sys
k, r, f = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
print("\t".join([k, r, "%.0f" % f["rx_pps"], "%.0f" % f["decode_pps"], "%.0f" % f["full_pps"],
                 "%.3f" % (f["full_bps"] / 1e9), "%.3f" % (f["hs_ceiling_bps"] / 1e9),
                 "%.3f" % f["full_over_rx"], "%.3f" % f["full_over_hs"]]))
PY
	done
done
column -t -s "$(printf '\t')" "$out/results.tsv" 2>/dev/null || cat "$out/results.tsv"

if ! command -v gnuplot >/dev/null 2>&1; then
	echo "plot.sh: gnuplot not installed (tools/setup-deps.sh installs gnuplot-nox): no PNG" >&2
	exit 0
fi
# one cluster per traffic kind, one bar per rule set: full-pipeline Gbit/s per core
python3 - "$out/results.tsv" >"$out/plot.dat" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
kinds = list(dict.fromkeys(r[0] for r in rows))
sets = list(dict.fromkeys(r[1] for r in rows))
val = {(r[0], r[1]): r[5] for r in rows}
print("kind\t" + "\t".join(sets))
for k in kinds:
    print(k + "\t" + "\t".join(val.get((k, s), "NaN") for s in sets))
PY
ncols=$(head -n 1 "$out/plot.dat" | awk -F '\t' '{print NF}')
gnuplot <<EOF
set terminal pngcairo size 1000,600 noenhanced
set output "$out/throughput.png"
set title "ids-bench: full pipeline, Gbit/s per worker core"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "Gbit/s per core"
set key top right
set grid ytics
set yrange [0:*]
plot for [c=2:$ncols] "$out/plot.dat" using c:xtic(1) title columnheader(c)
EOF
echo "plot.sh: $out/throughput.png" >&2
