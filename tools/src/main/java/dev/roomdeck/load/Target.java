package dev.roomdeck.load;

import java.util.List;

/** A server the generator loads: RoomDeck through its own protocol, or Janus through the VideoRoom API. */
interface Target extends AutoCloseable {
    String name();

    /** Whether a publisher's own connection also receives the room's other publishers (else the generator adds one). */
    boolean publishersReceiveEachOther();

    /** Connects a publisher of these sources; returns once its transport is READY and the server takes its media. */
    LoadPeer publisher(int room, String name, List<Source> sources, int[] receives) throws Exception;

    /** Connects a receiver of these streams (stream indexes of publishers already connected); returns when READY. */
    LoadPeer subscriber(int room, String name, int[] receives) throws Exception;

    /**
     * Asks for the largest video {@code peer} wants of the publisher {@code publisher}'s video (RoomDeck's videoSize:
     * which simulcast layer it gets).
     */
    default void videoSize(LoadPeer peer, String publisher, int width, int height) {
        throw new UnsupportedOperationException(name() + " takes no videoSize");
    }

    @Override
    void close();
}
