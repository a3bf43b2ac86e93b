package dev.roomdeck.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks and edits on SDP text shared by the negotiation tests. */
final class SdpAssert {
    private SdpAssert() {
    }

    static SessionDescription parsed(String sdp) {
        try {
            return SessionDescription.parse(sdp);
        } catch (SdpException e) {
            throw new AssertionError("the server wrote SDP it cannot parse itself: " + e.getMessage(), e);
        }
    }

    static MediaSection section(String sdp, String mid) {
        for (MediaSection m : parsed(sdp).media()) {
            if (mid.equals(m.mid())) {
                return m;
            }
        }
        throw new AssertionError("no m-section with mid " + mid);
    }

    /** The section's lines as text, without the m-line. */
    static List<String> lines(MediaSection m) {
        List<String> result = new ArrayList<>();
        for (SdpLine line : m.lines()) {
            result.add(line.toString());
        }
        return result;
    }

    /**
     * BUNDLE puts every section on one transport: a payload type and an extension id must mean one thing in the
     * whole SDP.
     */
    static void bundleConsistent(String sdp) throws SdpException {
        Map<Integer, String> formatByPt = new HashMap<>();
        Map<Integer, String> uriById = new HashMap<>();
        for (MediaSection m : parsed(sdp).media()) {
            if (m.port() == 0) {
                continue;
            }
            for (Codec c : m.codecs()) {
                String key = c.formatKey();
                assertThat(formatByPt.putIfAbsent(c.payloadType(), key)).as("payload type %d", c.payloadType())
                        .isIn(null, key);
                if (c.hasRtx()) {
                    assertThat(formatByPt.putIfAbsent(c.rtxPayloadType(), "rtx>" + key))
                            .as("payload type %d", c.rtxPayloadType()).isIn(null, "rtx>" + key);
                }
            }
            for (Map.Entry<String, Integer> e : m.extensions().entrySet()) {
                assertThat(uriById.putIfAbsent(e.getValue(), e.getKey())).as("extension id %d", e.getValue())
                        .isIn(null, e.getKey());
            }
        }
    }

    /** Chrome's demuxer rule: an SSRC is listed in one m-section only ("Failed to apply demuxer criteria"). */
    static void ssrcsInOneSectionEach(String sdp) throws SdpException {
        Map<Long, String> owner = new HashMap<>();
        for (MediaSection m : parsed(sdp).media()) {
            for (SsrcDescription src : m.sources()) {
                String was = owner.putIfAbsent(src.ssrc(), m.mid());
                assertThat(was == null || was.equals(m.mid())).as("SSRC %d in sections %s and %s", src.ssrc(), was,
                        m.mid()).isTrue();
            }
        }
    }

    /** The same SDP with one section's direction attribute replaced. */
    static String withDirection(String sdp, String mid, Direction direction) {
        SessionDescription sd = parsed(sdp);
        List<MediaSection> media = new ArrayList<>();
        for (MediaSection m : sd.media()) {
            if (!mid.equals(m.mid())) {
                media.add(m);
                continue;
            }
            MediaSection.Builder b = MediaSection.builder(m.kind(), m.port(), m.proto(), m.formats());
            for (SdpLine line : m.lines()) {
                if (line.isAttribute() && Direction.fromSdp(line.value()) != null) {
                    b.flag(direction.sdpName());
                } else {
                    b.line(line.type(), line.value());
                }
            }
            media.add(b.build());
        }
        return new SessionDescription(sd.lines(), media).toString();
    }

    /** The same SDP without the lines that start with {@code prefix} (whole text, all sections). */
    static String without(String sdp, String prefix) {
        StringBuilder out = new StringBuilder();
        for (String line : sdp.split("\r?\n")) {
            if (!line.startsWith(prefix)) {
                out.append(line).append("\r\n");
            }
        }
        return out.toString();
    }
}
