package dev.roomdeck.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomdeck.config.ConfigException;
import dev.roomdeck.config.ConfigLoader;
import dev.roomdeck.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's own certificate: PKCS#12 or PEM; every mistake refused with the setting's name. */
class SuppliedCertificateTest {
    private static TestCertificates.Issued issued;
    private static TestCertificates.Issued other;

    @TempDir
    Path dir;

    @BeforeAll
    static void issue() throws Exception {
        issued = TestCertificates.rsaFor127();
        other = TestCertificates.rsaFor127();
    }

    private ServerConfig with(Path certificate, Path key, String password) {
        ServerConfig c = ServerConfig.defaults().withBind("127.0.0.1").withPorts(0, 0).withDataDir(dir);
        return c.withTls(c.tls().withCertificate(certificate, key, password));
    }

    private CertificateInfo load(Path certificate, Path key, String password) {
        ServerConfig config = with(certificate, key, password);
        ConfigLoader.validate(config);
        return ServerCertificate.forConfig(config).info();
    }

    @Test
    void aPkcs12FileWithItsPasswordIsUsedAsItIs() throws Exception {
        Path p12 = TestCertificates.writePkcs12(issued, dir.resolve("server.p12"), "s3cret");
        CertificateInfo info = load(p12, null, "s3cret");
        assertThat(info.generated()).isFalse();
        assertThat(info.keyType()).isEqualTo("RSA 2048");
        assertThat(info.names()).containsExactly("localhost", "127.0.0.1");
        assertThat(info.fingerprint()).isEqualTo(CertificateInfo.fingerprint(issued.certificate()));
        assertThat(info.file()).isEqualTo(p12);
        assertThat(info.mode()).isEqualTo(CertificateInfo.Mode.SUPPLIED);
        assertThat(info.authorityFingerprint()).as("no local CA").isNull();
        assertThat(Files.exists(dir.resolve("tls"))).as("nothing generated").isFalse();
    }

    @Test
    void aPemCertificateWithItsKeyInASecondFileOrInTheSameFile() throws Exception {
        Path crt = TestCertificates.writePemCertificate(issued, dir.resolve("server.crt"));
        Path key = TestCertificates.writePemKey(issued.keys(), dir.resolve("server.key"));
        assertThat(load(crt, key, null).fingerprint()).isEqualTo(CertificateInfo.fingerprint(issued.certificate()));

        Path both = dir.resolve("both.pem");
        Files.writeString(both, Files.readString(crt) + Files.readString(key));
        assertThat(load(both, null, null).fingerprint()).isEqualTo(CertificateInfo.fingerprint(issued.certificate()));
    }

    @Test
    void mistakesAreRefusedNamingTheSetting() throws Exception {
        Path p12 = TestCertificates.writePkcs12(issued, dir.resolve("server.p12"), "s3cret");
        Path crt = TestCertificates.writePemCertificate(issued, dir.resolve("server.crt"));
        Path otherKey = TestCertificates.writePemKey(other.keys(), dir.resolve("other.key"));
        Path notACertificate = Files.writeString(dir.resolve("notes.txt"), "hello");

        assertThatThrownBy(() -> load(p12, null, "wrong")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tlsPassword: wrong password");
        assertThatThrownBy(() -> load(crt, otherKey, null)).hasMessageStartingWith("tlsKey:")
                .hasMessageContaining("does not belong to the certificate");
        assertThatThrownBy(() -> load(crt, null, null)).hasMessageStartingWith("tlsKey: needed");
        assertThatThrownBy(() -> load(notACertificate, null, null)).hasMessageStartingWith("tlsCertificate:");
        assertThatThrownBy(() -> load(dir.resolve("missing.p12"), null, "x"))
                .hasMessageStartingWith("tlsCertificate: no such file");
        assertThatThrownBy(() -> load(p12, otherKey, "s3cret")).hasMessageStartingWith("tlsKey: a PKCS#12");
        assertThatThrownBy(() -> ConfigLoader.validate(with(null, otherKey, null))).hasMessageStartingWith("tlsKey:");
    }
}
