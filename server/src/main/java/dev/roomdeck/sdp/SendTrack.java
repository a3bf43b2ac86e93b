package dev.roomdeck.sdp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the server sends one {@link OutgoingTrack} to this peer once negotiated: the m-section (mid), the SSRCs, and
 * the codecs and header extensions in the subscriber's numbering. The forwarder rewrites payload types and
 * extension ids with {@link #payloadTypeMap} and {@link #extensionIdMap}.
 */
public record SendTrack(String trackId, String streamId, MediaKind kind, String mid, long ssrc, long rtxSsrc,
                        List<Codec> codecs, Map<String, Integer> extensions) {
    private static final Set<String> NOT_FORWARDED = Set.of(MediaPolicy.MID, MediaPolicy.TRANSPORT_CC,
            MediaPolicy.RID, MediaPolicy.REPAIRED_RID);

    public SendTrack {
        codecs = List.copyOf(codecs);
        extensions = Map.copyOf(extensions);
    }

    /**
     * Publisher payload type to subscriber payload type, media and RTX, for every publisher codec this peer
     * accepted (matched with {@link Codec#sameFormat}). Payload types without an entry must not be forwarded.
     */
    public Map<Integer, Integer> payloadTypeMap(List<Codec> publisherCodecs) {
        Map<Integer, Integer> map = new HashMap<>();
        for (Codec p : publisherCodecs) {
            for (Codec s : codecs) {
                if (s.sameFormat(p)) {
                    map.putIfAbsent(p.payloadType(), s.payloadType());
                    if (p.hasRtx() && s.hasRtx()) {
                        map.putIfAbsent(p.rtxPayloadType(), s.rtxPayloadType());
                    }
                    break;
                }
            }
        }
        return map;
    }

    /** This peer's id for abs-send-time, which the server stamps with its own send time; 0 when not negotiated. */
    public int absSendTimeId() {
        return extensions.getOrDefault(MediaPolicy.ABS_SEND_TIME, 0);
    }

    /**
     * Publisher extension id to subscriber extension id, for the URIs both sides negotiated, except the MID
     * (sdes:mid): its value names the publisher's m-section, and a browser that meets a mid of its own (every
     * client has mids 0 and 1) binds the unknown SSRC to that transceiver, after which a server offer that lists
     * the SSRC in the right section fails ("Failed to apply demuxer criteria"). The forwarded packet goes without
     * it; the subscriber demultiplexes by the SSRCs its SDP lists. Never the transport-wide sequence number either:
     * it counts the publisher's packets on the publisher's transport, and a subscriber's feedback on it would be
     * nonsense (the server stamps none of its own; see {@link MediaPolicy}). Nor the rids: a simulcast track
     * reaches the subscriber as one stream, whichever layer feeds it.
     */
    public Map<Integer, Integer> extensionIdMap(Map<String, Integer> publisherExtensions) {
        Map<Integer, Integer> map = new HashMap<>();
        publisherExtensions.forEach((uri, id) -> {
            Integer mine = extensions.get(uri);
            if (mine != null && !NOT_FORWARDED.contains(uri)) {
                map.put(id, mine);
            }
        });
        return map;
    }
}
