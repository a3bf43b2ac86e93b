package dev.roomdeck;

import dev.roomdeck.config.CommandLine;
import dev.roomdeck.config.ConfigException;
import dev.roomdeck.config.ConfigLoader;
import dev.roomdeck.config.ServerConfig;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The headless launcher: {@code java -jar roomdeck-server.jar [--http-port N] [--media-port N] [--bind ADDR] ...}.
 * Prints the ports it bound, runs until Ctrl-C, then tells every client and stops.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine flags = new CommandLine();
        picocli.CommandLine cli = new picocli.CommandLine(flags);
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
        installLogging();
        RoomDeckServer server = RoomDeckServer.start(config);
        printBanner(System.out, server);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /** Routes java.util.logging (ice4j, jitsi-srtp) into SLF4J/Logback. */
    public static void installLogging() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    static void printBanner(PrintStream out, RoomDeckServer server) {
        out.println("RoomDeck started");
        out.println("  http port:  " + server.httpPort());
        out.println("  media port: " + server.mediaPort() + " (udp)");
        out.println("  join at:    http://" + displayHost(server.config().bind()) + ":" + server.httpPort() + "/");
        out.flush();
    }

    private static String displayHost(String bind) {
        return "0.0.0.0".equals(bind) ? "<this-pc-address>" : bind;
    }
}
