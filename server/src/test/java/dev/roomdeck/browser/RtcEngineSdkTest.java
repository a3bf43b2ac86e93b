package dev.roomdeck.browser;

import dev.roomdeck.browser.RtcEngineSdkMeeting.Page;
import dev.roomdeck.browser.RtcEngineSdkMeeting.Scenario;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, first item: apps written on the ORIGINAL RTCEngine JavaScript SDK (RTCEngine-js-sdk at commit 8b4af07,
 * unchanged, bundled at test time with its own dependencies) meet people on RoomDeck's bundled web page. The app page
 * comes from another origin, gets its token with the SDK's {@code generateTestToken} from RoomDeck's
 * /api/generateToken, joins with {@code joinRoom(token)} over socket.io-client 2.1.1 (long-polling first), publishes
 * camera and microphone and receives everyone. In every order of joining, after each join every page decodes every
 * other page's video and receives its audio within 15 s (see {@link RtcEngineSdkMeeting} for how each kind of page is
 * checked), and the SDK's mute and unmute reach the bundled page as mute and unmute.
 *
 * <p>Skipped (with the reason) outside a loopback-only network namespace, without Chromium, Node and puppeteer-core,
 * without the SDK in ../shared/rtcengine-js-sdk, or without its dependencies (.ci/test installs them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RtcEngineSdkTest {
    private RtcEngineSdkMeeting meeting;

    /** Each scenario is skipped, with the reason, where it cannot run; the first one to run starts what all share. */
    @BeforeEach
    void start() throws Exception {
        RtcEngineSdkMeeting.assumeCanRun();
        if (meeting == null) {
            meeting = RtcEngineSdkMeeting.start();
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (meeting != null) {
            meeting.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoSdkAppsJoinFirstThenSomeoneOnTheBundledPage() throws Exception {
        try (Scenario room = meeting.scenario("sdk-first", "sdk-first")) {
            Page anna = room.sdkPage("Anna");
            Page ben = room.sdkPage("Ben");
            Page carla = room.bundledPage("Carla");

            room.step("Anna joins on the SDK app (alone in the room)", () -> room.join(anna));
            room.step("Ben joins on the SDK app", () -> room.join(ben));
            room.step("Carla joins on the bundled page", () -> room.joinThroughForm(carla, true));
            room.step("Anna mutes her camera and microphone through the SDK (muteVideo(true), muteAudio(true))", () -> {
                room.muteVideo(anna, true);
                room.muteAudio(anna, true);
            });
            room.step("Anna unmutes them (muteVideo(false), muteAudio(false))", () -> {
                room.muteVideo(anna, false);
                room.muteAudio(anna, false);
            });
            room.assertEveryStepGreen();
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void someoneOnTheBundledPageFirstThenThreeSdkApps() throws Exception {
        try (Scenario room = meeting.scenario("bundled-first", "bundled-first")) {
            Page carla = room.bundledPage("Carla");
            Page anna = room.sdkPage("Anna");
            Page ben = room.sdkPage("Ben");
            Page dora = room.sdkPage("Dora");

            room.step("Carla joins on the bundled page (alone in the room)", () -> room.joinThroughForm(carla, true));
            room.step("Anna joins on the SDK app", () -> room.join(anna));
            room.step("Ben joins on the SDK app", () -> room.join(ben));
            room.step("Dora joins on the SDK app", () -> room.join(dora));
            room.assertEveryStepGreen();
        }
    }

    @Test
    @Order(3)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void sdkAppsJoinARoomThatHoldsOnlyViewers() throws Exception {
        try (Scenario room = meeting.scenario("viewers-first", "viewers-first")) {
            Page vera = room.bundledPage("Vera");
            Page walt = room.sdkViewer("Walt");
            Page anna = room.sdkPage("Anna");
            Page ben = room.sdkPage("Ben");

            room.step("Vera joins on the bundled page with camera and microphone off (a viewer)", () -> room.joinThroughForm(vera, false));
            room.step("Walt joins on the SDK app without publishing (a viewer)", () -> room.join(walt));
            room.step("Anna joins on the SDK app and publishes: the first stream in a room of viewers", () -> room.join(anna));
            room.step("Ben joins on the SDK app", () -> room.join(ben));
            room.step("Walt starts publishing (the SDK's addStream)", () -> room.publish(walt));
            room.assertEveryStepGreen();
        }
    }
}
