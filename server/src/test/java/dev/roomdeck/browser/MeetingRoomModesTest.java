package dev.roomdeck.browser;

import static dev.roomdeck.browser.Meeting.Engine.CHROMIUM;
import static dev.roomdeck.browser.MeetingRoomPages.TILES;
import static dev.roomdeck.browser.MeetingRoomPages.VISIBLE_CONTROLS;
import static dev.roomdeck.browser.MeetingRoomPages.click;
import static dev.roomdeck.browser.MeetingRoomPages.json;
import static dev.roomdeck.browser.MeetingRoomPages.navigate;
import static dev.roomdeck.browser.MeetingRoomPages.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.admin.AdminApi;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.browser.Meeting.Participant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, the bundled page in the meeting room: a device "in this room" (no microphone, no sound until asked), the
 * room's display (no controls, joins at once, names on every tile, the shared screen large), the dominant speaker's
 * outline, the operator stopping a share, and the door (PIN prompt, lobby, refusal).
 */
class MeetingRoomModesTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @BeforeEach
    void guard() {
        Meeting.assumeCanRun(CHROMIUM);
    }

    /** Media elements that play sound right now: unmuted, playing, with an audio track. */
    private static final String PLAYING_SOUND = """
            [...document.querySelectorAll('video, audio')].filter(v => !v.muted && !v.paused && v.srcObject
              && v.srcObject.getAudioTracks().some(t => t.readyState === 'live')).map(v => (v.closest('.tile') || {dataset: {}}).dataset.msid)""";

    /** Audio tracks the page's peer connection sends for real: live and enabled. */
    private static final String SENDING_AUDIO = """
            window.roomdeck.client.peerConnection.getSenders().filter(s => s.track && s.track.kind === 'audio'
              && s.track.readyState === 'live' && s.track.enabled).map(s => s.track.label)""";

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anInRoomDeviceIsSilentUntilAskedAndTheRoomDisplayHasNoControls() throws Exception {
        try (Meeting meeting = Meeting.start("MeetingRoomModesTest-devices", "boardroom", CHROMIUM)) {
            List<Participant> pages = meeting.open(CHROMIUM, "Anna", "Ben", "Display");
            Participant anna = pages.get(0);
            Participant ben = pages.get(1);
            Participant display = pages.get(2);
            anna.join();
            within(LIMIT, "Anna joins", () -> joined(anna));

            // Ben opens the "I'm in this room" link: the join form's checkbox is ticked, he joins with the form.
            navigate(ben, meeting.inviteUrl() + "&inroom=1");
            assertEquals("true", String.valueOf(ben.js("document.getElementById('inroom-check').checked")),
                    "the in-room link ticks the join form's checkbox");
            assertTrue(String.valueOf(ben.js("document.getElementById('inroom-link').href")).contains("inroom=1"),
                    "the join page offers the in-room link");
            ben.join();
            within(LIMIT, "Ben joins as an in-room device", () -> joined(ben));

            // The room's display joins at once, with no form.
            long t0 = System.nanoTime();
            navigate(display, meeting.inviteUrl() + "&display=1");
            within(LIMIT, "the display joins by itself", () -> joined(display));
            Meeting.say(String.format("  the display was in the room %.1f s after its page was opened", (System.nanoTime() - t0) / 1e9));

            JsonNode benAttributes = json(ben, "window.roomdeck.client.peerAttributes");
            assertEquals("in-room", benAttributes.path("device").asText(), "Ben's join attributes: " + benAttributes);
            JsonNode displayAttributes = json(display, "window.roomdeck.client.peerAttributes");
            assertEquals("display", displayAttributes.path("device").asText(), "the display's join attributes: " + displayAttributes);
            assertEquals("Room display", displayAttributes.path("name").asText());

            // Everyone sees everyone (the display and the in-room device too).
            for (Participant p : pages) {
                within(LIMIT, p + " plays the two others", () -> playsOthers(p, 2));
            }

            // The in-room device sends no sound and plays none; Anna's page shows its microphone off.
            within(LIMIT, "Ben's page plays no sound and sends no live audio", () -> {
                JsonNode playing = json(ben, PLAYING_SOUND);
                JsonNode sending = json(ben, SENDING_AUDIO);
                return playing.isEmpty() && sending.isEmpty() ? null : "plays " + playing + ", sends " + sending;
            });
            assertEquals("true", String.valueOf(ben.js("window.roomdeck.client.localMute.audio")), "Ben's microphone is muted");
            within(LIMIT, "Anna sees Ben's microphone off", () -> tileOf(anna, id(ben), "audio", "muted"));
            JsonNode benControls = json(ben, VISIBLE_CONTROLS);
            assertTrue(benControls.toString().contains("room-audio-button"), "Ben has the toggle: " + benControls);
            assertTrue(benControls.toString().contains("share-button"), "Ben can share: " + benControls);
            assertTrue(benControls.toString().contains("chat-button"), "Ben can chat: " + benControls);

            // The display: no button, field or link anywhere; a name on every tile; its own camera and microphone go up.
            JsonNode displayControls = json(display, VISIBLE_CONTROLS);
            assertTrue(displayControls.isEmpty(), "the display shows no controls: " + displayControls);
            for (JsonNode t : json(display, TILES)) {
                assertTrue(t.path("labelVisible").asBoolean() && !t.path("label").asText().isBlank(), "a name on every tile: " + t);
            }
            JsonNode displaySends = json(display, """
                    window.roomdeck.client.peerConnection.getSenders().filter(s => s.track && s.track.readyState === 'live'
                      && s.track.enabled).map(s => s.track.kind).sort()""");
            assertEquals("[\"audio\",\"video\"]", displaySends.toString(), "the display publishes its camera and microphone");
            within(LIMIT, "Anna sees the display's camera", () -> tileOf(anna, id(display), "state", "live"));

            // The dominant speaker (the server's speaker messages): the same person is outlined on every page.
            within(LIMIT, "every page outlines the server's dominant speaker", () -> {
                RoomSnapshot room = room(meeting);
                String speaker = room == null ? null : room.speakerPeerId();
                if (speaker == null) {
                    return "the server names no speaker yet";
                }
                for (Participant p : pages) {
                    List<String> outlined = new ArrayList<>();
                    for (JsonNode t : json(p, TILES)) {
                        if (t.path("speaker").asBoolean()) {
                            outlined.add(t.path("peerId").asText());
                        }
                    }
                    if (!outlined.equals(List.of(speaker))) {
                        return p + " outlines " + outlined + ", the server's speaker is " + speaker;
                    }
                }
                return null;
            });

            // Anna shares: the display shows it large; then the operator stops it.
            click(anna, "#share-button");
            String[] screen = new String[1];
            within(LIMIT, "Anna shares", () -> {
                Object m = anna.js("window.roomdeck.sharing");
                screen[0] = m == null ? null : String.valueOf(m);
                return screen[0] == null ? "not yet" : null;
            });
            within(LIMIT, "the display shows Anna's screen large", () -> tileWith(display, screen[0], "stage", "large"));
            within(LIMIT, "the in-room device shows Anna's screen large", () -> tileWith(ben, screen[0], "stage", "large"));
            meeting.server().server().admin().stopStream(meeting.room(), id(anna), screen[0]);
            within(LIMIT, "Anna's share ends and her page says why", () -> {
                Object m = anna.js("window.roomdeck.sharing");
                String toasts = String.valueOf(anna.js("document.getElementById('toasts').textContent"));
                return m == null && toasts.contains("operator stopped your screen share") ? null
                        : "sharing " + m + ", toasts \"" + toasts + "\"";
            });
            within(LIMIT, "the display drops the screen", () -> json(display, TILES).toString().contains(screen[0]) ? "still shows it" : null);

            // "Use this device's audio": Ben's microphone and sound come on.
            click(ben, "#room-audio-button");
            within(LIMIT, "Ben's page plays sound and sends his microphone", () -> {
                JsonNode playing = json(ben, PLAYING_SOUND);
                JsonNode sending = json(ben, SENDING_AUDIO);
                return !playing.isEmpty() && sending.size() == 1 ? null : "plays " + playing + ", sends " + sending;
            });
            within(LIMIT, "Anna sees Ben's microphone on", () -> tileOf(anna, id(ben), "audio", "on"));

            for (Participant p : pages) {
                assertEquals("[]", String.valueOf(p.js("JSON.stringify(window.roomdeck.errors)")), p + " shows no error");
                assertEquals("[]", String.valueOf(p.js("JSON.stringify(window.__pageErrors)")), p + " has no page error");
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theDoorAsksForThePinAndTheLockedRoomKeepsPeopleInTheLobby() throws Exception {
        try (Meeting meeting = Meeting.start("MeetingRoomModesTest-door", "board", CHROMIUM)) {
            List<Participant> pages = meeting.open(CHROMIUM, "Anna", "Ben", "Chen");
            Participant anna = pages.get(0);
            Participant ben = pages.get(1);
            Participant chen = pages.get(2);
            anna.join();
            within(LIMIT, "Anna joins", () -> joined(anna));
            AdminApi admin = meeting.server().server().admin();
            admin.setPin(meeting.room(), "4711");

            // A PIN: the join page asks for it; a wrong one is said so; the right one lets Ben in.
            ben.join();
            within(LIMIT, "Ben's page asks for the PIN", () -> door(ben, "pin"));
            enterPin(ben, "1234");
            within(LIMIT, "a wrong PIN is said so", () -> {
                String err = String.valueOf(ben.js("document.getElementById('pin-error').hidden ? '' : document.getElementById('pin-error').textContent"));
                return err.contains("not right") && door(ben, "pin") == null ? null : "error \"" + err + "\"";
            });
            enterPin(ben, "4711");
            within(LIMIT, "the right PIN lets Ben in", () -> joined(ben));

            // Locked: Chen waits in the lobby; the operator refuses, then (next knock) admits.
            admin.lock(meeting.room(), true);
            chen.join();
            within(LIMIT, "Chen's page asks for the PIN", () -> door(chen, "pin"));
            enterPin(chen, "4711");
            within(LIMIT, "Chen waits in the lobby", () -> {
                String text = String.valueOf(chen.js("document.getElementById('lobby-card').textContent"));
                return door(chen, "lobby") == null && text.contains("Waiting for the operator to let you in") ? null : "shows \"" + text + "\"";
            });
            assertTrue(json(chen, VISIBLE_CONTROLS).toString().contains("lobby-leave"), "the lobby has a Leave button");
            admin.refuse(meeting.room(), knock(meeting));
            within(LIMIT, "Chen is told the operator did not let him in, on the join form", () -> {
                String err = String.valueOf(chen.js("document.getElementById('join-error').textContent"));
                return door(chen, "form") == null && err.contains("The operator did not let you in") ? null : "error \"" + err + "\"";
            });
            chen.join();
            within(LIMIT, "Chen's page asks for the PIN again", () -> door(chen, "pin"));
            enterPin(chen, "4711");
            within(LIMIT, "Chen waits in the lobby again", () -> door(chen, "lobby"));
            admin.admit(meeting.room(), knock(meeting));
            within(LIMIT, "admitted, Chen is in the room", () -> joined(chen));
            for (Participant p : pages) {
                within(LIMIT, p + " plays the two others", () -> playsOthers(p, 2));
            }
            for (Participant p : pages) {
                assertEquals("[]", String.valueOf(p.js("JSON.stringify(window.__pageErrors)")), p + " has no page error");
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void withMoreThanFourPeopleTheSpeakerIsLargeUnlessSomeoneShares() throws Exception {
        try (Meeting meeting = Meeting.start("MeetingRoomModesTest-speaker", "allhands", CHROMIUM)) {
            List<Participant> people = meeting.open(CHROMIUM, "Anna", "Ben", "Chen", "Dev", "Eve");
            meeting.joinOneAfterAnother(people, Duration.ofMillis(500));
            // Five pages on two cores: the join may take a while; what matters here is what comes after it.
            for (Participant p : people) {
                within(Duration.ofSeconds(40), p + " joins and plays the four others", () -> {
                    String j = joined(p);
                    return j != null ? j : playsOthers(p, 4);
                });
            }
            Participant anna = people.get(0);
            Participant ben = people.get(1);
            Participant chen = people.get(2);
            Participant dev = people.get(3);
            // Everyone but Anna mutes with the page's button: the fake microphones beep alike, so only Anna speaks.
            for (Participant p : people.subList(1, 5)) {
                click(p, "#mic-button");
            }
            speakerIsLarge(meeting, people, anna);
            // Anna mutes, Chen unmutes: the floor goes to Chen, and the large tile with it.
            click(anna, "#mic-button");
            click(chen, "#mic-button");
            speakerIsLarge(meeting, people, chen);
            // No flapping: Ben's large tile stays Chen's for 4 s.
            String chenId = id(chen);
            for (int i = 0; i < 13; i++) {
                JsonNode large = largeTile(ben);
                assertTrue(large != null && chenId.equals(large.path("peerId").asText()), "Ben's large tile stays Chen's: " + large);
                Thread.sleep(300);
            }
            // A screen share takes the stage from the speaker.
            click(dev, "#share-button");
            within(LIMIT, "Ben shows Dev's screen large while Chen speaks", () -> {
                JsonNode large = largeTile(ben);
                return large != null && "screen".equals(large.path("kind").asText()) && id(dev).equals(large.path("peerId").asText())
                        ? null : "large: " + large;
            });
        }
    }

    /** Waits until the server names {@code speaker}, then until every page outlines them and the others show them large. */
    private static void speakerIsLarge(Meeting meeting, List<Participant> people, Participant speaker) throws InterruptedException {
        String sid = id(speaker);
        within(LIMIT, "the server names " + speaker + " the speaker", () -> {
            RoomSnapshot room = room(meeting);
            return room != null && sid.equals(room.speakerPeerId()) ? null : "speaker " + (room == null ? null : room.speakerPeerId())
                    + "; levels on " + people.get(0) + "'s page: " + json(people.get(0), "window.roomdeck.speakerLevels");
        });
        for (Participant p : people) {
            within(LIMIT, p + " outlines " + speaker + (p == speaker ? "" : " and shows them large"), () -> {
                List<String> outlined = new ArrayList<>();
                for (JsonNode t : json(p, TILES)) {
                    if (t.path("speaker").asBoolean()) {
                        outlined.add(t.path("peerId").asText());
                    }
                }
                if (!outlined.equals(List.of(sid))) {
                    return "outlines " + outlined;
                }
                JsonNode large = largeTile(p);
                if (p == speaker) {
                    return large == null ? null : "shows " + large + " large on the speaker's own page";
                }
                return large != null && sid.equals(large.path("peerId").asText()) && !"screen".equals(large.path("kind").asText())
                        ? null : "large: " + large;
            });
        }
    }

    private static JsonNode largeTile(Participant p) {
        JsonNode found = null;
        for (JsonNode t : json(p, TILES)) {
            if (t.path("spotlight").asBoolean()) {
                if (found != null) {
                    throw new AssertionError(p + " shows two large tiles");
                }
                found = t;
            }
        }
        return found;
    }

    private static void enterPin(Participant p, String pin) {
        p.js("(() => { const i = document.getElementById('pin-input'); i.value = '" + pin + "'; "
                + "document.getElementById('pin-button').click(); })()");
    }

    private static String knock(Meeting meeting) throws InterruptedException {
        String[] id = new String[1];
        within(LIMIT, "the console lists the knock", () -> {
            RoomSnapshot room = room(meeting);
            if (room == null || room.lobby().isEmpty()) {
                return "nobody in the lobby";
            }
            id[0] = room.lobby().get(0).knockId();
            return null;
        });
        return id[0];
    }

    private static RoomSnapshot room(Meeting meeting) {
        return meeting.server().server().admin().snapshot().rooms().stream()
                .filter(r -> r.id().equals(meeting.room())).findFirst().orElse(null);
    }

    private static String door(Participant p, String which) {
        Object d = p.js("document.body.dataset.view + '/' + (document.body.dataset.door || 'form')");
        return ("join/" + which).equals(String.valueOf(d)) ? null : "shows " + d;
    }

    private static String joined(Participant p) {
        Object s = p.js("window.roomdeck.state + '/' + document.body.dataset.view + '/' + (document.querySelector('.tile.local') || {dataset: {}}).dataset.peerId");
        String v = String.valueOf(s);
        if (!v.startsWith("joined/call/")) {
            return "state " + v;
        }
        return null;
    }

    /** The user id the page joined with (its local tile's data-peer-id). */
    private static String id(Participant p) {
        return String.valueOf(p.js("document.querySelector('.tile.local').dataset.peerId"));
    }

    /** null when the page plays a live video of {@code n} other people's cameras. */
    private static String playsOthers(Participant p, int n) {
        int live = 0;
        JsonNode tiles = json(p, TILES);
        for (JsonNode t : tiles) {
            if (!t.path("local").asBoolean() && !"screen".equals(t.path("kind").asText()) && "live".equals(t.path("state").asText())) {
                live++;
            }
        }
        return live == n ? null : live + " live camera tiles: " + tiles;
    }

    private static String tileOf(Participant viewer, String peerId, String field, String value) {
        for (JsonNode t : json(viewer, TILES)) {
            if (peerId.equals(t.path("peerId").asText()) && !"screen".equals(t.path("kind").asText())) {
                return value.equals(t.path(field).asText()) ? null : "the tile's " + field + " is " + t.path(field).asText();
            }
        }
        return "no tile for " + peerId;
    }

    private static String tileWith(Participant viewer, String msid, String field, String value) {
        for (JsonNode t : json(viewer, TILES)) {
            if (msid.equals(t.path("msid").asText())) {
                return value.equals(t.path(field).asText()) ? null : "the tile's " + field + " is " + t.path(field).asText();
            }
        }
        return "no tile for " + msid;
    }
}
