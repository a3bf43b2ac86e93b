package dev.roomdeck.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.config.ServerConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registry of open rooms. A room opens with its first join and closes when its last peer leaves. */
public final class Rooms {
    private static final Logger LOG = LoggerFactory.getLogger(Rooms.class);
    /** Room events, as the console's events pane shows them; its own logger so that it can be turned down. */
    private static final Logger EVENTS = LoggerFactory.getLogger("dev.roomdeck.events");

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final List<Consumer<RoomEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ServerConfig.Limits limits;
    private final MediaPlane media;
    private final Clock clock;
    private final int defaultBitrateKbps;

    public Rooms(ServerConfig.Limits limits, MediaPlane media, Clock clock, int defaultBitrateKbps) {
        this.limits = limits;
        this.media = media;
        this.clock = clock;
        this.defaultBitrateKbps = defaultBitrateKbps;
    }

    /**
     * Joins (opening the room if needed) and replies joined through the link; {@code attributes} are the peer's own
     * (join's, echoed in its peer_meta), null when it gave none. {@code answersOffers}: the client said it answers
     * server offers (join's {@code answersOffers}); otherwise it is treated as RTCEngine's SDKs behave (see Room).
     * A locked room refuses ({@code join-refused}): there is nobody to tell a decision.
     */
    public Peer join(String roomId, String peerId, PeerLink link, boolean planB, boolean answersOffers,
                     String offerSdp, JsonNode attributes) throws RoomException {
        return join(new JoinRequest(roomId, peerId, planB, answersOffers, offerSdp, attributes, null, false), link, null);
    }

    /**
     * Joins as {@link #join(String, String, PeerLink, boolean, boolean, String, JsonNode)} does, through the room's
     * door: a PIN is checked, and a locked room throws {@link InLobby} after putting the join in its lobby, where
     * {@code lobbyist} hears the operator's decision.
     */
    public Peer join(JoinRequest request, PeerLink link, Lobbyist lobbyist) throws RoomException {
        String roomId = request.roomId();
        while (true) {
            Room room = rooms.get(roomId);
            if (room == null) {
                synchronized (this) {
                    if (rooms.size() >= limits.maxRooms() && !rooms.containsKey(roomId)) {
                        throw new RoomException("too-many-rooms", "the server already has " + rooms.size()
                                + " rooms open (the limit)");
                    }
                    room = rooms.computeIfAbsent(roomId, id -> {
                        emit(new RoomEvent.RoomOpened(now(), id));
                        return new Room(id, this);
                    });
                }
            }
            try {
                Peer peer = room.join(request, link, lobbyist);
                if (peer != null) {
                    return peer;
                }
            } finally {
                closeIfEmpty(room);
            }
            // The room closed between lookup and join: take the next one.
        }
    }

    /** The person waiting under {@code knockId} left the lobby (closed the page, sent leave). */
    public void withdrawKnock(String roomId, String knockId) {
        Room room = rooms.get(roomId);
        if (room != null) {
            room.withdraw(knockId);
            closeIfEmpty(room);
        }
    }

    public Collection<Room> rooms() {
        return List.copyOf(rooms.values());
    }

    public Optional<Room> room(String id) {
        return Optional.ofNullable(rooms.get(id));
    }

    public void addListener(Consumer<RoomEvent> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<RoomEvent> listener) {
        listeners.remove(listener);
    }

    // ---- peer operations, each under its room's lock ----

    public void offer(Peer peer, String sdp) throws RoomException {
        peer.room().offer(peer, sdp);
    }

    public void answer(Peer peer, String sdp) throws RoomException {
        peer.room().answer(peer, sdp);
    }

    public void addStream(Peer peer, String msid, int bitrateKbps, JsonNode attributes, String sdp) throws RoomException {
        peer.room().addStream(peer, msid, bitrateKbps, attributes, sdp);
    }

    public void removeStream(Peer peer, String ownerId, String msid, String sdp) throws RoomException {
        peer.room().removeStream(peer, ownerId, msid, sdp);
    }

    public void configureLocal(Peer peer, String ownerId, String msid, Boolean audio, Boolean video) throws RoomException {
        peer.room().configureLocal(peer, ownerId, msid, audio, video);
    }

    public void configureRemote(Peer peer, String ownerId, String msid, Boolean audio, Boolean video) throws RoomException {
        peer.room().configureRemote(peer, ownerId, msid, audio, video);
    }

    public void videoSize(Peer peer, String ownerId, String msid, VideoSize size) throws RoomException {
        peer.room().videoSize(peer, ownerId, msid, size);
    }

    /** The client could not apply the last server offer: withdraw it and offer afresh. */
    public void renegotiate(Peer peer, String reason, String message, String msid) throws RoomException {
        peer.room().renegotiateRequest(peer, reason, message, msid);
    }

