package dev.roomdeck.console;

import static dev.roomdeck.console.ConsoleWindowTest.eventually;
import static dev.roomdeck.console.ConsoleWindowTest.fx;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.client.SignalClient.Received;
import dev.roomdeck.console.view.EventsPane;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.Test;

/**
 * The meeting-room controls as an operator uses them: lock the door with the console's button, someone knocks,
 * the console rings and shows who, Admit lets them in (the client gets joined) and Refuse sends them away
 * (join-refused). Also the PIN dialog, the room display, and the device marks. Real server, real WebSocket
 * clients, headless window.
 */
class ConsoleDoorTest extends OpenConsole {
    private static final Duration APPEAR = Duration.ofSeconds(3);
    private final AtomicInteger rings = new AtomicInteger();
    private final List<String> opened = new CopyOnWriteArrayList<>();

    @Override
    void beforeShow(Console c) {
        c.ringWith(rings::incrementAndGet);
        c.openUrlsWith(opened::add); // never a real browser from a test
    }

    @Test
    void lockedDoorAKnockRingsAndAdmitLetsThePersonInWhileRefuseSendsTheOtherAway() throws Exception {
        live.joinNamed("weekly", "u-anna", "Anna");
        eventually(APPEAR, () -> !button("#lockRoom").isDisabled() && label("#doorState").getText().contains("open"));

        robot.clickOn(button("#lockRoom"));
        eventually(APPEAR, () -> label("#doorState").getText().equals("Room weekly is locked: newcomers knock · no PIN"),
                () -> label("#doorState").getText());
        assertThat(fx(() -> button("#lockRoom").getText())).isEqualTo("Unlock room");

        SignalClient ben = live.knock("weekly", "u-ben", "Ben");
        ben.await("lobby", WAIT);
        eventually(APPEAR, () -> knockNames().equals(List.of("Ben")), this::knockNames);
        eventually(APPEAR, () -> rings.get() == 1, rings::get);
        assertThat(fx(() -> console.toast().text())).startsWith("Ben knocks at room weekly");
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("Ben (127.0.0.1")
                && t.contains("knocks at the locked door")), this::eventTexts);
        assertThat(fx(() -> label("#lobbyTitle").getText())).isEqualTo("1 person at the door:");

        robot.clickOn(lobbyButton("Ben", "admit"));

        Received joined = ben.await("joined", WAIT);
        assertThat(joined).isNotNull();
        eventually(APPEAR, () -> knockNames().isEmpty(), this::knockNames);
        eventually(APPEAR, () -> shownNames().contains("Ben"), this::shownNames);
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("Ben was admitted")), this::eventTexts);

        SignalClient chen = live.knock("weekly", "u-chen", "Chen");
        chen.await("lobby", WAIT);
        eventually(APPEAR, () -> knockNames().equals(List.of("Chen")), this::knockNames);
        robot.clickOn(lobbyButton("Chen", "refuse"));

        Received refused = chen.await("error", WAIT);
        assertThat(refused.data().get("code").asText()).isEqualTo("join-refused");
        eventually(APPEAR, () -> knockNames().isEmpty(), this::knockNames);
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("Chen was refused at the door")),
                this::eventTexts);
        assertThat(fx(() -> shownNames())).doesNotContain("Chen");

        robot.clickOn(button("#lockRoom"));
        eventually(APPEAR, () -> label("#doorState").getText().contains("is open"), () -> label("#doorState").getText());
    }

    @Test
    void thePinDialogSetsAPinAndEmptyRemovesIt() throws Exception {
        live.joinNamed("weekly", "u-anna", "Anna");
        eventually(APPEAR, () -> !button("#setPin").isDisabled());

        robot.clickOn(button("#setPin"));
        robot.clickOn("#pinField").write("4711");
        robot.clickOn("#confirmPin");
        eventually(APPEAR, () -> label("#doorState").getText().endsWith("PIN set"), () -> label("#doorState").getText());
        assertThat(live.server().admin().snapshot().rooms().get(0).pinSet()).isTrue();

        robot.clickOn(button("#setPin")); // now "Change PIN…"; empty removes it
        robot.clickOn("#confirmPin");
        eventually(APPEAR, () -> label("#doorState").getText().endsWith("no PIN"), () -> label("#doorState").getText());
    }

    @Test
    void openRoomDisplayOpensTheRoomsDisplayPageAndTheJoinPaneOffersImInThisRoom() throws Exception {
        live.joinNamed("weekly", "u-anna", "Anna");
        eventually(APPEAR, () -> !button("#openDisplay").isDisabled());

        robot.clickOn(button("#openDisplay"));

        eventually(APPEAR, () -> opened.size() == 1, () -> opened);
        assertThat(opened.get(0)).isEqualTo("http://127.0.0.1:" + live.server().httpPort() + "/?room=weekly&display=1");
        String share = "https://127.0.0.1:" + live.server().httpsPort() + "/?room=weekly";
        assertThat(fx(() -> label("#roomUrl").getText())).isEqualTo(share);
        assertThat(fx(() -> label("#inRoomUrl").getText())).isEqualTo(share + "&inroom=1");
        assertThat(fx(() -> robot.lookup("#inRoomQr").tryQuery().isPresent())).isTrue();
    }

    @Test
    void inRoomDevicesAndTheRoomDisplayAreMarkedInThePeersTable() throws Exception {
        live.joinNamed("weekly", "u-anna", "Anna");
        live.joinWith("weekly", "u-laptop", JsonNodeFactory.instance.objectNode().put("name", "Ben")
                .put("device", "in-room"));
        live.joinWith("weekly", "u-tv", JsonNodeFactory.instance.objectNode().put("name", "Room display")
                .put("device", "display"));

        eventually(APPEAR, () -> deviceOf("Ben").equals("in this room") && deviceOf("Room display").equals("room display")
                && deviceOf("Anna").isEmpty(), () -> deviceOf("Ben") + "/" + deviceOf("Room display"));
    }

    @Test
    void aScreenShareIsNamedAsSuchAndStopShareStopsItForEveryone() throws Exception {
        SignalClient ben = live.joinNamed("weekly", "u-ben", "Ben", "ben-cam");
        com.fasterxml.jackson.databind.node.ObjectNode d = ben.object();
        com.fasterxml.jackson.databind.node.ObjectNode stream = d.putObject("stream");
        stream.put("id", "u-ben").put("msid", "ben-screen").put("local", true).put("bitrate", 2500);
        stream.putObject("attributes").put("kind", "screen").put("name", "Ben");
        d.put("sdp", TestServer.offer("ben-cam", "ben-screen"));
        ben.send("addStream", d);
        ben.await("streamAdded", WAIT);
        // The row is in the model before its cell is drawn: wait for the cell itself, as an operator waits to see it.
        eventually(APPEAR, () -> cell("peerName", "Ben") != null, this::shownNames);
        robot.clickOn(fx(() -> cell("peerName", "Ben")));

        eventually(APPEAR, () -> streamNames().equals(List.of("Ben · camera", "Ben · screen")), this::streamNames);
        assertThat(fx(() -> streamCell("Ben · screen").getTooltip().getText())).isEqualTo("Screen share, msid ben-screen");
        assertThat(fx(() -> streamCell("Ben · camera").getTooltip().getText())).isEqualTo("Camera, msid ben-cam");
        eventually(APPEAR, () -> !button("#stopShare").isDisabled());

        robot.clickOn(button("#stopShare"));

        Received stop = ben.await("stopStream", WAIT);
        assertThat(stop.data().get("msid").asText()).isEqualTo("ben-screen");
        assertThat(stop.data().get("by").asText()).isEqualTo("operator");
        eventually(APPEAR, () -> streamNames().equals(List.of("Ben · camera")), this::streamNames);
        eventually(APPEAR, () -> button("#stopShare").isDisabled());
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("Stopped Ben · screen (ben-screen)")),
                this::eventTexts);
    }

    // ---- reading the window ----

    /** The Stream column as drawn, one name per stream (its audio and video rows say the same). */
    private List<String> streamNames() throws Exception {
        return fx(() -> mine("#streams").queryAs(TableView.class).lookupAll(".table-cell").stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "streamName".equals(c.getTableColumn().getId())
                        && !c.isEmpty() && c.getText() != null && c.isVisible())
                .map(TableCell::getText).distinct().sorted().toList());
    }

    private TableCell<?, ?> streamCell(String text) {
        return mine("#streams").queryAs(TableView.class).lookupAll(".table-cell").stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "streamName".equals(c.getTableColumn().getId())
                        && text.equals(c.getText()) && c.isVisible()).findFirst().orElseThrow();
    }

    private String deviceOf(String name) throws Exception {
        return fx(() -> {
            TableCell<?, ?> nameCell = cell("peerName", name);
            if (nameCell == null) {
                return "?";
            }
            TableCell<?, ?> device = peersTable().lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                    .filter(c -> c.getTableColumn() != null && "peerDevice".equals(c.getTableColumn().getId())
                            && c.getIndex() == nameCell.getIndex() && c.isVisible()).findFirst().orElse(null);
            return device == null || !(device.getGraphic() instanceof Label l) ? "" : l.getText();
        });
    }

    private TableCell<?, ?> cell(String column, String text) {
        return peersTable().lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && column.equals(c.getTableColumn().getId())
                        && text.equals(c.getText()) && c.isVisible()).findFirst().orElse(null);
    }

    private List<String> shownNames() throws Exception {
        return fx(() -> peersTable().getItems().stream().map(p -> p.label()).toList());
    }

    @SuppressWarnings("unchecked")
    private TableView<dev.roomdeck.console.model.PeerRow> peersTable() {
        return (TableView<dev.roomdeck.console.model.PeerRow>) mine("#peers").query();
    }

    /** The names waiting at the door, as listed. */
    private List<String> knockNames() throws Exception {
        return fx(() -> ((VBox) mine("#lobby").query()).lookupAll(".knock-name").stream()
                .map(n -> ((Label) n).getText()).toList());
    }

    /** The Admit or Refuse button on the row of this name. */
    private Node lobbyButton(String name, String styleClass) throws Exception {
        return fx(() -> {
            VBox lobby = mine("#lobby").query();
            for (Node row : lobby.getChildren()) {
                if (row.lookupAll(".knock-name").stream().anyMatch(n -> name.equals(((Label) n).getText()))) {
                    return row.lookup("." + styleClass);
                }
            }
            throw new AssertionError("nobody called " + name + " at the door");
        });
    }

    private List<String> eventTexts() throws Exception {
        return fx(() -> console.events().lines().stream().map(EventsPane.Line::toString).toList());
    }

    private Button button(String id) {
        return mine(id).queryButton();
    }

    private Label label(String id) {
        return mine(id).queryAs(Label.class);
    }
}
