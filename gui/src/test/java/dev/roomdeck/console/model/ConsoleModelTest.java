package dev.roomdeck.console.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.admin.TrackSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** Rows are updated in place by id: the same objects carry new figures, and only what is gone is removed. */
class ConsoleModelTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void aSecondSnapshotUpdatesTheSameRowObjects() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(T0.plusSeconds(1), room("r1", peer("alice", 300_000, stream("cam", 250_000, false)))));
        RoomRow room = model.room("r1");
        PeerRow alice = room.peer("alice");
        StreamRow audio = alice.tracks().get(0);

        model.apply(server(T0.plusSeconds(2), room("r1", peer("alice", 900_000, stream("cam", 800_000, true)))));

        assertThat(model.room("r1")).isSameAs(room);
        assertThat(room.peer("alice")).isSameAs(alice);
        assertThat(alice.tracks().get(0)).isSameAs(audio);
        assertThat(alice.bitrateInProperty().get()).isEqualTo(900_000);
        assertThat(alice.connectedSecondsProperty().get()).isEqualTo(2);
        assertThat(audio.mutedProperty().get()).isEqualTo("operator");
        assertThat(audio.audioMutedByOperator()).isTrue();
    }

    @Test
    void onlyWhatIsGoneIsRemovedAndTheListIsNeverCleared() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(T0, room("r1", peer("alice", 0), peer("bob", 0)), room("r2", peer("carol", 0))));
        List<String> changes = new ArrayList<>();
        model.room("r1").peers().addListener((ListChangeListener<PeerRow>) c -> {
            while (c.next()) {
                c.getRemoved().forEach(p -> changes.add("-" + p.id()));
                c.getAddedSubList().forEach(p -> changes.add("+" + p.id()));
            }
        });

        model.apply(server(T0.plusSeconds(1), room("r1", peer("alice", 0), peer("dave", 0))));

        assertThat(changes).containsExactlyInAnyOrder("-bob", "+dave");
        assertThat(model.rooms()).extracting(RoomRow::id).containsExactly("r1");
        assertThat(model.room("r1").peerCountProperty().get()).isEqualTo(2);
    }

    @Test
    void theHistoryKeepsOneMinutePerStreamAndForgetsGoneStreams() {
        ConsoleModel model = new ConsoleModel(T0);
        for (int s = 0; s <= 90; s++) {
            model.apply(server(T0.plusSeconds(s), room("r1", peer("alice", 0, stream("cam", 1000L * s, false)))));
        }
        String key = BitrateHistory.key("r1", "alice", "cam");
        List<BitrateHistory.Sample> samples = new ArrayList<>();
        model.history().samples(key).forEach(samples::add);

        assertThat(samples.get(0).seconds()).isEqualTo(30.0);
        assertThat(samples).hasSize(61);
        assertThat(model.history().latestKbps(key)).isEqualTo(90.0 * 2); // audio + video, 90 kbit/s each

        model.apply(server(T0.plusSeconds(91), room("r1", peer("alice", 0))));
        assertThat(model.history().samples(key)).isEmpty();
    }

    @Test
    void peersAreCalledByTheNameTheyTypedAndKeepTheirIds() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(T0, room("r1", named("u-3f9a01d2a7b4e865", "Anna"), peer("alice", 0))));

        PeerRow anna = model.room("r1").peer("u-3f9a01d2a7b4e865");
        assertThat(anna.name()).isEqualTo("Anna");
        assertThat(anna.label()).isEqualTo("Anna");
        assertThat(anna.id()).isEqualTo("u-3f9a01d2a7b4e865");
        assertThat(model.room("r1").peer("alice").label()).isEqualTo("alice"); // no name typed: the id
        assertThat(model.peerLabel("r1", "u-3f9a01d2a7b4e865")).isEqualTo("Anna");
    }

    @Test
    void twoPeopleWithTheSameNameGetTheStartOfTheirIdsAndLoseItWhenTheOtherLeaves() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(T0, room("r1", named("u-3f9a01d2a7b4e865", "Anna"), named("u-77c0e5aa01b2c3d4", "anna "),
                named("u-0b1c2d3e4f506172", "Bob")), room("r2", named("u-99aa00bb11cc22dd", "Anna"))));
        RoomRow r1 = model.room("r1");

        assertThat(r1.peers()).extracting(PeerRow::label)
                .containsExactly("Anna (u-3f9a)", "anna (u-77c0)", "Bob");
        assertThat(model.room("r2").peer("u-99aa00bb11cc22dd").label()).isEqualTo("Anna"); // another room: no clash

        model.apply(server(T0.plusSeconds(1), room("r1", named("u-3f9a01d2a7b4e865", "Anna"),
                named("u-0b1c2d3e4f506172", "Bob"))));

        assertThat(r1.peer("u-3f9a01d2a7b4e865").label()).isEqualTo("Anna");
        // The events of the one who left still name her as the operator last saw her.
        assertThat(model.peerLabel("r1", "u-77c0e5aa01b2c3d4")).isEqualTo("anna (u-77c0)");
        assertThat(model.peerLabel("r1", "never-seen")).isEqualTo("never-seen");
    }

    @Test
    void theIdPartGrowsUntilItTellsNamesakesApartAndAPeerWithoutANameKeepsItsId() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(T0, room("r1", named("u-3f9a01d2a7b4e865", "Anna"), named("u-3f9a77c0e5aa01b2", "Anna"),
                named("u-3f9a7700aaaaaaaa", "Anna"), peer("Anna", 0), named("x1", "Kim"), named("x2", "Kim"))));
        RoomRow r1 = model.room("r1");

        assertThat(r1.peers()).extracting(PeerRow::label).containsExactly(
                "Anna (u-3f9a01d)", "Anna (u-3f9a77c)", "Anna (u-3f9a770)", "Anna", "Kim (x1)", "Kim (x2)");
        assertThat(r1.peers()).extracting(PeerRow::label).doesNotHaveDuplicates();
    }

    @Test
    void aNameTypedToLookLikeAnothersLabelIsToldApartByTheFullId() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(T0, room("r1", named("u-3f9a01d2a7b4e865", "Anna"), named("u-3f9a77c0e5aa01b2", "Anna"),
                named("u-5555555555555555", "Anna (u-3f9a0)"))));

        assertThat(model.room("r1").peers()).extracting(PeerRow::label).containsExactly(
                "Anna (u-3f9a01d2a7b4e865)", "Anna (u-3f9a7)", "Anna (u-3f9a0) (u-5555555555555555)");
    }

    @Test
    void negotiationFailuresAreCarriedWithTheBrowsersWordsAndWhenTheConsoleSawThem() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(T0, room("r1", named("u-1", "Anna"))));
        PeerRow anna = model.room("r1").peer("u-1");
        assertThat(anna.negotiationFailuresProperty().get()).isZero();
        assertThat(anna.lastNegotiationFailureProperty().get()).isNull();
        assertThat(anna.negotiationFailureSeenAt()).isNull();

        model.apply(server(T0.plusSeconds(5), room("r1", failing("u-1", "Anna", 1, "Failed to set remote offer sdp"))));
        model.apply(server(T0.plusSeconds(6), room("r1", failing("u-1", "Anna", 1, "Failed to set remote offer sdp"))));

        assertThat(model.room("r1").peer("u-1")).isSameAs(anna);
        assertThat(anna.negotiationFailuresProperty().get()).isEqualTo(1);
        assertThat(anna.lastNegotiationFailureProperty().get()).isEqualTo("Failed to set remote offer sdp");
        assertThat(anna.negotiationFailureSeenAt()).isEqualTo(T0.plusSeconds(5)); // when it rose, not every refresh

        model.apply(server(T0.plusSeconds(9), room("r1", failing("u-1", "Anna", 2, "ERROR_CONTENT"))));
        assertThat(anna.negotiationFailuresProperty().get()).isEqualTo(2);
        assertThat(anna.lastNegotiationFailureProperty().get()).isEqualTo("ERROR_CONTENT");
        assertThat(anna.negotiationFailureSeenAt()).isEqualTo(T0.plusSeconds(9));
    }

    static ServerSnapshot server(Instant t, RoomSnapshot... rooms) {
        return new ServerSnapshot(t, 100, 10000, List.of(rooms));
    }

    static RoomSnapshot room(String id, PeerSnapshot... peers) {
        return new RoomSnapshot(id, List.of(peers));
    }

    static PeerSnapshot peer(String id, long inBps, StreamSnapshot... streams) {
        return new PeerSnapshot(id, "192.0.2.1:5000", T0, "connected", inBps, 0, 0, 0, List.of(streams));
    }

    /** A browser peer: a random id and the name its person typed. */
    static PeerSnapshot named(String id, String name) {
        return failing(id, name, 0, null);
    }

    static PeerSnapshot failing(String id, String name, int failures, String lastFailure) {
        return new PeerSnapshot(id, name, "192.0.2.1:5000", T0, "ready", 0, 0, 0, 0, List.of(), failures, lastFailure);
    }

    static StreamSnapshot stream(String msid, long trackBps, boolean audioMutedByOperator) {
        return new StreamSnapshot(msid, 1500, null, List.of(
                new TrackSnapshot(msid + "-a", "audio", "opus", 1, trackBps, 10, 0, 0),
                new TrackSnapshot(msid + "-v", "video", "VP8", 2, trackBps, 10, 0, 0)),
                audioMutedByOperator, false, audioMutedByOperator, false);
    }
}
