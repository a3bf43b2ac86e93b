package dev.roomdeck.media;

/** Life of one peer's transport: ICE, then DTLS, then SRTP keys. FAILED and CLOSED are final. */
public enum TransportState {
    NEW,
    /** ICE connectivity checks are running. */
    CHECKING,
    /** ICE selected a pair; DTLS has not started yet. */
    CONNECTED,
    DTLS_HANDSHAKE,
    /** SRTP keys are in place: media flows both ways. */
    READY,
    /** Something broke (see {@link PeerTransport#failureReason()}); the transport closes itself right after. */
    FAILED,
    CLOSED;

    public boolean isFinal() {
        return this == FAILED || this == CLOSED;
    }
}
