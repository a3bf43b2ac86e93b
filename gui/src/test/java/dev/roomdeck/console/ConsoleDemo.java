package dev.roomdeck.console;

import dev.roomdeck.admin.AdminApi;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * Not a test: the real console window over a live server with a few rooms of peers, for screenshots
 * (gui/screenshot.sh) and for looking at it by hand. Prints READY once the peers are in; exits after the
 * given number of seconds (default 60) or when the window is closed.
 */
public final class ConsoleDemo {
    private ConsoleDemo() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        try (LiveServer live = LiveServer.start()) {
            CountDownLatch closed = new CountDownLatch(1);
            Stage[] stage = new Stage[1];
            Platform.startup(() -> {
                stage[0] = new Stage();
                Console console = Console.open(stage[0], live.server());
                stage[0].setOnHidden(e -> {
                    console.close();
                    closed.countDown();
                });
                stage[0].setX(0);
                stage[0].setY(0);
                stage[0].show();
            });
            live.joinPublishing("board-room", "alice", "alice-cam", "alice-screen");
            live.joinPublishing("board-room", "bob", "bob-cam");
            live.joinPublishing("board-room", "dave", "dave-cam");
            live.joinWatching("board-room", "carol");
            live.joinPublishing("board-room", "erin", "erin-cam");
            live.joinPublishing("standup", "frank", "frank-cam");
            live.joinWatching("standup", "grace");
            AdminApi admin = live.server().admin();
            admin.mute("board-room", "dave", "dave-cam", true, true);
            Thread.sleep(2500);
            Platform.runLater(() -> {
                // Select the muted peer so the streams pane shows who muted what.
                @SuppressWarnings("unchecked")
                javafx.scene.control.TableView<dev.roomdeck.console.model.PeerRow> peers =
                        (javafx.scene.control.TableView<dev.roomdeck.console.model.PeerRow>) stage[0].getScene().lookup("#peers");
                peers.getItems().stream().filter(p -> p.id().equals("dave")).findFirst()
                        .ifPresent(p -> peers.getSelectionModel().select(p));
            });
            Thread.sleep(1500);
            System.out.println("READY");
            System.out.flush();
            closed.await(seconds, TimeUnit.SECONDS);
            Platform.runLater(() -> stage[0].close());
        }
        Platform.exit();
        System.exit(0);
    }
}
