package dev.roomdeck.browser;

import static dev.roomdeck.browser.Meeting.Engine.CHROMIUM;

import dev.roomdeck.browser.Meeting.Participant;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 12, point 7: a meeting of eight through the bundled web page's own join form, in one headless Chromium (one
 * browser context, so one identity, per person; cameras at 320x240 so that two cores carry it).
 *
 * <p>Four people join 1.5 s apart and four at the same moment; two of them typed the same name. Then, in order: one
 * reloads her page and joins again, one leaves with the Leave button, one turns camera and microphone off and on with
 * the page's buttons, the operator mutes and unmutes one from the console, and one closes the tab without saying
 * goodbye. After each step, within 10 s, every page in the room plays a moving video (and receives audio) for every
 * other participant, every tile's state says what that person's camera and microphone do, no page shows an error, the
 * console lists exactly the people in the room, and the server log has no ERROR (see {@link Meeting}).
 */
// Not in the default `mvn verify` yet: on a 2-core machine the arrival burst and the reload take 10-17 s and more
// (the eight browsers use the whole machine), so it would fail every CI run. .ci/meeting-repeat runs it with
// -Droomdeck.meetingOfEight=true and counts the green runs (issue 12).
@EnabledIfSystemProperty(named = "roomdeck.meetingOfEight", matches = "true")
class MeetingOfEightTest {
    @BeforeEach
    void guard() {
        Meeting.assumeCanRun(CHROMIUM);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void eightPeopleSeeAndHearEveryoneThroughJoinsReloadLeaveMutesAndAClosedTab() throws Exception {
        try (Meeting meeting = Meeting.start("MeetingOfEightTest", "weekly", CHROMIUM)) {
            List<Participant> people = meeting.open(CHROMIUM, "Anna", "Ben", "Chen Wei", "Dev", "Anna", "Eve", "Gus", "Zoë");
            Participant anna = people.get(0);
            Participant dev = people.get(3);
            Participant secondAnna = people.get(4);
            Participant eve = people.get(5);
            Participant gus = people.get(6);

            meeting.step("four join 1.5 s apart, then four at the same moment (two are called Anna)", () -> {
                meeting.joinOneAfterAnother(people.subList(0, 4), Duration.ofMillis(1500));
                meeting.joinAtTheSameMoment(people.subList(4, 8));
            });
            meeting.step("Anna reloads her page and joins again: back in her own seat", anna::reloadAndJoinAgain);
            meeting.step("Eve leaves with the Leave button", eve::leave);
            meeting.step("Dev turns camera and microphone off", () -> dev.turnCameraAndMicrophone(false));
            meeting.step("Dev turns camera and microphone on again", () -> dev.turnCameraAndMicrophone(true));
            meeting.step("the operator mutes the second Anna", () -> meeting.operatorMutesMicrophone(secondAnna, true));
            meeting.step("the operator unmutes the second Anna", () -> meeting.operatorMutesMicrophone(secondAnna, false));
            meeting.step("Gus closes his tab abruptly", gus::closeTabAbruptly);
            meeting.assertEveryStepGreen();
        }
    }
}
