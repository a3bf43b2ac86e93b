package dev.roomdeck.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drop-in for RTCEngine apps: one Chromium joins through a page that speaks the protocol over socket.io-client
 * 4.x, one through the bundled web client over /ws; each decodes the other's video.
 */
class SocketIoBrowserTest {
    private static final Path SOCKET_IO = Path.of("src/test/node/node_modules/sio4/dist/socket.io.min.js");

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting()
            .onlyIf(() -> Files.isRegularFile(SOCKET_IO), "needs npm ci in server/src/test/node (the test command runs it)");

    @Test
    void aSocketIoAppAndTheWebClientDecodeEachOther() throws Exception {
        Path root = Files.createTempDirectory("roomdeck-sio-web");
        try (Stream<Path> files = Files.list(BrowserTests.webAssets())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, root.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(SOCKET_IO, root.resolve("socket.io.min.js"));
        for (String page : new String[] {"sio.html", "sio.js"}) { // the script is a file: the server's CSP forbids inline ones
            Files.copy(Path.of(SocketIoBrowserTest.class.getResource("/socketio-page/" + page).toURI()), root.resolve(page));
        }

        meeting.startServer(c -> BrowserMeeting.withWebRoot(c, root));
        Browser sio = meeting.browser();
        Browser web = meeting.browser();
        sio.open(meeting.httpUrl("/sio.html?room=mixed&name=sioapp"));
        web.open(meeting.page("mixed", "webapp").url()); // user: its peer id, as the app knows it

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((sio.framesDecodedFrom("webapp") <= 10 || web.framesDecodedFrom("sioapp") <= 10) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        System.out.printf("socket.io page decoded %d frames of webapp; web client decoded %d frames of sioapp%n",
                sio.framesDecodedFrom("webapp"), web.framesDecodedFrom("sioapp"));
        assertThat(sio.framesDecodedFrom("webapp")).as("socket.io app decodes the web client").isGreaterThan(10);
        assertThat(web.framesDecodedFrom("sioapp")).as("web client decodes the socket.io app").isGreaterThan(10);
        assertThat(sio.pageErrors()).isEmpty();
    }
}
