package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
     *                    extension) where the client sends; sections where only the server sends never carry it
     *                    (see {@link MediaPolicy}); off leaves only REMB (goog-remb) for bandwidth estimation
     * @param simulcast   accept simulcast from publishers: rid-based (a=rid/a=simulcast, answered with the rids
     *                    taken) and plan-b {@code a=ssrc-group:SIM}, at most {@value Simulcast#MAX_LAYERS} layers;
     *                    off answers without simulcast, so the client sends a single encoding (plan-b: the first
     *                    SIM layer is the track)
     */
    public record Options(boolean transportCc, boolean simulcast) {
        /** transport-cc on, simulcast on. */
        public static final Options DEFAULT = new Options(true, true);
        /** For a media layer that only implements REMB: no transport-cc, no simulcast. */
        public static final Options REMB_ONLY = new Options(false, false);
    }

    /**
     * The server's answer to a client offer, with what it learnt about the client.
     *
     * @param remote the client's transport; null while no client SDP has had an m-section (receive-only join)
     */
    public record Answer(String sdp, TransportDescription remote, List<PublishedTrack> published) {
    }

    private static final String RTP_PROTO = "UDP/TLS/RTP/SAVPF";

    private final boolean planB;
    private final MediaPolicy policy;
    private final ServerSdp writer;
    private LocalTransport local;
    private long version;
    private boolean extmapAllowMixed;

    // Agreed state.
    private List<Slot> slots = new ArrayList<>();
    private Numbering numbering = new Numbering();
    private TransportDescription remote;
    private Set<String> usedMids = new HashSet<>();
    private Map<String, OutgoingTrack> refused = new LinkedHashMap<>();
    private ForwardedSsrcs forwarded;

    // The outstanding server offer: the state it proposes.
    private Pending pending;
    /** The offer last taken as applied without an answer; forgotten at the next negotiation step. */
    private Pending assumed;
    /**
     * The offer taken as applied that the outstanding one followed: a client too busy to answer in time answers
     * it yet, after the next offer went out. Forgotten when the outstanding offer is answered or dropped.
     */
    private Pending superseded;

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
        this.writer = new ServerSdp(planB, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE),
                videoBitrateKbpsByStreamId == null ? Map.of() : videoBitrateKbpsByStreamId);
        Options o = options == null ? Options.DEFAULT : options;
        this.policy = new MediaPolicy(o.transportCc(), o.simulcast());
        this.forwarded = new ForwardedSsrcs();
    }

    /** For tests that need to know the forwarded SSRCs in advance: {@code ssrcs} gives the candidates in order. */
    PeerNegotiator(boolean planB, LocalTransport local, Options options, java.util.function.LongSupplier ssrcs) {
        this(planB, local, Map.of(), options);
        this.forwarded = new ForwardedSsrcs(ssrcs);
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

    /**
     * Answers a client offer, keeping every agreed outgoing track; {@code published} lists every track the client
     * now sends.
     */
    public Answer answerOffer(String offerSdp) throws SdpException {
        return answerOffer(offerSdp, null);
    }

    /**
     * Answers a client offer and, at the same time, stops sending agreed tracks that are no longer in
     * {@code desired} (or changed): their sections are answered without msid/ssrc lines (inactive, or recvonly
     * where the client sends). An answer cannot add tracks: call {@link #needsOffer} afterwards. A null
     * {@code desired} keeps every agreed track.
     */
    public Answer answerOffer(String offerSdp, List<OutgoingTrack> desired) throws SdpException {
        try {
            return doAnswerOffer(offerSdp, desired == null ? null : new HashSet<>(desired));
        } catch (RuntimeException e) {
            throw new SdpException("internal error while answering the client's offer: " + e, e);
        }
    }

    private Answer doAnswerOffer(String offerSdp, Set<OutgoingTrack> desired) throws SdpException {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        TransportDescription transport = ClientSdp.remoteTransport(offer, true);
        ClientSdp.checkMidsAndBundle(offer);
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
                if (!prev.rejected && !ClientSdp.isRejected(m)) {
                    throw new SdpException(m.label() + " replaces mid " + prev.mid
                            + "; an offer must keep its m-sections, in order, with their mids");
                }
                prev = null; // a rejected section recycled under a new mid
            }
            if (prev != null && !prev.rejected && !ClientSdp.isRejected(m) && !prev.media.equals(m.kind())) {
                throw new SdpException(m.label() + " changes its media from " + prev.media + " to " + m.kind());
            }
            next.add(answerSection(m, prev, bundle, desired, nextRefused));
        }
        ClientSdp.checkBundleNumbering(offer, next);
        ForwardedSsrcs fw = forwarded.copy();
        assignForwardedSsrcs(next, offer, fw);
        long nextVersion = version + 1;
        boolean mixed = extmapAllowMixed || offer.hasAttribute("extmap-allow-mixed");
        String answer = writer.write(next, false, nextVersion, mixed, local);

        version = nextVersion;
        extmapAllowMixed = mixed;
        slots = next;
        numbering = nb;
        if (transport != null) {
            remote = transport;
        }
        refused = nextRefused;
        forwarded = fw;
        for (Slot s : next) {
            if (s.mid != null) {
                usedMids.add(s.mid);
            }
        }
        pending = null;
        assumed = null; // a late answer to an older offer no longer fits what is agreed now
        superseded = null;
        return new Answer(answer, remote, publishedTracks());
    }

    private Slot answerSection(MediaSection m, Slot prev, List<String> bundle, Set<OutgoingTrack> desired,
                               Map<String, OutgoingTrack> refusedOut) throws SdpException {
        Slot s = new Slot(m.mid(), m.kind(), m.proto(), m.formats());
        s.serverCreated = prev != null && prev.serverCreated;
        MediaKind kind = m.mediaKind();
        boolean bundled = bundle.isEmpty() || m.mid() != null && bundle.contains(m.mid());
        Direction d = m.direction();
        List<Codec> codecs = kind != null && m.isRtp() && !ClientSdp.isRejected(m)
                ? policy.select(kind, m.codecs(), d.sends()) : List.of();
        if (kind == null || !bundled || codecs.isEmpty()) {
            s.rejected = true;
            if (prev != null) {
                refuseAll(prev.sending, refusedOut);
            }
            return s;
        }
        s.kind = kind;
        s.codecs = codecs;
        s.rtcpRsize = m.hasAttribute("rtcp-rsize");
        s.clientSends = d.sends();
        s.clientReceives = d.receives();
        s.rids = policy.simulcast() && !planB && kind == MediaKind.VIDEO && s.clientSends
                ? Simulcast.sendRids(m) : List.of();
        // The rid extensions stay whenever the client offers rids, even with simulcast declined: Chrome keeps the
        // rid on its one remaining encoding and refuses later negotiations that drop the extension.
        s.extensions = policy.selectExtensions(kind, m.extensions(), !m.rids("send").isEmpty(), s.clientSends);
        s.received = s.clientSends ? ClientSdp.published(m, s, planB, policy.simulcast()) : List.of();
        List<OutgoingTrack> sending = prev == null ? List.of() : prev.sending;
        if (desired != null) {
            sending = sending.stream().filter(desired::contains).toList();
        }
        if (!sending.isEmpty() && !s.clientReceives) {
            // A section the client turned inactive declines what the server sends there. One it now sends on
            // (sendonly) was taken for its own track (RTCEngine's SDK lets addTrack reuse any idle transceiver):
            // no refusal, so those tracks move to new sections in the next offer.
            if (!s.clientSends) {
                refuseAll(sending, refusedOut);
            }
            sending = List.of();
        }
        s.sending = sending;
        s.matchSendTracks(refusedOut);
        return s;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Server offers

    /**
     * True when the agreed outgoing tracks differ from {@code desired} (leaving out tracks the client refused).
     * It compares with the agreed state only: while {@link #offerOutstanding()}, wait for the answer (or drop the
     * offer) before creating another.
     */
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
            return doCreateOffer(desired, false);
        } catch (RuntimeException e) {
            throw new SdpException("internal error while creating an offer: " + e, e);
        }
    }

    /**
     * Like {@link #createOffer} after the client failed to apply an offer: every track that is not agreed yet gets a
     * brand-new m-section (no recycled one), so nothing the failed offer changed is reused. Always writes an offer,
     * even when nothing changed, so that the client can start over from a complete description.
     */
    public String createFreshOffer(List<OutgoingTrack> desired) throws SdpException {
        try {
            return doCreateOffer(desired, true);
        } catch (RuntimeException e) {
            throw new SdpException("internal error while creating an offer: " + e, e);
        }
    }

    private String doCreateOffer(List<OutgoingTrack> desired, boolean fresh) throws SdpException {
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
            offerUnified(next, wanted, nb, mids, nextRefused, fresh);
        }
        long nextVersion = version + 1;
        String offer = writer.write(next, true, nextVersion, extmapAllowMixed, local);
        version = nextVersion;
        refused = new LinkedHashMap<>(nextRefused); // unusable tracks are refused whatever the client answers
        pending = new Pending(next, nb, mids, nextRefused);
        superseded = assumed != null ? assumed : superseded;
        assumed = null;
        return offer;
    }

    /**
     * Places the wanted tracks in unified-plan sections. A track keeps its section for as long as it is sent; a track
     * whose description changed (codecs, cname) but keeps its id or SSRC is updated in place, so an SSRC never moves
     * from one section to another, and never appears in two (Chrome refuses both: "Failed to apply demuxer
     * criteria"). A new track takes an inactive section the server made earlier and that no one uses, unless this
     * very offer emptied it (the browser must see the old track end first), else a new section.
     */
    private void offerUnified(List<Slot> next, List<OutgoingTrack> wanted, Numbering nb, Set<String> mids,
                              Map<String, OutgoingTrack> refusedOut, boolean fresh) {
        Set<Slot> freed = new HashSet<>();
        Set<OutgoingTrack> placed = new HashSet<>();
        for (Slot s : next) {
            if (s.sending.isEmpty()) {
                continue;
            }
            OutgoingTrack was = s.sending.get(0);
            OutgoingTrack now = successor(was, wanted, placed);
            if (now == null) {
                s.sending = List.of(); // removed: the section goes inactive
                s.sendTracks = List.of();
                freed.add(s);
                continue;
            }
            placed.add(now);
            if (!now.equals(was)) {
                List<Codec> codecs = renumber(now, nb, s.clientSends);
                if (codecs.isEmpty()) {
                    refusedOut.put(now.trackId(), now);
                    s.sending = List.of();
                    s.sendTracks = List.of();
                    freed.add(s);
                    continue;
                }
                s.codecs = codecs;
                s.sending = List.of(now);
                s.sendTracks = List.of();
            }
        }
        for (OutgoingTrack t : wanted) {
            if (placed.contains(t)) {
                continue;
            }
            List<Codec> codecs = renumber(t, nb, false);
            if (codecs.isEmpty()) {
                refusedOut.put(t.trackId(), t);
                continue;
            }
            Slot s = fresh ? null : recyclable(next, t.kind(), freed);
            if (s == null) {
                s = new Slot(newMid(mids, null), t.kind().sdpName(), RTP_PROTO, List.of());
                s.serverCreated = true;
                next.add(s);
            }
            s.kind = t.kind();
            s.codecs = codecs;
            s.extensions = offerExtensions(t.kind(), nb);
            s.rtcpRsize = true;
            s.clientReceives = true;
            s.sending = List.of(t);
            s.sendTracks = List.of();
            placed.add(t);
        }
    }

    /** The wanted track that continues {@code was}: the same one, or one of its kind with its id or its SSRC. */
    private static OutgoingTrack successor(OutgoingTrack was, List<OutgoingTrack> wanted, Set<OutgoingTrack> placed) {
        OutgoingTrack sameIdentity = null;
        for (OutgoingTrack t : wanted) {
            if (placed.contains(t)) {
                continue;
            }
            if (t.equals(was)) {
                return t;
            }
            if (sameIdentity == null && t.kind() == was.kind()
                    && (t.trackId().equals(was.trackId()) || t.ssrc() == was.ssrc())) {
                sameIdentity = t;
            }
        }
        return sameIdentity;
    }

    /** An inactive section of that kind the server made and nobody uses, not one emptied by this very offer. */
    private static Slot recyclable(List<Slot> next, MediaKind kind, Set<Slot> freedNow) {
        for (Slot s : next) {
            if (s.serverCreated && !s.rejected && s.kind == kind && s.sending.isEmpty() && !s.clientSends
                    && s.received.isEmpty() && !freedNow.contains(s)) {
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
                List<Codec> mapped = renumber(t, nb, s.clientSends);
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

    /** The publisher's codecs this SFU forwards, in this peer's numbering, for a section where the client may send. */
    private List<Codec> renumber(OutgoingTrack t, Numbering nb, boolean clientSends) {
        List<Codec> result = new ArrayList<>();
        for (Codec c : t.publisherCodecs()) {
            if (c == null || !policy.accepts(t.kind(), c) || !nb.peerTakes(t.kind(), c)) {
                continue;
            }
            Codec mine = nb.renumber(c, t.kind() == MediaKind.VIDEO, policy.offerFeedback(t.kind(), clientSends));
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
        // A late answer to the offer taken as applied tells what the client really agreed to.
        Pending pending = this.pending != null ? this.pending : assumed;
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
        TransportDescription transport = ClientSdp.remoteTransport(answer, false);
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
            if (ClientSdp.isRejected(m)) {
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
                        fb.retainAll(policy.feedback(a.rtcpFeedback(), true));
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
            s.received = s.clientSends ? ClientSdp.published(m, s, planB, policy.simulcast()) : List.of();
            if (!s.clientSends) {
                s.rids = List.of();
            }
            if (!s.sending.isEmpty() && !s.clientReceives) {
                refuseAll(s.sending, nextRefused);
                s.sending = List.of();
            }
            s.matchSendTracks(nextRefused);
        }
        ForwardedSsrcs fw = forwarded.copy();
        assignForwardedSsrcs(next, answer, fw);
        slots = next;
        numbering = nb;
        if (transport != null) {
            remote = transport;
        }
        usedMids = pending.usedMids;
        refused = nextRefused;
        forwarded = fw;
        this.pending = null;
        assumed = null;
        superseded = null;
    }

    /**
     * Takes the outstanding server offer as applied without an answer, as if the client had accepted every
     * section as offered. RTCEngine's SDKs of the time applied server offers locally and never answered; the
     * room calls this when their next offer arrives or the offer timeout passes, so such clients do not wedge.
     */
    public void assumeAnswered() {
        if (pending == null) {
            return;
        }
        assumed = pending;
        Map<String, OutgoingTrack> nextRefused = new LinkedHashMap<>(pending.refused);
        List<Slot> next = new ArrayList<>();
        for (Slot offered : pending.slots) {
            Slot s = offered.copy();
            next.add(s);
            if (s.rejected) {
                continue;
            }
            if (!s.sending.isEmpty()) {
                s.clientReceives = true;
            }
            s.matchSendTracks(nextRefused);
        }
        slots = next;
        numbering = pending.numbering;
        usedMids = pending.usedMids;
        refused = nextRefused;
        pending = null;
    }

    /**
     * Whether a client offer shows that the client applied the outstanding server offer without answering it
     * (RTCEngine's SDKs did that): every section that offer added is in the client's offer at the same place, of
     * the same media, receiving. A client whose offer crossed ours (glare) may well use the same mids for its own
     * new sections, but it sends there and does not receive.
     */
    public boolean offerAppliedBy(String clientOfferSdp) {
        if (pending == null || pending.slots.size() <= slots.size()) {
            return false;
        }
        try {
            List<MediaSection> media = SessionDescription.parse(clientOfferSdp).media();
            for (int i = slots.size(); i < pending.slots.size(); i++) {
                Slot added = pending.slots.get(i);
                if (added.rejected) {
                    continue;
                }
                if (i >= media.size()) {
                    return false;
                }
                MediaSection m = media.get(i);
                if (!Objects.equals(added.mid, m.mid()) || !added.media.equals(m.kind()) || ClientSdp.isRejected(m)
                        || !m.direction().receives()) {
                    return false;
                }
            }
            return true;
        } catch (SdpException e) {
            return false;
        }
    }

    /** Forgets the outstanding server offer (glare: the client's offer wins). */
    public void dropOffer() {
        pending = null;
        assumed = null;
        superseded = null;
    }

    /**
     * Whether this answer is to the offer taken as applied before the outstanding one, not to the outstanding one:
     * it has that offer's sections (mids and media, in order) and not the outstanding offer's. A slow client answers
     * every offer in turn; this one is simply late, and its successor's answer follows.
     */
    public boolean answersSupersededOffer(String answerSdp) {
        if (pending == null || superseded == null) {
            return false;
        }
        try {
            List<MediaSection> media = SessionDescription.parse(answerSdp).media();
            return fits(media, superseded.slots) && !fits(media, pending.slots);
        } catch (SdpException e) {
            return false;
        }
    }

    private static boolean fits(List<MediaSection> media, List<Slot> offered) {
        if (media.size() != offered.size()) {
            return false;
        }
        for (int i = 0; i < media.size(); i++) {
            if (!Objects.equals(offered.get(i).mid, media.get(i).mid()) || !offered.get(i).media.equals(media.get(i).kind())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The last server offer was taken as applied without an answer ({@link #assumeAnswered}) and nothing was
     * negotiated since: its answer, should it come late after all, is still applied rather than refused.
     */
    public boolean lateAnswerWelcome() {
        return pending == null && assumed != null;
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

    /** The tracks the client sends, in m-section order (with the SSRCs learned from its packets, see learnSsrc). */
    public List<PublishedTrack> publishedTracks() {
        List<PublishedTrack> result = new ArrayList<>();
        for (Slot s : slots) {
            for (PublishedTrack t : s.received) {
                Learned l = t.mid() == null || t.simulcast() ? null : learned.get(t.mid());
                result.add(l == null || l.declaredSsrc != t.ssrc() || l.declaredRtxSsrc != t.rtxSsrc() ? t
                        : t.withSsrcs(l.ssrc, l.rtxSsrc));
            }
        }
        return List.copyOf(result);
    }

    /** An SSRC seen on the wire for a section whose SDP declared another one (or none); see {@link #learnSsrc}. */
    private record Learned(long declaredSsrc, long declaredRtxSsrc, long ssrc, long rtxSsrc) {
    }

    /** mid → learned SSRCs, valid while the client's SDP still declares what it declared then. */
    private final Map<String, Learned> learned = new LinkedHashMap<>();

    /**
     * The client sends the one track of its unified-plan section {@code mid} on {@code ssrc} (its RTX stream, when
     * {@code rtx}), though its SDPs declared another SSRC or none (RFC 8843 §9.2: the MID header extension ties a
     * packet to its section). The track is described with that SSRC until the client's SDP declares something new.
     * Returns whether anything changed. Never for a simulcast track: its SSRCs are the server's, and the
     * forwarder finds the layers' SSRCs by their rid.
     */
    public boolean learnSsrc(String mid, long ssrc, boolean rtx) {
        for (Slot s : slots) {
            if (!mid.equals(s.mid) || s.received.size() != 1 || s.received.get(0).simulcast()) {
                continue;
            }
            PublishedTrack declared = s.received.get(0);
            Learned before = learned.get(mid);
            boolean current = before != null && before.declaredSsrc == declared.ssrc()
                    && before.declaredRtxSsrc == declared.rtxSsrc();
            long media = current ? before.ssrc : declared.ssrc();
            long repair = current ? before.rtxSsrc : declared.rtxSsrc();
            Learned next = rtx ? new Learned(declared.ssrc(), declared.rtxSsrc(), media, ssrc)
                    : new Learned(declared.ssrc(), declared.rtxSsrc(), ssrc, repair == ssrc ? 0 : repair);
            if (next.ssrc == media && next.rtxSsrc == repair) {
                return false;
            }
            learned.put(mid, next);
            return true;
        }
        return false;
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
        return ClientSdp.looksPlanB(sd);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Outgoing tracks

    /**
     * Gives every simulcast track of {@code next} its forwarded SSRCs (see {@link ForwardedSsrcs}), none of them an
     * SSRC the client's {@code sdp} names anywhere, and RTX only when one of its codecs has RTX.
     */
    private static void assignForwardedSsrcs(List<Slot> next, SessionDescription sdp, ForwardedSsrcs fw) {
        Set<Long> taken = new HashSet<>();
        for (MediaSection m : sdp.media()) {
            taken.addAll(ClientSdp.ssrcsOf(m));
        }
        for (Slot s : next) {
            if (s.received.stream().noneMatch(PublishedTrack::simulcast)) {
                continue;
            }
            List<PublishedTrack> tracks = new ArrayList<>();
            for (PublishedTrack t : s.received) {
                tracks.add(t.simulcast() ? fw.assign(t, t.codecs().stream().anyMatch(Codec::hasRtx), taken) : t);
            }
            s.received = List.copyOf(tracks);
        }
    }

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




}