package dev.roomdeck.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.protocol.ConfigureData;
import dev.roomdeck.protocol.MessageData;
import dev.roomdeck.protocol.MessageTypes;
import dev.roomdeck.protocol.PeerData;
import dev.roomdeck.protocol.RenegotiateReply;
import dev.roomdeck.protocol.RoomMeta;
import dev.roomdeck.protocol.SdpData;
import dev.roomdeck.protocol.StreamAddedData;
import dev.roomdeck.sdp.OutgoingTrack;
import dev.roomdeck.sdp.PeerNegotiator;
import dev.roomdeck.sdp.PublishedTrack;
import dev.roomdeck.sdp.SdpException;
import dev.roomdeck.sdp.SendTrack;
import dev.roomdeck.sdp.TransportDescription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A room: its peers, their streams, and the rules of the protocol between them. Every state change runs under
 * this object's lock, so all peers see one order of events; nothing here blocks (links send asynchronously).
 * Created by its first join and closed when its last peer leaves (see {@link Rooms}).
 */
public final class Room {
    /** How long tracks of a join offer wait for the addStream that describes them before others are offered them. */
    static final long ANNOUNCE_GRACE_NANOS = 1_000_000_000L;
    /** How long a client that has not shown it answers offers waits for its first one if no addStream comes. */
    static final long LEGACY_HOLD_NANOS = 3_000_000_000L;
    /** An offer to such a client counts as applied after this long (it applies offers without answering). */
    static final long LEGACY_SETTLE_NANOS = 2_000_000_000L;

    private final String id;
    private final Rooms rooms;
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private boolean closed;
    /** The door: new people wait in the lobby while locked; a PIN, when set, is asked at every join. */
    private boolean locked;
    private String pin;
    private final Map<String, Knock> lobby = new LinkedHashMap<>();
    /** Users the operator let in, each once (their join runs again right after). */
    private final java.util.Set<String> admitted = new java.util.HashSet<>();
    private int knocks;
    /** The dominant speaker (from the media plane), null before anyone spoke. */
    private String speakerPeerId;
    private String speakerMsid;

    Room(String id, Rooms rooms) {
        this.id = id;
        this.rooms = rooms;
    }

    public String id() {
        return id;
    }

    public synchronized List<Peer> peers() {
        return List.copyOf(peers.values());
    }

    public synchronized Optional<Peer> peer(String peerId) {
        return Optional.ofNullable(peers.get(peerId));
    }

    public synchronized RoomMeta meta() {
        return new RoomMeta(id, peers.values().stream().map(Peer::meta).toList());
    }

    synchronized boolean closeIfEmpty() {
        if (!closed && peers.isEmpty() && lobby.isEmpty()) {
            closed = true;
            return true;
        }
        return false;
    }

    /**
     * Adds a peer from its join offer; replies joined. Returns null if the room closed meanwhile (retry). Throws
     * {@link InLobby} when the room is locked and the join now waits for the operator ({@code lobbyist} hears the
     * decision; without one a locked room refuses).
     */
    synchronized Peer join(JoinRequest request, PeerLink link, Lobbyist lobbyist) throws RoomException {
        if (closed) {
            return null;
        }
        String peerId = request.peerId();
        Peer existing = peers.get(peerId);
        checkDoor(request, existing != null, link, lobbyist);
        boolean planB = request.planB();
        String offerSdp = request.offerSdp();
        JsonNode attributes = request.attributes();
        boolean answersOffers = request.answersOffers();
        if (existing != null) {
            remove(existing, "replaced", "the same user joined this room from another connection");
        }
        if (peers.size() >= rooms.limits().maxPeersPerRoom()) {
            throw new RoomException("room-full", "room '" + id + "' already has " + peers.size() + " peers (the limit)");
        }
        PeerMedia media = rooms.media().open(this, peerId, mediaEvents);
        Peer peer;
        PeerNegotiator.Answer answer;
        try {
            peer = new Peer(peerId, this, link, media, SdpFlavour.planB(offerSdp, planB), rooms.now(), attributes);
            peer.answersOffers(answersOffers);
            peer.speakerEvents(request.speakerEvents());
            answer = peer.negotiator().answerOffer(offerSdp);
        } catch (SdpException e) {
            media.close();
            throw new RoomException("bad-sdp", e.getMessage());
        } catch (RuntimeException e) {
            media.close();
            throw e;
        }
        Map<String, Peer> others = new LinkedHashMap<>(peers);
        peers.put(peerId, peer);
        rooms.emit(new RoomEvent.PeerJoined(rooms.now(), id, peerId, link.remoteAddress()));
        // The join offer's tracks wait for their addStream (see Stream#announced): one offer to the others, with
        // the stream's attributes in its room meta.
        applyPublished(peer, answer.published(), false);
        link.reply(MessageTypes.JOINED, new SdpData(answer.sdp(), meta()));
        media.update(answer.remote(), answer.published(), peer.negotiator().sendTracks());
        tellCurrentMutes(peer, others.values());
        PeerData connected = new PeerData(peer.meta());
        for (Peer other : others.values()) {
            other.link().send(MessageTypes.PEER_CONNECTED, connected);
        }
        renegotiateAll();
        return peer;
    }

