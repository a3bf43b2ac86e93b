package dev.roomdeck.sdp;

/** SDP that cannot be parsed or negotiated; the message is a sentence a person can act on. */
public final class SdpException extends Exception {
    private static final long serialVersionUID = 1L;

    public SdpException(String message) {
        super(message);
    }

    public SdpException(String message, Throwable cause) {
        super(message, cause);
    }
}
