package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
    private final DtlsCertificate cert = DtlsCertificate.generate();

    @Test
    void isASelfSignedP256CertificateTheJdkCanRead() throws Exception {
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert.der()));
        x509.verify(x509.getPublicKey());
        assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        x509.checkValidity();
    }

    @Test
    void fingerprintIsUpperCaseColonSeparatedSha256OfTheDer() throws Exception {
        assertThat(cert.fingerprintAlgorithm()).isEqualTo("sha-256");
        assertThat(cert.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.der());
        assertThat(cert.fingerprint().replace(":", "")).isEqualTo(HexFormat.of().withUpperCase().formatHex(digest));
        assertThat(DtlsCertificate.generate().fingerprint()).isNotEqualTo(cert.fingerprint());
    }

    @Test
    void otherSdpHashNamesWork() {
        assertThat(DtlsCertificate.fingerprint("SHA-1", cert.der())).hasSize(20 * 3 - 1);
        assertThat(DtlsCertificate.fingerprint("sha-512", cert.der())).hasSize(64 * 3 - 1);
        assertThat(DtlsCertificate.sameFingerprint(cert.fingerprint().toLowerCase(), " " + cert.fingerprint())).isTrue();
        assertThatThrownBy(() -> DtlsCertificate.fingerprint("md5", cert.der()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
