package dev.roomdeck.browser;

import static dev.roomdeck.browser.BrowserMeeting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.roomdeck.Launcher;
import dev.roomdeck.TestServer;
import dev.roomdeck.admin.PacketsSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * An ordinary meeting, measured: five Chromium pages join one room through the bundled web page and talk for
 * 60 s. The server log stays quiet (no ERROR, no WARN: per-packet conditions are counted, never logged) and the
 * media port's drop counters account for every packet the server did not use, each under a known reason.
 *
 * <p>Before issue 12's fix this call logged ~140-720 jitsi-srtp ERROR lines ("Discarding RTP packet ... received
 * already"): the SFU forwarded a publisher's second RTX copy of a packet it already had, and its own outgoing SRTP
 * refused the duplicate once per subscriber. The test also prints the kernel's UDP drops in its namespace.
 *
 * <p>Runs only inside a loopback-only network namespace, like every browser test. {@code -Droomdeck.call.video=}
 * picks the camera size (320x240 by default, so that two cores carry five senders and twenty receivers) and
 * {@code -Droomdeck.call.seconds=} the length.
 */
class FivePersonCallTest {
    private static final String ROOM = "five";
    private static final List<String> NAMES = List.of("ada", "ben", "cleo", "dan", "eve");
    private static final String VIDEO = System.getProperty("roomdeck.call.video", "320x240");
    private static final long CALL_SECONDS = Long.getLong("roomdeck.call.seconds", 60);

    /**
     * What an ordinary call may drop, and why. Anything else is a fault: unexplained, or a sign of a bug (auth
     * failures, receiver errors, packets for SSRCs nobody announced, ...).
     */
    private static final Set<String> EXPECTED_DROPS = Set.of(
            "srtp-replay",        // an SRTP packet that already arrived once (rare: a few at most)
            "rtx-redundant",      // a publisher's RTX copy of a packet the server already has (a repeated repair)
            "rtx-padding",        // a publisher's padding-only RTX probe (bandwidth estimation)
            "rtp-padding",        // the same on the media SSRC
            "before-ready",       // media or RTCP before DTLS finished (either direction)
            // The packet path's queue was full: the machine gave the server no CPU for a while (five Chromiums
            // encoding and decoding on two cores; a CI run saw ~3,300 at once, a multi-second stall of the whole
            // machine). Counted and reported, not a fault of the server; that everyone kept decoding is checked
            // every 10 s above, and the packet path's speed is the benchmarks' business.
            "overload");

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();
    private final LogCounter log = new LogCounter();

