package dev.roomdeck.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roomdeck.Launcher;
import dev.roomdeck.RoomDeckServer;
import dev.roomdeck.TestInterface;
import dev.roomdeck.TestServer;
import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.browser.BrowserTests;
import dev.roomdeck.client.MediaClient;
import dev.roomdeck.client.SignalClient;
import dev.roomdeck.tls.CertificateInfo;
import dev.roomdeck.tls.CertificateNames;
import dev.roomdeck.tls.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PC gets a new LAN address while the server runs: the test makes one (an interface of its own, {@value #DEVICE}
 * with {@value #ADDRESS}, in the loopback-only network namespace the tests run in: never outside one) and watches
 * media, the HTTPS certificate, the join URLs and the self-check follow it, then go back when it is removed. Real
 * sockets throughout: a client joining afterwards gets its media through the new address.
 */
class AddressChangeTest {
    private static final String DEVICE = "rdtest0";
    private static final String ADDRESS = "10.77.0.1";
    /** The watcher reads every 3 s and acts on the second read that agrees: 6 s, plus room for a busy machine. */
    private static final Duration FOLLOWS = Duration.ofSeconds(20);

    private TestInterface lan;

    @AfterEach
    void removeTheInterface() {
        // Other tests (and every browser test) assume only loopback is up: it goes even when the test failed.
        if (lan != null) {
            lan.close();
        }
        assertThat(BrowserTests.nonLoopbackInterfacesUp()).as("only loopback up again").isEmpty();
    }

    @Test
    void mediaCertificateJoinUrlsAndTheSelfCheckFollowANewAddressAndLetItGoAgain() throws Exception {
        BrowserTests.assumeLoopbackOnly();
        try (TestServer test = TestServer.start(c -> c.withBind("0.0.0.0").withAddresses(List.of(), null)
                .withPorts(0, 0, 0))) {
            RoomDeckServer server = test.server();
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            InetAddress added = InetAddress.getByName(ADDRESS);
            int mediaPort = server.mediaPort();
            int httpsPort = server.httpsPort();
            CertificateInfo before = server.certificate();
            X509Certificate ca = TestCertificates.readPem(before.authorityFile()).get(0);
            assertThat(server.mediaEndpoint().hostAddresses()).containsExactly(loopback);
            assertThat(before.coversHost(ADDRESS)).isFalse();
            assertThat(server.admin().snapshot().networkProblems()).anyMatch(p -> p.contains("only on loopback"));

            lan = TestInterface.add(DEVICE, ADDRESS);

            BrowserTests.eventually("media bound on " + ADDRESS, FOLLOWS,
                    () -> server.mediaEndpoint().hostAddresses().contains(added));
            // Detected addresses are the LAN ones: loopback only stood in while there were none.
            assertThat(server.mediaEndpoint().hostAddresses()).containsExactly(added);
            // The self-check runs right after the move; the certificate is issued before it.
            BrowserTests.eventually("self-check rerun", Duration.ofSeconds(5),
                    () -> server.admin().snapshot().networkProblems().isEmpty());
            ServerSnapshot snapshot = server.admin().snapshot();
            assertThat(snapshot.mediaAddresses()).containsExactly(ADDRESS);

            // A peer joining now is told the new address, UDP and TCP, on the same port.
            SignalClient bob = test.connect();
            bob.send("join", test.joinData("r1", "bob", TestServer.offer("bob-cam")));
            String answer = bob.await("joined", TestServer.WAIT).data().get("sdp").asText();
            List<String> candidates = answer.lines().filter(l -> l.startsWith("a=candidate:")).toList();
            assertThat(candidates).isNotEmpty().allMatch(l -> l.contains(" " + ADDRESS + " " + mediaPort + " typ host"));
            assertThat(candidates).anyMatch(l -> l.contains(" udp ") || l.contains(" UDP "));
            assertThat(candidates).anyMatch(l -> l.contains(" tcp ") || l.contains(" TCP "));
            // ... and its media gets through there (ICE, DTLS: real sockets, the only server candidate is the new one).
            MediaClient carol = test.media("r1", "carol", "carol-cam");
            carol.awaitReady(Duration.ofSeconds(15));

            // HTTPS at the new address: the re-issued certificate covers it (the JDK checks the IP against the
            // certificate's names, as a browser does), issued by the same CA the devices already trust.
            CertificateInfo after = server.certificate();
            assertThat(after.fingerprint()).isNotEqualTo(before.fingerprint());
            assertThat(after.names()).contains(ADDRESS);
            assertThat(after.authorityFingerprint()).isEqualTo(before.authorityFingerprint());
            HttpClient https = HttpClient.newBuilder().sslContext(TestCertificates.trusting(ca))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(
                    URI.create("https://" + ADDRESS + ":" + httpsPort + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            X509Certificate presented = (X509Certificate) health.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(CertificateNames.of(presented).ipAddresses()).contains(ADDRESS);
            assertThat(presented.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
            presented.verify(ca.getPublicKey());
            assertThat(presented.getSerialNumber()).isEqualTo(
                    TestCertificates.readPem(after.file()).get(0).getSerialNumber());

            // The join URLs follow by themselves.
            assertThat(Launcher.httpsJoinUrls(server)).containsExactly("https://" + ADDRESS + ":" + httpsPort + "/");

            lan.close();

            BrowserTests.eventually(ADDRESS + " gone from media", FOLLOWS,
                    () -> !server.mediaEndpoint().hostAddresses().contains(added));
            assertThat(server.mediaEndpoint().hostAddresses()).containsExactly(loopback);
            assertThat(Launcher.httpsJoinUrls(server)).containsExactly("https://127.0.0.1:" + httpsPort + "/");
            BrowserTests.eventually("self-check rerun", Duration.ofSeconds(5),
                    () -> server.admin().snapshot().networkProblems().stream().anyMatch(p -> p.contains("only on loopback")));
            // Fewer addresses keep the certificate: no new warning for devices that do not trust the CA.
            assertThat(server.certificate().fingerprint()).isEqualTo(after.fingerprint());
        }
    }
}
