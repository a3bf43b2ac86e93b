package dev.roomdeck.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
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

    @Test
    void aTokenAnAppServerMintedWithoutTheAppkeyClaimIsCheckedWithTheJoinsAppkey() throws Exception {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("room", "room").claim("user", "alice")
                .expirationTime(Date.from(now.plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        at(now).verify("app", jwt.serialize(), "room", "alice");
        assertThatThrownBy(() -> at(now).verify("default", jwt.serialize(), "room", "alice"))
                .isInstanceOf(TokenException.class).extracting("code").isEqualTo("bad-token");
    }

    @Test
    void aTokenThatNamesAnAppkeyIsForThatAppkeyOnly() throws Exception {
        // Two appkeys that happen to share a secret: the signature alone cannot tell them apart, the claim does.
        TokenService tokens = new TokenService(AppKeys.load(Map.of("app", SECRET, "other", SECRET), dir, "default"),
                Clock.systemUTC());
        String t = tokens.issue("app", "room", "alice", Duration.ofMinutes(10));
        tokens.verify("app", t, "room", "alice");
        assertThatThrownBy(() -> tokens.verify("other", t, "room", "alice"))
                .isInstanceOf(TokenException.class).hasMessageContaining("appkey 'app'")
                .extracting("code").isEqualTo("token-mismatch");
    }

    @Test
    void sdkClaimsAreAddedAsRtcConfigurationShapesThem() throws Exception {
        TokenService tokens = at(Instant.now());
        String t = tokens.issue("app", "room", "alice", Duration.ofMinutes(10), new SdkClaims("https://pc.lan:7443",
                java.util.List.of(new dev.roomdeck.config.ServerConfig.IceServer(java.util.List.of("turn:t.lan"), "u", "c"),
                        new dev.roomdeck.config.ServerConfig.IceServer(java.util.List.of("stun:s.lan"), null, null)),
                "relay"));
        JWTClaimsSet c = SignedJWT.parse(t).getJWTClaimsSet();
        assertThat(c.getStringClaim("wsUrl")).isEqualTo("https://pc.lan:7443");
        assertThat(c.getStringClaim("iceTransportPolicy")).isEqualTo("relay");
        assertThat(c.getStringClaim("appkey")).isEqualTo("app");
        assertThat(c.getIssueTime()).isNotNull();
        assertThat(c.getClaim("iceServers").toString())
                .isEqualTo("[{urls=[turn:t.lan], username=u, credential=c}, {urls=[stun:s.lan]}]");
        tokens.verify("app", t, "room", "alice");
    }
}
