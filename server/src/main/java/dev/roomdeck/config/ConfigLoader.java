package dev.roomdeck.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@link ServerConfig}: embedded defaults, then the config file, then flags; then validates. The config
 * file is {@code --config FILE}, or else the settings the console saved ({@code <dataDir>/roomdeck.json}) if any.
 */
public final class ConfigLoader {
    /** The settings file the console writes in the data folder, read at start when no --config is given. */
    public static final String STORED_FILE = "roomdeck.json";

    private static final Set<String> ICE_TRANSPORT_POLICIES = Set.of("all", "relay");
    private static final Set<String> ICE_SCHEMES = Set.of("stun", "stuns", "turn", "turns");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigLoader() {
    }

    public static ServerConfig load(CommandLine flags) {
        return fromFile(configFile(flags).map(ConfigLoader::readFile).orElse(null), flags);
    }

    /** The file settings come from: --config, else the stored settings in the data folder if they exist. */
    public static Optional<Path> configFile(CommandLine flags) {
        if (flags.config != null) {
            return Optional.of(flags.config);
        }
        Path stored = storedFile(flags.dataDir != null ? flags.dataDir : ServerConfig.defaults().dataDir());
        return Files.isRegularFile(stored) ? Optional.of(stored) : Optional.empty();
    }

    public static Path storedFile(Path dataDir) {
        return dataDir.resolve(STORED_FILE);
    }

    /** Defaults, then this file's settings (may be null), then the flags; validated. */
    public static ServerConfig fromFile(ConfigFile file, CommandLine flags) {
        ServerConfig d = ServerConfig.defaults();
        ServerConfig.Limits l = d.limits();
        Map<String, String> appKeys = new LinkedHashMap<>();
        if (file != null && file.appKeys() != null) {
            appKeys.putAll(file.appKeys());
        }
        if (flags.appKeys != null) {
            appKeys.putAll(flags.appKeys);
        }
        ServerConfig config = new ServerConfig(
                pick(flags.bind, file == null ? null : file.bind(), d.bind()),
                pick(flags.httpPort, file == null ? null : file.httpPort(), d.httpPort()),
                pick(flags.mediaPort, file == null ? null : file.mediaPort(), d.mediaPort()),
                pick(flags.mediaAddresses, file == null ? null : file.mediaAddresses(), d.mediaAddresses()),
                pick(flags.announcedAddress, file == null ? null : file.announcedAddress(), d.announcedAddress()),
                pick(flags.dataDir, file == null || file.dataDir() == null ? null : Path.of(file.dataDir()), d.dataDir()),
                pick(flags.webRoot, file == null || file.webRoot() == null ? null : Path.of(file.webRoot()), d.webRoot()),
                pick(flags.tokenEndpoint, file == null ? null : file.tokenEndpoint(), d.tokenEndpoint()),
                appKeys,
                pick(flags.tokenTtlSeconds, file == null ? null : file.tokenTtlSeconds(), d.tokenTtlSeconds()),
                pick(flags.defaultBitrateKbps, file == null ? null : file.defaultBitrateKbps(), d.defaultBitrateKbps()),
                new ServerConfig.Limits(
                        pick(flags.maxMessageBytes, file == null ? null : file.maxMessageBytes(), l.maxMessageBytes()),
                        pick(flags.maxMessagesPerSecond, file == null ? null : file.maxMessagesPerSecond(), l.maxMessagesPerSecond()),
                        pick(flags.maxPeersPerRoom, file == null ? null : file.maxPeersPerRoom(), l.maxPeersPerRoom()),
                        pick(flags.maxRooms, file == null ? null : file.maxRooms(), l.maxRooms()),
                        pick(flags.offerTimeoutMillis, file == null ? null : file.offerTimeoutMillis(), l.offerTimeoutMillis()),
                        pick(flags.idleTimeoutSeconds, file == null ? null : file.idleTimeoutSeconds(), l.idleTimeoutSeconds()),
                        pick(flags.consentTimeoutSeconds, file == null ? null : file.consentTimeoutSeconds(), l.consentTimeoutSeconds())),
                null,
                null,
                pick(flags.iceTcp, file == null ? null : file.iceTcp(), d.iceTcp()));
        ServerConfig.Tls t = ServerConfig.Tls.defaultsFor(config.httpPort());
        config = config.withTls(new ServerConfig.Tls(
                pick(flags.httpsPort, file == null ? null : file.httpsPort(), t.httpsPort()),
                pick(flags.tlsCertificate, path(file == null ? null : file.tlsCertificate()), t.certificate()),
                pick(flags.tlsKey, path(file == null ? null : file.tlsKey()), t.key()),
                pick(flags.tlsPassword, file == null ? null : file.tlsPassword(), t.password()),
                pick(flags.httpRedirect, file == null ? null : file.httpRedirect(), t.httpRedirect())));
        ServerConfig.Apps a = config.apps();
        config = config.withApps(new ServerConfig.Apps(
                origins(pick(flags.allowedOrigins, file == null ? null : file.allowedOrigins(), a.allowedOrigins())),
                publicUrl(pick(flags.publicUrl, file == null ? null : file.publicUrl(), a.publicUrl())),
                file == null || file.iceServers() == null ? a.iceServers() : iceServers(file.iceServers()),
                pick(flags.iceTransportPolicy, file == null ? null : file.iceTransportPolicy(), a.iceTransportPolicy())));
        ServerConfig.Metrics m = ServerConfig.Metrics.defaultsFor(config.httpPort());
        config = config.withMetrics(new ServerConfig.Metrics(
                pick(flags.metricsBind, file == null ? null : file.metricsBind(), m.bind()),
                pick(flags.metricsPort, file == null ? null : file.metricsPort(), m.port())));
        config = config.withForwardingThreads(
                pick(flags.forwardingThreads, file == null ? null : file.forwardingThreads(), d.forwardingThreads()));
        validate(config);
        return config;
    }

