package dev.roomdeck.browser;

import static dev.roomdeck.browser.Meeting.Engine.CHROMIUM;
import static dev.roomdeck.browser.MeetingRoomPages.TILES;
import static dev.roomdeck.browser.MeetingRoomPages.click;
import static dev.roomdeck.browser.MeetingRoomPages.json;
import static dev.roomdeck.browser.MeetingRoomPages.receivedVideo;
import static dev.roomdeck.browser.MeetingRoomPages.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.browser.Meeting.Participant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, screen sharing through the bundled page: three people in one room (one headless Chromium, a browser
 * context each). Anna clicks "Share screen" (Chromium's fake display capture, 800x600, picked without a dialog under
 * --use-fake-ui-for-media-stream): Ben's and Chen's pages show it as the large tile and decode it at the size Anna's
 * browser sends, the capture's width (screen content is not scaled down). Ben shares too: the most recent share
 * is large, Anna's goes to the strip. Ben stops with the page's button, Anna's share ends as the browser's own
 * "Stop sharing" ends it (the track's `ended`): every page drops the screens and everyone still sees everyone.
 */
class MeetingRoomScreenShareTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @BeforeEach
    void guard() {
        Meeting.assumeCanRun(CHROMIUM);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aSharedScreenIsTheLargeTileAtItsRealSizeOnEveryPageAndGoesWhenStopped() throws Exception {
        try (Meeting meeting = Meeting.start("MeetingRoomScreenShareTest", "review", CHROMIUM)) {
            List<Participant> people = meeting.open(CHROMIUM, "Anna", "Ben", "Chen");
            Participant anna = people.get(0);
            Participant ben = people.get(1);
            Participant chen = people.get(2);
            meeting.step("three join", () -> meeting.joinOneAfterAnother(people, Duration.ofMillis(1000)));
            meeting.assertEveryStepGreen();

            // Anna shares.
            String annaScreen = share(anna);
            JsonNode size = json(anna, "window.roomdeck.client.extraStreams.get('" + annaScreen + "').stream.getVideoTracks()[0].getSettings()");
            int w = size.path("width").asInt();
            int h = size.path("height").asInt();
            Meeting.say("  Anna's capture: " + w + "x" + h + " at " + size.path("frameRate").asText() + " fps");
            assertTrue(w > 0 && h > 0, "Anna's screen track has a size: " + size);
            JsonNode sender = json(anna, """
                    (() => { const s = window.roomdeck.client.extraStreams.get('%s');
                      const v = s.senders.find(x => x.track && x.track.kind === 'video');
                      return { contentHint: v.track.contentHint, encodings: v.getParameters().encodings,
                               frameRate: v.track.getSettings().frameRate, attributes: s.attributes, bitrate: s.bitrate }; })()"""
                    .formatted(annaScreen));
            Meeting.say("  Anna's screen sender: " + sender);
            assertEquals("detail", sender.path("contentHint").asText());
            assertEquals("screen", sender.path("attributes").path("kind").asText());
            assertEquals(2500, sender.path("bitrate").asInt());
            assertEquals(2_500_000, sender.path("encodings").path(0).path("maxBitrate").asInt());
            assertTrue(sender.path("frameRate").asDouble() <= 15.0, "screen capture capped at 15 fps: " + sender);

            // Its real size is what Anna's browser encodes: a capture may deliver frames of another shape than its
            // settings first say (seen: settings 800x600, every frame 800x450), and the server forwards frames as
            // they are encoded.
            int[] sent = new int[2];
            within(LIMIT, "Anna's browser encodes her screen", () -> {
                JsonNode out = json(anna, SENT_SIZE.formatted(annaScreen));
                sent[0] = out.path("frameWidth").asInt();
                sent[1] = out.path("frameHeight").asInt();
                if (sent[0] <= 0 || sent[1] <= 0) {
                    return "no frames encoded yet: " + out;
                }
                // Screen content ("detail") is never scaled down by the encoder: the width is the capture's.
                return sent[0] == w ? null : "the encoder scaled the screen: sends " + sent[0] + "x" + sent[1]
                        + ", capture " + w + "x" + h;
            });
            if (sent[0] != w || sent[1] != h) {
                Meeting.say("  Anna's browser encodes " + sent[0] + "x" + sent[1] + " (capture settings " + w + "x" + h + ")");
            }
            for (Participant viewer : List.of(ben, chen)) {
                within(LIMIT, viewer + " shows Anna's screen large at the size she sends",
                        () -> largeAtSentSize(viewer, annaScreen, anna));
            }

            Meeting.say("  Chen's page: " + chen.screenshot("screen-share.png")); // docs/screen-share.png

            // Ben shares too: his is the most recent, so it is large; Anna's goes to the strip.
            String benScreen = share(ben);
            JsonNode benSize = json(ben, "window.roomdeck.client.extraStreams.get('" + benScreen + "').stream.getVideoTracks()[0].getSettings()");
            for (Participant viewer : List.of(anna, chen)) {
                within(LIMIT, viewer + " shows Ben's screen large", () -> largeAndDecoded(viewer, benScreen, ben.peerId(),
                        benSize.path("width").asInt(), benSize.path("height").asInt()));
            }
            within(LIMIT, "Chen keeps Anna's screen in the strip", () -> {
                JsonNode t = tile(chen, annaScreen);
                if (t == null) {
                    return "no tile for Anna's screen";
                }
                return t.path("spotlight").asBoolean() ? "Anna's screen is still large" : null;
            });

            // Ben stops with the page's button: Anna's share is large again.
            click(ben, "#share-button");
            within(LIMIT, "Ben's share ends on his page", () -> "null".equals(String.valueOf(ben.js("window.roomdeck.sharing")))
                    ? null : "still sharing");
            for (Participant viewer : List.of(anna, chen)) {
                within(LIMIT, viewer + " drops Ben's screen", () -> tile(viewer, benScreen) == null ? null : "still shows it");
            }
            within(LIMIT, "Chen shows Anna's screen large again", () -> largeAtSentSize(chen, annaScreen, anna));

            // Anna's ends as the browser's "Stop sharing" ends it: the capture track ends.
            anna.js("""
                    (() => { const t = window.roomdeck.client.extraStreams.get('%s').stream.getVideoTracks()[0];
                      t.stop(); t.dispatchEvent(new Event('ended')); })()""".formatted(annaScreen));
            within(LIMIT, "Anna's page knows her share ended", () -> "null".equals(String.valueOf(anna.js("window.roomdeck.sharing")))
                    ? null : "still sharing");
            for (Participant viewer : List.of(ben, chen)) {
                within(LIMIT, viewer + " drops every screen and shows no large tile", () -> {
                    List<String> off = new ArrayList<>();
                    for (JsonNode t : json(viewer, TILES)) {
                        if ("screen".equals(t.path("kind").asText()) || t.path("spotlight").asBoolean()) {
                            off.add(t.toString());
                        }
                    }
                    return off.isEmpty() ? null : "still shows " + off;
                });
            }
            meeting.step("after the shares, everyone still sees and hears everyone", () -> { });
            meeting.assertEveryStepGreen();
            for (Participant p : people) {
                Object errors = p.js("JSON.stringify(window.roomdeck.errors)");
                assertEquals("[]", String.valueOf(errors), p + " shows no error");
            }
        }
    }

    /** Clicks "Share screen" and waits until the page publishes the screen; returns its msid. */
    private static String share(Participant p) throws InterruptedException {
        click(p, "#share-button");
        String[] msid = new String[1];
        within(LIMIT, p + " shares its screen (streamAdded)", () -> {
            Object m = p.js("window.roomdeck.sharing");
            if (m == null || "null".equals(String.valueOf(m))) {
                return "not sharing yet; label " + p.js("document.querySelector('#share-button .label').textContent");
            }
            msid[0] = String.valueOf(m);
            return null;
        });
        return msid[0];
    }

    /** The frame size the owner's browser last encoded for its screen {@code msid} (outbound-rtp). */
    private static final String SENT_SIZE = """
            (async () => { const s = window.roomdeck.client.extraStreams.get('%s');
              const v = s.senders.find(x => x.track && x.track.kind === 'video');
              let size = { frameWidth: 0, frameHeight: 0 };
              (await v.getStats()).forEach(r => { if (r.type === 'outbound-rtp' && r.frameWidth)
                size = { frameWidth: r.frameWidth, frameHeight: r.frameHeight }; });
              return size; })()""";

    /** {@link #largeAndDecoded} at the size the owner's browser sends now (one getStats of its page). */
    private static String largeAtSentSize(Participant viewer, String msid, Participant owner) {
        JsonNode sent = json(owner, SENT_SIZE.formatted(msid));
        return largeAndDecoded(viewer, msid, owner.peerId(), sent.path("frameWidth").asInt(),
                sent.path("frameHeight").asInt());
    }

    private static JsonNode tile(Participant viewer, String msid) {
        for (JsonNode t : json(viewer, TILES)) {
            if (msid.equals(t.path("msid").asText())) {
                return t;
            }
        }
        return null;
    }

    /** null when the viewer shows {@code msid} as the one large screen tile, wider than every other, decoded at w x h. */
    private static String largeAndDecoded(Participant viewer, String msid, String owner, int w, int h) {
        JsonNode tiles = json(viewer, TILES);
        JsonNode screen = null;
        int widestOther = 0;
        int large = 0;
        for (JsonNode t : tiles) {
            if (t.path("spotlight").asBoolean()) {
                large++;
            }
            if (msid.equals(t.path("msid").asText())) {
                screen = t;
            } else {
                widestOther = Math.max(widestOther, t.path("width").asInt());
            }
        }
        if (screen == null) {
            return "no tile for the screen " + msid + "; tiles " + tiles;
        }
        if (!"screen".equals(screen.path("kind").asText()) || !owner.equals(screen.path("peerId").asText())) {
            return "the tile is not " + owner + "'s screen: " + screen;
        }
        if (!screen.path("spotlight").asBoolean() || !"large".equals(screen.path("stage").asText()) || large != 1) {
            return "the screen is not the one large tile: " + tiles;
        }
        if (screen.path("width").asInt() <= widestOther) {
            return "the screen tile (" + screen.path("width").asInt() + " px) is not wider than the others (" + widestOther + " px)";
        }
        if (!"live".equals(screen.path("state").asText())) {
            return "the screen tile is " + screen.path("state").asText();
        }
        JsonNode got = receivedVideo(viewer, msid);
        if (got.path("frameWidth").asInt() != w || got.path("frameHeight").asInt() != h) {
            return "decodes " + got.path("frameWidth").asInt() + "x" + got.path("frameHeight").asInt() + ", sent " + w + "x" + h
                    + " (" + got + ")";
        }
        if (screen.path("videoWidth").asInt() != w || screen.path("videoHeight").asInt() != h) {
            return "the <video> plays " + screen.path("videoWidth").asInt() + "x" + screen.path("videoHeight").asInt();
        }
        return null;
    }
}
