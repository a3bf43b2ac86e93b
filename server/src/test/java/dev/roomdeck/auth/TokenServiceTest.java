package dev.roomdeck.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private TokenService at(Instant now) {
        return new TokenService(AppKeys.load(Map.of("app", SECRET), dir, "default"), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenVerifiesForItsRoomAndUserOnly() throws Exception {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        TokenService tokens = at(now);
        String t = tokens.issue("app", "room", "alice", Duration.ofMinutes(10));
        tokens.verify("app", t, "room", "alice");
        assertThatThrownBy(() -> tokens.verify("app", t, "room", "bob"))
                .isInstanceOf(TokenException.class).extracting("code").isEqualTo("token-mismatch");
        assertThatThrownBy(() -> tokens.verify("app", t, "other", "alice"))
                .isInstanceOf(TokenException.class).extracting("code").isEqualTo("token-mismatch");
        assertThatThrownBy(() -> at(now.plus(Duration.ofMinutes(11))).verify("app", t, "room", "alice"))
                .isInstanceOf(TokenException.class).extracting("code").isEqualTo("token-expired");
        assertThatThrownBy(() -> tokens.verify("default", t, "room", "alice"))
                .isInstanceOf(TokenException.class).extracting("code").isEqualTo("bad-token");
    }

    @Test
    void theDefaultSecretIsMadeOnceAndKept() throws Exception {
        AppKeys first = AppKeys.load(Map.of(), dir, "default");
        AppKeys second = AppKeys.load(Map.of(), dir, "default");
        assertThat(first.secret("default").orElseThrow()).isEqualTo(second.secret("default").orElseThrow());
        assertThat(first.secret("default").orElseThrow().length).isGreaterThanOrEqualTo(32);
        assertThat(Files.readString(dir.resolve(AppKeys.FILE))).contains("default");
    }

    @Test
    void unsignedAndOtherAlgorithmTokensAreRefused() {
        TokenService tokens = at(Instant.now());
        String none = "eyJhbGciOiJub25lIn0.eyJyb29tIjoicm9vbSIsInVzZXIiOiJhbGljZSIsImV4cCI6OTk5OTk5OTk5OX0.";
        assertThatThrownBy(() -> tokens.verify("app", none, "room", "alice"))
                .isInstanceOf(TokenException.class).extracting("code").isEqualTo("bad-token");
    }
}
