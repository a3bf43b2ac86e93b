package dev.roomdeck.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.client.SignalClient;
import dev.roomdeck.client.SignalClient.Received;
import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.RoomRow;
import dev.roomdeck.console.model.StreamRow;
import dev.roomdeck.console.view.EventsPane;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console as an operator meets it: a real window (headless Monocle) over a real in-process server, with
 * real WebSocket clients joining, and every action done the way a person does it (clicks, keys, dialogs).
 */
class ConsoleWindowTest extends OpenConsole {
    private static final Duration APPEAR = Duration.ofSeconds(2);
    /** Browsers' per-browser user ids, as the bundled web client makes them. */
    private static final String ANNA_1 = "u-3f9a01d2a7b4e865";
    private static final String ANNA_2 = "u-77c0e5aa01b2c3d4";
    private static final String BOB = "u-0b1c2d3e4f506172";

    @Test
    void roomsAndPeersAppearWithinTwoSecondsOfJoiningAndVanishWhenTheyLeave() throws Exception {
        SignalClient alice = live.joinPublishing("standup", "alice", "alice-cam");
        SignalClient bob = live.joinWatching("standup", "bob");

        eventually(APPEAR, () -> roomLabels().equals(List.of("standup  (2 peers)")));
        eventually(APPEAR, () -> shownPeers().equals(List.of("alice", "bob")));

        bob.send("leave", bob.object());
        eventually(APPEAR, () -> shownPeers().equals(List.of("alice")));
        assertThat(roomLabels()).containsExactly("standup  (1 peer)");

        alice.close();
        eventually(APPEAR, () -> roomLabels().isEmpty() && shownPeers().isEmpty());
    }

    @Test
    void theSelectedPeersStreamsShowEachTrackWithKindCodecAndMuteState() throws Exception {
        live.joinPublishing("r1", "alice", "alice-cam", "alice-screen");
        eventually(APPEAR, () -> shownPeers().contains("alice"));

        clickCell("#peers", "alice");

        eventually(APPEAR, () -> streamRows().size() == 4);
        assertThat(streamRows()).extracting(StreamRow::key).containsExactlyInAnyOrder(
                "alice-cam/alice-cam-audio", "alice-cam/alice-cam-video",
                "alice-screen/alice-screen-audio", "alice-screen/alice-screen-video");
        assertThat(fx(() -> streamRows().stream().map(s -> s.kindProperty().get() + " " + s.codecProperty().get())
                .distinct().sorted().toList())).containsExactly("audio opus", "video VP8");
        assertThat(fx(() -> label("#peerDetail").getText())).startsWith("alice · 127.0.0.1");
    }

    @Test
    void muteButtonsReachEveryClientAsConfigureByOperatorAndTheButtonOffersUnmute() throws Exception {
        SignalClient alice = live.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = live.joinWatching("r1", "bob");
        eventually(APPEAR, () -> shownPeers().size() == 2);
        clickCell("#peers", "alice");
        eventually(APPEAR, () -> !button("#muteAudio").isDisabled());

        robot.clickOn("#muteAudio");

        Received muted = awaitConfigure(bob, "audio");
        assertThat(muted.data().get("id").asText()).isEqualTo("alice");
        assertThat(muted.data().get("msid").asText()).isEqualTo("alice-cam");
        assertThat(muted.data().get("audio").asBoolean()).isFalse();
        assertThat(muted.data().get("by").asText()).isEqualTo("operator");
        assertThat(awaitConfigure(alice, "audio").data().get("audio").asBoolean()).isFalse();
        eventually(APPEAR, () -> button("#muteAudio").getText().equals("Unmute audio"));
        assertThat(fx(() -> streamRows().stream().filter(s -> s.kindProperty().get().equals("audio"))
                .map(s -> s.mutedProperty().get()).toList())).containsExactly("operator");

        robot.clickOn("#muteAudio");
        assertThat(awaitConfigure(bob, "audio").data().get("audio").asBoolean()).isTrue();
        eventually(APPEAR, () -> button("#muteAudio").getText().equals("Mute audio"));

        robot.clickOn("#muteVideo");
        Received video = awaitConfigure(bob, "video");
        assertThat(video.data().get("video").asBoolean()).isFalse();
        assertThat(video.data().get("by").asText()).isEqualTo("operator");
    }

