package dev.roomdeck.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.roomdeck.signal.CloseCodes;
import dev.roomdeck.signal.Connection;
import dev.roomdeck.signal.SignalServices;
import dev.roomdeck.signal.SignalSession;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Socket.IO layer of one Engine.IO session: the default namespace, and the translation between events and
 * the protocol's messages for its {@link SignalSession}, whichever transport carries the packets.
 *
 * <p>Client → server: the event {@code 42["join", {...}]} is the message {@code join} with that data; with an
 * acknowledgement ({@code 42<n>[...]}) the message's id is {@code n}, so the server's reply (which echoes the id)
 * also answers the acknowledgement {@code 43<n>[data]}. Server → client: every envelope becomes the event
 * {@code 42["type", data]}; a server-initiated close becomes {@code 41} (Socket.IO disconnect, after the
 * {@code leave} event) and then the end of the Engine.IO session with the same close code as on {@code /ws}.
 * Engine.IO 3 clients never get an event named {@code error} (see {@link EngineIoVersion#errorEvent()}).
 */
final class SocketIoConnection implements Connection {
    private static final String ERROR = "error";

    private final SignalServices services;
    private final ObjectMapper mapper;
    private final EngineIoSession engine;
    private final EngineIoVersion version;
    private final String queryToken;
    /** Acknowledgement ids of requests not yet answered; every one is answered exactly once. */
    private final Set<Long> pendingAcks = ConcurrentHashMap.newKeySet();
    /** Null until the default namespace is connected (at once on Engine.IO 3, on the client's 40 on 4). */
    private volatile SignalSession signal;
    /**
     * The acknowledgement of the event being handled, or -1: a refusal that cannot name its request (the event
     * was not JSON, or was binary) answers it. Only the thread handling client packets touches it.
     */
    private long handlingAck = -1;
    /** Binary frames still owed by a binary packet: swallowed, its one error has been sent. */
    private int attachmentsToSkip;

    SocketIoConnection(SignalServices services, EngineIoSession engine, EngineIoVersion version, String queryToken) {
        this.services = services;
        this.mapper = services.codec().mapper();
        this.engine = engine;
        this.version = version;
        this.queryToken = queryToken;
    }

    // ---- from the Engine.IO session (client packets arrive one at a time) ----

    /** Protocol 4 (Engine.IO 3): the server connects the default namespace without being asked. */
    void connectDefaultNamespace() {
        connectNamespace(queryToken);
    }

    /** An Engine.IO message: the Socket.IO packet after the leading 4. */
    void onMessage(String text) {
        SocketIoPacket p;
        try {
            p = SocketIoPacket.parse(text);
        } catch (SocketIoPacket.Malformed e) {
            refuse();
            return;
        }
        if (!p.namespace().equals("/")) {
            // Only the default namespace exists; packets for others can only follow a refused connect.
            if (p.type() == SocketIoPacket.CONNECT) {
                engine.send(version.namespaceRefused(p.namespace(), "Invalid namespace"));
            }
            return;
        }
        switch (p.type()) {
            case SocketIoPacket.CONNECT -> onConnect(p.payload());
            case SocketIoPacket.DISCONNECT -> engine.abort(CloseCodes.NORMAL, "client disconnected");
            case SocketIoPacket.EVENT -> onEvent(p);
            case SocketIoPacket.ACK -> { // the server never asks for acknowledgements
            }
            case SocketIoPacket.BINARY_EVENT, SocketIoPacket.BINARY_ACK -> onBinaryPacket(p);
            default -> refuse();
        }
    }

    /** A binary frame or packet: an attachment of a binary packet already refused, or a binary message. */
    void onBinary() {
        if (attachmentsToSkip > 0) {
            attachmentsToSkip--;
            return;
        }
        SignalSession s = signal;
        if (s != null) {
            s.onBinary();
        }
    }

    /** Anything that is not Socket.IO framing gets the same error /ws gives an unreadable message. */
    void refuse() {
        SignalSession s = signal;
        if (s == null) {
            engine.abort(EngineIoSession.PROTOCOL_ERROR, "not a Socket.IO packet");
            return;
        }
        s.onMessage(null, null, null);
    }

    /** The Engine.IO session ended, however: leave the room at once. */
    void onClosed() {
        SignalSession s = signal;
        if (s != null) {
            s.onClosed();
        }
    }

    /** The client's 40 (protocol 5), optionally with auth data {@code {"token": ...}} that overrides the query. */
    private void onConnect(String payload) {
        if (signal != null) {
            return; // already connected (protocol 4 clients never ask; a repeated 40 changes nothing)
        }
        String token = queryToken;
        if (!payload.isEmpty()) {
            JsonNode auth;
            try {
                auth = mapper.readTree(payload);
            } catch (JsonProcessingException e) {
                auth = null;
            }
            if (auth == null || !auth.isObject()) {
                engine.send(version.connectRefused("the connect payload (auth) must be a JSON object"));
                return;
            }
            JsonNode t = auth.get("token");
            if (t != null && t.isTextual() && !t.asText().isEmpty()) {
                token = t.asText();
            }
        }
        connectNamespace(token);
    }

    private void connectNamespace(String token) {
        engine.send(version.connected(EngineIoSession.randomId()));
        signal = new SignalSession(services, this, token);
    }

    private void onEvent(SocketIoPacket p) {
        SignalSession s = signal;
        if (s == null) {
            // An event before the namespace connect: no real client does this; the Socket.IO server closes too.
            engine.abort(EngineIoSession.PROTOCOL_ERROR, "connect to the namespace first (40)");
            return;
        }
        long ack = p.ackId();
        JsonNode id = ack >= 0 ? LongNode.valueOf(ack) : null;
        if (ack >= 0) {
            pendingAcks.add(ack);
        }
        handlingAck = ack;
        try {
            JsonNode args = null;
            boolean json = true;
            try {
                args = mapper.readTree(p.payload());
            } catch (JsonProcessingException e) {
                json = false;
                s.onText(p.payload()); // not JSON: the very bad-json error /ws gives for this text
            }
            if (json) {
                if (args != null && args.isArray() && args.size() > 0 && args.get(0).isTextual()) {
                    s.onMessage(args.get(0).asText(), args.get(1), id);
                } else {
                    s.onMessage(null, null, id);
                }
            }
        } finally {
            handlingAck = -1;
        }
        if (ack >= 0 && pendingAcks.remove(ack)) {
            // The message has no reply (message, configure, leave, answer): acknowledge it empty.
            engine.send(SocketIoPacket.message(SocketIoPacket.ACK, ack, "[]"));
        }
    }

    /** Binary content is refused; with an acknowledgement, the refusal answers it. */
    private void onBinaryPacket(SocketIoPacket p) {
        attachmentsToSkip += p.attachments();
        SignalSession s = signal;
        if (s == null) {
            return;
        }
        long ack = p.type() == SocketIoPacket.BINARY_EVENT ? p.ackId() : -1;
        if (ack >= 0) {
            pendingAcks.add(ack);
        }
        handlingAck = ack;
        try {
            s.onBinary();
        } finally {
            handlingAck = -1;
        }
    }

    // ---- Connection (what the signalling session sends) ----

    /**
     * A server envelope {@code {"type", "data", "id"}} becomes the event {@code 42["type", data]} and, when it
     * is the first reply to an acknowledged request, the acknowledgement too. On Engine.IO 3 a refusal of an
     * acknowledged request goes in the acknowledgement only, and any other refusal is renamed.
     */
    @Override
    public void sendText(String envelope) {
        JsonNode env;
        try {
            env = mapper.readTree(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the server wrote an envelope that is not JSON", e);
        }
        String type = env.path("type").asText();
        JsonNode data = env.get("data");
        if (data == null || data.isNull()) {
            data = mapper.createObjectNode();
        }
        JsonNode id = env.get("id");
        long ack = id != null && id.canConvertToLong() ? id.asLong() : -1;
        if (ack < 0 && ERROR.equals(type)) {
            ack = handlingAck; // a refusal of the request being handled that could not carry its id
        }
        boolean answersAck = ack >= 0 && pendingAcks.remove(ack);
        if (ERROR.equals(type) && !ERROR.equals(version.errorEvent())) {
            if (answersAck) {
                sendAck(ack, data);
                return;
            }
            type = version.errorEvent();
        }
        ArrayNode event = mapper.createArrayNode().add(type).add(data);
        engine.send(SocketIoPacket.message(SocketIoPacket.EVENT, -1, event.toString()));
        if (answersAck) {
            // The first reply to an acknowledged request answers it (joined, answer, error ...).
            sendAck(ack, data);
        }
    }

    private void sendAck(long ack, JsonNode data) {
        engine.send(SocketIoPacket.message(SocketIoPacket.ACK, ack, mapper.createArrayNode().add(data).toString()));
    }

    /** Server-side close: Socket.IO disconnect (so clients do not reconnect), then the end of the session. */
    @Override
    public void close(int code, String reason) {
        engine.send("41");
        engine.close(code, reason);
    }

    @Override
    public void ping() {
        engine.keepalive();
    }

    @Override
    public String remoteAddress() {
        return engine.remoteAddress();
    }
}
