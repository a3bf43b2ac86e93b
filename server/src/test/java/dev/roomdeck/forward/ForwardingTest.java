package dev.roomdeck.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.SignalClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The media plane with real ICE, DTLS and SRTP over UDP on 127.0.0.1: Java clients publish synthetic RTP through
 * a real server and receive each other's.
 */
class ForwardingTest {
    private static final Duration READY = Duration.ofSeconds(10);
    private TestServer server;

    TestServer server() {
        return server;
    }

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(this::configure);
    }

    /** The server these tests run against: a short consent timeout, the fan-out chosen from the cores. */
    ServerConfig configure(ServerConfig c) {
        return c.withLimits(new ServerConfig.Limits(256 * 1024, 200, 32, 64, 10_000, 60, 3));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Alice publishing, Bob receiving, with alice's video already reaching him. */
    private record Two(MediaClient alice, MediaClient bob, int video) {
    }

    private Two aliceSendingToBob() throws Exception {
        MediaClient alice = server.media("r1", "alice", "alice-cam");
        MediaClient bob = server.media("r1", "bob", null);
        alice.awaitReady(READY);
        bob.awaitReady(READY);
        int video = alice.ssrc("video");
        pumpUntil("media flows", alice, () -> bob.inbound(video).packets.sum() > 0);
        return new Two(alice, bob, video);
    }

    /** Alice publishing, Bob and Carol receiving, with alice's video already reaching both. */
    private record Three(MediaClient alice, MediaClient bob, MediaClient carol, int video) {
    }

    private Three aliceSendingToBobAndCarol() throws Exception {
        MediaClient alice = server.media("r1", "alice", "alice-cam");
        MediaClient bob = server.media("r1", "bob", null);
        MediaClient carol = server.media("r1", "carol", null);
        alice.awaitReady(READY);
        bob.awaitReady(READY);
        carol.awaitReady(READY);
        int video = alice.ssrc("video");
        pumpUntil("media flows to both", alice, () -> bob.inbound(video).packets.sum() > 0
                && carol.inbound(video).packets.sum() > 0);
        return new Three(alice, bob, carol, video);
    }

    /** Sends video packet 1 again and again (the first may meet a subscription not yet built) until {@code done}. */
    static void pumpUntil(String what, MediaClient from, BooleanSupplier done) throws InterruptedException {
        pumpUntil(what, from, 1, done);
    }

    static void pumpUntil(String what, MediaClient from, int seq, BooleanSupplier done) throws InterruptedException {
        eventually(what, () -> {
            try {
                pump(from, seq, 1);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            return done.getAsBoolean();
        });
    }

    /** Sends video packets with distinct random payloads until the condition holds; returns the last payload. */
    static byte[] pump(MediaClient from, int firstSeq, int count) throws InterruptedException {
        byte[] payload = null;
        for (int i = 0; i < count; i++) {
            payload = new byte[200 + i % 700];
            ThreadLocalRandom.current().nextBytes(payload);
            from.sendRtp("video", firstSeq + i, 90 * (firstSeq + i), i % 10 == 9, payload);
            Thread.sleep(2);
        }
        return payload;
    }

    @Test
    void aPublishersPayloadsReachTwoSubscribersBitExact() throws Exception {
        Three room = aliceSendingToBobAndCarol();
        MediaClient alice = room.alice();
        MediaClient bob = room.bob();
        MediaClient carol = room.carol();
        int video = room.video();

        long bobBefore = bob.inbound(video).packets.sum();
        byte[] last = pump(alice, 100, 50);
        eventually("50 packets at bob and carol", () -> bob.inbound(video).packets.sum() >= bobBefore + 50
                && bob.inbound(video).lastSeq.get() == 149 && carol.inbound(video).lastSeq.get() == 149);
        assertThat(bob.inbound(video).lastPayload).isEqualTo(last);
        assertThat(carol.inbound(video).lastPayload).isEqualTo(last);
        assertThat(bob.inbound(video).lastPayloadType).isEqualTo(96);
        assertThat(alice.inbound(video).packets.sum()).as("no echo to the publisher").isZero();
    }

    @Test
    void remoteAndOperatorMuteStopPacketsAndUnmuteResumesWithAKeyframeRequest() throws Exception {
        Three room = aliceSendingToBobAndCarol();
        MediaClient alice = room.alice();
        MediaClient bob = room.bob();
        MediaClient carol = room.carol();
        int video = room.video();

        // Bob stops receiving alice's video for himself: carol still gets it.
        bob.configure("alice", "alice-cam", false, null, false);
        Thread.sleep(300);
        long bobAt = bob.inbound(video).packets.sum();
        long carolAt = carol.inbound(video).packets.sum();
        pump(alice, 1000, 30);
        eventually("carol receives", () -> carol.inbound(video).packets.sum() >= carolAt + 30);
        assertThat(bob.inbound(video).packets.sum()).isEqualTo(bobAt);

        // Bob resumes: a keyframe request reaches alice, and packets flow again.
        long plis = alice.plisReceived();
        bob.configure("alice", "alice-cam", false, null, true);
        eventually("keyframe request at alice", () -> alice.plisReceived() > plis);
        pump(alice, 2000, 10);
        eventually("bob receives again", () -> bob.inbound(video).packets.sum() >= bobAt + 10);

        // The operator mutes alice's video for everyone.
        server.server().admin().mute("r1", "alice", "alice-cam", false, true);
        Thread.sleep(300);
        long b2 = bob.inbound(video).packets.sum();
        long c2 = carol.inbound(video).packets.sum();
        pump(alice, 3000, 30);
        Thread.sleep(300);
        assertThat(bob.inbound(video).packets.sum()).isEqualTo(b2);
        assertThat(carol.inbound(video).packets.sum()).isEqualTo(c2);
        long plis2 = alice.plisReceived();
        server.server().admin().mute("r1", "alice", "alice-cam", false, false);
        eventually("keyframe request after operator unmute", () -> alice.plisReceived() > plis2);
        pump(alice, 4000, 10);
        eventually("both receive again", () -> bob.inbound(video).packets.sum() >= b2 + 10
                && carol.inbound(video).packets.sum() >= c2 + 10);
    }

    @Test
    void aNackIsAnsweredFromTheCacheAsRtx() throws Exception {
        Two pair = aliceSendingToBob();
        MediaClient alice = pair.alice();
        MediaClient bob = pair.bob();
        int video = pair.video();
        byte[] wanted = new byte[300];
        ThreadLocalRandom.current().nextBytes(wanted);
        alice.sendRtp("video", 500, 45000, false, wanted);
        pump(alice, 501, 5);
        eventually("packet 505 arrived", () -> bob.inbound(video).lastSeq.get() == 505);

        bob.sendNack(video, 500);

        eventually("an RTX packet arrives", () -> bob.rtxPackets() > 0);
        byte[] rtx = bob.lastRtxPayload();
        assertThat(MediaClient.rtxOriginalSequence(rtx)).isEqualTo(500);
        assertThat(Arrays.copyOfRange(rtx, 2, rtx.length)).isEqualTo(wanted);
    }

    /**
     * While the operator mutes a camera, its packets still reach the server (the publisher keeps sending) but not the
     * subscribers. After the unmute the subscriber sees a gap in the sequence numbers and asks for it: the server
     * must not hand over what was muted, while a real loss after the unmute is still repaired.
     */
    @Test
    void aNackAfterAnUnmuteGetsNothingFromTheMutedPeriod() throws Exception {
        Two pair = aliceSendingToBob();
        MediaClient alice = pair.alice();
        MediaClient bob = pair.bob();
        int video = pair.video();
        pump(alice, 100, 10);
        eventually("packet 109 arrived", () -> bob.inbound(video).lastSeq.get() == 109);

        server.server().admin().mute("r1", "alice", "alice-cam", false, true);
        long before = bob.inbound(video).packets.sum();
        pump(alice, 110, 20); // 110..129: what the camera saw while muted
        Thread.sleep(300);
        assertThat(bob.inbound(video).packets.sum()).as("nothing forwarded while muted").isEqualTo(before);

        server.server().admin().mute("r1", "alice", "alice-cam", false, false);
        pumpUntil("forwarding again", alice, 130, () -> bob.inbound(video).lastSeq.get() == 130);
        pump(alice, 131, 10);
        eventually("packet 140 arrived", () -> bob.inbound(video).lastSeq.get() == 140);

        bob.sendNack(video, 115, 120, 125);
        Thread.sleep(500);
        assertThat(bob.rtxPackets()).as("repairs of muted packets").isZero();

        bob.sendNack(video, 135); // a packet forwarded after the unmute: the control that the test can fail
        eventually("the real repair arrives", () -> bob.rtxPackets() == 1);
        assertThat(MediaClient.rtxOriginalSequence(bob.lastRtxPayload())).isEqualTo(135);
    }

    /**
     * The counter tree of the forwarding stage: every packet a track uses is counted in once and out once per
     * subscriber, through track → peer → media plane; a packet with an SSRC nobody announced is one drop, counted
     * once (it used to be twice: as a string at the plane and in the peer's own tally).
     */
    @Test
    void forwardingCountsEachPacketInOnceOutPerSubscriberAndEachDropOnce() throws Exception {
        Three room = aliceSendingToBobAndCarol();
        MediaClient alice = room.alice();
        MediaClient bob = room.bob();
        MediaClient carol = room.carol();
        int video = room.video();
        dev.roomdeck.media.PacketSnapshot before = server.server().forwardingCounters();
        pump(alice, 100, 50);
        eventually("both got the 50", () -> bob.inbound(video).lastSeq.get() == 149
                && carol.inbound(video).lastSeq.get() == 149);
        byte[] stranger = java.nio.ByteBuffer.allocate(12 + 20).put((byte) 0x80).put((byte) 96).putShort((short) 1)
                .putInt(90).putInt(0x0BAD_5EED).array(); // an SSRC alice never announced
        alice.transport().sendRtp(stranger, 0, stranger.length);
        eventually("the stranger dropped", () -> server.server().admin().mediaCounters().drops("rtp-unknown-ssrc") == 1);

        dev.roomdeck.media.PacketSnapshot after = server.server().forwardingCounters();
        assertThat(after.rtpReceived() - before.rtpReceived()).as("packets used").isEqualTo(50);
        assertThat(after.rtpSent() - before.rtpSent()).as("copies to two subscribers").isEqualTo(100);
        assertThat(after.drops("rtp-unknown-ssrc")).isEqualTo(1);
        assertThat(server.server().admin().mediaCounters().drops("rtp-unknown-ssrc")).isEqualTo(1);
    }

    @Test
    void publishersGetRembWithTheStreamsBitrate() throws Exception {
        MediaClient alice = server.media("r1", "alice", "alice-cam");
        alice.awaitReady(READY);
        pump(alice, 1, 20);
        eventually("REMB at alice", () -> alice.lastRembBps() > 0);
        assertThat(alice.lastRembBps()).isBetween(990_000L, 1_010_000L);
    }

    /**
     * A client's "no video from this stream" report (renegotiate, reason no-media) is answered from what the media
     * plane sees: "wait" while the publisher sends nothing (a fresh offer would change nothing), a keyframe request
     * to the publisher while the video is forwarded to the client, and a fresh offer only when a keyframe did not help.
     */
    @Test
    void aNoMediaReportIsAnsweredByWhatTheServerForwards() throws Exception {
        MediaClient alice = server.media("r1", "alice", "alice-cam");
        MediaClient bob = server.media("r1", "bob", null);
        alice.awaitReady(READY);
        bob.awaitReady(READY);
        // The client finishes DTLS a moment before the server marks the transport ready: only then is the answer "wait".
        eventually("bob's transport ready at the server", () -> "ready".equals(transportStateOf("bob")));

        // Alice's camera has sent nothing yet.
        JsonNode reply = noMedia(bob, "alice-cam");
        assertThat(reply.path("action").asText()).isEqualTo("wait");
        assertThat(reply.path("detail").asText()).contains("has not reached the server");
        assertThat(failuresOf("bob")).isZero();

        int video = alice.ssrc("video");
        java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread camera = new Thread(() -> {
            for (int seq = 1; sending.get(); seq++) {
                alice.sendRtp("video", seq, 90 * seq, true, new byte[300]);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        camera.start();
        try {
            eventually("video reaches bob", () -> bob.inbound(video).packets.sum() > 20);
            long plis = alice.plisReceived();
            reply = noMedia(bob, "alice-cam");
            assertThat(reply.path("action").asText()).isEqualTo("keyframe");
            eventually("the keyframe request reaches alice", () -> alice.plisReceived() > plis);
            assertThat(failuresOf("bob")).isZero();

            // Still no picture at bob a while later: now the negotiation is suspect, and a fresh offer is the answer
            // (no reply on the request's id; the operator sees a negotiation failure).
            String id = bob.signal().send("renegotiate", bob.signal().object().put("reason", "no-media")
                    .put("msid", "alice-cam").put("message", "still nothing"));
            eventually("counted as a negotiation failure", () -> failuresOf("bob") == 1);
            assertThat(bob.signal().receivesWithin("renegotiate", Duration.ofMillis(300))).isFalse();
            assertThat(id).isNotNull();
        } finally {
            sending.set(false);
            camera.join();
        }
    }

    /**
     * RFC 8843 §9.2: a publisher that sends a track on an SSRC its SDP never declared (RTCEngine's SDK after a local
     * rollback; clients that declare none) is understood by the MID header extension naming the track's m-section,
     * once the declared SSRC is silent: subscribers are offered the new SSRC and get the packets. A stray SSRC
     * while the declared one is alive is only counted.
     */
    @Test
    void anUnsignalledSsrcIsLearnedFromTheMidExtensionOfItsSection() throws Exception {
        MediaClient alice = server.media("r1", "alice", "alice-cam");
        MediaClient bob = server.media("r1", "bob", null);
        alice.awaitReady(READY);
        bob.awaitReady(READY);
        int declared = alice.ssrc("video");
        int actual = declared ^ 0x5a5a5a5a;
        eventually("the declared video reaches bob", () -> {
            alice.sendRtp("video", 1, 90, true, new byte[100]);
            return bob.inbound(declared).packets.sum() > 0;
        });

        // While the declared SSRC is alive, a stray one naming the same section is dropped, not learned.
        long strayDeadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        for (int seq = 2; System.nanoTime() < strayDeadline; seq++) {
            alice.sendRtp("video", seq, 90 * seq, true, new byte[100]);
            sendWithMid(alice, actual, seq, "1", 96);
            Thread.sleep(20);
        }
        assertThat(bob.inbound(actual).packets.sum()).isZero();

        // The declared SSRC falls silent and the track goes on under the other one: bob gets it.
        Thread.sleep(1200);
        int[] seq = {5000};
        eventually("bob receives the track on its new SSRC", () -> {
            sendWithMid(alice, actual, seq[0]++, "1", 96);
            return bob.inbound(actual).packets.sum() > 5;
        });
    }

    /** An RTP packet from {@code from}'s transport on any SSRC, with the MID header extension (id 4, as offered). */
    private static void sendWithMid(MediaClient from, int ssrc, int seq, String mid, int payloadType) {
        byte[] p = new byte[12 + 8 + 100];
        p[0] = (byte) 0x90; // V=2, X=1
        p[1] = (byte) (0x80 | payloadType);
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        int ts = seq * 3000;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 1; // one 32-bit word of elements
        p[16] = (byte) ((4 << 4) | (mid.length() - 1));
        p[17] = (byte) mid.charAt(0);
        from.transport().sendRtp(p, 0, p.length);
    }

    private static JsonNode noMedia(MediaClient who, String msid) throws InterruptedException {
        String id = who.signal().send("renegotiate", who.signal().object().put("reason", "no-media").put("msid", msid)
                .put("message", "no video from stream " + msid + " for 10 s"));
        return who.signal().await(m -> m.type().equals("renegotiate") && m.id() != null && id.equals(m.id().asText()),
                READY, "the renegotiate reply").data();
    }

    private String transportStateOf(String peerId) {
        return server.server().admin().snapshot().rooms().stream().flatMap(r -> r.peers().stream())
                .filter(p -> p.id().equals(peerId)).findFirst().orElseThrow().transportState();
    }

    private int failuresOf(String peerId) {
        return server.server().admin().snapshot().rooms().stream().flatMap(r -> r.peers().stream())
                .filter(p -> p.id().equals(peerId)).findFirst().orElseThrow().negotiationFailures();
    }

    @Test
    void aSilentPeerIsRemovedByConsentTimeout() throws Exception {
        MediaClient alice = server.media("r1", "alice", null);
        MediaClient bob = server.media("r1", "bob", "bob-cam");
        alice.awaitReady(READY);
        bob.awaitReady(READY);

        bob.transport().close(); // media dies, signalling stays

        SignalClient.Received removed = alice.signal().await(m -> m.type().equals("peerRemoved"),
                Duration.ofSeconds(15), "peerRemoved bob");
        assertThat(removed.data().at("/peer/id").asText()).isEqualTo("bob");
        assertThat(bob.signal().await("leave", Duration.ofSeconds(5)).data().get("reason").asText()).isEqualTo("timeout");
    }

    @Test
    void aWrongFingerprintIsRefused() throws Exception {
        MediaClient mallory = MediaClient.joinWithForgedFingerprint(server.ws(), TestServer.APPKEY, "r1", "mallory",
                server.token("r1", "mallory"), "m-cam");
        try {
            SignalClient.Received leave = mallory.signal().await("leave", Duration.ofSeconds(15));
            assertThat(leave.data().get("reason").asText()).isEqualTo("media-failed");
            assertThat(server.server().mediaEndpoint().counters().drops("dtls-fingerprint")).isGreaterThanOrEqualTo(1);
            eventually("mallory's transport closed on the server", () -> server.server().mediaEndpoint().transportCount() == 0);
            assertThat(server.server().admin().snapshot().peerCount()).isZero();
        } finally {
            mallory.close();
        }
    }

    @Test
    void teardownLeavesNothingRegistered() throws Exception {
        MediaClient alice = server.media("r1", "alice", "alice-cam");
        MediaClient bob = server.media("r1", "bob", null);
        alice.awaitReady(READY);
        bob.awaitReady(READY);
        assertThat(server.server().mediaEndpoint().transportCount()).isEqualTo(2);

        alice.close();
        bob.close();

        eventually("transports unregistered", () -> server.server().mediaEndpoint().transportCount() == 0
                && server.server().admin().snapshot().rooms().isEmpty());
        eventually("transport threads gone", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("transport-r1/")));
    }
}
