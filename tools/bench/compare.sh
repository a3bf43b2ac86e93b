#!/bin/sh
# RoomDeck vs Janus under the same synthetic load, one after the other, in one invocation.
#
#   tools/bench/compare.sh [options]           (as root: it makes a network namespace; see docs/performance.md)
#
# From a built tree (mvn -B -DskipTests install): the server from server/target, the load generator from
# tools/target (the tools module; the server jar carries no client).
#
# Both servers and the load generator run inside a network namespace of this script's own, holding a veth pair
# with 10.254.254.1 on one end (Janus gathers no candidates on loopback alone). Nothing leaves the namespace; it
# is deleted on exit. Each server is started fresh, loaded, measured from /proc and stopped before the next.
#
# Options (environment variables work too, same names):
#   --rooms N --publishers N --subscribers N    load shape per room (default 10 x 1 x 10)
#   --bitrate KBPS --packet-size BYTES --audio  media (default 500 kbps video in 1200-byte packets)
#   --simulcast                                 RoomDeck only (Janus is then not run): each publisher sends three
#                                               simulcast layers (320x180, 640x360, 1280x720; rid q/h/f), the top at
#                                               --bitrate, the lower at 150/1200 and 500/1200 of it
#   --layer-kbps LOW,MID,TOP                    with --simulcast: the layers' rates instead (e.g. 150,500,1500)
#   --layer low|mid|top                         with --simulcast: the layer every receiver asks for by videoSize
#   --meeting                                   meetings, both servers: each room's --publishers people send three
#                                               simulcast layers and receive everyone else, the room's speaker (its
#                                               first person) at the top layer, the others at the lowest; use with
#                                               --subscribers 0 (Janus: its VideoRoom's simulcast, one substream each)
#   --ramp-rooms N                              ramp mode by rooms: one more room after each passing window, up to N
#                                               (default top); the table's rx kbps is per receiving peer
#   --read-pause US                             receivers' read thread rests US between passes (default 0; see
#                                               docs/performance.md: loopback charges receiver wake-ups to the sender)
#   --warmup S --duration S                     settle time and measurement window (default 5 s, 20 s)
#   --ramp STEP                                 ramp mode: add STEP subscribers after each passing window
#   --ramp-max N                                stop the ramp at N subscribers (default 3000)
#   --only roomdeck|janus                       run one target only
#   --janus-event-loops N                       Janus static event loops (default 0: a thread per handle)
#   --roomdeck-jvm "FLAGS"                      extra JVM flags for RoomDeck
#   --roomdeck-args "FLAGS"                     extra server flags for RoomDeck (e.g. "--forwarding-threads 2")
#   --jfr FILE                                  record RoomDeck with JFR (profile settings), dumped at the end
#   --jar DIR                                   folder with roomdeck-server.jar and lib/ (default server/target)
#   --tools DIR                                 folder with roomdeck-tools.jar and lib/ (default tools/target)
#   --server-jar DIR                            run RoomDeck from this folder's jar instead (before/after runs)
#   --out DIR                                   keep logs and results here (default a temp folder)
#   --pin-server CPUS --pin-generator CPUS      taskset CPU lists (e.g. 0 and 1): the server and the generator on
#                                               cores of their own, so the generator's load is not the server's
set -eu

ROOMS=${ROOMS:-10}
PIN_SERVER=${PIN_SERVER:-}
PIN_GENERATOR=${PIN_GENERATOR:-}
PUBLISHERS=${PUBLISHERS:-1}
SUBSCRIBERS=${SUBSCRIBERS:-10}
BITRATE=${BITRATE:-500}
PACKET_SIZE=${PACKET_SIZE:-1200}
AUDIO=${AUDIO:-}
READ_PAUSE=${READ_PAUSE:-0}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-20}
RAMP=${RAMP:-0}
RAMP_MAX=${RAMP_MAX:-3000}
ONLY=${ONLY:-}
JANUS_EVENT_LOOPS=${JANUS_EVENT_LOOPS:-0}
ROOMDECK_JVM=${ROOMDECK_JVM:-}
JFR=${JFR:-}
JAR_DIR=${JAR_DIR:-}
TOOLS_DIR=${TOOLS_DIR:-}
SERVER_JAR_DIR=${SERVER_JAR_DIR:-}
ROOMDECK_ARGS=${ROOMDECK_ARGS:-}
OUT=${OUT:-}
SIMULCAST=${SIMULCAST:-}
LAYER_KBPS=${LAYER_KBPS:-}
LAYER=${LAYER:-top}
MEETING=${MEETING:-}
RAMP_ROOMS=${RAMP_ROOMS:-0}

