package dev.roomdeck.console;

import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.config.CommandLine;
import dev.roomdeck.config.ConfigException;
import dev.roomdeck.config.ConfigLoader;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.console.join.JoinUrls;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.stage.Stage;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -jar roomdeck-console.jar [flags]}: starts the server in this process and opens the operator's
 * window over it; {@code --headless} runs the server alone. Takes the server's flags. Deliberately not an
 * {@code Application} subclass: that is what lets JavaFX start from the class path.
 */
public final class ConsoleMain {
    private ConsoleMain() {
    }

    public static void main(String[] args) throws Exception {
        // Before anything creates an ice4j Agent: its AWS harvester would call 169.254.169.254.
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        CommandLine flags = new CommandLine();
        picocli.CommandLine cli = new picocli.CommandLine(flags);
        cli.setCommandName("roomdeck-console");
        try {
            cli.parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            cli.usage(System.err);
            System.exit(2);
            return;
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(System.out);
            return;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(System.out);
            return;
        }
        ServerConfig config;
        try {
            config = ConfigLoader.load(flags);
        } catch (ConfigException e) {
            System.err.println("roomdeck: " + e.getMessage());
            System.exit(2);
            return;
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();

        if (!flags.headless && !startToolkit()) {
            System.exit(1);
            return;
        }
        RoomDeckServer server;
        try {
            server = RoomDeckServer.start(config);
        } catch (Exception e) {
            System.err.println("roomdeck: the server did not start: " + e);
            if (!flags.headless) {
                showStartFailure(e);
            }
            System.exit(1);
            return;
        }
        printBanner(System.out, server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        if (flags.headless) {
            new CountDownLatch(1).await(); // until Ctrl-C: the shutdown hook stops the server
            return;
        }
        CountDownLatch windowClosed = new CountDownLatch(1);
        Platform.runLater(() -> {
            Stage stage = new Stage();
            Console console = Console.open(stage, server);
            stage.setOnHidden(e -> {
                console.close();
                windowClosed.countDown();
            });
            stage.show();
        });
        windowClosed.await();
        Platform.exit();
        server.close();
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

    static void printBanner(PrintStream out, RoomDeckServer server) {
        out.println("RoomDeck started");
        out.println("  http port:  " + server.httpPort());
        out.println("  media port: " + server.mediaPort() + " (udp)");
        for (String url : JoinUrls.of(server.config(), server.httpPort())) {
            out.println("  join at:    " + url);
        }
        out.flush();
    }
}
