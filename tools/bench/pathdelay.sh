#!/bin/sh
# The server's packet-path delay over a window, from two readings of its /metrics histogram
# (roomdeck_media_path_delay_seconds_bucket lines, cumulative): what share stayed under which bound.
# Usage: tools/bench/pathdelay.sh START END
awk '
    { le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le); v = $2 + 0 }
    FNR == NR { start[le] = v; next }
    { bound[++n] = le; diff[n] = v - start[le] }
    END {
        total = diff[n]
        if (total <= 0) { print "PATHDELAY no datagrams in the window"; exit }
        split("0.5 0.99 0.999", qs, " ")
        line = sprintf("PATHDELAY %d datagrams:", total)
        for (k = 1; k <= 3; k++) {
            for (i = 1; i <= n; i++) if (diff[i] >= qs[k] * total) break
            b = bound[i]; shown = (b == "+Inf") ? "above the last bound" : sprintf("<= %.3g ms", b * 1000)
            line = line sprintf(" p%s %s,", qs[k] * 100, shown)
        }
        print substr(line, 1, length(line) - 1)
    }' "$1" "$2"