    public void message(Peer peer, JsonNode data) throws RoomException {
        peer.room().message(peer, data);
    }

    public void leave(Peer peer, String reason, String message) {
        peer.room().leave(peer, reason, message);
    }

    // ---- operator commands ----

    public void operatorMute(String roomId, String peerId, String msid, Boolean audioMuted, Boolean videoMuted)
            throws RoomException {
        require(roomId).operatorMute(peerId, msid, audioMuted, videoMuted);
    }

    public void kick(String roomId, String peerId, String message) throws RoomException {
        require(roomId).kick(peerId, message);
    }

    public void operatorMessage(String roomId, String peerIdOrNull, JsonNode data) throws RoomException {
        require(roomId).operatorMessage(peerIdOrNull, data);
    }

    /** Locks or unlocks a room's door; unlocking lets everyone in the lobby in. */
    public void lock(String roomId, boolean locked) throws RoomException {
        for (Knock k : require(roomId).lock(locked)) {
            tellAdmitted(k);
        }
    }

    /** Sets the room's PIN (null or blank: none). */
    public void pin(String roomId, String pin) throws RoomException {
        require(roomId).pin(pin);
    }

    /** Lets the person waiting under {@code knockId} in, or refuses them ({@code unknown-knock} if not waiting). */
    public void decide(String roomId, String knockId, boolean admit) throws RoomException {
        Room room = require(roomId);
        Knock k = room.decide(knockId, admit);
        if (k == null) {
            throw new RoomException("unknown-knock", "nobody waits as '" + knockId + "' in room '" + roomId + "'");
        }
        if (admit) {
            tellAdmitted(k);
        } else {
            try {
                k.lobbyist().refused("The operator did not let you into room '" + roomId + "'.");
            } catch (RuntimeException e) {
                LOG.warn("telling {} of the refusal failed", k.userId(), e);
            }
            room.closeIfDeserted();
            closeIfEmpty(room);
        }
    }

    private void tellAdmitted(Knock k) {
        try {
            k.lobbyist().admitted();
        } catch (RuntimeException e) {
            LOG.warn("letting {} in failed", k.userId(), e);
        }
    }

    /** Stops forwarding a stream to everyone and asks its owner to end it. */
    public void stopStream(String roomId, String peerId, String msid, String message) throws RoomException {
        require(roomId).stopStream(peerId, msid, message);
    }

    /** Operator-mutes every audio stream but the dominant speaker's; returns how many. */
    public int muteAllButSpeaker(String roomId) throws RoomException {
        return require(roomId).muteAllButSpeaker();
    }

    /** Lifts every operator audio mute in the room; returns how many. */
    public int unmuteAllAudio(String roomId) throws RoomException {
        return require(roomId).unmuteAllAudio();
    }

    /** Takes server offers unanswered for longer than the offer timeout as applied (called every second). */
    public void checkOfferTimeouts() {
        long now = System.nanoTime();
        for (Room room : rooms()) {
            room.checkOfferTimeouts(now, limits.offerTimeoutMillis() * 1_000_000L);
        }
    }

    /** Shutdown: every client hears leave with the reason. */
    public void closeAll(String reason, String message) {
        for (Room room : rooms()) {
            room.closeAll(reason, message);
        }
    }

    // ---- for Room ----

    ServerConfig.Limits limits() {
        return limits;
    }

    MediaPlane media() {
        return media;
    }

    int defaultBitrateKbps() {
        return defaultBitrateKbps;
    }

    Instant now() {
        return clock.instant();
    }

    void emit(RoomEvent event) {
        // One line per thing that happens to a room (never per packet): the operator's record of a meeting.
        if (event instanceof RoomEvent.SpeakerChanged) {
            EVENTS.debug(event.describe()); // every few seconds in a lively meeting
        } else if (EVENTS.isInfoEnabled()) {
            EVENTS.info(event.describe());
        }
        for (Consumer<RoomEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("room event listener failed on {}", event, e);
            }
        }
    }

    /** Errors sent to clients also reach the operator's events pane. */
    public void emitClientError(RoomEvent.ClientError error) {
        emit(error);
    }

    void closed(Room room) {
        if (rooms.remove(room.id(), room)) {
            emit(new RoomEvent.RoomClosed(now(), room.id()));
        }
    }

    void planChanged(Room room, MediaPlan plan) {
        media.planChanged(room, plan);
    }

    /** A join that failed in a room it just opened must not leave the empty room behind. */
    private void closeIfEmpty(Room room) {
        if (room.closeIfEmpty()) {
            closed(room);
        }
    }

    private Room require(String roomId) throws RoomException {
        Room room = rooms.get(roomId);
        if (room == null) {
            throw new RoomException("unknown-room", "no room '" + roomId + "'");
        }
        return room;
    }
}