    /** A client offer (offer, addStream or removeStream carry one): answer it; the server is the polite side. */
    synchronized void offer(Peer peer, String sdp) throws RoomException {
        checkMember(peer);
        applyOffer(peer, sdp, MessageTypes.ANSWER);
        renegotiateAll(); // the others get an offer only if what they should receive changed
    }

    synchronized void addStream(Peer peer, String msid, int bitrateKbps, JsonNode attributes, String sdp)
            throws RoomException {
        checkMember(peer);
        Stream stream = peer.streamMap().get(msid);
        boolean isNew = stream == null;
        // Only a described stream the others already have needs an offer for its new meta alone.
        boolean metaChanged = !isNew && stream.announced()
                && (stream.bitrateKbps() != bitrateKbps || !Objects.equals(stream.attributes(), attributes));
        if (isNew) {
            stream = new Stream(msid, peer.id(), bitrateKbps, attributes);
        } else {
            stream.describe(bitrateKbps, attributes);
        }
        peer.videoCaps().put(msid, bitrateKbps);
        PeerNegotiator.Answer answer = answerClientOffer(peer, sdp);
        stream.announce();
        if (isNew) {
            peer.streamMap().put(msid, stream);
            rooms.emit(new RoomEvent.StreamAdded(rooms.now(), id, peer.id(), msid));
        }
        applyPublished(peer, answer.published(), true);
        peer.link().reply(MessageTypes.ANSWER, new SdpData(answer.sdp(), meta()));
        peer.link().reply(MessageTypes.STREAM_ADDED, new StreamAddedData(msid));
        updateMedia(peer, answer.remote(), answer.published(), peer.negotiator().sendTracks());
        streamChangeAnswered(peer);
        if (metaChanged) {
            for (Peer other : peers.values()) {
                if (other != peer) {
                    other.offerWanted();
                }
            }
        }
        renegotiateAll();
    }

    synchronized void removeStream(Peer peer, String ownerId, String msid, String sdp) throws RoomException {
        checkMember(peer);
        if (!peer.id().equals(ownerId)) {
            throw new RoomException("not-owner", "peer '" + peer.id() + "' cannot remove a stream of peer '" + ownerId + "'");
        }
        if (!peer.streamMap().containsKey(msid)) {
            throw new RoomException("unknown-stream", "peer '" + peer.id() + "' publishes no stream '" + msid + "'");
        }
        PeerNegotiator.Answer answer = answerClientOffer(peer, sdp);
        peer.streamMap().remove(msid);
        peer.videoCaps().remove(msid);
        rooms.emit(new RoomEvent.StreamRemoved(rooms.now(), id, peer.id(), msid));
        applyPublished(peer, answer.published(), true);
        peer.link().reply(MessageTypes.ANSWER, new SdpData(answer.sdp(), meta()));
        updateMedia(peer, answer.remote(), answer.published(), peer.negotiator().sendTracks());
        streamChangeAnswered(peer);
        renegotiateAll();
    }

    /**
     * A client that has not shown it answers server offers (RTCEngine's SDKs) ignores our answer to its addStream or
     * removeStream and re-applies its previous remote description, so its new sending sections stay as that one left
     * them (inactive, after join). A server offer right after makes them what they should be: the client applies it
     * locally.
     */
    private void streamChangeAnswered(Peer peer) {
        if (!peer.answersOffers()) {
            peer.streamChangeAnswered(true);
            peer.offerWanted();
        }
    }

    /** The client's answer to the server's outstanding offer. */
    synchronized void answer(Peer peer, String sdp) throws RoomException {
        checkMember(peer);
        PeerNegotiator neg = peer.negotiator();
        if (!neg.offerOutstanding() && !neg.lateAnswerWelcome()) {
            throw new RoomException("no-offer-pending", "there is no server offer to answer (it may have been "
                    + "withdrawn because your own offer crossed it)");
        }
        peer.answersOffers(true);
        if (neg.answersSupersededOffer(sdp)) {
            return; // late: its offer was taken as applied and followed by the one outstanding, whose answer follows
        }
        try {
            neg.applyAnswer(sdp);
        } catch (SdpException e) {
            throw new RoomException("bad-sdp", e.getMessage());
        }
        updateMedia(peer, neg.remoteTransport(), neg.publishedTracks(), neg.sendTracks());
        renegotiate(peer);
    }

