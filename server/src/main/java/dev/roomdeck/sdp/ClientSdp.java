package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading what a client's SDP says: its transport, its tracks, and whether it is usable at all. */
final class ClientSdp {
    private ClientSdp() {
    }

    /**
     * Guesses whether a client SDP is plan-b, for clients that do not say. It is plan-b when an audio or video
     * m-section
     * <ol>
     * <li>describes more than one track in its {@code a=ssrc} lines (RTX and simulcast SSRCs grouped by
     * {@code a=ssrc-group} count as their track), or</li>
     * <li>has {@code a=ssrc ... msid:}/{@code mslabel:} lines but no media-level {@code a=msid};</li>
     * </ol>
     * or, when no section has ssrc lines, when there is an audio or video section, every one of them has its media
     * name as mid ("audio"/"video") and none has {@code a=msid}. Malformed ssrc lines count as unified-plan.
     */
    static boolean looksPlanB(SessionDescription sd) {
        boolean anySources = false;
        boolean anyMedia = false;
        boolean midsAreKinds = true;
        for (MediaSection m : sd.media()) {
            if (m.mediaKind() == null) {
                continue;
            }
            anyMedia = true;
            midsAreKinds &= m.kind().equals(m.mid()) && m.msid() == null;
            List<SsrcDescription> sources;
            List<SsrcGroup> groups;
            try {
                sources = m.sources();
                groups = m.ssrcGroups();
            } catch (SdpException e) {
                continue;
            }
            if (sources.isEmpty()) {
                continue;
            }
            anySources = true;
            Set<Long> secondary = secondarySsrcs(groups);
            Set<String> tracks = new HashSet<>();
            boolean hasSourceMsid = false;
            for (SsrcDescription src : sources) {
                Msid msid = src.msid();
                if (msid != null) {
                    hasSourceMsid = true;
                    if (!secondary.contains(src.ssrc())) {
                        tracks.add(msid.toString());
                    }
                }
            }
            if (tracks.size() > 1 || hasSourceMsid && m.msid() == null) {
                return true;
            }
        }
        return !anySources && anyMedia && midsAreKinds;
    }

    static boolean isRejected(MediaSection m) {
        return m.isRejected() && !m.hasAttribute("bundle-only");
    }

    /** ICE and DTLS of the first usable section, after checking every usable section has them; null if none. */
    static TransportDescription remoteTransport(SessionDescription sd, boolean offer) throws SdpException {
        TransportDescription first = null;
        for (MediaSection m : sd.media()) {
            if (isRejected(m)) {
                continue;
            }
            String ufrag = sd.attribute(m, "ice-ufrag");
            String pwd = sd.attribute(m, "ice-pwd");
            String fingerprint = sd.attribute(m, "fingerprint");
            String setup = sd.attribute(m, "setup");
            if (ufrag == null || ufrag.isBlank()) {
                throw new SdpException(m.label() + " has no a=ice-ufrag");
            }
            if (pwd == null || pwd.isBlank()) {
                throw new SdpException(m.label() + " has no a=ice-pwd");
            }
            if (fingerprint == null || fingerprint.isBlank()) {
                throw new SdpException(m.label() + " has no a=fingerprint");
            }
            String[] fp = fingerprint.trim().split("\\s+");
            if (fp.length != 2 || !fp[1].matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+")) {
                throw new SdpException(m.label() + " has a malformed a=fingerprint: " + fingerprint);
            }
            setup = setup == null ? "active" : setup.trim();
            if (!Set.of("active", "passive", "actpass", "holdconn").contains(setup)) {
                throw new SdpException(m.label() + " has an unknown a=setup value: " + setup);
            }
            if (offer && !setup.equals("actpass") && !setup.equals("active")) {
                throw new SdpException(m.label() + " offers a=setup:" + setup
                        + ", but the server is always the DTLS server, so the client must be active or actpass");
            }
            if (!offer && !setup.equals("active")) {
                throw new SdpException(m.label() + " answers a=setup:" + setup
                        + ", but the server is always the DTLS server, so the client must answer active");
            }
            if (first == null) {
                first = new TransportDescription(ufrag.trim(), pwd.trim(), fp[0], fp[1], setup);
            }
        }
        return first;
    }

    static void checkMidsAndBundle(SessionDescription sd) throws SdpException {
        int usable = 0;
        for (MediaSection m : sd.media()) {
            if (isRejected(m)) {
                continue;
            }
            usable++;
            if (m.mid() == null || m.mid().isBlank()) {
                throw new SdpException(m.label() + " has no a=mid");
            }
        }
        if (usable > 1 && sd.bundleMids().isEmpty()) {
            throw new SdpException("the offer does not bundle its m-sections (no a=group:BUNDLE); the server needs"
                    + " all media on one transport");
        }
    }

