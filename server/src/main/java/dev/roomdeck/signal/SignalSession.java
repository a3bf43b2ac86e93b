package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.protocol.ErrorData;
import dev.roomdeck.protocol.LeaveData;
import dev.roomdeck.protocol.MessageTypes;
import dev.roomdeck.room.JoinRequest;
import dev.roomdeck.room.Lobbyist;
import dev.roomdeck.room.Peer;
import dev.roomdeck.room.PeerLink;
import dev.roomdeck.room.RoomEvent;
import dev.roomdeck.room.RoomException;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's signalling session: connected → joined → left. Messages arrive one at a time (the transport
 * delivers them serially); each goes to the handler of its type. A refused message gets an {@code error} to
 * this client only and the session carries on.
 */
public final class SignalSession implements PeerLink {
    private static final Logger LOG = LoggerFactory.getLogger(SignalSession.class);

    /** WAITING: the join waits in a locked room's lobby for the operator. */
    enum State { CONNECTED, WAITING, JOINED, LEFT, CLOSED }

    @FunctionalInterface
    interface Handler {
        void handle(SignalSession session, JsonNode data) throws SignalException, RoomException;
    }

    private static final Map<String, Handler> HANDLERS = Map.of(
            MessageTypes.JOIN, JoinHandler::join,
            MessageTypes.LEAVE, JoinHandler::leave,
            MessageTypes.ADD_STREAM, NegotiationHandler::addStream,
            MessageTypes.REMOVE_STREAM, NegotiationHandler::removeStream,
            MessageTypes.OFFER, NegotiationHandler::offer,
            MessageTypes.ANSWER, NegotiationHandler::answer,
            MessageTypes.RENEGOTIATE, NegotiationHandler::renegotiate,
            MessageTypes.CONFIGURE, ConfigureHandler::configure,
            MessageTypes.VIDEO_SIZE, ConfigureHandler::videoSize,
            MessageTypes.MESSAGE, MessageHandler::message);

    private final SignalServices services;
    private final Connection connection;
    private final RateLimiter rateLimiter;
    /** Optional token presented when the connection was opened (Socket.IO query), used when join has none. */
    private final String connectionToken;
    private volatile State state = State.CONNECTED;
    private volatile Peer peer;
    /** Id of the request being handled, echoed by {@link #reply}; read under {@link #handling}. */
    private JsonNode currentId;
    /**
     * One message at a time: the transport delivers them serially, and the operator's lobby decision (another
     * thread) joins on this session under the same lock. Taken before any room's lock, never inside one.
     */
    private final Object handling = new Object();
    /** While WAITING: the join that waits, its id, and its knock. */
    private JoinRequest lobbyRequest;
    private JsonNode lobbyJoinId;
    private String lobbyKnock;

    public SignalSession(SignalServices services, Connection connection, String connectionToken) {
        this.services = services;
        this.connection = connection;
        this.connectionToken = connectionToken;
        this.rateLimiter = new RateLimiter(services.config().limits().maxMessagesPerSecond(), System.nanoTime());
        services.sessions().add(this);
    }

    /** A text message from the client. */
    public void onText(String text) {
        if (state == State.CLOSED) {
            return;
        }
        ClientMessage msg;
        try {
            msg = services.codec().decode(text);
        } catch (SignalException e) {
            error(e.code(), e.getMessage(), null, services.codec().bestEffortId(text));
            return;
        }
        onMessage(msg.type(), msg.data(), msg.id());
    }

