package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class RemoteParametersTest {
    private static RemoteParameters withSetup(String setup) {
        return new RemoteParameters("ufrag", "password-password-pass", "SHA-256", "AB:CD", setup, null);
    }

    @Test
    void setupDecidesTheDtlsRole() {
        assertThat(withSetup("active").weAreDtlsClient()).isFalse();
        assertThat(withSetup("active").localSetup()).isEqualTo("passive");
        assertThat(withSetup("passive").weAreDtlsClient()).isTrue();
        assertThat(withSetup("actpass").weAreDtlsClient()).isTrue();
        assertThat(withSetup("ACTPASS").localSetup()).isEqualTo("active");
    }

    @Test
    void normalisesAndDefaults() {
        RemoteParameters p = withSetup("active");
        assertThat(p.fingerprintAlgorithm()).isEqualTo("sha-256");
        assertThat(p.candidates()).isEqualTo(List.of());
    }

    @Test
    void rejectsWhatCannotWork() {
        assertThatThrownBy(() -> withSetup("holdconn")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RemoteParameters("u", "p", "md5", "AB", "active", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RemoteParameters(" ", "p", "sha-256", "AB", "active", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RemoteParameters("u", null, "sha-256", "AB", "active", List.of()))
                .isInstanceOf(NullPointerException.class);
    }
}
