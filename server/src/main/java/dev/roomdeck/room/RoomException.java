package dev.roomdeck.room;

/** A refused room operation; {@link #code()} is the protocol error code sent back to that client only. */
public class RoomException extends Exception {
    private final String code;

    public RoomException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
