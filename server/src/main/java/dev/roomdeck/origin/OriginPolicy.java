package dev.roomdeck.origin;

import dev.roomdeck.config.Origins;
import dev.roomdeck.config.ServerConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SslConnectionFactory;

/**
 * Which browser origins may use the server from their own pages: mint tokens (CORS on /api/generateToken), open
 * /ws and /socket.io/, poll Engine.IO. A browser always says where a page came from ({@code Origin}); a page from a
 * site outside this list must not act through a LAN user's browser. A request without {@code Origin} is not from a
 * browser page (an app server, a native SDK, curl) and is not this policy's business.
 *
 * <p>Entries: an exact origin ({@code https://app.example.com:8443}), {@code lan} (pages served from this LAN: hosts
 * that are private, loopback or link-local IP literals, {@code localhost}, names ending in {@code .local},
 * {@code .lan} or {@code .home.arpa}, and single-label names), or {@code *} (any site; only when the operator says
 * so). No DNS lookup is ever made: a name is judged by its form. The server's own pages are allowed whatever the
 * list says: {@link #allowsRequest(Request)} compares the Origin with where the request went.
 */
public final class OriginPolicy {
    public static final String LAN = Origins.LAN;
    public static final String ANY = Origins.ANY;

    private final boolean any;
    private final boolean lan;
    private final Set<String> exact;

    private OriginPolicy(boolean any, boolean lan, Set<String> exact) {
        this.any = any;
        this.lan = lan;
        this.exact = exact;
    }

    /** From the configured entries; an entry that is none of the three forms is refused, naming it. */
    public static OriginPolicy of(List<String> entries) {
        boolean any = false;
        boolean lan = false;
        java.util.LinkedHashSet<String> exact = new java.util.LinkedHashSet<>();
        for (String raw : entries) {
            String e = raw == null ? "" : raw.trim();
            if (e.equals(ANY)) {
                any = true;
            } else if (e.equalsIgnoreCase(LAN)) {
                lan = true;
            } else {
                String normal = Origins.normalize(e);
                if (normal == null) {
                    throw new IllegalArgumentException("allowedOrigins: '" + raw
                            + "' is not an origin (scheme://host[:port]), 'lan' or '*'");
                }
                exact.add(normal);
            }
        }
        return new OriginPolicy(any, lan, java.util.Collections.unmodifiableSet(exact)); // kept in order, for messages
    }

    /** The configured entries plus the origin of the public URL (the server's own address, as browsers see it). */
    public static OriginPolicy of(ServerConfig.Apps apps) {
        List<String> entries = new java.util.ArrayList<>(apps.allowedOrigins());
        if (apps.publicUrl() != null) {
            entries.add(apps.publicUrl());
        }
        return of(entries);
    }

    /**
     * Whether the page that sent this request may use the server: no Origin (not a browser page), one of the
     * server's own pages (see {@link #allows(String, String, int, int, int)}), or an origin this policy allows.
     */
    public boolean allowsRequest(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return true;
        }
        int httpPort = -1;
        int httpsPort = -1;
        for (Connector c : request.getConnectionMetaData().getConnector().getServer().getConnectors()) {
            if (c instanceof NetworkConnector n) {
                if (c.getConnectionFactory(SslConnectionFactory.class) != null) {
                    httpsPort = n.getLocalPort();
                } else {
                    httpPort = n.getLocalPort();
                }
            }
        }
        HttpURI uri = request.getHttpURI();
        return allows(origin, uri.getHost(), uri.getPort(), httpPort, httpsPort);
    }

    /**
     * As {@link #allows(String)}, and the server's own pages always, whatever the list says: an Origin whose host is
     * the one the request was sent to ({@code host}, from its Host header: the name or address that browser uses
     * for this server) and whose port is the request's own ({@code port}; -1 when the Host header has none, as
     * behind a proxy on the default port) or the port this server serves that scheme on.
     */
    public boolean allows(String origin, String host, int port, int httpPort, int httpsPort) {
        if (origin == null) {
            return true;
        }
        String normal = Origins.normalize(origin);
        if (normal != null && host != null) {
            URI o = URI.create(normal);
            boolean https = o.getScheme().equals("https");
            int defaultPort = https ? 443 : 80;
            int originPort = o.getPort() == -1 ? defaultPort : o.getPort();
            if (unbracket(o.getHost()).equalsIgnoreCase(unbracket(host))
                    && (originPort == (port == -1 ? defaultPort : port) || originPort == (https ? httpsPort : httpPort))) {
                return true;
            }
        }
        return allows(origin);
    }

    /** True for a request without an Origin (not a browser page) and for an allowed one. */
    public boolean allows(String origin) {
        if (origin == null) {
            return true;
        }
        if (any) {
            return true;
        }
        String normal = Origins.normalize(origin);
        if (normal == null) {
            return false; // "null" (sandboxed frames, file://) and garbage
        }
        if (exact.contains(normal)) {
            return true;
        }
        return lan && onLan(URI.create(normal).getHost());
    }

    /** Whether the answer to an allowed browser request may name its origin with credentials (never for "*"-only). */
    public boolean isAny() {
        return any;
    }

    /** For messages: "this LAN", "this LAN and https://app.example.com", "any site", "none" (own pages only). */
    @Override
    public String toString() {
        if (any) {
            return "any site";
        }
        if (!lan && exact.isEmpty()) {
            return "none";
        }
        return (lan ? "this LAN" : "") + (exact.isEmpty() ? "" : (lan ? " and " : "")
                + exact.stream().collect(Collectors.joining(", ")));
    }


    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** A host a page on this LAN has: judged by its form only. */
    static boolean onLan(String host) {
        String h = unbracket(host.toLowerCase(Locale.ROOT));
        if (h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".local") || h.endsWith(".lan")
                || h.endsWith(".home.arpa")) {
            return true;
        }
        boolean ipv4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = h.indexOf(':') >= 0 && h.matches("[0-9a-f:.%]+");
        if (!ipv4 && !ipv6) {
            return !h.contains(".") && !h.isEmpty(); // a single-label name resolves on the LAN only
        }
        try {
            InetAddress a = InetAddress.getByName(h); // a literal: parsed, never looked up
            if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()) {
                return true;
            }
            byte[] b = a.getAddress();
            return b.length == 16 && (b[0] & 0xfe) == 0xfc; // IPv6 unique local, fc00::/7
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
