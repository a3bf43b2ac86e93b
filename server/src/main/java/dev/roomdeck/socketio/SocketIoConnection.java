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
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Socket.IO client on a Jetty WebSocket: Engine.IO framing and heartbeat, the default namespace, and the
 * translation between events and the protocol's messages for its {@link SignalSession}.
 *
 * <p>Client → server: the event {@code 42["join", {...}]} is the message {@code join} with that data; with an
 * acknowledgement ({@code 42<n>[...]}) the message's id is {@code n}, so the server's reply (which echoes the id)
 * also answers the acknowledgement {@code 43<n>[data]}. Server → client: every envelope becomes the event
 * {@code 42["type", data]}; a server-initiated close becomes {@code 41} (Socket.IO disconnect, after the
 * {@code leave} event) and then the WebSocket close with the same close code as on {@code /ws}.
 */
public final class SocketIoEndpoint implements Session.Listener.AutoDemanding, Connection {
    private static final Logger LOG = LoggerFactory.getLogger(SocketIoEndpoint.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PROTOCOL_ERROR = 1002;

    private final SignalServices services;
    private final ObjectMapper mapper;
    private final Handshake handshake;
    private final SocketIoSettings settings;
    private final Heartbeat heartbeat;
    private final String sid = randomId();
    /** Acknowledgement ids of requests not yet answered; every one is answered exactly once. */
    private final Set<Long> pendingAcks = ConcurrentHashMap.newKeySet();
    private volatile Session session;
    /** Null until the default namespace is connected (at once on Engine.IO 3, on the client's 40 on 4). */
    private volatile SignalSession signal;
    /** Binary frames still owed by a binary packet: swallowed, its one error has been sent. */
    private int attachmentsToSkip;
    private volatile boolean disconnected;

    SocketIoEndpoint(SignalServices services, Handshake handshake, SocketIoSettings settings, Scheduler scheduler) {
        this.services = services;
        this.mapper = services.codec().mapper();
        this.handshake = handshake;
        this.settings = settings;
        this.heartbeat = new Heartbeat(scheduler, handshake.version(), settings, () -> sendRaw("2"),
                this::onSilence);
    }

    // ---- WebSocket ----

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        sendRaw(handshake.version().openPacket(sid, settings));
        heartbeat.start();
        if (handshake.version() == EngineIoVersion.V3) {
            connectNamespace(handshake.token()); // protocol 4: the server connects "/" without being asked
        }
    }

