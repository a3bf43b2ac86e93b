package dev.roomdeck.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RoomDeck's own certificate authority: made once per data folder, kept across restarts, its key owner-only; the
 * HTTPS certificate is issued by it, chains to it, and is re-issued when this PC's names change while the CA stays.
 */
class LocalCertificateAuthorityTest {
    private static final CertificateNames NAMES =
            new CertificateNames(List.of("roompc", "roompc.local", "localhost"), List.of("127.0.0.1", "192.168.1.20"));

    @TempDir
    Path dataDir;

    private ServerConfig config() {
        return ServerConfig.defaults().withBind("127.0.0.1").withPorts(0, 0).withDataDir(dataDir);
    }

    /** Validates the chain as a browser that trusts only {@code ca} would (PKIX, no revocation: a local CA has none). */
    private static void assertChainsTo(X509Certificate leaf, X509Certificate ca, Instant at) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }

    @Test
    void theCaIsMadeOnceWithTheHostNameAndLongValidityAndIsACaForServerCertificatesOnly() throws Exception {
        Instant now = Instant.now();
        ServerCertificate server = ServerCertificate.forConfig(config(), NAMES, now);
        X509Certificate ca = server.authority().orElseThrow();

        assertThat(ca.getSubjectX500Principal().getName()).contains("CN=RoomDeck local CA (roompc)");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal()); // a root
        assertThat(ca.getBasicConstraints()).as("CA:true, pathlen 0").isEqualTo(0);
        boolean[] usage = ca.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(usage[0]).as("digitalSignature").isFalse();
        assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15"); // basicConstraints, keyUsage
        assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()).toDays())
                .isGreaterThanOrEqualTo(3650);

        CertificateInfo info = server.info();
        assertThat(info.mode()).isEqualTo(CertificateInfo.Mode.LOCAL_CA);
        assertThat(info.generated()).isTrue();
        assertThat(info.authorityFingerprint()).isEqualTo(CertificateInfo.fingerprint(ca));
        assertThat(info.authorityFile()).isEqualTo(dataDir.resolve("tls").resolve("roomdeck-ca.crt"));
        assertThat(TestCertificates.readPem(info.authorityFile())).containsExactly(ca);
    }

    @Test
    void theCaKeyIsOwnerOnlyAndTheCaIsReusedOnEveryRestartWithTheSameDataFolder() throws Exception {
        Instant now = Instant.now();
        ServerCertificate first = ServerCertificate.forConfig(config(), NAMES, now);
        Path key = dataDir.resolve("tls").resolve("roomdeck-ca.key");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("tls").resolve("roomdeck.key")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        String keyText = Files.readString(key);

        for (int restart = 0; restart < 2; restart++) {
            ServerCertificate again = ServerCertificate.forConfig(config(), NAMES, now.plus(Duration.ofMinutes(restart + 1)));
            assertThat(again.authority()).contains(first.authority().orElseThrow());
            assertThat(again.info().fingerprint()).as("the HTTPS certificate is kept too").isEqualTo(first.info().fingerprint());
        }
        assertThat(Files.readString(key)).isEqualTo(keyText);
    }

    @Test
    void theHttpsCertificateIsIssuedByTheCaAndChainsToIt() throws Exception {
        Instant now = Instant.now();
        ServerCertificate server = ServerCertificate.forConfig(config(), NAMES, now);
        X509Certificate ca = server.authority().orElseThrow();
        X509Certificate leaf = server.certificate();

        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        leaf.verify(ca.getPublicKey());
        assertChainsTo(leaf, ca, now);
        assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
        assertThat(leaf.getSubjectAlternativeNames()).contains(List.of(2, "roompc"), List.of(2, "roompc.local"),
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "192.168.1.20"));
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).toDays())
                .as("browsers refuse server certificates valid for more than 398 days").isLessThanOrEqualTo(397);
        // The TLS server presents the certificate, then the CA.
        assertThat(TestCertificates.readPem(server.info().file())).containsExactly(leaf, ca);
    }

    @Test
    void aNamesChangeReissuesTheHttpsCertificateAndKeepsTheCa() throws Exception {
        Instant now = Instant.now();
        ServerCertificate before = ServerCertificate.forConfig(config(), NAMES, now);
        CertificateNames moved = new CertificateNames(List.of("roompc", "localhost"), List.of("127.0.0.1", "10.0.0.7"));
        ServerCertificate after = ServerCertificate.forConfig(config(), moved, now.plusSeconds(60));

        assertThat(after.info().fingerprint()).isNotEqualTo(before.info().fingerprint());
        assertThat(after.info().names()).contains("10.0.0.7");
        assertThat(after.authority()).contains(before.authority().orElseThrow());
        assertThat(after.info().authorityFingerprint()).isEqualTo(before.info().authorityFingerprint());
        assertChainsTo(after.certificate(), before.authority().orElseThrow(), now.plusSeconds(60));
    }

    @Test
    void nearingExpiryReissuesTheHttpsCertificateAndKeepsTheCa() throws Exception {
        Instant now = Instant.now();
        ServerCertificate before = ServerCertificate.forConfig(config(), NAMES, now);
        Instant later = now.plus(Duration.ofDays(380));
        ServerCertificate after = ServerCertificate.forConfig(config(), NAMES, later);
        assertThat(after.info().fingerprint()).isNotEqualTo(before.info().fingerprint());
        assertThat(after.authority()).isEqualTo(before.authority());
        assertChainsTo(after.certificate(), after.authority().orElseThrow(), later);
    }

    @Test
    void aSelfSignedCertificateOfAnOlderRoomDeckIsReplacedByOneFromTheCa() throws Exception {
        Instant now = Instant.now();
        Path tls = dataDir.resolve("tls");
        Files.createDirectories(tls);
        Credentials old = LocalCertificateAuthority.generate("other", now); // any certificate not from this CA
        Files.writeString(tls.resolve("roomdeck.key"), PemFiles.pem(old.key()));
        Files.writeString(tls.resolve("roomdeck.crt"), PemFiles.pem(old.chain()));

        ServerCertificate server = ServerCertificate.forConfig(config(), NAMES, now);
        assertThat(server.certificate()).isNotEqualTo(old.certificate());
        assertChainsTo(server.certificate(), server.authority().orElseThrow(), now);
    }

    @Test
    void nearTheCasEndANewCaIsMadeAndNoCertificateOutlivesItsCa() throws Exception {
        Instant now = Instant.now();
        ServerCertificate first = ServerCertificate.forConfig(config(), NAMES, now);
        Instant caEnd = first.authority().orElseThrow().getNotAfter().toInstant();

        // A year before the CA ends: the certificate issued then ends with the CA, not 397 days later.
        Instant lateInLife = caEnd.minus(Duration.ofDays(200));
        ServerCertificate late = ServerCertificate.forConfig(config(), NAMES, lateInLife);
        assertThat(late.authority()).isEqualTo(first.authority());
        assertThat(late.certificate().getNotAfter().toInstant()).isBeforeOrEqualTo(caEnd);

        ServerCertificate renewed = ServerCertificate.forConfig(config(), NAMES, caEnd.minus(Duration.ofDays(10)));
        assertThat(renewed.authority()).isNotEqualTo(first.authority());
        assertChainsTo(renewed.certificate(), renewed.authority().orElseThrow(), caEnd.minus(Duration.ofDays(10)));
    }

    @Test
    void deletingTheCaFilesMakesANewCaAndANewCertificateFromIt() throws Exception {
        Instant now = Instant.now();
        ServerCertificate first = ServerCertificate.forConfig(config(), NAMES, now);
        Files.delete(dataDir.resolve("tls").resolve("roomdeck-ca.crt"));
        Files.delete(dataDir.resolve("tls").resolve("roomdeck-ca.key"));

        ServerCertificate second = ServerCertificate.forConfig(config(), NAMES, now);
        assertThat(second.authority()).isNotEqualTo(first.authority());
        assertChainsTo(second.certificate(), second.authority().orElseThrow(), now);
    }
}
