package dev.roomdeck.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomdeck.browser.Meeting.Participant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the meeting-room tests (MeetingRoomScreenShareTest, MeetingRoomModesTest) read from the bundled page, on top of
 * {@link Meeting}: JSON probes of a page and a poll that says how long a condition took or why it never held.
 */
final class MeetingRoomPages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MeetingRoomPages() {}

    /** A JS expression's value, JSON-encoded on the page ({@code JSON.stringify}) and parsed here. */
    static JsonNode json(Participant p, String expression) {
        Object v = p.js("(async () => JSON.stringify(await (" + expression + ")))()");
        try {
            return JSON.readTree(v == null ? "null" : v.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls {@code check} (null = holds, else what is off) every 300 ms until it holds; returns the seconds it took,
     * or fails with the last thing that was off after {@code limit}. A page that cannot be read (it is navigating)
     * counts as not yet.
     */
    static double within(Duration limit, String what, Supplier<String> check) throws InterruptedException {
        long t0 = System.nanoTime();
        String last = "never checked";
        while (true) {
            try {
                last = check.get();
            } catch (RuntimeException e) {
                last = "page not readable: " + e.getMessage();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (last == null) {
                Meeting.say(String.format(Locale.ROOT, "  %s: after %.1f s", what, s));
                return s;
            }
            if (s > limit.toSeconds()) {
                throw new AssertionError(what + ": not within " + limit.toSeconds() + " s: " + last);
            }
            Thread.sleep(300);
        }
    }

    /** Clicks an element with the page's own click (puppeteer evaluates with a user gesture, as getDisplayMedia needs). */
    static void click(Participant p, String selector) {
        p.js("document.querySelector('" + selector + "').click()");
    }

    /** Navigates the page to {@code url} and waits until the new document's client is there. */
    static void navigate(Participant p, String url) throws InterruptedException {
        p.js("location.assign('" + url.replace("'", "%27") + "')");
        Thread.sleep(500);
        within(Duration.ofSeconds(20), p + " loads " + url, () -> {
            Object ok = p.js("document.readyState === 'complete' && !!window.roomdeck && location.href === '" + url.replace("'", "%27") + "'");
            return "true".equals(String.valueOf(ok)) ? null : "still loading";
        });
    }

    /**
     * Every tile of a page with its layout: {msid, peerId, name, kind, stage, spotlight, local, state, speaker,
     * width (px on the page), videoWidth, videoHeight, label, labelVisible}.
     */
    static final String TILES = """
            [...document.querySelectorAll('#grid .tile')].map(t => {
              const r = t.getBoundingClientRect();
              const v = t.querySelector('video');
              const n = t.querySelector('.tile-bar .name');
              const nr = n ? n.getBoundingClientRect() : null;
              return { msid: t.dataset.msid, peerId: t.dataset.peerId, name: t.dataset.name, kind: t.dataset.kind || '',
                stage: t.dataset.stage || '', spotlight: t.classList.contains('spotlight'), local: t.classList.contains('local'),
                state: t.dataset.state, audio: t.dataset.audio, speaker: t.dataset.speaker === 'true',
                width: Math.round(r.width), height: Math.round(r.height),
                videoWidth: v ? v.videoWidth : 0, videoHeight: v ? v.videoHeight : 0,
                label: n ? n.textContent : '', labelVisible: !!(nr && nr.width > 0 && nr.height > 0
                  && getComputedStyle(n).visibility !== 'hidden' && getComputedStyle(n).opacity !== '0') };
            })""";

    /** The buttons, inputs and links a person could use on the page right now (visible and not disabled). */
    static final String VISIBLE_CONTROLS = """
            [...document.querySelectorAll('button, input, textarea, select, a[href]')].filter(e => {
              const r = e.getBoundingClientRect();
              const cs = getComputedStyle(e);
              return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none' && cs.opacity !== '0';
            }).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
              + ' "' + (e.textContent || e.value || '').trim().slice(0, 30) + '"')""";

    /**
     * The page's received video of stream {@code msid} from getStats: {frameWidth, frameHeight, framesDecoded}
     * ({} while it has none).
     */
    static JsonNode receivedVideo(Participant p, String msid) {
        return json(p, """
                (async () => {
                  const st = await window.roomdeck.stats();
                  for (const peer of Object.values(st.peers)) {
                    const s = peer.streams['%s'];
                    if (s) return { frameWidth: s.frameWidth, frameHeight: s.frameHeight, framesDecoded: s.framesDecoded };
                  }
                  return {};
                })()""".formatted(msid));
    }
}
