package dev.roomdeck.console;

import dev.roomdeck.TestServer;
import dev.roomdeck.admin.AdminApi;
import dev.roomdeck.client.MediaClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

/**
 * Not a test: the real console window over a live server with two rooms of peers that publish real media
 * (Java clients with ICE, DTLS and SRTP sending paced RTP), for screenshots (gui/screenshot.sh) and for
 * looking at it by hand. The chart gets some history and one stream changes rate before it prints READY;
 * exits after the given number of seconds (default 60) or when the window is closed.
 *
 * <p>Arguments: [seconds to stay open, default 60] [seconds of media before READY, default 40].
 */
public final class ConsoleDemo {
    private ConsoleDemo() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        try (TestServer live = TestServer.start(); PacedSender sender = new PacedSender()) {
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
            List<MediaClient> all = new ArrayList<>();
            MediaClient alice = join(live, all, "board-room", "alice", "alice-cam");
            MediaClient bob = join(live, all, "board-room", "bob", "bob-cam");
            MediaClient dave = join(live, all, "board-room", "dave", "dave-cam");
            join(live, all, "board-room", "carol", null);
            MediaClient erin = join(live, all, "board-room", "erin", "erin-screen");
            MediaClient frank = join(live, all, "standup", "frank", "frank-cam");
            join(live, all, "standup", "grace", null);
            for (MediaClient c : all) {
                c.awaitReady(Duration.ofSeconds(30));
            }
            // Camera-like rates: video in ~1000-byte packets, Opus-like audio in 50 packets a second.
            PacedSender.Flow aliceVideo = sender.send(alice, "video", 900_000, 1000);
            sender.send(alice, "audio", 40_000, 88);
            PacedSender.Flow bobVideo = sender.send(bob, "video", 350_000, 1000);
            sender.send(bob, "audio", 40_000, 88);
            sender.send(dave, "video", 600_000, 1000);
            sender.send(dave, "audio", 32_000, 68);
            sender.send(erin, "video", 1_400_000, 1100);
            sender.send(frank, "video", 450_000, 1000);
            sender.send(frank, "audio", 40_000, 88);
            AdminApi admin = live.server().admin();
            admin.mute("board-room", "dave", "dave-cam", true, true);

            // Some history for the chart: bob's picture gets busier, alice's calmer, then alice moves again.
            Thread.sleep(warmup * 1000L / 3);
            bobVideo.rate(750_000);
            aliceVideo.rate(500_000);
            Thread.sleep(warmup * 1000L / 3);
            aliceVideo.rate(1_100_000);
            Thread.sleep(warmup * 1000L / 3);
            Platform.runLater(() -> {
                // Select the muted peer so the streams pane shows who muted what.
                @SuppressWarnings("unchecked")
                TableView<dev.roomdeck.console.model.PeerRow> peers =
                        (TableView<dev.roomdeck.console.model.PeerRow>) stage[0].getScene().lookup("#peers");
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

    private static MediaClient join(TestServer live, List<MediaClient> all, String room, String user, String msid)
            throws Exception {
        MediaClient c = live.media(room, user, msid);
        all.add(c);
        return c;
    }
}
