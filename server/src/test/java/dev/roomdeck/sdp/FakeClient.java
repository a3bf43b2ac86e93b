package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a browser answers to a server offer, reduced to SDP text: same sections and codecs, directions flipped,
 * its own ICE/DTLS, and its own msid/ssrc lines where it sends. For tests that need an answer Chromium was not
 * asked for.
 */
final class FakeClient {
    static final String UFRAG = "cLnt";
    static final String PWD = "clientPasswordOf24Chars1";
    static final String FINGERPRINT = "sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F"
            + ":60:71:82:93:A4:B5:C6:D7:E8:F9";

    private final SessionDescription offer;
    private final Map<String, List<String>> sendingByMid = new HashMap<>();
    private final Set<String> rejected = new HashSet<>();
    private final Set<String> declined = new HashSet<>();

    private FakeClient(SessionDescription offer) {
        this.offer = offer;
    }

    static FakeClient answering(String serverOffer) throws SdpException {
        return new FakeClient(SessionDescription.parse(serverOffer));
    }

    /**
     * How the client describes what it sends in this section (e.g. "msid:s t", "ssrc:1 cname:c"). By default it
     * sends wherever the offer lets it, as track "client-track-MID" with SSRC 1000 + section index.
     */
    FakeClient sending(String mid, String... attributes) {
        sendingByMid.put(mid, List.of(attributes));
        return this;
    }

    /** Port 0 for this section. */
    FakeClient rejecting(String mid) {
        rejected.add(mid);
        return this;
    }

    /** The client neither sends nor receives in this section (answers inactive). */
    FakeClient declining(String mid) {
        declined.add(mid);
        return this;
    }

    String sdp() {
        List<SdpLine> session = new ArrayList<>(List.of(new SdpLine('v', "0"),
                new SdpLine('o', "- 77 2 IN IP4 127.0.0.1"), new SdpLine('s', "-"), new SdpLine('t', "0 0")));
        List<String> bundle = new ArrayList<>();
        List<MediaSection> media = new ArrayList<>();
        for (MediaSection m : offer.media()) {
            String mid = m.mid();
            if (m.port() == 0 || rejected.contains(mid)) {
                media.add(MediaSection.builder(m.kind(), 0, m.proto(), m.formats()).line('c', "IN IP4 0.0.0.0")
                        .attribute("mid", mid).build());
                continue;
            }
            bundle.add(mid);
            Direction offered = m.direction();
            boolean sends = offered.receives() && !declined.contains(mid);
            boolean receives = offered.sends() && !declined.contains(mid);
            MediaSection.Builder b = MediaSection.builder(m.kind(), 9, m.proto(), m.formats());
            b.line('c', "IN IP4 0.0.0.0").attribute("ice-ufrag", UFRAG).attribute("ice-pwd", PWD)
                    .attribute("fingerprint", FINGERPRINT).attribute("setup", "active").attribute("mid", mid);
            for (String ext : m.attributes("extmap")) {
                b.attribute("extmap", ext);
            }
            b.flag(Direction.of(sends, receives).sdpName());
            b.flag("rtcp-mux");
            if (m.hasAttribute("rtcp-rsize")) {
                b.flag("rtcp-rsize");
            }
            for (SdpLine line : m.lines()) {
                String name = line.attributeName();
                if ("rtpmap".equals(name) || "fmtp".equals(name) || "rtcp-fb".equals(name)) {
                    b.line('a', line.value());
                }
            }
            if (sends) {
                List<String> own = sendingByMid.getOrDefault(mid, List.of("msid:client-stream client-track-" + mid,
                        "ssrc:" + (1000 + m.index()) + " cname:client"));
                for (String a : own) {
                    b.line('a', a);
                }
            }
            media.add(b.build());
        }
        if (!bundle.isEmpty()) {
            session.add(SdpLine.attribute("group", "BUNDLE " + String.join(" ", bundle)));
        }
        session.add(SdpLine.attribute("msid-semantic", " WMS"));
        return new SessionDescription(session, media).toString();
    }
}
