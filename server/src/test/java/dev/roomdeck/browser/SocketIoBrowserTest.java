package dev.roomdeck.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roomdeck.TestServer;
import dev.roomdeck.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drop-in for RTCEngine apps: one Chromium joins through a page that speaks the protocol over socket.io-client
 * 4.x, one through the bundled web client over /ws; each decodes the other's video.
 */
class SocketIoBrowserTest {
    private static final Path SOCKET_IO = Path.of("src/test/node/node_modules/sio4/dist/socket.io.min.js");

    @BeforeAll
    static void guard() {
        BrowserTests.assumeBrowserCanRun();
        assumeTrue(Files.isRegularFile(SOCKET_IO), "needs npm ci in server/src/test/node (the test command runs it)");
    }

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

        try (TestServer server = TestServer.start(c -> new ServerConfig(c.bind(), c.httpPort(), c.mediaPort(),
                c.mediaAddresses(), c.announcedAddress(), c.dataDir(), root, c.tokenEndpoint(),
                Map.of(ServerConfig.DEFAULT_APPKEY, TestServer.SECRET), c.tokenTtlSeconds(), c.defaultBitrateKbps(),
                c.limits()));
             Browser sio = Browser.start();
             Browser web = Browser.start()) {
            String base = "http://127.0.0.1:" + server.server().httpPort();
            sio.open(base + "/sio.html?room=mixed&name=sioapp");
            web.open(base + "/?room=mixed&name=webapp&user=webapp&autojoin=1"); // user: its peer id, as the app knows it

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
}
