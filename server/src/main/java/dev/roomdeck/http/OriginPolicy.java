package dev.roomdeck.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may use the server from their own pages: mint tokens (CORS on /api/generateToken), open
 * /ws and /socket.io/, poll Engine.IO. A browser always says where a page came from ({@code Origin}); a page from a
 * site outside this list must not act through a LAN user's browser. A request without {@code Origin} is not from a
 * browser page (an app server, a native SDK, curl) and is not this policy's business.
 *
 * <p>Entries: an exact origin ({@code https://app.example.com:8443}), {@code lan} (pages served from this LAN: hosts
 * that are private, loopback or link-local IP literals, {@code localhost}, names ending in {@code .local},
 * {@code .lan} or {@code .home.arpa}, and single-label names), or {@code *} (any site; only when the operator says
 * so). No DNS lookup is ever made: a name is judged by its form.
 */
public final class OriginPolicy {
    public static final String LAN = "lan";
    public static final String ANY = "*";

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
                String normal = normalize(e);
                if (normal == null) {
                    throw new IllegalArgumentException("allowedOrigins: '" + raw
                            + "' is not an origin (scheme://host[:port]), 'lan' or '*'");
                }
                exact.add(normal);
            }
        }
        return new OriginPolicy(any, lan, Set.copyOf(exact));
    }

    /** True for a request without an Origin (not a browser page) and for an allowed one. */
    public boolean allows(String origin) {
        if (origin == null) {
            return true;
        }
        if (any) {
            return true;
        }
        String normal = normalize(origin);
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

    @Override
    public String toString() {
        return (any ? "any site" : (lan ? "this LAN" : "") + (exact.isEmpty() ? "" : (lan ? " and " : "")
                + exact.stream().collect(Collectors.joining(", "))));
    }

    /** "scheme://host[:port]" in lower case with the default port dropped, or null when it is not an http(s) origin. */
    static String normalize(String origin) {
        URI u;
        try {
            u = new URI(origin.trim());
        } catch (Exception e) {
            return null;
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost();
        if (!"http".equals(scheme) && !"https".equals(scheme) || host == null || host.isEmpty()
                || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))
                || u.getQuery() != null || u.getFragment() != null || u.getUserInfo() != null) {
            return null;
        }
        int port = u.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** A host a page on this LAN has: judged by its form only. */
    static boolean onLan(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
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
