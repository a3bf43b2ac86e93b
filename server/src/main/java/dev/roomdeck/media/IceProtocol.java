package dev.roomdeck.media;

/** What carries a peer's ICE checks and media: UDP, or TCP where a network drops UDP (RFC 6544). */
public enum IceProtocol {
    UDP,
    TCP;

    /** As SDP and getStats() spell it: "udp" or "tcp". */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
