package dev.roomdeck.socketio;

import dev.roomdeck.signal.SignalServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /socket.io/} endpoint: Engine.IO 3 and 4 over long-polling (handshake, GET, POST) and over
 * WebSocket (a new session, or the upgrade of a polling one), with the sessions by id. Browser pages must come
 * from an allowed origin ({@code allowedOrigins}); their polling gets the CORS answers they need. Every refusal is
 * the Engine.IO error a client understands: {@code {"code":1,"message":"Session ID unknown"}}.
 */
public final class SocketIoUpgrade extends Handler.Abstract implements Graceful {
    /** Where Socket.IO clients connect by default (their {@code path} option). */
    public static final String PATH = "/socket.io/*";
    private static final Logger LOG = LoggerFactory.getLogger(SocketIoUpgrade.class);
    private static final String FORBIDDEN_HINT = "this page's origin is not in the server's allowedOrigins";

    private final SignalServices services;
    private final SocketIoSettings settings;
    private final Map<String, EngineIoSession> sessions = new ConcurrentHashMap<>();
    private final Set<String> reportedOrigins = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    public SocketIoUpgrade(SignalServices services) {
        this.services = services;
        this.settings = SocketIoSettings.from(services.config());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (!settings.origins().allowsRequest(request)) { // the server's own pages always pass
            reportRefused(origin);
            Cors.allow(response, null);
            refuse(response, callback, new Handshake.Refused(Handshake.FORBIDDEN, "Forbidden", 403, FORBIDDEN_HINT));
            return true;
        }
        Cors.allow(response, origin);
        if (HttpMethod.OPTIONS.is(request.getMethod())) {
            Cors.preflight(request, response);
            response.setStatus(204);
            callback.succeeded();
            return true;
        }
        Handshake h;
        try {
            h = Handshake.read(Request.extractQueryParameters(request), isUpgrade(request));
        } catch (Handshake.Refused e) {
            refuse(response, callback, e);
            return true;
        } catch (RuntimeException e) { // a query that cannot be decoded
            refuse(response, callback, Handshake.badRequest(null));
            return true;
        }
        try {
            if (h.websocket()) {
                upgrade(h, request, response, callback);
            } else if (h.sid() == null) {
                open(h, request, response, callback);
            } else {
                continuePolling(h, request, response, callback);
            }
        } catch (Handshake.Refused e) {
            refuse(response, callback, e);
        }
        return true;
    }

    // ---- long-polling ----

    /** The polling handshake: a GET that opens a session, answered with the open packet. */
    private void open(Handshake h, Request request, Response response, Callback callback) throws Handshake.Refused {
        if (!HttpMethod.GET.is(request.getMethod())) {
            throw new Handshake.Refused(2, "Bad handshake method");
        }
        refuseWhenShutDown();
        EngineIoSession session = new EngineIoSession(services, h, settings,
                request.getComponents().getScheduler(), sessions);
        session.openByPolling(WebSocketTransport.address(request.getConnectionMetaData().getRemoteSocketAddress()),
                response, callback);
    }

    private void continuePolling(Handshake h, Request request, Response response, Callback callback)
            throws Handshake.Refused {
        EngineIoSession session = sessions.get(h.sid());
        if (session == null || session.version() != h.version()) {
            throw Handshake.unknownSession();
        }
        Handshake.Refused refused;
        if (HttpMethod.GET.is(request.getMethod())) {
            refused = session.poll(response, callback, maxHold(request));
        } else if (HttpMethod.POST.is(request.getMethod())) {
            refused = session.acceptsPost();
            if (refused == null) {
                List<String> packets;
                try {
                    packets = readPayload(h.version(), request);
                } catch (Handshake.Refused e) {
                    session.abort(EngineIoSession.PROTOCOL_ERROR, "bad payload"); // as Engine.IO servers do
                    throw e;
                }
                session.posted(packets);
                PollingTransport.answer(response, callback, "ok");
            }
        } else {
            refused = Handshake.badRequest("long-polling uses GET and POST");
        }
        if (refused != null) {
            throw refused;
        }
    }

