package dev.roomdeck.room;

/** The seam between rooms and media: gives each peer its transport and forwarding state. */
public interface MediaPlane {
    PeerMedia open(String roomId, String peerId);

    /** Mutes in a room changed (owner, operator or a subscriber's own); called under the room's lock. */
    default void mutesChanged(Room room) {
    }
}
