# The soak run over time, from bench/soak.sh's CSV: gnuplot -e "csv='soak.csv'; png='soak.png'" soak.gp
set datafile separator ","
set terminal pngcairo size 1100,760 font "sans,10"
set output png
set multiplot layout 2,2 title "signet serve soak: GET /me at peak, then paced at 70% of it (last samples), a fresh token per request"
set key off
set grid
set xlabel "seconds"
set title "requests/s"
plot csv using 1:2 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#1f77b4"
set title "p99 latency (ms): at wrk, and of the server's verification"
set key top left
set logscale y
plot csv using 1:3 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#d62728" title "wrk (queue and waits for a core included)", \
     csv using 1:8 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#8c564b" title "server: verification", \
     10 with lines dt 2 lc rgb "#7f7f7f" title "10 ms (wrk, at 70%)", \
     2 with lines dt 3 lc rgb "#8c564b" title "2 ms (server, at peak)"
unset logscale y
set title "process RSS and old generation after GC (MB)"
plot csv using 1:5 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#2ca02c" title "RSS", \
     csv using 1:6 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#9467bd" title "old gen"
set key off
set title "replay store: token ids held"
plot csv using 1:7 skip 1 with linespoints pt 7 ps 0.5 lc rgb "#ff7f0e"
unset multiplot
