package dev.roomdeck.console;

import static dev.roomdeck.console.ConsoleWindowTest.eventually;
import static dev.roomdeck.console.ConsoleWindowTest.fx;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.SimulcastCamera;
import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.StreamRow;
import dev.roomdeck.rtp.Remb;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a subscriber receives, against the real server with Java media clients (real ICE, DTLS and SRTP): the
 * subscriber's Receives cell (videos, the rate forwarded, its browser's link estimate from the REMB it sends) and
 * its Receiving list (per stream: layer, reason, rate). A single-encoding publisher reads "whole stream · no
 * simulcast", and "paused" once the subscriber asks for no video of it (videoSize 0x0); a simulcast publisher's
 * stream reads its layer of three, follows the subscriber's tile size, and is flagged "lowered for bandwidth" when
 * the subscriber's estimate drops below what the tile asks.
 */
class ConsoleReceivingTest extends OpenConsole {
    private static final Duration READY = Duration.ofSeconds(20);
    /** Joining, ICE+DTLS, a one-second meter window and the console's poll, on a loaded 2-core machine. */
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final long ALICE_BPS = 500_000;
    private static final long BOB_LINK_BPS = 2_000_000;
    private static final String ROW = "alice · camera | ";

    private final PacedSender sender = new PacedSender();
    private final ScheduledExecutorService rembs = Executors.newSingleThreadScheduledExecutor();
    private volatile long bobLinkBps = BOB_LINK_BPS;
    private MediaClient simulcastAlice;
    private SimulcastCamera camera;

    @AfterEach
    void stop() throws Exception {
        rembs.shutdownNow();
        sender.close();
        if (camera != null) {
            camera.close();
        }
        if (simulcastAlice != null) {
            simulcastAlice.close();
        }
    }

    @Test
    void aSubscribersReceivesCellAndReceivingListShowASingleLayerStreamThenPausedWhenItHidesTheTile() throws Exception {
        MediaClient alice = live.media("r1", "alice", "alice-cam");
        MediaClient bob = live.media("r1", "bob", null);
        alice.awaitReady(READY);
        bob.awaitReady(READY);
        sender.send(alice, "video", ALICE_BPS, 1000);
        rembs.scheduleAtFixedRate(() -> remb(bob), 0, 300, TimeUnit.MILLISECONDS);

        // "1 video · 500 kbit/s of 2.00 Mbit/s", the rate within 20 % of what alice sends.
        eventually(SETTLE, () -> receivesNear(receivesText("bob"), ALICE_BPS, "2.00 Mbit/s"), () -> receivesText("bob"));
        assertThat(fx(() -> receivesText("alice"))).as("alice receives no video").isEmpty();
        assertThat(fx(() -> receivesBadge("bob"))).as("nothing lowered").isNull();
        assertThat(fx(() -> receivesCell("bob").getTooltip().getText()))
                .startsWith("alice · camera: whole stream").contains("Link estimate 2.00 Mbit/s");

        clickName("bob");
        eventually(SETTLE, () -> entries().size() == 1 && entries().get(0).startsWith(ROW), this::entries);
        assertThat(fx(() -> text("#linkEstimate"))).isEqualTo("Link estimate 2.00 Mbit/s");
        String row = fx(() -> entries().get(0));
        assertThat(row).startsWith(ROW + "whole stream").contains(" · no simulcast · ");
        assertThat(bps(row.substring(row.lastIndexOf(" · ") + 3))).as(row).isBetween(400_000L, 600_000L);

        // Bob's page hides alice's tile: no video of her stream now.
        ObjectNode hide = bob.signal().object();
        hide.put("id", "alice").put("msid", "alice-cam").put("width", 0).put("height", 0);
        bob.signal().send("videoSize", hide);

        eventually(SETTLE, () -> List.of(ROW + "paused · tile hidden or muted").equals(entries()), this::entries);
        eventually(SETTLE, () -> "1 video · 0 of 2.00 Mbit/s".equals(receivesText("bob")), () -> receivesText("bob"));
        assertThat(bob.signal().types()).as("bob's inbox").doesNotContain("error");
    }

    @Test
    void aSimulcastStreamShowsItsLayerFollowsTheTileAndIsFlaggedWhenTheLinkCannotCarryIt() throws Exception {
        simulcastAlice = MediaClient.joinSimulcast(live.ws(), TestServer.APPKEY, "r1", "alice",
                live.token("r1", "alice"), "alice-cam", List.of("q", "h", "f"));
        MediaClient bob = live.media("r1", "bob", null);
        simulcastAlice.awaitReady(READY);
        bob.awaitReady(READY);
        camera = new SimulcastCamera(simulcastAlice).start();
        rembs.scheduleAtFixedRate(() -> remb(bob), 0, 300, TimeUnit.MILLISECONDS);

        // The publisher side: alice's video goes out in three sizes.
        clickName("alice");
        eventually(SETTLE, () -> "VP8 · 3 layers".equals(codecText("video")),
                () -> codecText("video") + "; server: " + live.server().admin().snapshot());

        // Bob's page never said a size: the largest layer.
        clickName("bob");
        eventually(SETTLE, () -> entries().size() == 1 && entries().get(0).startsWith(ROW + "layer 3/3 · 1280×720 · best available"),
                this::entries);

        // A small tile: the smallest layer that fills it.
        bob.signal().send("videoSize", size(bob, 320, 180));
        eventually(SETTLE, () -> entries().get(0).startsWith(ROW + "layer 1/3 · 320×180 · fits the tile"), this::entries);
        assertThat(fx(() -> receivesBadge("bob"))).isNull();

        // A large tile again, but bob's browser now estimates its link below the middle layer: lowered, flagged.
        bobLinkBps = 250_000;
        bob.signal().send("videoSize", size(bob, 1280, 720));
        // The server retries the next layer up once the link has settled a while: read all of it in one go.
        eventually(SETTLE, () -> entries().get(0).startsWith(ROW + "layer 1/3 · 320×180 · lowered: link")
                && "1 lowered for bandwidth".equals(receivesBadge("bob"))
                && receivesCell("bob").getStyleClass().contains("receives-lowered")
                && receivesText("bob").matches("1 video · \\d+ (kbit/s )?of 250 kbit/s"),
                () -> List.of(entries(), receivesText("bob"), String.valueOf(receivesBadge("bob"))));
        assertThat(fx(() -> text("#linkEstimate"))).isEqualTo("Link estimate 250 kbit/s");
    }

