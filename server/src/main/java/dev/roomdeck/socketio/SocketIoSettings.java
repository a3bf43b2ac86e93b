package dev.roomdeck.socketio;

import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.origin.OriginPolicy;
import java.time.Duration;

/**
 * The heartbeat announced in the open packet, the largest payload accepted, and which browser pages may connect.
 *
 * @param pingInterval time between heartbeat pings (sent by the client on Engine.IO 3, by the server on 4)
 * @param pingTimeout  how long a missing ping or pong is tolerated on top of the interval before closing
 * @param maxPayload   the largest message, which is the signalling limit {@code maxMessageBytes}
 * @param origins      the browser origins that may poll and open WebSockets here ({@code allowedOrigins})
 */
public record SocketIoSettings(Duration pingInterval, Duration pingTimeout, int maxPayload, OriginPolicy origins) {

    /**
     * A third of the WebSocket idle timeout each (20 s by default), the cadence of the {@code /ws} keepalive:
     * a healthy connection then carries a frame well before Jetty's idle timeout would close it.
     */
    public static SocketIoSettings from(ServerConfig config) {
        Duration third = Duration.ofMillis(Math.max(1000, config.limits().idleTimeoutSeconds() * 1000L / 3));
        return new SocketIoSettings(third, third, config.limits().maxMessageBytes(),
                OriginPolicy.of(config.apps()));
    }
}
