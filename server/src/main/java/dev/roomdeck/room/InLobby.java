package dev.roomdeck.room;

/** Not an error: the join waits in the locked room's lobby under {@code knockId} until the operator decides. */
public final class InLobby extends RoomException {
    private final String knockId;

    InLobby(String roomId, String knockId) {
        super("lobby", "The room is locked. The operator has been told you are here.");
        this.knockId = knockId;
    }

    public String knockId() {
        return knockId;
    }
}
