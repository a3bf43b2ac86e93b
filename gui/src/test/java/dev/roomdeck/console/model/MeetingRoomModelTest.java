package dev.roomdeck.console.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.admin.KnockSnapshot;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.admin.TrackSnapshot;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 14 in the model: levels move with each snapshot, streams are named by person and kind, the door. */
class MeetingRoomModelTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void eachSnapshotMovesTheLevelAndSpeakingAndTheRowsSortByLevel() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(1, room(peer("u-ben", "Ben", 12, false, null), peer("u-anna", "Anna", 70, true, null))));
        RoomRow room = model.room("r1");
        PeerRow ben = room.peer("u-ben");
        PeerRow anna = room.peer("u-anna");
        assertThat(ben.audioLevelProperty().get()).isEqualTo(12);
        assertThat(anna.speakingProperty().get()).isTrue();
        assertThat(loudestFirst(room)).containsExactly("Anna", "Ben");

        model.apply(server(2, room(peer("u-ben", "Ben", 88, true, null), peer("u-anna", "Anna", 3, false, null))));

        assertThat(room.peer("u-ben")).isSameAs(ben);
        assertThat(ben.audioLevelProperty().get()).isEqualTo(88);
        assertThat(ben.speakingProperty().get()).isTrue();
        assertThat(anna.speakingProperty().get()).isFalse();
        assertThat(loudestFirst(room)).containsExactly("Ben", "Anna");
    }

    @Test
    void devicesAreKeptAndStreamsAreNamedByPersonAndKindWithTheMsidApart() {
        ConsoleModel model = new ConsoleModel(T0);
        PeerSnapshot ben = new PeerSnapshot("u-ben", "Ben", "10.0.0.7:5000", T0, "ready", 0, 0, 0, 0,
                List.of(stream("ben-cam", "camera"), stream("ben-screen-1", "screen")), 0, null, 0, false, "in-room");
        model.apply(server(1, room(ben, peer("u-tv", "Room display", 0, false, "display"))));

        PeerRow row = model.room("r1").peer("u-ben");
        assertThat(row.deviceProperty().get()).isEqualTo("in-room");
        assertThat(model.room("r1").peer("u-tv").deviceProperty().get()).isEqualTo("display");
        assertThat(row.streamLabel("ben-cam")).isEqualTo("Ben · camera");
        assertThat(row.streamLabel("ben-screen-1")).isEqualTo("Ben · screen");
        assertThat(row.tracks()).filteredOn(StreamRow::isScreen).extracting(StreamRow::msid)
                .containsOnly("ben-screen-1");
        assertThat(row.tracks()).extracting(s -> s.labelProperty().get())
                .containsOnly("Ben · camera", "Ben · screen");
    }

    @Test
    void theDoorAndTheLobbyFollowTheSnapshot() {
        ConsoleModel model = new ConsoleModel(T0);
        KnockSnapshot k = new KnockSnapshot("k1", "u-chen", "Chen", "10.0.0.9:4000", T0);
        model.apply(new ServerSnapshot(T0, 1, 10000, List.of(
                new RoomSnapshot("r1", List.of(peer("u-ben", "Ben", 0, false, null)), true, true, List.of(k), "u-ben"))));
        RoomRow room = model.room("r1");
        assertThat(room.lockedProperty().get()).isTrue();
        assertThat(room.pinSetProperty().get()).isTrue();
        assertThat(room.speakerPeerIdProperty().get()).isEqualTo("u-ben");
        assertThat(room.lobby()).containsExactly(k);

        model.apply(server(2, room(peer("u-ben", "Ben", 0, false, null))));
        assertThat(room.lockedProperty().get()).isFalse();
        assertThat(room.lobby()).isEmpty();
    }

    /** The order the peers table's level column (descending) gives: the same rows, by their level now. */
    private static List<String> loudestFirst(RoomRow room) {
        return room.peers().stream()
                .sorted(Comparator.comparingInt((PeerRow p) -> p.audioLevelProperty().get()).reversed())
                .map(PeerRow::name).toList();
    }

    private static StreamSnapshot stream(String msid, String kind) {
        return new StreamSnapshot(msid, 0, null, List.of(new TrackSnapshot(msid + "-a", "audio", "opus", 1, 0, 0, 0, 0),
                new TrackSnapshot(msid + "-v", "video", "VP8", 2, 0, 0, 0, 0)), false, false, false, false, kind,
                "server's label");
    }

    private static PeerSnapshot peer(String id, String name, int level, boolean speaking, String device) {
        return new PeerSnapshot(id, name, "10.0.0.1:5000", T0, "ready", 0, 0, 0, 0, List.of(), 0, null, level,
                speaking, device);
    }

    private static RoomSnapshot room(PeerSnapshot... peers) {
        return new RoomSnapshot("r1", List.of(peers));
    }

    private static ServerSnapshot server(int second, RoomSnapshot... rooms) {
        return new ServerSnapshot(T0.plusSeconds(second), second, 10000, List.of(rooms));
    }
}