    private ObjectNode size(MediaClient who, int width, int height) {
        ObjectNode d = who.signal().object();
        return d.put("id", "alice").put("msid", "alice-cam").put("width", width).put("height", height);
    }

    /** A REMB from bob, as Chrome sends one every second or so: what it estimates its link carries. */
    private void remb(MediaClient bob) {
        try {
            byte[] out = new byte[Remb.length(1)];
            int n = Remb.write(out, 0, 0x0B0B0B0B, bobLinkBps, new int[] {0x0A0A0A0A}, 1);
            bob.transport().sendRtcp(out, 0, n);
        } catch (RuntimeException ignored) {
            // closing
        }
    }

    // ---- reading the window (on the FX thread) ----

    private static boolean receivesNear(String text, long bps, String of) {
        Matcher m = Pattern.compile("1 video · (.+) of " + Pattern.quote(of)).matcher(text == null ? "" : text);
        return m.matches() && Math.abs(bps(m.group(1)) - bps) <= 0.2 * bps;
    }

    /** "0", "850 bit/s", "500 kbit/s", "1.25 Mbit/s" as bits per second. */
    private static long bps(String text) {
        Matcher m = Pattern.compile("([\\d.]+)(?: (bit|kbit|Mbit)/s)?").matcher(text);
        if (!m.matches()) {
            throw new AssertionError("not a bitrate: " + text);
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "bit" : m.group(2);
        return Math.round(v * switch (unit) {
            case "kbit" -> 1e3;
            case "Mbit" -> 1e6;
            default -> 1;
        });
    }

    /** The Receives cell's text ("" when empty); null while the row is not drawn. */
    private String receivesText(String peer) {
        TableCell<?, ?> c = cellOrNull("peerReceives", peer);
        return c == null ? null : c.getText() == null ? "" : c.getText();
    }

    /** The flag beside it ("1 lowered for bandwidth"); null when none. */
    private String receivesBadge(String peer) {
        TableCell<?, ?> c = receivesCell(peer);
        return c.getGraphic() instanceof Label l ? l.getText() : null;
    }

    private TableCell<?, ?> receivesCell(String peer) {
        TableCell<?, ?> c = cellOrNull("peerReceives", peer);
        if (c == null) {
            throw new AssertionError("no Receives cell drawn for " + peer);
        }
        return c;
    }

    private TableCell<?, ?> cellOrNull(String column, String peer) {
        TableView<?> t = mine("#peers").query();
        return t.lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && column.equals(c.getTableColumn().getId()) && !c.isEmpty()
                        && c.getTableRow() != null && c.getTableRow().getItem() instanceof PeerRow p
                        && p.id().equals(peer) && drawn(c))
                .findFirst().orElse(null);
    }

    /** The selected peer's Codec cell of its track of this kind; null while not drawn. */
    private String codecText(String kind) {
        TableView<?> t = mine("#streams").query();
        return t.lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "streamCodec".equals(c.getTableColumn().getId())
                        && !c.isEmpty() && c.getTableRow() != null && c.getTableRow().getItem() instanceof StreamRow s
                        && s.kindProperty().get().equals(kind) && drawn(c))
                .map(TableCell::getText).findFirst().orElse(null);
    }

    /** Visible up to the table: not one of the cells the table keeps aside for reuse or measuring. */
    private static boolean drawn(Node n) {
        for (Node x = n; x != null && !(x instanceof TableView<?>); x = x.getParent()) {
            if (!x.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** The Receiving list's entries as "label | detail". */
    private List<String> entries() {
        VBox list = mine("#receivingList").query();
        return list.getChildren().stream().map(n -> n instanceof VBox e
                ? ((Label) e.getChildren().get(0)).getText() + " | " + ((Label) e.getChildren().get(1)).getText()
                : ((Label) n).getText()).toList();
    }

    private String text(String id) {
        return mine(id).queryAs(Label.class).getText();
    }

    /** Clicks the peer's name once its cell is drawn (the row is in the model before it is on screen). */
    private void clickName(String peer) throws Exception {
        eventually(SETTLE, () -> cellOrNull("peerName", peer) != null);
        robot.clickOn(fx(() -> (Node) cellOrNull("peerName", peer)));
        eventually(SETTLE, () -> {
            TableView<?> t = mine("#peers").query();
            return t.getSelectionModel().getSelectedItem() instanceof PeerRow p && p.id().equals(peer);
        });
    }
}
