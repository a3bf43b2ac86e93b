package dev.roomdeck.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Browser origins as settings write them (allowedOrigins, publicUrl): literals read without any lookup, like
 * {@link Addresses}. What a policy does with them is origin.OriginPolicy's business.
 */
public final class Origins {
    /** Pages served from this LAN (private, loopback and link-local addresses, .local names, ...). */
    public static final String LAN = "lan";
    /** Any site. */
    public static final String ANY = "*";

    private Origins() {
    }

    /** "scheme://host[:port]" in lower case with the default port dropped, or null when it is not an http(s) origin. */
    public static String normalize(String origin) {
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

    /** Refuses, naming it, an entry that is none of: an origin, {@value #LAN}, {@value #ANY}. */
    static void check(List<String> entries) {
        for (String raw : entries) {
            String e = raw == null ? "" : raw.trim();
            if (!e.equals(ANY) && !e.equalsIgnoreCase(LAN) && normalize(e) == null) {
                throw new ConfigException("allowedOrigins: '" + raw
                        + "' is not an origin (scheme://host[:port]), 'lan' or '*'");
            }
        }
    }
}
