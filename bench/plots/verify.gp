# Verifications per second side by side, from a two-column file "name<TAB>ops/s":
# gnuplot -e "data='verify.tsv'; png='verify.png'" verify.gp
set datafile separator "\t"
set terminal pngcairo size 900,420 font "sans,10"
set output png
set title "Ed25519: one verification per core, per second (JMH, same run)"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set grid ytics
set key off
set yrange [0:*]
set xtics rotate by -20
plot data using 2:xtic(1) lc rgb "#1f77b4", '' using 0:2:(sprintf("%.0f", $2)) with labels offset 0,0.7
