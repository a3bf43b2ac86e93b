package dev.roomdeck.browser;

import static dev.roomdeck.browser.Browser.number;
import static dev.roomdeck.browser.BrowserMeeting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.ReceivedVideoSnapshot;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Simulcast as people meet it, in Chromium through the bundled page: Ana's camera goes out in three layers;
 * what Cy receives of it follows the tile Cy draws it in. A small tile (Cy pinned Ben large, so Ana sits in the
 * strip) gets the low layer; pinning Ana gets the full picture within 1.5 s without a freeze; pausing Ana's video
 * for oneself stops it arriving. Ben, meanwhile, keeps what his own tile asks for.
 */
class SimulcastBrowserTest {
    private static final String ROOM = "layers";
    private static final Duration JOIN = Duration.ofSeconds(40);
    /**
     * Ana's camera: 960x540 (layers 240, 480 and 960 px wide). Chrome starts a layer only once its estimate covers
     * the layers below and the new one's minimum; at 720p that takes ~1.25 Mbit/s, which two cores busy with three
     * browsers do not always let its delay-based estimate reach, at 540p ~1 Mbit/s.
     */
    private static final String ANA_CAMERA = "960x540";
    private static final long ANA_WIDTH = 960;
    /** The slow link's rate: see the test that uses it. */
    private static final long LINK_BPS = 450_000;

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();

    private static String tile(String peer) {
        return "document.querySelector('.tile[data-peer-id=\"" + peer + "\"]')";
    }

    @Test
    void aSmallTileGetsTheLowLayerAnEnlargedOneTheFullPictureWithoutAFreezeAndAPausedOneNothing() throws Exception {
        TestServer server = meeting.startServer();
        Browser ana = meeting.join(meeting.browser(), meeting.page(ROOM, "ana").video(ANA_CAMERA));
        Browser ben = meeting.join(meeting.browser(), meeting.page(ROOM, "ben").video("320x240"));
        // Cy's screen is a full-HD one: its stage is wider than the 640 px layer.
        Browser cy = meeting.join(meeting.browser("--window-size=1920,1080"), meeting.page(ROOM, "cy").video("320x240"));
        awaitThreeLayers(ana);
        meeting.awaitDecodes(cy, "ana", 10, JOIN);
        meeting.awaitDecodes(cy, "ben", 10, JOIN);

        // Cy pins Ben large: Ana's tile goes to the strip, and Cy gets Ana's low layer.
        cy.js(tile("ben") + ".querySelector('[data-action=pin]').click()");
        eventually("cy's tile of ana is small and gets the low layer", Duration.ofSeconds(15),
                () -> number(cy.peerStats("ana"), "frameWidth") > 0 && number(cy.peerStats("ana"), "frameWidth") <= 320);
        Thread.sleep(1000); // the last frames of the larger layer are out of the receive-rate window
        long bytes0 = number(cy.peerStats("ana"), "bytesReceived");
        long t0 = System.nanoTime();
        Thread.sleep(3000);
        double kbps = (number(cy.peerStats("ana"), "bytesReceived") - bytes0) * 8.0 / ((System.nanoTime() - t0) / 1e9) / 1000;
        System.out.printf("cy receives ana's low layer: %d px wide, %.0f kbps (ana's tile asks %s)%n",
                number(cy.peerStats("ana"), "frameWidth"), kbps, cy.js("return JSON.stringify(window.roomdeck.videoSizes)"));
        assertThat(number(cy.peerStats("ana"), "frameWidth")).isLessThanOrEqualTo(320);
        assertThat(kbps).as("the low layer's rate").isLessThanOrEqualTo(300);
        assertThat(reception(server, "cy", "ana").reason()).isEqualTo("size");

        // Cy pins Ana: the full picture, switched at a keyframe of the top layer, with no freeze on the way.
        Map<String, Object> before = cy.peerStats("ana");
        cy.js(tile("ana") + ".querySelector('[data-action=pin]').click()");
        long pinned = System.nanoTime();
        try {
            eventually("cy gets ana's full picture", Duration.ofSeconds(10), () -> number(cy.peerStats("ana"), "frameWidth") == ANA_WIDTH);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": cy gets " + cy.peerStats("ana") + ", asks "
                    + cy.js("return JSON.stringify(window.roomdeck.videoSizes)") + "; the server: " + receiving(server, "cy")
                    + "; ana sends " + ana.roomdeckStats().get("outbound"), e);
        }
        long tookMillis = (System.nanoTime() - pinned) / 1_000_000;
        Thread.sleep(2000);
        Map<String, Object> after = cy.peerStats("ana");
        double frozenSeconds = ((Number) after.getOrDefault("totalFreezesDuration", 0)).doubleValue()
                - ((Number) before.getOrDefault("totalFreezesDuration", 0)).doubleValue();
        System.out.printf("pinned → " + ANA_WIDTH + " px in %d ms; freezes meanwhile: %d (%.0f ms)%n", tookMillis,
                number(after, "freezeCount") - number(before, "freezeCount"), frozenSeconds * 1000);
        assertThat(tookMillis).as("the full picture within 1.5 s (the poll itself adds up to ~0.2 s)").isLessThanOrEqualTo(1700);
        assertThat(frozenSeconds).as("no freeze longer than 300 ms while switching").isLessThanOrEqualTo(0.3);
        assertThat(reception(server, "cy", "ana").layer()).isEqualTo(2);