    @Test
    void aFivePersonCallLeavesTheLogQuietAndEveryDropExplained() throws Exception {
        Launcher.installLogging(); // as the product does: ice4j logs through JUL into Logback
        log.attach();
        meeting.closeAfter(log::detach);
        TestServer server = meeting.startServer();
        for (String name : NAMES) {
            meeting.open(meeting.browser(), meeting.page(ROOM, name).storedUser().video(VIDEO));
        }
        List<Browser> browsers = meeting.browsers();
        for (Browser b : browsers) {
            meeting.awaitJoined(b, Duration.ofSeconds(60));
        }
        long callStart = System.nanoTime();
        for (int i = 0; i < NAMES.size(); i++) {
            int page = i;
            eventually(NAMES.get(i) + " decodes the four others", Duration.ofSeconds(60),
                    () -> decodingPeers(browsers.get(page), Map.of()) == NAMES.size() - 1);
        }
        System.out.printf("all five decode each other %d ms after the last join%n", (System.nanoTime() - callStart) / 1_000_000);

        // The call: every 10 s each page must still decode new frames from each of the four others.
        List<Map<String, Long>> previous = new ArrayList<>();
        for (Browser b : browsers) {
            previous.add(frames(b));
        }
        long deadline = callStart + Duration.ofSeconds(CALL_SECONDS).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(Math.min(10_000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            for (int i = 0; i < browsers.size(); i++) {
                Map<String, Long> now = frames(browsers.get(i));
                assertThat(decodingPeers(browsers.get(i), previous.get(i)))
                        .as(NAMES.get(i) + " decodes new frames from everyone; frames " + now).isEqualTo(NAMES.size() - 1);
                previous.set(i, now);
            }
        }

        PacketsSnapshot c = server.server().admin().mediaCounters();
        System.out.println(report(c));
        printDiagnostics(server.server().mediaPort());
        System.out.println("deepest packet-path backlog: " + server.server().mediaEndpoint().deepestBacklog());

        // Everyone says goodbye with the Leave button: leaving is part of a normal meeting too.
        for (Browser b : browsers) {
            b.js("document.getElementById('leave-button').click()");
        }
        eventually("everyone left", Duration.ofSeconds(10), () -> server.server().admin().snapshot().peerCount() == 0);
        Thread.sleep(2000); // transports close in the background
        for (int i = 0; i < browsers.size(); i++) {
            assertThat(browsers.get(i).pageErrors()).as(NAMES.get(i) + " page errors").isEmpty();
        }
        assertThat(log.lines()).as("WARN/ERROR lines in the server log during a normal call and its end").isEmpty();
        assertThat(c.rtpReceived()).as("media reached the server").isGreaterThan(10_000);
        assertThat(c.drops().keySet()).as("every drop has a known, expected reason: " + c.drops())
                .isSubsetOf(EXPECTED_DROPS);
        assertThat(c.drops("srtp-replay")).as("replays are rare: " + c.drops())
                .isLessThan(Math.max(5, c.rtpReceived() / 1000));
        assertThat(c.drops("rtx-redundant")).as("repairs come once: " + c.drops())
                .isLessThan(Math.max(5, c.rtpReceived() / 100));
    }

    /** How many remote peers' video advanced past the frame counts in {@code before} (all of them for an empty map). */
    private static int decodingPeers(Browser b, Map<String, Long> before) {
        int n = 0;
        for (Map.Entry<String, Long> e : frames(b).entrySet()) {
            if (e.getValue() > before.getOrDefault(e.getKey(), 0L)) {
                n++;
            }
        }
        return n;
    }

    /** framesDecoded per remote peer, as the page's own stats report them. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> frames(Browser b) {
        Map<String, Long> out = new TreeMap<>();
        Object peers = b.roomdeckStats().get("peers");
        if (peers instanceof Map<?, ?> map) {
            map.forEach((id, p) -> {
                Object f = ((Map<String, Object>) p).get("framesDecoded");
                out.put(String.valueOf(id), f instanceof Number num ? num.longValue() : 0L);
            });
        }
        return out;
    }

    private static String report(PacketsSnapshot c) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("media port after the call: rtp in %d, rtcp in %d, rtp out %d, rtcp out %d%n",
                c.rtpReceived(), c.rtcpReceived(), c.rtpSent(), c.rtcpSent()));
        new TreeMap<>(c.drops()).forEach((reason, n) -> b.append(String.format("  dropped %-22s %8d%n", reason, n)));
        return b.toString();
    }

    /**
     * The kernel's view: this network namespace's UDP counters (RcvbufErrors: datagrams dropped for a full receive
     * buffer, the loss that NACKs then repair), and the media port's own socket with its buffer and drops.
     */
    private static void printDiagnostics(int mediaPort) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/snmp"))) {
                if (line.startsWith("Udp:")) {
                    System.out.println(line);
                }
            }
            String port = String.format(":%04X", mediaPort);
            long otherDrops = 0;
            for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length <= 12 || !f[12].matches("\\d+")) {
                        continue;
                    }
                    if (f[1].endsWith(port)) {
                        System.out.printf("media port socket (%s): drops %s%n", f[1], f[12]);
                    } else {
                        otherDrops += Long.parseLong(f[12]);
                    }
                }
            }
            System.out.printf("the browsers' sockets: drops %d%n", otherDrops);
            // rb = the receive buffer the kernel granted (StackSettings asks for 4 MiB; net.core.rmem_max caps it)
            Process ss = new ProcessBuilder("ss", "-uamn", "sport = :" + mediaPort).redirectErrorStream(true).start();
            System.out.print(new String(ss.getInputStream().readAllBytes()));
            ss.waitFor();
        } catch (IOException | RuntimeException e) {
            System.out.println("no UDP counters: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts WARN and ERROR events reaching Logback's root logger, keeping the first few for the failure message. */
    private static final class LogCounter extends AppenderBase<ILoggingEvent> {
        private final List<String> first = new ArrayList<>();
        private final AtomicLong count = new AtomicLong();
        private final Map<String, Long> byLogger = new HashMap<>();

        void attach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            setContext(context);
            setName("five-person-call-counter");
            start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
        }

        void detach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
            stop();
        }

        @Override
        protected synchronized void append(ILoggingEvent e) {
            if (!e.getLevel().isGreaterOrEqual(Level.WARN)) {
                return;
            }
            count.incrementAndGet();
            byLogger.merge(e.getLoggerName() + " " + e.getLevel(), 1L, Long::sum);
            if (first.size() < 10) {
                first.add(e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage());
            }
        }

        synchronized List<String> lines() {
            if (count.get() == 0) {
                return List.of();
            }
            List<String> out = new ArrayList<>(first);
            out.add(count.get() + " in all, by logger: " + byLogger);
            return out;
        }
    }
}
