package dev.roomdeck.load;

import dev.roomdeck.media.DtlsCertificate;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Loads a WebRTC SFU with synthetic media over real ICE, DTLS and SRTP: R rooms of P publishers and S subscribers,
 * video at a chosen bitrate and packet size (and audio if asked), every payload stamped with its stream, its
 * measurement window and its send time. Receivers count per stream what a window delivered (loss is exact) and
 * the forwarding delay (send to receive in this JVM, so one clock). Prints a progress line a second and a summary;
 * {@code --ramp-step} adds subscribers step by step until loss or delay exceed their limits.
 *
 * <pre>java -cp roomdeck-server.jar:lib/* dev.roomdeck.load.LoadGenerator --target roomdeck --rooms 10 --subscribers 50</pre>
 */
@Command(name = "roomdeck-load", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = "Synthetic WebRTC load for RoomDeck or Janus (VideoRoom); figures per measurement window.")
public final class LoadGenerator implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--target", description = "roomdeck or janus. Default: roomdeck.")
    String target = "roomdeck";
    @Option(names = "--url", description = "Signalling WebSocket. Default: ws://127.0.0.1:7080/ws (roomdeck), "
            + "ws://127.0.0.1:8188/ (janus).")
    String url;
    @Option(names = "--appkey", description = "RoomDeck appkey the tokens are minted for. Default: bench.")
    String appkey = "bench";
    @Option(names = "--secret", description = "The appkey's HS256 secret (as given to the server's --appkey).")
    String secret = System.getenv().getOrDefault("ROOMDECK_BENCH_SECRET", "");
    @Option(names = "--bind", description = "Local address of the generator's media sockets. Default: 127.0.0.1.")
    String bind = "127.0.0.1";
    @Option(names = "--rooms", description = "Rooms. Default: 1.")
    int rooms = 1;
    @Option(names = "--publishers", description = "Publishers per room. Default: 1.")
    int publishers = 1;
    @Option(names = "--subscribers", description = "Subscribers per room (receive only). Default: 10.")
    int subscribers = 10;
    @Option(names = "--bitrate", description = "Video bitrate per publisher in kbps. Default: 500.")
    int bitrateKbps = 500;
    @Option(names = "--packet-size", description = "Video RTP packet size in bytes (header included). Default: 1200.")
    int packetSize = 1200;
    @Option(names = "--audio", description = "Also send Opus-sized audio (50 packets/s of 112 bytes).")
    boolean audio;
    @Option(names = "--warmup", description = "Seconds of load before the measurement window. Default: 5.")
    double warmupSeconds = 5;
    @Option(names = "--duration", description = "Seconds of the measurement window. Default: 20.")
    double durationSeconds = 20;
    @Option(names = "--join-parallel", description = "Peers connecting at once. Default: 4.")
    int joinParallel = 4;
    @Option(names = "--server-pid", description = "Process id of the server, for its CPU time and memory.")
    long serverPid = -1;
    @Option(names = "--probe", description = "Shell command run at the end (peers still connected); {pid} is the "
            + "server's process id. Its output is printed with a PROBE prefix (e.g. jcmd {pid} GC.heap_info).")
    String probe;
    @Option(names = "--on-window", description = "Shell command started when the (first) measurement window opens; "
            + "{pid} is the server's process id (e.g. jcmd {pid} JFR.start).")
    String onWindow;
    @Option(names = "--label", description = "Name of the run in the output. Default: the target.")
    String label;
    @Option(names = "--ramp-step", description = "Ramp mode: subscribers added (over all rooms) after each window.")
    int rampStep = 0;
    @Option(names = "--ramp-max", description = "Ramp mode: stop at this many subscribers in all. Default: 3000.")
    int rampMax = 3000;
    @Option(names = "--loss-limit", description = "Ramp pass limit on loss, percent. Default: 0.5.")
    double lossLimitPercent = 0.5;
    @Option(names = "--p99-limit", description = "Ramp pass limit on p99 delay, ms. Default: 5.")
    double p99LimitMillis = 5;

    @Option(names = "--simulcast", description = "RoomDeck only: every publisher sends its video as three simulcast "
            + "layers (rid q/h/f, 320x180, 640x360, 1280x720), the top at --bitrate, the others at 150/1200 and "
            + "500/1200 of it unless --layer-kbps says.")
    boolean simulcast;
    @Option(names = "--layer-kbps", split = ",", description = "With --simulcast: the three layers' bitrates in kbps, "
            + "lowest first (e.g. 150,500,1500); overrides --bitrate.")
    int[] layerKbps;
    @Option(names = "--layer", description = "With --simulcast: the layer every receiver asks for (videoSize of its "
            + "size): low, mid or top. Default: top.")
    String layer = "top";

    @Option(names = "--meeting", description = "Meetings: every room's publishers (--publishers people) send three "
            + "simulcast layers and receive everyone else, the room's speaker (its first person) at the top layer and "
            + "the others at the lowest (small tiles). Implies --simulcast; --layer is not used.")
    boolean meeting;
    @Option(names = "--ramp-rooms", description = "Ramp mode by rooms: after each passing window one more room "
            + "(of --publishers people) joins, up to this many rooms.")
    int rampRooms;

    @Option(names = "--read-pause-us", description = "Receivers' read thread rests this long between passes "
            + "(batches wake-ups the kernel would otherwise charge to the server on loopback). Default: 0.")
    long readPauseMicros;

    /** Simulcast layers' sizes, lowest first (a 720p camera at scale 4, 2, 1): what videoSize is matched against. */
    static final int[][] LAYER_SIZES = {{320, 180}, {640, 360}, {1280, 720}};

    private final PrintStream out = System.out;
    /** Video streams per publisher: 1, or one per simulcast layer. */
    private int videoStreams = 1;
    /** The simulcast layer receivers ask for. */
    private int askedLayer = 2;
    private LoadCounters tally;
    private Target server;
    private Pacer pacer;
    private final List<LoadPeer> peers = new ArrayList<>();
    private int subscriberCount;
    private int nextSubscriber;
    private int joinFailures;

    public static void main(String[] args) {
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        int code = new picocli.CommandLine(new LoadGenerator()).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (label == null) {
            label = target;
        }
        dev.roomdeck.media.ClientTransport.setReadPause(readPauseMicros * 1000);
        simulcast |= meeting;
        if (simulcast) {
            if (layerKbps == null) {
                layerKbps = new int[] {Math.round(bitrateKbps * 150 / 1200f), Math.round(bitrateKbps * 500 / 1200f),
                        bitrateKbps};
            }
            if (layerKbps.length != LAYER_SIZES.length) {
                throw new IllegalArgumentException("--layer-kbps needs " + LAYER_SIZES.length + " rates");
            }
            askedLayer = switch (layer) {
                case "low" -> 0;
                case "mid" -> 1;
                case "top" -> 2;
                default -> throw new IllegalArgumentException("--layer must be low, mid or top");
            };
        }
        videoStreams = simulcast ? LAYER_SIZES.length : 1;
        tally = new LoadCounters(Math.max(rooms, rampRooms) * publishers * (videoStreams + (audio ? 1 : 0)));
        InetAddress bindAddress = InetAddress.getByName(bind);
        DtlsCertificate cert = DtlsCertificate.generate();
        server = switch (target) {
            case "roomdeck" -> {
                if (secret.length() < 32) {
                    throw new IllegalArgumentException("--secret (or ROOMDECK_BENCH_SECRET) must be the appkey's secret");
                }
                int streamKbps = simulcast ? java.util.Arrays.stream(layerKbps).sum() : bitrateKbps;
                yield new RoomDeckTarget(URI.create(url != null ? url : "ws://127.0.0.1:7080/ws"), appkey, secret,
                        bindAddress, cert, streamKbps, tally);
            }
            case "janus" -> new JanusTarget(URI.create(url != null ? url : "ws://127.0.0.1:8188/"), bindAddress, cert,
                    publishers, bitrateKbps, tally);
            default -> throw new IllegalArgumentException("--target must be roomdeck or janus");
        };
        pacer = new Pacer(tally);
        long setupStart = System.nanoTime();
        try {
            connectPublishers();
            addSubscribers(subscribers * rooms);
            out.printf("%s: %d peers connected in %.1f s (%d rooms x %d publishers + %d subscribers)%n", label,
                    peers.size(), (System.nanoTime() - setupStart) / 1e9, rooms, publishers, subscriberCount);
            List<Row> rows = rampRooms > 0 ? ramp("rooms", () -> rooms, rampRooms, () -> connectRoom(rooms++))
                    : rampStep > 0 ? ramp("subscribers", () -> subscriberCount, rampMax,
                            () -> addSubscribers(Math.min(rampStep, rampMax - subscriberCount)))
                    : List.of(measure(1, warmupSeconds));
            printSummary(rows);
            if (Boolean.getBoolean("load.debug")) {
                for (LoadPeer p : peers) {
                    System.err.println("peer " + p.name + " " + p.transport.state() + " " + p.transport.counters());
                }
            }
            runProbe();
            return 0;
        } finally {
            pacer.close();
            for (LoadPeer p : peers) {
                p.close();
            }
            server.close();
        }
    }

    // ---- set-up ----

    /** Stream index of a publisher's video (simulcast: of one layer; else layer 0) or audio. */
    private int stream(int room, int publisher, boolean audioStream, int videoLayer) {
        int base = (room * publishers + publisher) * (videoStreams + (audio ? 1 : 0));
        return audioStream ? base + videoStreams : base + videoLayer;
    }

    private int stream(int room, int publisher, boolean audioStream) {
        return stream(room, publisher, audioStream, 0);
    }

    /** The streams of a room's publishers a receiver gets (of simulcast video: the layer asked for), except one's own. */
    private int[] roomStreams(int room, int except) {
        List<Integer> s = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            if (p != except) {
                s.add(stream(room, p, false, simulcast ? layerAskedOf(p) : 0));
                if (audio) {
                    s.add(stream(room, p, true));
                }
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    private void connectPublishers() throws Exception {
        for (int room = 0; room < rooms; room++) {
            connectRoom(room);
        }
    }

    /** Connects one room's publishers; once all are in, each receiver asks for its layer of the others. */
    private void connectRoom(int room) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<LoadPeer> publisherPeers = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            List<Source> sources = new ArrayList<>();
            if (audio) {
                sources.add(Source.audio(stream(room, p, true), r.nextLong(1, 0xFFFFFFFFL)));
            }
            if (simulcast) {
                for (int l = 0; l < LAYER_SIZES.length; l++) {
                    sources.add(Source.layer(stream(room, p, false, l), r.nextLong(1, 0xFFFFFFFFL), layerKbps[l],
                            packetSize, l, Sdp.VIDEO_MID, Sdp.RIDS.get(l), LAYER_SIZES[l][0], LAYER_SIZES[l][1]));
                }
            } else {
                sources.add(Source.video(stream(room, p, false), r.nextLong(1, 0xFFFFFFFFL), bitrateKbps,
                        packetSize));
            }
            int[] receives = server.publishersReceiveEachOther() ? roomStreams(room, p) : new int[0];
            LoadPeer peer = server.publisher(room, "pub" + room + "x" + p, sources, receives);
            register(peer);
            publisherPeers.add(peer);
            for (Source s : sources) {
                pacer.add(s, peer.transport);
            }
        }
        List<LoadPeer> receivers = publisherPeers;
        if (!server.publishersReceiveEachOther() && publishers > 1) {
            receivers = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                LoadPeer rx = server.subscriber(room, "pub" + room + "x" + p + "-rx", roomStreams(room, p));
                register(rx);
                receivers.add(rx);
            }
        }
        if (simulcast) { // every publisher is in now: each asks for its layer of the others
            for (int p = 0; p < receivers.size(); p++) {
                askLayer(receivers.get(p), room, p);
            }
        }
    }

    /** The layer receivers ask for of publisher {@code p}'s video: in a meeting the speaker's top, else the small. */
    private int layerAskedOf(int p) {
        return !meeting ? askedLayer : p == 0 ? LAYER_SIZES.length - 1 : 0;
    }

    /** Connects n more subscribers, spread over the rooms in turn, a few at a time. */
    private void addSubscribers(int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, joinParallel));
        try {
            List<Future<LoadPeer>> joins = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = nextSubscriber++;
                int room = index % rooms;
                joins.add(pool.submit(() -> server.subscriber(room, "sub" + room + "x" + index / rooms,
                        roomStreams(room, -1))));
            }
            int failed = 0;
            for (int i = 0; i < joins.size(); i++) {
                try {
                    LoadPeer peer = joins.get(i).get();
                    register(peer);
                    subscriberCount++;
                    if (simulcast) {
                        askLayer(peer, (nextSubscriber - n + i) % rooms, -1);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // A busy server may let one handshake of hundreds run out of time: note it, go on without it.
                    failed++;
                    joinFailures++;
                    System.err.println("subscriber not connected: " + e.getCause());
                }
            }
            if (failed > 0) {
                out.printf("%s: %d of %d subscribers could not connect (see the log)%n", label, failed, n);
            }
            if (failed == n && n > 0) {
                throw new IllegalStateException("no subscriber could connect");
            }
        } finally {
            pool.shutdown();
        }
    }

    /** videoSize of the asked layer's size (see {@link #layerAskedOf}) for every publisher of the room but {@code except}. */
    private void askLayer(LoadPeer peer, int room, int except) {
        for (int p = 0; p < publishers; p++) {
            if (p != except) {
                int l = layerAskedOf(p);
                server.videoSize(peer, "pub" + room + "x" + p, LAYER_SIZES[l][0], LAYER_SIZES[l][1]);
            }
        }
    }

    private void register(LoadPeer peer) {
        peers.add(peer);
        tally.peers.add(peer);
    }

    // ---- measuring ----

    /** One measurement row: the window's delivery and delay, and both processes' CPU over it. */
    record Row(String label, int subscribers, int receivingStreams, double seconds, LoadCounters.WindowResult result,
               double serverCpuSeconds, double serverSystemSeconds, double serverRssMiB, double generatorCpuSeconds,
               long receivedBytes, int receivers, ProcessStats.GcCount serverGc) {
        /** What one receiving peer got on average, kbit/s of RTP (headers included, SRTP and UDP not). */
        double receiveKbpsPerReceiver() {
            return receivers == 0 ? 0 : receivedBytes * 8 / seconds / 1000 / receivers;
        }

        double forwardedPerSecond() {
            return result.received() / seconds;
        }

        double serverMicrosPerPacket() {
            return result.received() == 0 ? Double.NaN : serverCpuSeconds * 1e6 / result.received();
        }

        boolean passes(double lossLimitPercent, double p99LimitMillis) {
            return result.received() > 0 && result.loss() * 100 < lossLimitPercent
                    && result.p99() < p99LimitMillis * 1000 && result.silentStreams() == 0;
        }
    }

    private Row measure(int window, double settleSeconds) throws Exception {
        progress(settleSeconds, "settle");
        double serverCpu0 = serverPid > 0 ? ProcessStats.cpuSeconds(serverPid) : Double.NaN;
        double selfCpu0 = ProcessStats.cpuSeconds(ProcessStats.self());
        double serverSys0 = serverPid > 0 ? ProcessStats.systemSeconds(serverPid) : Double.NaN;
        ProcessStats.GcCount gc0 = serverPid > 0 ? ProcessStats.gc(serverPid) : null;
        if (onWindow != null && window == 1) {
            new ProcessBuilder("sh", "-c", onWindow.replace("{pid}", Long.toString(serverPid)))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
        long t0 = System.nanoTime();
        tally.openWindow(window);
        progress(durationSeconds, "window " + window);
        tally.closeWindow();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double serverCpu = serverPid > 0 ? ProcessStats.cpuSeconds(serverPid) - serverCpu0 : Double.NaN;
        double selfCpu = ProcessStats.cpuSeconds(ProcessStats.self()) - selfCpu0;
        double serverSys = serverPid > 0 ? ProcessStats.systemSeconds(serverPid) - serverSys0 : Double.NaN;
        ProcessStats.GcCount gc1 = gc0 == null ? null : ProcessStats.gc(serverPid);
        ProcessStats.GcCount gc = gc1 == null ? null : gc1.since(gc0);
        Thread.sleep(500); // the window's last packets drain
        LoadCounters.WindowResult result = tally.result(window);
        int receivers = 0;
        for (LoadPeer p : peers) {
            receivers += p.inbound.length > 0 ? 1 : 0;
        }
        Row row = new Row(label, subscriberCount, result.receivingStreams(), seconds, result, serverCpu, serverSys,
                serverPid > 0 ? ProcessStats.rssMiB(serverPid) : Double.NaN, selfCpu, tally.windowBytes.sum(), receivers, gc);
        out.println(resultLine(row));
        return row;
    }

    /**
     * A ramp: a measurement window, and while it passes, more load ({@code grow}) and another window, up to
     * {@code max} {@code what}; a miss gets one more window at the same load (the machine is shared), a second ends it.
     */
    private List<Row> ramp(String what, java.util.function.IntSupplier count, int max, Grow grow) throws Exception {
        List<Row> rows = new ArrayList<>();
        Row best = null;
        int bestCount = 0;
        int window = 1;
        boolean retried = false;
        while (true) {
            Row row = measure(window++, warmupSeconds);
            rows.add(row);
            boolean pass = row.passes(lossLimitPercent, p99LimitMillis);
            out.printf("ramp: %d %s, %d receiving streams: %s%n", count.getAsInt(), what, row.receivingStreams(),
                    pass ? "holds" : "misses (loss " + pct(row.result().loss()) + ", p99 " + ms(row.result().p99()) + ")");
            if (!pass && !retried) {
                retried = true;
                continue;
            }
            if (!pass) {
                break;
            }
            retried = false;
            best = row;
            bestCount = count.getAsInt();
            if (bestCount >= max || window > 250) {
                break;
            }
            try {
                grow.run();
            } catch (Exception e) {
                out.println("ramp: cannot connect more " + what + ": " + e.getMessage());
                break;
            }
        }
        out.printf("RAMP label=%s max_%s=%d max_streams=%d%n", label, what, bestCount,
                best == null ? 0 : best.receivingStreams());
        return rows;
    }

    /** More load for a ramp. */
    private interface Grow {
        void run() throws Exception;
    }

    /** Prints a progress line each second for this long. */
    private void progress(double seconds, String phase) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long lastSent = tally.sentTotal.sum();
        long lastReceived = tally.receivedTotal.sum();
        long[] lastSpan = seqFigures();
        double lastServer = serverPid > 0 ? ProcessStats.cpuSeconds(serverPid) : Double.NaN;
        double lastSelf = ProcessStats.cpuSeconds(ProcessStats.self());
        long last = System.nanoTime();
        tally.intervalDelays.snapshot(true);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            long now = System.nanoTime();
            double dt = (now - last) / 1e9;
            long sent = tally.sentTotal.sum();
            long received = tally.receivedTotal.sum();
            long[] span = seqFigures();
            double serverCpu = serverPid > 0 ? ProcessStats.cpuSeconds(serverPid) : Double.NaN;
            double selfCpu = ProcessStats.cpuSeconds(ProcessStats.self());
            long[] delays = tally.intervalDelays.snapshot(true);
            long expectedBySeq = span[0] - lastSpan[0];
            long gotBySeq = span[1] - lastSpan[1];
            double loss = expectedBySeq <= 0 ? 0 : Math.max(0, 1 - (double) gotBySeq / expectedBySeq);
            out.printf("%-10s %-9s subs %4d | sent %6.0f pps | fwd %7.0f pps | loss %6s | delay p50 %6s p99 %6s"
                            + " | server cpu %5.1f%% rss %6.1f MiB | gen cpu %5.1f%% | late %5.2f ms%n",
                    label, phase, subscriberCount, (sent - lastSent) / dt, (received - lastReceived) / dt, pct(loss),
                    ms(DelayHistogram.quantile(delays, 0.5)), ms(DelayHistogram.quantile(delays, 0.99)),
                    (serverCpu - lastServer) / dt * 100, serverPid > 0 ? ProcessStats.rssMiB(serverPid) : Double.NaN,
                    (selfCpu - lastSelf) / dt * 100, pacer.worstLateNanos / 1e6);
            pacer.worstLateNanos = 0;
            last = now;
            lastSent = sent;
            lastReceived = received;
            lastSpan = span;
            lastServer = serverCpu;
            lastSelf = selfCpu;
        }
    }

    /** Sum over all receiving streams of {sequence span, packets}. */
    private long[] seqFigures() {
        long span = 0;
        long packets = 0;
        for (LoadPeer p : peers) {
            for (ReceivedStream in : p.inbound) {
                span += in.seqSpan;
                packets += in.packets;
            }
        }
        return new long[] {span, packets};
    }

    private void runProbe() throws Exception {
        if (probe == null) {
            return;
        }
        Process p = new ProcessBuilder("sh", "-c", probe.replace("{pid}", Long.toString(serverPid)))
                .redirectErrorStream(true).start();
        try (var lines = p.inputReader().lines()) {
            lines.forEach(l -> out.println("PROBE " + l));
        }
        p.waitFor();
    }

    // ---- output ----

    private String resultLine(Row r) {
        LoadCounters.WindowResult w = r.result();
        return String.format("RESULT label=%s target=%s rooms=%d publishers=%d subscribers=%d streams=%d seconds=%.1f"
                        + " expected=%d received=%d fwd_pps=%.0f loss_pct=%.4f worst_stream_loss_pct=%.3f silent=%d"
                        + " p50_us=%d p99_us=%d p999_us=%d max_us=%d server_cpu_s=%.2f server_cpu_us_per_pkt=%.3f"
                        + " server_cpu_pct=%.1f server_sys_share_pct=%.0f server_rss_mib=%.1f gen_cpu_s=%.2f"
                        + " gen_cpu_pct=%.1f unstamped=%d join_failures=%d simulcast=%s layer=%s other_layer=%d"
                        + " receivers=%d rx_kbps_per_receiver=%.0f server_gc_young=%s server_gc_young_ms=%s"
                        + " server_gc_full=%s server_gc_full_ms=%s",
                r.label(), server.name(), rooms, publishers, r.subscribers(), r.receivingStreams(), r.seconds(),
                w.expected(), w.received(), r.forwardedPerSecond(), w.loss() * 100, w.worstStreamLoss() * 100,
                w.silentStreams(), w.p50(), w.p99(), w.p999(), w.max(), r.serverCpuSeconds(), r.serverMicrosPerPacket(),
                r.serverCpuSeconds() / r.seconds() * 100, r.serverSystemSeconds() / r.serverCpuSeconds() * 100,
                r.serverRssMiB(), r.generatorCpuSeconds(),
                r.generatorCpuSeconds() / r.seconds() * 100, tally.unstamped.sum(), joinFailures,
                simulcast ? java.util.Arrays.stream(layerKbps).mapToObj(Integer::toString)
                        .collect(java.util.stream.Collectors.joining(",")) : "no",
                simulcast ? layer : "-", tally.otherStream.sum(), r.receivers(), r.receiveKbpsPerReceiver(),
                r.serverGc() == null ? "-" : Long.toString(r.serverGc().young()),
                r.serverGc() == null ? "-" : String.format("%.0f", r.serverGc().youngSeconds() * 1000),
                r.serverGc() == null ? "-" : Long.toString(r.serverGc().full()),
                r.serverGc() == null ? "-" : String.format("%.0f", r.serverGc().fullSeconds() * 1000));
    }

    private void printSummary(List<Row> rows) {
        out.println();
        out.printf("%-10s %5s %7s %9s %8s %8s %8s %8s %8s %10s %9s %9s %8s %9s %12s%n", "run", "subs", "streams", "fwd pps",
                "loss", "p50", "p99", "p99.9", "max", "srv us/pkt", "srv cpu", "srv rss", "gen cpu", "rx kbps", "srv GCs");
        for (Row r : rows) {
            LoadCounters.WindowResult w = r.result();
            out.printf("%-10s %5d %7d %9.0f %8s %8s %8s %8s %8s %10.2f %8.1f%% %5.0f MiB %7.1f%% %9.0f %12s%n", r.label(),
                    r.subscribers(), r.receivingStreams(), r.forwardedPerSecond(), pct(w.loss()), ms(w.p50()),
                    ms(w.p99()), ms(w.p999()), ms(w.max()), r.serverMicrosPerPacket(),
                    r.serverCpuSeconds() / r.seconds() * 100, r.serverRssMiB(), r.generatorCpuSeconds() / r.seconds() * 100,
                    r.receiveKbpsPerReceiver(), gcText(r.serverGc()));
        }
        long skipped = pacer.skipped;
        if (skipped > 0) {
            out.printf("sender fell behind and skipped %d packets%n", skipped);
        }
    }

    /** "3 in 14 ms": young and full collections of the window with their pause total; "-" for no JVM. */
    private static String gcText(ProcessStats.GcCount gc) {
        return gc == null ? "-" : String.format("%d in %.0f ms", gc.young() + gc.full(), (gc.youngSeconds() + gc.fullSeconds()) * 1000);
    }

    private static String pct(double fraction) {
        return String.format("%.3f%%", fraction * 100);
    }

    private static String ms(long micros) {
        return micros < 0 ? "-" : String.format("%.2fms", micros / 1000.0);
    }
}
