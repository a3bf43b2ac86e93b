package dev.roomdeck.bench;

import dev.roomdeck.TestServer;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.media.TransportState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Transport set-up at 100 joins: a benchmark that prints figures, not a test (it asserts only that every peer got
 * READY). Off unless {@code -Droomdeck.benchmarks=true}:
 *
 * <pre>unshare -rn sh -c 'ip link set lo up; mvn -B -o -pl server test -Dtest=SetupBenchmark \
 *     -Droomdeck.benchmarks=true -Dsurefire.failIfNoSpecifiedTests=false'</pre>
 * (output in server/target/surefire-reports/dev.roomdeck.bench.SetupBenchmark-output.txt).
 *
 * <p>A real {@link TestServer} and 100 Java media clients (real ICE, DTLS, SRTP; each publishes one audio+video
 * stream, sending nothing: a receive-only client starts its transport only once there is something to receive)
 * in 10 rooms of 10 join (a) one after another, each awaited before the
 * next, and (b) all at once, their joins started from a pool of 10 threads. Per peer: join → the client's
 * transport READY (signalling, ICE, DTLS), p50/p95/max; for the burst its total time. Threads: the clients run in
 * this same JVM, so the JVM's live and peak counts (ThreadMXBean) include theirs; the server's own are counted by
 * name (everything but the clients' "client-*" and Jetty client "WebSocket@*" (8 per client) threads, this
 * benchmark's and the JVM's/surefire's own), sampled every 20 ms, and "transport-*" separately. The set-up pool's
 * size is {@code -Droomdeck.transport.setupPool=N} (PeerTransport's default when not given). Figures and the
 * decision they led to (a pool of 4 instead of a thread per peer): docs/performance.md.
 */
@EnabledIfSystemProperty(named = "roomdeck.benchmarks", matches = "true")
class SetupBenchmark {
    private static final int ROOMS = 10;
    private static final int PER_ROOM = 10;
    private static final Duration READY_WAIT = Duration.ofSeconds(90);
    private static final List<String> NOT_SERVER = List.of("client-", "HttpClient@", "WebSocketClient@", "WebSocket@", "bench-",
            "main", "surefire", "Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner",
            "Notification Thread", "Attach Listener", "process reaper", "junit");

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();

    @Test
    void hundredJoins() throws Exception {
        System.out.printf("SetupBenchmark: roomdeck.transport.setupPool=%s, %d cores, load average %s%n",
                System.getProperty("roomdeck.transport.setupPool", "default"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        run("sequential", false);
        run("burst", true);
        System.out.printf("load average at the end: %s%n", loadAverage());
    }

    private void run(String label, boolean burst) throws Exception {
        try (TestServer ts = TestServer.start()) {
            // Warm-up: classes, JIT, pools (Jetty's, ice4j's) before the baseline.
            List<MediaClient> warm = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                warm.add(ts.media("warm-" + label, "w" + i, "w" + i + "-cam"));
            }
            for (MediaClient c : warm) {
                c.awaitReady(READY_WAIT);
            }
            closeAll(ts, warm);
            Snapshot before = snapshot();
            mx.resetPeakThreadCount();
            Sampler sampler = new Sampler();
            sampler.start();
            long[] setupMillis = new long[ROOMS * PER_ROOM];
            long t0 = System.nanoTime();
            List<MediaClient> clients = burst ? burst(ts, label, setupMillis) : sequential(ts, label, setupMillis);
            long totalMillis = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(2000); // settled: every peer READY, nothing joining
            Snapshot during = snapshot();
            sampler.stop();
            int jvmPeak = mx.getPeakThreadCount();
            closeAll(ts, clients);
            Thread.sleep(2000);
            Snapshot after = snapshot();
            Arrays.sort(setupMillis);
            System.out.printf("%n== %s: %d peers (%d rooms of %d), pool %s ==%n", label, setupMillis.length, ROOMS,
                    PER_ROOM, System.getProperty("roomdeck.transport.setupPool", "default"));
            System.out.printf("set-up join->READY ms: p50 %d  p95 %d  max %d;  total %d ms%n",
                    pct(setupMillis, 50), pct(setupMillis, 95), setupMillis[setupMillis.length - 1], totalMillis);
            System.out.printf("before: %s%n", before);
            System.out.printf("during (all READY, +2 s): %s%n", during);
            System.out.printf("peak while joining: server threads %d, transport-* %d (sampled every 20 ms); "
                    + "JVM peak %d (ThreadMXBean, clients included)%n", sampler.serverPeak, sampler.transportPeak,
                    jvmPeak);
            System.out.printf("after (all left, +2 s): %s%n", after);
            System.out.printf("server threads by name at the peak: %s%n", sampler.peakNames);
            System.out.printf("RESULT %s pool=%s p50=%d p95=%d max=%d total=%d serverBefore=%d serverPeak=%d "
                            + "serverDuring=%d serverAfter=%d transportPeak=%d transportDuring=%d ice4jDuring=%d jvmPeak=%d load=%s%n",
                    label, System.getProperty("roomdeck.transport.setupPool", "default"), pct(setupMillis, 50),
                    pct(setupMillis, 95), setupMillis[setupMillis.length - 1], totalMillis, before.server,
                    sampler.serverPeak, during.server, after.server, sampler.transportPeak, during.transport,
                    during.ice4jPerAgent, jvmPeak,
                    loadAverage());
        }
    }

    /** (a) Each peer joins and is READY before the next joins. */
    private List<MediaClient> sequential(TestServer ts, String label, long[] setupMillis) throws Exception {
        List<MediaClient> clients = new ArrayList<>();
        for (int i = 0; i < ROOMS * PER_ROOM; i++) {
            long start = System.nanoTime();
            MediaClient c = ts.media(label + "-" + (i / PER_ROOM), "u" + i, "u" + i + "-cam");
            c.awaitReady(READY_WAIT);
            setupMillis[i] = (System.nanoTime() - start) / 1_000_000;
            clients.add(c);
        }
        return clients;
    }

    /** (b) All 100 joins submitted at once to 10 threads; READY watched for all of them by one poller. */
    private List<MediaClient> burst(TestServer ts, String label, long[] setupMillis) throws Exception {
        int n = ROOMS * PER_ROOM;
        long[] started = new long[n];
        MediaClient[] clients = new MediaClient[n];
        AtomicInteger seq = new AtomicInteger();
        ExecutorService joiners = Executors.newFixedThreadPool(10, r -> {
            Thread t = new Thread(r, "bench-join-" + seq.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> joins = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                int k = i;
                joins.add(joiners.submit(() -> {
                    started[k] = System.nanoTime();
                    clients[k] = ts.media(label + "-" + (k % ROOMS), "u" + k, "u" + k + "-cam");
                    return null;
                }));
            }
            long deadline = System.nanoTime() + READY_WAIT.toNanos();
            int ready = 0;
            while (ready < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + ready + " of " + n + " READY");
                }
                for (int i = 0; i < n; i++) {
                    MediaClient c = clients[i];
                    if (setupMillis[i] == 0 && c != null) {
                        TransportState s = c.transport().state();
                        if (s == TransportState.READY) {
                            setupMillis[i] = Math.max(1, (System.nanoTime() - started[i]) / 1_000_000);
                            ready++;
                        } else if (s.isFinal()) {
                            throw new AssertionError(c.user() + ": transport " + s);
                        }
                    }
                }
                for (Future<?> f : joins) {
                    if (f.isDone()) {
                        f.get(); // a join that threw ends the run
                    }
                }
                Thread.sleep(2);
            }
        } finally {
            joiners.shutdown();
        }
        return Arrays.asList(clients);
    }

    private static void closeAll(TestServer ts, List<MediaClient> clients) throws Exception {
        for (MediaClient c : clients) {
            c.close();
        }
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (ts.server().admin().snapshot().peerCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" "), 3));
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static Thread[] threads() {
        Thread[] all = new Thread[Thread.activeCount() + 64];
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        int n = root.enumerate(all, true);
        return Arrays.copyOf(all, n);
    }

    /** A thread's name without what differs per thread: its number, hash, peer or address. */
    static String group(String name) {
        return name.replaceAll("^(transport|tcp-send|tcp-recv)-.*", "$1-*").replaceAll(": .*", "")
                .replaceAll("@[0-9a-f]+", "@*").replaceAll("[-#]?\\d+$", "");
    }

    static boolean serverSide(String name) {
        for (String prefix : NOT_SERVER) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    record Snapshot(int jvm, int server, int transport, int ice4jPerAgent) {
        @Override
        public String toString() {
            return String.format("JVM live %d (clients included) | server threads %d | transport-* %d | ice4j "
                    + "IceConnector + MergingDatagramSocket reader %d", jvm, server, transport, ice4jPerAgent);
        }
    }

    private Snapshot snapshot() {
        int server = 0;
        int transport = 0;
        int ice4j = 0;
        for (Thread t : threads()) {
            String name = t.getName();
            if (serverSide(name)) {
                server++;
                transport += name.startsWith("transport-") ? 1 : 0;
                ice4j += name.startsWith("IceConnector") || name.startsWith("MergingDatagramSocket") ? 1 : 0;
            }
        }
        return new Snapshot(mx.getThreadCount(), server, transport, ice4j);
    }

    /** Samples the server's thread count by name every 20 ms and keeps the peak and its name histogram. */
    private final class Sampler implements Runnable {
        private final Thread thread = new Thread(this, "bench-sampler");
        private volatile boolean running = true;
        volatile int serverPeak;
        volatile int transportPeak;
        volatile Map<String, Integer> peakNames = Map.of();

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        @Override
        public void run() {
            while (running) {
                Thread[] all = threads();
                int server = 0;
                int transport = 0;
                for (Thread t : all) {
                    if (serverSide(t.getName())) {
                        server++;
                        transport += t.getName().startsWith("transport-") ? 1 : 0;
                    }
                }
                transportPeak = Math.max(transportPeak, transport);
                if (server > serverPeak) {
                    serverPeak = server;
                    Map<String, Integer> names = new TreeMap<>();
                    for (Thread t : all) {
                        if (serverSide(t.getName())) {
                            names.merge(group(t.getName()), 1, Integer::sum);
                        }
                    }
                    peakNames = names;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
