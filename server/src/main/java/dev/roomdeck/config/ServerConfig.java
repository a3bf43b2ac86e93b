package dev.roomdeck.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The one typed configuration of a RoomDeck server. Built from embedded defaults, then an optional JSON file,
 * then command-line flags (later wins); see {@link ConfigLoader}. Immutable: a change means a new server.
 *
 * @param bind              address the HTTP server and media sockets bind to; "0.0.0.0" means all interfaces
 * @param httpPort          HTTP port for the web client, /ws, /api and /health; 0 picks a free port
 * @param mediaPort         the one port number shared by every peer's media (UDP, and TCP when iceTcp); 0 picks a free port
 * @param mediaAddresses    addresses announced as ICE host candidates; empty means "detect from bind"
 * @param announcedAddress  public address of a 1:1 NAT in front of this PC, or null
 * @param dataDir           where generated secrets (and later certificates and settings) are kept
 * @param webRoot           a folder to serve the web client from instead of the bundled one, or null
 * @param tokenEndpoint     whether POST /api/generateToken issues tokens to anyone who can reach the server
 * @param appKeys           appkey → HS256 secret; the "default" appkey gets a generated secret when absent
 * @param tokenTtlSeconds   lifetime of tokens issued by the token endpoint
 * @param defaultBitrateKbps video bitrate cap for streams published without addStream metadata
 * @param limits            protective limits for signalling
 * @param tls               the HTTPS listener and its certificate
 * @param apps              what RTCEngine apps on other origins get: allowed origins, the URL and ICE servers in tokens
 * @param iceTcp            also accept ICE over TCP on the media port number, for networks that drop UDP; on by default
 * @param metrics           the admin listener that serves /metrics (Prometheus), on this PC only by default
 * @param forwardingThreads threads that send forwarded media to subscribers; 0 = chosen from the cores (half of them,
 *                          and on two or three cores none: the media worker sends itself)
 */
