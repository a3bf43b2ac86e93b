package dev.roomdeck.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roomdeck.Launcher;
import dev.roomdeck.RoomDeckServer;
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
    private static final Path IP = Path.of("/usr/sbin/ip");
    private static final String DEVICE = "rdtest0";
    private static final String ADDRESS = "10.77.0.1";
    /** The watcher reads every 3 s and acts on the second read that agrees: 6 s, plus room for a busy machine. */
    private static final Duration FOLLOWS = Duration.ofSeconds(20);

    private boolean made;

    @AfterEach
    void removeTheInterface() {
        // Other tests (and every browser test) assume only loopback is up: it goes even when the test failed.
        if (made) {
            ip("link", "del", DEVICE);
            made = false;
        }
        assertThat(BrowserTests.nonLoopbackInterfacesUp()).as("only loopback up again").isEmpty();
    }

    @Test
    void mediaCertificateJoinUrlsAndTheSelfCheckFollowANewAddressAndLetItGoAgain() throws Exception {
        assumeTrue(Files.isExecutable(IP), "needs " + IP + " (iproute2) to make a test interface");
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

            addInterface();

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

            removeInterface();

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

    /**
     * {@value #DEVICE} with {@value #ADDRESS}/24, up: a dummy interface, or, where the kernel has no dummy driver,
     * one end of a veth pair (both ends up, so that it has a carrier and counts as up). Skips without permission.
     */
    private void addInterface() {
        Result dummy = run("link", "add", DEVICE, "type", "dummy");
        if (dummy.code() != 0 && dummy.output().contains("Unknown device type")) {
            Result veth = run("link", "add", DEVICE, "type", "veth", "peer", "name", DEVICE + "p");
            assumeTrue(veth.code() == 0, () -> "cannot make a test interface: " + veth.output());
            made = true;
            ip("link", "set", DEVICE + "p", "up");
        } else {
            assumeTrue(dummy.code() == 0, () -> "cannot make a test interface: " + dummy.output());
            made = true;
        }
        ip("addr", "add", ADDRESS + "/24", "dev", DEVICE);
        ip("link", "set", DEVICE, "up");
    }

    private void removeInterface() {
        ip("link", "del", DEVICE); // a veth pair goes as a whole
        made = false;
    }

    private record Result(int code, String output) {
    }

    private static void ip(String... args) {
        Result r = run(args);
        if (r.code() != 0) {
            throw new IllegalStateException("ip " + String.join(" ", args) + " failed: " + r.output());
        }
    }

    private static Result run(String... args) {
        List<String> argv = new ArrayList<>(List.of(IP.toString()));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out.trim());
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
