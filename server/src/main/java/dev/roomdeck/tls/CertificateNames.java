package dev.roomdeck.tls;

import dev.roomdeck.config.Addresses;
import dev.roomdeck.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The names and addresses a certificate is valid for (its SubjectAlternativeNames). A browser accepts the
 * certificate only for a URL whose host is one of these, so the generated one lists every way people reach this PC.
 *
 * @param dnsNames host names, lower case
 * @param ipAddresses IP addresses in Java's textual form ({@link InetAddress#getHostAddress()})
 */
public record CertificateNames(List<String> dnsNames, List<String> ipAddresses) {
    private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

    public CertificateNames {
        dnsNames = List.copyOf(new LinkedHashSet<>(dnsNames));
        ipAddresses = List.copyOf(new LinkedHashSet<>(ipAddresses));
    }

    /**
     * This PC: its host name (and the {@code .local} name mDNS answers for it), {@code localhost}, 127.0.0.1,
     * every LAN IPv4 address, and the addresses configured for media, the NAT and the bind address.
     */
    public static CertificateNames forThisPc(ServerConfig config) {
        List<String> dns = new ArrayList<>();
        hostName().ifPresent(host -> {
            dns.add(host);
            String first = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
            if (!host.endsWith(".local")) {
                dns.add(first + ".local");
            }
        });
        dns.add("localhost");
        List<String> ips = new ArrayList<>();
        ips.add("127.0.0.1");
        for (InetAddress a : Addresses.lanAddresses()) {
            ips.add(a.getHostAddress());
        }
        InetAddress bind = Addresses.parse("bind", config.bind());
        if (!bind.isAnyLocalAddress()) {
            ips.add(bind.getHostAddress());
        }
        for (String a : config.mediaAddresses()) {
            ips.add(Addresses.parse("mediaAddresses", a).getHostAddress());
        }
        if (config.announcedAddress() != null) {
            ips.add(Addresses.parse("announcedAddress", config.announcedAddress()).getHostAddress());
        }
        return new CertificateNames(dns, ips);
    }

    /** The SubjectAlternativeNames of a certificate (DNS names and IP addresses; other kinds are ignored). */
    public static CertificateNames of(X509Certificate certificate) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        dns.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                    } else if (type == 7) {
                        ips.add(normalIp((String) san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension names nothing: the certificate then covers nothing we need.
        }
        return new CertificateNames(dns, ips);
    }

    /** Whether every name and address in {@code wanted} is also in this set. */
    public boolean covers(CertificateNames wanted) {
        return dnsNames.containsAll(wanted.dnsNames) && ipAddresses.containsAll(wanted.ipAddresses);
    }

    /** Names first, then addresses: what the console lists. */
    public List<String> all() {
        List<String> out = new ArrayList<>(dnsNames);
        out.addAll(ipAddresses);
        return out;
    }

    private static String normalIp(String literal) {
        try {
            return Addresses.parse("subjectAlternativeName", literal).getHostAddress();
        } catch (RuntimeException e) {
            return literal;
        }
    }

    /**
     * This PC's host name, read without any name lookup (InetAddress.getLocalHost() may ask a DNS server).
     * Empty if it cannot be read or is not a valid DNS name.
     */
    static Optional<String> hostName() {
        String name = null;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            name = System.getenv("COMPUTERNAME");
        } else {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            try {
                if (Files.isReadable(proc)) {
                    name = Files.readString(proc, StandardCharsets.US_ASCII);
                } else {
                    name = runHostname();
                }
            } catch (IOException e) {
                name = null;
            }
        }
        if (name == null) {
            return Optional.empty();
        }
        name = name.trim().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.length() <= 253 && name.matches(LABEL + "(\\." + LABEL + ")*") && !name.equals("localhost")
                ? Optional.of(name) : Optional.empty();
    }

    private static String runHostname() throws IOException {
        Process p = new ProcessBuilder("hostname").redirectErrorStream(true).start();
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().findFirst().orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
