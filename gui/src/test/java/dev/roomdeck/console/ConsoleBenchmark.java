package dev.roomdeck.console;

import dev.roomdeck.TestServer;
import dev.roomdeck.admin.AdminApi;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.config.ServerConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

/**
 * Not a test: fills the console with 50 peers and 100 streams in one room (the worst case for its tables),
 * keeps it busy (a peer leaves and rejoins and a stream is muted or unmuted every second), and prints the FX
 * thread's longest stall and the CPU used. The goal is no stall over 50 ms.
 *
 * <p>Two stall measures: the longest gap between pulses (an AnimationTimer asks for one every frame), and
 * the longest wait of a tiny task posted to the FX thread every 5 ms. Run it under Xvfb for real rendering
 * (see the report), or headless with Monocle's properties.
 *
 * <p>Arguments: [seconds to measure, default 30] [peers, default 50].
 */
public final class ConsoleBenchmark {
    private ConsoleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int peers = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        ServerConfig.Limits d = ServerConfig.Limits.defaults();
        try (TestServer live = TestServer.start(c -> c.withLimits(d.withMaxPeersPerRoom(peers + 8))).sdkClients()) {
            Stage[] stage = new Stage[1];
            Console[] console = new Console[1];
            long[] fxThreadId = new long[1];
            CountDownLatch shown = new CountDownLatch(1);
            Platform.startup(() -> {
                fxThreadId[0] = Thread.currentThread().getId();
                stage[0] = new Stage();
                console[0] = Console.open(stage[0], live.server());
                stage[0].show();
                shown.countDown();
            });
            shown.await();
            Stalls stalls = new Stalls();
            stalls.start();

            long t0 = System.nanoTime();
            List<SignalClient> clients = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                String user = String.format(Locale.ROOT, "peer%02d", i);
                clients.add(live.joinPublishing("big", user, user + "-cam", user + "-screen"));
            }
            System.out.printf(Locale.ROOT, "filled: %d peers, %d streams in %.1f s; FX stalls while filling: %s%n",
                    peers, 2 * peers, (System.nanoTime() - t0) / 1e9, stalls.takeReport());
            Thread.sleep(1500);
            Platform.runLater(() -> {
                @SuppressWarnings("unchecked")
                TableView<Object> table = (TableView<Object>) stage[0].getScene().lookup("#peers");
                table.getSortOrder().setAll(List.of(table.getColumns().get(3))); // by "Connected"
                table.getSelectionModel().select(peers / 2);
            });
            Thread.sleep(1000);

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long feedId = threadId("console-feed");
            long renderId = threadId("QuantumRenderer-0");
            long renderCpu0 = renderId < 0 ? 0 : threads.getThreadCpuTime(renderId);
            long gc0 = gcMillis();
            long fxCpu0 = threads.getThreadCpuTime(fxThreadId[0]);
            long feedCpu0 = feedId < 0 ? 0 : threads.getThreadCpuTime(feedId);
            long procCpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            stalls.takeReport();

            AdminApi admin = live.server().admin();
            for (int s = 0; s < seconds; s++) {
                int i = s % peers;
                String user = String.format(Locale.ROOT, "peer%02d", i);
                clients.get(i).close();
                clients.set(i, live.joinPublishing("big", user, user + "-cam", user + "-screen"));
                String other = String.format(Locale.ROOT, "peer%02d", (i + 7) % peers);
                admin.mute("big", other, other + "-cam", s % 2 == 0, true);
                Thread.sleep(1000);
            }

            double wall = (System.nanoTime() - wall0) / 1e9;
            double fxCpu = (threads.getThreadCpuTime(fxThreadId[0]) - fxCpu0) / 1e9;
            double feedCpu = feedId < 0 ? 0 : (threads.getThreadCpuTime(feedId) - feedCpu0) / 1e9;
            double procCpu = (os.getProcessCpuTime() - procCpu0) / 1e9;
            double renderCpu = renderId < 0 ? 0 : (threads.getThreadCpuTime(renderId) - renderCpu0) / 1e9;
            long gc = gcMillis() - gc0;
            System.out.printf(Locale.ROOT, "steady %d s with churn: FX stalls %s%n", seconds, stalls.takeReport());
            System.out.printf(Locale.ROOT, "CPU (one core = 100 %%): FX thread %.1f %%, console feed %.1f %%, "
                            + "whole process (server, 50 clients, console) %.1f %% of %d cores%n",
                    100 * fxCpu / wall, 100 * feedCpu / wall, 100 * procCpu / wall,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "render thread %.1f %% of a core; GC %d ms in all%n", 100 * renderCpu / wall, gc);
            int rows = callFx(() -> ((TableView<?>) stage[0].getScene().lookup("#peers")).getItems().size());
            System.out.println("peers table rows at the end: " + rows);

