package dev.roomdeck.media;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the other side said in its SDP: ICE credentials, certificate fingerprint, DTLS setup role and its host
 * candidates (empty for the SFU, which learns the browser as a peer-reflexive candidate from its checks).
 *
 * @param setup the remote's {@code a=setup}: "active" makes us the DTLS server, "passive" the DTLS client,
 *              "actpass" (the remote offered) makes us pick client.
 */
public record RemoteParameters(String iceUfrag, String icePwd, String fingerprintAlgorithm, String fingerprint,
                               String setup, List<InetSocketAddress> candidates) {
    public RemoteParameters {
        requireText(iceUfrag, "iceUfrag");
        requireText(icePwd, "icePwd");
        requireText(fingerprint, "fingerprint");
        fingerprintAlgorithm = requireText(fingerprintAlgorithm, "fingerprintAlgorithm").toLowerCase(Locale.ROOT);
        DtlsCertificate.digestName(fingerprintAlgorithm); // fails early on an algorithm we cannot check
        setup = requireText(setup, "setup").toLowerCase(Locale.ROOT);
        if (!setup.equals("active") && !setup.equals("passive") && !setup.equals("actpass")) {
            throw new IllegalArgumentException("setup must be active, passive or actpass, not " + setup);
        }
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /** True when we run the DTLS client side of the handshake. */
    public boolean weAreDtlsClient() {
        return !setup.equals("active");
    }

    /** The {@code a=setup} value our answer (or reply) carries for this remote. */
    public String localSetup() {
        return weAreDtlsClient() ? "active" : "passive";
    }

    private static String requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        return value.trim();
    }
}