    /** configure with local: the owner (un)mutes its own stream; relayed to the others. */
    synchronized void configureLocal(Peer peer, String ownerId, String msid, Boolean audio, Boolean video)
            throws RoomException {
        checkMember(peer);
        if (!peer.id().equals(ownerId)) {
            throw new RoomException("not-owner", "configure with local applies to your own streams only; '"
                    + ownerId + "' is not you");
        }
        Stream stream = peer.streamMap().get(msid);
        if (stream == null) {
            throw new RoomException("unknown-stream", "you publish no stream '" + msid + "'");
        }
        MuteState mute = stream.mute();
        if ((Boolean.TRUE.equals(audio) && mute.audioByOperator()) || (Boolean.TRUE.equals(video) && mute.videoByOperator())) {
            throw new RoomException("muted-by-operator", "the operator muted this stream; only the operator can unmute it");
        }
        stream.mute(mute.byOwner(audio == null ? null : !audio, video == null ? null : !video));
        rooms.emit(new RoomEvent.StreamMuted(rooms.now(), id, peer.id(), msid, stream.mute()));
        ConfigureData relay = ConfigureData.notice(ownerId, msid, true, video, audio, "peer");
        for (Peer other : peers.values()) {
            if (other != peer) {
                other.link().send(MessageTypes.CONFIGURE, relay);
            }
        }
        publishPlan();
    }

    /** configure with remote: stop or resume receiving another peer's stream, for this peer only. */
    synchronized void configureRemote(Peer peer, String ownerId, String msid, Boolean audio, Boolean video)
            throws RoomException {
        checkMember(peer);
        Peer owner = peers.get(ownerId);
        if (owner == null || !owner.streamMap().containsKey(msid)) {
            throw new RoomException("unknown-stream", "no peer '" + ownerId + "' with a stream '" + msid + "' in this room");
        }
        MuteState now = peer.receiveMutes().getOrDefault(msid, MuteState.NONE);
        peer.receiveMutes().put(msid, now.byOwner(audio == null ? null : !audio, video == null ? null : !video));
        publishPlan();
    }

    /** videoSize: the largest video this peer wants of another's stream (its tile's size); 0x0 for none now. */
    synchronized void videoSize(Peer peer, String ownerId, String msid, VideoSize size) throws RoomException {
        checkMember(peer);
        Peer owner = peers.get(ownerId);
        if (owner == null || owner == peer || !owner.streamMap().containsKey(msid)) {
            throw new RoomException("unknown-stream", "no other peer '" + ownerId + "' with a stream '" + msid + "' in this room");
        }
        if (!size.equals(peer.videoSizes().put(msid, size))) {
            publishPlan();
        }
    }

    synchronized void message(Peer peer, JsonNode data) throws RoomException {
        checkMember(peer);
        MessageData relay = new MessageData(data, peer.id());
        for (Peer other : peers.values()) {
            if (other != peer) {
                other.link().send(MessageTypes.MESSAGE, relay);
            }
        }
    }

    /** The peer leaves (leave, disconnect, kick, timeout): peerRemoved to the others, its streams withdrawn. */
    synchronized void leave(Peer peer, String reason, String message) {
        if (peers.get(peer.id()) == peer) {
            remove(peer, reason, message);
            renegotiateAll();
            closeIfNowEmpty();
        }
    }

    /**
     * A server offer unanswered for longer than the offer timeout is taken as applied: a client that applies
     * offers without answering (RTCEngine's SDKs) must not wedge the negotiation.
     */
    synchronized void checkOfferTimeouts(long nowNanos, long timeoutNanos) {
        boolean announced = false;
        for (Peer p : peers.values()) {
            for (Stream s : p.streamMap().values()) {
                announced |= s.announceIfOverdue(nowNanos);
            }
        }
        if (announced) {
            renegotiateAll(); // a join offer's tracks whose addStream never came
        }
        for (Peer p : List.copyOf(peers.values())) {
            PeerNegotiator neg = p.negotiator();
            // A client that never answered applies an offer in well under this; waiting the full timeout for each
            // offer would keep later changes from it for that long.
            long limit = p.answersOffers() ? timeoutNanos : Math.min(timeoutNanos, LEGACY_SETTLE_NANOS);
            if (neg.offerOutstanding()) {
                if (nowNanos - p.offerSentNanos() > limit) {
                    neg.assumeAnswered();
                    updateMedia(p, neg.remoteTransport(), neg.publishedTracks(), neg.sendTracks());
                    renegotiate(p);
                }
            } else if (!p.answersOffers() && !p.streamChangeAnswered()) {
                renegotiate(p); // offers once its first-offer hold is over (a viewer never sends addStream)
            }
        }
    }

