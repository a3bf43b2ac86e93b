package dev.roomdeck.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.ReceivedVideoSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.console.model.ConsoleModel;
import dev.roomdeck.console.model.PeerRow;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Simulcast as drawn, from constructed snapshots (the Java test clients publish one layer): a subscriber whose
 * video was lowered for its link is flagged in its Receives cell in words, and its Receiving list says each
 * stream's layer, size, reason and rate, and follows the next snapshot in place.
 */
class ReceivingViewTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private Stage stage;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws Exception {
        if (stage != null) {
            fx(() -> {
                stage.close();
                return null;
            });
        }
    }

    @Test
    void aSubscriberLoweredForItsLinkIsFlaggedAndItsReceivingListSaysWhyPerStream() throws Exception {
        ConsoleModel model = new ConsoleModel(T0);
        PeersTable peers = fx(() -> new PeersTable(new ContextMenu()));
        NetworkDoctorPane doctor = fx(NetworkDoctorPane::new);
        fx(() -> {
            model.apply(server(1, subscriber("u-carol", 900_000,
                    video("ben-cam", "Ben · camera", 0, 0, 3, 320, 180, "bandwidth", 150_000),
                    video("dana-cam", "Dana · camera", 1, 2, 3, 640, 360, "size", 450_000),
                    video("eve-cam", "Eve · camera", -1, -1, 3, 0, 0, "paused", 0)),
                    subscriber("u-ben", -1)));
            peers.show(model.room("r1"));
            doctor.show(model.room("r1").peer("u-carol"));
            stage = new Stage();
            stage.setScene(new Scene(new VBox(peers.node(), doctor.node()), 1400, 800));
            stage.show();
            return null;
        });

        TableCell<?, ?> carol = fx(() -> cell(peers, "u-carol"));
        assertThat(fx(carol::getText)).isEqualTo("3 videos · 600 of 900 kbit/s");
        assertThat(fx(() -> ((Label) carol.getGraphic()).getText())).isEqualTo("1 lowered for bandwidth");
        assertThat(fx(() -> carol.getStyleClass())).contains(PeersTable.LOWERED);
        assertThat(fx(() -> carol.getTooltip().getText())).startsWith("Ben · camera: layer 1/3 · 320×180 · lowered: link");
        TableCell<?, ?> ben = fx(() -> cell(peers, "u-ben"));
        assertThat(fx(ben::getText)).as("receives nothing: empty").isNull();
        assertThat(fx(() -> ben.getStyleClass())).doesNotContain(PeersTable.LOWERED);

        assertThat(fx(() -> text(doctor, "#linkEstimate"))).isEqualTo("Link estimate 900 kbit/s");
        assertThat(fx(() -> entries(doctor))).containsExactly(
                "Ben · camera | layer 1/3 · 320×180 · lowered: link · 150 kbit/s",
                "Dana · camera | switching 2→3 · 640×360 · fits the tile · 450 kbit/s",
                "Eve · camera | paused · tile hidden or muted");

        // The link recovers: the flag goes, the list follows in place.
        fx(() -> {
            model.apply(server(2, subscriber("u-carol", 2_400_000,
                    video("ben-cam", "Ben · camera", 2, 2, 3, 1280, 720, "size", 1_200_000),
                    video("dana-cam", "Dana · camera", 2, 2, 3, 1280, 720, "size", 1_100_000)),
                    subscriber("u-ben", -1)));
            doctor.refresh();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        TableCell<?, ?> after = fx(() -> cell(peers, "u-carol"));
        assertThat(fx(after::getText)).isEqualTo("2 videos · 2.30 of 2.40 Mbit/s");
        assertThat(fx(after::getGraphic)).isNull();
        assertThat(fx(() -> after.getStyleClass())).doesNotContain(PeersTable.LOWERED);
        assertThat(fx(() -> entries(doctor))).containsExactly(
                "Ben · camera | layer 3/3 · 1280×720 · fits the tile · 1.20 Mbit/s",
                "Dana · camera | layer 3/3 · 1280×720 · fits the tile · 1.10 Mbit/s");
        assertThat(fx(() -> text(doctor, "#linkEstimate"))).isEqualTo("Link estimate 2.40 Mbit/s");

        fx(() -> {
            doctor.show(model.room("r1").peer("u-ben"));
            return null;
        });
        assertThat(fx(() -> text(doctor, "#linkEstimate"))).isEqualTo("Link estimate not measured yet");
        assertThat(fx(() -> entries(doctor))).containsExactly(ReceivingPane.NONE);
        fx(() -> {
            doctor.show(null);
            return null;
        });
        assertThat(fx(() -> doctor.node().lookup("#receiving").isVisible())).as("no peer: no section").isFalse();
    }

    /** Each entry of the Receiving list as "label | detail" (the empty list's one line as it is). */
    static List<String> entries(NetworkDoctorPane doctor) {
        VBox list = (VBox) doctor.node().lookup("#receivingList");
        return list.getChildren().stream().map(n -> n instanceof VBox e
                ? ((Label) e.getChildren().get(0)).getText() + " | " + ((Label) e.getChildren().get(1)).getText()
                : ((Label) n).getText()).toList();
    }

    private static String text(NetworkDoctorPane doctor, String id) {
        return ((Label) doctor.node().lookup(id)).getText();
    }

    private static TableCell<?, ?> cell(PeersTable peers, String peer) {
        TableView<PeerRow> t = peers.node();
        t.layout();
        for (Node n : t.lookupAll(".table-cell")) {
            if (n instanceof TableCell<?, ?> c && c.getTableColumn() != null
                    && "peerReceives".equals(c.getTableColumn().getId()) && !c.isEmpty() && c.isVisible()
                    && c.getTableRow() != null && c.getTableRow().getItem() instanceof PeerRow p && p.id().equals(peer)) {
                return c;
            }
        }
        throw new AssertionError("no Receives cell drawn for " + peer);
    }

    private static ReceivedVideoSnapshot video(String msid, String label, int layer, int target, int layers, int width,
                                               int height, String reason, long bps) {
        return new ReceivedVideoSnapshot("u-" + msid, msid, label, layer, target, layers, width, height, reason, bps);
    }

    private static PeerSnapshot subscriber(String id, long estimate, ReceivedVideoSnapshot... videos) {
        return new PeerSnapshot(id, id, "10.0.0.2:5000", T0, "ready", 0, 0, 0, 0, List.of(), 0, null, 0, false,
                null, null, estimate, List.of(videos));
    }

    private static ServerSnapshot server(int second, PeerSnapshot... peers) {
        return new ServerSnapshot(T0.plusSeconds(second), second, 10000, List.of(new RoomSnapshot("r1", List.of(peers))));
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
    }
}
