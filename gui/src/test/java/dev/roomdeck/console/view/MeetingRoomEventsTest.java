package dev.roomdeck.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.admin.ServerEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The door's and the floor's events in plain words, the knocking person named also when the knock ends. */
class MeetingRoomEventsTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @org.junit.jupiter.api.BeforeAll
    static void toolkit() throws Exception {
        org.testfx.api.FxToolkit.registerPrimaryStage(); // the pane is a ListView
    }

    @Test
    void knocksTheDoorStoppedStreamsAndTheSpeakerReadAsWords() {
        EventsPane pane = new EventsPane((room, peer) -> "u-ben".equals(peer) ? "Ben" : peer);
        pane.add(new ServerEvent.Knock(T, "r1", "k1", "u-chen", "Chen", "10.0.0.9:4000"));
        pane.add(new ServerEvent.KnockEnded(T, "r1", "k1", "admitted"));
        pane.add(new ServerEvent.Knock(T, "r1", "k2", "u-dora", "", "10.0.0.10:4000"));
        pane.add(new ServerEvent.KnockEnded(T, "r1", "k2", "refused"));
        pane.add(new ServerEvent.DoorChanged(T, "r1", true, true));
        pane.add(new ServerEvent.StreamStopped(T, "r1", "u-ben", "ben-screen-1"));
        pane.add(new ServerEvent.SpeakerChanged(T, "r1", "u-ben", "ben-cam"));
        pane.add(new ServerEvent.SpeakerChanged(T, "r1", null, null));

        List<String> texts = new java.util.ArrayList<>(pane.lines().stream().map(EventsPane.Line::text).toList());
        java.util.Collections.reverse(texts); // the pane shows the newest first
        assertThat(texts).containsExactly(
                "Chen (10.0.0.9:4000) knocks at the locked door: admit or refuse",
                "Chen was admitted",
                "u-dora (10.0.0.10:4000) knocks at the locked door: admit or refuse",
                "u-dora was refused at the door",
                "The door is locked: newcomers knock; a PIN is asked",
                "The operator stopped Ben's stream ben-screen-1 for everyone",
                "Nobody is speaking now"); // the newer speaker line replaced the one just before it
        assertThat(pane.lines().get(6).kind()).isEqualTo("knock");
    }

    @Test
    void devicesReadAsWhereTheyAre() {
        assertThat(PeersTable.deviceText("in-room")).isEqualTo("in this room");
        assertThat(PeersTable.deviceText("display")).isEqualTo("room display");
        assertThat(PeersTable.deviceText(null)).isEmpty();
        assertThat(RoomControls.doorText("weekly", true, false)).isEqualTo("Room weekly is locked: newcomers knock · no PIN");
    }
}
