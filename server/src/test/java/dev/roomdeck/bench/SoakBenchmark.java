package dev.roomdeck.bench;

import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.config.ServerConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Soak: churns Java-client peers (join, publish, subscribe, leave) against one in-process server for a while,
 * and prints heap after GC, threads, open file descriptors and registered transports at the start and the end.
 * They must come back to their start values. A benchmark that prints figures, not a test:
 *
 * <pre>java -cp server/target/classes:server/target/test-classes:server/target/lib/* dev.roomdeck.bench.SoakBenchmark [minutes]</pre>
 * (inside a loopback-only namespace, like every test: {@code unshare -rn sh -c 'ip link set lo up; ...'}).
 */
public final class SoakBenchmark {
    private SoakBenchmark() {
    }

    record Figures(long heapKiB, int threads, long fds, int transports, int peers) {
        @Override
        public String toString() {
            return String.format("heap after GC %6d KiB | threads %4d | open fds %5d | transports %3d | peers %3d",
                    heapKiB, threads, fds, transports, peers);
        }
    }

    static Figures figures(RoomDeckServer server) throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
        long fds;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        }
        return new Figures(heap, Thread.activeCount(), fds, server.mediaEndpoint().transportCount(),
                server.admin().snapshot().peerCount());
    }

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        Path dir = Files.createTempDirectory("roomdeck-soak");
        String secret = "soak-secret-that-is-long-enough-for-hs256!!";
        ServerConfig config = ServerConfig.defaults().withBind("127.0.0.1").withPorts(0, 0).withDataDir(dir)
                .withAppKeys(Map.of("soak", secret));
        try (RoomDeckServer server = RoomDeckServer.start(config)) {
            String ws = "ws://127.0.0.1:" + server.httpPort() + "/ws";
            // Warm up with full rounds so thread pools (Jetty's, ice4j's) and lazily loaded classes are part of
            // the baseline, not counted as a leak.
            churn(server, ws, 6);
            churn(server, ws, 6);
            Figures start = figures(server);
            System.out.println("start: " + start);
            long end = System.nanoTime() + (long) (minutes * 60e9);
            int rounds = 0;
            long joins = 0;
            while (System.nanoTime() < end) {
                joins += churn(server, ws, 6);
                rounds++;
                if (rounds % 10 == 0) {
                    System.out.printf("round %d, %d joins so far: %s%n", rounds, joins, figures(server));
                }
            }
            Thread.sleep(2000);
            Figures last = figures(server);
            System.out.println("end:   " + last);
            java.util.Map<String, Long> byPool = new java.util.TreeMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                byPool.merge(t.getName().replaceAll("[-#]?\\d+$", ""), 1L, Long::sum);
            }
            System.out.println("threads by name: " + byPool);
            System.out.printf("rounds %d, joins %d; heap %+d KiB, threads %+d, fds %+d, transports %+d%n", rounds, joins,
                    last.heapKiB() - start.heapKiB(), last.threads() - start.threads(), last.fds() - start.fds(),
                    last.transports() - start.transports());
        }
    }

    /** One round: a room of peers that publish and receive for a moment, then leave (half abruptly). */
    static int churn(RoomDeckServer server, String ws, int peers) throws Exception {
        String room = "soak-" + ThreadLocalRandom.current().nextInt(1_000_000);
        List<MediaClient> clients = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            String user = "u" + i;
            String token = server.tokens().issue("soak", room, user, Duration.ofMinutes(5));
            clients.add(MediaClient.join(java.net.URI.create(ws), "soak", room, user, token, i % 2 == 0 ? user + "-cam" : null, 500));
        }
        for (MediaClient c : clients) {
            c.awaitReady(Duration.ofSeconds(15));
        }
        byte[] payload = new byte[1000];
        for (int n = 0; n < 100; n++) {
            for (MediaClient c : clients) {
                if (c.msid() != null) {
                    c.sendRtp("video", n, n * 3000, n % 30 == 0, payload);
                    c.sendRtp("audio", n, n * 960, false, new byte[80]);
                }
            }
            Thread.sleep(10);
        }
        for (int i = 0; i < clients.size(); i++) {
            MediaClient c = clients.get(i);
            if (i % 2 == 0) {
                c.signal().send("leave", c.signal().object());
            }
            c.close();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.admin().snapshot().peerCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return peers;
    }
}
