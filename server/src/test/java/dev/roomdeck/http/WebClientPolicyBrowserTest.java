package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.browser.Browser;
import dev.roomdeck.browser.BrowserTests;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.tls.TestCertificates;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled web client works under the server's Content-Security-Policy and its origin rules: in Chromium, over
 * http:// and https://, it gets a token, opens /ws (wss://) and publishes, and the page reports no CSP violation.
 * The policy is really in force: an inline script added to the page is blocked and reported. allowedOrigins names
 * only a foreign app here, so the page passes as the server's own. Runs in a loopback-only network namespace.
 */
class WebClientPolicyBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestServer server;
    private Browser browser;

    @BeforeAll
    static void guard() {
        BrowserTests.assumeBrowserCanRun();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void startServer() throws Exception {
        server = TestServer.start(c -> c.withAppKeys(Map.of(ServerConfig.DEFAULT_APPKEY, TestServer.SECRET))
                .withApps(new ServerConfig.Apps(List.of("https://app.example.com"), null, List.of(), "all")));
    }

    /** Chromium trusting the generated certificate's key, as a browser whose user accepted it. */
    private String trustFlag() throws Exception {
        byte[] spki = TestCertificates.readPem(server.server().certificate().file()).get(0).getPublicKey().getEncoded();
        return "--ignore-certificate-errors-spki-list="
                + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    }

    private void joinAndCheck(String base) {
        browser.open(base + "/?room=policy&autojoin=1&name=alice");
        browser.waitFor("window.roomdeck.state === 'joined' && window.roomdeck.client.published", WAIT);
        assertThat(browser.pageErrors()).as("page errors, CSP violations included").isEmpty();

        browser.js("const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true;';"
                + " document.head.append(s);");
        browser.waitFor("window.__pageErrors.some(e => e.startsWith('CSP violation: script-src'))", Duration.ofSeconds(5));
        assertThat(browser.js("return window.__inlineRan === true")).isEqualTo(false);
    }

    @Test
    void overHttp() throws Exception {
        startServer();
        browser = Browser.start();
        joinAndCheck("http://127.0.0.1:" + server.server().httpPort());
    }

    @Test
    void overHttpsWithWss() throws Exception {
        startServer();
        browser = Browser.start(trustFlag());
        joinAndCheck("https://127.0.0.1:" + server.server().httpsPort());
        assertThat(browser.js("return location.protocol")).isEqualTo("https:"); // so signalling went over wss://
    }
}
