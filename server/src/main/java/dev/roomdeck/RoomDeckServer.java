package dev.roomdeck;

import dev.roomdeck.admin.AdminApi;
import dev.roomdeck.forward.ForwardingPlane;
import dev.roomdeck.auth.AppKeys;
import dev.roomdeck.auth.TokenService;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.http.Health;
import dev.roomdeck.origin.OriginPolicy;
import dev.roomdeck.http.WebServer;
import dev.roomdeck.room.Room;
import dev.roomdeck.room.Rooms;
import dev.roomdeck.signal.SessionRegistry;
import dev.roomdeck.signal.SignalCodec;
import dev.roomdeck.signal.SignalServices;
import dev.roomdeck.config.Addresses;
import dev.roomdeck.media.MediaEndpoint;
import dev.roomdeck.network.AddressWatcher;
import dev.roomdeck.metrics.AdminListener;
import dev.roomdeck.metrics.ServerMetrics;
import dev.roomdeck.network.MediaAddressCheck;
import dev.roomdeck.tls.CertificateInfo;
import dev.roomdeck.tls.ServerCertificate;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RoomDeck server: media plane, rooms, signalling and HTTP, started and stopped together. The console and
 * the headless launcher both run exactly this; the console talks to it only through {@link #admin()}.
 */
public final class RoomDeckServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoomDeckServer.class);

    private final ServerConfig config;
    private final ForwardingPlane media;
    private final Rooms rooms;
    private final SessionRegistry sessions = new SessionRegistry();
    private final WebServer web;
    private final AdminApi admin;
    private final TokenService tokens;
    private final ServerCertificate certificate;
    private final Instant startedAt;
    private final ScheduledExecutorService housekeeping;
    /** Follows this PC's LAN addresses when they are detected; null when configured. */
    private final AddressWatcher addressWatcher;
    /** /metrics on the admin listener; null when switched off. */
    private ServerMetrics metrics;
    private AdminListener adminListener;
    private volatile boolean stopped;
    /** The latest self-check of the media addresses: what the console's status bar warns about. */
    private volatile List<String> networkProblems;

    private RoomDeckServer(ServerConfig config) throws Exception {
        this.config = config;
        Clock clock = Clock.systemUTC();
        this.startedAt = clock.instant();
        // First: a certificate that cannot be loaded must fail the start before any socket is open.
        this.certificate = ServerCertificate.forConfig(config);
        this.media = ForwardingPlane.open(config);
        this.rooms = new Rooms(config.limits(), media.plane(), clock, config.defaultBitrateKbps());
        this.tokens = new TokenService(AppKeys.load(config.appKeys(), config.dataDir(), ServerConfig.DEFAULT_APPKEY), clock);
        SignalCodec codec = new SignalCodec(config.limits().maxMessageBytes());
        SignalServices services = new SignalServices(rooms, tokens, codec, config, sessions);
        this.networkProblems = checkNetwork();
        this.admin = new AdminApi(rooms, media, startedAt, clock, () -> networkProblems);
        this.web = new WebServer(config, certificate, services, tokens, codec.mapper(), this::health);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "signal-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long pingSeconds = Math.max(1, config.limits().idleTimeoutSeconds() / 3);
        housekeeping.scheduleAtFixedRate(sessions::pingAll, pingSeconds, pingSeconds, TimeUnit.SECONDS);
        // Four times a second: offers to clients that never answer settle in 2 s, and a late offer costs no more.
        housekeeping.scheduleAtFixedRate(rooms::checkOfferTimeouts, 250, 250, TimeUnit.MILLISECONDS);
        this.addressWatcher = AddressWatcher.forConfig(config, media.endpoint().hostAddresses(), this::addressesChanged);
    }

    /** Builds and starts a server; on failure everything already opened is closed again. */
    public static RoomDeckServer start(ServerConfig config) throws Exception {
        RoomDeckServer server = new RoomDeckServer(config);
        try {
            server.web.start();
            server.startMetrics();
            if (server.addressWatcher != null) {
                server.addressWatcher.start();
            }
        } catch (Exception e) {
            server.close();
            throw e;
        }
        LOG.info("RoomDeck listening: http {}:{} https {}:{} media udp {}", config.bind(), server.httpPort(),
                config.bind(), server.httpsPort(), server.mediaPort());
        CertificateInfo c = server.certificate();
        LOG.info("HTTPS certificate ({}, {}, until {}) for {}; SHA-256 {}", c.generated() ? "generated" : "supplied",
                c.keyType(), c.notAfter(), c.names(), c.fingerprint());
        LOG.info("browser pages of other sites allowed: {}; tokens send RTCEngine SDKs to {}",
                OriginPolicy.of(config.apps().allowedOrigins()), config.apps().publicUrl() != null ? config.apps().publicUrl()
                        : "the address each token request came to");
        return server;
    }

    public int httpPort() {
        return web.port();
    }

    /** The admin listener's port, where /metrics is served; -1 when it is off. */
    public int metricsPort() {
        return adminListener == null ? -1 : adminListener.port();
    }

    /**
     * The admin listener with /metrics. It is not the meeting: if its port is taken the server runs without it,
     * and says so.
     */
    private void startMetrics() {
        ServerConfig.Metrics m = config.metrics();
        if (!m.enabled()) {
            return;
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        metrics = new ServerMetrics(admin, registry);
        try {
            adminListener = AdminListener.start(Addresses.parse("metricsBind", m.bind()), m.port(), registry);
            LOG.info("metrics at http://{}:{}/metrics", m.bind(), adminListener.port());
        } catch (UncheckedIOException e) {
            LOG.warn("no /metrics: {} ({}); set another --metrics-port", e.getMessage(), e.getCause().getMessage());
            metrics.close();
            metrics = null;
        }
    }

    /** The HTTPS (and WSS) port: the one LAN browsers need, since they allow camera and microphone only there. */
    public int httpsPort() {
        return web.httpsPort();
    }

    /** The HTTPS certificate: SHA-256 fingerprint, the names and addresses it is valid for, generated or supplied. */
    public CertificateInfo certificate() {
        return certificate.info();
    }

    public int mediaPort() {
        return media.port();
    }

    /** The shared media port's endpoint (registered transports, drop counters). */
    /** The forwarding stage's counters (packets used, copies sent, drops after SRTP), for tests and tools. */
    public dev.roomdeck.media.PacketSnapshot forwardingCounters() {
        return media.forwardingCounters();
    }

    public MediaEndpoint mediaEndpoint() {
        return media.endpoint();
    }

    public ServerConfig config() {
        return config;
    }

    public AdminApi admin() {
        return admin;
    }

    public TokenService tokens() {
        return tokens;
    }

    /**
     * Checks the addresses announced for media: each on an interface of this PC and bound, not loopback alone,
     * the TCP listener bound. Logged once per run of the check; the console shows them until fixed.
     */
    private List<String> checkNetwork() {
        MediaEndpoint endpoint = media.endpoint();
        List<String> problems = MediaAddressCheck.run(Addresses.mediaAddresses(config), endpoint.hostAddresses(),
                endpoint.port(), endpoint.problems(), MediaAddressCheck::onThisPc);
        for (String problem : problems) {
            // Loopback alone is how tests and a PC without a network run: worth a line, not a warning.
            if (endpoint.hostAddresses().stream().allMatch(InetAddress::isLoopbackAddress)) {
                LOG.info("network self-check: {}", problem);
            } else {
                LOG.warn("network self-check: {}", problem);
            }
        }
        return problems;
    }

    /**
     * This PC's detected addresses changed (see {@link AddressWatcher}): media moves to the new ones (peers connected
     * keep their path while it works), the local CA re-issues the HTTPS certificate if it does not cover them (Jetty
     * serves the new one from the next handshake), and the self-check runs again. The join URLs follow by themselves
     * ({@link Launcher#joinUrls} reads the addresses each time).
     */
    private void addressesChanged(List<InetAddress> before, List<InetAddress> after) {
        if (stopped) {
            return;
        }
        LOG.info("this PC's addresses changed: {} → {}", hosts(before), hosts(after));
        try {
            media.endpoint().useAddresses(after);
        } catch (RuntimeException e) {
            LOG.warn("moving media to {} failed", hosts(after), e);
        }
        try {
            certificate.refresh(); // logs the new certificate when it issues one
        } catch (RuntimeException e) {
            LOG.warn("re-issuing the HTTPS certificate for {} failed; the old one stays", hosts(after), e);
        }
        networkProblems = checkNetwork();
    }

    private static List<String> hosts(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).toList();
    }

    private Health health() {
        int peers = 0;
        for (Room r : rooms.rooms()) {
            peers += r.peers().size();
        }
        return new Health("ok", rooms.rooms().size(), peers,
                Duration.between(startedAt, Instant.now()).toSeconds(), mediaPort(), httpsPort());
    }

    /** Tells every client ("shutdown"), then stops HTTP and media. Idempotent. */
    @Override
    public void close() {
        close("shutdown", "The server is shutting down.");
    }

    /**
     * Tells every client why (leave with this reason: "shutdown", or "restart" when new settings are applied and
     * clients should come back), then stops HTTP and media. Idempotent.
     */
    public void close(String reason, String message) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (addressWatcher != null) {
            addressWatcher.close();
        }
        housekeeping.shutdownNow();
        if (adminListener != null) {
            adminListener.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        rooms.closeAll(reason, message);
        sessions.closeAll(reason, message);
        try {
            web.stop();
        } catch (Exception e) {
            LOG.warn("stopping HTTP failed", e);
        }
        media.close();
        LOG.info("RoomDeck stopped");
    }
}
