package dev.roomdeck.console;

import static dev.roomdeck.console.ConsoleWindowTest.eventually;
import static dev.roomdeck.console.ConsoleWindowTest.fx;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.TestServer;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.config.CommandLine;
import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.settings.LiveServer;
import dev.roomdeck.settings.SettingsStore;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The settings window as an operator uses it, over a real restartable server in a throw-away data folder: a saved
 * change restarts the server (clients told to come back) and the console follows the new one; a bad value is
 * refused with its reason and changes nothing; settings fixed by start-up flags are read-only.
 */
class SettingsWindowTest {
    private static final Duration APPEAR = Duration.ofSeconds(2);
    /** A restart stops and starts HTTP, HTTPS and media: give it more than a table refresh. */
    private static final Duration RESTART = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    private final FxRobot robot = new FxRobot();
    private final List<SignalClient> clients = new ArrayList<>();
    private LiveServer live;
    private Console console;
    private Stage stage;

    @BeforeAll
    static void toolkit() throws Exception {
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        FxToolkit.registerPrimaryStage();
    }

    /** As the console starts: saved settings on loopback with free ports, then these start-up flags. */
    private void start(String... flagArgs) throws Exception {
        SettingsStore store = SettingsStore.in(dataDir);
        store.save(store.settings().withBind("127.0.0.1").withPorts(0, 0, 0)
                .withTokens(true, Map.of(TestServer.APPKEY, TestServer.SECRET)));
        CommandLine flags = new CommandLine();
        new picocli.CommandLine(flags).parseArgs(flagArgs);
        flags.dataDir = dataDir;
        live = LiveServer.start(flags);
        console = fx(() -> {
            stage = new Stage();
            Console c = Console.open(stage, live);
            stage.show();
            return c;
        });
    }

    @AfterEach
    void close() throws Exception {
        for (SignalClient c : clients) {
            c.close();
        }
        fx(() -> {
            for (Window w : List.copyOf(Window.getWindows())) {
                if (w instanceof Stage s && s != stage && w.getScene() != null
                        && w.getScene().getRoot().getId() != null && w.getScene().getRoot().getId().equals("settingsWindow")) {
                    s.close();
                }
            }
            if (console != null) {
                console.close();
            }
            if (stage != null) {
                stage.close();
            }
            return null;
        });
        if (live != null) {
            live.close();
        }
    }

