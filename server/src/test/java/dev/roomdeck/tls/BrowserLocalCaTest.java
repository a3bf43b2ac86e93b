package dev.roomdeck.tls;

import static dev.roomdeck.browser.BrowserMeeting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.browser.Browser;
import dev.roomdeck.browser.BrowserMeeting;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Chromium trusting RoomDeck's local CA the way a device does after the /trust page: the CA, fetched from
 * {@code /trust/roomdeck-ca.crt} over plain HTTP, goes into a fresh NSS database ({@code certutil}, Debian's
 * libnss3-tools) in the browser's own HOME ({@code $HOME/.pki/nssdb}, where Chromium on Linux reads it), trusted for
 * websites only ({@code C,,}). Then {@code https://} and {@code wss://} load with no certificate error and two
 * pages decode each other. The same page with a HOME whose database lacks the CA shows the certificate error, so
 * the test can fail. No {@code --ignore-certificate-errors*} flag anywhere. Runs only in a loopback-only network
 * namespace (see .ci/test) and only where certutil is installed.
 */
class BrowserLocalCaTest {
    private static final Path CERTUTIL = Path.of("/usr/bin/certutil");

    @RegisterExtension
    final BrowserMeeting meeting = new BrowserMeeting()
            .onlyIf(() -> Files.isExecutable(CERTUTIL), "certutil (Debian package libnss3-tools) is not installed");

    @TempDir
    Path dir;

    private static void certutil(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CERTUTIL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("certutil " + command + ": " + out).isZero();
    }

    /** A HOME with a new, empty NSS database, and the CA in it if {@code ca} is given. */
    private Path home(String name, Path ca) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path nssdb = Files.createDirectories(home.resolve(".pki").resolve("nssdb"));
        certutil("-N", "-d", "sql:" + nssdb, "--empty-password");
        if (ca != null) {
            certutil("-A", "-d", "sql:" + nssdb, "-n", "RoomDeck local CA", "-t", "C,,", "-i", ca.toString());
            certutil("-L", "-d", "sql:" + nssdb, "-n", "RoomDeck local CA");
        }
        return home;
    }

    private Browser browser(Path home) {
        return meeting.browserWithEnvironment(Map.of("HOME", home.toString()));
    }

    @Test
    void withOnlyTheLocalCaInItsNssDatabaseChromiumJoinsOverHttpsAndWssWithNoCertificateError() throws Exception {
        TestServer server = meeting.startServer();
        // What a device does: fetch the CA from the trust page over plain HTTP.
        HttpResponse<byte[]> crt = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.http("/trust/roomdeck-ca.crt")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(crt.statusCode()).isEqualTo(200);
        Path ca = Files.write(dir.resolve("roomdeck-ca.crt"), crt.body());
        Path trusting = home("trusting", ca);

        for (String name : List.of("alice", "bob")) {
            Browser b = browser(trusting).recordWebSockets();
            meeting.join(b, meeting.page("localca", name).https());
            assertThat(b.js("return location.protocol")).isEqualTo("https:");
            assertThat(b.js("return window.isSecureContext")).isEqualTo(true);
            assertThat(b.driver().getPageSource()).doesNotContain("ERR_CERT");
        }
        Browser alice = meeting.browsers().get(0);
        Browser bob = meeting.browsers().get(1);
        meeting.awaitDecodes(bob, "alice", 10, Duration.ofSeconds(20));
        meeting.awaitDecodes(alice, "bob", 10, Duration.ofSeconds(20));
        for (Browser b : meeting.browsers()) {
            assertThat(b.webSockets()).asList()
                    .containsExactly("wss://127.0.0.1:" + server.server().httpsPort() + "/ws");
        }
    }

    @Test
    void theTrustPageLoadsOverPlainHttpWithItsStyleAndNoPolicyViolation() throws Exception {
        TestServer server = meeting.startServer();
        Browser b = browser(home("plain", null));
        b.open(meeting.httpUrl("/trust"));
        assertThat(b.js("return document.getElementById('fingerprint').textContent"))
                .isEqualTo(server.server().certificate().authorityFingerprint());
        assertThat(b.js("return getComputedStyle(document.getElementById('fingerprint')).fontFamily")).asString()
                .as("trust.css applied").contains("monospace");
        assertThat(b.js("return document.getElementById('mobileconfig').getAttribute('href')"))
                .isEqualTo("/trust/roomdeck-ca.mobileconfig");
        assertThat(b.pageErrors()).isEmpty();
    }

    @Test
    void withoutTheCaTheSamePageShowsTheCertificateError() throws Exception {
        TestServer server = meeting.startServer();
        Browser b = browser(home("untrusting", null));
        b.open(meeting.page("localca", "eve").https().url());
        eventually("the certificate error page", Duration.ofSeconds(20),
                () -> b.driver().getPageSource().contains("ERR_CERT_AUTHORITY_INVALID"));
        assertThat(b.js("return typeof window.roomdeck")).isEqualTo("undefined");
        assertThat(server.server().admin().snapshot().peerCount()).isZero();
    }
}
