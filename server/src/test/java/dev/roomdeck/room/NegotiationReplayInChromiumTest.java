package dev.roomdeck.room;

import dev.roomdeck.browser.Browser;
import dev.roomdeck.browser.BrowserMeeting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sample of {@link NegotiationPropertyTest}'s random meetings replayed against real Chromium: every person is a
 * real RTCPeerConnection that publishes the fake camera and microphone, and every description the server writes
 * must be taken by Chromium itself; at the end everyone receives everyone. Runs only in a loopback-only namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NegotiationReplayInChromiumTest {
    /** On a static field: one browser for all the meetings of the class, closed after the class. */
    @RegisterExtension
    static final BrowserMeeting MEETING = new BrowserMeeting();
    private Browser browser;
    private final Map<String, String> streamNames = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        browser = MEETING.browser();
        Path page = Files.createTempFile("roomdeck-negotiation", ".html");
        Files.writeString(page, "<!doctype html><title>negotiation replay</title>");
        page.toFile().deleteOnExit();
        browser.open(page.toUri().toString());
    }

    @ParameterizedTest(name = "meeting {0}")
    @ValueSource(longs = {3, 7, 8, 11, 19, 23, 42, 64, 97, 128})
    void chromiumTakesEveryDescriptionOfARandomMeeting(long seed) {
        MeetingSimulation meeting = new MeetingSimulation(seed, 2 + (int) (seed % 7),
                (family, random) -> new ChromiumPeerConnection(browser, streamNames));
        meeting.run(40 + (int) (seed % 40));
        meeting.settle();
        System.out.printf("replayed in Chromium: meeting %d, %d people, %d steps%n", seed, meeting.people(),
                meeting.log().size());
    }
}