    /** Reads a config file; a file that is not valid JSON of known keys is refused, naming the file. */
    public static ConfigFile readFile(Path path) {
        try {
            return JSON.readValue(Files.readString(path), ConfigFile.class);
        } catch (IOException e) {
            throw new ConfigException("config file " + path + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Java reads "192.168.1" as 192.168.0.1 (inet_aton's short forms); a setting must be all four numbers. */
    private static void address(String name, String literal) {
        if (literal != null && literal.indexOf(':') < 0 && !literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new ConfigException(name + ": '" + literal + "' is not an IP address");
        }
        Addresses.parse(name, literal);
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    /** Refuses settings that cannot work, naming the setting. */
    public static void validate(ServerConfig c) {
        port("httpPort", c.httpPort());
        port("mediaPort", c.mediaPort());
        port("httpsPort", c.tls().httpsPort());
        if (c.metrics().port() != -1) {
            port("metricsPort", c.metrics().port());
        }
        address("metricsBind", c.metrics().bind());
        if (c.forwardingThreads() < 0 || c.forwardingThreads() > 32) {
            throw new ConfigException("forwardingThreads: must be 0 (chosen from the cores) to 32, not "
                    + c.forwardingThreads());
        }
        if (c.httpPort() != 0 && c.httpPort() == c.tls().httpsPort()) {
            throw new ConfigException("httpsPort: must differ from httpPort (both are " + c.httpPort() + ")");
        }
        if (c.bind() == null || c.bind().isBlank()) {
            throw new ConfigException("bind: an address is required (0.0.0.0 for all interfaces)");
        }
        address("bind", c.bind());
        for (String a : c.mediaAddresses()) {
            address("mediaAddresses", a);
        }
        if (c.announcedAddress() != null) {
            address("announcedAddress", c.announcedAddress());
        }
        c.appKeys().forEach((name, secret) -> {
            if (name.isBlank()) {
                throw new ConfigException("appKeys: an appkey name must not be empty");
            }
            if (secret == null || secret.length() < 32) {
                throw new ConfigException("appKeys: the secret of appkey '" + name
                        + "' must be at least 32 characters (HS256 needs 256 bits)");
            }
        });
        positive("tokenTtlSeconds", c.tokenTtlSeconds());
        positive("defaultBitrateKbps", c.defaultBitrateKbps());
        ServerConfig.Limits l = c.limits();
        if (l.maxMessageBytes() < 4096) {
            throw new ConfigException("maxMessageBytes: must be at least 4096 (an SDP offer needs several KB)");
        }
        positive("maxMessagesPerSecond", l.maxMessagesPerSecond());
        positive("maxPeersPerRoom", l.maxPeersPerRoom());
        positive("maxRooms", l.maxRooms());
        positive("offerTimeoutMillis", l.offerTimeoutMillis());
        positive("idleTimeoutSeconds", l.idleTimeoutSeconds());
        positive("consentTimeoutSeconds", l.consentTimeoutSeconds());
        tls(c.tls());
        apps(c.apps());
    }

    /** Origins, the public URL and what RTCEngine SDKs get in tokens; see {@link ServerConfig.Apps}. */
    private static void apps(ServerConfig.Apps a) {
        Origins.check(a.allowedOrigins());
        if (a.publicUrl() != null) {
            publicUrl(a.publicUrl());
        }
        if (a.iceTransportPolicy() == null || !ICE_TRANSPORT_POLICIES.contains(a.iceTransportPolicy())) {
            throw new ConfigException("iceTransportPolicy: '" + a.iceTransportPolicy() + "' must be 'all' or 'relay'");
        }
        boolean turn = false;
        for (int i = 0; i < a.iceServers().size(); i++) {
            turn |= iceServer("iceServers[" + i + "]", a.iceServers().get(i));
        }
        if ("relay".equals(a.iceTransportPolicy()) && !turn) {
            // A browser told to use relays only, with none, gathers no candidate at all and never connects.
            throw new ConfigException("iceTransportPolicy: 'relay' needs a TURN server (turn: or turns:) in iceServers");
        }
    }

    /** Checks one ICE server as a browser's RTCPeerConnection would; true when it is a TURN server. */
    private static boolean iceServer(String name, ServerConfig.IceServer s) {
        if (s.urls().isEmpty()) {
            throw new ConfigException(name + ": urls must name at least one stun:, stuns:, turn: or turns: URL");
        }
        boolean turn = false;
        for (String url : s.urls()) {
            String scheme = url.indexOf(':') > 0 ? url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT) : "";
            if (!ICE_SCHEMES.contains(scheme) || url.length() == scheme.length() + 1) {
                throw new ConfigException(name + ": '" + url + "' is not a stun:, stuns:, turn: or turns: URL");
            }
            turn |= scheme.startsWith("turn");
        }
        if (turn && (blank(s.username()) || blank(s.credential()))) {
            // Browsers throw InvalidAccessError for a TURN server without both.
            throw new ConfigException(name + ": a TURN server needs username and credential");
        }
        return turn;
    }

    /**
     * The public URL without a trailing slash; refused unless it is http(s)://host[:port]: SDKs hand it to
     * socket.io-client, which adds /socket.io/ itself.
     */
    static String publicUrl(String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.trim();
        URI u;
        try {
            u = new URI(value);
        } catch (URISyntaxException e) {
            u = null;
        }
        String scheme = u == null || u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (u == null || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw new ConfigException("publicUrl: '" + raw + "' is not an http:// or https:// URL with a host");
        }
        if ((u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw new ConfigException("publicUrl: '" + raw + "' must be only scheme://host[:port], without a path "
                    + "(SDKs add /socket.io/ themselves)");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static List<String> origins(List<String> entries) {
        for (String e : entries) {
            if (e == null) {
                throw new ConfigException("allowedOrigins: an entry is null; use origins, 'lan' or '*'");
            }
        }
        return entries;
    }

    private static List<ServerConfig.IceServer> iceServers(List<ConfigFile.IceServer> entries) {
        List<ServerConfig.IceServer> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ConfigFile.IceServer e = entries.get(i);
            if (e == null || e.urls() == null || e.urls().contains(null)) {
                throw new ConfigException("iceServers[" + i + "]: needs urls, e.g. {\"urls\": [\"stun:stun.example.com:3478\"]}");
            }
            out.add(new ServerConfig.IceServer(e.urls(), e.username(), e.credential()));
        }
        return out;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** File checks only; whether the certificate, key and password fit together is checked when they are loaded. */
    private static void tls(ServerConfig.Tls t) {
        if (t.certificate() == null) {
            if (t.key() != null) {
                throw new ConfigException("tlsKey: set only together with tlsCertificate (the PEM certificate it belongs to)");
            }
            if (t.password() != null && !t.password().isEmpty()) {
                throw new ConfigException("tlsPassword: set only together with tlsCertificate");
            }
            return;
        }
        readable("tlsCertificate", t.certificate());
        if (t.key() != null) {
            String name = t.certificate().getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                throw new ConfigException("tlsKey: a PKCS#12 tlsCertificate (" + t.certificate().getFileName()
                        + ") holds its own key; leave tlsKey empty");
            }
            readable("tlsKey", t.key());
        }
    }

    private static void readable(String name, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(name + ": no such file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(name + ": cannot read " + file + " (permissions)");
        }
    }

    private static <T> T pick(T flag, T file, T fallback) {
        return flag != null ? flag : file != null ? file : fallback;
    }

    private static void port(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new ConfigException(name + ": " + port + " is not a port (0-65535; 0 picks a free one)");
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new ConfigException(name + ": must be greater than 0, was " + value);
        }
    }

}