    @Test
    void theKeyboardShortcutAndTheContextMenuMuteToo() throws Exception {
        live.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = live.joinWatching("r1", "bob");
        eventually(APPEAR, () -> shownPeers().size() == 2);
        clickCell("#peers", "alice");
        eventually(APPEAR, () -> !button("#muteVideo").isDisabled());

        robot.press(KeyCode.SHORTCUT, KeyCode.SHIFT, KeyCode.V).release(KeyCode.V, KeyCode.SHIFT, KeyCode.SHORTCUT);
        assertThat(awaitConfigure(bob, "video").data().get("video").asBoolean()).isFalse();

        openContextMenu(cell("#peers", "alice"));
        clickMenuItem("Mute audio"); // in the menu: the toolbar's button has the same words
        assertThat(awaitConfigure(bob, "audio").data().get("audio").asBoolean()).isFalse();
    }

    @Test
    void kickAsksForConfirmationThenTheClientHearsTheReasonIsDisconnectedAndTheRowGoes() throws Exception {
        live.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = live.joinWatching("r1", "bob");
        eventually(APPEAR, () -> shownPeers().size() == 2);
        clickCell("#peers", "bob");

        robot.clickOn("#kick");
        robot.clickOn("#kickReason").write("The meeting is over.");
        robot.clickOn("#confirmKick");

        Received leave = bob.await("leave", WAIT);
        assertThat(leave.data().get("reason").asText()).isEqualTo("kicked");
        assertThat(leave.data().get("message").asText()).isEqualTo("The meeting is over.");
        assertThat(bob.closed().get(3, TimeUnit.SECONDS).code()).isEqualTo(4001);
        eventually(APPEAR, () -> shownPeers().equals(List.of("alice")));
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("bob was kicked")));
    }

    @Test
    void theDeleteKeyAsksToKickAndCancellingKeepsThePeer() throws Exception {
        SignalClient bob = live.joinWatching("r1", "bob");
        eventually(APPEAR, () -> shownPeers().size() == 1);
        clickCell("#peers", "bob");

        robot.type(KeyCode.DELETE);
        robot.clickOn("Cancel");

        assertThat(bob.receivesWithin("leave", Duration.ofMillis(500))).isFalse();
        assertThat(bob.isOpen()).isTrue();
        assertThat(shownPeers()).containsExactly("bob");
    }

    @Test
    void aCommandThatFailsSaysWhyInTheToastAndTheEventsPane() throws Exception {
        live.joinWatching("r1", "alice");
        SignalClient bob = live.joinWatching("r1", "bob");
        eventually(APPEAR, () -> shownPeers().size() == 2);
        clickCell("#peers", "bob");
        robot.clickOn("#kick");

        bob.close(); // bob leaves while the operator is still deciding
        eventually(APPEAR, () -> shownPeers().equals(List.of("alice")));
        robot.clickOn("#confirmKick");

        eventually(APPEAR, () -> console.toast().text().equals("Failed: bob is no longer in room r1"),
                () -> console.toast().text());
        eventually(APPEAR, () -> eventKinds().get(0).equals("error"));
    }

    @Test
    void peopleAreShownByNameAndNamesakesAreToldApartWithTheIdAtHand() throws Exception {
        live.joinNamed("r1", ANNA_1, "Anna");
        eventually(APPEAR, () -> shownNames().equals(List.of("Anna")), this::shownNames);
        SignalClient secondAnna = live.joinNamed("r1", ANNA_2, "Anna");
        live.joinNamed("r1", BOB, "Bob");

        eventually(APPEAR, () -> shownNames().equals(List.of("Anna (u-3f9a)", "Anna (u-77c0)", "Bob")), this::shownNames);
        assertThat(fx(() -> nameCell("Anna (u-77c0)").getTooltip().getText())).isEqualTo("Anna\nId " + ANNA_2);
        assertThat(fx(() -> nameCell("Bob").getTooltip().getText())).isEqualTo("Bob\nId " + BOB);
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("Anna (u-77c0) joined from 127.0.0.1")),
                this::eventTexts);

        clickCell("#peers", "Anna (u-77c0)");
        assertThat(fx(() -> label("#peerDetail").getText())).startsWith("Anna (id " + ANNA_2 + ") · 127.0.0.1");
        robot.clickOn("#kick");
        assertThat(fx(() -> robot.lookup(".dialog-pane").queryAs(DialogPane.class).getHeaderText()))
                .isEqualTo("Remove Anna (u-77c0) from room r1?");
        assertThat(fx(() -> label("#kickIdentity").getText())).startsWith("Id " + ANNA_2 + " · 127.0.0.1:");
        robot.clickOn("Cancel");

        live.server().admin().kick("r1", ANNA_1, null); // the other Anna goes: this one is plain Anna again
        eventually(APPEAR, () -> shownNames().equals(List.of("Anna", "Bob")), this::shownNames);
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("Anna (u-3f9a) was kicked")),
                this::eventTexts);
        assertThat(secondAnna.isOpen()).isTrue();
    }

    @Test
    void theOperatorsActionsAndTheirOutcomesSayThePersonsName() throws Exception {
        live.joinNamed("r1", ANNA_1, "Anna", "anna-cam");
        SignalClient bob = live.joinNamed("r1", BOB, "Bob");
        eventually(APPEAR, () -> shownNames().size() == 2);
        clickCell("#peers", "Anna");
        eventually(APPEAR, () -> !button("#muteAudio").isDisabled());

        // The keyboard, so that the mouse stays on Anna's row (a button's tooltip would cover the rows below it).
        robot.press(KeyCode.SHORTCUT, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.SHORTCUT);
        assertThat(awaitConfigure(bob, "audio").data().get("id").asText()).isEqualTo(ANNA_1);
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("Muted audio of Anna (anna-cam)")),
                this::eventTexts);
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("Anna's anna-cam: audio muted by operator")),
                this::eventTexts);

        openContextMenu(cell("#peers", "Anna"));
        assertThat(fx(() -> menuItemTexts())).contains("Message Anna…", "Kick Anna…");
        clickMenuItem("Kick Anna…");
        robot.clickOn("#confirmKick");
        eventually(APPEAR, () -> console.toast().text().equals("Kicked Anna from r1"), () -> console.toast().text());
    }

    @Test
    void aBrowserThatCouldNotApplyAnOfferIsMarkedInThePeersTableAndTold() throws Exception {
        live.joinNamed("r1", BOB, "Bob", "bob-cam");
        SignalClient anna = live.joinNamed("r1", ANNA_1, "Anna");
        eventually(APPEAR, () -> shownNames().equals(List.of("Bob", "Anna")), this::shownNames);
        assertThat(fx(() -> badge("Anna"))).isNull();

        String words = "Failed to set remote offer sdp: Session error code: ERROR_CONTENT. Session error description: "
                + "Failed to apply demuxer criteria for '3'";
        anna.send("renegotiate", anna.object().put("reason", "offer-failed").put("message", words));
        anna.await("offer", WAIT); // the server's fresh offer

        eventually(APPEAR, () -> badge("Anna") != null, () -> badge("Anna"));
        Label badge = fx(() -> badge("Anna"));
        assertThat(fx(badge::getText)).isEqualTo("1 failed");
        assertThat(fx(() -> badge.getStyleClass().contains("negotiation-badge") && badge.isVisible())).isTrue();
        assertThat(fx(() -> badge.getTooltip().getText()))
                .startsWith("Anna's browser could not apply a server offer; the server sent a fresh one.")
                .contains("Last (seen ").endsWith(": " + words);
        assertThat(fx(() -> badge("Bob"))).isNull();
        eventually(APPEAR, () -> eventLines().stream().anyMatch(l -> l.kind().equals("warning")
                && l.text().equals("Anna's browser could not apply the server's offer: " + words)), this::eventTexts);

        // The operator can bring troubled peers to the top by the column.
        robot.clickOn(columnHeader("Negotiation"));
        robot.sleep(600); // not a double click
        robot.clickOn(columnHeader("Negotiation"));
        eventually(APPEAR, () -> shownNames().equals(List.of("Anna", "Bob")), this::shownNames);
        anna.send("renegotiate", anna.object().put("message", "again"));
        eventually(APPEAR, () -> badge("Anna") != null && badge("Anna").getText().equals("2 failed"), () -> badge("Anna"));
        assertThat(fx(() -> badge("Anna").getTooltip().getText()))
                .startsWith("Anna's browser could not apply 2 server offers; each time").endsWith(": again");
    }

    @Test
    void theCopyButtonPutsTheHttpsJoinUrlOnTheClipboard() throws Exception {
        robot.clickOn("#copyJoinUrl0");

        assertThat(fx(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString()))
                .isEqualTo("https://127.0.0.1:" + live.server().httpsPort() + "/");
        assertThat(fx(() -> console.toast().text())).startsWith("Copied https://127.0.0.1:");
    }

    @Test
    void theJoinPaneSharesTheHttpsUrlAndTheCertificatesFingerprintAndSaysWhatTheBrowserWillAsk() throws Exception {
        dev.roomdeck.tls.CertificateInfo cert = live.server().certificate();

        assertThat(fx(() -> label("#joinUrl0").getText())).isEqualTo("https://127.0.0.1:" + live.server().httpsPort() + "/");
        assertThat(fx(() -> robot.lookup("#joinFingerprint").queryAs(javafx.scene.control.TextField.class).getText()))
                .isEqualTo(cert.fingerprint());
        assertThat(fx(() -> label("#joinCertificateNames").getText())).contains("127.0.0.1").contains("localhost");
        assertThat(fx(() -> label("#joinAdvice").getText()))
                .contains("/trust").contains("not trusted").contains("check the fingerprint").contains("Advanced → Proceed");
        assertThat(fx(() -> label("#joinLocalUrl").getText()))
                .isEqualTo("On this PC: http://127.0.0.1:" + live.server().httpPort() + "/");
        assertThat(fx(() -> label("#statusJoin").getTooltip().getText())).contains(cert.fingerprint());
    }

    @Test
    void aMessageReachesTheWholeRoomOrOnlyTheSelectedPeerFromOperator() throws Exception {
        SignalClient alice = live.joinPublishing("r1", "alice", "alice-cam");
        SignalClient bob = live.joinWatching("r1", "bob");
        eventually(APPEAR, () -> shownPeers().size() == 2);

        robot.clickOn("#messageText").write("Lunch in five minutes").type(KeyCode.ENTER);

        for (SignalClient c : List.of(alice, bob)) {
            Received m = c.await("message", WAIT);
            assertThat(m.data().get("from").asText()).isEqualTo("operator");
            assertThat(m.data().at("/data/text").asText()).isEqualTo("Lunch in five minutes");
        }

        clickCell("#peers", "bob");
        fx(() -> {
            comboBox("#messageTarget").setValue("Selected peer");
            return null;
        });
        robot.clickOn("#messageText").write("Your camera is off");
        robot.clickOn("#sendMessage");

        assertThat(bob.await("message", WAIT).data().at("/data/text").asText()).isEqualTo("Your camera is off");
        assertThat(alice.receivesWithin("message", Duration.ofMillis(400))).isFalse();
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("Sent to bob: Your camera is off")));
    }

    @Test
    void selectionAndSortOrderSurviveRefreshesAndNewPeers() throws Exception {
        live.joinWatching("r1", "alice");
        live.joinWatching("r1", "bob");
        eventually(APPEAR, () -> shownPeers().size() == 2);
        robot.clickOn(columnHeader("Name"));
        eventually(APPEAR, () -> shownPeers().equals(List.of("alice", "bob")), this::shownPeers);
        robot.sleep(600); // not a double click
        robot.clickOn(columnHeader("Name")); // second click: descending
        eventually(APPEAR, () -> shownPeers().equals(List.of("bob", "alice")), this::shownPeers);
        clickCell("#peers", "bob");

        live.joinWatching("r1", "carol");
        eventually(APPEAR, () -> shownPeers().equals(List.of("carol", "bob", "alice")), this::shownPeers);
        Thread.sleep(1200); // at least one periodic refresh as well
        assertThat(shownPeers()).containsExactly("carol", "bob", "alice");
        assertThat(fx(() -> peersTable().getSelectionModel().getSelectedItem().id())).isEqualTo("bob");
    }

    @Test
    void theEventsPaneShowsJoinsLeavesAndClientErrorsWithTimes() throws Exception {
        SignalClient alice = live.joinWatching("r1", "alice");
        SignalClient stranger = SignalClient.connect(live.ws());
        stranger.send("join", stranger.object().put("room", "r1")); // no token: refused
        stranger.await("error", WAIT);
        alice.send("leave", alice.object());

        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("alice joined from 127.0.0.1")));
        eventually(APPEAR, () -> eventTexts().stream().anyMatch(t -> t.contains("alice left (left)")));
        eventually(APPEAR, () -> eventKinds().contains("error"));
        assertThat(eventTexts()).allMatch(t -> t.matches("\\d\\d:\\d\\d:\\d\\d  .*"));
        stranger.close();
    }

    @Test
    void theStatusBarShowsWhereToJoinTheMediaPortAndTotals() throws Exception {
        live.joinPublishing("r1", "alice", "alice-cam");
        live.joinWatching("r2", "bob");
        String url = "https://127.0.0.1:" + live.server().httpsPort() + "/";

        eventually(APPEAR, () -> label("#statusTotals").getText().equals("2 rooms · 2 peers · 1 streams"));
        assertThat(fx(() -> label("#statusJoin").getText())).isEqualTo("Join: " + url);
        assertThat(fx(() -> label("#statusMedia").getText())).isEqualTo("Media port " + live.server().mediaPort());
        assertThat(fx(() -> label("#statusLoad").getText())).matches("CPU \\d+ % · heap \\d+ MB · RSS \\d+ MB");
        assertThat(fx(() -> label("#joinUrl0").getText())).isEqualTo(url);
    }

    @Test
    void theChartDrawsOneLinePerStreamOfTheSelectedRoomOverTheLastMinute() throws Exception {
        live.joinPublishing("r1", "alice", "alice-cam", "alice-screen");
        live.joinPublishing("r1", "bob", "bob-cam");
        live.joinPublishing("r2", "carol", "carol-cam");

        eventually(APPEAR, () -> chartSeries().equals(List.of("alice · camera", "alice · camera 2", "bob · camera")),
                this::chartSeries);
        Thread.sleep(1100); // a second sample
        assertThat(fx(() -> {
            LineChart<Number, Number> chart = robot.lookup("#chart").query();
            NumberAxis x = (NumberAxis) chart.getXAxis();
            return chart.getData().stream().allMatch(s -> s.getData().size() >= 2 && s.getData().stream()
                    .allMatch(d -> d.getXValue().doubleValue() >= x.getLowerBound() - 1
                            && d.getXValue().doubleValue() <= x.getUpperBound()
                            && d.getYValue().doubleValue() == 0)) // no media yet: every stream at 0 kbit/s
                    && x.getUpperBound() - x.getLowerBound() == 60;
        })).isTrue();
        assertThat(fx(() -> label("#chartTitle").getText())).isEqualTo("Bitrate of r1's streams, last 60 s");
    }

    // ---- reading the window ----

    private List<String> chartSeries() throws Exception {
        return fx(() -> {
            LineChart<Number, Number> chart = robot.lookup("#chart").query();
            return chart.getData().stream().map(XYChart.Series::getName).sorted().toList();
        });
    }


    /** The Name column as drawn, top to bottom. */
    private List<String> shownNames() throws Exception {
        return fx(() -> peersTable().lookupAll(".table-cell").stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "peerName".equals(c.getTableColumn().getId())
                        && !c.isEmpty() && c.getText() != null && drawn(c))
                .sorted(java.util.Comparator.comparingInt((TableCell<?, ?> c) -> c.getIndex()))
                .map(c -> c.getText()).toList());
    }

    private TableCell<?, ?> nameCell(String label) {
        return robot.lookup("#peers").lookup((Node n) -> n instanceof TableCell<?, ?> c && c.getTableColumn() != null
                && "peerName".equals(c.getTableColumn().getId()) && label.equals(c.getText()) && drawn(c)).query();
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

    /** The negotiation badge on the row of this label, or null when that row has none. */
    private Label badge(String label) {
        TableCell<?, ?> name = nameCell(label);
        return peersTable().lookupAll(".table-cell").stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "peerNegotiation".equals(c.getTableColumn().getId())
                        && c.getIndex() == name.getIndex() && !c.isEmpty() && drawn(c))
                .map(c -> c.getGraphic() instanceof Label l ? l : null).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    private List<EventsPane.Line> eventLines() throws Exception {
        return fx(() -> List.copyOf(console.events().lines()));
    }

    private List<String> shownPeers() throws Exception {
        return fx(() -> peersTable().getItems().stream().map(PeerRow::id).toList());
    }

    private List<String> roomLabels() throws Exception {
        return fx(() -> {
            ListView<RoomRow> rooms = robot.lookup("#rooms").query();
            return rooms.getItems().stream().map(r -> r.id() + "  (" + r.peerCountProperty().get()
                    + (r.peerCountProperty().get() == 1 ? " peer)" : " peers)")).toList();
        });
    }

    private List<StreamRow> streamRows() throws Exception {
        return fx(() -> {
            TableView<StreamRow> t = robot.lookup("#streams").query();
            return List.copyOf(t.getItems());
        });
    }

    private List<String> eventTexts() throws Exception {
        return fx(() -> console.events().lines().stream().map(EventsPane.Line::toString).toList());
    }

    private List<String> eventKinds() throws Exception {
        return fx(() -> console.events().lines().stream().map(EventsPane.Line::kind).toList());
    }

    private TableView<PeerRow> peersTable() {
        return robot.lookup("#peers").query();
    }

    private Button button(String id) {
        return robot.lookup(id).queryButton();
    }

    private Label label(String id) {
        return robot.lookup(id).queryAs(Label.class);
    }

    @SuppressWarnings("unchecked")
    private ComboBox<String> comboBox(String id) {
        return robot.lookup(id).queryAs(ComboBox.class);
    }

    private Node cell(String table, String text) {
        return robot.lookup(table).lookup((Node n) -> n instanceof TableCell<?, ?> c && text.equals(c.getText())
                && drawn(c)).query();
    }

    private Node columnHeader(String title) {
        return robot.lookup("#peers").lookup(".column-header")
                .lookup((Node n) -> n instanceof Label l && title.equals(l.getText())).query();
    }

    /**
     * Opens a row's context menu as a right-click does on a desktop: Monocle (headless) turns no mouse button into
     * a context-menu request, so the request the platform would send is fired at the cell, under the mouse.
     */
    private void openContextMenu(Node cell) throws Exception {
        robot.moveTo(cell);
        fx(() -> {
            javafx.geometry.Bounds b = cell.localToScreen(cell.getBoundsInLocal());
            javafx.geometry.Bounds local = cell.getBoundsInLocal();
            javafx.event.Event.fireEvent(cell, new javafx.scene.input.ContextMenuEvent(
                    javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, local.getCenterX(), local.getCenterY(),
                    b.getCenterX(), b.getCenterY(), false, null));
            return null;
        });
        eventually(APPEAR, () -> !menuItemTexts().isEmpty());
    }

    /** The words of the items of the context menu that is showing (none: empty). */
    private List<String> menuItemTexts() {
        return contextMenuLabels().stream().map(Label::getText).toList();
    }

    private List<Label> contextMenuLabels() {
        return javafx.stage.Window.getWindows().stream()
                .filter(w -> w instanceof javafx.scene.control.ContextMenu && w.isShowing())
                .flatMap(w -> w.getScene().getRoot().lookupAll(".menu-item .label").stream())
                .filter(n -> n instanceof Label).map(n -> (Label) n).toList();
    }

    /** Clicks an item of the showing context menu (not a button of the window with the same words). */
    private void clickMenuItem(String text) throws Exception {
        Label item = fx(() -> contextMenuLabels().stream().filter(l -> text.equals(l.getText())).findFirst()
                .orElseThrow(() -> new AssertionError("no menu item '" + text + "' in " + menuItemTexts())));
        robot.clickOn(item);
    }

    private void clickCell(String table, String text) throws Exception {
        eventually(APPEAR, () -> robot.lookup(table)
                .lookup((Node n) -> n instanceof TableCell<?, ?> c && text.equals(c.getText())).tryQuery().isPresent());
        robot.clickOn(cell(table, text));
    }

    private static Received awaitConfigure(SignalClient c, String kind) throws InterruptedException {
        return c.await(m -> m.type().equals("configure") && m.data().has(kind) && !m.data().get(kind).isNull(),
                WAIT, "configure with " + kind);
    }

    /** Runs on the FX thread and returns its result: the window is only ever read there. */
    static <T> T fx(Callable<T> call) throws Exception {
        // Generous: on a loaded 2-core machine the first window (CSS, JIT) can take seconds; this is a wait, not a timing.
        return WaitForAsyncUtils.asyncFx(call).get(30, TimeUnit.SECONDS);
    }

    static void eventually(Duration within, Callable<Boolean> condition) throws Exception {
        eventually(within, condition, () -> "(no detail)");
    }

    /** Waits for the condition (read on the FX thread); on timeout, fails showing what was seen instead. */
    static void eventually(Duration within, Callable<Boolean> condition, Callable<?> seen) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(within.toMillis(), TimeUnit.MILLISECONDS, () -> fx(condition));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not true within " + within + "; saw " + seen.call());
        }
    }

}