        // Ben's own view of Ana never followed Cy's: his tile of her is in his grid, not Cy's strip or stage.
        assertThat(number(ben.peerStats("ana"), "frameWidth")).as("ben's size of ana").isGreaterThan(0);
        ReceivedVideoSnapshot bens = reception(server, "ben", "ana");
        assertThat(bens.reason()).isIn("size", "best");

        // Cy pauses Ana's video for itself: nothing more of it arrives.
        cy.js(tile("ana") + ".querySelector('[data-action=video]').click()");
        eventually("the server pauses ana's video for cy", Duration.ofSeconds(5), () -> reception(server, "cy", "ana").layer() < 0);
        Thread.sleep(1000);
        long paused0 = number(cy.peerStats("ana"), "bytesReceived");
        Thread.sleep(2000);
        assertThat(number(cy.peerStats("ana"), "bytesReceived")).as("no video of ana while paused").isEqualTo(paused0);
        assertThat(reception(server, "cy", "ana").reason()).isEqualTo("paused");
        assertThat(number(ben.peerStats("ana"), "framesDecoded")).as("ben still sees ana").isPositive();
        for (Browser b : List.of(ana, ben, cy)) {
            assertThat(b.pageErrors()).isEmpty();
        }
    }

    /**
     * Dee's downlink carries less than Ana's top layer and her audio (a relay of the test's, with a 250 ms queue: the
     * kernel has no netem); Eve's is fast. The server sees Dee's browser report loss or cut its estimate, and settles
     * Dee on a lower layer that keeps decoding without freezes, while Eve keeps the top layer.
     *
     * <p>The link's rate: a real 720p camera's top layer runs at ~1.2 Mbit/s, so a 800 kbit/s link cannot carry it.
     * Chromium's fake camera is so easy to encode that its 960x540 top layer needs only ~550 kbit/s (tried: at 800
     * kbit/s it fits; a camera of random detail makes the encoder, not the link, the limit on two cores), so the link
     * here is 450 kbit/s: below the top layer with audio, above the middle one.
     */
    @Test
    void aSubscriberBehindASlowLinkSettlesOnALowerLayerWhileAnotherKeepsTheTop() throws Exception {
        TestServer server = meeting.startServer(c -> c.withIceTcp(false)); // the slow path is the only path
        int mediaPort = server.server().mediaPort();
        UdpRelay relay = meeting.closeAfter(new UdpRelay(new InetSocketAddress("127.0.0.1", mediaPort), 2));
        relay.downlink(LINK_BPS, Duration.ofMillis(250));
        Browser ana = meeting.join(meeting.browser(), meeting.page(ROOM, "ana").video(ANA_CAMERA));
        Browser eve = watch(meeting.browser("--window-size=1920,1080"), "eve");
        Browser dee = watch(meeting.browser("--window-size=1920,1080").addInitScript(UdpRelay.pageShim(mediaPort, relay.port())), "dee");
        awaitThreeLayers(ana);
        eventually("eve gets ana's full picture", JOIN, () -> number(eve.peerStats("ana"), "frameWidth") == ANA_WIDTH);
        // Lowered: below the top layer for bandwidth, for 3 s. From then on the server holds Dee below the top, and
        // tries the top layer again now and then: the browser never estimates much above what arrives, so only a
        // try finds out whether the link got faster. A try that fails is brief, and the next waits 20 s or more.
        long start = System.nanoTime();
        StringBuilder timeline = new StringBuilder();
        String[] last = {""};
        Runnable note = () -> {
            ReceivedVideoSnapshot r = reception(server, "dee", "ana");
            String now = r.layer() + "→" + r.targetLayer() + " " + r.reason();
            if (!now.equals(last[0])) {
                last[0] = now;
                timeline.append(String.format("%n  %5.1f s: layer %s, estimate %s", (System.nanoTime() - start) / 1e9, now,
                        receiving(server, "dee").replaceAll(".* estimate ", "")));
            }
        };
        try {
            eventually("dee is lowered below the top layer", Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 3; i++) {
                    note.run();
                    ReceivedVideoSnapshot r = reception(server, "dee", "ana");
                    if (!"bandwidth".equals(r.reason()) || r.layer() < 0 || r.layer() > 1) {
                        return false;
                    }
                    sleep(1000);
                }
                return number(dee.peerStats("ana"), "frameWidth") > 0 && number(dee.peerStats("ana"), "frameWidth") < ANA_WIDTH;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": the server sends dee " + receiving(server, "dee") + "; dee gets "
                    + dee.peerStats("ana") + "; relay drops " + relay.shapedDrops() + "; dee's layers:" + timeline, e);
        }

        // The next 20 s: Dee decodes on below the top layer, with at most one try of the top (brief, and a short
        // freeze at most when the link drops its keyframe); Eve keeps the top.
        Map<String, Object> before = dee.peerStats("ana");
        long drops0 = relay.shapedDrops();
        int[] halfSeconds = new int[3];
        int tries = 0;
        int previous = reception(server, "dee", "ana").layer();
        for (int i = 0; i < 40; i++) {
            Thread.sleep(500);
            note.run();
            int layer = reception(server, "dee", "ana").layer();
            halfSeconds[Math.max(0, layer)]++;
            tries += layer == 2 && previous != 2 ? 1 : 0;
            previous = layer;
            if (i % 4 == 0) {
                assertThat(number(eve.peerStats("ana"), "frameWidth")).as("eve keeps the top layer: the server sends eve "
                        + receiving(server, "eve") + "; ana sends " + ana.roomdeckStats().get("outbound")).isEqualTo(ANA_WIDTH);
            }
        }
        Map<String, Object> after = dee.peerStats("ana");
        double frozen = ((Number) after.getOrDefault("totalFreezesDuration", 0)).doubleValue()
                - ((Number) before.getOrDefault("totalFreezesDuration", 0)).doubleValue();
        double kbps = (number(after, "bytesReceived") - number(before, "bytesReceived")) * 8.0 / 20 / 1000;
        String report = String.format("dee behind " + LINK_BPS / 1000 + " kbit/s for 20 s: seconds on layers low/mid/top "
                        + "%.1f/%.1f/%.1f, %d tries of the top, %.0f kbit/s of ana's video, %d frames decoded, %d freezes (%.0f ms), "
                        + "%d packets dropped by the link; the server: %s; dee's layers:%s",
                halfSeconds[0] / 2.0, halfSeconds[1] / 2.0, halfSeconds[2] / 2.0, tries, kbps,
                number(after, "framesDecoded") - number(before, "framesDecoded"), number(after, "freezeCount") - number(before, "freezeCount"),
                frozen * 1000, relay.shapedDrops() - drops0, receiving(server, "dee"), timeline);
        System.out.println(report);
        assertThat(tries).as("at most one try of the top layer in 20 s: " + report).isLessThanOrEqualTo(1);
        assertThat(halfSeconds[2]).as("a try is brief: " + report).isLessThanOrEqualTo(6);
        assertThat(number(after, "framesDecoded") - number(before, "framesDecoded")).as("dee keeps decoding: " + report)
                .isGreaterThan(20 * 10);
        assertThat(frozen).as("no freezes but a try's: " + report).isLessThanOrEqualTo(0.3 + 2.0 * tries);
        assertThat(reception(server, "eve", "ana").layer()).isEqualTo(2);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Joins {@code name} through the join form with camera and microphone off: a viewer. */
    private Browser watch(Browser b, String name) throws InterruptedException {
        meeting.open(b, meeting.page(ROOM, name).with("autojoin", "0"));
        b.waitFor("document.getElementById('join-button') && !document.getElementById('join-view').hidden", Duration.ofSeconds(20));
        b.js("for (const id of ['cam-check', 'mic-check']) { const c = document.getElementById(id); if (c.checked) c.click(); }");
        b.js("document.getElementById('join-button').click()");
        meeting.awaitJoined(b, JOIN);
        return b;
    }

    private static void awaitThreeLayers(Browser ana) throws InterruptedException {
        try {
            eventually("ana sends three layers", JOIN, () -> sendingLayers(ana) == 3);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + ana.roomdeckStats().get("outbound"), e);
        }
    }

    /** How many of the page's simulcast layers are sending now (frames of a size, bytes going out). */
    @SuppressWarnings("unchecked")
    private static long sendingLayers(Browser b) {
        Object layers = ((Map<String, Object>) b.roomdeckStats().getOrDefault("outbound", Map.of())).get("layers");
        if (!(layers instanceof List<?> list)) {
            return 0;
        }
        return list.stream().filter(l -> number((Map<String, Object>) l, "frameWidth") > 0
                && number((Map<String, Object>) l, "bitrate") > 0).count();
    }

    private static String receiving(TestServer server, String subscriber) {
        return server.server().admin().snapshot().rooms().stream().flatMap(r -> r.peers().stream())
                .filter(p -> p.id().equals(subscriber)).map(p -> p.receiving() + " estimate " + p.linkEstimateBps())
                .findFirst().orElse("?");
    }

    /** What the server says it sends {@code subscriber} of {@code publisher}'s video. */
    private static ReceivedVideoSnapshot reception(TestServer server, String subscriber, String publisher) {
        PeerSnapshot peer = server.server().admin().snapshot().rooms().stream().flatMap(r -> r.peers().stream())
                .filter(p -> p.id().equals(subscriber)).findFirst().orElseThrow();
        return peer.receiving().stream().filter(v -> v.publisherId().equals(publisher)).findFirst()
                .orElseThrow(() -> new AssertionError(subscriber + " receives no video of " + publisher + ": " + peer.receiving()));
    }
}
