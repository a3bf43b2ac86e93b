package dev.roomdeck;

import dev.roomdeck.config.Addresses;
import dev.roomdeck.config.CommandLine;
import dev.roomdeck.config.ConfigException;
import dev.roomdeck.config.ConfigLoader;
import dev.roomdeck.config.ServerConfig;
import dev.roomdeck.tls.CertificateInfo;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * What the headless server ({@link Main}) and the console's launcher do alike before and after the server starts:
 * read the flags, load the configuration (a bad one ends the program with a clear message and exit code 2), route
 * java.util.logging into SLF4J, and print where people join.
 */
public final class Launcher {
    /** Exit code for bad flags or settings (what the installer and scripts check). */
    public static final int BAD_USAGE = 2;

    private Launcher() {
    }

    /** Flags, or the exit code when the program is done: 0 after --help/--version, 2 after bad flags. */
    record Parsed(CommandLine flags, int exitCode) {
    }

    /**
     * Parses the flags. Prints usage and exits 0 for --help/--version; prints the error and usage and exits 2 for
     * flags it does not understand.
     */
    public static CommandLine flags(String command, String[] args) {
        // Before anything creates an ice4j Agent: its AWS harvester would call 169.254.169.254.
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        Parsed p = parse(command, args, System.out, System.err);
        if (p.flags() == null) {
            System.exit(p.exitCode());
        }
        return p.flags();
    }

    static Parsed parse(String command, String[] args, PrintStream out, PrintStream err) {
        CommandLine flags = new CommandLine();
        picocli.CommandLine cli = new picocli.CommandLine(flags);
        cli.setCommandName(command);
        try {
            cli.parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
            err.println(e.getMessage());
            cli.usage(err);
            return new Parsed(null, BAD_USAGE);
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            return new Parsed(null, 0);
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(out);
            return new Parsed(null, 0);
        }
        return new Parsed(flags, -1);
    }

    /** Defaults, then --config or the saved settings, then the flags; a bad setting: its message and exit 2. */
    public static ServerConfig config(CommandLine flags) {
        try {
            return ConfigLoader.load(flags);
        } catch (ConfigException e) {
            System.err.println("roomdeck: " + e.getMessage());
            System.exit(BAD_USAGE);
            return null;
        }
    }

    /** Routes java.util.logging (ice4j, jitsi-srtp) into SLF4J/Logback. */
    public static void installLogging() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    /**
     * Where to join and how to trust the certificate: the HTTPS URLs for other machines (browsers allow camera and
     * microphone only there), plain HTTP for this PC, and the certificate's fingerprint to compare with the
     * browser's warning.
     */
    public static void printBanner(PrintStream out, RoomDeckServer server) {
        CertificateInfo cert = server.certificate();
        out.println("RoomDeck started");
        out.println("  http port:   " + server.httpPort() + " (this PC)");
        out.println("  https port:  " + server.httpsPort());
        out.println("  media port:  " + server.mediaPort() + (server.mediaEndpoint().iceTcp() ? " (udp; tcp where udp is blocked)" : " (udp)"));
        for (String url : httpsJoinUrls(server)) {
            out.println("  join at:     " + url);
        }
        out.println("  on this PC:  " + localUrl(server.config(), server.httpPort()));
        if (server.metricsPort() > 0) {
            out.println("  metrics:     http://" + server.config().metrics().bind() + ":" + server.metricsPort()
                    + "/metrics (Prometheus)");
        }
        out.println("  certificate: " + (cert.generated() ? "issued by RoomDeck's local CA" : "supplied")
                + "; SHA-256 " + cert.fingerprint());
        out.println("               for " + String.join(", ", cert.names()));
        if (cert.mode() == CertificateInfo.Mode.LOCAL_CA) {
            out.println("  local CA:    SHA-256 " + cert.authorityFingerprint());
            for (String url : trustUrls(server)) {
                out.println("  trust at:    " + url + " (install the CA once per device: no more warnings)");
            }
        }
        out.flush();
    }

    /**
     * Where devices get RoomDeck's local CA: the plain-HTTP {@value CertificateInfo#TRUST_PATH} page at each
     * address (http, since a device cannot trust the HTTPS port before it has the CA). Empty with a supplied
     * certificate.
     */
    public static List<String> trustUrls(RoomDeckServer server) {
        if (server.certificate().mode() != CertificateInfo.Mode.LOCAL_CA) {
            return List.of();
        }
        return joinUrls(server.config(), "http", server.httpPort()).stream()
                .map(u -> u + CertificateInfo.TRUST_PATH.substring(1)).toList();
    }

    /** The https URLs to share for this server (see {@link #httpsJoinUrls(ServerConfig, CertificateInfo, int)}). */
    public static List<String> httpsJoinUrls(RoomDeckServer server) {
        return httpsJoinUrls(server.config(), server.certificate(), server.httpsPort());
    }

    /**
     * The https URLs to share. The generated certificate holds every address of this PC, so: one per address. A
     * supplied certificate decides which hosts browsers accept without a name error: its host names first (not
     * localhost, not wildcards), then the addresses it covers; if it covers none of them, the addresses anyway.
     */
    static List<String> httpsJoinUrls(ServerConfig config, CertificateInfo cert, int port) {
        List<String> byAddress = joinUrls(config, "https", port);
        if (cert.generated()) {
            return byAddress;
        }
        List<String> out = new ArrayList<>();
        for (String name : cert.names()) {
            boolean ip = name.matches("[0-9.]+") || name.contains(":");
            if (!ip && !name.contains("*") && !name.equalsIgnoreCase("localhost")) {
                out.add("https://" + name + ":" + port + "/");
            }
        }
        for (String url : byAddress) {
            if (cert.coversHost(URI.create(url).getHost())) {
                out.add(url);
            }
        }
        return out.isEmpty() ? byAddress : out;
    }

    /**
     * The URLs people type (or scan) to join, one per address this server can be reached at: bound to all
     * interfaces, one per LAN address (loopback only if the PC has none); bound to one address, that address.
     */
    public static List<String> joinUrls(ServerConfig config, String scheme, int port) {
        InetAddress bind = Addresses.parse("bind", config.bind());
        List<InetAddress> hosts = new ArrayList<>();
        if (bind.isAnyLocalAddress()) {
            hosts.addAll(Addresses.lanAddresses());
            if (hosts.isEmpty()) {
                hosts.add(InetAddress.getLoopbackAddress());
            }
        } else {
            hosts.add(bind);
        }
        return hosts.stream().map(a -> url(scheme, a, port)).toList();
    }

    /** Plain HTTP on this PC itself (browsers count localhost as secure): localhost, or the one bound address. */
    public static String localUrl(ServerConfig config, int httpPort) {
        InetAddress bind = Addresses.parse("bind", config.bind());
        return bind.isAnyLocalAddress() ? "http://localhost:" + httpPort + "/" : url("http", bind, httpPort);
    }

    /** scheme://host:port/ with IPv6 literals bracketed and without their zone. */
    public static String url(String scheme, InetAddress a, int port) {
        String host = a.getHostAddress();
        if (a instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return scheme + "://" + host + ":" + port + "/";
    }
}
