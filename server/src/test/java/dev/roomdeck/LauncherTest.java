package dev.roomdeck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.tls.CertificateInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What both launchers (headless server and console) print and how they treat flags. */
class LauncherTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Launcher.Parsed parse(String... args) {
        return Launcher.parse("roomdeck", args, print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }

    @Test
    void theBannerGivesTheHttpsJoinUrlAndTheCertificatesFingerprint() throws Exception {
        try (TestServer server = TestServer.start()) {
            RoomDeckServer s = server.server();
            Launcher.printBanner(print(out), s);

            CertificateInfo cert = s.certificate();
            String banner = out.toString(StandardCharsets.UTF_8);
            assertThat(banner).contains("join at:     https://127.0.0.1:" + s.httpsPort() + "/\n")
                    .contains("on this PC:  http://127.0.0.1:" + s.httpPort() + "/\n")
                    .contains("media port:  " + s.mediaPort() + " (udp; tcp where udp is blocked)")
                    .contains("SHA-256 " + cert.fingerprint())
                    .contains("issued by RoomDeck's local CA")
                    .contains("local CA:    SHA-256 " + cert.authorityFingerprint())
                    .contains("trust at:    http://127.0.0.1:" + s.httpPort() + "/trust ")
                    .doesNotContain("join at:     http:");
            assertThat(cert.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
            for (String name : cert.names()) {
                assertThat(banner).contains(name);
            }
        }
    }

    @Test
    void boundToAllInterfacesPeopleJoinAtEachLanAddressAndThisPcAtLocalhost() {
        ServerConfig any = ServerConfig.defaults();
        assertThat(Launcher.localUrl(any, 7080)).isEqualTo("http://localhost:7080/");
        assertThat(Launcher.joinUrls(any, "https", 7443)).isNotEmpty()
                .allMatch(u -> u.startsWith("https://") && u.endsWith(":7443/"));
        assertThat(Launcher.joinUrls(any.withBind("192.168.1.20"), "https", 7443))
                .containsExactly("https://192.168.1.20:7443/");
    }

    @Test
    void withASuppliedCertificateTheUrlsUseItsHostNamesAndOnlyTheAddressesItCovers() {
        CertificateInfo supplied = new CertificateInfo("AA", List.of("room.example.com", "*.example.com", "localhost",
                "127.0.0.1", "192.168.1.20"), "CN=room", "RSA 2048", Instant.EPOCH, Instant.EPOCH, false, null);
        ServerConfig onLan = ServerConfig.defaults().withBind("192.168.1.20");

        assertThat(Launcher.httpsJoinUrls(onLan, supplied, 7443))
                .containsExactly("https://room.example.com:7443/", "https://192.168.1.20:7443/");
        assertThat(Launcher.httpsJoinUrls(onLan.withBind("10.0.0.5"), supplied, 7443))
                .containsExactly("https://room.example.com:7443/");
        CertificateInfo generated = new CertificateInfo("AA", List.of("localhost", "127.0.0.1"), "CN=RoomDeck",
                "ECDSA P-256", Instant.EPOCH, Instant.EPOCH, true, null);
        assertThat(Launcher.httpsJoinUrls(onLan.withBind("10.0.0.5"), generated, 7443))
                .containsExactly("https://10.0.0.5:7443/");
    }

    @Test
    void ipv6AddressesAreBracketedWithoutTheirZone() throws Exception {
        assertThat(Launcher.url("https", InetAddress.getByName("fe80::1%1"), 7443))
                .isEqualTo("https://[fe80:0:0:0:0:0:0:1]:7443/");
    }

    @Test
    void flagsItDoesNotKnowEndWithTheMessageUsageAndExitCode2() {
        Launcher.Parsed p = parse("--http-prot", "80");

        assertThat(p.flags()).isNull();
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown options: '--http-prot'").contains("Usage: roomdeck");
    }

    @Test
    void helpEndsWithExitCode0AndKnownFlagsAreRead() {
        assertThat(parse("--help").exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--https-port");

        Launcher.Parsed p = parse("--https-port", "8443", "--no-http-redirect");
        assertThat(p.flags().httpsPort).isEqualTo(8443);
        assertThat(p.flags().httpRedirect).isFalse();
    }
}
