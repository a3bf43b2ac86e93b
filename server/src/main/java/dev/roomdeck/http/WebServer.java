package dev.roomdeck.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomdeck.auth.TokenService;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.signal.SignalServices;
import dev.roomdeck.signal.WebSocketEndpoint;
import dev.roomdeck.socketio.SocketIoUpgrade;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/** The Jetty server: web client at /, signalling at /ws, tokens at /api/generateToken, status at /health. */
public final class WebServer {
    private final Server server;
    private final ServerConnector connector;

    public WebServer(ServerConfig config, SignalServices signal, TokenService tokens, ObjectMapper mapper,
                     Supplier<Health> health) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(2000);
        connector = new ServerConnector(server);
        connector.setHost(config.bind());
        connector.setPort(config.httpPort());
        server.addConnector(connector);

        PathMappingsHandler routes = new PathMappingsHandler();
        routes.addMapping(PathSpec.from("/health"), new HealthHandler(mapper, health));
        routes.addMapping(PathSpec.from("/api/generateToken"), new TokenHandler(mapper, tokens, config.tokenEndpoint(),
                Duration.ofSeconds(config.tokenTtlSeconds())));
        routes.addMapping(PathSpec.from(SocketIoUpgrade.PATH), SocketIoUpgrade.refusingPolling());
        routes.addMapping(PathSpec.from("/"), webClient(config));

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(config.limits().maxMessageBytes());
            container.setMaxBinaryMessageSize(4096);
            container.setIdleTimeout(Duration.ofSeconds(config.limits().idleTimeoutSeconds()));
            container.addMapping("/ws", (request, response, callback) -> new WebSocketEndpoint(signal));
            container.addMapping(SocketIoUpgrade.PATH, new SocketIoUpgrade(signal));
        });
        ws.setHandler(routes);
        context.setHandler(ws);
        server.setHandler(context);
    }

    private ResourceHandler webClient(ServerConfig config) {
        ResourceFactory resources = ResourceFactory.of(server);
        Resource base = config.webRoot() != null
                ? resources.newResource(config.webRoot())
                : resources.newClassLoaderResource("web/");
        if (base == null || !base.exists()) {
            throw new IllegalStateException("web client not found at " + (config.webRoot() != null ? config.webRoot() : "classpath web/"));
        }
        ResourceHandler handler = new ResourceHandler();
        handler.setBaseResource(base);
        handler.setWelcomeFiles(List.of("index.html"));
        handler.setDirAllowed(false);
        handler.setCacheControl("no-cache");
        return handler;
    }

    public void start() throws Exception {
        server.start();
    }

    public void stop() throws Exception {
        server.stop();
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return connector.getLocalPort();
    }
}
