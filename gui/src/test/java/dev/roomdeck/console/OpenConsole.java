package dev.roomdeck.console;

import static dev.roomdeck.console.ConsoleWindowTest.fx;

import dev.roomdeck.TestServer;
import java.time.Duration;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.service.query.NodeQuery;

/**
 * The console's TestFX tests on a live server, set up one way: before each test a {@link TestServer} (whose
 * clients join as RTCEngine's SDKs) and a console window over it, opened on the FX thread; after each test the
 * window closes on the FX thread and the server stops with its clients. A test's own {@code @AfterEach} runs
 * before these (JUnit runs a subclass's first), while the window and the server are still up.
 */
abstract class OpenConsole {
    /** How long a test waits for a message to its client. */
    static final Duration WAIT = Duration.ofSeconds(3);
    final FxRobot robot = new FxRobot();
    TestServer live;
    Console console;
    Stage stage;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void openConsole() throws Exception {
        live = TestServer.start().sdkClients();
        Stage[] window = new Stage[1];
        console = fx(() -> {
            window[0] = new Stage();
            Console c = Console.open(window[0], live.server());
            beforeShow(c);
            window[0].show();
            return c;
        });
        stage = window[0];
    }

    /** Runs on the FX thread before the window shows (e.g. a stand-in for the bell or the browser). */
    void beforeShow(Console c) {
    }

    /** Looks only inside this test's window: a window left over from another test must not answer. */
    NodeQuery mine(String query) {
        return robot.from(stage.getScene().getRoot()).lookup(query);
    }

    @AfterEach
    void closeConsole() throws Exception {
        if (console != null) {
            fx(() -> {
                console.close();
                stage.close();
                return null;
            });
        }
        live.close();
    }
}
