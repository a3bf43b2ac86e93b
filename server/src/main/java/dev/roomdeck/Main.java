package dev.roomdeck;

import dev.roomdeck.config.CommandLine;
import dev.roomdeck.config.ServerConfig;
import java.util.concurrent.CountDownLatch;

/**
 * The headless launcher: {@code java -jar roomdeck-server.jar [--http-port N] [--media-port N] [--bind ADDR] ...}.
 * Prints where to join, runs until Ctrl-C, then tells every client and stops.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine flags = Launcher.flags("roomdeck", args);
        ServerConfig config = Launcher.config(flags);
        Launcher.installLogging();
        RoomDeckServer server = RoomDeckServer.start(config);
        Launcher.printBanner(System.out, server);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
