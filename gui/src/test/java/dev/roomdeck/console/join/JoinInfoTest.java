package dev.roomdeck.console.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.tls.CertificateInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinInfoTest {
    private static CertificateInfo certificate(boolean generated) {
        return new CertificateInfo("AB:CD", List.of("localhost", "127.0.0.1"), "CN=room", "RSA 2048", Instant.EPOCH,
                Instant.EPOCH, generated, null);
    }

    @Test
    void withTheGeneratedCertificatePeopleAreToldToCheckTheFingerprintThenProceed() {
        JoinInfo join = new JoinInfo(List.of("https://192.168.1.20:7443/"), "http://localhost:7080/", certificate(true),
                "http://192.168.1.20:7080/trust");

        assertThat(join.shareUrl()).isEqualTo("https://192.168.1.20:7443/");
        assertThat(join.browserAdvice()).contains("http://192.168.1.20:7080/trust").contains("not trusted")
                .contains("check the fingerprint").contains("Advanced → Proceed");
    }

    @Test
    void withASuppliedCertificateThereIsNoWarningToClickThrough() {
        JoinInfo join = new JoinInfo(List.of(), "http://localhost:7080/", certificate(false));

        assertThat(join.shareUrl()).as("no LAN address: this PC only").isEqualTo("http://localhost:7080/");
        assertThat(join.browserAdvice()).doesNotContain("Proceed").doesNotContain("not trusted").contains("CN=room");
    }
}
