package dev.roomdeck.room;

import dev.roomdeck.sdp.Codec;
import dev.roomdeck.sdp.Direction;
import dev.roomdeck.sdp.MediaSection;
import dev.roomdeck.sdp.SdpException;
import dev.roomdeck.sdp.SessionDescription;
import dev.roomdeck.sdp.SsrcDescription;
import dev.roomdeck.sdp.SsrcGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A unified-plan browser reduced to its negotiation state, which writes SDP the way Chromium does and refuses, with
 * Chromium's reasons, what Chromium refuses. The rules it enforces on every description the server sends:
 * <ul>
 * <li>mids unique; every live section in the BUNDLE group; sections keep their place, mid and kind;</li>
 * <li>an SSRC in one section only, never one of our own, and never moved from one section to another by one
 * description ("Failed to apply demuxer criteria");</li>
 * <li>a section that sends describes its SSRCs with one msid, FID groups name listed SSRCs; a section that does
 * not send lists none (no departed stream left behind);</li>
 * <li>a payload type and an extension id mean one thing in the whole BUNDLE;</li>
 * <li>directions fit the offer (answers) and offers carry only codecs we listed ("offers already narrowed");</li>
 * <li>answers keep the offer's sections, in order.</li>
 * </ul>
 */
final class BrowserModel implements PeerConnectionSide {

