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
        // Settled: lowered for bandwidth, and past the server's first try of the top layer, which comes a few
        // seconds after it found the link full (the browser's estimate never says more than ~1.5 times what
        // arrives, so only trying finds out). A try that fails holds the budget 20 s, so once Dee is back below the
        // top for 3 s, the next 15 s have no try. A link where no try comes counts as settled after 25 s below.
        long[] loweredSince = {-1};
        boolean[] tried = {false};
        boolean[] everLowered = {false};
        long settleStart = System.nanoTime();
        StringBuilder timeline = new StringBuilder();
        String[] last = {""};
        try {
            eventually("dee settles below the top layer", Duration.ofSeconds(90), () -> {
                ReceivedVideoSnapshot r = reception(server, "dee", "ana");
                long t = System.nanoTime();
                String now = r.layer() + "→" + r.targetLayer() + " " + r.reason();
                if (!now.equals(last[0])) {
                    last[0] = now;
                    timeline.append(String.format("%n  %5.1f s: layer %s, estimate %s", (t - settleStart) / 1e9, now,
                            receiving(server, "dee").replaceAll(".* estimate ", "")));
                }
                boolean lowered = "bandwidth".equals(r.reason()) && r.layer() >= 0 && r.layer() <= 1;
                if (!lowered) {
                    tried[0] |= everLowered[0] && r.layer() == 2;
                    loweredSince[0] = -1;
                    return false;
                }
                everLowered[0] = true;
                if (loweredSince[0] < 0) {
                    loweredSince[0] = t;
                }
                long below = t - loweredSince[0];
                return (tried[0] ? below >= 3_000_000_000L : below >= 25_000_000_000L)
                        && number(dee.peerStats("ana"), "frameWidth") > 0 && number(dee.peerStats("ana"), "frameWidth") < ANA_WIDTH;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": the server sends dee " + receiving(server, "dee") + "; dee gets "
                    + dee.peerStats("ana") + "; relay drops " + relay.shapedDrops() + "; dee's layers:" + timeline, e);
        }
        System.out.println("dee settled " + (tried[0] ? "after a try of the top layer" : "with no try of the top layer")
                + "; dee's layers:" + timeline);

        // Settled: for the next 15 s Dee decodes on, below the top layer, without freezing; Eve keeps the top.
        Map<String, Object> before = dee.peerStats("ana");
        long drops0 = relay.shapedDrops();
        int[] layers = new int[3];
        for (int i = 0; i < 15; i++) {
            Thread.sleep(1000);
            int layer = reception(server, "dee", "ana").layer();
            layers[Math.max(0, layer)]++;
            assertThat(number(eve.peerStats("ana"), "frameWidth")).as("eve keeps the top layer: the server sends eve "
                    + receiving(server, "eve") + "; ana sends " + ana.roomdeckStats().get("outbound")).isEqualTo(ANA_WIDTH);
        }
        Map<String, Object> after = dee.peerStats("ana");
        double frozen = ((Number) after.getOrDefault("totalFreezesDuration", 0)).doubleValue()
                - ((Number) before.getOrDefault("totalFreezesDuration", 0)).doubleValue();
        double kbps = (number(after, "bytesReceived") - number(before, "bytesReceived")) * 8.0 / 15 / 1000;
        System.out.printf("dee behind " + LINK_BPS / 1000 + " kbit/s: seconds on layers low/mid/top %d/%d/%d, %.0f kbit/s of ana's video, "
                        + "%d frames decoded, %d freezes (%.0f ms), %d packets dropped by the link; the server: %s%n",
                layers[0], layers[1], layers[2], kbps, number(after, "framesDecoded") - number(before, "framesDecoded"),
                number(after, "freezeCount") - number(before, "freezeCount"), frozen * 1000,
                relay.shapedDrops() - drops0, receiving(server, "dee"));
        assertThat(layers[2]).as("dee stays below the top layer").isZero();
        assertThat(number(after, "framesDecoded") - number(before, "framesDecoded")).as("dee keeps decoding")
                .isGreaterThan(15 * 10);
        assertThat(frozen).as("no freezes while settled").isLessThanOrEqualTo(0.3);
        assertThat(reception(server, "dee", "ana").reason()).isEqualTo("bandwidth");
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