    /**
     * A message another transport already decoded (a Socket.IO event: its name, its first argument and its
     * acknowledgement id), checked and handled exactly like a text message. {@code type} is null when the
     * transport could read no message name; {@code data} null means {@code {}}.
     */
    public void onMessage(String type, JsonNode data, JsonNode id) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            if (type == null || type.isEmpty()) {
                throw new SignalException("bad-envelope",
                        "the message has no type (on Socket.IO, an event is 42[\"name\", {...}])");
            }
            if (data == null || data.isNull()) {
                data = services.codec().mapper().createObjectNode();
            } else if (!data.isObject()) {
                throw new SignalException("bad-envelope", "\"data\" must be a JSON object");
            }
            if (!rateLimiter.tryAcquire(System.nanoTime())) {
                throw new SignalException("rate-limited", "more than "
                        + services.config().limits().maxMessagesPerSecond() + " messages a second; slow down");
            }
            Handler handler = HANDLERS.get(type);
            if (handler == null) {
                throw new SignalException("unknown-type", "unknown message type '" + truncate(type) + "'");
            }
            synchronized (handling) {
                currentId = id;
                try {
                    handler.handle(this, data);
                } finally {
                    currentId = null;
                }
            }
        } catch (SignalException e) {
            error(e.code(), e.getMessage(), type, id);
        } catch (RoomException e) {
            error(e.code(), e.getMessage(), type, id);
        } catch (RuntimeException e) {
            LOG.error("internal error handling '{}' from {}", type, connection.remoteAddress(), e);
            error("internal-error", "the server failed to handle this message; it has been logged", type, id);
        }
    }

    /** A binary frame: the protocol is text only. */
    public void onBinary() {
        error("binary-not-supported", "signalling messages are JSON text frames", null, null);
    }

    /** The connection closed (by the client, the network or us): leave the room (or its lobby) at once. */
    public void onClosed() {
        Peer p = peer;
        State before = state;
        if (before == State.WAITING) {
            synchronized (handling) {
                if (lobbyRequest != null) {
                    services.rooms().withdrawKnock(lobbyRequest.roomId(), lobbyKnock);
                    lobbyRequest = null;
                }
            }
        }
        state = State.CLOSED;
        services.sessions().remove(this);
        if (p != null && before == State.JOINED) {
            services.rooms().leave(p, "disconnected", null);
        }
        peer = null;
    }

    // ---- PeerLink ----

    @Override
    public void send(String type, Object data) {
        if (state != State.CLOSED) {
            connection.sendText(services.codec().encode(type, data, null));
        }
    }

    @Override
    public void reply(String type, Object data) {
        if (state != State.CLOSED) {
            connection.sendText(services.codec().encode(type, data, currentId));
        }
    }

    @Override
    public void close(String reason, String message) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        peer = null;
        services.sessions().remove(this);
        connection.sendText(services.codec().encode(MessageTypes.LEAVE, new LeaveData(reason, message), null));
        connection.close(CloseCodes.forReason(reason), reason);
    }

    void ping() {
        if (state != State.CLOSED) {
            connection.ping();
        }
    }

    @Override
    public String remoteAddress() {
        return connection.remoteAddress();
    }

    // ---- for handlers ----

    SignalServices services() {
        return services;
    }

    State state() {
        return state;
    }

    String connectionToken() {
        return connectionToken;
    }

    /** The joined peer, or a not-joined error. */
    Peer requirePeer() throws SignalException {
        Peer p = peer;
        if (state != State.JOINED || p == null) {
            throw new SignalException("not-joined", "join a room first");
        }
        return p;
    }

    void joined(Peer p) {
        if (state == State.CLOSED) {
            return; // replaced or shut down while joining
        }
        peer = p;
        state = State.JOINED;
    }

    /** What the room tells when the operator decides on this session's knock. */
    Lobbyist lobbyist() {
        return new Lobbyist() {
            @Override
            public void admitted() {
                admittedFromLobby();
            }

            @Override
            public void refused(String message) {
                refusedFromLobby(message);
            }
        };
    }

    /** The join waits in the lobby (called while handling it, so currentId is the join's). */
    void waitInLobby(JoinRequest request, String knockId) {
        lobbyRequest = request;
        lobbyKnock = knockId;
        lobbyJoinId = currentId;
        if (state != State.CLOSED) {
            state = State.WAITING;
        }
    }

    /** leave while waiting: the knock is withdrawn. */
    void leaveLobby() {
        JoinRequest r = lobbyRequest;
        lobbyRequest = null;
        if (state == State.WAITING) {
            state = State.LEFT;
        }
        if (r != null) {
            services.rooms().withdrawKnock(r.roomId(), lobbyKnock);
        }
    }

    /** The operator let this session in: its join runs again and is answered with the join's id. */
    private void admittedFromLobby() {
        synchronized (handling) {
            JoinRequest r = lobbyRequest;
            if (state != State.WAITING || r == null) {
                return;
            }
            lobbyRequest = null;
            state = State.CONNECTED;
            JsonNode id = lobbyJoinId;
            currentId = id;
            try {
                JoinHandler.enter(this, r);
            } catch (RoomException e) {
                error(e.code(), e.getMessage(), MessageTypes.JOIN, id);
            } catch (RuntimeException e) {
                LOG.error("internal error joining {} from the lobby", r.peerId(), e);
                error("internal-error", "the server failed to handle this message; it has been logged", MessageTypes.JOIN, id);
            } finally {
                currentId = null;
            }
        }
    }

    private void refusedFromLobby(String message) {
        synchronized (handling) {
            if (state != State.WAITING) {
                return;
            }
            lobbyRequest = null;
            state = State.CONNECTED;
            error("join-refused", message, MessageTypes.JOIN, lobbyJoinId);
        }
    }

    void left() {
        peer = null;
        if (state != State.CLOSED) {
            state = State.LEFT;
        }
    }

    private void error(String code, String message, String request, JsonNode id) {
        Peer p = peer;
        services.rooms().emitClientError(new RoomEvent.ClientError(Instant.now(),
                p == null ? null : p.room().id(), p == null ? null : p.id(), code, message));
        if (state != State.CLOSED) {
            connection.sendText(services.codec().encode(MessageTypes.ERROR,
                    new ErrorData(code, message, request == null ? null : truncate(request)), id));
        }
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
