package dev.roomdeck.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.PacketLog;
import dev.roomdeck.client.SimulcastCamera;
import dev.roomdeck.rtp.Vp8Payload;
import dev.roomdeck.sdp.MediaSection;
import dev.roomdeck.sdp.SessionDescription;
import dev.roomdeck.sdp.SsrcDescription;
import dev.roomdeck.sdp.SsrcGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Simulcast through a real server (ICE, DTLS, SRTP on 127.0.0.1): a publisher sends three VP8 layers as Chrome
 * does (rid-based, each layer its own SSRC and numbering), subscribers say with videoSize how large they want the
 * video, and each gets one stream that a decoder can follow across every layer switch: one SSRC, sequence numbers
 * without a gap or repeat, timestamps that move on with the clock, picture ids and TL0PICIDX that continue, and a
 * switch only where the new layer's keyframe begins.
 */
class SimulcastForwardingTest {
    /** The machine has two cores and sometimes runs browsers besides: waits are generous, checks exact. */
    private static final Duration READY = Duration.ofSeconds(20);
    private static final Duration SWITCH = Duration.ofSeconds(15);
    private static final int LOW = 0;
    private static final int MID = 1;
    private static final int TOP = 2;
    /** A gap in arrival this long is a pause the subscriber asked for, not the flow of frames. */
    private static final long PAUSE_NANOS = 500_000_000L;
    /** How far a switch's timestamp step may be from the arrival time that passed (loopback jitter, busy machine). */
    private static final double CLOCK_TOLERANCE_MILLIS = 250;