    @Test
    void savingANewPortRestartsTheServerOnItClientsAreToldToReconnectAndTheConsoleFollows() throws Exception {
        start();
        RoomDeckServer before = live.server();
        SignalClient alice = join(before, "alice");
        eventually(APPEAR, () -> shownPeers().equals(List.of("alice")));
        int https = freeTcp();
        int media = freeUdp();

        robot.clickOn("#peers");
        robot.press(KeyCode.SHORTCUT, KeyCode.COMMA).release(KeyCode.COMMA, KeyCode.SHORTCUT);
        eventually(APPEAR, this::settingsOpen);
        assertThat(fx(() -> label("#settingsWarning").getText())).contains("restarts the server").contains("reconnect");
        type("#httpsPort", String.valueOf(https));
        type("#mediaPort", String.valueOf(media));
        assertThat(fx(() -> checkBox("#iceTcp").isSelected())).as("media over TCP is on by default").isTrue();
        robot.clickOn("#iceTcp");
        assertThat(fx(() -> checkBox("#iceTcp").isSelected())).isFalse();
        robot.clickOn("#saveSettings");

        SignalClient.Received leave = alice.await("leave", RESTART);
        assertThat(leave.data().get("reason").asText()).isEqualTo("restart");
        assertThat(alice.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(1001);
        eventually(RESTART, () -> !settingsOpen());
        RoomDeckServer after = live.server();
        assertThat(after).isNotSameAs(before);
        assertThat(List.of(after.httpsPort(), after.mediaPort())).containsExactly(https, media);
        assertThat(after.config().iceTcp()).isFalse();
        JsonNode file = JSON.readTree(dataDir.resolve("roomdeck.json").toFile());
        assertThat(file.get("httpsPort").asInt()).isEqualTo(https);
        assertThat(file.get("mediaPort").asInt()).isEqualTo(media);
        assertThat(file.get("iceTcp").asBoolean()).isFalse();

        String url = "https://127.0.0.1:" + https + "/";
        eventually(APPEAR, () -> label("#statusJoin").getText().equals("Join: " + url), () -> label("#statusJoin").getText());
        eventually(APPEAR, () -> label("#statusMedia").getText().equals("Media port " + media));
        assertThat(fx(() -> label("#joinUrl0").getText())).isEqualTo(url);
        assertThat(fx(() -> console.toast().text())).startsWith("Settings saved; the server restarted. Join at " + url);
        assertThat(fx(() -> stage.getTitle())).endsWith(url);

        // The feed now reads the new server: alice is gone, bob (joined to the new server) appears...
        SignalClient bob = join(after, "bob");
        eventually(APPEAR, () -> shownPeers().equals(List.of("bob")), this::shownPeers);
        // ...and commands go to it.
        robot.clickOn("#messageText").write("Back again").type(KeyCode.ENTER);
        assertThat(bob.await("message", RESTART).data().at("/data/text").asText()).isEqualTo("Back again");
    }

    @Test
    void aBadValueIsRefusedWithItsReasonAndNothingChanges() throws Exception {
        start();
        RoomDeckServer running = live.server();
        byte[] saved = Files.readAllBytes(dataDir.resolve("roomdeck.json"));
        SignalClient alice = join(running, "alice");
        fx(() -> {
            console.openSettings();
            return null;
        });
        eventually(APPEAR, this::settingsOpen);

        type("#httpPort", "70000");
        robot.clickOn("#saveSettings");
        eventually(APPEAR, () -> label("#settingsError").isVisible(), () -> label("#settingsError").getText());
        assertThat(fx(() -> label("#settingsError").getText()))
                .isEqualTo("Not saved: httpPort: 70000 is not a port (0-65535; 0 picks a free one)");

        type("#httpPort", "0");
        type("#bind", "nonsense");
        robot.clickOn("#saveSettings");
        eventually(APPEAR, () -> label("#settingsError").getText().contains("bind"), () -> label("#settingsError").getText());
        assertThat(fx(() -> label("#settingsError").getText())).isEqualTo("Not saved: bind: 'nonsense' is not an IP address");

        assertThat(settingsOpen()).isTrue();
        assertThat(live.server()).isSameAs(running);
        assertThat(Files.readAllBytes(dataDir.resolve("roomdeck.json"))).isEqualTo(saved);
        assertThat(alice.receivesWithin("leave", Duration.ofMillis(300))).isFalse();
        assertThat(alice.isOpen()).isTrue();
    }

    @Test
    void aSettingFixedByAFlagIsReadOnlySaysWhichFlagAndKeepsTheFilesValue() throws Exception {
        int https = freeTcp();
        start("--https-port", String.valueOf(https), "--no-ice-tcp");
        fx(() -> {
            console.openSettings();
            return null;
        });
        eventually(APPEAR, this::settingsOpen);

        assertThat(fx(() -> field("#httpsPort").isDisabled())).isTrue();
        assertThat(fx(() -> field("#httpsPort").getText())).isEqualTo(String.valueOf(https));
        assertThat(fx(() -> tooltip("#httpsPortPinned").getText())).startsWith("Fixed by the start-up flag --https-port");
        assertThat(fx(() -> field("#httpPort").isDisabled())).isFalse();
        assertThat(fx(() -> field("#mediaPort").isDisabled())).isFalse();
        assertThat(fx(() -> checkBox("#iceTcp").isDisabled())).isTrue();
        assertThat(fx(() -> checkBox("#iceTcp").isSelected())).isFalse();
        assertThat(fx(() -> tooltip("#iceTcpPinned").getText())).startsWith("Fixed by the start-up flag --[no-]ice-tcp");

        int media = freeUdp();
        type("#mediaPort", String.valueOf(media));
        robot.clickOn("#saveSettings");
        eventually(RESTART, () -> !settingsOpen());
        assertThat(live.server().httpsPort()).as("the flag still wins").isEqualTo(https);
        assertThat(live.server().mediaPort()).isEqualTo(media);
        assertThat(live.server().config().iceTcp()).as("the flag still wins").isFalse();
        JsonNode file = JSON.readTree(dataDir.resolve("roomdeck.json").toFile());
        assertThat(file.get("httpsPort").asInt()).as("the file keeps its own value").isZero();
        assertThat(file.get("iceTcp").asBoolean()).as("the file keeps its own value").isTrue();
        assertThat(file.get("mediaPort").asInt()).isEqualTo(media);
    }

    @Test
    void anAppkeyAddedWithAGeneratedSecretIsSavedAndTheServerAcceptsItsTokens() throws Exception {
        start();
        fx(() -> {
            console.openSettings();
            return null;
        });
        eventually(APPEAR, this::settingsOpen);

        robot.clickOn("#addAppKey");
        assertThat(fx(() -> field("#appKeyName1").getText())).isEqualTo("default");
        String first = fx(() -> field("#appKeySecret1").getText());
        assertThat(first).matches("[A-Za-z0-9_-]{43}");
        robot.clickOn("#generateSecret1");
        String secret = fx(() -> field("#appKeySecret1").getText());
        assertThat(secret).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(first);
        type("#appKeyName1", "kiosk");
        robot.clickOn("#saveSettings");

        eventually(RESTART, () -> !settingsOpen());
        JsonNode keys = JSON.readTree(dataDir.resolve("roomdeck.json").toFile()).get("appKeys");
        assertThat(keys.get("kiosk").asText()).isEqualTo(secret);
        assertThat(keys.get(TestServer.APPKEY).asText()).isEqualTo(TestServer.SECRET);
        assertThat(live.server().tokens().issue("kiosk", "r1", "alice", Duration.ofMinutes(1))).isNotBlank();
    }

    // ---- helpers ----

    private SignalClient join(RoomDeckServer server, String user) throws Exception {
        SignalClient c = TestServer.join(server, "r1", user, TestServer.offer());
        clients.add(c);
        return c;
    }

    /** Replaces a field's text as a person does: click, select all, type. */
    private void type(String id, String text) throws Exception {
        robot.clickOn(id);
        fx(() -> {
            field(id).selectAll();
            return null;
        });
        robot.write(text);
        eventually(APPEAR, () -> field(id).getText().equals(text), () -> field(id).getText());
    }

    private boolean settingsOpen() throws Exception {
        return fx(() -> robot.lookup("#settingsWindow").tryQuery().map(Node::isVisible).orElse(false));
    }

    private List<String> shownPeers() throws Exception {
        return fx(() -> {
            TableView<PeerRow> t = robot.lookup("#peers").query();
            return t.getItems().stream().map(PeerRow::id).toList();
        });
    }

    private Label label(String id) {
        return robot.lookup(id).queryAs(Label.class);
    }

    private CheckBox checkBox(String id) {
        return robot.lookup(id).queryAs(CheckBox.class);
    }

    private TextField field(String id) {
        return robot.lookup(id).queryAs(TextField.class);
    }

    private Tooltip tooltip(String id) {
        // Where Tooltip.install keeps a node's tooltip.
        return (Tooltip) robot.lookup(id).query().getProperties().get("javafx.scene.control.Tooltip");
    }

    private static int freeTcp() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdp() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
