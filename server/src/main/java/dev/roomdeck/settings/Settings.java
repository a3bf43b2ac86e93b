package dev.roomdeck.settings;

import dev.roomdeck.config.ConfigFile;
import dev.roomdeck.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings the console's window edits: network, ports, media over TCP, tokens and the certificate. Everything
 * else in the config file (limits, bitrates, timeouts) is kept as it is when these are saved.
 *
 * @param bind             listen address for HTTP, HTTPS and media: 0.0.0.0 for all interfaces
 * @param mediaAddresses   LAN addresses announced to browsers for media; empty = detect
 * @param announcedAddress public address of a 1:1 NAT in front of this PC, or null
 * @param httpPort         plain HTTP port (0 = any free port)
 * @param httpsPort        HTTPS/WSS port (0 = any free port)
 * @param mediaPort        the UDP port all media shares (0 = any free port)
 * @param tokenEndpoint    whether anyone who reaches the server can get join tokens at /api/generateToken
 * @param appKeys          appkey → HS256 secret (at least 32 characters); "default" is generated when absent
 * @param tlsCertificate   the operator's certificate (PKCS#12 or PEM), or null for the generated one
 * @param tlsKey           the PEM key for a PEM certificate, or null
 * @param tlsPassword      the PKCS#12 or encrypted-key password, or null
 * @param httpRedirect     whether LAN browsers on plain HTTP are sent to HTTPS
 * @param iceTcp           whether media is also accepted over TCP (ICE-TCP) on the media port number
 */
public record Settings(String bind, List<String> mediaAddresses, String announcedAddress, int httpPort,
                       int httpsPort, int mediaPort, boolean tokenEndpoint, Map<String, String> appKeys,
                       Path tlsCertificate, Path tlsKey, String tlsPassword, boolean httpRedirect,
                       boolean iceTcp) {
    public Settings {
        mediaAddresses = List.copyOf(mediaAddresses);
        appKeys = Map.copyOf(appKeys);
    }

    public static Settings of(ServerConfig c) {
        ServerConfig.Tls t = c.tls();
        return new Settings(c.bind(), c.mediaAddresses(), c.announcedAddress(), c.httpPort(), t.httpsPort(),
                c.mediaPort(), c.tokenEndpoint(), c.appKeys(), t.certificate(), t.key(), t.password(), t.httpRedirect(),
                c.iceTcp());
    }

    /** The embedded defaults, as a fresh install starts. */
    public static Settings defaults() {
        return of(ServerConfig.defaults());
    }

    /** This file's other keys with these settings in place of the console's keys. Paths become absolute. */
    ConfigFile over(ConfigFile f) {
        return new ConfigFile(bind, httpPort, httpsPort, mediaPort,
                mediaAddresses.isEmpty() ? null : mediaAddresses, blankToNull(announcedAddress),
                f.dataDir(), f.webRoot(), tokenEndpoint, appKeys.isEmpty() ? null : new LinkedHashMap<>(appKeys),
                f.tokenTtlSeconds(), f.defaultBitrateKbps(), f.maxMessageBytes(), f.maxMessagesPerSecond(),
                f.maxPeersPerRoom(), f.maxRooms(), f.offerTimeoutMillis(), f.idleTimeoutSeconds(),
                f.consentTimeoutSeconds(), absolute(tlsCertificate), absolute(tlsKey),
                tlsPassword == null || tlsPassword.isEmpty() ? null : tlsPassword, httpRedirect,
                f.allowedOrigins(), f.publicUrl(), f.iceServers(), f.iceTransportPolicy(), iceTcp, f.metricsBind(),
                f.metricsPort(), f.forwardingThreads());
    }

    public Settings withPorts(int httpPort, int httpsPort, int mediaPort) {
        return new Settings(bind, mediaAddresses, announcedAddress, httpPort, httpsPort, mediaPort, tokenEndpoint,
                appKeys, tlsCertificate, tlsKey, tlsPassword, httpRedirect, iceTcp);
    }

    public Settings withBind(String bind) {
        return new Settings(bind, mediaAddresses, announcedAddress, httpPort, httpsPort, mediaPort, tokenEndpoint,
                appKeys, tlsCertificate, tlsKey, tlsPassword, httpRedirect, iceTcp);
    }

    public Settings withAddresses(List<String> mediaAddresses, String announcedAddress) {
        return new Settings(bind, mediaAddresses, announcedAddress, httpPort, httpsPort, mediaPort, tokenEndpoint,
                appKeys, tlsCertificate, tlsKey, tlsPassword, httpRedirect, iceTcp);
    }

    public Settings withTokens(boolean tokenEndpoint, Map<String, String> appKeys) {
        return new Settings(bind, mediaAddresses, announcedAddress, httpPort, httpsPort, mediaPort, tokenEndpoint,
                appKeys, tlsCertificate, tlsKey, tlsPassword, httpRedirect, iceTcp);
    }

    public Settings withCertificate(Path tlsCertificate, Path tlsKey, String tlsPassword) {
        return new Settings(bind, mediaAddresses, announcedAddress, httpPort, httpsPort, mediaPort, tokenEndpoint,
                appKeys, tlsCertificate, tlsKey, tlsPassword, httpRedirect, iceTcp);
    }

    public Settings withHttpRedirect(boolean httpRedirect) {
        return new Settings(bind, mediaAddresses, announcedAddress, httpPort, httpsPort, mediaPort, tokenEndpoint,
                appKeys, tlsCertificate, tlsKey, tlsPassword, httpRedirect, iceTcp);
    }

    public Settings withIceTcp(boolean iceTcp) {
        return new Settings(bind, mediaAddresses, announcedAddress, httpPort, httpsPort, mediaPort, tokenEndpoint,
                appKeys, tlsCertificate, tlsKey, tlsPassword, httpRedirect, iceTcp);
    }

    @Override
    public String toString() {
        // Secrets stay out of logs.
        return "Settings[bind=" + bind + ", mediaAddresses=" + mediaAddresses + ", announcedAddress=" + announcedAddress
                + ", httpPort=" + httpPort + ", httpsPort=" + httpsPort + ", mediaPort=" + mediaPort
                + ", tokenEndpoint=" + tokenEndpoint + ", appKeys=" + appKeys.keySet() + ", tlsCertificate="
                + tlsCertificate + ", tlsKey=" + tlsKey + ", tlsPassword=" + (tlsPassword == null ? "none" : "***")
                + ", httpRedirect=" + httpRedirect + ", iceTcp=" + iceTcp + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String absolute(Path p) {
        return p == null || p.toString().isBlank() ? null : p.toAbsolutePath().normalize().toString();
    }
}
