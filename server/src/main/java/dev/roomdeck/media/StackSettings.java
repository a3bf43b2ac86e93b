package dev.roomdeck.media;

/**
 * Process-wide settings ice4j reads once, applied before the first Agent exists.
 * Touch {@link #apply()} from every entry point of this package.
 */
final class StackSettings {
    /** SO_RCVBUF asked for the shared media port: about a second of a twelve-person meeting's incoming video. */
    static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

    static {
        // The AWS mapping harvester makes an HTTP request to 169.254.169.254 on the first Agent: never wanted.
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        // No host harvesting over interfaces (we give addresses ourselves): keep ice4j away from v6 and link-local.
        System.setProperty("ice4j.harvest.use-ipv6", "false");
        System.setProperty("ice4j.harvest.use-link-local-addresses", "false");
        // STUN mapping harvesters stay off: the reference config has no addresses and we add none.
        // (The shared UDP port is our own, SharedPortSocket; of ice4j's UDP settings it honours the receive buffer.)
        // Consent checks every 5 s (ice4j's default is 15 s), each retried 5 times 500 ms apart, as Jitsi
        // Videobridge runs it: the answers keep a quiet peer's liveness fresh. Left alone if set by the user.
        setIfAbsent("ice4j.consent-freshness.interval", "5 seconds");
        setIfAbsent("ice4j.consent-freshness.max-retransmissions", "5");
        // The shared port's receive buffer. With the OS default (208 KiB) the kernel dropped 3,800 of 160,000
        // datagrams in a five-person call on two cores (FivePersonCallTest: /proc/net/udp drops, all on this one
        // socket, none on the browsers'): whenever the browsers took both cores from the one reader thread for a
        // while. Every drop is a NACK, a repair and a late frame. Linux caps the request at net.core.rmem_max.
        setIfAbsent("ice4j.harvest.udp.receive-buffer-size", String.valueOf(RECEIVE_BUFFER_BYTES));
        // The shared port's reader hands media to the transport through the ICE component's push API
        // (Component.setBufferCallback), in buffers recycled by PushedBuffers.
        PushedBuffers.install();
    }

    private StackSettings() {
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** SO_RCVBUF for the shared port: {@link #RECEIVE_BUFFER_BYTES} unless the user set ice4j's property. */
    static int receiveBufferBytes() {
        try {
            return Integer.parseInt(System.getProperty("ice4j.harvest.udp.receive-buffer-size").trim());
        } catch (RuntimeException e) {
            return RECEIVE_BUFFER_BYTES;
        }
    }

    static void apply() {
        // the static initializer did the work
    }
}
