package dev.roomdeck.browser;

import static dev.roomdeck.browser.Browser.number;
import static dev.roomdeck.browser.BrowserMeeting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.admin.PeerSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proof that counts: three real Chromium instances join one room through the bundled web page, publish
 * their fake camera and microphone through RoomDeck (their own ICE, DTLS and SRTP), and decode each other.
 * Runs only inside a loopback-only network namespace (the README's test command makes one).
 */
class BrowserMediaTest {
    private static final String ROOM = "media";
    private static final List<String> NAMES = List.of("alice", "bob", "carol");

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();

    @Test
    void threeBrowsersSeeAndHearEachOtherThroughTheServer() throws Exception {
        TestServer server = meeting.startServer();
        long[] joinToFirstFrameMillis = new long[NAMES.size()];
        long testStart = System.nanoTime();
        for (int i = 0; i < NAMES.size(); i++) {
            // The fake camera at 640x480 and 30 fps (its default 20 fps flat pattern needs only ~500 kbps of VP8
            // whatever the bandwidth estimate allows).
            Browser b = meeting.browser("--use-fake-device-for-media-stream=fps=30");
            long opened = System.nanoTime();
            meeting.join(b, meeting.page(ROOM, NAMES.get(i)).video("640x480"));
            long joined = System.nanoTime();
            if (i > 0) {
                String first = NAMES.get(0);
                meeting.awaitDecodes(b, first, 0, Duration.ofSeconds(20));
                joinToFirstFrameMillis[i] = (System.nanoTime() - joined) / 1_000_000;
                System.out.printf("%s: page open→joined %d ms, joined→first decoded frame of %s %d ms%n",
                        NAMES.get(i), (joined - opened) / 1_000_000, first, joinToFirstFrameMillis[i]);
            }
        }

        List<Browser> browsers = meeting.browsers();
        // Every page decodes the other two's video at 640x480 and receives their audio, over 127.0.0.1.
        for (int i = 0; i < NAMES.size(); i++) {
            Browser b = browsers.get(i);
            for (String other : NAMES) {
                if (other.equals(NAMES.get(i))) {
                    continue;
                }
                String who = NAMES.get(i) + "←" + other;
                eventually(who + " decodes video", Duration.ofSeconds(20), () -> b.framesDecodedFrom(other) > 10);
                long before = b.framesDecodedFrom(other);
                long audioBefore = number(b.peerStats(other), "audioBytesReceived");
                Thread.sleep(1000);
                Map<String, Object> r = b.peerStats(other);
                assertThat(number(r, "framesDecoded")).as(who + " frames rising").isGreaterThan(before);
                assertThat(number(r, "audioBytesReceived")).as(who + " audio").isGreaterThan(audioBefore);
                // The tile (a third of the page) is larger than the middle layer: the full 640x480 comes within a few
                // seconds (the encoder ramps up, the server switches at the top layer's keyframe). On a machine this
                // busy a browser now and then reports its own slowness as a full link; the server then lowers its
                // layers, holds them 5 s and steps back up as the estimate allows, so give it 30 s.
                Browser sender = browsers.get(NAMES.indexOf(other));
                int page = i;
                try {
                    eventually(who + " at 640x480", Duration.ofSeconds(30), () -> number(b.peerStats(other), "frameWidth") == 640
                            && number(b.peerStats(other), "frameHeight") == 480);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; the page asked " + b.js("return window.roomdeck.videoSizes")
                            + "; its sender: " + sender.roomdeckStats().get("outbound") + "; the server sends: "
                            + receivingAt(server, NAMES.get(page)), e);
                }
            }
            Map<String, Object> pair = b.selectedPair();
            assertThat(pair).as("selected pair of " + NAMES.get(i)).isNotEmpty();
            assertThat(((Map<String, Object>) pair.get("local")).get("address")).isEqualTo("127.0.0.1");
            assertThat(((Map<String, Object>) pair.get("remote")).get("address")).isEqualTo("127.0.0.1");
        }

        // Feedback lets Chrome's sender ramp up: by 20 s each publisher sends above 500 kbps.
        long sinceStart = (System.nanoTime() - testStart) / 1_000_000;
        if (sinceStart < 20_000) {
            Thread.sleep(20_000 - sinceStart);
        }
        for (Browser b : browsers) {
            b.roomdeckStats();
        }
        Thread.sleep(1100);
        for (int i = 0; i < NAMES.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> out = (Map<String, Object>) browsers.get(i).roomdeckStats().get("outbound");
            long kbps = number(out, "videoBitrate");
            System.out.printf("%s sends video at %d kbps after 20 s (target %s kbps, limited by %s)%n",
                    NAMES.get(i), kbps, out.get("targetBitrate"), out.get("qualityLimitationReason"));
            assertThat(kbps).as(NAMES.get(i) + " send bitrate").isGreaterThan(500);
        }

        // The operator mutes carol's video: the others' decoders stop; unmute resumes within 2 s.
        PeerSnapshot carol = server.server().admin().snapshot().rooms().get(0).peers().stream()
                .filter(p -> p.id().equals("carol")).findFirst().orElseThrow();
        String carolStream = carol.streams().get(0).msid();
        server.server().admin().mute(ROOM, "carol", carolStream, false, true);
        Thread.sleep(700);
        long aliceSees = browsers.get(0).framesDecodedFrom("carol");
        long bobSees = browsers.get(1).framesDecodedFrom("carol");
        Thread.sleep(1500);
        assertThat(browsers.get(0).framesDecodedFrom("carol")).as("alice←carol muted").isLessThanOrEqualTo(aliceSees + 1);
        assertThat(browsers.get(1).framesDecodedFrom("carol")).as("bob←carol muted").isLessThanOrEqualTo(bobSees + 1);
        long unmutedAt = System.nanoTime();
        server.server().admin().mute(ROOM, "carol", carolStream, false, false);
        long a0 = browsers.get(0).framesDecodedFrom("carol");
        long b0 = browsers.get(1).framesDecodedFrom("carol");
        eventually("video resumes after unmute", Duration.ofSeconds(2), () -> browsers.get(0).framesDecodedFrom("carol") > a0 + 2
                && browsers.get(1).framesDecodedFrom("carol") > b0 + 2);
        System.out.printf("operator unmute → frames decoded again after %d ms%n", (System.nanoTime() - unmutedAt) / 1_000_000);

        // Carol leaves: the others' tiles for her go away.
        browsers.get(2).js("document.getElementById('leave-button').click()");
        for (int i = 0; i < 2; i++) {
            Browser b = browsers.get(i);
            eventually(NAMES.get(i) + " drops carol's tile", Duration.ofSeconds(5),
                    () -> Boolean.TRUE.equals(b.js("return document.querySelector('.tile[data-peer-id=\"carol\"]') === null")));
        }
        assertThat(server.server().admin().snapshot().peerCount()).isEqualTo(2);
    }

    /** What the server says it sends {@code peerId} (layer, reason, its link estimate): printed when a size is wrong. */
    private static String receivingAt(TestServer server, String peerId) {
        return server.server().admin().snapshot().rooms().stream().flatMap(r -> r.peers().stream())
                .filter(p -> p.id().equals(peerId)).map(p -> p.receiving() + " estimate " + p.linkEstimateBps())
                .findFirst().orElse("?");
    }
}
