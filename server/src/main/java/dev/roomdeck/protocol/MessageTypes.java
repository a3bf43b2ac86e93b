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
    /** Extension: the join waits in a locked room's lobby. */
    public static final String LOBBY = "lobby";
    /** Extension: the operator stopped one of the client's streams. */
    public static final String STOP_STREAM = "stopStream";
    /** Extension: the dominant speaker and audio levels, for clients that asked at join. */
    public static final String SPEAKER = "speaker";
    /** Extension: the largest video a client wants of a stream (its tile's size), for simulcast layer choice. */
    public static final String VIDEO_SIZE = "videoSize";

    private MessageTypes() {
    }
}
