package dev.roomdeck.room;

/**
 * How the room reaches one peer's client: the signalling connection (WebSocket or Socket.IO) implements it.
 * Calls never block: implementations queue and send asynchronously, in call order.
 */
public interface PeerLink {
    /** Sends a protocol message (type and data record) to the client. */
    void send(String type, Object data);

    /** Sends a reply to the request this client's connection is handling now (it echoes the request's id). */
    void reply(String type, Object data);

    /** Sends {@code leave {reason, message}} and closes the connection; the peer is already out of the room. */
    void close(String reason, String message);

    /** The client's address as the server sees it, for the operator. */
    String remoteAddress();
}
