package dev.roomdeck.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Whatever people do and in whatever order the messages cross, every description the server writes is one a
 * browser accepts (Chrome's rules, {@link BrowserModel}), and once the messages are delivered everyone receives
 * exactly everyone else's published streams. Thousands of random meetings of up to twelve people, with Chrome- and
 * Firefox-numbered browsers, publishers, viewers, clients without addStream, reloads and reported failures.
 */
class NegotiationPropertyTest {
    private static final int MEETINGS = Integer.getInteger("roomdeck.negotiation.meetings", 1500);

    @Test
    void everyDescriptionIsAcceptedAndEveryoneEndsUpReceivingEveryone() {
        long steps = 0;
        int people = 0;
        for (long seed = 1; seed <= MEETINGS; seed++) {
            MeetingSimulation meeting = new MeetingSimulation(seed, 2 + (int) (seed % 11),
                    (family, random) -> new BrowserModel(family.equals("firefox")
                            ? BrowserModel.Profile.FIREFOX : BrowserModel.Profile.CHROME, random));
            try {
                meeting.run(20 + (int) (seed % 120));
                meeting.settle();
            } catch (AssertionError e) {
                throw new AssertionError("meeting with seed " + seed + ": " + e.getMessage(), e);
            }
            steps += meeting.log().size();
            people += meeting.people();
        }
        System.out.printf("negotiation property: %d meetings, %d people, %d steps, all accepted and settled%n",
                MEETINGS, people, steps);
        assertThat(steps).isGreaterThan(MEETINGS * 20L);
    }
}
