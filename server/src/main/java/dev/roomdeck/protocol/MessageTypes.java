package dev.roomdeck.protocol;

/** The protocol's message names, as they appear in the envelope's "type". */
public final class MessageTypes {
    public static final String JOIN = "join";
    public static final String JOINED = "joined";
    public static final String ADD_STREAM = "addStream";
    public static final String STREAM_ADDED = "streamAdded";
    public static final String REMOVE_STREAM = "removeStream";
    public static final String OFFER = "offer";
    public static final String ANSWER = "answer";
    public static final String CONFIGURE = "configure";
    public static final String LEAVE = "leave";
    public static final String PEER_CONNECTED = "peerConnected";
    public static final String PEER_REMOVED = "peerRemoved";
    public static final String MESSAGE = "message";
    public static final String ERROR = "error";
    /** Extension: the client could not apply the server's offer and asks for a fresh one. */
    public static final String RENEGOTIATE = "renegotiate";

    private MessageTypes() {
    }
}
