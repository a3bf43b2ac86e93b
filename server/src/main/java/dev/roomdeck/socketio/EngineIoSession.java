package dev.roomdeck.socketio;

import dev.roomdeck.signal.CloseCodes;
import dev.roomdeck.signal.SignalServices;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session: its id, heartbeat and outgoing queue, the Socket.IO layer on top of it, and the transport
 * that currently carries it. A session opened by long-polling may upgrade to a WebSocket: the client opens one
 * with the same {@code sid}, probes it ({@code 2probe} → {@code 3probe}), pauses polling (a waiting GET is released
 * with a noop so it can), and sends {@code 5} over the WebSocket, which from then on is the transport.
 *
 * <p>Nothing is lost or sent twice across the upgrade: server packets wait in the queue until a transport can take
 * them and leave it only into a GET answer or a WebSocket frame (never onto the probe before {@code 5}); client
 * packets are handled one at a time in arrival order, and the client posts everything it has before it upgrades.
 *
 * <p>Locking: the session's monitor guards the queue and the transports and is never held while calling into
 * the signalling layer (rooms take their own locks and send to other sessions); client packets are handled under
 * a separate lock, so that they are serialized whichever transport brought them.
 */
final class EngineIoSession {
    private static final Logger LOG = LoggerFactory.getLogger(EngineIoSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int PROTOCOL_ERROR = 1002;
    private static final List<String> NOOP = List.of("6");
    private static final List<String> CLOSE = List.of("1");

    private enum State { NEW, OPEN, CLOSING, CLOSED }

    private final String sid = randomId();
    private final EngineIoVersion version;
    private final SocketIoSettings settings;
    private final Scheduler scheduler;
    private final Map<String, EngineIoSession> table;
    private final Heartbeat heartbeat;
    private final SocketIoConnection socket;
    private final Object inbound = new Object();

    // Guarded by this.
    private final List<String> outbox = new ArrayList<>();
    /** Written under the lock; read without it for the address and the keepalive. */
    private volatile Transport transport;
    /** The long-polling transport of a session opened by polling; null for one opened over a WebSocket. */
    private PollingTransport polling;
    /** A WebSocket the client probes before upgrading to it. */
    private WebSocketTransport probe;
    /** The probe was answered: GETs are not held, so that the client can pause polling and upgrade. */
    private boolean upgrading;
    private volatile State state = State.NEW;
    private Scheduler.Task closeTimer;
    /** Closing over long-polling: the close packet is queued (after everything else the client must get). */
    private boolean closeQueued;
    private volatile String pollingRemote;

    EngineIoSession(SignalServices services, Handshake handshake, SocketIoSettings settings, Scheduler scheduler,
                    Map<String, EngineIoSession> table) {
        this.version = handshake.version();
        this.settings = settings;
        this.scheduler = scheduler;
        this.table = table;
        this.socket = new SocketIoConnection(services, this, version, handshake.token());
        this.heartbeat = new Heartbeat(scheduler, version, settings, () -> send("2"), this::onSilence);
    }

    String sid() {
        return sid;
    }

    EngineIoVersion version() {
        return version;
    }

    // ---- opening ----

    /** A session opened by a polling GET, which the open packet answers. */
    void openByPolling(String remote, Response response, Callback callback) {
        synchronized (this) {
            polling = new PollingTransport(version);
            pollingRemote = remote;
            polling.hold(response, callback);
            start(polling, true);
        }
        connectDefaultNamespace();
    }

    /** A session opened over a WebSocket: its open packet is the first frame, once the WebSocket is open. */
    WebSocketTransport openByWebSocket() {
        return new WebSocketTransport(this);
    }

    private void start(Transport first, boolean upgradable) {
        transport = first;
        state = State.OPEN;
        table.put(sid, this);
        send(version.openPacket(sid, settings, upgradable));
        heartbeat.start();
    }

    private void connectDefaultNamespace() {
        if (version == EngineIoVersion.V3 && state == State.OPEN) {
            socket.connectDefaultNamespace();
        }
    }

    // ---- long-polling ----

    /** A GET: answered now if anything is queued (or the client is upgrading), else held. Null when served. */
    Handshake.Refused poll(Response response, Callback callback, Duration maxHold) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return Handshake.unknownSession();
            }
            if (transport != polling) {
                return Handshake.badRequest("this session has upgraded to the websocket transport");
            }
            PollingTransport.Held held = polling.hold(response, callback);
            if (held == null) {
                abort(PROTOCOL_ERROR, "overlapping polls");
                return Handshake.badRequest("one GET at a time: this one overlapped a waiting one");
            }
            if (!outbox.isEmpty()) {
                flush();
            } else if (state == State.CLOSING) {
                polling.write(CLOSE);
                later(this::end);
            } else if (upgrading) {
                polling.write(NOOP);
            } else {
                held.timer(scheduler.schedule(() -> release(held), maxHold.toMillis(), TimeUnit.MILLISECONDS));
            }
            return null;
        }
    }

    /** A GET held as long as it may be: a noop, and the client polls again. */
    private synchronized void release(PollingTransport.Held held) {
        if (polling.holds(held)) {
            polling.write(NOOP);
        }
    }

    /** Checks that a POST may be delivered; null when it may. */
    synchronized Handshake.Refused acceptsPost() {
        if (state == State.CLOSED) {
            return Handshake.unknownSession();
        }
        if (transport != polling) {
            return Handshake.badRequest("this session has upgraded to the websocket transport");
        }
        return null;
    }

    /** The packets of a POST, handled in order before the POST is answered. */
    void posted(List<String> packets) {
        for (String p : packets) {
            if (Payload.BINARY.equals(p)) {
                receiveBinary();
            } else {
                receive(p);
            }
        }
    }

    // ---- WebSocket ----

    /** A WebSocket with this session's sid: the client will probe it, then upgrade. Null when that cannot be. */
    synchronized WebSocketTransport probe() {
        if (state != State.OPEN || transport != polling || (probe != null && probe.writable())) {
            return null; // one probe at a time; one whose upgrade never completed does not block the next
        }
        probe = new WebSocketTransport(this);
        return probe;
    }

    void onWebSocketOpen(WebSocketTransport ws) {
        synchronized (this) {
            if (state != State.NEW) {
                return; // a probe: the client speaks first
            }
            start(ws, false);
        }
        connectDefaultNamespace();
    }

    void onWebSocketText(WebSocketTransport ws, String text) {
        synchronized (this) {
            if (ws == probe) {
                onProbePacket(ws, text);
                return;
            }
            if (ws != transport) {
                return;
            }
        }
        receive(text);
    }

    void onWebSocketBinary(WebSocketTransport ws) {
        synchronized (this) {
            if (ws == probe) {
                dropProbe(PROTOCOL_ERROR, "binary before the upgrade");
                return;
            }
            if (ws != transport) {
                return;
            }
        }
        receiveBinary();
    }

    /** A binary frame, or a binary packet in a polling payload. */
    private void receiveBinary() {
        synchronized (inbound) {
            if (state == State.OPEN) {
                socket.onBinary();
            }
        }
    }

    void onWebSocketClose(WebSocketTransport ws) {
        synchronized (this) {
            if (ws == probe) {
                probe = null; // the upgrade failed; polling goes on
                upgrading = false;
                return;
            }
            if (ws != transport) {
                return;
            }
        }
        end();
    }

    /** Before the upgrade the probe carries only the probe ping and the upgrade packet. */
    private void onProbePacket(WebSocketTransport ws, String text) {
        if (text.equals("2probe") && state == State.OPEN) {
            upgrading = true;
            ws.write(List.of("3probe"));
            if (polling.writable()) {
                // Release the waiting GET, so the client can pause polling and send the upgrade.
                if (outbox.isEmpty()) {
                    polling.write(NOOP);
                } else {
                    flush();
                }
            }
        } else if (text.equals("5") && state == State.OPEN) {
            probe = null;
            upgrading = false;
            if (polling.writable()) {
                polling.write(NOOP); // no client polls while upgrading; never leave one waiting
            }
            transport = ws;
            flush(); // what the GETs did not take, in order, before anything newer
            LOG.debug("socket.io session {} upgraded to websocket", sid);
        } else {
            dropProbe(PROTOCOL_ERROR, "expected 2probe or 5 before the upgrade");
        }
    }

    private void dropProbe(int code, String reason) {
        WebSocketTransport p = probe;
        probe = null;
        upgrading = false;
        if (p != null) {
            p.close(code, reason);
        }
    }

    // ---- packets ----

    /** Queues a packet for the client and delivers it if the transport can take it now. */
    void send(String packet) {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            outbox.add(packet);
            flush();
        }
    }

    /** Hands every queued packet to the transport, if it is writable. Under the lock. */
    private void flush() {
        if (outbox.isEmpty() || !transport.writable()) {
            return;
        }
        List<String> batch = List.copyOf(outbox);
        outbox.clear();
        transport.write(batch);
        if (state == State.CLOSING && transport == polling) {
            if (closeQueued) {
                later(this::end); // the close packet went out with this batch
            } else {
                queueClose();
            }
        }
    }

    /**
     * The Engine.IO close packet, for a GET of its own: socket.io-client 4 handles the Socket.IO packets of a
     * payload a tick after its Engine.IO packets, so a close in the same payload would beat the disconnect.
     */
    private void queueClose() {
        closeQueued = true;
        outbox.add(CLOSE.get(0));
        flush();
    }

    /** One client packet, from a POST or a WebSocket frame. */
    private void receive(String text) {
        synchronized (inbound) {
            if (state != State.OPEN) {
                return;
            }
            if (text.isEmpty()) {
                socket.refuse();
                return;
            }
            switch (text.charAt(0)) {
                case '2' -> { // ping
                    if (!version.serverPings()) {
                        send("3" + text.substring(1));
                        heartbeat.pingReceived();
                    }
                }
                case '3' -> heartbeat.pongReceived();
                case '4' -> socket.onMessage(text.substring(1));
                case '1' -> abort(CloseCodes.NORMAL, "client closed"); // Engine.IO close
                case '5', '6' -> { // upgrade and noop: meaningful only on a probe
                }
                default -> socket.refuse();
            }
        }
    }

    // ---- closing ----

    /**
     * Server-side close, after the Socket.IO disconnect was queued: a WebSocket closes with the code once the
     * queue is written; long-polling delivers the queue and the Engine.IO close packet with the next GET.
     */
    void close(int code, String reason) {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            heartbeat.stop();
            dropProbe(CloseCodes.NORMAL, reason);
            // A client that never comes back for the close (a GET, or the WebSocket's close) is ended anyway.
            closeTimer = scheduler.schedule(this::end, settings.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (transport instanceof WebSocketTransport ws) {
                ws.close(code, reason); // end() follows on its close event
            } else if (outbox.isEmpty()) {
                queueClose();
            } else {
                flush(); // the close packet follows once the client has what is queued
            }
        }
    }

    /** Ends the session now: the client closed, broke the protocol or went silent. */
    void abort(int code, String reason) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSING;
            heartbeat.stop();
            dropProbe(code, reason);
            if (transport instanceof WebSocketTransport ws) {
                closeTimer = scheduler.schedule(this::end, settings.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
                ws.close(code, reason); // end() follows on its close event
                return;
            }
            outbox.clear();
            if (polling != null && polling.writable()) {
                polling.write(CLOSE);
            }
        }
        later(this::end);
    }

    /** The session is over: forget it, and leave the room. Never called under the lock. */
    void end() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            heartbeat.stop();
            if (closeTimer != null) {
                closeTimer.cancel();
            }
            dropProbe(CloseCodes.NORMAL, "closed");
            if (polling != null && polling.writable()) {
                polling.write(CLOSE);
            }
            if (transport instanceof WebSocketTransport ws) {
                ws.close(CloseCodes.NORMAL, "closed");
            }
            outbox.clear();
        }
        table.remove(sid, this);
        socket.onClosed();
    }

    private void onSilence() {
        LOG.debug("socket.io client {} missed its heartbeat; closing", remoteAddress());
        abort(CloseCodes.NORMAL, "ping timeout");
    }

    /** Runs outside the caller's locks, on the scheduler. */
    private void later(Runnable r) {
        scheduler.schedule(r, 0, TimeUnit.MILLISECONDS);
    }

    // ---- for the signalling connection ----

    /** A WebSocket ping on a WebSocket transport; long-polling needs none (the Engine.IO heartbeat is enough). */
    void keepalive() {
        if (transport instanceof WebSocketTransport ws) {
            ws.ping();
        }
    }

    String remoteAddress() {
        return transport instanceof WebSocketTransport ws ? ws.remoteAddress() : pollingRemote;
    }

    static String randomId() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
