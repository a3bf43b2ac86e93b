package dev.roomdeck.signal;

/** A message refused by the signalling layer: answered with an {@code error} to that client only. */
public final class SignalException extends Exception {
    private final String code;

    public SignalException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
