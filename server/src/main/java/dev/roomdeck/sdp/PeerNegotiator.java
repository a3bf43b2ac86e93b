package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The offer/answer state of one peer's connection to the SFU, in unified-plan or plan-b.
 *
 * <p>The client offers what it publishes ({@link #answerOffer}); the server offers what the client should receive
 * ({@link #createOffer}, then {@link #applyAnswer}). Between negotiations the agreed state is a list of m-sections
 * ("slots"), each with what the client sends in it ({@link #publishedTracks}) and what the server sends in it
 * ({@link #sendTracks}).
 *
 * <p>Rules worth knowing:
 * <ul>
 * <li>Answers never add or drop outgoing tracks: they keep the agreed ones (msid/ssrc lines included, in
 * unified-plan and in plan-b alike); changes go through {@link #createOffer}.</li>
 * <li>A client offer that arrives while a server offer is outstanding wins (the server is the polite side): the
 * server offer is dropped as by {@link #dropOffer}, and its answer, should it still come, is refused.</li>
 * <li>A track the client cannot take (it rejects or deactivates its m-section, or no codec matches) is "refused":
 * {@link #needsOffer} stops asking for it until its description changes or it stops being desired.</li>
 * <li>Every method either succeeds or throws {@link SdpException} and leaves the state as it was.</li>
 * </ul>
 * Not thread-safe: the caller serialises calls for one peer.
 */
public final class PeerNegotiator {

    /**
     * Switches for what the SFU negotiates.
     *
     * @param transportCc negotiate transport-wide congestion control (rtcp-fb transport-cc and its header
     *                    extension); off leaves only REMB (goog-remb) for bandwidth estimation
     * @param simulcast   accept rid-based simulcast from publishers (a=rid/a=simulcast and the rid extensions);
     *                    off answers without simulcast, so the client sends a single encoding
     */
    public record Options(boolean transportCc, boolean simulcast) {
        /** transport-cc on, simulcast off. */
        public static final Options DEFAULT = new Options(true, false);
        /** For a media layer that only implements REMB: no transport-cc, no simulcast. */
        public static final Options REMB_ONLY = new Options(false, false);
    }

    /** The server's answer to a client offer, with what it learnt about the client. */
    public record Answer(String sdp, TransportDescription remote, List<PublishedTrack> published) {
    }

    private static final String RTP_PROTO = "UDP/TLS/RTP/SAVPF";

    private final boolean planB;
    private final Map<String, Integer> videoBitrateKbpsByStreamId;
    private final MediaPolicy policy;
    private final long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private LocalTransport local;
    private long version;
    private boolean extmapAllowMixed;

    // Agreed state.
    private List<Slot> slots = new ArrayList<>();
    private Numbering numbering = new Numbering();
    private TransportDescription remote;
    private Set<String> usedMids = new HashSet<>();
    private Map<String, OutgoingTrack> refused = new LinkedHashMap<>();

    // The outstanding server offer: the state it proposes.
    private Pending pending;

    private record Pending(List<Slot> slots, Numbering numbering, Set<String> usedMids,
                           Map<String, OutgoingTrack> refused) {
    }

    public PeerNegotiator(boolean planB, LocalTransport local, Map<String, Integer> videoBitrateKbpsByStreamId) {
        this(planB, local, videoBitrateKbpsByStreamId, Options.DEFAULT);
    }

    public PeerNegotiator(boolean planB, LocalTransport local, Map<String, Integer> videoBitrateKbpsByStreamId,
                          Options options) {
        this.planB = planB;
        this.local = Objects.requireNonNull(local, "local transport");
        this.videoBitrateKbpsByStreamId = videoBitrateKbpsByStreamId == null ? Map.of() : videoBitrateKbpsByStreamId;
        Options o = options == null ? Options.DEFAULT : options;
        this.policy = new MediaPolicy(o.transportCc(), o.simulcast());
    }

    public boolean planB() {
        return planB;
    }

    /** New ICE candidates or credentials for the SDPs written from now on. */
    public void updateLocalTransport(LocalTransport transport) {
        this.local = Objects.requireNonNull(transport, "local transport");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Client offers

    /** Answers a client offer; {@code published} lists every track the client now sends. */
    public Answer answerOffer(String offerSdp) throws SdpException {
        try {
            return doAnswerOffer(offerSdp);
        } catch (RuntimeException e) {
            throw new SdpException("internal error while answering the client's offer: " + e, e);
        }
    }

    private Answer doAnswerOffer(String offerSdp) throws SdpException {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        TransportDescription transport = remoteTransport(offer, true);
        checkMidsAndBundle(offer);
        if (offer.media().size() < slots.size()) {
            throw new SdpException("the offer has " + offer.media().size() + " m-sections but " + slots.size()
                    + " were agreed before; an offer must keep every m-section");
        }
        Numbering nb = numbering.copy();
        for (MediaSection m : offer.media()) {
            nb.learn(m);
        }
        Map<String, OutgoingTrack> nextRefused = new LinkedHashMap<>(refused);
        List<String> bundle = offer.bundleMids();
        List<Slot> next = new ArrayList<>();
        for (MediaSection m : offer.media()) {
            Slot prev = m.index() < slots.size() ? slots.get(m.index()) : null;
            if (prev != null && !Objects.equals(prev.mid, m.mid())) {
                if (!prev.rejected && !isRejected(m)) {
                    throw new SdpException(m.label() + " replaces mid " + prev.mid
                            + "; an offer must keep its m-sections, in order, with their mids");
                }
                prev = null; // a rejected section recycled under a new mid
            }
            if (prev != null && !prev.rejected && !isRejected(m) && !prev.media.equals(m.kind())) {
                throw new SdpException(m.label() + " changes its media from " + prev.media + " to " + m.kind());
            }
            next.add(answerSection(m, prev, bundle, nextRefused));
        }
        checkBundleNumbering(offer, next);
        long nextVersion = version + 1;
        boolean mixed = extmapAllowMixed || offer.hasAttribute("extmap-allow-mixed");
        String answer = write(next, false, nextVersion, mixed);

        version = nextVersion;
        extmapAllowMixed = mixed;
        slots = next;
        numbering = nb;
        if (transport != null) {
            remote = transport;
        }
        refused = nextRefused;
        for (Slot s : next) {
            if (s.mid != null) {
                usedMids.add(s.mid);
            }
        }
        pending = null;
        return new Answer(answer, remote, publishedTracks());
    }

    private Slot answerSection(MediaSection m, Slot prev, List<String> bundle, Map<String, OutgoingTrack> refusedOut)
            throws SdpException {
        Slot s = new Slot(m.mid(), m.kind(), m.proto(), m.formats());
        MediaKind kind = m.mediaKind();
        boolean bundled = bundle.isEmpty() || m.mid() != null && bundle.contains(m.mid());
        List<Codec> codecs = kind != null && m.isRtp() && !isRejected(m) ? policy.select(kind, m.codecs()) : List.of();
        if (kind == null || !bundled || codecs.isEmpty()) {
            s.rejected = true;
            if (prev != null) {
                refuseAll(prev.sending, refusedOut);
            }
            return s;
        }
        Direction d = m.direction();
        s.kind = kind;
        s.codecs = codecs;
        s.rtcpRsize = m.hasAttribute("rtcp-rsize");
        s.clientSends = d.sends();
        s.clientReceives = d.receives();
        s.rids = policy.simulcast() && !planB && kind == MediaKind.VIDEO && s.clientSends
                ? m.rids("send") : List.of();
        // The rid extensions stay whenever the client offers rids, even with simulcast declined: Chrome keeps the
        // rid on its one remaining encoding and refuses later negotiations that drop the extension.
        s.extensions = policy.selectExtensions(kind, m.extensions(), !m.rids("send").isEmpty());
        s.received = s.clientSends ? published(m, s) : List.of();
        List<OutgoingTrack> sending = prev == null ? List.of() : prev.sending;
        if (!sending.isEmpty() && !s.clientReceives) {
            refuseAll(sending, refusedOut); // the client no longer wants what the server sends here
            sending = List.of();
        }
        s.sending = sending;
        computeSendTracks(s, refusedOut);
        return s;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Server offers

    /** True when the agreed outgoing tracks differ from {@code desired} (leaving out tracks the client refused). */
    public boolean needsOffer(List<OutgoingTrack> desired) {
        Map<String, OutgoingTrack> r = new LinkedHashMap<>(refused);
        List<OutgoingTrack> wanted = wanted(desired, r);
        Set<OutgoingTrack> agreed = new HashSet<>();
        for (Slot s : slots) {
            agreed.addAll(s.sending);
        }
        return !agreed.equals(new HashSet<>(wanted));
    }

    /**
     * Writes a server offer that sends exactly {@code desired} (minus refused or unusable tracks, see
     * {@link #refusedTracks}); it becomes the outstanding offer.
     */
    public String createOffer(List<OutgoingTrack> desired) throws SdpException {
        try {
            return doCreateOffer(desired);
        } catch (RuntimeException e) {
            throw new SdpException("internal error while creating an offer: " + e, e);
        }
    }

    private String doCreateOffer(List<OutgoingTrack> desired) throws SdpException {
        if (pending != null) {
            throw new SdpException("a server offer is already outstanding; apply the client's answer or drop the"
                    + " offer before creating another");
        }
        Map<String, OutgoingTrack> nextRefused = new LinkedHashMap<>();
        if (desired != null) {
            for (OutgoingTrack t : desired) {
                if (t != null && t.trackId() != null && t.equals(refused.get(t.trackId()))) {
                    nextRefused.put(t.trackId(), t); // still refused; others are forgotten
                }
            }
        }
        List<OutgoingTrack> wanted = wanted(desired, nextRefused);
        Numbering nb = numbering.copy();
        Set<String> mids = new HashSet<>(usedMids);
        List<Slot> next = new ArrayList<>();
        for (Slot s : slots) {
            next.add(s.copy());
        }
        if (planB) {
            offerPlanB(next, wanted, nb, mids, nextRefused);
        } else {
            offerUnified(next, wanted, nb, mids, nextRefused);
        }
        long nextVersion = version + 1;
        String offer = write(next, true, nextVersion, extmapAllowMixed);
        version = nextVersion;
        refused = new LinkedHashMap<>(nextRefused); // unusable tracks are refused whatever the client answers
        pending = new Pending(next, nb, mids, nextRefused);
        return offer;
    }

    private void offerUnified(List<Slot> next, List<OutgoingTrack> wanted, Numbering nb, Set<String> mids,
                              Map<String, OutgoingTrack> refusedOut) {
        Set<OutgoingTrack> wantedSet = new HashSet<>(wanted);
        Set<Slot> freed = new HashSet<>();
        Set<OutgoingTrack> present = new HashSet<>();
        for (Slot s : next) {
            if (s.sending.isEmpty()) {
                continue;
            }
            if (wantedSet.contains(s.sending.get(0))) {
                present.add(s.sending.get(0));
            } else {
                s.sending = List.of(); // removed or changed: the section goes inactive
                s.sendTracks = List.of();
                freed.add(s);
            }
        }
        for (OutgoingTrack t : wanted) {
            if (present.contains(t)) {
                continue;
            }
            List<Codec> codecs = renumber(t, nb);
            if (codecs.isEmpty()) {
                refusedOut.put(t.trackId(), t);
                continue;
            }
            Slot s = recyclable(next, t.kind(), freed);
            if (s == null) {
                s = new Slot(newMid(mids, null), t.kind().sdpName(), RTP_PROTO, List.of());
                next.add(s);
            }
            s.kind = t.kind();
            s.codecs = codecs;
            s.extensions = offerExtensions(t.kind(), nb);
            s.rtcpRsize = true;
            s.clientReceives = true;
            s.sending = List.of(t);
            s.sendTracks = List.of();
        }
    }

    /** An inactive section of that kind nobody uses, not one emptied by this very offer. */
    private static Slot recyclable(List<Slot> next, MediaKind kind, Set<Slot> freedNow) {
        for (Slot s : next) {
            if (!s.rejected && s.kind == kind && s.sending.isEmpty() && !s.clientSends && s.received.isEmpty()
                    && !freedNow.contains(s)) {
                return s;
            }
        }
        return null;
    }

    private void offerPlanB(List<Slot> next, List<OutgoingTrack> wanted, Numbering nb, Set<String> mids,
                            Map<String, OutgoingTrack> refusedOut) {
        for (MediaKind kind : MediaKind.values()) {
            List<OutgoingTrack> ofKind = new ArrayList<>();
            for (OutgoingTrack t : wanted) {
                if (t.kind() == kind) {
                    ofKind.add(t);
                }
            }
            Slot s = null;
            for (Slot candidate : next) {
                if (!candidate.rejected && candidate.kind == kind) {
                    s = candidate;
                    break;
                }
            }
            if (s == null) {
                if (ofKind.isEmpty()) {
                    continue;
                }
                s = new Slot(newMid(mids, kind.sdpName()), kind.sdpName(), RTP_PROTO, List.of());
                s.kind = kind;
                s.rtcpRsize = true;
                s.clientReceives = true;
                s.extensions = offerExtensions(kind, nb);
                next.add(s);
            }
            List<Codec> codecs = new ArrayList<>(s.codecs);
            List<OutgoingTrack> accepted = new ArrayList<>();
            for (OutgoingTrack t : ofKind) {
                List<Codec> mapped = renumber(t, nb);
                if (mapped.isEmpty()) {
                    refusedOut.put(t.trackId(), t);
                    continue;
                }
                accepted.add(t);
                for (Codec c : mapped) {
                    if (codecs.stream().noneMatch(c::sameFormat)) {
                        codecs.add(c);
                    }
                }
            }
            s.codecs = codecs;
            s.sending = accepted;
            s.sendTracks = List.of();
        }
    }

    /** The publisher's codecs this SFU forwards, in this peer's numbering. */
    private List<Codec> renumber(OutgoingTrack t, Numbering nb) {
        List<Codec> result = new ArrayList<>();
        for (Codec c : t.publisherCodecs()) {
            if (c == null || !policy.accepts(t.kind(), c)) {
                continue;
            }
            Codec mine = nb.renumber(c, t.kind() == MediaKind.VIDEO, policy.offerFeedback(t.kind()));
            if (mine != null && result.stream().noneMatch(x -> x.payloadType() == mine.payloadType())) {
                result.add(mine);
            }
        }
        return result;
    }

    private Map<String, Integer> offerExtensions(MediaKind kind, Numbering nb) {
        Map<String, Integer> ext = new LinkedHashMap<>();
        for (String uri : policy.offerExtensions(kind)) {
            int id = nb.extensionId(uri);
            if (id > 0) {
                ext.put(uri, id);
            }
        }
        return ext;
    }

    private static String newMid(Set<String> mids, String preferred) {
        if (preferred != null && mids.add(preferred)) {
            return preferred;
        }
        for (int n = 0; ; n++) {
            String mid = Integer.toString(n);
            if (mids.add(mid)) {
                return mid;
            }
        }
    }

    /** The client's answer to the outstanding server offer. */
    public void applyAnswer(String answerSdp) throws SdpException {
        try {
            doApplyAnswer(answerSdp);
        } catch (RuntimeException e) {
            throw new SdpException("internal error while applying the client's answer: " + e, e);
        }
    }

    private void doApplyAnswer(String answerSdp) throws SdpException {
        if (pending == null) {
            throw new SdpException("there is no outstanding server offer this answer could answer");
        }
        SessionDescription answer = SessionDescription.parse(answerSdp);
        List<Slot> offered = pending.slots;
        if (answer.media().size() != offered.size()) {
            throw new SdpException("the answer has " + answer.media().size() + " m-sections but the offer had "
                    + offered.size());
        }
        for (MediaSection m : answer.media()) {
            Slot o = offered.get(m.index());
            if (!Objects.equals(o.mid, m.mid())) {
                throw new SdpException(m.label() + " of the answer should have mid " + o.mid + " as in the offer");
            }
            if (!o.media.equals(m.kind())) {
                throw new SdpException(m.label() + " of the answer is " + m.kind() + " but the offer had "
                        + o.media + " there");
            }
        }
        TransportDescription transport = remoteTransport(answer, false);
        Numbering nb = pending.numbering.copy();
        for (MediaSection m : answer.media()) {
            nb.learn(m);
        }
        Map<String, OutgoingTrack> nextRefused = new LinkedHashMap<>(pending.refused);
        List<Slot> next = new ArrayList<>();
        for (MediaSection m : answer.media()) {
            Slot s = offered.get(m.index()).copy();
            next.add(s);
            if (s.rejected) {
                continue;
            }
            if (isRejected(m)) {
                refuseAll(s.sending, nextRefused);
                s.reject();
                continue;
            }
            List<Codec> answered = m.codecs();
            List<Codec> codecs = new ArrayList<>();
            for (Codec a : answered) {
                for (Codec o : s.codecs) {
                    if (o.payloadType() == a.payloadType() && o.sameFormat(a)) {
                        List<String> fb = new ArrayList<>(o.rtcpFeedback());
                        fb.retainAll(policy.feedback(a.rtcpFeedback()));
                        int rtx = o.hasRtx() && a.rtxPayloadType() == o.rtxPayloadType() ? o.rtxPayloadType() : -1;
                        codecs.add(new Codec(o.payloadType(), o.name(), o.clockRate(), o.channels(), o.fmtp(), fb,
                                rtx));
                        break;
                    }
                }
            }
            if (codecs.isEmpty()) {
                throw new SdpException(m.label() + " of the answer accepts none of the offered payload types");
            }
            Map<String, Integer> answeredExt = m.extensions();
            Map<String, Integer> ext = new LinkedHashMap<>();
            s.extensions.forEach((uri, id) -> {
                if (id.equals(answeredExt.get(uri))) {
                    ext.put(uri, id);
                }
            });
            Direction d = m.direction();
            boolean offeredToReceive = s.clientSends;
            s.codecs = codecs;
            s.extensions = ext;
            s.rtcpRsize = s.rtcpRsize && m.hasAttribute("rtcp-rsize");
            s.clientSends = d.sends() && offeredToReceive;
            s.clientReceives = d.receives();
            s.received = s.clientSends ? published(m, s) : List.of();
            if (!s.clientSends) {
                s.rids = List.of();
            }
            if (!s.sending.isEmpty() && !s.clientReceives) {
                refuseAll(s.sending, nextRefused);
                s.sending = List.of();
            }
            computeSendTracks(s, nextRefused);
        }
        slots = next;
        numbering = nb;
        if (transport != null) {
            remote = transport;
        }
        usedMids = pending.usedMids;
        refused = nextRefused;
        pending = null;
    }

    /** Forgets the outstanding server offer (glare: the client's offer wins). */
    public void dropOffer() {
        pending = null;
    }

    public boolean offerOutstanding() {
        return pending != null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // State

    /** The agreed outgoing tracks, in m-section order. */
    public List<SendTrack> sendTracks() {
        List<SendTrack> result = new ArrayList<>();
        for (Slot s : slots) {
            result.addAll(s.sendTracks);
        }
        return List.copyOf(result);
    }

    /** The tracks the client sends, in m-section order. */
    public List<PublishedTrack> publishedTracks() {
        List<PublishedTrack> result = new ArrayList<>();
        for (Slot s : slots) {
            result.addAll(s.received);
        }
        return List.copyOf(result);
    }

    /** Desired tracks the server does not offer: the client refused them, or they cannot be described. */
    public List<OutgoingTrack> refusedTracks() {
        return List.copyOf(refused.values());
    }

    /** The client's transport as its last SDP with m-sections described it; null before that. */
    public TransportDescription remoteTransport() {
        return remote;
    }

    /** The mids of the agreed m-sections, in order (null for a rejected section without mid). */
    public List<String> mids() {
        List<String> result = new ArrayList<>();
        for (Slot s : slots) {
            result.add(s.mid);
        }
        return result;
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
    public static boolean looksPlanB(SessionDescription sd) {
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

    // ---------------------------------------------------------------------------------------------------------
    // Reading client SDP

    private static boolean isRejected(MediaSection m) {
        return m.isRejected() && !m.hasAttribute("bundle-only");
    }

    /** ICE and DTLS of the first usable section, after checking every usable section has them; null if none. */
    private static TransportDescription remoteTransport(SessionDescription sd, boolean offer) throws SdpException {
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

    private static void checkMidsAndBundle(SessionDescription sd) throws SdpException {
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
    private static void checkBundleNumbering(SessionDescription offer, List<Slot> slots) throws SdpException {
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

    private static void samePayloadType(Map<Integer, String> formatByPt, int pt, String key, String name,
                                        String label) throws SdpException {
        String before = formatByPt.putIfAbsent(pt, key);
        if (before != null && !before.equals(key)) {
            throw new SdpException(label + " uses payload type " + pt + " for " + name + " (" + key
                    + "), but an earlier bundled m-section uses it for " + before);
        }
    }

    /** The tracks the client describes in a section where it sends. */
    private List<PublishedTrack> published(MediaSection m, Slot s) throws SdpException {
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
            result.add(new PublishedTrack(streamId, trackId, s.kind, s.mid, ssrc, rtxOf.getOrDefault(ssrc, 0L),
                    cname, s.codecs, s.extensions, s.rids));
            return result;
        }
        for (SsrcDescription src : sources) {
            Msid msid = src.msid();
            if (secondary.contains(src.ssrc()) || msid == null) {
                continue;
            }
            String trackId = msid.trackId() == null ? "ssrc-" + src.ssrc() : msid.trackId();
            result.add(new PublishedTrack(msid.streamId(), trackId, s.kind, null, src.ssrc(),
                    rtxOf.getOrDefault(src.ssrc(), 0L), src.cname(), s.codecs, s.extensions, List.of()));
        }
        return result;
    }

    /** SSRCs that belong to another SSRC's track: RTX of FID groups, simulcast layers after the first. */
    private static Set<Long> secondarySsrcs(List<SsrcGroup> groups) {
        Set<Long> secondary = new HashSet<>();
        for (SsrcGroup g : groups) {
            if (g.semantics().equals("FID") || g.semantics().equals("SIM")) {
                secondary.addAll(g.ssrcs().subList(1, g.ssrcs().size()));
            }
        }
        // RTX of dropped simulcast layers as well
        for (SsrcGroup g : groups) {
            if (g.semantics().equals("FID") && g.ssrcs().size() >= 2 && secondary.contains(g.ssrcs().get(0))) {
                secondary.add(g.ssrcs().get(1));
            }
        }
        return secondary;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Outgoing tracks

    /** The desired tracks that can be offered; unusable ones go to {@code refusedOut}, refused ones are skipped. */
    private List<OutgoingTrack> wanted(List<OutgoingTrack> desired, Map<String, OutgoingTrack> refusedOut) {
        List<OutgoingTrack> result = new ArrayList<>();
        if (desired == null) {
            return result;
        }
        Set<String> trackIds = new HashSet<>();
        Set<Long> ssrcs = new HashSet<>();
        for (OutgoingTrack t : desired) {
            if (t == null || t.trackId() == null) {
                continue;
            }
            if (t.equals(refusedOut.get(t.trackId()))) {
                continue;
            }
            boolean usable = isToken(t.trackId()) && isToken(t.streamId()) && t.kind() != null
                    && t.ssrc() > 0 && t.ssrc() <= 0xFFFFFFFFL && t.rtxSsrc() >= 0 && t.rtxSsrc() <= 0xFFFFFFFFL
                    && t.rtxSsrc() != t.ssrc() && (t.cname() == null || isToken(t.cname()))
                    && t.publisherCodecs().stream().anyMatch(c -> c != null && policy.accepts(t.kind(), c))
                    && !trackIds.contains(t.trackId()) && !ssrcs.contains(t.ssrc())
                    && !(t.rtxSsrc() != 0 && ssrcs.contains(t.rtxSsrc()));
            if (!usable) {
                refusedOut.put(t.trackId(), t);
                continue;
            }
            trackIds.add(t.trackId());
            ssrcs.add(t.ssrc());
            if (t.rtxSsrc() != 0) {
                ssrcs.add(t.rtxSsrc());
            }
            result.add(t);
        }
        return result;
    }

    private static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 127) {
                return false;
            }
        }
        return true;
    }

    private static void refuseAll(Collection<OutgoingTrack> tracks, Map<String, OutgoingTrack> refusedOut) {
        for (OutgoingTrack t : tracks) {
            refusedOut.put(t.trackId(), t);
        }
    }

    /** Matches each outgoing track's codecs against the section's; tracks with no match are refused. */
    private static void computeSendTracks(Slot s, Map<String, OutgoingTrack> refusedOut) {
        List<OutgoingTrack> kept = new ArrayList<>();
        List<SendTrack> sendTracks = new ArrayList<>();
        for (OutgoingTrack t : s.sending) {
            List<Codec> codecs = new ArrayList<>();
            for (Codec p : t.publisherCodecs()) {
                for (Codec c : s.codecs) {
                    if (c.sameFormat(p) && !codecs.contains(c)) {
                        codecs.add(c);
                        break;
                    }
                }
            }
            if (codecs.isEmpty()) {
                refusedOut.put(t.trackId(), t);
                continue;
            }
            boolean rtx = t.rtxSsrc() != 0 && codecs.stream().anyMatch(Codec::hasRtx);
            kept.add(t);
            sendTracks.add(new SendTrack(t.trackId(), t.streamId(), t.kind(), s.mid, t.ssrc(),
                    rtx ? t.rtxSsrc() : 0, codecs, s.extensions));
        }
        s.sending = List.copyOf(kept);
        s.sendTracks = List.copyOf(sendTracks);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing

    private String write(List<Slot> list, boolean offer, long sdpVersion, boolean mixed) {
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
            media.add(section(s, offer));
        }
        return new SessionDescription(session, media).toString();
    }

    private MediaSection section(Slot s, boolean offer) {
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

    /** One m-section as agreed (or as proposed by a pending offer). Lists are immutable; copy() is shallow. */
    private static final class Slot {
        final String mid;
        final String media;
        final String proto;
        List<String> formats;
        MediaKind kind;
        boolean rejected;
        List<Codec> codecs = List.of();
        Map<String, Integer> extensions = Map.of();
        boolean rtcpRsize;
        boolean clientSends;
        boolean clientReceives;
        List<String> rids = List.of();
        List<PublishedTrack> received = List.of();
        List<OutgoingTrack> sending = List.of();
        List<SendTrack> sendTracks = List.of();

        Slot(String mid, String media, String proto, List<String> formats) {
            this.mid = mid;
            this.media = media;
            this.proto = proto;
            this.formats = List.copyOf(formats);
        }

        Slot copy() {
            Slot c = new Slot(mid, media, proto, formats);
            c.kind = kind;
            c.rejected = rejected;
            c.codecs = codecs;
            c.extensions = extensions;
            c.rtcpRsize = rtcpRsize;
            c.clientSends = clientSends;
            c.clientReceives = clientReceives;
            c.rids = rids;
            c.received = received;
            c.sending = sending;
            c.sendTracks = sendTracks;
            return c;
        }

        void reject() {
            if (formats.isEmpty()) {
                List<String> pts = new ArrayList<>();
                for (Codec c : codecs) {
                    pts.add(Integer.toString(c.payloadType()));
                }
                formats = pts.isEmpty() ? List.of("0") : List.copyOf(pts);
            }
            rejected = true;
            codecs = List.of();
            extensions = Map.of();
            clientSends = false;
            clientReceives = false;
            rids = List.of();
            received = List.of();
            sending = List.of();
            sendTracks = List.of();
        }
    }
}
