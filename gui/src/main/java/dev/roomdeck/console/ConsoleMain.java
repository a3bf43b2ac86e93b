package dev.roomdeck.console;

import dev.roomdeck.Launcher;
import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.config.CommandLine;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.settings.LiveServer;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.stage.Stage;

/**
 * {@code java -jar roomdeck-console.jar [flags]}: starts the server in this process and opens the operator's
 * window over it; {@code --headless} runs the server alone. Takes the server's flags (read, checked and announced
 * by the server's {@link Launcher}, as the headless server jar does). The server runs as a {@link LiveServer}, so
 * the settings window can restart it with new settings. Deliberately not an {@code Application} subclass: that is
 * what lets JavaFX start from the class path.
 */
public final class ConsoleMain {
    private ConsoleMain() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine flags = Launcher.flags("roomdeck-console", args);
        ServerConfig config = Launcher.config(flags);
        Launcher.installLogging();

        if (!flags.headless && !startToolkit()) {
            System.exit(1);
            return;
        }
        LiveServer live;
        try {
            live = LiveServer.of(flags, RoomDeckServer.start(config));
        } catch (Exception e) {
            System.err.println("roomdeck: the server did not start: " + e);
            if (!flags.headless) {
                showStartFailure(e);
            }
            System.exit(1);
            return;
        }
        Launcher.printBanner(System.out, live.server());
        live.onRestart(server -> Launcher.printBanner(System.out, server));
        Runtime.getRuntime().addShutdownHook(new Thread(live::close, "shutdown"));
        if (flags.headless) {
            new CountDownLatch(1).await(); // until Ctrl-C: the shutdown hook stops the server
            return;
        }
        CountDownLatch windowClosed = new CountDownLatch(1);
        Platform.runLater(() -> {
            Stage stage = new Stage();
            Console console = Console.open(stage, live);
            stage.setOnHidden(e -> {
                console.close();
                windowClosed.countDown();
            });
            stage.show();
        });
        windowClosed.await();
        Platform.exit();
        live.close();
        System.exit(0);
    }

    /** Starts JavaFX before the server, so a PC without a display fails at once and says what to do. */
    private static boolean startToolkit() {
        try {
            Platform.startup(() -> { });
            Platform.setImplicitExit(false); // the window's close ends the program, below
            return true;
        } catch (RuntimeException | Error e) {
            System.err.println("roomdeck: cannot open the console window (" + e.getMessage()
                    + "); run with --headless to serve without a window");
            return false;
        }
    }

    private static void showStartFailure(Exception e) {
        CountDownLatch shown = new CountDownLatch(1);
        Platform.runLater(() -> {
            Alert a = new Alert(Alert.AlertType.ERROR, String.valueOf(e.getMessage()));
            a.setHeaderText("RoomDeck could not start its server");
            a.showAndWait();
            shown.countDown();
        });
        try {
            shown.await();
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }
}
