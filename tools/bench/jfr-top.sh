#!/bin/sh
# Summaries of a JFR recording: where the CPU samples fall (self and inclusive, by method), by thread name,
# and what allocates. Usage: tools/bench/jfr-top.sh FILE.jfr [lines]
set -eu
F=$1
N=${2:-30}
summarise() { # event name, header
    jfr print --stack-depth 64 --events "$1" "$F" | awk -v n="$N" -v title="$2" '
        /^[a-zA-Z.]+ \{/ { inside = 1; depth = 0; delete seen; weight = 1; next }
        inside && /stackTrace = \[/ { stack = 1; next }
        inside && /weight = / { w = $3; gsub(/[^0-9.]/, "", w); unit = $4; if (unit ~ /kB/) w *= 1024; if (unit ~ /MB/) w *= 1048576; weight = w }
        inside && /sampledThread = / { t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); gsub(/[0-9]+/, "N", t); threads[t] += 1 }
        stack && /^[ \t]+\]/ { stack = 0; next }
        stack { f = $1; sub(/\(.*/, "", f); depth++; if (depth == 1) top = f; if (!(f in seen)) { seen[f] = 1; pending[f] = 1 }; next }
        inside && /^\}/ {
            inside = 0; total += weight; self[top] += weight
            for (f in pending) incl[f] += weight
            delete pending
        }
        END {
            printf "== %s: %d events\n", title, total
            printf "-- self\n"; for (f in self) printf "%6.2f%% %s\n", 100 * self[f] / total, f | "sort -rn | head -" n; close("sort -rn | head -" n)
            printf "-- inclusive\n"; for (f in incl) printf "%6.2f%% %s\n", 100 * incl[f] / total, f | "sort -rn | head -" n; close("sort -rn | head -" n)
            if (length(threads) > 0) { printf "-- threads\n"; for (t in threads) printf "%6.2f%% %s\n", 100 * threads[t] / total, t | "sort -rn | head -15"; close("sort -rn | head -15") }
        }'
}
summarise jdk.ExecutionSample "CPU samples"
summarise jdk.ObjectAllocationSample "allocation samples (weighted by bytes)"