    /**
     * BUNDLE carries every section on one transport, so an accepted payload type or extension id must mean the
     * same in all of them; an offer that breaks this cannot be answered consistently.
     */
    static void checkBundleNumbering(SessionDescription offer, List<Slot> slots) throws SdpException {
        Map<Integer, String> formatByPt = new HashMap<>();
        Map<Integer, String> uriById = new HashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.rejected) {
                continue;
            }
            String label = offer.media().get(i).label();
            for (Codec c : s.codecs) {
                samePayloadType(formatByPt, c.payloadType(), c.formatKey(), c.name(), label);
                if (c.hasRtx()) {
                    samePayloadType(formatByPt, c.rtxPayloadType(), "rtx>" + c.formatKey(), "rtx", label);
                }
            }
            for (Map.Entry<String, Integer> e : s.extensions.entrySet()) {
                String before = uriById.putIfAbsent(e.getValue(), e.getKey());
                if (before != null && !before.equals(e.getKey())) {
                    throw new SdpException(label + " uses header extension id " + e.getValue() + " for "
                            + e.getKey() + ", but an earlier bundled m-section uses it for " + before);
                }
            }
        }
    }

    static void samePayloadType(Map<Integer, String> formatByPt, int pt, String key, String name,
                                        String label) throws SdpException {
        String before = formatByPt.putIfAbsent(pt, key);
        if (before != null && !before.equals(key)) {
            throw new SdpException(label + " uses payload type " + pt + " for " + name + " (" + key
                    + "), but an earlier bundled m-section uses it for " + before);
        }
    }

    /**
     * The tracks the client describes in a section where it sends. With {@code simulcast}, a track sent as several
     * encodings gets its layers: the section's accepted rids ({@link Slot#rids}), else the SIM group its SSRC
     * starts; its SSRCs are still the publisher's (the negotiator puts the forwarded ones in). Without, a SIM
     * group's first layer is the track.
     */
    static List<PublishedTrack> published(MediaSection m, Slot s, boolean planB, boolean simulcast)
            throws SdpException {
        List<SsrcDescription> sources = m.sources();
        List<SsrcGroup> groups = m.ssrcGroups();
        Map<Long, Long> rtxOf = new LinkedHashMap<>();
        for (SsrcGroup g : groups) {
            if (g.semantics().equals("FID") && g.ssrcs().size() >= 2) {
                rtxOf.putIfAbsent(g.ssrcs().get(0), g.ssrcs().get(1));
            }
        }
        Set<Long> secondary = secondarySsrcs(groups);
        List<PublishedTrack> result = new ArrayList<>();
        if (!planB) {
            SsrcDescription primary = null;
            for (SsrcDescription src : sources) {
                if (!secondary.contains(src.ssrc())) {
                    primary = src;
                    break;
                }
            }
            Msid msid = m.msid();
            if (msid == null && primary != null) {
                msid = primary.msid();
            }
            String streamId = msid == null ? "-" : msid.streamId();
            String trackId = msid == null || msid.trackId() == null ? "mid-" + s.mid : msid.trackId();
            long ssrc = primary == null ? 0 : primary.ssrc();
            String cname = primary != null ? primary.cname() : sources.isEmpty() ? null : sources.get(0).cname();
            List<SimulcastLayer> layers = !s.rids.isEmpty() ? Simulcast.ridLayers(s.rids)
                    : simulcast && s.kind == MediaKind.VIDEO && primary != null
                    ? Simulcast.simLayers(groups, ssrc, rtxOf) : List.of();
            result.add(new PublishedTrack(streamId, trackId, s.kind, s.mid, ssrc, rtxOf.getOrDefault(ssrc, 0L),
                    cname, s.codecs, s.extensions, layers));
            return result;
        }
        for (SsrcDescription src : sources) {
            Msid msid = src.msid();
            if (secondary.contains(src.ssrc()) || msid == null) {
                continue;
            }
            String trackId = msid.trackId() == null ? "ssrc-" + src.ssrc() : msid.trackId();
            List<SimulcastLayer> layers = simulcast && s.kind == MediaKind.VIDEO
                    ? Simulcast.simLayers(groups, src.ssrc(), rtxOf) : List.of();
            result.add(new PublishedTrack(msid.streamId(), trackId, s.kind, null, src.ssrc(),
                    rtxOf.getOrDefault(src.ssrc(), 0L), src.cname(), s.codecs, s.extensions, layers));
        }
        return result;
    }

    /** Every SSRC a section names in its ssrc and ssrc-group lines (none when they do not parse). */
    static Set<Long> ssrcsOf(MediaSection m) {
        Set<Long> result = new HashSet<>();
        try {
            for (SsrcDescription src : m.sources()) {
                result.add(src.ssrc());
            }
            for (SsrcGroup g : m.ssrcGroups()) {
                result.addAll(g.ssrcs());
            }
        } catch (SdpException e) {
            // a section that does not send may have lines the server never reads
        }
        return result;
    }

    /**
     * SSRCs that belong to another SSRC's track: RTX of FID groups, simulcast layers after the first and their RTX
     * (the first layer's track: its layers with simulcast on, dropped without).
     */
    static Set<Long> secondarySsrcs(List<SsrcGroup> groups) {
        Set<Long> secondary = new HashSet<>();
        for (SsrcGroup g : groups) {
            if (g.semantics().equals("FID") || g.semantics().equals("SIM")) {
                secondary.addAll(g.ssrcs().subList(1, g.ssrcs().size()));
            }
        }
        // RTX of later simulcast layers as well
        for (SsrcGroup g : groups) {
            if (g.semantics().equals("FID") && g.ssrcs().size() >= 2 && secondary.contains(g.ssrcs().get(0))) {
                secondary.add(g.ssrcs().get(1));
            }
        }
        return secondary;
    }
}
