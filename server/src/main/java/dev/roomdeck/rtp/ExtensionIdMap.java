package dev.roomdeck.rtp;

import java.util.Map;

/**
 * Builds the id map {@link RtpPacket#rewriteExtensionIds} takes, from the header extensions each side
 * negotiated (SDP {@code a=extmap:<id> <uri>}), once per (publisher, subscriber) pair at negotiation time.
 *
 * <p>An extension both sides know keeps its meaning under the subscriber's id. One the subscriber did not
 * negotiate maps to 0, which erases it into padding: we never guess an "unused" id for it, because the
 * subscriber may later renegotiate that id for something else, while padding is safe for ever.
 * Note the form is not changed in place: a packet in the one-byte form can only carry ids 1..14, so a
 * subscriber id above 14 also ends up erased for such packets.
 */
public final class ExtensionIdMap {
    private ExtensionIdMap() {}

    /** @param publisher URI -> id as the publisher sends; @param subscriber URI -> id as the subscriber expects */
    public static int[] build(Map<String, Integer> publisher, Map<String, Integer> subscriber) {
        int[] map = new int[256];
        for (Map.Entry<String, Integer> e : publisher.entrySet()) {
            int from = e.getValue();
            if (from < 1 || from > 255) throw new IllegalArgumentException("extension id out of range: " + e);
            Integer to = subscriber.get(e.getKey());
            if (to != null && (to < 1 || to > 255)) throw new IllegalArgumentException("extension id out of range: " + to);
            map[from] = to == null ? 0 : to;
        }
        return map;
    }
}
