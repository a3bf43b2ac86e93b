package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.browser.Browser;
import dev.roomdeck.browser.BrowserMeeting;
import dev.roomdeck.browser.StaticSite;
import dev.roomdeck.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();
    private Browser browser;

    private String runApp(List<String> allowedOrigins) throws Exception {
        meeting.startServer(c -> c.withApps(new ServerConfig.Apps(allowedOrigins, null, List.of(), "all")));
        Path empty = Files.createTempDirectory("roomdeck-app");
        meeting.closeAfter(() -> Files.deleteIfExists(empty));
        StaticSite app = meeting.closeAfter(StaticSite.serve(empty, Map.of("/app.html", "<!doctype html><title>an RTCEngine app</title>")));
        browser = meeting.browser();
        browser.open(app.baseUrl() + "/app.html");
        return String.valueOf(browser.jsAsync(APP_STEPS, meeting.httpUrl("")));
    }

    @Test
    void anAppOnTheLanGetsItsTokenAndOpensTheSocketAtWsUrl() throws Exception {
        assertThat(runApp(List.of("lan"))).isEqualTo(meeting.httpUrl("") + " open");
    }

    @Test
    void anAppFromAnOriginOutsideTheListIsRefused() throws Exception {
        assertThat(runApp(List.of("https://app.example.com"))).startsWith("fetch failed");
        assertThat(browser.jsAsync(SOCKET_ONLY, "ws://127.0.0.1:" + meeting.server().server().httpPort() + "/ws")).isEqualTo("refused");
    }
}
