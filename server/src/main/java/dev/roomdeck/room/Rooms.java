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
     */
    public Peer join(String roomId, String peerId, PeerLink link, boolean planB, boolean answersOffers,
                     String offerSdp, JsonNode attributes) throws RoomException {
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
                Peer peer = room.join(peerId, link, planB, answersOffers, offerSdp, attributes);
                if (peer != null) {
                    return peer;
                }
            } finally {
                closeIfEmpty(room);
            }
            // The room closed between lookup and join: take the next one.
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
        if (EVENTS.isInfoEnabled()) {
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

    void mutesChanged(Room room) {
        media.mutesChanged(room);
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