    /** A second no-media report within this time after a keyframe answer gets a fresh offer instead. */
    private static final long KEYFRAME_RETRY_WINDOW_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    /**
     * The client asks for a fresh offer: it could not apply ours ({@code offer-failed}: it rolled it back), or the
     * video of stream {@code msid} did not start ({@code no-media}). A no-media report is first checked against what
     * the media plane sees, so that a fresh offer goes out only where the negotiation can be at fault: video the
     * server does not have yet, or a client whose own transport is still connecting, is answered with {@code wait};
     * video the server forwards to the client gets a keyframe request (a decoder waiting for one) the first time.
     * Otherwise a failed offer is withdrawn and a fresh complete one describes everything the peer should receive,
     * with new m-sections for what is not agreed yet; with {@code no-media} an outstanding offer is kept (the client
     * may be answering it) and the fresh one follows its answer. The operator sees the failure in the peer's figures
     * and the events.
     */
    synchronized void renegotiateRequest(Peer peer, String reason, String message, String msid) throws RoomException {
        checkMember(peer);
        if ("no-media".equals(reason) && msid != null) {
            Peer owner = ownerOf(msid, peer);
            if (owner != null) {
                VideoFlow flow = peer.media().videoFlow(owner.id(), msid);
                if (flow == VideoFlow.RECEIVER_NOT_CONNECTED || flow == VideoFlow.PUBLISHER_SILENT) {
                    peer.link().reply(MessageTypes.RENEGOTIATE, new RenegotiateReply("wait", flow.explanation()));
                    return;
                }
                if (flow == VideoFlow.FORWARDING
                        && !peer.keyframeAlreadyTried(msid, System.nanoTime(), KEYFRAME_RETRY_WINDOW_NANOS)) {
                    peer.media().requestKeyframe(owner.id(), msid);
                    peer.link().reply(MessageTypes.RENEGOTIATE, new RenegotiateReply("keyframe", flow.explanation()));
                    return;
                }
                message = (message == null || message.isBlank() ? "" : message + "; ") + flow.explanation();
            }
        }
        String what = "no-media".equals(reason) ? "no media arrived for a stream it was offered"
                : "the browser could not apply the server's offer";
        String said = message == null || message.isBlank() ? what : what + ": " + message;
        peer.negotiationFailed(said);
        rooms.emit(new RoomEvent.ClientError(rooms.now(), id, peer.id(), "negotiation-failed", said));
        PeerNegotiator neg = peer.negotiator();
        if (neg.offerOutstanding() && !"offer-failed".equals(reason)) {
            peer.offerWanted();
            return;
        }
        neg.dropOffer();
        try {
            String sdp = neg.createFreshOffer(desiredTracks(peer));
            peer.takeOfferWanted();
            peer.offerSentNanos(System.nanoTime());
            peer.link().send(MessageTypes.OFFER, new SdpData(sdp, meta()));
        } catch (SdpException e) {
            throw new RoomException("offer-failed", "no fresh offer could be made: " + e.getMessage());
        }
    }

    /** The peer other than {@code asker} that publishes stream {@code msid}, or null. */
    private Peer ownerOf(String msid, Peer asker) {
        for (Peer p : peers.values()) {
            if (p != asker && p.streamMap().containsKey(msid)) {
                return p;
            }
        }
        return null;
    }

    // ---- operator commands (admin API) ----

    synchronized void operatorMute(String peerId, String msid, Boolean audioMuted, Boolean videoMuted) throws RoomException {
        Peer owner = peers.get(peerId);
        Stream stream = owner == null ? null : owner.streamMap().get(msid);
        if (stream == null) {
            throw new RoomException("unknown-stream", "no stream '" + msid + "' of peer '" + peerId + "' in room '" + id + "'");
        }
        stream.mute(stream.mute().byOperator(audioMuted, videoMuted));
        rooms.emit(new RoomEvent.StreamMuted(rooms.now(), id, peerId, msid, stream.mute()));
        ConfigureData notice = ConfigureData.notice(peerId, msid, false,
                videoMuted == null ? null : !videoMuted, audioMuted == null ? null : !audioMuted, "operator");
        for (Peer p : peers.values()) {
            p.link().send(MessageTypes.CONFIGURE, notice);
        }
        publishPlan();
    }

    synchronized void kick(String peerId, String message) throws RoomException {
        Peer peer = peers.get(peerId);
        if (peer == null) {
            throw new RoomException("unknown-peer", "no peer '" + peerId + "' in room '" + id + "'");
        }
        leave(peer, "kicked", message == null || message.isBlank() ? "The operator removed you from the room." : message);
    }

    synchronized void operatorMessage(String peerIdOrNull, JsonNode data) throws RoomException {
        MessageData msg = new MessageData(data, "operator");
        if (peerIdOrNull == null) {
            peers.values().forEach(p -> p.link().send(MessageTypes.MESSAGE, msg));
            return;
        }
        Peer peer = peers.get(peerIdOrNull);
        if (peer == null) {
            throw new RoomException("unknown-peer", "no peer '" + peerIdOrNull + "' in room '" + id + "'");
        }
        peer.link().send(MessageTypes.MESSAGE, msg);
    }

    /** Server shutdown: every peer gets leave with the reason, and the room closes. */
    synchronized void closeAll(String reason, String message) {
        for (Peer p : List.copyOf(peers.values())) {
            remove(p, reason, message);
        }
        closeIfNowEmpty();
    }

    // ---- the door (operator) ----

