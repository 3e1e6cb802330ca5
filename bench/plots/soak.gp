# The soak run over time, from bench/soak.sh's CSV: gnuplot -e "csv='soak.csv'; png='soak.png'" soak.gp
set datafile separator ","
set terminal pngcairo size 1100,760 font "sans,10"
set output png
set multiplot layout 2,2 title "signet serve soak: GET /me at peak, a fresh token per request"
set key off
set grid
set xlabel "seconds"
set title "requests/s"
plot csv using 1:2 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#1f77b4"
set title "p99 latency (ms)"
plot csv using 1:3 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#d62728"
set title "process RSS and old generation after GC (MB)"
set key top left
plot csv using 1:5 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#2ca02c" title "RSS", \
     csv using 1:6 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#9467bd" title "old gen"
set key off
set title "replay store: token ids held"
plot csv using 1:7 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#ff7f0e"
unset multiplot
