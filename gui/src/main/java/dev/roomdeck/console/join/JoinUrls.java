package dev.roomdeck.console.join;

import dev.roomdeck.config.Addresses;
import dev.roomdeck.config.ServerConfig;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** The addresses people type (or scan) to join: one URL per LAN address this server can be reached at. */
public final class JoinUrls {
    private JoinUrls() {
    }

    /**
     * Bound to all interfaces: one URL per LAN address (loopback only if the PC has none). Bound to one
     * address: that address.
     */
    public static List<String> of(ServerConfig config, int httpPort) {
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
        return hosts.stream().map(a -> url(a, httpPort)).toList();
    }

    static String url(InetAddress a, int port) {
        String host = a.getHostAddress();
        if (a instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return "http://" + host + ":" + port + "/";
    }
}
