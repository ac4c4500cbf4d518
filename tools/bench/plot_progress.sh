#!/bin/sh
# SPDX-License-Identifier: MIT
# Issue 12's progress by session (tools/bench/progress.tsv) against Suricata 7's
# reference on this machine type: worker CPU as a ratio to Suricata's (3x is the
# issue's target), and callgrind instructions per workload. Needs gnuplot.
#   tools/bench/plot_progress.sh [OUT.png]    (default tools/bench/progress.png)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/progress.png}
command -v gnuplot >/dev/null || { echo "plot_progress: gnuplot not found (apt install gnuplot-nox)" >&2; exit 2; }
gnuplot <<GP
set terminal pngcairo size 1100,480 font ",10"
set output "$out"
set datafile missing "-"
set multiplot layout 1,2 title "idsd per core against Suricata 7.0.0 (ET Open, one worker, CPU time of the packet threads)"
set xlabel "session (end)"
set ylabel "Suricata 7 CPU / idsd CPU"
set key top left
set grid
set yrange [0:3.6]
set xrange [-0.5:22]
plot "$here/progress.tsv" using 1:(3.41/\$2) with linespoints pt 7 title "bench-http (Suricata 3.41 s)", \
     "" using 1:(0.132/\$3) with linespoints pt 5 title "corpus-mix (Suricata 0.132 s)", \
     3 with lines dt 2 lw 2 title "target: 3x", 1 with lines dt 3 title "parity"
set ylabel "instructions, millions (callgrind, pipeline)"
set yrange [0:1400]
set xrange [13.5:22]
plot "$here/progress.tsv" using 1:4 with linespoints pt 5 title "corpus-mix (56,825 packets)", \
     "" using 1:5 with linespoints pt 7 title "http5k"
unset multiplot
GP
echo "plot_progress: wrote $out"
