package dev.roomdeck.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.admin.PacketsSnapshot;
import dev.roomdeck.client.MediaClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated STUN, DTLS, RTP and RTCP thrown at the shared media port, from unknown sources and forged
 * from a joined peer's own address, while two peers hold a call: nothing crashes, nobody is disturbed, and the
 * operator sees the drops counted by reason.
 */
class MediaPortFuzzTest {
    private static final int PACKETS = 20_000;

    static byte[] shaped(Random r, int ssrcHint) {
        byte[] b = new byte[1 + r.nextInt(1200)];
        r.nextBytes(b);
        switch (r.nextInt(5)) {
            case 1 -> { // STUN binding request
                if (b.length >= 20) {
                    b[0] = 0;
                    b[1] = 1;
                    b[4] = 0x21;
                    b[5] = 0x12;
                    b[6] = (byte) 0xA4;
                    b[7] = 0x42;
                }
            }
            case 2 -> b[0] = (byte) (20 + r.nextInt(4)); // DTLS record
            case 3 -> { // RTP with a real SSRC of the call
                if (b.length >= 12) {
                    b[0] = (byte) 0x80;
                    b[1] = 96;
                    b[8] = (byte) (ssrcHint >>> 24);
                    b[9] = (byte) (ssrcHint >>> 16);
                    b[10] = (byte) (ssrcHint >>> 8);
                    b[11] = (byte) ssrcHint;
                }
            }
            case 4 -> { // RTCP
                b[0] = (byte) 0x81;
                if (b.length > 1) {
                    b[1] = (byte) (200 + r.nextInt(7));
                }
            }
            default -> { }
        }
        return b;
    }

    @Test
    void garbageOnTheMediaPortIsDroppedAndCountedAndTheCallGoesOn() throws Exception {
        try (TestServer server = TestServer.start()) {
            MediaClient alice = server.media("call", "alice", "alice-cam");
            MediaClient bob = server.media("call", "bob", "bob-cam");
            alice.awaitReady(Duration.ofSeconds(10));
            bob.awaitReady(Duration.ofSeconds(10));
            int port = server.server().mediaPort();
            int video = alice.ssrc("video");
            PacketsSnapshot before = server.server().admin().mediaCounters();

            // From unknown sources: a few sockets on loopback, as fast as they can send.
            Random r = new Random(7);
            try (DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                 DatagramSocket b = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                for (int i = 0; i < PACKETS; i++) {
                    byte[] p = shaped(r, video);
                    (i % 2 == 0 ? a : b).send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), port));
                    if (i % 1000 == 0) {
                        alice.sendRtp("video", i / 1000 + 1, i * 90, false, new byte[400]);
                    }
                }
            }

            // Forged from alice's own address (raw socket, loopback only).
            int alicePort = alice.transport().selectedLocal().getPort();
            Path script = Path.of(MediaPortFuzzTest.class.getResource("/tools/spoof_udp.py").toURI());
            Process spoof = new ProcessBuilder("python3", script.toString(), String.valueOf(alicePort),
                    String.valueOf(port), String.valueOf(PACKETS / 4), "11").redirectErrorStream(true).start();
            assertThat(spoof.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(spoof.getInputStream().readAllBytes());
            assertThat(spoof.exitValue()).as("spoofer: " + out).isZero();

            // Nobody noticed: the call's media and signalling go on.
            long got = bob.inbound(video).packets.sum();
            for (int i = 0; i < 30; i++) {
                alice.sendRtp("video", 100 + i, 9000 + i * 3000, false, new byte[600]);
                Thread.sleep(3);
            }
            ForwardingTest.eventually("bob still receives alice", () -> bob.inbound(video).packets.sum() >= got + 30);
            assertThat(alice.signal().types()).doesNotContain("leave", "peerRemoved", "error");
            assertThat(bob.signal().types()).doesNotContain("leave", "peerRemoved", "error");
            assertThat(server.server().admin().snapshot().peerCount()).isEqualTo(2);

            PacketsSnapshot after = server.server().admin().mediaCounters();
            long dropped = after.drops().values().stream().mapToLong(Long::longValue).sum()
                    - before.drops().values().stream().mapToLong(Long::longValue).sum();
            System.out.println("media port drops by reason: " + after.drops());
            // ice4j discards non-STUN datagrams from unknown sources before RoomDeck sees them (uncounted); the
            // forged ones from alice's address reach her transport: the RTP/RTCP/garbage shaped part of them
            // (over half: STUN-shaped ones are answered or ignored by ice4j) must be counted as drops.
            assertThat(dropped).as("forged packets dropped and counted").isGreaterThan(PACKETS / 4 / 4);
            assertThat(after.drops("srtp-auth")).as("forged packets from alice's address fail SRTP").isPositive();
        }
    }

}
