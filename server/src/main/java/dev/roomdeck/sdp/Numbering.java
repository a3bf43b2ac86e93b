package dev.roomdeck.sdp;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The payload types and header-extension ids one peer uses. BUNDLE puts all m-sections on one transport, so a
 * payload type (or an extension id) must mean the same thing in every section: the server numbers what it offers
 * the way the peer already numbered it, and otherwise picks Chrome's usual numbers if they are still free.
 */
final class Numbering {
    private static final String RTX = "rtx>";

    /** Chrome's default payload types: format key to {media, rtx}. */
    private static final Map<String, int[]> DEFAULT_PT = Map.ofEntries(
            Map.entry("opus/48000/2", new int[] {111, -1}),
            Map.entry("vp8/90000/1", new int[] {96, 97}),
            Map.entry("vp9/90000/1/0", new int[] {98, 99}),
            Map.entry("vp9/90000/1/2", new int[] {100, 101}),
            Map.entry("vp9/90000/1/1", new int[] {35, 36}),
            Map.entry("vp9/90000/1/3", new int[] {37, 38}),
            Map.entry("h264/90000/1/4200/1", new int[] {103, 104}),
            Map.entry("h264/90000/1/4200/0", new int[] {107, 108}),
            Map.entry("h264/90000/1/42e0/1", new int[] {109, 114}),
            Map.entry("h264/90000/1/42e0/0", new int[] {115, 116}),
            Map.entry("h264/90000/1/4d00/1", new int[] {117, 118}),
            Map.entry("h264/90000/1/4d00/0", new int[] {39, 40}),
            Map.entry("h264/90000/1/f400/1", new int[] {41, 42}),
            Map.entry("h264/90000/1/f400/0", new int[] {43, 44}));

    /** Chrome's default extension ids. */
    private static final Map<String, Integer> DEFAULT_EXT = Map.of(
            MediaPolicy.AUDIO_LEVEL, 1,
            MediaPolicy.ABS_SEND_TIME, 2,
            MediaPolicy.TRANSPORT_CC, 3,
            MediaPolicy.MID, 4,
            MediaPolicy.RID, 10,
            MediaPolicy.REPAIRED_RID, 11);

    private final Map<Integer, String> keyByPt;
    private final Map<String, Integer> ptByKey;
    private final Map<Integer, String> uriById;
    private final Map<String, Integer> idByUri;
    /** Formats the peer itself listed, per media kind: what it can decode, as far as its SDPs tell. */
    private final Map<MediaKind, Set<String>> peerFormats;

    Numbering() {
        this(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new EnumMap<>(MediaKind.class));
    }

    private Numbering(Map<Integer, String> keyByPt, Map<String, Integer> ptByKey, Map<Integer, String> uriById,
                      Map<String, Integer> idByUri, Map<MediaKind, Set<String>> peerFormats) {
        this.keyByPt = keyByPt;
        this.ptByKey = ptByKey;
        this.uriById = uriById;
        this.idByUri = idByUri;
        this.peerFormats = peerFormats;
    }

    Numbering copy() {
        Map<MediaKind, Set<String>> formats = new EnumMap<>(MediaKind.class);
        peerFormats.forEach((k, v) -> formats.put(k, new HashSet<>(v)));
        return new Numbering(new HashMap<>(keyByPt), new HashMap<>(ptByKey), new HashMap<>(uriById),
                new HashMap<>(idByUri), formats);
    }

    /** Records every payload type and extension id of a section the peer wrote (first meaning wins). */
    void learn(MediaSection m) throws SdpException {
        if (!m.isRtp() || m.isRejected() && !m.hasAttribute("bundle-only")) {
            return;
        }
        List<Codec> codecs = m.codecs();
        learn(codecs);
        MediaKind kind = m.mediaKind();
        if (kind != null && !codecs.isEmpty()) {
            Set<String> formats = peerFormats.computeIfAbsent(kind, k -> new HashSet<>());
            for (Codec c : codecs) {
                formats.add(c.formatKey());
            }
        }
        m.extensions().forEach(this::learnExtension);
    }

    /**
     * Whether the peer can take this format: it listed it in one of its SDPs, or it never described a section of
     * that kind (then anything the SFU forwards is offered and its answer decides). Offering only these saves the
     * round that would narrow the codecs later.
     */
    boolean peerTakes(MediaKind kind, Codec c) {
        Set<String> formats = peerFormats.get(kind);
        return formats == null || formats.contains(c.formatKey());
    }

    void learn(List<Codec> codecs) {
        for (Codec c : codecs) {
            String key = c.formatKey();
            record(c.payloadType(), key);
            if (c.hasRtx()) {
                record(c.rtxPayloadType(), RTX + key);
            }
        }
    }

    void learnExtension(String uri, int id) {
        uriById.putIfAbsent(id, uri);
        idByUri.putIfAbsent(uri, id);
    }

    private void record(int pt, String key) {
        keyByPt.putIfAbsent(pt, key);
        ptByKey.putIfAbsent(key, pt);
    }

    /**
     * The publisher's codec renumbered for this peer: its own payload type for that format (and for its RTX) if
     * it has one, else Chrome's default if free, else a free dynamic number. The choice is remembered. Null when
     * the peer has used up every dynamic payload type.
     */
    Codec renumber(Codec publisher, boolean withRtx, List<String> feedback) {
        String key = publisher.formatKey();
        int[] defaults = DEFAULT_PT.getOrDefault(key, new int[] {-1, -1});
        int pt = payloadType(key, defaults[0]);
        if (pt < 0) {
            return null;
        }
        int rtx = withRtx ? payloadType(RTX + key, defaults[1]) : -1;
        return new Codec(pt, publisher.name(), publisher.clockRate(), publisher.channels(), publisher.fmtp(),
                feedback, rtx);
    }

    private int payloadType(String key, int preferred) {
        Integer known = ptByKey.get(key);
        if (known != null) {
            return known;
        }
        int pt = preferred >= 0 && !keyByPt.containsKey(preferred) ? preferred : freePayloadType();
        if (pt >= 0) {
            record(pt, key);
        }
        return pt;
    }

    private int freePayloadType() {
        for (int pt = 96; pt <= 127; pt++) {
            if (!keyByPt.containsKey(pt)) {
                return pt;
            }
        }
        for (int pt = 35; pt <= 63; pt++) {
            if (!keyByPt.containsKey(pt)) {
                return pt;
            }
        }
        return -1;
    }

    /** This peer's id for the extension, else Chrome's default if free, else a free one-byte id; -1 if none. */
    int extensionId(String uri) {
        Integer known = idByUri.get(uri);
        if (known != null) {
            return known;
        }
        Integer preferred = DEFAULT_EXT.get(uri);
        int id = -1;
        if (preferred != null && !uriById.containsKey(preferred)) {
            id = preferred;
        } else {
            for (int i = 1; i <= 14; i++) {
                if (!uriById.containsKey(i)) {
                    id = i;
                    break;
                }
            }
        }
        if (id > 0) {
            learnExtension(uri, id);
        }
        return id;
    }
}
