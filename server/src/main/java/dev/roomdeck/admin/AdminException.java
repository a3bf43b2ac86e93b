package dev.roomdeck.admin;

/** An operator command that cannot be carried out (unknown room, peer or stream); the message says which. */
public final class AdminException extends Exception {
    private final String code;

    public AdminException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
