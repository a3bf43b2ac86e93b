package dev.roomdeck.admin;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.roomdeck.media.IcePath;
import dev.roomdeck.media.IceProtocol;

/**
 * Looks at one peer's media path and says, in the words an office's operator uses, what is wrong and why it
 * probably is. The server sees only its own side: which checks arrived over which protocol, whether ICE and DTLS
 * finished, and the figures the browser reports. The causes follow from that, most likely first.
 */
public final class NetworkDoctor {
    /** How long a peer may take to get media up before it is flagged (ICE and DTLS take 1–3 s on a LAN). */
    public static final Duration GRACE = Duration.ofSeconds(10);
    static final double LOSS_PERCENT = 5;
    static final double RTT_MILLIS = 250;
    static final double JITTER_MILLIS = 50;

    /**
     * The server's side of every path.
     *
     * @param mediaPort      the shared media port number (UDP, and TCP when on)
     * @param iceTcp         whether ICE over TCP is on (and bound)
     * @param mediaAddresses the addresses announced to browsers now
     */
    public record Facts(int mediaPort, boolean iceTcp, List<String> mediaAddresses) {
        public Facts {
            mediaAddresses = List.copyOf(mediaAddresses);
        }
    }

    private final Facts facts;

    public NetworkDoctor(Facts facts) {
        this.facts = facts;
    }

    /**
     * @param transportState the transport's state in lower case ("new", "checking", ..., "ready", "failed")
     * @param sinceJoin      how long ago the peer joined
     */
    public NetworkPath examine(IcePath path, String transportState, Duration sinceJoin, double lossPercent,
                               double rttMillis, double jitterMillis) {
        boolean ready = "ready".equals(transportState);
        List<String> findings = new ArrayList<>();
        NetworkPath.Verdict verdict;
        if (ready) {
            if (path.protocol() == IceProtocol.TCP) {
                findings.add("Media runs over TCP: UDP port " + facts.mediaPort() + " seems blocked between this device"
                        + " and the PC. It works, but video stalls whenever a packet is lost; allow UDP "
                        + facts.mediaPort() + " in the firewall of this PC and of the network.");
            }
            if (lossPercent >= LOSS_PERCENT) {
                findings.add(String.format(Locale.ROOT, "%.0f %% of what it receives is lost: weak Wi-Fi (far from"
                        + " the access point) or a busy link.", lossPercent));
            }
            if (rttMillis >= RTT_MILLIS) {
                findings.add(String.format(Locale.ROOT, "Round trip %.0f ms: slow for a LAN (a VPN, a distant"
                        + " access point, or a congested link).", rttMillis));
            }
            if (jitterMillis >= JITTER_MILLIS) {
                findings.add(String.format(Locale.ROOT, "Its media arrives unevenly (jitter %.0f ms): Wi-Fi"
                        + " interference or a busy device.", jitterMillis));
            }
            verdict = findings.isEmpty() ? NetworkPath.Verdict.OK : NetworkPath.Verdict.WARNING;
        } else if (sinceJoin.compareTo(GRACE) < 0 && !"failed".equals(transportState)) {
            verdict = NetworkPath.Verdict.CONNECTING;
        } else {
            verdict = NetworkPath.Verdict.NO_MEDIA;
            whyNoMedia(path, transportState, sinceJoin, findings);
        }
        return new NetworkPath(path.protocol() == null ? null : path.protocol().code(), text(path.local()),
                text(path.remote()), path.remoteType(), path.iceMillis(), jitterMillis, verdict, findings);
    }

    private void whyNoMedia(IcePath path, String state, Duration sinceJoin, List<String> findings) {
        long seconds = sinceJoin.toSeconds();
        int port = facts.mediaPort();
        String addresses = String.join(", ", facts.mediaAddresses());
        if ("new".equals(state)) {
            findings.add("No media " + seconds + " s after joining, and the browser has not answered the server's"
                    + " offer: the page may be stuck, or the browser cannot use WebRTC here.");
            return;
        }
        if (!path.checkedOverUdp() && !path.checkedOverTcp()) {
            findings.add("No connectivity check from this device has reached media port " + port
                    + (facts.iceTcp() ? " (UDP or TCP)" : " (UDP)") + " in " + seconds + " s.");
            findings.add("It cannot reach " + addresses + ": it may be on another network or VLAN than this PC,"
                    + " on a guest Wi-Fi that keeps devices apart, or a firewall on this PC blocks port " + port + ".");
            if (!facts.iceTcp()) {
                findings.add("ICE over TCP is switched off: if this network blocks UDP, switch it on in Settings.");
            }
        } else if (!path.checkedOverUdp()) {
            findings.add("UDP to port " + port + " is blocked; the device reached it over TCP, but media did not"
                    + " start" + reason(path) + ".");
        } else if (path.iceMillis() < 0) {
            findings.add("This device's checks reach port " + port + " but its answers do not get back: a firewall"
                    + " or NAT lets traffic through in one direction only.");
            if (!path.checkedOverTcp() && !facts.iceTcp()) {
                findings.add("ICE over TCP is switched off: switching it on in Settings may get around it.");
            }
        } else {
            findings.add("A path was found" + (path.protocol() == null ? "" : " over " + path.protocol().code())
                    + " but the secure handshake (DTLS) did not complete" + reason(path)
                    + ": a browser extension or a device in between may interfere.");
        }
    }

    private static String reason(IcePath path) {
        return path.failureReason() == null ? "" : " (" + path.failureReason() + ")";
    }

    private static String text(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
