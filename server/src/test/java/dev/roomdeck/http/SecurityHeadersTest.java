package dev.roomdeck.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** What every answer says about itself: a CSP that fits the bundled client, nosniff, a referrer policy, no version. */
class SecurityHeadersTest {
    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertCarefulHeaders(HttpResponse<String> res, String host) {
        assertThat(res.statusCode()).isEqualTo(200);
        String csp = res.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                "frame-ancestors 'self'", "base-uri 'none'",
                "connect-src 'self' ws://" + host + " wss://" + host);
        assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(res.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(res.headers().firstValue("Referrer-Policy")).contains("same-origin");
        assertThat(res.headers().firstValue("X-Frame-Options")).contains("SAMEORIGIN");
        assertThat(res.headers().firstValue("Server")).isEmpty();
    }

    @Test
    void thePageAndItsFilesCarryTheHeadersOnHttp() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpClient http = HttpClient.newHttpClient();
            String host = "127.0.0.1:" + server.server().httpPort();
            for (String path : new String[] {"/", "/index.html", "/app.js", "/rtcengine.js", "/style.css"}) {
                assertCarefulHeaders(get(http, server.http(path)), host);
            }
            HttpResponse<String> js = get(http, server.http("/app.js"));
            assertThat(js.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
            // The API and status answers too: nosniff matters most for JSON, and no version anywhere.
            HttpResponse<String> health = get(http, server.http("/health"));
            assertThat(health.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(health.headers().firstValue("Server")).isEmpty();
            HttpResponse<String> missing = get(http, server.http("/no-such-file.js"));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Server")).isEmpty();
            assertThat(missing.body()).doesNotContainIgnoringCase("jetty");
        }
    }

    @Test
    void andOnHttps() throws Exception {
        try (TestServer server = TestServer.start()) {
            X509Certificate cert = TestCertificates.readPem(server.server().certificate().file()).get(0);
            HttpClient https = HttpClient.newBuilder().sslContext(TestCertificates.trusting(cert)).build();
            String host = "localhost:" + server.server().httpsPort();
            assertCarefulHeaders(get(https, URI.create("https://" + host + "/")), host);
            assertCarefulHeaders(get(https, URI.create("https://" + host + "/app.js")), host);
        }
    }

    @Test
    void theWebSocketHostsInThePolicyComeOnlyFromAPlainHostHeader() {
        assertThat(SecurityHeaders.policy("meeting-pc.local:7443"))
                .endsWith("connect-src 'self' ws://meeting-pc.local:7443 wss://meeting-pc.local:7443");
        assertThat(SecurityHeaders.policy("[fd00::1]:7443")).endsWith("ws://[fd00::1]:7443 wss://[fd00::1]:7443");
        assertThat(SecurityHeaders.policy("evil; script-src *")).isEqualTo(SecurityHeaders.CSP_FIXED);
        assertThat(SecurityHeaders.policy(null)).isEqualTo(SecurityHeaders.CSP_FIXED);
    }
}
