package dev.roomdeck.sdp;

/**
 * What a client's SDP says about its end of the (bundled) transport: ICE credentials, DTLS certificate fingerprint
 * and DTLS role.
 *
 * @param fingerprint colon-separated upper- or lower-case hex pairs as written, e.g. "AB:CD:..."
 * @param setup "active", "passive" or "actpass"; "active" when the SDP has no a=setup (RFC 4145's default)
 */
public record TransportDescription(String iceUfrag, String icePwd, String fingerprintAlgorithm, String fingerprint,
                                   String setup) {
}
