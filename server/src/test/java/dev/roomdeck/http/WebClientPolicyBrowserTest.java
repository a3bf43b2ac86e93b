package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.browser.Browser;
import dev.roomdeck.browser.BrowserMeeting;
import dev.roomdeck.config.ServerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bundled web client works under the server's Content-Security-Policy and its origin rules: in Chromium, over
 * http:// and https://, it gets a token, opens /ws (wss://) and publishes, and the page reports no CSP violation.
 * The policy is really in force: an inline script added to the page is blocked and reported. allowedOrigins names
 * only a foreign app here, so the page passes as the server's own. Runs in a loopback-only network namespace.
 */
class WebClientPolicyBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting();
    private Browser browser;

    private void startServer() throws Exception {
        meeting.startServer(c -> c.withApps(new ServerConfig.Apps(List.of("https://app.example.com"), null, List.of(), "all")));
    }

    private void joinAndCheck(BrowserMeeting.Page page) {
        meeting.joinAndPublish(browser, page, WAIT);
        assertThat(browser.pageErrors()).as("page errors, CSP violations included").isEmpty();

        browser.js("const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true;';"
                + " document.head.append(s);");
        browser.waitFor("window.__pageErrors.some(e => e.startsWith('CSP violation: script-src'))", Duration.ofSeconds(5));
        assertThat(browser.js("return window.__inlineRan === true")).isEqualTo(false);
    }

    @Test
    void overHttp() throws Exception {
        startServer();
        browser = meeting.browser();
        joinAndCheck(meeting.page("policy", "alice").storedUser());
    }

    @Test
    void overHttpsWithWss() throws Exception {
        startServer();
        browser = meeting.browser(meeting.trustServerCertificateFlag());
        joinAndCheck(meeting.page("policy", "alice").storedUser().https());
        assertThat(browser.js("return location.protocol")).isEqualTo("https:"); // so signalling went over wss://
    }
}