while [ $# -gt 0 ]; do
    case "$1" in
        --rooms) ROOMS=$2; shift ;;
        --publishers) PUBLISHERS=$2; shift ;;
        --subscribers) SUBSCRIBERS=$2; shift ;;
        --bitrate) BITRATE=$2; shift ;;
        --packet-size) PACKET_SIZE=$2; shift ;;
        --audio) AUDIO=1 ;;
        --simulcast) SIMULCAST=1 ;;
        --meeting) MEETING=1 ;;
        --ramp-rooms) RAMP_ROOMS=$2; shift ;;
        --layer-kbps) LAYER_KBPS=$2; shift ;;
        --layer) LAYER=$2; shift ;;
        --read-pause) READ_PAUSE=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --ramp) RAMP=$2; shift ;;
        --ramp-max) RAMP_MAX=$2; shift ;;
        --only) ONLY=$2; shift ;;
        --janus-event-loops) JANUS_EVENT_LOOPS=$2; shift ;;
        --roomdeck-jvm) ROOMDECK_JVM=$2; shift ;;
        --jfr) JFR=$2; shift ;;
        --jar) JAR_DIR=$2; shift ;;
        --tools) TOOLS_DIR=$2; shift ;;
        --server-jar) SERVER_JAR_DIR=$2; shift ;;
        --roomdeck-args) ROOMDECK_ARGS=$2; shift ;;
        --out) OUT=$2; shift ;;
        --pin-server) PIN_SERVER=$2; shift ;;
        --pin-generator) PIN_GENERATOR=$2; shift ;;
        -h|--help) sed -n '2,41p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

if [ -n "$SIMULCAST" ] && [ "$ONLY" != roomdeck ]; then
    echo "--simulcast: RoomDeck only (the generator drives no Janus simulcast); running RoomDeck only" >&2
    ONLY=roomdeck
fi

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
[ -n "$JAR_DIR" ] || JAR_DIR=$REPO/server/target
[ -n "$TOOLS_DIR" ] || TOOLS_DIR=$REPO/tools/target
[ -n "$OUT" ] || OUT=$(mktemp -d /tmp/rdbench.XXXXXX)
mkdir -p "$OUT"
# Java by its full path: a plain "java ..." command line is what other jobs on a shared machine clean up.
JAVA=${JAVA:-$(readlink -f "$(command -v java)")}
command -v janus >/dev/null || { echo "janus is not installed (apt-get install -y janus)" >&2; exit 1; }
[ -f "$JAR_DIR/roomdeck-server.jar" ] || { echo "no $JAR_DIR/roomdeck-server.jar (mvn -B -DskipTests install)" >&2; exit 1; }
[ -f "$TOOLS_DIR/roomdeck-tools.jar" ] || { echo "no $TOOLS_DIR/roomdeck-tools.jar (mvn -B -DskipTests install)" >&2; exit 1; }

# Private copies of the jars: a rebuild during the run must not pull classes from under a running JVM.
cp "$JAR_DIR/roomdeck-server.jar" "$OUT/server.jar"
cp -r "$JAR_DIR/lib" "$OUT/"
SERVER_JAR=$OUT/server.jar
# The load generator: the tools jar, its lib/ holds the server's jar and test-jar (the Java client) and the rest.
mkdir -p "$OUT/generator"
cp "$TOOLS_DIR/roomdeck-tools.jar" "$OUT/generator/"
cp -r "$TOOLS_DIR/lib" "$OUT/generator/"
if [ -n "$SERVER_JAR_DIR" ]; then
    mkdir -p "$OUT/server-under-test"
    cp "$SERVER_JAR_DIR/roomdeck-server.jar" "$OUT/server-under-test/server.jar"
    cp -r "$SERVER_JAR_DIR/lib" "$OUT/server-under-test/"
    SERVER_JAR=$OUT/server-under-test/server.jar
