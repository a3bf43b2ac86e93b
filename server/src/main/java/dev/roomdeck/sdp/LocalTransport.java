package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * What the server writes into its SDPs about its own transport.
 *
 * <p>Candidates are the values of {@code a=candidate} lines without the {@code a=candidate:} prefix, e.g.
 * {@code "1 1 udp 2130706431 127.0.0.1 10000 typ host"}. A leading {@code "a="} and/or {@code "candidate:"} is
 * stripped, so the form ICE libraries print ({@code "candidate:1 1 udp ..."}) is accepted as well. The first
 * candidate also gives the m-line port and the c-line address; with no candidates they are 9 and 0.0.0.0.
 */
public record LocalTransport(String iceUfrag, String icePwd, String fingerprintAlgorithm, String fingerprint,
                             List<String> candidates) {

    public LocalTransport {
        if (iceUfrag == null || iceUfrag.isBlank() || icePwd == null || icePwd.isBlank()) {
            throw new IllegalArgumentException("the local transport needs an ICE ufrag and password");
        }
        if (fingerprintAlgorithm == null || fingerprint == null || fingerprint.isBlank()) {
            throw new IllegalArgumentException("the local transport needs a DTLS fingerprint");
        }
        List<String> clean = new ArrayList<>();
        if (candidates != null) {
            for (String c : candidates) {
                String v = c.trim();
                if (v.startsWith("a=")) {
                    v = v.substring(2);
                }
                if (v.startsWith("candidate:")) {
                    v = v.substring("candidate:".length());
                }
                if (!v.isEmpty()) {
                    clean.add(v);
                }
            }
        }
        candidates = List.copyOf(clean);
    }

    /** The address of the first candidate (field 5), or null. */
    String defaultAddress() {
        String[] f = candidates.isEmpty() ? new String[0] : candidates.get(0).split("\\s+");
        return f.length > 5 ? f[4] : null;
    }

    /** The port of the first candidate (field 6), or 9 (the "discard" port JSEP uses when there is none). */
    int defaultPort() {
        String[] f = candidates.isEmpty() ? new String[0] : candidates.get(0).split("\\s+");
        if (f.length > 5) {
            try {
                int port = Integer.parseInt(f[5]);
                if (port > 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // fall through to the placeholder
            }
        }
        return 9;
    }
}
