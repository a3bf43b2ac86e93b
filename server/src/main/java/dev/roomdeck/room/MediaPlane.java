package dev.roomdeck.room;

/** The seam between rooms and media: gives each peer its transport and forwarding state. */
public interface MediaPlane {
    /** A new peer's media; {@code onFailure} is called (from a media thread) if its media dies. */
    PeerMedia open(Room room, String peerId, MediaFailure onFailure);

    /** Mutes in a room changed (owner, operator or a subscriber's own); called under the room's lock. */
    default void mutesChanged(Room room) {
    }
}