fi
CP="$OUT/generator/roomdeck-tools.jar:$OUT/generator/lib/*"

# The JVMs take their arguments from files (java @file): on a machine shared with test runs that clean up
# stray servers by command line, a benchmark's processes should not look like one.
argfile() { # file, args...
    f=$1
    shift
    : > "$f"
    for a in "$@"; do printf '"%s"\n' "$(printf '%s' "$a" | sed 's/\\/\\\\/g; s/"/\\"/g')" >> "$f"; done
}

NS=rdbench$$
ADDR=10.254.254.1
SECRET=bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
PIDS=""

cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    sleep 1
    for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$NS" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" sh -c "ip link add v0 type veth peer name v1 && ip addr add $ADDR/32 dev v0 && \
    ip link set v0 up && ip link set v1 up && \
    sysctl -qw net.ipv6.conf.v0.disable_ipv6=1 net.ipv6.conf.v1.disable_ipv6=1"
in_ns() { ip netns exec "$NS" "$@"; }
pin() { [ -z "$1" ] || echo "taskset -c $1"; }

wait_port() { # tcp port inside the namespace
    i=0
    while [ -z "$(in_ns ss -Hltn "src $1:$2")" ]; do
        i=$((i + 1)); [ $i -lt 100 ] || { echo "nothing listens on $1:$2" >&2; return 1; }
        sleep 0.2
    done
}

# ---- Janus config: our own folder, only the VideoRoom plugin and the WebSocket transport ----
janus_config() {
    d=$OUT/janus
    mkdir -p "$d/plugins" "$d/transports"
    ln -sf /usr/lib/x86_64-linux-gnu/janus/plugins/libjanus_videoroom.so "$d/plugins/"
    ln -sf /usr/lib/x86_64-linux-gnu/janus/transports/libjanus_websockets.so "$d/transports/"
    sed -e "s|@DIR@|$d|g" -e "s|@ADDR@|$ADDR|g" -e "s|@LOOPS@|$JANUS_EVENT_LOOPS|g" \
        "$HERE/janus.jcfg.in" > "$d/janus.jcfg"
    cp "$HERE/janus.transport.websockets.jcfg" "$HERE/janus.plugin.videoroom.jcfg" "$d/"
}

# ---- one target: start the server, load it, stop it ----
generator() { # label, target, url, server pid, extra args
    label=$1 target=$2 url=$3 pid=$4
    file=$(echo "$label" | sed 's/^roomdeck/rd/')  # file names, not labels, appear in command lines
    shift 4
    set -- --target "$target" --url "$url" --label "$label" --bind "$ADDR" --server-pid "$pid" \
        --rooms "$ROOMS" --publishers "$PUBLISHERS" --subscribers "$SUBSCRIBERS" --bitrate "$BITRATE" \
        --packet-size "$PACKET_SIZE" --read-pause-us "$READ_PAUSE" --warmup "$WARMUP" --duration "$DURATION" --secret "$SECRET" "$@"
    [ -z "$AUDIO" ] || set -- "$@" --audio
    [ "$RAMP" = 0 ] || set -- "$@" --ramp-step "$RAMP" --ramp-max "$RAMP_MAX"
    [ "$RAMP_ROOMS" = 0 ] || set -- "$@" --ramp-rooms "$RAMP_ROOMS"
    [ -z "$MEETING" ] || set -- "$@" --meeting
    [ -z "$MEETING" ] || [ -z "$LAYER_KBPS" ] || set -- "$@" --layer-kbps "$LAYER_KBPS"
    # The generator's own GC log ($OUT/NAME-generator-gc.log): its pauses would show as the server's delay.
    argfile "$OUT/$file-generator.args" -Xms256m -Xmx1g -XX:+UseParallelGC -Xlog:gc:file="$OUT/$file-generator-gc.log":uptime -cp "$CP" dev.roomdeck.load.LoadGenerator "$@"
    # shellcheck disable=SC2086 # the pin is a command prefix or nothing
    in_ns $(pin "$PIN_GENERATOR") "$JAVA" @"$OUT/$file-generator.args" 2> "$OUT/$file-generator.err" | tee "$OUT/$file-generator.out"
}

