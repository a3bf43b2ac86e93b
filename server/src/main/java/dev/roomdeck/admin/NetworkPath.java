package dev.roomdeck.admin;

import java.util.List;

/**
 * One peer's network path as the console's network doctor shows it: the pair ICE selected, how long finding it
 * took, and the doctor's verdict with its findings in plain words.
 *
 * @param protocol      "udp" or "tcp" of the selected pair; null until ICE selected one
 * @param localAddress  this PC's side of the pair, "10.0.0.5:10000"; null until then
 * @param remoteAddress the device's side; null until then
 * @param remoteType    the device's candidate type: "prflx" (browsers hide their host address), "host", ...; null
 * @param iceMillis     how long ICE took; -1 until it finished
 * @param jitterMillis  the worst jitter of the media the peer sends us (0 when it sends none)
 * @param verdict       what the operator should make of it
 * @param findings      what is off and its likely causes, in plain words; empty when all is well
 */
public record NetworkPath(String protocol, String localAddress, String remoteAddress, String remoteType,
                          long iceMillis, double jitterMillis, Verdict verdict, List<String> findings) {
    public NetworkPath {
        findings = List.copyOf(findings);
    }

    public enum Verdict {
        /** Media flows and nothing looks wrong. */
        OK,
        /** Joined less than {@link NetworkDoctor#GRACE} ago and media is not up yet: give it time. */
        CONNECTING,
        /** Media flows, but over TCP, or with loss, delay or jitter a LAN should not have. */
        WARNING,
        /** No media {@link NetworkDoctor#GRACE} after joining: the findings say why, as far as the server can tell. */
        NO_MEDIA
    }

    /** Before the doctor has looked (tests, snapshots without media). */
    public static final NetworkPath UNKNOWN = new NetworkPath(null, null, null, null, -1, 0, Verdict.CONNECTING,
            List.of());
}