    /** Codec numbering and extension ids of one browser family. */
    record Profile(String name, int opus, int vp8, int vp8Rtx, int vp9, int vp9Rtx, int h264, int h264Rtx,
                   Map<String, Integer> extensions) {
        static final Profile CHROME = new Profile("chrome", 111, 96, 97, 98, 99, 102, 103, Map.of(
                "urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1,
                "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", 2,
                "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", 3,
                "urn:ietf:params:rtp-hdrext:sdes:mid", 4));
        /** Firefox-like: other numbers, and no VP9. */
        static final Profile FIREFOX = new Profile("firefox", 109, 120, 124, -1, -1, 126, 127, Map.of(
                "urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1,
                "urn:ietf:params:rtp-hdrext:sdes:mid", 3,
                "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", 4,
                "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", 7));

        List<String> codecLines(String kind) {
            List<String> l = new ArrayList<>();
            if (kind.equals("audio")) {
                l.add("rtpmap:" + opus + " opus/48000/2");
                l.add("fmtp:" + opus + " minptime=10;useinbandfec=1");
                l.add("rtcp-fb:" + opus + " transport-cc");
                return l;
            }
            video(l, vp8, vp8Rtx, "VP8", null);
            if (vp9 > 0) {
                video(l, vp9, vp9Rtx, "VP9", "profile-id=0");
            }
            video(l, h264, h264Rtx, "H264", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
            return l;
        }

        String formats(String kind) {
            if (kind.equals("audio")) {
                return Integer.toString(opus);
            }
            return vp8 + " " + vp8Rtx + (vp9 > 0 ? " " + vp9 + " " + vp9Rtx : "") + " " + h264 + " " + h264Rtx;
        }

        private static void video(List<String> l, int pt, int rtx, String name, String fmtp) {
            l.add("rtpmap:" + pt + " " + name + "/90000");
            if (fmtp != null) {
                l.add("fmtp:" + pt + " " + fmtp);
            }
            for (String fb : List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli")) {
                l.add("rtcp-fb:" + pt + " " + fb);
            }
            l.add("rtpmap:" + rtx + " rtx/90000");
            l.add("fmtp:" + rtx + " apt=" + pt);
        }
    }

    private static final class Transceiver {
        String mid;
        final String kind;
        Direction direction;
        /** Our track: stream id, track id, SSRC and RTX SSRC; null when we send nothing. */
        String streamId;
        String trackId;
        long ssrc;
        long rtxSsrc;
        boolean ownSection; // created by our offer, not by a remote one
        Direction current = Direction.INACTIVE; // as negotiated, our point of view
        String remoteStreamId;
        Set<Long> remoteSsrcs = Set.of();
        boolean rejected;

        Transceiver(String kind, Direction direction) {
            this.kind = kind;
            this.direction = direction;
        }

        boolean sends() {
            return streamId != null && direction.sends();
        }
    }

    private final Profile profile;
    private final Random random;
    private final List<Transceiver> transceivers = new ArrayList<>();
    private final String ufrag;
    private int version = 1;
    private String signaling = "stable";
    private List<Transceiver> offeredSnapshot;

    BrowserModel(Profile profile, Random random) {
        this.profile = profile;
        this.random = random;
        this.ufrag = "m" + Integer.toHexString(random.nextInt(0xFFFF));
    }

    @Override
    public void publish(String streamId) {
        for (String kind : List.of("audio", "video")) {
            Transceiver t = new Transceiver(kind, Direction.SENDONLY);
            t.streamId = streamId;
            t.trackId = streamId + "-" + kind;
            t.ssrc = 1 + (random.nextLong() & 0x7FFFFFFFL);
            t.rtxSsrc = kind.equals("video") ? 1 + (random.nextLong() & 0x7FFFFFFFL) : 0;
            t.ownSection = true;
            transceivers.add(t);
        }
    }

    @Override
    public void unpublish() {
        for (Transceiver t : transceivers) {
            if (t.streamId != null) {
                t.streamId = null; // removeTrack: sendrecv → recvonly, sendonly → inactive
                t.direction = Direction.of(false, t.direction.receives());
            }
        }
    }

    @Override
    public void receiveOnly() {
        for (String kind : List.of("audio", "video")) {
            Transceiver t = new Transceiver(kind, Direction.RECVONLY);
            t.ownSection = true;
            transceivers.add(t);
        }
    }

    @Override
    public String createOffer() throws Refused {
        require("stable", "createOffer");
        Set<String> used = new HashSet<>();
        transceivers.forEach(t -> {
            if (t.mid != null) {
                used.add(t.mid);
            }
        });
        int n = 0;
        for (Transceiver t : transceivers) {
            if (t.mid == null) {
                while (used.contains(Integer.toString(n))) {
                    n++;
                }
                t.mid = Integer.toString(n);
                used.add(t.mid);
            }
        }
        offeredSnapshot = List.copyOf(transceivers);
        signaling = "have-local-offer";
        return write(true, null);
    }

    @Override
    public void applyAnswer(String sdp) throws Refused {
        require("have-local-offer", "setRemoteDescription(answer)");
        SessionDescription answer = parse(sdp);
        List<MediaSection> media = answer.media();
        if (media.size() != offeredSnapshot.size()) {
            throw new Refused("The order of m-lines in answer doesn't match order in offer: " + media.size()
                    + " sections for " + offeredSnapshot.size());
        }
        for (MediaSection m : media) {
            Transceiver t = offeredSnapshot.get(m.index());
            if (!t.mid.equals(m.mid()) || !t.kind.equals(m.kind())) {
                throw new Refused("The order of m-lines in answer doesn't match order in offer: " + m.label()
                        + " is " + m.kind() + " mid " + m.mid() + ", offered " + t.kind + " mid " + t.mid);
            }
            if (m.port() == 0) {
                continue;
            }
            Direction d = m.direction();
            Direction mine = t.rejected ? Direction.INACTIVE : t.direction;
            if (d.sends() && !mine.receives() || d.receives() && !mine.sends()) {
                throw new Refused(m.label() + ": answer direction " + d.sdpName() + " does not fit offered "
                        + mine.sdpName());
            }
        }
        checkRemote(answer);
        for (MediaSection m : media) {
            Transceiver t = offeredSnapshot.get(m.index());
            settle(t, m);
        }
        signaling = "stable";
    }

    @Override
    public String applyOffer(String sdp) throws Refused {
        require("stable", "setRemoteDescription(offer)");
        SessionDescription offer = parse(sdp);
        List<MediaSection> media = offer.media();
        if (media.size() < transceivers.stream().filter(t -> t.mid != null).count()) {
            throw new Refused("The order of m-lines in subsequent offer doesn't match order from previous offer/answer");
        }
        for (int i = 0; i < media.size(); i++) {
            MediaSection m = media.get(i);
            Transceiver t = i < transceivers.size() ? transceivers.get(i) : null;
            if (t != null && t.mid != null && (!t.mid.equals(m.mid()) || !t.kind.equals(m.kind()))) {
                throw new Refused("The order of m-lines in subsequent offer doesn't match order from previous "
                        + "offer/answer: " + m.label() + " is " + m.kind() + " mid " + m.mid() + ", was " + t.kind
                        + " mid " + t.mid);
            }
        }
        checkRemote(offer);
        for (MediaSection m : media) {
            if (m.index() >= transceivers.size()) {
                Transceiver t = new Transceiver(m.kind(), Direction.RECVONLY);
                t.mid = m.mid();
                transceivers.add(t);
            }
        }
        offeredSnapshot = List.copyOf(transceivers);
        String answer = write(false, offer);
        for (MediaSection m : media) {
            Transceiver t = transceivers.get(m.index());
            settle(t, m);
        }
        return answer;
    }

    @Override
    public void rollback() {
        if (signaling.equals("have-local-offer")) {
            signaling = "stable";
        }
    }

    @Override
    public List<String> receiving() {
        List<String> r = new ArrayList<>();
        for (Transceiver t : transceivers) {
            if (t.current.receives() && t.remoteStreamId != null) {
                r.add(t.remoteStreamId + " " + t.kind);
            }
        }
        r.sort(null);
        return r;
    }

    @Override
    public void close() {
    }

    // ---------------------------------------------------------------------------------------------------------

    private void require(String state, String call) throws Refused {
        if (!signaling.equals(state)) {
            throw new Refused("Failed to execute '" + call + "': Called in wrong state: " + signaling);
        }
    }

    private static SessionDescription parse(String sdp) throws Refused {
        try {
            return SessionDescription.parse(sdp);
        } catch (SdpException e) {
            throw new Refused("SessionDescription is NULL: " + e.getMessage());
        }
    }

    /** What the remote description now says we send and receive in this section. */
    private void settle(Transceiver t, MediaSection m) throws Refused {
        if (m.port() == 0) {
            t.rejected = true;
            t.current = Direction.INACTIVE;
            t.remoteSsrcs = Set.of();
            return;
        }
        Direction remote = m.direction();
        Direction mine = t.rejected ? Direction.INACTIVE : t.direction;
        t.current = Direction.of(remote.receives() && mine.sends() && t.streamId != null,
                remote.sends() && mine.receives());
        Set<Long> ssrcs = new HashSet<>();
        for (SsrcDescription s : sources(m)) {
            ssrcs.add(s.ssrc());
        }
        t.remoteSsrcs = ssrcs;
        t.remoteStreamId = remote.sends() && m.msid() != null ? m.msid().streamId() : null;
    }

    private static List<SsrcDescription> sources(MediaSection m) throws Refused {
        try {
            return m.sources();
        } catch (SdpException e) {
            throw new Refused("Failed to parse ssrc lines of " + m.label() + ": " + e.getMessage());
        }
    }

    /** Chrome's checks of a remote description against itself and our state. */
    private void checkRemote(SessionDescription sd) throws Refused {
        Set<String> mids = new HashSet<>();
        List<String> bundle = sd.bundleMids();
        Map<Long, String> ssrcOwner = new HashMap<>();
        Set<Long> own = new HashSet<>();
        Map<Long, String> currentOwner = new HashMap<>();
        for (Transceiver t : transceivers) {
            if (t.sends()) {
                own.add(t.ssrc);
                if (t.rtxSsrc != 0) {
                    own.add(t.rtxSsrc);
                }
            }
            for (long s : t.remoteSsrcs) {
                currentOwner.put(s, t.mid);
            }
        }
        Map<Integer, String> formatByPt = new HashMap<>();
        Map<Integer, String> uriById = new HashMap<>();
        for (MediaSection m : sd.media()) {
            String mid = m.mid();
            if (mid == null || !mids.add(mid)) {
                throw new Refused("Duplicate a=mid value '" + mid + "'.");
            }
            if (m.port() == 0) {
                continue;
            }
            if (!bundle.contains(mid)) {
                throw new Refused("max-bundle configured but session description has no BUNDLE group with mid " + mid);
            }
            List<SsrcDescription> sources = sources(m);
            Set<Long> listed = new HashSet<>();
            for (SsrcDescription s : sources) {
                listed.add(s.ssrc());
                String was = ssrcOwner.putIfAbsent(s.ssrc(), mid);
                if (was != null && !was.equals(mid)) {
                    throw new Refused("Failed to apply demuxer criteria for '" + mid + "': SSRC " + s.ssrc()
                            + " is also in mid " + was);
                }
                if (own.contains(s.ssrc())) {
                    throw new Refused("SSRC " + s.ssrc() + " of " + m.label() + " is one we send");
                }
                String before = currentOwner.get(s.ssrc());
                if (before != null && !before.equals(mid)) {
                    throw new Refused("Failed to apply demuxer criteria for '" + mid + "': SSRC " + s.ssrc()
                            + " is bound to mid " + before);
                }
                if (s.msid() != null && m.msid() != null && !s.msid().equals(m.msid())) {
                    throw new Refused(m.label() + ": a=ssrc msid " + s.msid() + " differs from a=msid " + m.msid());
                }
            }
            try {
                for (SsrcGroup g : m.ssrcGroups()) {
                    if (!listed.containsAll(g.ssrcs())) {
                        throw new Refused(m.label() + ": ssrc-group " + g + " names SSRCs without a=ssrc lines");
                    }
                }
            } catch (SdpException e) {
                throw new Refused(e.getMessage());
            }
            boolean sends = m.direction().sends();
            if (sends != !sources.isEmpty()) {
                throw new Refused(m.label() + " is " + m.direction().sdpName() + " with " + sources.size()
                        + " SSRCs: a section that sends names its SSRCs, one that does not names none");
            }
            if (sends && m.msid() == null) {
                throw new Refused(m.label() + " sends without a=msid");
            }
            List<Codec> codecs;
            try {
                codecs = m.codecs();
            } catch (SdpException e) {
                throw new Refused(e.getMessage());
            }
            List<Codec> mine = ownCodecs(m.kind());
            for (Codec c : codecs) {
                String key = c.name().toLowerCase() + "/" + c.clockRate() + "/" + c.fmtp();
                String was = formatByPt.putIfAbsent(c.payloadType(), key);
                if (was != null && !was.equals(key) && !sameKind(was, key)) {
                    throw new Refused("A BUNDLE group contains a codec collision for payload_type='"
                            + c.payloadType() + "'");
                }
                if (mine.stream().noneMatch(c::sameFormat)) {
                    throw new Refused(m.label() + " offers " + c.name() + " " + c.fmtp()
                            + ", which this browser never listed (offers should be narrowed)");
                }
            }
            if (codecs.isEmpty()) {
                throw new Refused(m.label() + " has no codec");
            }
            for (Map.Entry<String, Integer> e : extensions(m).entrySet()) {
                String was = uriById.putIfAbsent(e.getValue(), e.getKey());
                if (was != null && !was.equals(e.getKey())) {
                    throw new Refused("A BUNDLE group contains an RTP header extension id collision: " + e.getValue());
                }
            }
        }
    }

    private static Map<String, Integer> extensions(MediaSection m) throws Refused {
        try {
            return m.extensions();
        } catch (SdpException e) {
            throw new Refused(e.getMessage());
        }
    }

    private static Map<String, Integer> extensionsOrNone(MediaSection m) {
        try {
            return m.extensions();
        } catch (SdpException e) {
            return Map.of();
        }
    }

    /** Format keys from two sections that differ only in parameter order or letter case count as the same. */
    private static boolean sameKind(String a, String b) {
        return a.equalsIgnoreCase(b);
    }

    private final Map<String, List<Codec>> ownCodecs = new HashMap<>();

    private List<Codec> ownCodecs(String kind) throws Refused {
        List<Codec> known = ownCodecs.get(kind);
        if (known == null) {
            known = listCodecs(kind);
            ownCodecs.put(kind, known);
        }
        return known;
    }

    private List<Codec> listCodecs(String kind) throws Refused {
        StringBuilder b = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
        b.append("m=").append(kind).append(" 9 UDP/TLS/RTP/SAVPF ").append(profile.formats(kind)).append("\r\n");
        for (String l : profile.codecLines(kind)) {
            b.append("a=").append(l).append("\r\n");
        }
        try {
            return parse(b.toString()).media().get(0).codecs();
        } catch (SdpException e) {
            throw new Refused(e.getMessage());
        }
    }

    private String write(boolean offer, SessionDescription remoteOffer) {
        StringBuilder b = new StringBuilder();
        line(b, "v=0");
        line(b, "o=- 4611731400430051336 " + (version++) + " IN IP4 127.0.0.1");
        line(b, "s=-");
        line(b, "t=0 0");
        List<String> bundle = new ArrayList<>();
        for (int i = 0; i < transceivers.size(); i++) {
            Transceiver t = transceivers.get(i);
            boolean rejected = t.rejected || remoteOffer != null && remoteOffer.media().get(i).port() == 0;
            if (!rejected) {
                bundle.add(t.mid);
            }
        }
        if (!bundle.isEmpty()) {
            line(b, "a=group:BUNDLE " + String.join(" ", bundle));
        }
        line(b, "a=extmap-allow-mixed");
        line(b, "a=msid-semantic: WMS");
        for (int i = 0; i < transceivers.size(); i++) {
            Transceiver t = transceivers.get(i);
            MediaSection remote = remoteOffer == null ? null : remoteOffer.media().get(i);
            if (t.rejected || remote != null && remote.port() == 0) {
                line(b, "m=" + t.kind + " 0 UDP/TLS/RTP/SAVPF " + profile.formats(t.kind).split(" ")[0]);
                line(b, "c=IN IP4 0.0.0.0");
                line(b, "a=mid:" + t.mid);
                continue;
            }
            Direction d = t.direction;
            List<String> codecLines = profile.codecLines(t.kind);
            String formats = profile.formats(t.kind);
            if (remote != null) {
                Direction offered = remote.direction();
                d = Direction.of(d.sends() && offered.receives(), d.receives() && offered.sends());
                formats = String.join(" ", remote.formats());
                codecLines = new ArrayList<>();
                for (SdpLineView l : SdpLineView.of(remote)) {
                    if (l.name.equals("rtpmap") || l.name.equals("fmtp") || l.name.equals("rtcp-fb")) {
                        codecLines.add(l.name + ":" + l.value);
                    }
                }
            }
            line(b, "m=" + t.kind + " 9 UDP/TLS/RTP/SAVPF " + formats);
            line(b, "c=IN IP4 0.0.0.0");
            line(b, "a=rtcp:9 IN IP4 0.0.0.0");
            line(b, "a=ice-ufrag:" + ufrag);
            line(b, "a=ice-pwd:modelPasswordOf24Chars01");
            line(b, "a=ice-options:trickle");
            line(b, "a=fingerprint:sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93"
                    + ":A4:B5:C6:D7:E8:F9");
            line(b, "a=setup:" + (offer ? "actpass" : "active"));
            line(b, "a=mid:" + t.mid);
            Map<String, Integer> ext = new java.util.TreeMap<>(profile.extensions());
            if (remote != null) {
                ext = new java.util.TreeMap<>(extensionsOrNone(remote));
            }
            for (Map.Entry<String, Integer> e : ext.entrySet()) {
                if (t.kind.equals("video") && e.getKey().contains("audio-level")) {
                    continue;
                }
                line(b, "a=extmap:" + e.getValue() + " " + e.getKey());
            }
            line(b, "a=" + d.sdpName());
            boolean sending = d.sends() && t.streamId != null;
            if (sending) {
                line(b, "a=msid:" + t.streamId + " " + t.trackId);
            }
            line(b, "a=rtcp-mux");
            line(b, "a=rtcp-rsize");
            for (String l : codecLines) {
                line(b, "a=" + l);
            }
            if (sending) {
                if (t.rtxSsrc != 0) {
                    line(b, "a=ssrc-group:FID " + t.ssrc + " " + t.rtxSsrc);
                }
                for (long s : t.rtxSsrc != 0 ? List.of(t.ssrc, t.rtxSsrc) : List.of(t.ssrc)) {
                    line(b, "a=ssrc:" + s + " cname:" + ufrag);
                    line(b, "a=ssrc:" + s + " msid:" + t.streamId + " " + t.trackId);
                }
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String s) {
        b.append(s).append("\r\n");
    }

    /** An attribute line of a section as name and value. */
    private record SdpLineView(String name, String value) {
        static List<SdpLineView> of(MediaSection m) {
            List<SdpLineView> result = new ArrayList<>();
            for (var l : m.lines()) {
                String name = l.attributeName();
                if (name != null) {
                    String v = l.value();
                    int colon = v.indexOf(':');
                    result.add(new SdpLineView(name, colon < 0 ? "" : v.substring(colon + 1)));
                }
            }
            return result;
        }
    }
}