run_roomdeck() {
    jfr_probe=""
    # The server's own delay (socket to end of processing, its /metrics histogram) over the window: read at its
    # start and at its end, printed as PROBE PATHDELAY lines.
    delay_read="curl -s http://127.0.0.1:7090/metrics | grep '^roomdeck_media_path_delay_seconds_bucket'"
    on_window="$delay_read > $OUT/pathdelay-start.txt"
    delay_probe="$delay_read > $OUT/pathdelay-end.txt && sh $HERE/pathdelay.sh $OUT/pathdelay-start.txt $OUT/pathdelay-end.txt && "
    if [ -n "$JFR" ]; then  # steady state only: recorded from the window's start to the end
        on_window="$on_window; jcmd {pid} JFR.start name=bench settings=profile"
        jfr_probe="jcmd {pid} JFR.dump name=bench filename=$JFR >/dev/null && "
    fi
    set -- --on-window "$on_window"
    # The packaged launcher's JVM options (installer/common.sh), then any of --roomdeck-jvm.
    # shellcheck disable=SC2086 # ROOMDECK_JVM and ROOMDECK_ARGS are lists of flags
    argfile "$OUT/server.args" -Xmx512m -XX:MaxNewSize=48m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40 -XX:G1PeriodicGCInterval=60000 \
        $ROOMDECK_JVM -jar "$SERVER_JAR" --bind "$ADDR" --http-port 7080 \
        --media-port 10000 --data-dir "$OUT/rd-data" --appkey "bench=$SECRET" --max-peers-per-room 2000 \
        --max-rooms 200 $ROOMDECK_ARGS
    # shellcheck disable=SC2086 # the pin is a command prefix or nothing
    ip netns exec "$NS" $(pin "$PIN_SERVER") "$JAVA" @"$OUT/server.args" > "$OUT/rd-server.log" 2>&1 &
    pid=$!  # ip netns exec and taskset exec the command: this is the server's own pid
    PIDS="$PIDS $pid"
    wait_port "$ADDR" 7080
    # With every peer still connected: the heap in use after a full collection (what the peers really hold).
    [ -z "$SIMULCAST" ] || set -- "$@" --simulcast --layer "$LAYER"
    [ -z "$SIMULCAST" ] || [ -z "$LAYER_KBPS" ] || set -- "$@" --layer-kbps "$LAYER_KBPS"
    generator roomdeck roomdeck "ws://$ADDR:7080/ws" "$pid" "$@" \
        --probe "${delay_probe}${jfr_probe}jcmd {pid} GC.run >/dev/null && jcmd {pid} GC.heap_info | sed -n 2,3p"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_janus() {
    janus_config
    # shellcheck disable=SC2086 # the pin is a command prefix or nothing
    ip netns exec "$NS" $(pin "$PIN_SERVER") janus -C "$OUT/janus/janus.jcfg" -F "$OUT/janus" -o > "$OUT/janus.log" 2>&1 &
    pid=$!  # ip netns exec and taskset exec the command: this is the server's own pid
    PIDS="$PIDS $pid"
    wait_port 127.0.0.1 8188
    generator janus janus "ws://127.0.0.1:8188/" "$pid"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "load: $ROOMS rooms x ($PUBLISHERS publishers + $SUBSCRIBERS subscribers), video ${BITRATE} kbps in ${PACKET_SIZE}-byte packets${AUDIO:+ + audio}${SIMULCAST:+, simulcast ${LAYER_KBPS:-scaled} receiving $LAYER}${MEETING:+, meetings: simulcast ${LAYER_KBPS:-scaled}, the speaker at the top layer, the rest at the lowest}$([ "$RAMP_ROOMS" = 0 ] || echo ", up to $RAMP_ROOMS rooms"); logs in $OUT"
[ "$ONLY" = janus ] || run_roomdeck
[ "$ONLY" = roomdeck ] || run_janus
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the comparison ----
awk -v ramp="$RAMP" '
    function field(line, key,    n, i, kv) {
        n = split(line, kv, " ")
        for (i = 1; i <= n; i++) if (index(kv[i], key "=") == 1) return substr(kv[i], length(key) + 2)
        return ""
    }
    /^RESULT / { label = field($0, "label"); last[label] = $0; if (!(label in seen)) { seen[label] = 1; order[++n] = label } }
    /^RAMP / { rampmax[field($0, "label")] = field($0, "max_subscribers"); rampstreams[field($0, "label")] = field($0, "max_streams")
               maxrooms[field($0, "label")] = field($0, "max_rooms") }
    END {
        printf "\n%-10s %6s %7s %10s %9s %8s %8s %11s %9s %9s %9s %8s %14s\n", "server", "subs", "streams", "fwd pkt/s", "loss",
            "p50 ms", "p99 ms", "cpu us/pkt", "srv cpu", "srv rss", "gen cpu", "rx kbps", "srv GCs (pause)"
        for (i = 1; i <= n; i++) {
            l = last[order[i]]
            gc = field(l, "server_gc_young") == "-" || field(l, "server_gc_young") == "" ? "-" : \
                sprintf("%d (%d ms)", field(l, "server_gc_young") + field(l, "server_gc_full"), field(l, "server_gc_young_ms") + field(l, "server_gc_full_ms"))
            printf "%-10s %6s %7s %10s %8.3f%% %8.2f %8.2f %11.2f %8.1f%% %5.0f MiB %8.1f%% %8s %14s\n", order[i],
                field(l, "subscribers"), field(l, "streams"), field(l, "fwd_pps"), field(l, "loss_pct"),
                field(l, "p50_us") / 1000, field(l, "p99_us") / 1000, field(l, "server_cpu_us_per_pkt"),
                field(l, "server_cpu_pct"), field(l, "server_rss_mib"), field(l, "gen_cpu_pct"),
                field(l, "rx_kbps_per_receiver"), gc
        }
        if (("roomdeck" in last) && ("janus" in last) && ramp == 0) {
            r = last["roomdeck"]; j = last["janus"]
            printf "\nRoomDeck/Janus: cpu per packet %.2f, p50 %.2f, p99 %.2f, rss %.2f\n",
                field(r, "server_cpu_us_per_pkt") / field(j, "server_cpu_us_per_pkt"),
                field(r, "p50_us") / field(j, "p50_us"), field(r, "p99_us") / field(j, "p99_us"),
                field(r, "server_rss_mib") / field(j, "server_rss_mib")
        }
        for (i = 1; i <= n; i++) if (maxrooms[order[i]] != "")
            printf "ramp %-10s holds %s rooms (%s streams) at < 0.5%% loss and p99 < 5 ms\n", order[i], maxrooms[order[i]], rampstreams[order[i]]
        if (ramp > 0) {
            for (i = 1; i <= n; i++) printf "ramp %-10s holds %s subscribers (%s streams) at < 0.5%% loss and p99 < 5 ms\n",
                order[i], rampmax[order[i]], rampstreams[order[i]]
            if (("roomdeck" in rampmax) && ("janus" in rampmax) && rampmax["janus"] > 0)
                printf "RoomDeck/Janus: subscribers held %.2f\n", rampmax["roomdeck"] / rampmax["janus"]
        }
    }' $(for f in "$OUT/rd-generator.out" "$OUT/janus-generator.out"; do [ ! -f "$f" ] || echo "$f"; done) \
    | tee "$OUT/summary.txt"
