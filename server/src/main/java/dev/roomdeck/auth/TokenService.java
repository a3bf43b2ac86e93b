package dev.roomdeck.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;

/**
 * Join tokens: JWT HS256 signed with the appkey's secret. Checked: {@code room}, {@code user}, {@code exp}, and
 * {@code appkey} when present. Tokens this server mints also carry {@code iat} and, from the token endpoint, what
 * RTCEngine SDKs read ({@link SdkClaims}). An application server that holds the secret can mint tokens itself.
 */
public final class TokenService {
    private final AppKeys appKeys;
    private final Clock clock;

    public TokenService(AppKeys appKeys, Clock clock) {
        this.appKeys = appKeys;
        this.clock = clock;
    }

    /** A token with appkey, room, user, iat and exp: what a RoomDeck client (which knows the server) needs. */
    public String issue(String appKey, String room, String user, Duration ttl) throws TokenException {
        return issue(appKey, room, user, ttl, null);
    }

    /** A token that also tells RTCEngine SDKs where the server is and which ICE servers to use (sdk may be null). */
    public String issue(String appKey, String room, String user, Duration ttl, SdkClaims sdk) throws TokenException {
        byte[] secret = appKeys.secret(appKey)
                .orElseThrow(() -> new TokenException("unknown-appkey", "appkey '" + appKey + "' is not known to this server"));
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        if (sdk != null) {
            sdk.claims().forEach(builder::claim);
        }
        JWTClaimsSet claims = builder
                .claim("appkey", appKey)
                .claim("room", room)
                .claim("user", user)
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(ttl)))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
    }

    /**
     * Checks signature (with the secret of the appkey the client names), algorithm, expiry, and that the token was
     * made for this room and user, and for this appkey when it names one (a token without the claim is one that
     * only this appkey's secret could sign).
     */
    public void verify(String appKey, String token, String room, String user) throws TokenException {
        byte[] secret = appKeys.secret(appKey)
                .orElseThrow(() -> new TokenException("unknown-appkey", "appkey '" + appKey + "' is not known to this server"));
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new TokenException("bad-token", "the token is not a JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new TokenException("bad-token", "the token must be signed with HS256");
        }
        try {
            if (!jwt.verify(new MACVerifier(secret))) {
                throw new TokenException("bad-token", "the token's signature does not match the appkey's secret");
            }
        } catch (JOSEException e) {
            throw new TokenException("bad-token", "the token's signature cannot be checked: " + e.getMessage());
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenException("bad-token", "the token's claims are not valid JSON");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new TokenException("bad-token", "the token has no exp claim");
        }
        if (!exp.toInstant().isAfter(clock.instant())) {
            throw new TokenException("token-expired", "the token expired at " + exp.toInstant());
        }
        Object tokenAppKey = claims.getClaim("appkey");
        if (tokenAppKey != null && !appKey.equals(tokenAppKey)) {
            throw new TokenException("token-mismatch", "the token was made for appkey '" + tokenAppKey
                    + "', not appkey '" + appKey + "'");
        }
        Object tokenRoom = claims.getClaim("room");
        Object tokenUser = claims.getClaim("user");
        if (!Objects.equals(room, tokenRoom) || !Objects.equals(user, tokenUser)) {
            throw new TokenException("token-mismatch", "the token was made for room '" + tokenRoom + "' and user '"
                    + tokenUser + "', not room '" + room + "' and user '" + user + "'");
        }
    }
}
