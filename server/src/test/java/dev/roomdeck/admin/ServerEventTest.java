package dev.roomdeck.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.room.MuteState;
import dev.roomdeck.room.RoomEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator hears every kind of room event, with the same facts, in the admin API's own types. */
class ServerEventTest {
    private static final Instant T = Instant.parse("2026-12-07T09:00:00Z");

    @Test
    void everyKindOfRoomEventReachesAdminListenersWithTheSameFacts() {
        List<RoomEvent> all = List.of(
                new RoomEvent.PeerJoined(T, "r", "anna", "192.0.2.1:5000"),
                new RoomEvent.PeerLeft(T, "r", "anna", "kicked"),
                new RoomEvent.StreamAdded(T, "r", "anna", "cam"),
                new RoomEvent.StreamRemoved(T, "r", "anna", "cam"),
                new RoomEvent.StreamMuted(T, "r", "anna", "cam", new MuteState(true, false, false, true)),
                new RoomEvent.Knock(T, "r", "k1", "ben", "Ben", "192.0.2.2:5000"),
                new RoomEvent.KnockEnded(T, "r", "k1", "admitted", "ben", "Ben"),
                new RoomEvent.StreamStopped(T, "r", "anna", "screen"),
                new RoomEvent.SpeakerChanged(T, "r", null, null),
                new RoomEvent.DoorChanged(T, "r", true, false),
                new RoomEvent.RoomOpened(T, "r"),
                new RoomEvent.RoomClosed(T, "r"),
                new RoomEvent.ClientError(T, null, null, "bad-token", "wrong signature"));
        assertThat(all).extracting(e -> e.getClass().getSimpleName()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(RoomEvent.class.getPermittedSubclasses()).map(Class::getSimpleName).toList());

        assertThat(all.stream().map(AdminApi::event).toList()).containsExactly(
                new ServerEvent.PeerJoined(T, "r", "anna", "192.0.2.1:5000"),
                new ServerEvent.PeerLeft(T, "r", "anna", "kicked"),
                new ServerEvent.StreamAdded(T, "r", "anna", "cam"),
                new ServerEvent.StreamRemoved(T, "r", "anna", "cam"),
                new ServerEvent.StreamMuted(T, "r", "anna", "cam", true, true, false, true),
                new ServerEvent.Knock(T, "r", "k1", "ben", "Ben", "192.0.2.2:5000"),
                new ServerEvent.KnockEnded(T, "r", "k1", "admitted", "ben", "Ben"),
                new ServerEvent.StreamStopped(T, "r", "anna", "screen"),
                new ServerEvent.SpeakerChanged(T, "r", null, null),
                new ServerEvent.DoorChanged(T, "r", true, false),
                new ServerEvent.RoomOpened(T, "r"),
                new ServerEvent.RoomClosed(T, "r"),
                new ServerEvent.ClientError(T, null, null, "bad-token", "wrong signature"));
    }

    @Test
    void whatTheOperatorMutedIsMuted() {
        ServerEvent.StreamMuted m = new ServerEvent.StreamMuted(T, "r", "anna", "cam", false, false, true, false);
        assertThat(m.audioMuted()).isTrue();
        assertThat(m.videoMuted()).isFalse();
    }
}
