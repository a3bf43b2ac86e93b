package dev.roomdeck.console.model;

import dev.roomdeck.admin.NetworkPath;
import java.util.Locale;

/**
 * What the peers table's Network cell says about one peer: the network doctor's verdict and the protocol of the
 * selected pair, in words ("UDP ✓", "TCP ⚠", "connecting…", "no media ✗"). Sorts by how much it needs a look:
 * fine, connecting, warning, no media (descending brings trouble to the top).
 *
 * @param verdict  the doctor's verdict
 * @param protocol "udp", "tcp", or null before ICE selected a pair
 */
public record NetworkStatus(NetworkPath.Verdict verdict, String protocol) implements Comparable<NetworkStatus> {
    /** Before the first snapshot that says anything. */
    public static final NetworkStatus UNKNOWN = new NetworkStatus(NetworkPath.Verdict.CONNECTING, null);

    public NetworkStatus {
        verdict = verdict == null ? NetworkPath.Verdict.CONNECTING : verdict;
    }

    public static NetworkStatus of(NetworkPath p) {
        return p == null ? UNKNOWN : new NetworkStatus(p.verdict(), p.protocol());
    }

    /** The cell's words: the mark says the verdict, so it never rests on colour alone. */
    public String text() {
        return switch (verdict) {
            case OK -> protocolWord() + " ✓";
            case WARNING -> protocolWord() + " ⚠";
            case CONNECTING -> "connecting…";
            case NO_MEDIA -> "no media ✗";
        };
    }

    /** "UDP", "TCP", or "media" when no pair is known. */
    public String protocolWord() {
        return protocol == null || protocol.isBlank() ? "media" : protocol.toUpperCase(Locale.ROOT);
    }

    /** The style class of the cell and, when {@link #flagged}, of the whole row: network-ok, network-no-media... */
    public String styleClass() {
        return "network-" + verdict.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A row the operator should look at: no media, or media with a warning. */
    public boolean flagged() {
        return verdict == NetworkPath.Verdict.NO_MEDIA || verdict == NetworkPath.Verdict.WARNING;
    }

    /** 0 fine, 1 connecting, 2 warning, 3 no media. */
    public int severity() {
        return switch (verdict) {
            case OK -> 0;
            case CONNECTING -> 1;
            case WARNING -> 2;
            case NO_MEDIA -> 3;
        };
    }

    @Override
    public int compareTo(NetworkStatus o) {
        int c = Integer.compare(severity(), o.severity());
        return c != 0 ? c : text().compareTo(o.text());
    }

    @Override
    public String toString() {
        return text();
    }
}
