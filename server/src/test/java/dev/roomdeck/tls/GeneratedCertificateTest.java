package dev.roomdeck.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.config.Addresses;
import dev.roomdeck.config.ServerConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate RoomDeck makes for itself: what it is valid for, where it is kept, when it is made anew. */
class GeneratedCertificateTest {
    @TempDir
    Path dataDir;

    private ServerConfig config() {
        return ServerConfig.defaults().withBind("127.0.0.1").withPorts(0, 0).withDataDir(dataDir);
    }

    @Test
    void itNamesThisPcsNamesAndAddressesAndIsAnEcdsaServerCertificateIssuedForUnder398Days() throws Exception {
        ServerCertificate made = ServerCertificate.forConfig(config());
        CertificateInfo info = made.info();

        assertThat(info.names()).contains("localhost", "127.0.0.1");
        for (InetAddress lan : Addresses.lanAddresses()) {
            assertThat(info.names()).contains(lan.getHostAddress());
        }
        CertificateNames.hostName().ifPresent(host -> assertThat(info.names()).contains(host));
        assertThat(info.generated()).isTrue();
        assertThat(info.keyType()).isEqualTo("ECDSA P-256");
        assertThat(Duration.between(info.notBefore(), info.notAfter()).toDays()).isBetween(396L, 398L);
        assertThat(info.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");

        X509Certificate c = made.certificate();
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(c.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(c.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
        assertThat(c.getSubjectX500Principal().getName()).contains("RoomDeck");
        // The subject alternative names, as a browser reads them (type 2 = DNS name, 7 = IP address).
        assertThat(c.getSubjectAlternativeNames()).contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    }

    @Test
    void itIsKeptInTheDataFolderWithAnOwnerOnlyKeyAndReusedOnTheNextStart() throws Exception {
        ServerCertificate first = ServerCertificate.forConfig(config());
        Path crt = dataDir.resolve("tls").resolve("roomdeck.crt");
        Path key = dataDir.resolve("tls").resolve("roomdeck.key");
        assertThat(first.info().file()).isEqualTo(crt);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        // The file people install on their devices is the very certificate served.
        // The file holds the very certificate served, then the CA that issued it.
        assertThat(TestCertificates.readPem(crt)).containsExactly(first.certificate(), first.authority().orElseThrow());

        ServerCertificate second = ServerCertificate.forConfig(config());
        assertThat(second.info().fingerprint()).isEqualTo(first.info().fingerprint());
    }

    @Test
    void aNewAddressOfThisPcMakesANewCertificateThatCoversIt() {
        Instant now = Instant.now();
        CertificateNames before = new CertificateNames(List.of("roompc", "localhost"), List.of("127.0.0.1", "192.168.1.20"));
        CertificateNames moved = new CertificateNames(List.of("roompc", "localhost"), List.of("127.0.0.1", "10.0.0.7"));

        CertificateInfo first = ServerCertificate.forConfig(config(), before, now).info();
        CertificateInfo afterMove = ServerCertificate.forConfig(config(), moved, now).info();
        assertThat(afterMove.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(afterMove.names()).contains("10.0.0.7").doesNotContain("192.168.1.20");

        // Fewer names than it has (an interface went down) keep it: no new warning in every browser.
        CertificateNames fewer = new CertificateNames(List.of("localhost"), List.of("127.0.0.1"));
        assertThat(ServerCertificate.forConfig(config(), fewer, now).info().fingerprint()).isEqualTo(afterMove.fingerprint());
    }

    @Test
    void itIsRenewedAMonthBeforeItEnds() {
        Instant made = Instant.now();
        CertificateNames names = new CertificateNames(List.of("localhost"), List.of("127.0.0.1"));
        String first = ServerCertificate.forConfig(config(), names, made).info().fingerprint();

        assertThat(ServerCertificate.forConfig(config(), names, made.plus(Duration.ofDays(360))).info().fingerprint())
                .isEqualTo(first);
        CertificateInfo renewed = ServerCertificate.forConfig(config(), names, made.plus(Duration.ofDays(370))).info();
        assertThat(renewed.fingerprint()).isNotEqualTo(first);
        assertThat(renewed.notAfter()).isAfter(made.plus(Duration.ofDays(700)));
    }

    @Test
    void aDamagedKeptCertificateIsReplaced() throws Exception {
        String first = ServerCertificate.forConfig(config()).info().fingerprint();
        Files.writeString(dataDir.resolve("tls").resolve("roomdeck.crt"), "-----BEGIN CERTIFICATE-----\nbroken\n");
        CertificateInfo again = ServerCertificate.forConfig(config()).info();
        assertThat(again.fingerprint()).isNotEqualTo(first);
        assertThat(TestCertificates.readPem(again.file())).hasSize(2);
    }

    @Test
    void theHostNameIsReadWithoutANameLookupAndIsAValidDnsName() {
        CertificateNames.hostName().ifPresent(h -> assertThat(h).matches("[a-z0-9.-]+").doesNotStartWith("."));
    }

    @Test
    void aUrlHostMatchesOnlyTheNamesTheCertificateHas() {
        CertificateInfo info = new CertificateInfo("AA", List.of("roompc", "*.corp.example", "192.168.1.20"), "CN=x",
                "ECDSA P-256", Instant.EPOCH, Instant.EPOCH, true, null);
        assertThat(info.coversHost("192.168.1.20")).isTrue();
        assertThat(info.coversHost("ROOMPC")).isTrue();
        assertThat(info.coversHost("a.corp.example")).isTrue();
        assertThat(info.coversHost("a.b.corp.example")).isFalse();
        assertThat(info.coversHost("192.168.1.21")).isFalse();
    }
}
