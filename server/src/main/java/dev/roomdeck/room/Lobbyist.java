package dev.roomdeck.room;

/**
 * Someone waiting in a locked room's lobby: their signalling session, told the operator's decision. Called outside
 * the room's lock, from the operator's thread.
 */
public interface Lobbyist {
    /** Let in: join again; the lock no longer stops this user once. */
    void admitted();

    /** Not let in: tell the person. */
    void refused(String message);
}
