# Server CPU per request of each target, from bench/peers.sh's CSV:
# gnuplot -e "csv='peers.csv'; png='peers.png'" peers.gp
set datafile separator ","
set terminal pngcairo size 1000,460 font "sans,10"
set output png
set title "Server CPU per request at peak: Signet and the peers (bench/peers.sh, same run, same tokens)"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set grid ytics
set key off
set ylabel "µs per request (all threads)"
set yrange [0:*]
set xtics rotate by -25
plot csv skip 1 using 4:xtic(stringcolumn(1)." (".stringcolumn(2).")") lc rgb "#1f77b4", \
     '' skip 1 using 0:4:(sprintf("%.0f", $4)) with labels offset 0,0.7
