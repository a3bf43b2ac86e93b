package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writing the server's SDPs from the slots: session lines, then per m-section transport, direction, codecs,
 * extensions, the msid/ssrc lines of what the server sends, and the bitrate cap of what the client sends.
 */
final class ServerSdp {
    private final boolean planB;
    private final long sessionId;
    private final Map<String, Integer> videoBitrateKbpsByStreamId;

    ServerSdp(boolean planB, long sessionId, Map<String, Integer> videoBitrateKbpsByStreamId) {
        this.planB = planB;
        this.sessionId = sessionId;
        this.videoBitrateKbpsByStreamId = videoBitrateKbpsByStreamId;
    }

    String write(List<Slot> list, boolean offer, long sdpVersion, boolean mixed, LocalTransport local) {
        List<SdpLine> session = new ArrayList<>();
        session.add(new SdpLine('v', "0"));
        session.add(new SdpLine('o', "roomdeck " + sessionId + " " + sdpVersion + " IN IP4 0.0.0.0"));
        session.add(new SdpLine('s', "-"));
        session.add(new SdpLine('t', "0 0"));
        List<String> bundle = new ArrayList<>();
        for (Slot s : list) {
            if (!s.rejected) {
                bundle.add(s.mid);
            }
        }
        if (!bundle.isEmpty()) {
            session.add(SdpLine.attribute("group", "BUNDLE " + String.join(" ", bundle)));
        }
        if (mixed) {
            session.add(SdpLine.flag("extmap-allow-mixed"));
        }
        session.add(SdpLine.attribute("msid-semantic", " WMS *"));
        List<MediaSection> media = new ArrayList<>();
        for (Slot s : list) {
            media.add(section(s, offer, local));
        }
        return new SessionDescription(session, media).toString();
    }

    private MediaSection section(Slot s, boolean offer, LocalTransport local) {
        String address = local.defaultAddress();
        String connection = address == null ? "IN IP4 0.0.0.0"
                : (address.contains(":") ? "IN IP6 " : "IN IP4 ") + address;
        if (s.rejected) {
            List<String> formats = s.formats.isEmpty() ? List.of("0") : s.formats;
            MediaSection.Builder b = MediaSection.builder(s.media, 0, s.proto, formats).line('c', "IN IP4 0.0.0.0");
            if (s.mid != null) {
                b.attribute("mid", s.mid);
            }
            return b.build();
        }
        List<String> formats = new ArrayList<>();
        for (Codec c : s.codecs) {
            formats.add(Integer.toString(c.payloadType()));
            if (c.hasRtx()) {
                formats.add(Integer.toString(c.rtxPayloadType()));
            }
        }
        MediaSection.Builder b = MediaSection.builder(s.media, local.defaultPort(), s.proto, formats);
        b.line('c', connection);
        Integer cap = bitrateCapKbps(s);
        if (cap != null) {
            b.line('b', "AS:" + cap);
            b.line('b', "TIAS:" + cap * 1000L);
        }
        b.attribute("ice-ufrag", local.iceUfrag());
        b.attribute("ice-pwd", local.icePwd());
        b.attribute("fingerprint", local.fingerprintAlgorithm() + " " + local.fingerprint());
        b.attribute("setup", offer ? "actpass" : "passive");
        b.attribute("mid", s.mid);
        s.extensions.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> b.attribute("extmap", e.getValue() + " " + e.getKey()));
        boolean serverSends = !s.sending.isEmpty();
        b.flag(Direction.of(serverSends, s.clientSends).sdpName());
        if (serverSends && !planB) {
            OutgoingTrack t = s.sending.get(0);
            b.attribute("msid", t.streamId() + " " + t.trackId());
        }
        b.flag("rtcp-mux");
        if (s.rtcpRsize) {
            b.flag("rtcp-rsize");
        }
        for (Codec c : s.codecs) {
            b.attribute("rtpmap", c.payloadType() + " " + c.rtpmapValue());
            for (String fb : c.rtcpFeedback()) {
                b.attribute("rtcp-fb", c.payloadType() + " " + fb);
            }
            if (c.fmtp() != null && !c.fmtp().isBlank()) {
                b.attribute("fmtp", c.payloadType() + " " + c.fmtp());
            }
            if (c.hasRtx()) {
                b.attribute("rtpmap", c.rtxPayloadType() + " rtx/" + c.clockRate());
                b.attribute("fmtp", c.rtxPayloadType() + " apt=" + c.payloadType());
            }
        }
        if (!s.rids.isEmpty() && s.clientSends) {
            for (String rid : s.rids) {
                b.attribute("rid", rid + " recv");
            }
            b.attribute("simulcast", "recv " + String.join(";", s.rids));
        }
        for (OutgoingTrack t : s.sending) {
            writeSources(b, t);
        }
        for (String candidate : local.candidates()) {
            b.attribute("candidate", candidate);
        }
        b.flag("end-of-candidates");
        return b.build();
    }

    private void writeSources(MediaSection.Builder b, OutgoingTrack t) {
        String cname = t.cname() != null ? t.cname() : t.streamId();
        String msid = t.streamId() + " " + t.trackId();
        boolean rtx = t.rtxSsrc() != 0;
        if (rtx) {
            b.attribute("ssrc-group", "FID " + t.ssrc() + " " + t.rtxSsrc());
        }
        for (long ssrc : rtx ? new long[] {t.ssrc(), t.rtxSsrc()} : new long[] {t.ssrc()}) {
            b.attribute("ssrc", ssrc + " cname:" + cname);
            b.attribute("ssrc", ssrc + " msid:" + msid);
            if (planB) {
                b.attribute("ssrc", ssrc + " mslabel:" + t.streamId());
                b.attribute("ssrc", ssrc + " label:" + t.trackId());
            }
        }
    }

    /**
     * The video cap for a section the client sends video in: the cap of its stream; in plan-b the sum over the
     * section's streams, and only when each of them has a cap.
     */
    private Integer bitrateCapKbps(Slot s) {
        if (s.kind != MediaKind.VIDEO || !s.clientSends || s.received.isEmpty()) {
            return null;
        }
        Set<String> streams = new LinkedHashSet<>();
        for (PublishedTrack t : s.received) {
            streams.add(t.streamId());
        }
        long sum = 0;
        for (String stream : streams) {
            Integer kbps = videoBitrateKbpsByStreamId.get(stream);
            if (kbps == null || kbps <= 0) {
                return null;
            }
            sum += kbps;
        }
        return (int) Math.min(sum, Integer.MAX_VALUE / 1000);
    }
}