    @Override
    public void onWebSocketText(String text) {
        if (text.isEmpty()) {
            refuse();
            return;
        }
        switch (text.charAt(0)) {
            case '2' -> { // ping
                if (!handshake.version().serverPings()) {
                    sendRaw("3" + text.substring(1));
                    heartbeat.pingReceived();
                }
            }
            case '3' -> heartbeat.pongReceived();
            case '4' -> onPacket(text.substring(1));
            case '1' -> disconnect(CloseCodes.NORMAL, "client closed"); // Engine.IO close
            case '5', '6' -> { // upgrade, noop: nothing to do without long-polling
            }
            default -> refuse();
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
        callback.succeed();
        if (attachmentsToSkip > 0) {
            attachmentsToSkip--;
            return;
        }
        SignalSession s = signal;
        if (s != null) {
            s.onBinary();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        disconnected = true;
        heartbeat.stop();
        SignalSession s = signal;
        if (s != null) {
            s.onClosed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("socket.io websocket error from {}: {}", remoteAddress(), cause.toString());
    }

    // ---- Socket.IO ----

    private void onPacket(String text) {
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
                sendRaw(handshake.version().namespaceRefused(p.namespace(), "Invalid namespace"));
            }
            return;
        }
        switch (p.type()) {
            case SocketIoPacket.CONNECT -> onConnect(p.payload());
            case SocketIoPacket.DISCONNECT -> disconnect(CloseCodes.NORMAL, "client disconnected");
            case SocketIoPacket.EVENT -> onEvent(p);
            case SocketIoPacket.ACK -> { // the server never asks for acknowledgements
            }
            case SocketIoPacket.BINARY_EVENT, SocketIoPacket.BINARY_ACK -> {
                attachmentsToSkip += p.attachments();
                SignalSession s = signal;
                if (s != null) {
                    s.onBinary();
                }
            }
            default -> refuse();
        }
    }

    /** The client's 40 (protocol 5), optionally with auth data {@code {"token": ...}} that overrides the query. */
    private void onConnect(String payload) {
        if (signal != null) {
            return; // already connected (protocol 4 clients never ask; a repeated 40 changes nothing)
        }
        String token = handshake.token();
        if (!payload.isEmpty()) {
            JsonNode auth;
            try {
                auth = mapper.readTree(payload);
            } catch (JsonProcessingException e) {
                auth = null;
            }
            if (auth == null || !auth.isObject()) {
                sendRaw(handshake.version().connectRefused("the connect payload (auth) must be a JSON object"));
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
        sendRaw(handshake.version().connected(randomId()));
        signal = new SignalSession(services, this, token);
    }

    private void onEvent(SocketIoPacket p) {
        SignalSession s = signal;
        if (s == null) {
            // An event before the namespace connect: no real client does this; the Socket.IO server closes too.
            disconnect(PROTOCOL_ERROR, "connect to the namespace first (40)");
            return;
        }
        long ack = p.ackId();
        JsonNode id = ack >= 0 ? LongNode.valueOf(ack) : null;
        if (ack >= 0) {
            pendingAcks.add(ack);
        }
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
        if (ack >= 0 && pendingAcks.remove(ack)) {
            // The message has no reply (message, configure, leave, answer): acknowledge it empty.
            sendRaw(SocketIoPacket.message(SocketIoPacket.ACK, ack, "[]"));
        }
    }

    /** Anything that is not Socket.IO framing gets the same error /ws gives an unreadable message. */
    private void refuse() {
        SignalSession s = signal;
        if (s == null) {
            disconnect(PROTOCOL_ERROR, "not a Socket.IO packet");
            return;
        }
        s.onMessage(null, null, null);
    }

    // ---- Connection (what the signalling session sends) ----

    /** A server envelope {@code {"type", "data", "id"}} becomes the event {@code 42["type", data]} (and the ack). */
    @Override
    public void sendText(String envelope) {
        JsonNode env;
        try {
            env = mapper.readTree(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the server wrote an envelope that is not JSON", e);
        }
        JsonNode data = env.get("data");
        if (data == null || data.isNull()) {
            data = mapper.createObjectNode();
        }
        ArrayNode event = mapper.createArrayNode().add(env.path("type").asText()).add(data);
        sendRaw(SocketIoPacket.message(SocketIoPacket.EVENT, -1, event.toString()));
        JsonNode id = env.get("id");
        if (id != null && id.canConvertToLong() && pendingAcks.remove(id.asLong())) {
            // The first reply to an acknowledged request answers it (joined, answer, error ...).
            sendRaw(SocketIoPacket.message(SocketIoPacket.ACK, id.asLong(), mapper.createArrayNode().add(data).toString()));
        }
    }

    /** Server-side close: Socket.IO disconnect (so clients do not reconnect), then the WebSocket close. */
    @Override
    public void close(int code, String reason) {
        sendRaw("41");
        disconnect(code, reason);
    }

    @Override
    public void ping() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    @Override
    public String remoteAddress() {
        Session s = session;
        SocketAddress a = s == null ? null : s.getRemoteSocketAddress();
        if (a instanceof InetSocketAddress isa) {
            return isa.getAddress().getHostAddress() + ":" + isa.getPort();
        }
        return String.valueOf(a);
    }

    // ---- plumbing ----

    private void onSilence() {
        LOG.debug("socket.io client {} missed its heartbeat; closing", remoteAddress());
        disconnect(CloseCodes.NORMAL, "ping timeout");
    }

    private void disconnect(int code, String reason) {
        disconnected = true;
        heartbeat.stop();
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    private void sendRaw(String text) {
        Session s = session;
        if (s != null && s.isOpen() && !disconnected) {
            s.sendText(text, Callback.NOOP);
        }
    }

    private static String randomId() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
