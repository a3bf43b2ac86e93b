package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomdeck.TestServer;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket is not bound by the same-origin rule: any page a LAN user opens could connect to /ws through the
 * user's browser. So /ws judges the Origin a browser sends as the token endpoint does; the server's own pages
 * (the bundled client, on either port, by whatever name the browser used) always pass.
 */
class WebSocketOriginTest {
    private static final UnaryOperator<ServerConfig> ONLY_APP_EXAMPLE = c -> c.withApps(new ServerConfig.Apps(
            List.of("https://app.example.com"), null, List.of(), "all"));

    private static WebSocket open(HttpClient http, URI uri, String origin) throws Exception {
        WebSocket.Builder b = http.newWebSocketBuilder();
        if (origin != null) {
            b.header("Origin", origin);
        }
        return b.buildAsync(uri, new WebSocket.Listener() { }).get(5, TimeUnit.SECONDS);
    }

    private static WebSocket open(TestServer server, String origin) throws Exception {
        return open(HttpClient.newHttpClient(), server.ws(), origin);
    }

    private static void assertRefused(TestServer server, String origin) {
        assertThatThrownBy(() -> open(server, origin))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void aForeignSiteCannotOpenTheSignallingSocket() throws Exception {
        try (TestServer server = TestServer.start()) {
            assertRefused(server, "https://evil.example.com");
            assertRefused(server, "null"); // sandboxed frames and file:// pages
        }
    }

    @Test
    void anAppServedOnTheLanConnectsUnderTheDefault() throws Exception {
        try (TestServer server = TestServer.start()) {
            WebSocket ws = open(server, "http://192.168.1.20:3000");
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void clientsWithoutOriginAreNoBrowserPageAndConnect() throws Exception {
        try (TestServer server = TestServer.start(ONLY_APP_EXAMPLE)) {
            open(server, null).sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            // The Java client (what tests, the load generator and native apps use) sends none and joins.
            assertThat(server.joinWatching("r1", "alice")).isNotNull();
        }
    }

    @Test
    void theServersOwnPagesAlwaysConnectWhateverTheList() throws Exception {
        try (TestServer server = TestServer.start(ONLY_APP_EXAMPLE)) {
            int httpPort = server.server().httpPort();
            int httpsPort = server.server().httpsPort();
            open(server, "http://127.0.0.1:" + httpPort).sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            // A page from the HTTPS port of the same host is the server's own too.
            open(server, "https://127.0.0.1:" + httpsPort).sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            open(server, "https://app.example.com").sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);

            // Another port or another host is another site.
            assertRefused(server, "http://127.0.0.1:" + (httpPort == 65535 ? 1 : httpPort + 1));
            assertRefused(server, "http://192.168.1.20:" + httpPort);
        }
    }

    @Test
    void overWssTheBundledClientsOriginIsItsHttpsAddressByAnyNameTheBrowserUsed() throws Exception {
        try (TestServer server = TestServer.start(ONLY_APP_EXAMPLE)) {
            X509Certificate cert = TestCertificates.readPem(server.server().certificate().file()).get(0);
            HttpClient https = HttpClient.newBuilder().sslContext(TestCertificates.trusting(cert)).build();
            int port = server.server().httpsPort();
            for (String host : List.of("127.0.0.1", "localhost")) {
                URI wss = URI.create("wss://" + host + ":" + port + "/ws");
                open(https, wss, "https://" + host + ":" + port).sendClose(WebSocket.NORMAL_CLOSURE, "")
                        .get(5, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> open(https, URI.create("wss://localhost:" + port + "/ws"), "https://evil.example.com"))
                    .cause().isInstanceOf(WebSocketHandshakeException.class);
        }
    }
}