public record ServerConfig(
        String bind,
        int httpPort,
        int mediaPort,
        List<String> mediaAddresses,
        String announcedAddress,
        Path dataDir,
        Path webRoot,
        boolean tokenEndpoint,
        Map<String, String> appKeys,
        long tokenTtlSeconds,
        int defaultBitrateKbps,
        Limits limits,
        Tls tls,
        Apps apps,
        boolean iceTcp,
        Metrics metrics,
        int forwardingThreads) {

    public static final String DEFAULT_APPKEY = "default";

    public ServerConfig {
        mediaAddresses = List.copyOf(mediaAddresses);
        appKeys = Map.copyOf(appKeys);
        if (tls == null) {
            tls = Tls.defaultsFor(httpPort);
        }
        if (apps == null) {
            apps = Apps.defaults();
        }
        if (metrics == null) {
            metrics = Metrics.defaults();
        }
    }

    /** With the forwarding threads chosen from the cores. */
    public ServerConfig(String bind, int httpPort, int mediaPort, List<String> mediaAddresses, String announcedAddress,
                        Path dataDir, Path webRoot, boolean tokenEndpoint, Map<String, String> appKeys,
                        long tokenTtlSeconds, int defaultBitrateKbps, Limits limits, Tls tls, Apps apps,
                        boolean iceTcp, Metrics metrics) {
        this(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot, tokenEndpoint, appKeys,
                tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, 0);
    }

    /** Without metrics settings: {@link Metrics#defaults()}. */
    public ServerConfig(String bind, int httpPort, int mediaPort, List<String> mediaAddresses, String announcedAddress,
                        Path dataDir, Path webRoot, boolean tokenEndpoint, Map<String, String> appKeys,
                        long tokenTtlSeconds, int defaultBitrateKbps, Limits limits, Tls tls, Apps apps,
                        boolean iceTcp) {
        this(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot, tokenEndpoint, appKeys,
                tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, null, 0);
    }

    /** Without the ICE-over-TCP switch: on. */
    public ServerConfig(String bind, int httpPort, int mediaPort, List<String> mediaAddresses, String announcedAddress,
                        Path dataDir, Path webRoot, boolean tokenEndpoint, Map<String, String> appKeys,
                        long tokenTtlSeconds, int defaultBitrateKbps, Limits limits, Tls tls, Apps apps) {
        this(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot, tokenEndpoint, appKeys,
                tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, true);
    }

    /** Without app settings: {@link Apps#defaults()}. */
    public ServerConfig(String bind, int httpPort, int mediaPort, List<String> mediaAddresses, String announcedAddress,
                        Path dataDir, Path webRoot, boolean tokenEndpoint, Map<String, String> appKeys,
                        long tokenTtlSeconds, int defaultBitrateKbps, Limits limits, Tls tls) {
        this(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot, tokenEndpoint, appKeys,
                tokenTtlSeconds, defaultBitrateKbps, limits, tls, null, true);
    }

    /** Without TLS settings: HTTPS on its default port (a free one when httpPort is 0), generated certificate. */
    public ServerConfig(String bind, int httpPort, int mediaPort, List<String> mediaAddresses, String announcedAddress,
                        Path dataDir, Path webRoot, boolean tokenEndpoint, Map<String, String> appKeys,
                        long tokenTtlSeconds, int defaultBitrateKbps, Limits limits) {
        this(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot, tokenEndpoint, appKeys,
                tokenTtlSeconds, defaultBitrateKbps, limits, null, null, true);
    }

    /**
     * HTTPS: browsers give camera and microphone only to secure pages, so LAN clients need it.
     *
     * @param httpsPort    HTTPS (and WSS) port, serving the same as the HTTP port; 0 picks a free port
     * @param certificate  the operator's certificate: PKCS#12 (.p12/.pfx) or PEM; null = generate one in the data folder
     * @param key          the PEM private key for a PEM certificate (null when the certificate file holds it too)
     * @param password     the PKCS#12 password, or the password of an encrypted PEM key; null = none
     * @param httpRedirect whether plain-HTTP page requests from other machines are redirected to HTTPS
     */
    public record Tls(int httpsPort, Path certificate, Path key, String password, boolean httpRedirect) {
        public static final int DEFAULT_HTTPS_PORT = 7443;

        /** 7443, generated certificate, redirect on; a free HTTPS port when HTTP takes a free one too (tests). */
        public static Tls defaultsFor(int httpPort) {
            return new Tls(httpPort == 0 ? 0 : DEFAULT_HTTPS_PORT, null, null, null, true);
        }

        public Tls withHttpsPort(int httpsPort) {
            return new Tls(httpsPort, certificate, key, password, httpRedirect);
        }

        public Tls withCertificate(Path certificate, Path key, String password) {
            return new Tls(httpsPort, certificate, key, password, httpRedirect);
        }

        public Tls withHttpRedirect(boolean httpRedirect) {
            return new Tls(httpsPort, certificate, key, password, httpRedirect);
        }

        @Override
        public String toString() {
            // Never print the password.
            return "Tls[httpsPort=" + httpsPort + ", certificate=" + certificate + ", key=" + key
                    + ", password=" + (password == null ? "none" : "***") + ", httpRedirect=" + httpRedirect + "]";
        }
    }

    /**
     * Limits that protect the server and its other users from one client.
     *
     * @param maxMessageBytes        largest WebSocket text message accepted (bigger closes with 1009)
     * @param maxMessagesPerSecond   per connection; excess messages get a rate-limited error
     * @param maxPeersPerRoom        joins beyond this get room-full
     * @param maxRooms               new rooms beyond this get too-many-rooms
     * @param offerTimeoutMillis     an unanswered server offer counts as applied after this long
     * @param idleTimeoutSeconds     a WebSocket without any frame for this long is closed
     * @param consentTimeoutSeconds  a peer whose media sends nothing (not even consent checks) this long is removed
     */
    public record Limits(int maxMessageBytes, int maxMessagesPerSecond, int maxPeersPerRoom, int maxRooms,
                         long offerTimeoutMillis, int idleTimeoutSeconds, int consentTimeoutSeconds) {
        public static Limits defaults() {
            return new Limits(256 * 1024, 50, 32, 64, 10_000, 60, 30);
        }

        public Limits withMaxPeersPerRoom(int n) {
            return new Limits(maxMessageBytes, maxMessagesPerSecond, n, maxRooms, offerTimeoutMillis,
                    idleTimeoutSeconds, consentTimeoutSeconds);
        }
    }

    /**
     * What apps built on RTCEngine SDKs, served from their own origin, get from this server.
     *
     * @param allowedOrigins     browser origins that may mint tokens (CORS) and open /ws and /socket.io/: exact
     *                           origins ("https://app.example.com:8443"), "lan" (pages served from this LAN: private,
     *                           loopback and link-local addresses, localhost, .local and single-label names) or "*"
     *                           (any site: only when the operator says so). The server's own pages (and publicUrl's)
     *                           are always allowed; clients that send no Origin (app servers, native SDKs) are not
     *                           affected.
     * @param publicUrl          the server URL put in tokens as {@code wsUrl}, http(s)://host[:port] without a path
     *                           (e.g. "https://roomdeck.lan:7443"); null = the scheme and host the token request came to
     * @param iceServers         STUN/TURN servers put in tokens as {@code iceServers}; empty by default (a LAN needs none)
     * @param iceTransportPolicy put in tokens as {@code iceTransportPolicy}: "all" or "relay"
     */
    public record Apps(List<String> allowedOrigins, String publicUrl, List<IceServer> iceServers,
                       String iceTransportPolicy) {
        public Apps {
            allowedOrigins = List.copyOf(allowedOrigins);
            iceServers = List.copyOf(iceServers);
        }

        public static Apps defaults() {
            return new Apps(List.of("lan"), null, List.of(), "all");
        }
    }

    /** One entry of RTCConfiguration.iceServers; username and credential only for TURN (null otherwise). */
    public record IceServer(List<String> urls, String username, String credential) {
        public IceServer {
            urls = List.copyOf(urls);
        }

        @Override
        public String toString() {
            return "IceServer[urls=" + urls + ", username=" + username + ", credential="
                    + (credential == null ? "none" : "***") + "]";
        }
    }

    public ServerConfig withApps(Apps apps) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    /** The embedded defaults: everything works on a fresh machine without a file or a flag. */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 7080, 10000, List.of(), null, DataDirs.defaultDataDir(), null,
                true, Map.of(), 24 * 3600, 1500, Limits.defaults(), Tls.defaultsFor(7080), Apps.defaults(), true,
                Metrics.defaults());
    }

    /**
     * HTTP and media ports; HTTPS (and the metrics listener, unless off) follow HTTP to a free port when HTTP takes
     * one (0), else they are kept.
     */
    public ServerConfig withPorts(int httpPort, int mediaPort) {
        return withPorts(httpPort, httpPort == 0 ? 0 : tls.httpsPort(), mediaPort);
    }

    public ServerConfig withPorts(int httpPort, int httpsPort, int mediaPort) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls.withHttpsPort(httpsPort), apps,
                iceTcp, httpPort == 0 && metrics.enabled() ? new Metrics(metrics.bind(), 0) : metrics, forwardingThreads);
    }

    public ServerConfig withTls(Tls tls) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    public ServerConfig withAddresses(List<String> mediaAddresses, String announcedAddress) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    public ServerConfig withBind(String bind) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    public ServerConfig withAppKeys(Map<String, String> appKeys) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    public ServerConfig withTokenEndpoint(boolean tokenEndpoint) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    public ServerConfig withLimits(Limits limits) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    public ServerConfig withMetrics(Metrics metrics) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    /**
     * The admin listener: plain HTTP serving {@code /metrics} in the Prometheus text format, apart from the LAN
     * ports. On 127.0.0.1 by default, so that only this PC (a Prometheus agent on it, or an SSH tunnel) can read
     * the figures; another address only when the operator sets one.
     *
     * @param bind the address it listens on ("127.0.0.1"; "0.0.0.0" exposes it to the network)
     * @param port its port; 0 picks a free one; -1 switches it off
     */
    public record Metrics(String bind, int port) {
        public static final int DEFAULT_PORT = 7090;

        public static Metrics defaults() {
            return new Metrics("127.0.0.1", DEFAULT_PORT);
        }

        /** On this PC at 7090; a free port when HTTP takes a free one too (tests). */
        public static Metrics defaultsFor(int httpPort) {
            return new Metrics("127.0.0.1", httpPort == 0 ? 0 : DEFAULT_PORT);
        }

        public boolean enabled() {
            return port >= 0;
        }
    }

    public ServerConfig withIceTcp(boolean iceTcp) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics, forwardingThreads);
    }

    public ServerConfig withForwardingThreads(int forwardingThreads) {
        return new ServerConfig(bind, httpPort, mediaPort, mediaAddresses, announcedAddress, dataDir, webRoot,
                tokenEndpoint, appKeys, tokenTtlSeconds, defaultBitrateKbps, limits, tls, apps, iceTcp, metrics,
                forwardingThreads);
    }
}
