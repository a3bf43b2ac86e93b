package dev.roomdeck.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Literal IP addresses from settings, and this PC's LAN addresses. No DNS lookups: settings are literals. */
public final class Addresses {
    private Addresses() {
    }

    public static InetAddress parse(String setting, String literal) {
        if (literal == null || !literal.matches("[0-9a-fA-F:.]+")) {
            throw new ConfigException(setting + ": '" + literal + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new ConfigException(setting + ": '" + literal + "' is not an IP address");
        }
    }

    /** IPv4 addresses of interfaces that are up, not loopback, not link-local: what LAN browsers can reach. */
    public static List<InetAddress> lanAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return out;
    }

    /**
     * The addresses to announce as ICE host candidates: the configured ones; else the bind address when it is a
     * specific one; else every LAN address (loopback only if there is nothing else).
     */
    public static List<InetAddress> mediaAddresses(ServerConfig config) {
        if (!config.mediaAddresses().isEmpty()) {
            return config.mediaAddresses().stream().map(a -> parse("mediaAddresses", a)).toList();
        }
        InetAddress bind = parse("bind", config.bind());
        if (!bind.isAnyLocalAddress()) {
            return List.of(bind);
        }
        List<InetAddress> lan = lanAddresses();
        return lan.isEmpty() ? List.of(InetAddress.getLoopbackAddress()) : lan;
    }
}
