package dev.roomdeck.console;

import static dev.roomdeck.console.ConsoleWindowTest.fx;

import java.util.function.Consumer;
import javafx.stage.Stage;

/** A console window over a live server, opened and closed on the FX thread as the TestFX tests use it. */
final class OpenConsole implements AutoCloseable {
    final Console console;
    final Stage stage;

    private OpenConsole(Console console, Stage stage) {
        this.console = console;
        this.stage = stage;
    }

    static OpenConsole open(LiveServer live) throws Exception {
        return open(live, c -> { });
    }

    /** {@code setUp} runs before the window shows (e.g. a stand-in for the bell or the browser). */
    static OpenConsole open(LiveServer live, Consumer<Console> setUp) throws Exception {
        Stage[] stage = new Stage[1];
        Console console = fx(() -> {
            stage[0] = new Stage();
            Console c = Console.open(stage[0], live.server());
            setUp.accept(c);
            stage[0].show();
            return c;
        });
        return new OpenConsole(console, stage[0]);
    }

    @Override
    public void close() throws Exception {
        fx(() -> {
            console.close();
            stage.close();
            return null;
        });
    }
}
