package dev.roomdeck.browser;

import static dev.roomdeck.browser.Meeting.Engine.CHROMIUM;
import static dev.roomdeck.browser.Meeting.Engine.FIREFOX;

import dev.roomdeck.browser.Meeting.Participant;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, point 7: a smaller meeting of Chromium and Firefox pages together (two of each, every page in its own
 * browser context), joined through the bundled page's own form. Every pair decodes each other, with the same checks
 * as {@link MeetingOfEightTest} after each step (see {@link Meeting}): joins, a Firefox page reloading, a Firefox
 * page's camera and microphone going off and on, the operator muting a Chromium page, a Chromium page leaving.
 */
class MixedBrowsersMeetingTest {
    @BeforeEach
    void guard() {
        Meeting.assumeCanRun(CHROMIUM, FIREFOX);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void chromiumAndFirefoxPagesSeeAndHearEachOther() throws Exception {
        try (Meeting meeting = Meeting.start("MixedBrowsersMeetingTest", "mixed", CHROMIUM, FIREFOX)) {
            List<Participant> chromium = meeting.open(CHROMIUM, "Carla", "Chidi");
            List<Participant> firefox = meeting.open(FIREFOX, "Fatima", "Finn");
            Participant carla = chromium.get(0);
            Participant chidi = chromium.get(1);
            Participant fatima = firefox.get(0);
            Participant finn = firefox.get(1);

            meeting.step("a Chromium and a Firefox page join 1.5 s apart, then one of each at the same moment", () -> {
                meeting.joinOneAfterAnother(List.of(carla, fatima), Duration.ofMillis(1500));
                meeting.joinAtTheSameMoment(List.of(chidi, finn));
            });
            meeting.step("Fatima (Firefox) reloads her page and joins again", fatima::reloadAndJoinAgain);
            meeting.step("Finn (Firefox) turns camera and microphone off", () -> finn.turnCameraAndMicrophone(false));
            meeting.step("Finn (Firefox) turns camera and microphone on again", () -> finn.turnCameraAndMicrophone(true));
            meeting.step("the operator mutes Chidi (Chromium)", () -> meeting.operatorMutesMicrophone(chidi, true));
            meeting.step("the operator unmutes Chidi (Chromium)", () -> meeting.operatorMutesMicrophone(chidi, false));
            meeting.step("Carla (Chromium) leaves with the Leave button", carla::leave);
            meeting.assertEveryStepGreen();
        }
    }
}
