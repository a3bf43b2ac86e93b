#!/usr/bin/env bash
# Screenshot of the real console window under Xvfb, with live peers publishing real media (ConsoleDemo:
# Java clients with ICE, DTLS and SRTP sending paced RTP, so bitrates and the chart are live).
#   needs: apt-get install xvfb xauth imagemagick; a built tree (mvn -B -q -DskipTests install)
#   usage: gui/screenshot.sh [out.png]      (default docs/console.png)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/console.png}
for tool in Xvfb import java; do
    command -v "$tool" >/dev/null || { echo "screenshot.sh: $tool is missing (apt-get install xvfb xauth imagemagick)" >&2; exit 2; }
done
if [[ ! -f gui/target/roomdeck-console.jar || ! -d gui/target/test-classes ]]; then
    echo "screenshot.sh: build first: mvn -B -q -DskipTests install" >&2
    exit 2
fi
# The console jar's manifest brings its libraries (gui/target/lib); the demo lives in the test classes.
cp="gui/target/test-classes:gui/target/roomdeck-console.jar"
display=":${SCREENSHOT_DISPLAY:-97}"
log=$(mktemp)
Xvfb "$display" -screen 0 1280x820x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
demo=""
trap 'kill $demo $xvfb 2>/dev/null || true; rm -f "$log"' EXIT
sleep 1
DISPLAY=$display java -Dprism.order=sw -cp "$cp" dev.roomdeck.console.ConsoleDemo 60 >"$log" 2>&1 &
demo=$!
for _ in $(seq 1 180); do   # joining, ICE/DTLS and ~40 s of media for the chart
    grep -q READY "$log" && break
    kill -0 "$demo" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
done
grep -q READY "$log" || { echo "screenshot.sh: the demo did not get ready" >&2; cat "$log" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
# On a busy machine the first software-rendered frame can come seconds after READY: wait for a non-blank screen.
for _ in $(seq 1 30); do
    DISPLAY=$display import -window root "$out"
    spread=$(convert "$out" -format '%[fx:standard_deviation]' info:)
    awk -v s="$spread" 'BEGIN { exit !(s > 0.05) }' && { echo "screenshot.sh: wrote $out"; exit 0; }
    sleep 1
done
echo "screenshot.sh: the window stayed blank" >&2
exit 1