    /**
     * PIN first (a wrong one is told at once), then the lock: a locked room sends newcomers to the lobby. A reload
     * (the same user taking its seat back) and a user the operator just admitted pass.
     */
    private void checkDoor(JoinRequest request, boolean takesOwnSeat, PeerLink link, Lobbyist lobbyist)
            throws RoomException {
        if (pin != null) {
            if (request.pin() == null || request.pin().isEmpty()) {
                throw new RoomException("pin-required", "room '" + id + "' asks for a PIN");
            }
            if (!java.security.MessageDigest.isEqual(pin.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    request.pin().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                throw new RoomException("pin-wrong", "that is not the PIN of room '" + id + "'");
            }
        }
        if (!locked || takesOwnSeat || admitted.remove(request.peerId())) {
            return;
        }
        if (lobbyist == null) {
            throw new RoomException("join-refused", "room '" + id + "' is locked");
        }
        for (Knock k : lobby.values()) {
            if (k.userId().equals(request.peerId())) {
                lobby.remove(k.knockId()); // the same person knocks again (a reload): one knock, the newest
                rooms.emit(new RoomEvent.KnockEnded(rooms.now(), id, k.knockId(), "gone", k.userId(), k.name()));
                break;
            }
        }
        String knockId = "k" + (++knocks);
        Knock knock = new Knock(knockId, request.peerId(), request.displayName(), link.remoteAddress(), rooms.now(),
                lobbyist);
        lobby.put(knockId, knock);
        rooms.emit(new RoomEvent.Knock(rooms.now(), id, knockId, knock.userId(), knock.name(), knock.address()));
        throw new InLobby(id, knockId);
    }

    public synchronized boolean locked() {
        return locked;
    }

    public synchronized boolean pinSet() {
        return pin != null;
    }

    public synchronized List<Knock> lobby() {
        return List.copyOf(lobby.values());
    }

    /** The dominant speaker's peer id, or null. */
    public synchronized String speakerPeerId() {
        return speakerPeerId;
    }

    /** Unlocking lets everyone waiting in. Returns who to tell, outside the lock. */
    synchronized List<Knock> lock(boolean on) {
        if (locked == on) {
            return List.of();
        }
        locked = on;
        rooms.emit(new RoomEvent.DoorChanged(rooms.now(), id, locked, pin != null));
        if (on) {
            return List.of();
        }
        List<Knock> waiting = List.copyOf(lobby.values());
        for (Knock k : waiting) {
            admitted.add(k.userId());
            rooms.emit(new RoomEvent.KnockEnded(rooms.now(), id, k.knockId(), "admitted", k.userId(), k.name()));
        }
        lobby.clear();
        return waiting;
    }

    /** A PIN of 1–32 characters, or null/blank for none. */
    synchronized void pin(String newPin) throws RoomException {
        String p = newPin == null || newPin.isBlank() ? null : newPin.strip();
        if (p != null && p.length() > 32) {
            throw new RoomException("invalid-field", "a PIN has at most 32 characters");
        }
        pin = p;
        rooms.emit(new RoomEvent.DoorChanged(rooms.now(), id, locked, pin != null));
    }

    /** The knock leaves the lobby; null when there is no such knock (decided already, or gone). */
    synchronized Knock decide(String knockId, boolean admit) {
        Knock k = lobby.remove(knockId);
        if (k == null) {
            return null;
        }
        if (admit) {
            admitted.add(k.userId());
        }
        rooms.emit(new RoomEvent.KnockEnded(rooms.now(), id, knockId, admit ? "admitted" : "refused", k.userId(),
                k.name()));
        return k;
    }

    /** The person left the lobby (closed the page, or sent leave). */
    synchronized void withdraw(String knockId) {
        Knock k = lobby.remove(knockId);
        if (k != null) {
            rooms.emit(new RoomEvent.KnockEnded(rooms.now(), id, knockId, "gone", k.userId(), k.name()));
            closeIfNowEmpty();
        }
    }

    /** After a refusal: a room with nobody left in it or its lobby closes. */
    synchronized void closeIfDeserted() {
        closeIfNowEmpty();
    }

    // ---- operator actions on streams ----

    /**
     * Stops forwarding one stream (a screen share) to everyone at once and asks its owner to end it; the stream
     * stays stopped (a new share is a new stream).
     */
    synchronized void stopStream(String peerId, String msid, String message) throws RoomException {
        Peer owner = peers.get(peerId);
        Stream stream = owner == null ? null : owner.streamMap().get(msid);
        if (stream == null) {
            throw new RoomException("unknown-stream", "no stream '" + msid + "' of peer '" + peerId + "' in room '" + id + "'");
        }
        if (stream.stopped()) {
            return;
        }
        stream.stop();
        rooms.emit(new RoomEvent.StreamStopped(rooms.now(), id, peerId, msid));
        String words = message != null && !message.isBlank() ? message
                : "screen".equals(stream.kind()) ? "The operator stopped your screen share."
                : "The operator stopped your camera and microphone.";
        owner.link().send(MessageTypes.STOP_STREAM, new dev.roomdeck.protocol.StopStreamData(msid, "operator", words));
        for (Peer p : peers.values()) {
            if (p != owner) {
                p.offerWanted(); // the room meta no longer lists it
            }
        }
        renegotiateAll();
    }

    /**
     * Operator-mutes the audio of every stream but the dominant speaker's (everyone's before anyone spoke); returns
     * how many it muted.
     */
    synchronized int muteAllButSpeaker() throws RoomException {
        int n = 0;
        for (Peer p : List.copyOf(peers.values())) {
            for (Stream s : List.copyOf(p.streamMap().values())) {
                boolean speaker = p.id().equals(speakerPeerId) && s.msid().equals(speakerMsid);
                if (!speaker && s.hasAudio() && !s.mute().audioByOperator()) {
                    operatorMute(p.id(), s.msid(), true, null);
                    n++;
                }
            }
        }
        return n;
    }

    /** Lifts every operator mute of audio in the room; returns how many it lifted. */
    synchronized int unmuteAllAudio() throws RoomException {
        int n = 0;
        for (Peer p : List.copyOf(peers.values())) {
            for (Stream s : List.copyOf(p.streamMap().values())) {
                if (s.mute().audioByOperator()) {
                    operatorMute(p.id(), s.msid(), false, null);
                    n++;
                }
            }
        }
        return n;
    }

    // ---- the dominant speaker (media plane) ----

    /** The media plane picked a new dominant speaker: the room's subscribers hear of it at once. */
    synchronized void speakerChanged(String peerId, String msid, List<dev.roomdeck.protocol.SpeakerData.Level> levels) {
        if (java.util.Objects.equals(peerId, speakerPeerId) && java.util.Objects.equals(msid, speakerMsid)) {
            return;
        }
        speakerPeerId = peerId;
        speakerMsid = msid;
        rooms.emit(new RoomEvent.SpeakerChanged(rooms.now(), id, peerId, msid));
        sendSpeaker(true, levels);
    }

    /** Levels moved (at most four times a second): sent to the peers that asked for speaker events. */
    synchronized void speakerLevels(List<dev.roomdeck.protocol.SpeakerData.Level> levels) {
        sendSpeaker(false, levels);
    }

    private void sendSpeaker(boolean changed, List<dev.roomdeck.protocol.SpeakerData.Level> levels) {
        dev.roomdeck.protocol.SpeakerData data = new dev.roomdeck.protocol.SpeakerData(speakerPeerId, speakerMsid,
                changed, levels);
        for (Peer p : peers.values()) {
            if (p.speakerEvents()) {
                p.link().send(MessageTypes.SPEAKER, data);
            }
        }
    }

    // ---- internals ----

    /** A newcomer hears, as configure messages, which streams are already muted and by whom. */
    /** One configure per muted kind: RTCEngine SDKs read only the first kind of a message (its key and muting). */
    private void tellCurrentMutes(Peer newcomer, java.util.Collection<Peer> others) {
        for (Peer other : others) {
            for (Stream s : other.streamMap().values()) {
                MuteState m = s.mute();
                if (m.videoByOwner()) {
                    newcomer.link().send(MessageTypes.CONFIGURE, ConfigureData.notice(other.id(), s.msid(), true, false, null, "peer"));
                }
                if (m.audioByOwner()) {
                    newcomer.link().send(MessageTypes.CONFIGURE, ConfigureData.notice(other.id(), s.msid(), true, null, false, "peer"));
                }
                if (m.videoByOperator()) {
                    newcomer.link().send(MessageTypes.CONFIGURE, ConfigureData.notice(other.id(), s.msid(), false, false, null, "operator"));
                }
                if (m.audioByOperator()) {
                    newcomer.link().send(MessageTypes.CONFIGURE, ConfigureData.notice(other.id(), s.msid(), false, null, false, "operator"));
                }
            }
        }
    }

    private final MediaEvents mediaEvents = new MediaEvents() {
        @Override
        public void failed(PeerMedia media, String reason, String message) {
            mediaFailed(media, reason, message);
        }

        @Override
        public void ssrcLearned(PeerMedia media, String mid, long ssrc, boolean rtx) {
            Room.this.ssrcLearned(media, mid, ssrc, rtx);
        }

        @Override
        public void speakerChanged(String peerId, String msid, List<SpeakerLevel> levels) {
            Room.this.speakerChanged(peerId, msid, wire(levels));
        }

        @Override
        public void speakerLevels(List<SpeakerLevel> levels) {
            Room.this.speakerLevels(wire(levels));
        }
    };

    private static List<dev.roomdeck.protocol.SpeakerData.Level> wire(List<SpeakerLevel> levels) {
        List<dev.roomdeck.protocol.SpeakerData.Level> out = new ArrayList<>(levels.size());
        for (SpeakerLevel l : levels) {
            out.add(new dev.roomdeck.protocol.SpeakerData.Level(l.peerId(), l.msid(), l.level(), l.speaking()));
        }
        return out;
    }

    /**
     * A peer sends a track on an SSRC its SDP never declared (RTCEngine's SDK after a local rollback; clients that
     * declare no SSRC at all): that SSRC becomes the track's, and the others are offered it, unless another track
     * in the room already has it (their browsers would refuse an offer that names an SSRC twice).
     */
    private synchronized void ssrcLearned(PeerMedia media, String mid, long ssrc, boolean rtx) {
        Peer peer = null;
        for (Peer p : peers.values()) {
            if (p.media() == media) {
                peer = p;
            }
        }
        if (peer == null) {
            return;
        }
        for (Peer p : peers.values()) {
            for (PublishedTrack t : p.negotiator().publishedTracks()) {
                if (t.ssrc() == ssrc || t.rtxSsrc() == ssrc) {
                    return;
                }
            }
        }
        PeerNegotiator neg = peer.negotiator();
        if (!neg.learnSsrc(mid, ssrc, rtx)) {
            return;
        }
        applyPublished(peer, neg.publishedTracks(), true);
        media.update(neg.remoteTransport(), neg.publishedTracks(), neg.sendTracks());
        renegotiateAll();
    }

    /** The peer's media died: it leaves as if it had disconnected, and hears why if its signalling is alive. */
    private void mediaFailed(PeerMedia media, String reason, String message) {
        synchronized (this) {
            for (Peer p : peers.values()) {
                if (p.media() == media) {
                    leave(p, reason, message);
                    return;
                }
            }
        }
    }

    private void remove(Peer peer, String reason, String message) {
        peers.remove(peer.id());
        if (peer.id().equals(speakerPeerId)) {
            speakerPeerId = null;
            speakerMsid = null;
            rooms.emit(new RoomEvent.SpeakerChanged(rooms.now(), id, null, null));
            sendSpeaker(true, List.of());
        }
        peer.markLeft();
        peer.media().close();
        for (Stream s : peer.streams()) {
            rooms.emit(new RoomEvent.StreamRemoved(rooms.now(), id, peer.id(), s.msid()));
        }
        if (!"left".equals(reason) && !"disconnected".equals(reason)) {
            peer.link().close(reason, message);
        }
        rooms.emit(new RoomEvent.PeerLeft(rooms.now(), id, peer.id(), reason));
        PeerData removed = new PeerData(peer.meta());
        for (Peer other : peers.values()) {
            other.link().send(MessageTypes.PEER_REMOVED, removed);
            other.receiveMutes().keySet().removeIf(msid -> peer.streamMap().containsKey(msid));
            other.videoSizes().keySet().removeIf(msid -> peer.streamMap().containsKey(msid));
        }
        publishPlan();
    }

    /** A room without peers (and nobody in its lobby) closes (not while a join replaces the last peer). */
    private void closeIfNowEmpty() {
        if (peers.isEmpty() && lobby.isEmpty() && !closed) {
            closed = true;
            rooms.closed(this);
        }
    }

    private void checkMember(Peer peer) throws RoomException {
        if (peer.left() || peers.get(peer.id()) != peer) {
            throw new RoomException("not-joined", "this session is no longer in room '" + id + "'");
        }
    }

    private void applyOffer(Peer peer, String sdp, String replyType) throws RoomException {
        PeerNegotiator.Answer answer = answerClientOffer(peer, sdp);
        applyPublished(peer, answer.published(), true);
        peer.link().reply(replyType, new SdpData(answer.sdp(), meta()));
        updateMedia(peer, answer.remote(), answer.published(), peer.negotiator().sendTracks());
    }

    private PeerNegotiator.Answer answerClientOffer(Peer peer, String sdp) throws RoomException {
        PeerNegotiator neg = peer.negotiator();
        if (neg.offerOutstanding()) {
            if (neg.offerAppliedBy(sdp)) {
                // The client's offer already carries the sections our offer added: it applied our offer and never
                // answered (RTCEngine's SDKs did that). Take the offer as applied.
                neg.assumeAnswered();
            } else {
                neg.dropOffer(); // glare: the client's offer wins; the server offers again after answering
                peer.offerWanted();
            }
        }
        try {
            return neg.answerOffer(sdp);
        } catch (SdpException e) {
            throw new RoomException("bad-sdp", e.getMessage());
        }
    }

    /**
     * Matches the tracks of the peer's SDP to its streams; returns whether what it publishes changed. A stream
     * first seen in a join offer waits for its addStream ({@code announce} false); in any later offer it is
     * offered to the others at once.
     */
    private boolean applyPublished(Peer peer, List<PublishedTrack> published, boolean announce) {
        Map<String, List<PublishedTrack>> byStream = new LinkedHashMap<>();
        for (PublishedTrack t : published) {
            byStream.computeIfAbsent(t.streamId(), k -> new ArrayList<>()).add(t);
        }
        boolean changed = false;
        for (Map.Entry<String, List<PublishedTrack>> e : byStream.entrySet()) {
            Stream s = peer.streamMap().get(e.getKey());
            if (s == null) {
                s = new Stream(e.getKey(), peer.id(), rooms.defaultBitrateKbps(), null);
                if (announce) {
                    s.announce();
                } else {
                    s.announceBy(System.nanoTime() + ANNOUNCE_GRACE_NANOS);
                }
                peer.streamMap().put(s.msid(), s);
                peer.videoCaps().putIfAbsent(s.msid(), rooms.defaultBitrateKbps());
                rooms.emit(new RoomEvent.StreamAdded(rooms.now(), id, peer.id(), s.msid()));
            }
            if (!s.tracks().equals(e.getValue())) {
                s.tracks(e.getValue());
                changed = true;
            }
        }
        // A stream whose tracks left the SDP is gone; one announced by addStream but not yet in an SDP stays.
        for (Iterator<Stream> it = peer.streamMap().values().iterator(); it.hasNext(); ) {
            Stream s = it.next();
            if (!byStream.containsKey(s.msid()) && !s.tracks().isEmpty()) {
                it.remove();
                peer.videoCaps().remove(s.msid());
                rooms.emit(new RoomEvent.StreamRemoved(rooms.now(), id, peer.id(), s.msid()));
                changed = true;
            }
        }
        return changed;
    }

    private void renegotiateAll() {
        for (Peer p : List.copyOf(peers.values())) {
            renegotiate(p);
        }
    }

    /**
     * A client that has not shown it answers server offers gets its first one only once its first addStream was
     * answered, or {@link #LEGACY_HOLD_NANOS} after it joined (a viewer never sends one): RTCEngine's SDK re-applies
     * its last remote description right after sending addStream, which fails if that is a server offer.
     */
    private static boolean holdsFirstOffer(Peer peer, long joinedBefore) {
        return !peer.answersOffers() && !peer.streamChangeAnswered() && peer.joinedNanos() > joinedBefore;
    }

    /** Sends a server offer if this peer should receive something it has not agreed to yet, one at a time. */
    private void renegotiate(Peer peer) {
        PeerNegotiator neg = peer.negotiator();
        if (peer.left() || neg.offerOutstanding()) {
            return; // merged into the next offer, made when the outstanding one is answered
        }
        if (holdsFirstOffer(peer, System.nanoTime() - LEGACY_HOLD_NANOS)) {
            return; // checkOfferTimeouts offers when the hold is over
        }
        if (peer.streamMap().values().stream().anyMatch(s -> !s.announced())) {
            return; // its addStream is on the way and would cross our offer: offer once it is answered
        }
        List<OutgoingTrack> desired = desiredTracks(peer);
        // Non-short-circuit on purpose: taking the flag clears it even when the tracks changed too.
        if (!peer.takeOfferWanted() & !neg.needsOffer(desired)) {
            return;
        }
        try {
            String sdp = neg.createOffer(desired);
            peer.offerSentNanos(System.nanoTime());
            peer.link().send(MessageTypes.OFFER, new SdpData(sdp, meta()));
        } catch (SdpException e) {
            rooms.emit(new RoomEvent.ClientError(rooms.now(), id, peer.id(), "offer-failed", e.getMessage()));
        }
    }

    private List<OutgoingTrack> desiredTracks(Peer peer) {
        List<OutgoingTrack> out = new ArrayList<>();
        for (Peer other : peers.values()) {
            if (other == peer) {
                continue;
            }
            for (Stream s : other.streams()) {
                if (!s.announced() || s.stopped()) {
                    continue;
                }
                for (PublishedTrack t : s.tracks()) {
                    out.add(new OutgoingTrack(s.msid(), t.trackId(), t.kind(), t.ssrc(), t.rtxSsrc(), t.cname(), t.codecs()));
                }
            }
        }
        return out;
    }

    /** Negotiation settled for {@code peer}: its media takes the tracks, then the plane hears the room's plan. */
    private void updateMedia(Peer peer, TransportDescription remote, List<PublishedTrack> published, List<SendTrack> receiving) {
        peer.media().update(remote, published, receiving);
        publishPlan();
    }

    /**
     * Tells the media plane what to forward: every stream's mutes and cap, and per subscriber what it receives of
     * each stream (its own mutes, its video size wish). Pushed on every change, so the plane never reads the room.
     */
    private void publishPlan() {
        Map<String, MediaPlan.PublishedStream> streams = new HashMap<>();
        for (Peer p : peers.values()) {
            for (Stream s : p.streamMap().values()) {
                MuteState m = s.mute();
                streams.put(MediaPlan.key(p.id(), s.msid()), new MediaPlan.PublishedStream(p.id(), s.msid(),
                        m.audioMuted(), m.videoMuted(), s.bitrateKbps() * 1000L, "screen".equals(s.kind())));
            }
        }
        Map<String, List<Reception>> receptions = new HashMap<>();
        for (Peer sub : peers.values()) {
            List<Reception> mine = new ArrayList<>();
            for (Peer pub : peers.values()) {
                if (pub == sub) {
                    continue;
                }
                for (Stream s : pub.streamMap().values()) {
                    MuteState everyone = s.mute();
                    MuteState own = sub.receiveMutes().getOrDefault(s.msid(), MuteState.NONE);
                    mine.add(new Reception(pub.id(), s.msid(), !everyone.audioMuted() && !own.audioByOwner(),
                            !everyone.videoMuted() && !own.videoByOwner(), sub.videoSizes().get(s.msid())));
                }
            }
            receptions.put(sub.id(), List.copyOf(mine));
        }
        rooms.planChanged(this, new MediaPlan(streams, receptions));
    }
}
