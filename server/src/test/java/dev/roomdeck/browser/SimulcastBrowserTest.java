package dev.roomdeck.browser;

import static dev.roomdeck.browser.Browser.number;
import static dev.roomdeck.browser.BrowserMeeting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.ReceivedVideoSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Simulcast as people meet it, in Chromium through the bundled page: Ana's 720p camera goes out in three layers;
 * what Cy receives of it follows the tile Cy draws it in. A small tile (Cy pinned Ben large, so Ana sits in the
 * strip) gets the low layer; pinning Ana gets the full picture within 1.5 s without a freeze; pausing Ana's video
 * for oneself stops it arriving. Ben, meanwhile, keeps what his own tile asks for.
 */
class SimulcastBrowserTest {
    private static final String ROOM = "layers";
    private static final Duration JOIN = Duration.ofSeconds(40);

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();

    private static String tile(String peer) {
        return "document.querySelector('.tile[data-peer-id=\"" + peer + "\"]')";
    }

    @Test
    void aSmallTileGetsTheLowLayerAnEnlargedOneTheFullPictureWithoutAFreezeAndAPausedOneNothing() throws Exception {
        TestServer server = meeting.startServer();
        Browser ana = meeting.join(meeting.browser(), meeting.page(ROOM, "ana").video("1280x720"));
        Browser ben = meeting.join(meeting.browser(), meeting.page(ROOM, "ben").video("320x240"));
        // Cy's screen is a full-HD one: its stage is wider than the 640 px layer.
        Browser cy = meeting.join(meeting.browser("--window-size=1920,1080"), meeting.page(ROOM, "cy").video("320x240"));
        try {
            eventually("ana sends three layers", JOIN, () -> sendingLayers(ana) == 3);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + ana.roomdeckStats().get("outbound"), e);
        }
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
            eventually("cy gets ana's full picture", Duration.ofSeconds(10), () -> number(cy.peerStats("ana"), "frameWidth") == 1280);
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
        System.out.printf("pinned → 1280 px in %d ms; freezes meanwhile: %d (%.0f ms)%n", tookMillis,
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