    /** The packets of a POST; larger bodies than a few messages' worth are refused. */
    private List<String> readPayload(EngineIoVersion version, Request request) throws Handshake.Refused {
        // Engine.IO 4 clients keep a body within maxPayload; Engine.IO 3 clients batch without a limit.
        int limit = version == EngineIoVersion.V4 ? settings.maxPayload() + 16 : settings.maxPayload() * 4;
        byte[] body;
        try (InputStream in = Request.asInputStream(request)) {
            body = request.getLength() > limit ? null : in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw Handshake.badRequest("the body could not be read");
        }
        if (body == null || body.length > limit) {
            throw new Handshake.Refused(3, "Bad request", 413, "the payload is larger than maxPayload");
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        try {
            if (version == EngineIoVersion.V3 && type != null && type.startsWith("application/octet-stream")) {
                return Payload.decodeBinary(body);
            }
            return Payload.decode(version, new String(body, StandardCharsets.UTF_8));
        } catch (Payload.Malformed e) {
            throw Handshake.badRequest(e.getMessage());
        }
    }

    /**
     * How long a GET may wait for packets: the ping interval, and well within the connector's idle timeout,
     * which would otherwise fail the waiting request and lose what it was about to carry.
     */
    private Duration maxHold(Request request) {
        Duration hold = settings.pingInterval();
        long idle = request.getConnectionMetaData().getConnector().getIdleTimeout();
        if (idle > 0 && idle / 2 < hold.toMillis()) {
            hold = Duration.ofMillis(idle / 2);
        }
        return hold;
    }

    // ---- WebSocket ----

    private void upgrade(Handshake h, Request request, Response response, Callback callback) throws Handshake.Refused {
        ServerWebSocketContainer container = ServerWebSocketContainer.get(request.getContext());
        if (container == null) {
            throw Handshake.badRequest("WebSocket is not available here");
        }
        if (h.sid() == null) {
            refuseWhenShutDown();
        }
        if (!container.upgrade((rq, rs, cb) -> createWebSocket(h, rq, rs, cb), request, response, callback)) {
            throw Handshake.badRequest("not a WebSocket upgrade request");
        }
    }

    /** A new session over WebSocket, or the WebSocket a polling session probes and upgrades to. */
    private Object createWebSocket(Handshake h, ServerUpgradeRequest request, ServerUpgradeResponse response,
                                   Callback callback) {
        if (h.sid() == null) {
            return new EngineIoSession(services, h, settings, request.getComponents().getScheduler(), sessions)
                    .openByWebSocket();
        }
        EngineIoSession session = sessions.get(h.sid());
        WebSocketTransport probe = session == null || session.version() != h.version() ? null : session.probe();
        if (probe == null) {
            refuse(response, callback, session == null ? Handshake.unknownSession()
                    : Handshake.badRequest("this session cannot upgrade now"));
        }
        return probe;
    }

    private static boolean isUpgrade(Request request) {
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        return (upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket"))
                || HttpMethod.CONNECT.is(request.getMethod());
    }

    // ---- plumbing ----

    /** Once per origin at INFO, so that an operator sees which app page allowedOrigins leaves out; clients retry. */
    private void reportRefused(String origin) {
        if (reportedOrigins.size() < 64 && reportedOrigins.add(origin)) {
            LOG.info("refused Socket.IO from a page of {} (allowedOrigins: {})", origin, settings.origins());
        } else {
            LOG.debug("refused Socket.IO from a page of {}", origin);
        }
    }

    private void refuseWhenShutDown() throws Handshake.Refused {
        if (shutdown) {
            throw Handshake.badRequest("the server is shutting down");
        }
    }

    private static void refuse(Response response, Callback callback, Handshake.Refused refusal) {
        response.setStatus(refusal.status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(refusal.json().getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Server stop: every session ends (a waiting GET is answered with the close packet) before connectors close. */
    @Override
    public CompletableFuture<Void> shutdown() {
        shutdown = true;
        for (EngineIoSession s : List.copyOf(sessions.values())) {
            s.end();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    protected void doStart() throws Exception {
        shutdown = false;
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        shutdown();
        super.doStop();
    }

}
