package dev.roomdeck.network;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The self-check of the addresses this PC announces for media, run at start-up and whenever the addresses change:
 * the problems it finds are the first thing to fix when nobody on the LAN gets video, so the console's status bar
 * shows them.
 */
public final class MediaAddressCheck {
    private MediaAddressCheck() {
    }

    /**
     * @param wanted        the addresses the settings ask media to be announced on (configured, or detected)
     * @param bound         the addresses the media port is actually bound on
     * @param port          the media port number
     * @param socketProblems what binding the sockets reported (e.g. TCP that could not be bound)
     * @param onThisPc      whether an address belongs to an interface of this PC that is up
     */
    public static List<String> run(List<InetAddress> wanted, List<InetAddress> bound, int port,
                                   List<String> socketProblems, Predicate<InetAddress> onThisPc) {
        List<String> problems = new ArrayList<>();
        for (InetAddress a : wanted) {
            String host = a.getHostAddress();
            if (!onThisPc.test(a)) {
                problems.add("Media address " + host + " is not an address of this PC (or its network is down):"
                        + " browsers told to send media there get none. Check the media addresses in Settings.");
            } else if (!bound.contains(a)) {
                problems.add("Media port " + port + " could not be bound on " + host + ": another program may use it.");
            }
        }
        if (!wanted.isEmpty() && wanted.stream().allMatch(InetAddress::isLoopbackAddress)) {
            problems.add("Media is announced only on loopback (" + wanted.get(0).getHostAddress() + "): only"
                    + " browsers on this PC can join. Connect this PC to the office network.");
        }
        problems.addAll(socketProblems);
        return List.copyOf(problems);
    }

    /** Whether {@code a} is the address of an interface of this PC that is up (loopback counts). */
    public static boolean onThisPc(InetAddress a) {
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(a);
            return nic != null && nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }
}
