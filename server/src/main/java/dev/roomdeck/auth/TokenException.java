package dev.roomdeck.auth;

/** A token refused; {@link #code()} is the protocol's error code (unknown-appkey, bad-token, token-expired, token-mismatch). */
public final class TokenException extends Exception {
    private final String code;

    public TokenException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
