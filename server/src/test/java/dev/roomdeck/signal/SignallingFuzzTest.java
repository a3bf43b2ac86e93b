package dev.roomdeck.signal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.config.ServerConfig;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Ten thousand generated bad messages from several connections while two well-behaved clients hold a call:
 * every bad message gets an error (or, for oversized frames, a clean 1009 close), nothing is logged as an
 * internal failure, the call goes on, and memory returns to where it was.
 */
class SignallingFuzzTest {
    private static final int CONNECTIONS = 8;
    private static final int PER_CONNECTION = 1250;

    /** Generators of bad messages; each must be refused with an error. */
    private static final List<Function<Random, String>> BAD = List.of(
            r -> randomText(r, 1 + r.nextInt(200)),
            r -> "{\"type\":\"join\",\"data\":" + randomText(r, 20),
            r -> "{\"type\":" + r.nextInt() + ",\"data\":{}}",
            r -> "{\"type\":\"message\",\"data\":\"" + "x".repeat(r.nextInt(1000)) + "\"}",
            r -> "{\"type\":\"" + randomWord(r) + "\",\"data\":{}}",
            r -> "{\"type\":\"join\",\"data\":{\"appkey\":" + r.nextInt() + ",\"room\":[1,2],\"user\":{},\"token\":null,\"sdp\":true}}",
            r -> "{\"type\":\"join\",\"data\":{\"appkey\":\"test\",\"room\":\"" + "r".repeat(129 + r.nextInt(5000))
                    + "\",\"user\":\"u\",\"token\":\"t\",\"sdp\":\"v=0\"}}",
            r -> "{\"type\":\"join\",\"data\":{\"appkey\":\"test\",\"room\":\"fz\",\"user\":\"u" + r.nextInt(1000)
                    + "\",\"token\":\"" + randomWord(r) + "." + randomWord(r) + "." + randomWord(r) + "\",\"sdp\":\"v=0\"}}",
            r -> "{\"type\":\"message\",\"data\":{\"data\":" + "[".repeat(40 + r.nextInt(2000)) + "]".repeat(10) + "}}",
            r -> "{\"type\":\"offer\",\"data\":{\"sdp\":\"" + randomSdpGarbage(r) + "\"}}",
            r -> "{\"type\":\"answer\",\"data\":{\"sdp\":\"v=0\\r\\n\"}}",
            r -> "{\"type\":\"configure\",\"data\":{\"id\":\"alice\",\"msid\":\"cam\",\"local\":true,\"video\":\"no\"}}",
            r -> "{\"type\":\"addStream\",\"data\":{\"stream\":\"" + randomWord(r) + "\",\"sdp\":1}}",
            r -> "{\"type\":\"removeStream\",\"data\":{\"stream\":{\"id\":\"alice\",\"msid\":\"alice-cam\"},\"sdp\":\"x\"}}",
            r -> "{\"type\":\"leave\",\"data\":{},\"id\":{\"nested\":true}}",
            r -> "{\"type\":\"message\",\"data\":{\"data\":[" + "1,".repeat(r.nextInt(20000)) + "1]},\"id\":" + r.nextInt() + "}",
            r -> "[" + r.nextInt() + "]",
            r -> "\"just a string\"",
            r -> "{\"type\":\"join\",\"type\":\"join\",\"data\":{}}",
            r -> "{\"type\":\"message\",\"data\":{\"data\":1}} trailing");

