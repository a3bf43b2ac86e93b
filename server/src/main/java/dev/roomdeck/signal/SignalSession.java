package dev.roomdeck.signal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.protocol.ErrorData;
import dev.roomdeck.protocol.LeaveData;
import dev.roomdeck.protocol.MessageTypes;
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

    enum State { CONNECTED, JOINED, LEFT, CLOSED }

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
            MessageTypes.MESSAGE, MessageHandler::message);

    private final SignalServices services;
    private final Connection connection;
    private final RateLimiter rateLimiter;
    /** Optional token presented when the connection was opened (Socket.IO query), used when join has none. */
    private final String connectionToken;
    private volatile State state = State.CONNECTED;
    private volatile Peer peer;
    /** Id of the request being handled, echoed by {@link #reply}; only the handling thread reads it. */
    private JsonNode currentId;

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
        Inbound msg;
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
            currentId = id;
            handler.handle(this, data);
        } catch (SignalException e) {
            error(e.code(), e.getMessage(), type, id);
        } catch (RoomException e) {
            error(e.code(), e.getMessage(), type, id);
        } catch (RuntimeException e) {
            LOG.error("internal error handling '{}' from {}", type, connection.remoteAddress(), e);
            error("internal-error", "the server failed to handle this message; it has been logged", type, id);
        } finally {
            currentId = null;
        }
    }

    /** A binary frame: the protocol is text only. */
    public void onBinary() {
        error("binary-not-supported", "signalling messages are JSON text frames", null, null);
    }

    /** The connection closed (by the client, the network or us): leave the room at once. */
    public void onClosed() {
        Peer p = peer;
        State before = state;
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