            // Everyone leaves and comes back: the same burst as the first fill, but with warm code.
            for (SignalClient c : clients) {
                c.close();
            }
            Thread.sleep(1500);
            stalls.takeReport();
            long t1 = System.nanoTime();
            for (int i = 0; i < peers; i++) {
                String user = String.format(Locale.ROOT, "peer%02d", i);
                clients.set(i, live.joinPublishing("big", user, user + "-cam", user + "-screen"));
            }
            Thread.sleep(1500);
            System.out.printf(Locale.ROOT, "refilled (warm) in %.1f s: FX stalls %s%n", (System.nanoTime() - t1) / 1e9,
                    stalls.takeReport());

            stalls.stop();
            for (SignalClient c : clients) {
                c.close();
            }
            Platform.runLater(() -> {
                console[0].close();
                stage[0].close();
            });
        }
        Platform.exit();
        System.exit(0);
    }

    private static long gcMillis() {
        long sum = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static long threadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        return -1;
    }

    private static <T> T callFx(java.util.concurrent.Callable<T> call) throws Exception {
        java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(call);
        Platform.runLater(f);
        return f.get();
    }

    /** Frame gaps (AnimationTimer) and the latency of tiny tasks posted to the FX thread every 5 ms. */
    static final class Stalls {
        private final AtomicLong maxGapNanos = new AtomicLong();
        private final AtomicLong maxLatencyNanos = new AtomicLong();
        private final AtomicLong maxBusyNanos = new AtomicLong();
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final List<Long> gaps = new ArrayList<>(); // FX thread only
        private volatile boolean running = true;
        private AnimationTimer timer;
        private Thread pinger;

        void start() {
            Platform.runLater(() -> {
                timer = new AnimationTimer() {
                    private long last;
                    private long lastCpu;

                    @Override
                    public void handle(long now) {
                        // CPU the FX thread itself spent since the last frame: a long gap with little CPU is
                        // the machine starving the thread; a long gap full of CPU is the console's own work.
                        long cpu = threads.getCurrentThreadCpuTime();
                        if (last != 0) {
                            long gap = now - last;
                            maxGapNanos.accumulateAndGet(gap, Math::max);
                            maxBusyNanos.accumulateAndGet(cpu - lastCpu, Math::max);
                            synchronized (gaps) {
                                gaps.add(gap);
                            }
                        }
                        last = now;
                        lastCpu = cpu;
                    }
                };
                timer.start();
            });
            pinger = new Thread(() -> {
                while (running) {
                    long posted = System.nanoTime();
                    Platform.runLater(() -> maxLatencyNanos.accumulateAndGet(System.nanoTime() - posted, Math::max));
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "stall-pinger");
            pinger.setDaemon(true);
            pinger.start();
        }

        /** The figures since the last report, then starts counting afresh. */
        String takeReport() {
            long[] g;
            synchronized (gaps) {
                g = gaps.stream().mapToLong(Long::longValue).toArray();
                gaps.clear();
            }
            Arrays.sort(g);
            String r = String.format(Locale.ROOT,
                    "longest frame gap %.1f ms (p99 %.1f ms, median %.1f ms, %d frames), longest FX task wait %.1f ms, "
                            + "most FX-thread CPU between two frames %.1f ms",
                    maxGapNanos.getAndSet(0) / 1e6, g.length == 0 ? 0 : g[(int) (g.length * 0.99)] / 1e6,
                    g.length == 0 ? 0 : g[g.length / 2] / 1e6, g.length, maxLatencyNanos.getAndSet(0) / 1e6,
                    maxBusyNanos.getAndSet(0) / 1e6);
            return r;
        }

        void stop() {
            running = false;
            Platform.runLater(() -> timer.stop());
        }
    }
}