    @Test
    void tenThousandBadMessagesAreRefusedWhileACallGoesOn() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        try (TestServer server = TestServer.start(c -> c.withLimits(new ServerConfig.Limits(
                256 * 1024, 1_000_000, 32, 64, 10_000, 60, 30)))) {
            MediaClient alice = server.media("call", "alice", "alice-cam");
            MediaClient bob = server.media("call", "bob", "bob-cam");
            alice.awaitReady(Duration.ofSeconds(10));
            bob.awaitReady(Duration.ofSeconds(10));
            long heapBefore = heapAfterGc();

            List<SignalClient> fuzzers = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                fuzzers.add(server.connect());
            }
            Random random = new Random(42);
            int sent = 0;
            int[] perConnection = new int[CONNECTIONS];
            for (int n = 0; n < CONNECTIONS * PER_CONNECTION; n++) {
                int c = n % CONNECTIONS;
                fuzzers.get(c).sendRaw(BAD.get(random.nextInt(BAD.size())).apply(random));
                perConnection[c]++;
                sent++;
                if (n % 500 == 0) {
                    fuzzers.get(c).sendBinary(new byte[] {(byte) n, 1, 2});
                    perConnection[c]++;
                    sent++;
                }
                if (n % 200 == 0) {
                    // The call goes on: media still flows both ways while the fuzzing runs.
                    alice.sendRtp("video", n, n * 90, false, new byte[300]);
                }
            }
            for (int c = 0; c < CONNECTIONS; c++) {
                SignalClient f = fuzzers.get(c);
                int expected = perConnection[c];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (f.types().size() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                List<String> types = f.types();
                assertThat(types).as("replies on connection " + c).hasSize(expected);
                assertThat(types).as("every reply is an error").containsOnly("error");
                assertThat(f.isOpen()).as("connection " + c + " stays open").isTrue();
            }
            System.out.printf("fuzz: %d bad messages on %d connections, all refused with error%n", sent, CONNECTIONS);

            // An oversized frame closes only that connection, with 1009.
            SignalClient big = server.connect();
            big.sendRaw("{\"type\":\"message\",\"data\":{\"data\":\"" + "y".repeat(300 * 1024) + "\"}}");
            assertThat(big.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);

            // The two good clients never saw any of it, and still talk and receive media.
            assertThat(alice.signal().types()).doesNotContain("error", "leave", "peerRemoved");
            assertThat(bob.signal().types()).doesNotContain("error", "leave", "peerRemoved");
            var msg = alice.signal().object();
            msg.put("data", "still here");
            alice.signal().send("message", msg);
            assertThat(bob.signal().await("message", Duration.ofSeconds(5)).data().get("from").asText()).isEqualTo("alice");
            int video = alice.ssrc("video");
            long got = bob.inbound(video).packets.sum();
            for (int i = 0; i < 20; i++) {
                alice.sendRtp("video", 10001 + i, 900_000 + i * 3000, false, new byte[500]);
                Thread.sleep(5);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (bob.inbound(video).packets.sum() < got + 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(bob.inbound(video).packets.sum()).isGreaterThanOrEqualTo(got + 20);

            for (SignalClient f : fuzzers) {
                f.close();
            }
            Thread.sleep(500);
            long heapAfter = heapAfterGc();
            System.out.printf("heap after GC: %d KiB before fuzzing, %d KiB after%n", heapBefore / 1024, heapAfter / 1024);
            assertThat(heapAfter).as("heap back to baseline").isLessThan(heapBefore + 24L * 1024 * 1024);
        } finally {
            root.detachAppender(log);
        }
        assertThat(log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).map(ILoggingEvent::getFormattedMessage))
                .as("no unhandled exception logged").isEmpty();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String randomText(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = (char) (32 + r.nextInt(95));
            b.append(c == '"' || c == '\\' ? 'q' : c);
        }
        return b.toString();
    }

    private static String randomWord(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = 1 + r.nextInt(30); i < n; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    private static String randomSdpGarbage(Random r) {
        String[] lines = {"v=0", "o=- 1 1 IN IP4 0.0.0.0", "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:0", "a=rtpmap:96",
            "a=ssrc:abc cname:x", "m=audio -1 RTP 111", "a=fingerprint:sha-256 ZZ", "a=group:BUNDLE 0 0", "c=IN"};
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
            b.append(lines[r.nextInt(lines.length)]).append("\\r\\n");
        }
        return b.toString();
    }
}
