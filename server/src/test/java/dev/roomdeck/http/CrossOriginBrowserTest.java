package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.browser.Browser;
import dev.roomdeck.browser.BrowserTests;
import dev.roomdeck.browser.StaticSite;
import dev.roomdeck.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An app served from its own origin (another port of 127.0.0.1) does what RTCEngine's SDK does, in Chromium: POST
 * /api/generateToken with a JSON body (a CORS preflight first), decode the token and open a WebSocket at its
 * {@code wsUrl}. Allowed under the default (a page of this LAN), refused when allowedOrigins names other sites.
 */
class CrossOriginBrowserTest {
    /** The SDK's steps; returns the wsUrl and whether the WebSocket opened, or where it failed. */
    private static final String APP_STEPS = """
            const [server] = arguments;
            let token;
            try {
              const r = await fetch(server + '/api/generateToken', { method: 'POST',
                  headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
                  body: JSON.stringify({ appkey: 'default', room: 'r1', user: 'alice' }) });
              token = (await r.json()).d.token;
            } catch (e) {
              return 'fetch failed: ' + e.message;
            }
            const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
            const ws = new WebSocket(claims.wsUrl.replace(/^http/, 'ws') + '/ws');
            const opened = await new Promise(done => { ws.onopen = () => done(true); ws.onerror = () => done(false); });
            ws.close();
            return claims.wsUrl + ' ' + (opened ? 'open' : 'refused');
            """;

    /** A page that skips the token and tries the socket directly. */
    private static final String SOCKET_ONLY = """
            const ws = new WebSocket(arguments[0]);
            const opened = await new Promise(done => { ws.onopen = () => done(true); ws.onerror = () => done(false); });
            ws.close();
            return opened ? 'open' : 'refused';
            """;

    private TestServer server;
    private StaticSite app;
    private Browser browser;
    private Path empty;

    @BeforeAll
    static void guard() {
        BrowserTests.assumeBrowserCanRun();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
        if (server != null) {
            server.close();
        }
        if (empty != null) {
            Files.deleteIfExists(empty);
        }
    }

    private String runApp(List<String> allowedOrigins) throws Exception {
        server = TestServer.start(c -> c.withAppKeys(Map.of(ServerConfig.DEFAULT_APPKEY, TestServer.SECRET))
                .withApps(new ServerConfig.Apps(allowedOrigins, null, List.of(), "all")));
        empty = Files.createTempDirectory("roomdeck-app");
        app = StaticSite.serve(empty, Map.of("/app.html", "<!doctype html><title>an RTCEngine app</title>"));
        browser = Browser.start();
        browser.open(app.baseUrl() + "/app.html");
        return String.valueOf(browser.jsAsync(APP_STEPS, "http://127.0.0.1:" + server.server().httpPort()));
    }

    @Test
    void anAppOnTheLanGetsItsTokenAndOpensTheSocketAtWsUrl() throws Exception {
        assertThat(runApp(List.of("lan"))).isEqualTo("http://127.0.0.1:" + server.server().httpPort() + " open");
    }

    @Test
    void anAppFromAnOriginOutsideTheListIsRefused() throws Exception {
        assertThat(runApp(List.of("https://app.example.com"))).startsWith("fetch failed");
        assertThat(browser.jsAsync(SOCKET_ONLY, "ws://127.0.0.1:" + server.server().httpPort() + "/ws")).isEqualTo("refused");
    }
}
