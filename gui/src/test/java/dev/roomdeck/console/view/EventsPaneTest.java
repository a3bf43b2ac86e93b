package dev.roomdeck.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.admin.ServerEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How events read: people by the name the console knows for them, a failed negotiation as a warning in words. */
class EventsPaneTest {
    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
    private static final String ANNA = "u-3f9a01d2a7b4e865";
    /** What the model would say: the two Annas of r1 told apart, Bob, and nobody else. */
    private static final EventsPane.PeerNames NAMES = (room, peer) -> Map.of(
            "r1/" + ANNA, "Anna (u-3f9a)", "r1/u-77c0e5aa01b2c3d4", "Anna (u-77c0)", "r1/u-bob", "Bob")
            .getOrDefault(room + "/" + peer, peer);

    @Test
    void joinsLeavesKicksStreamsAndMutesNameThePerson() {
        assertThat(text(new ServerEvent.PeerJoined(T, "r1", ANNA, "192.0.2.7:5000")))
                .isEqualTo("Anna (u-3f9a) joined from 192.0.2.7:5000");
        assertThat(text(new ServerEvent.PeerLeft(T, "r1", "u-bob", "timeout"))).isEqualTo("Bob left (timeout)");
        assertThat(EventsPane.line(new ServerEvent.PeerLeft(T, "r1", "u-bob", "kicked"), NAMES).text())
                .isEqualTo("Bob was kicked");
        assertThat(text(new ServerEvent.StreamAdded(T, "r1", ANNA, "cam"))).isEqualTo("Anna (u-3f9a) published cam");
        assertThat(text(new ServerEvent.StreamMuted(T, "r1", "u-bob", "cam", true, false, true, false)))
                .isEqualTo("Bob's cam: audio muted by operator, video on");
        // A peer the console never saw in a snapshot: its id, as before.
        assertThat(text(new ServerEvent.PeerJoined(T, "r1", "u-new", "192.0.2.8:5000"))).startsWith("u-new joined");
        assertThat(text(new ServerEvent.PeerJoined(T, "r2", ANNA, "192.0.2.7:5000"))).startsWith(ANNA + " joined");
    }

    @Test
    void aFailedNegotiationIsAWarningInThePersonsNameWithTheBrowsersWordsOnOneLine() {
        EventsPane.Line line = EventsPane.line(new ServerEvent.ClientError(T, "r1", ANNA, "negotiation-failed",
                "the browser could not apply the server's offer: Failed to set remote offer sdp: Session error code: "
                        + "ERROR_CONTENT.\n  Session error description: Failed to apply demuxer criteria for '3'"), NAMES);

        assertThat(line.kind()).isEqualTo("warning");
        assertThat(line.roomId()).isEqualTo("r1");
        assertThat(line.text()).isEqualTo("Anna (u-3f9a)'s browser could not apply the server's offer: Failed to set "
                + "remote offer sdp: Session error code: ERROR_CONTENT. Session error description: Failed to apply "
                + "demuxer criteria for '3'");
        assertThat(line.toString()).matches("\\d\\d:\\d\\d:\\d\\d  \\[r1\\]  Anna \\(u-3f9a\\)'s browser .*");
        assertThat(line.text().length()).isGreaterThan(EventsPane.LONG_LINE); // such a line has its tooltip

        // Worded by the server some other way: still the person's name and all the words, none lost.
        assertThat(text(new ServerEvent.ClientError(T, "r1", "u-bob", "negotiation-failed", "offer-failed")))
                .isEqualTo("Bob's browser could not apply the server's offer: offer-failed");
    }

    @Test
    void otherClientErrorsNameThePersonOrAClientWithCodeAndMessage() {
        EventsPane.Line e = EventsPane.line(new ServerEvent.ClientError(T, "r1", "u-bob", "bad-sdp", "no m-section"), NAMES);
        assertThat(e.kind()).isEqualTo("error");
        assertThat(e.text()).isEqualTo("Bob: bad-sdp — no m-section");
        assertThat(text(new ServerEvent.ClientError(T, null, null, "bad-token", "the token's signature is wrong")))
                .isEqualTo("a client: bad-token — the token's signature is wrong");
    }

    private static String text(ServerEvent e) {
        return EventsPane.line(e, NAMES).text();
    }
}
