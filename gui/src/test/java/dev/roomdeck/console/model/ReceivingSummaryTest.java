package dev.roomdeck.console.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.ReceivedVideoSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.admin.TrackSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a peer receives (simulcast layers, reasons, link estimate) on its row, and the layers a publisher sends. */
class ReceivingSummaryTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void aSubscribersRowCarriesEachStreamItReceivesLabelledAsTheConsoleCallsItsPublisher() {
        ConsoleModel model = new ConsoleModel(T0);
        // Two people typed "Ben": the console tells them apart, so the streams they send must be told apart too.
        PeerSnapshot ben1 = publisher("u-ben1aaaa", "Ben", "ben1-cam", 3);
        PeerSnapshot ben2 = publisher("u-ben2bbbb", "Ben", "ben2-cam", 1);
        PeerSnapshot carol = subscriber("u-carol", 2_400_000,
                video("u-ben1aaaa", "ben1-cam", 2, 2, 3, 1280, 720, "size", 1_200_000),
                video("u-ben2bbbb", "ben2-cam", 0, 0, 1, 640, 360, "single", 600_000),
                video("u-gone", "gone-cam", 0, 0, 3, 320, 180, "bandwidth", 150_000));

        model.apply(server(1, ben1, ben2, carol));

        ReceivingSummary r = model.room("r1").peer("u-carol").reception();
        assertThat(r.linkEstimateBps()).isEqualTo(2_400_000);
        assertThat(r.videos()).extracting(ReceivedVideoSnapshot::label)
                .containsExactly("Ben (u-ben1) · camera", "Ben (u-ben2) · camera", "server's gone-cam");
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.receivedBps()).isEqualTo(1_950_000);
        assertThat(r.lowered()).isEqualTo(1);
        assertThat(r.paused()).isZero();
        assertThat(r.flagged()).isTrue();
        assertThat(r.measured()).isTrue();
        assertThat(model.room("r1").peer("u-ben1aaaa").reception()).as("receives nothing").isEqualTo(ReceivingSummary.NONE);
    }

    @Test
    void anEqualSnapshotLeavesTheReceptionAloneAndAChangeReplacesIt() {
        ConsoleModel model = new ConsoleModel(T0);
        PeerSnapshot ben = publisher("u-ben", "Ben", "ben-cam", 3);
        model.apply(server(1, ben, subscriber("u-carol", -1, video("u-ben", "ben-cam", 1, 1, 3, 640, 360, "size", 500_000))));
        PeerRow carol = model.room("r1").peer("u-carol");
        AtomicInteger changes = new AtomicInteger();
        carol.receptionProperty().addListener(o -> changes.incrementAndGet());
        assertThat(carol.reception().measured()).as("no REMB yet").isFalse();

        model.apply(server(2, ben, subscriber("u-carol", -1, video("u-ben", "ben-cam", 1, 1, 3, 640, 360, "size", 500_000))));
        assertThat(changes).as("the same figures: nothing to redraw").hasValue(0);

        model.apply(server(3, ben, subscriber("u-carol", 900_000, video("u-ben", "ben-cam", 1, 0, 3, 640, 360, "bandwidth", 480_000))));
        assertThat(changes).hasValue(1);
        assertThat(carol.reception().videos().get(0).targetLayer()).isZero();
        assertThat(carol.reception().lowered()).isEqualTo(1);

        model.apply(server(4, ben, subscriber("u-carol", 900_000, video("u-ben", "ben-cam", -1, -1, 3, 0, 0, "paused", 0))));
        assertThat(carol.reception().paused()).isEqualTo(1);
        assertThat(carol.reception().flagged()).isFalse();
    }

    @Test
    void sortedDescendingPeersWithVideoLoweredForTheirLinkComeFirstThenByRate() {
        ReceivingSummary lowered = new ReceivingSummary(500_000, List.of(
                video("a", "a", 0, 0, 3, 320, 180, "bandwidth", 150_000)));
        ReceivingSummary busy = new ReceivingSummary(-1, List.of(video("a", "a", 2, 2, 3, 1280, 720, "size", 2_000_000),
                video("b", "b", 2, 2, 3, 1280, 720, "best", 2_000_000)));
        ReceivingSummary quiet = new ReceivingSummary(-1, List.of(video("a", "a", 0, 0, 1, 640, 360, "single", 300_000)));
        List<ReceivingSummary> all = new ArrayList<>(List.of(quiet, ReceivingSummary.NONE, lowered, busy));

        all.sort(Comparator.reverseOrder());

        assertThat(all).containsExactly(lowered, busy, quiet, ReceivingSummary.NONE);
    }

    @Test
    void aSimulcastVideoTrackSaysHowManyLayersItIsSentInBesideItsCodec() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(1, publisher("u-ben", "Ben", "ben-cam", 3)));
        List<String> shown = model.room("r1").peer("u-ben").tracks().stream().map(s -> s.sentAsProperty().get()).toList();
        assertThat(shown).containsExactly("opus", "VP8 · 3 layers");
        assertThat(model.room("r1").peer("u-ben").tracks().get(1).layersProperty().get()).isEqualTo(3);

        model.apply(server(2, publisher("u-ben", "Ben", "ben-cam", 1)));
        assertThat(model.room("r1").peer("u-ben").tracks().get(1).sentAsProperty().get())
                .as("one layer (no simulcast, or the browser dropped the others) says only the codec").isEqualTo("VP8");
        assertThat(StreamRow.sentAsText("VP8", 0)).as("before media flows").isEqualTo("VP8");
    }

    // ---- snapshots ----

    static ReceivedVideoSnapshot video(String publisher, String msid, int layer, int target, int layers, int width,
                                       int height, String reason, long bps) {
        return new ReceivedVideoSnapshot(publisher, msid, "server's " + msid, layer, target, layers, width, height,
                reason, bps);
    }

    private static PeerSnapshot publisher(String id, String name, String msid, int layers) {
        StreamSnapshot s = new StreamSnapshot(msid, 0, null, List.of(
                new TrackSnapshot(msid + "-a", "audio", "opus", 1, 40_000, 10, 0, 0, 1),
                new TrackSnapshot(msid + "-v", "video", "VP8", 2, 1_500_000, 10, 0, 0, layers)),
                false, false, false, false, "camera", name + " · camera");
        return new PeerSnapshot(id, name, "10.0.0.1:5000", T0, "ready", 0, 0, 0, 0, List.of(s), 0, null, 0, false,
                null, null, -1, List.of());
    }

    private static PeerSnapshot subscriber(String id, long estimate, ReceivedVideoSnapshot... videos) {
        return new PeerSnapshot(id, "Carol", "10.0.0.2:5000", T0, "ready", 0, 0, 0, 0, List.of(), 0, null, 0, false,
                null, null, estimate, List.of(videos));
    }

    private static ServerSnapshot server(int second, PeerSnapshot... peers) {
        return new ServerSnapshot(T0.plusSeconds(second), second, 10000, List.of(new RoomSnapshot("r1", List.of(peers))));
    }
}