    private TestServer server;
    private MediaClient alice;
    private SimulcastCamera camera;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(this::configure);
    }

    /** The server these tests run against: embedded defaults (the fan-out chosen from the cores). */
    ServerConfig configure(ServerConfig c) {
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        if (camera != null) {
            camera.close();
        }
        if (alice != null) {
            alice.close();
        }
        server.close();
    }

    /** Alice publishes alice-cam with three layers (q, h, f); the subscribers record what they receive. */
    private void alicePublishesSimulcast(MediaClient... subscribers) throws Exception {
        alice = MediaClient.joinSimulcast(server.ws(), TestServer.APPKEY, "r1", "alice", server.token("r1", "alice"),
                "alice-cam", List.of("q", "h", "f"));
        alice.awaitReady(READY);
        for (MediaClient s : subscribers) {
            s.awaitReady(READY);
        }
        camera = new SimulcastCamera(alice).start();
    }

    private MediaClient subscriber(String name) throws Exception {
        MediaClient c = server.media("r1", name, null);
        c.recordPackets(); // before any packet: every packet of the stream is logged
        return c;
    }

    @Test
    void videoSizeWishesSwitchLayersInsideOneStreamThatADecoderCanFollow() throws Exception {
        MediaClient bob = subscriber("bob");
        MediaClient carol = subscriber("carol");
        alicePublishesSimulcast(bob, carol);

        // No wish yet: the best layer.
        Forwarded bobs = awaitForwarded(bob);
        Forwarded carols = awaitForwarded(carol);
        awaitLayer(bob, bobs, TOP, 0);
        awaitLayer(carol, carols, TOP, 0);

        // Carol's tile is 640x360 for the whole test: bob's switches must not touch her stream.
        carol.videoSize("alice", "alice-cam", 640, 360);
        awaitLayer(carol, carols, MID, carols.log().size());
        int carolSettled = carols.log().size();

        int[][] wishes = {{320, 180}, {1280, 720}, {640, 360}};
        int[] expected = {LOW, TOP, MID};
        for (int i = 0; i < wishes.length; i++) {
            Thread.sleep(1000); // a while on the layer before: the switch happens in a flowing stream
            int from = bobs.log().size();
            bob.videoSize("alice", "alice-cam", wishes[i][0], wishes[i][1]);
            awaitLayer(bob, bobs, expected[i], from);
        }

        // 0x0: no video of alice-cam now. Once the packets on their way are in, nothing more comes.
        Thread.sleep(1000);
        bob.videoSize("alice", "alice-cam", 0, 0);
        eventually("bob's stream stops after 0x0", SWITCH, () -> quietFor(bobs.log(), 600));
        int paused = bobs.log().size();
        Thread.sleep(1500);
        assertThat(bobs.log().size()).as("packets to bob after his 0x0").isEqualTo(paused);

        // The same tile shown again: the stream resumes on the middle layer.
        bob.videoSize("alice", "alice-cam", 640, 360);
        awaitLayer(bob, bobs, MID, paused);
        Thread.sleep(1000);
        camera.close();
        Thread.sleep(300); // the last packets on their way

        assertThat(bob.signal().types()).as("bob's inbox (no error for a videoSize)").doesNotContain("error");
        assertThat(carol.signal().types()).as("carol's inbox").doesNotContain("error");

        // Bob: one stream with the layers he asked for, in order, and one pause, between the two MID runs.
        assertOnlyTheForwardedSsrc(bob, bobs);
        List<PacketLog.Entry> b = bobs.log().entries();
        assertDecodable("bob", b);
        assertThat(runs(b)).as("bob's layers, run by run ('|' a pause)").isEqualTo("2 0 2 1 | 1");

        // Carol: her own continuous stream, the middle layer from her wish on, whatever bob asked for.
        assertOnlyTheForwardedSsrc(carol, carols);
        List<PacketLog.Entry> c = carols.log().entries();
        assertDecodable("carol", c);
        assertThat(runs(c)).as("carol's layers, run by run").isEqualTo("2 1");
        assertThat(c.subList(carolSettled, c.size())).as("carol after her wish")
                .allMatch(e -> SimulcastCamera.layerOfPayloadLength(e.payloadLength()) == MID);
    }

    /**
     * A subscriber that misses a packet of the rewritten stream asks for it by the number it saw: the server
     * answers from the cache of the layer the packet came from, rewritten as it was forwarded (sequence number,
     * timestamp, picture id, TL0PICIDX), as RTX on the forwarded stream's RTX SSRC. Both sides of a switch.
     */
    @Test
    void aNackAfterASwitchIsAnsweredInTheForwardedNumbering() throws Exception {
        MediaClient bob = subscriber("bob");
        alicePublishesSimulcast(bob);
        Forwarded bobs = awaitForwarded(bob);
        awaitLayer(bob, bobs, TOP, 0);

        Thread.sleep(500);
        int from = bobs.log().size();
        bob.videoSize("alice", "alice-cam", 320, 180);
        int switchAt = awaitLayer(bob, bobs, LOW, from);
        eventually("a few frames of the low layer", SWITCH, () -> bobs.log().size() > switchAt + 20);

        List<PacketLog.Entry> log = bobs.log().entries();
        PacketLog.Entry lastOfTop = log.get(switchAt - 1);
        PacketLog.Entry keyframe = log.get(switchAt);
        PacketLog.Entry later = log.get(switchAt + 9);
        assertThat(SimulcastCamera.layerOfPayloadLength(lastOfTop.payloadLength())).isEqualTo(TOP);
        bob.sendNack(bobs.ssrc(), lastOfTop.seq(), keyframe.seq(), later.seq());

        eventually("three retransmissions", SWITCH, () -> bob.rtxReceived().size() >= 3);
        List<MediaClient.RtxPacket> rtx = bob.rtxReceived();
        assertThat(rtx).hasSize(3);
        for (PacketLog.Entry wanted : List.of(lastOfTop, keyframe, later)) {
            MediaClient.RtxPacket r = rtx.stream().filter(p -> p.originalSeq() == wanted.seq()).findFirst()
                    .orElseThrow(() -> new AssertionError("no retransmission of " + wanted.seq() + ": " + rtx));
            assertThat(r.ssrc()).as("RTX SSRC of the forwarded stream").isEqualTo(bobs.rtxSsrc());
            assertThat(r.timestamp()).as("timestamp of %s", wanted.seq()).isEqualTo(wanted.timestamp());
            assertThat(r.marker()).isEqualTo(wanted.marker());
            byte[] payload = r.originalPayload();
            assertThat(payload.length).isEqualTo(wanted.payloadLength());
            assertThat(Vp8Payload.pictureId(payload, 0, payload.length)).as("picture id of %s", wanted.seq())
                    .isEqualTo(wanted.pictureId());
            assertThat(Vp8Payload.tl0PicIdx(payload, 0, payload.length)).isEqualTo(wanted.tl0PicIdx());
            assertThat(PacketLog.hash(payload, 0, payload.length)).as("payload of %s", wanted.seq())
                    .isEqualTo(wanted.payloadHash());
        }
        byte[] key = rtx.stream().filter(p -> p.originalSeq() == keyframe.seq()).findFirst().orElseThrow()
                .originalPayload();
        assertThat(Vp8Payload.width(key, 0, key.length)).as("the repaired keyframe is the low layer's").isEqualTo(320);
        assertThat(bob.rtxReceived()).hasSize(3);
    }

    // ---- what a decoder needs ----

    /**
     * Packet after packet, as a VP8 decoder behind a jitter buffer sees them: it starts at a keyframe; sequence
     * numbers go up by one (no gap, no repeat), also across a pause; timestamps never go back, and where the
     * layer changes or the stream resumes they step by about the time that passed; a new frame has the next
     * picture id, a base-layer frame the next TL0PICIDX and an upper-layer one the same; a layer change happens
     * only at the first packet of that layer's keyframe, whose size is the layer's.
     */
    private static void assertDecodable(String who, List<PacketLog.Entry> log) {
        assertThat(log).as(who + " received").isNotEmpty();
        PacketLog.Entry first = log.get(0);
        assertThat(first.keyframe()).as(who + ": the first packet starts a keyframe: " + first).isTrue();
        assertThat(layer(first)).as(who + ": a layer's payload length: " + first).isNotNegative();
        assertThat(first.width()).isEqualTo(SimulcastCamera.SIZES[layer(first)][0]);
        int framePicture = first.pictureId();
        int frameTl0 = first.tl0PicIdx();
        for (int i = 1; i < log.size(); i++) {
            PacketLog.Entry prev = log.get(i - 1);
            PacketLog.Entry e = log.get(i);
            String at = who + " packet " + i + " " + e + " after " + prev;
            assertThat(layer(e)).as("a layer's payload length at " + at).isNotNegative();
            assertThat(e.seq()).as("sequence number at " + at).isEqualTo((prev.seq() + 1) & 0xFFFF);
            int step = e.timestamp() - prev.timestamp();
            assertThat(step).as("timestamp step at " + at).isGreaterThanOrEqualTo(0);
            boolean switched = layer(e) != layer(prev);
            boolean resumed = e.arrivalNanos() - prev.arrivalNanos() > PAUSE_NANOS;
            if (switched || resumed) {
                assertThat(e.keyframe()).as("a switch or resume lands on a keyframe at " + at).isTrue();
                assertThat(e.width()).as("the keyframe's width is its layer's at " + at)
                        .isEqualTo(SimulcastCamera.SIZES[layer(e)][0]);
                double clock = step / 90.0;
                double wall = (e.arrivalNanos() - prev.arrivalNanos()) / 1e6;
                assertThat(Math.abs(clock - wall)).as("timestamp step %.1f ms for %.1f ms of arrival time at %s",
                        clock, wall, at).isLessThanOrEqualTo(CLOCK_TOLERANCE_MILLIS);
            }
            if (e.startOfFrame()) {
                assertThat(e.pictureId()).as("picture id of a new frame at " + at)
                        .isEqualTo((framePicture + 1) & 0x7FFF);
                int tl0 = e.temporalId() == 0 ? (frameTl0 + 1) & 0xFF : frameTl0;
                assertThat(e.tl0PicIdx()).as("TL0PICIDX of a new TID %d frame at %s", e.temporalId(), at)
                        .isEqualTo(tl0);
                framePicture = e.pictureId();
                frameTl0 = e.tl0PicIdx();
            } else {
                assertThat(e.pictureId()).as("picture id inside a frame at " + at).isEqualTo(framePicture);
                assertThat(e.tl0PicIdx()).as("TL0PICIDX inside a frame at " + at).isEqualTo(frameTl0);
                assertThat(layer(e)).as("the rest of a frame comes from its layer at " + at).isEqualTo(layer(prev));
            }
        }
    }

    /** The layers a log went through, run by run ("2 0 2"), with " |" where the stream paused. */
    private static String runs(List<PacketLog.Entry> log) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < log.size(); i++) {
            PacketLog.Entry e = log.get(i);
            PacketLog.Entry prev = i == 0 ? null : log.get(i - 1);
            if (prev != null && e.arrivalNanos() - prev.arrivalNanos() > PAUSE_NANOS) {
                b.append(" | ").append(layer(e));
            } else if (prev == null || layer(e) != layer(prev)) {
                b.append(b.length() == 0 ? "" : " ").append(layer(e));
            }
        }
        return b.toString();
    }

    private static int layer(PacketLog.Entry e) {
        return SimulcastCamera.layerOfPayloadLength(e.payloadLength());
    }

    // ---- the forwarded stream ----

    /** The stream a subscriber gets of alice-cam's video: the SSRCs the server's offer announced, and its log. */
    private record Forwarded(int ssrc, int rtxSsrc, PacketLog log) {
    }

    /** Waits for alice's video at {@code who} and reads its SSRCs from the offer that announced it. */
    private Forwarded awaitForwarded(MediaClient who) throws Exception {
        eventually(who.user() + " receives alice's video", READY, () -> !who.receivedSsrcs().isEmpty());
        long[] ssrcs = announcedVideo(who.remoteOffer(), "alice-cam");
        assertThat(who.receivedSsrcs()).as(who.user() + "'s SSRCs, offered " + (int) ssrcs[0])
                .containsExactly((int) ssrcs[0]);
        return new Forwarded((int) ssrcs[0], (int) ssrcs[1], who.inbound((int) ssrcs[0]).log());
    }

    /** Media and RTX SSRC of a stream's video in an offer (its FID group, else its only SSRC and 0). */
    private static long[] announcedVideo(String offer, String streamId) throws Exception {
        assertThat(offer).as("an offer was answered").isNotNull();
        SessionDescription sd = SessionDescription.parse(offer);
        for (MediaSection m : sd.media()) {
            if (!"video".equals(m.kind()) || m.msid() == null || !streamId.equals(m.msid().streamId())) {
                continue;
            }
            for (SsrcGroup g : m.ssrcGroups()) {
                if (g.semantics().equals("FID")) {
                    return new long[] {g.ssrcs().get(0), g.ssrcs().get(1)};
                }
            }
            List<SsrcDescription> sources = m.sources();
            assertThat(sources).as("ssrc lines of " + streamId + "'s video").hasSize(1);
            return new long[] {sources.get(0).ssrc(), 0};
        }
        throw new AssertionError("no video of " + streamId + " in the offer:\n" + offer);
    }

    /** The subscriber got packets on the forwarded SSRC only, never on one of the publisher's layer SSRCs. */
    private void assertOnlyTheForwardedSsrc(MediaClient who, Forwarded f) {
        List<Integer> layers = new ArrayList<>();
        for (int i = 0; i < alice.layerCount(); i++) {
            layers.add(alice.layerSsrc(i));
        }
        assertThat(layers).as("alice's layer SSRCs").doesNotContain(f.ssrc());
        assertThat(who.receivedSsrcs()).as(who.user() + "'s SSRCs").containsExactly(f.ssrc());
        assertThat(who.rtxPackets()).as(who.user() + "'s retransmissions (none asked for)").isZero();
    }

    /**
     * Waits until a packet of {@code layer} arrives at or after log index {@code from}; returns its index. Whether it
     * came in the right place (a keyframe, numbers continued) is {@link #assertDecodable}'s business.
     */
    private static int awaitLayer(MediaClient who, Forwarded f, int layer, int from) throws InterruptedException {
        int[] at = {-1};
        eventually(who.user() + " switches to layer " + layer + " (" + SimulcastCamera.SIZES[layer][0] + " wide)",
                SWITCH, () -> {
                    List<PacketLog.Entry> log = f.log().entries(from);
                    for (int i = 0; i < log.size(); i++) {
                        if (layer(log.get(i)) == layer) {
                            at[0] = from + i;
                            return true;
                        }
                    }
                    return false;
                });
        return at[0];
    }

    /** No packet for the last {@code millis} ms. */
    private static boolean quietFor(PacketLog log, long millis) {
        int n = log.size();
        if (n == 0) {
            return false;
        }
        long last = log.entries(n - 1).get(0).arrivalNanos();
        return System.nanoTime() - last > millis * 1_000_000L;
    }

    private static void eventually(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
