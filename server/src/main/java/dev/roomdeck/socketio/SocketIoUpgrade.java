package dev.roomdeck.socketio;

import dev.roomdeck.signal.SignalServices;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * The {@code /socket.io/} endpoint's entry: accepts WebSocket upgrades that ask for Engine.IO 3 or 4 over the
 * websocket transport, and answers everything else (long-polling above all) with the Engine.IO error a client
 * expects, so that a misconfigured app fails at once with a readable reason instead of retrying forever.
 */
public final class SocketIoUpgrade implements WebSocketCreator {
    /** Where Socket.IO clients connect by default (their {@code path} option). */
    public static final String PATH = "/socket.io/*";

    private final SignalServices services;
    private final SocketIoSettings settings;

    public SocketIoUpgrade(SignalServices services) {
        this.services = services;
        this.settings = SocketIoSettings.from(services.config());
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        Handshake handshake;
        try {
            handshake = Handshake.read(Request.extractQueryParameters(request), true);
        } catch (Handshake.Refused e) {
            refuse(response, callback, e);
            return null;
        } catch (RuntimeException e) {
            refuse(response, callback, new Handshake.Refused(3, "Bad request"));
            return null;
        }
        return new SocketIoEndpoint(services, handshake, settings, request.getComponents().getScheduler());
    }

    /** The handler for plain HTTP requests under {@link #PATH}: Socket.IO's long-polling, which is not served. */
    public static Handler refusingPolling() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Handshake.Refused refusal;
                try {
                    Handshake.read(Request.extractQueryParameters(request), false);
                    refusal = new Handshake.Refused(3, "Bad request");
                } catch (Handshake.Refused e) {
                    refusal = e;
                } catch (RuntimeException e) {
                    refusal = new Handshake.Refused(3, "Bad request");
                }
                refuse(response, callback, refusal);
                return true;
            }
        };
    }

    private static void refuse(Response response, Callback callback, Handshake.Refused refusal) {
        response.setStatus(400);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(refusal.json(Handshake.WEBSOCKET_ONLY).getBytes(StandardCharsets.UTF_8)),
                callback);
    }
}
