package dev.roomdeck.http;

import dev.roomdeck.origin.OriginPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomdeck.auth.TokenService;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.signal.SignalServices;
import dev.roomdeck.signal.WebSocketEndpoint;
import dev.roomdeck.socketio.SocketIoUpgrade;
import dev.roomdeck.tls.CertificateInfo;
import dev.roomdeck.tls.HttpsRedirect;
import dev.roomdeck.tls.ServerCertificate;
import dev.roomdeck.tls.TrustPage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty server: web client at /, signalling at /ws, tokens at /api/generateToken, status at /health, the local
 * CA for devices to trust at /trust ({@link TrustPage}); the same
 * on the HTTP port and, with the server certificate, on the HTTPS port (https://, wss://). Browser pages from
 * other origins reach the token endpoint and /ws only as {@code apps.allowedOrigins} says; every answer carries
 * {@link SecurityHeaders}, none the server's version.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final Server server;
    private final ObjectMapper mapper;
    private final ServerConnector connector;
    private final ServerConnector httpsConnector;

    public WebServer(ServerConfig config, ServerCertificate certificate, SignalServices signal, TokenService tokens,
                     ObjectMapper mapper, Supplier<Health> health) {
        this.mapper = mapper;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(2000);
        HttpConfiguration plain = new HttpConfiguration();
        plain.setSendServerVersion(false); // no "Server: Jetty(12.x)": a version only helps whoever looks for holes
        connector = new ServerConnector(server, new HttpConnectionFactory(plain));
        connector.setHost(config.bind());
        connector.setPort(config.httpPort());
        server.addConnector(connector);

        HttpConfiguration secure = new HttpConfiguration();
        secure.setSendServerVersion(false);
        // No SNI check: browsers send no SNI for https://192.168.1.20:7443/, and the name check is theirs anyway.
        secure.addCustomizer(new SecureRequestCustomizer(false));
        httpsConnector = new ServerConnector(server,
                new SslConnectionFactory(certificate.sslContextFactory(), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(secure));
        httpsConnector.setHost(config.bind());
        httpsConnector.setPort(config.tls().httpsPort());
        server.addConnector(httpsConnector);

        PathMappingsHandler routes = new PathMappingsHandler();
        routes.addMapping(PathSpec.from("/health"), new HealthHandler(mapper, health));
        OriginPolicy origins = OriginPolicy.of(config.apps());
        routes.addMapping(PathSpec.from("/api/generateToken"), new ApiCors(mapper, origins, new TokenHandler(mapper,
                tokens, config.tokenEndpoint(), Duration.ofSeconds(config.tokenTtlSeconds()), config.apps())));
        routes.addMapping(PathSpec.from(SocketIoUpgrade.PATH), new SocketIoUpgrade(signal));
        TrustPage trust = new TrustPage(certificate);
        routes.addMapping(PathSpec.from(CertificateInfo.TRUST_PATH), trust);
        routes.addMapping(PathSpec.from(CertificateInfo.TRUST_PATH + "/*"), trust);
        routes.addMapping(PathSpec.from("/"), webClient(config));

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(config.limits().maxMessageBytes());
            container.setMaxBinaryMessageSize(4096);
            container.setIdleTimeout(Duration.ofSeconds(config.limits().idleTimeoutSeconds()));
            container.addMapping("/ws", (request, response, callback) ->
                    signalSocket(origins, request, response, callback, signal));
        });
        Handler pages = config.tls().httpRedirect() ? new HttpsRedirect(routes, this::httpsPort) : routes;
        ws.setHandler(new SecurityHeaders(pages));
        context.setHandler(ws);
        server.setHandler(context);
    }

    /**
     * The endpoint for a WebSocket upgrade, or null after refusing it (403) when a browser page from an origin the
     * policy does not allow asks: WebSockets are not bound by the same-origin rule, so without this any site a LAN
     * user visits could join meetings through the user's browser.
     */
    private Object signalSocket(OriginPolicy origins, ServerUpgradeRequest request, ServerUpgradeResponse response,
                                Callback callback, SignalServices signal) {
        if (origins.allowsRequest(request)) {
            return new WebSocketEndpoint(signal);
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        LOG.info("refused a WebSocket to {} from a page of {} (allowedOrigins: {})", request.getHttpURI().getPath(),
                origin, origins);
        JsonResponses.write(mapper, response, callback, 403, Map.of("code", "origin-not-allowed", "message",
                "pages from " + origin + " may not use this server (allowedOrigins: " + origins + ")"));
        return null;
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

    /** The HTTPS port actually bound (differs from the configured one when that was 0). */
    public int httpsPort() {
        return httpsConnector.getLocalPort();
    }
}
