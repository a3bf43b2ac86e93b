package dev.roomdeck.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.forward.ForwardingPlane;
import dev.roomdeck.forward.PeerStats;
import dev.roomdeck.forward.TrackStats;
import dev.roomdeck.media.MediaEndpoint;
import dev.roomdeck.room.Knock;
import dev.roomdeck.room.MuteState;
import dev.roomdeck.room.Peer;
import dev.roomdeck.room.Room;
import dev.roomdeck.room.RoomEvent;
import dev.roomdeck.room.RoomException;
import dev.roomdeck.room.Rooms;
import dev.roomdeck.room.Stream;
import dev.roomdeck.sdp.PublishedTrack;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The operator's API, in process: snapshots with live figures, the event stream, and commands. The console uses
 * only this; nothing here is reachable from the network.
 */
public final class AdminApi {
    private final Rooms rooms;
    private final ForwardingPlane media;
    private final Instant startedAt;
    private final Clock clock;

    private final Supplier<List<String>> networkProblems;
    /** Each listener and the adapter that gives it the room events in admin types. */
    private final Map<Consumer<ServerEvent>, Consumer<RoomEvent>> listeners = new ConcurrentHashMap<>();

    /**
     * @param networkProblems the latest self-check of this PC's media addresses ({@link
     *                        dev.roomdeck.network.MediaAddressCheck}), read for every snapshot
     */
    public AdminApi(Rooms rooms, ForwardingPlane media, Instant startedAt, Clock clock,
                    Supplier<List<String>> networkProblems) {
        this.rooms = rooms;
        this.media = media;
        this.startedAt = startedAt;
        this.clock = clock;
        this.networkProblems = networkProblems;
    }

    public ServerSnapshot snapshot() {
        List<RoomSnapshot> out = new ArrayList<>();
        Instant now = clock.instant();
        MediaEndpoint endpoint = media.endpoint();
        List<String> addresses = endpoint.hostAddresses().stream().map(InetAddress::getHostAddress).toList();
        NetworkDoctor doctor = new NetworkDoctor(new NetworkDoctor.Facts(endpoint.port(),
                endpoint.iceTcp() && endpoint.problems().isEmpty(), addresses));
        for (Room room : rooms.rooms()) {
            List<PeerSnapshot> peers = new ArrayList<>();
            for (Peer p : room.peers()) {
                peers.add(peer(room.id(), p, doctor, now));
            }
            List<KnockSnapshot> lobby = new ArrayList<>();
            for (Knock k : room.lobby()) {
                lobby.add(new KnockSnapshot(k.knockId(), k.userId(), k.name(), k.address(), k.since()));
            }
            out.add(new RoomSnapshot(room.id(), peers, room.locked(), room.pinSet(), lobby, room.speakerPeerId()));
        }
        out.sort(Comparator.comparing(RoomSnapshot::id));
        return new ServerSnapshot(now, Duration.between(startedAt, now).toSeconds(), media.port(), out, addresses,
                networkProblems.get());
    }

    /** Packet counts and drops by reason on the media port (for the operator and for diagnosing faults). */
    public PacketsSnapshot mediaCounters() {
        var c = media.counters();
        return new PacketsSnapshot(c.rtpReceived(), c.rtcpReceived(), c.rtpSent(), c.rtcpSent(), c.drops());
    }

    /** How long datagrams spent in the server, socket to end of processing, since the start. */
    public PathDelaySnapshot mediaPathDelay() {
        var d = media.endpoint().pathDelay();
        return new PathDelaySnapshot(java.util.Arrays.stream(d.boundsMicros()).boxed().toList(),
                java.util.Arrays.stream(d.counts()).boxed().toList(), d.sumNanos());
    }

    /**
     * Room events as they happen, on the thread that made them; listeners must return quickly (the console batches
     * onto its own thread). Adding a listener that is already added changes nothing.
     */
    public void addListener(Consumer<ServerEvent> listener) {
        listeners.computeIfAbsent(listener, l -> {
            Consumer<RoomEvent> adapter = e -> l.accept(event(e));
            rooms.addListener(adapter);
            return adapter;
        });
    }

    public void removeListener(Consumer<ServerEvent> listener) {
        Consumer<RoomEvent> adapter = listeners.remove(listener);
        if (adapter != null) {
            rooms.removeListener(adapter);
        }
    }

    /** A room's event as the operator hears it: the same facts, in the admin API's own types. */
    static ServerEvent event(RoomEvent e) {
        if (e instanceof RoomEvent.PeerJoined j) {
            return new ServerEvent.PeerJoined(j.time(), j.roomId(), j.peerId(), j.address());
        } else if (e instanceof RoomEvent.PeerLeft l) {
            return new ServerEvent.PeerLeft(l.time(), l.roomId(), l.peerId(), l.reason());
        } else if (e instanceof RoomEvent.StreamAdded a) {
            return new ServerEvent.StreamAdded(a.time(), a.roomId(), a.peerId(), a.msid());
        } else if (e instanceof RoomEvent.StreamRemoved r) {
            return new ServerEvent.StreamRemoved(r.time(), r.roomId(), r.peerId(), r.msid());
        } else if (e instanceof RoomEvent.StreamMuted m) {
            MuteState mute = m.mute();
            return new ServerEvent.StreamMuted(m.time(), m.roomId(), m.peerId(), m.msid(), mute.audioMuted(),
                    mute.videoMuted(), mute.audioByOperator(), mute.videoByOperator());
        } else if (e instanceof RoomEvent.Knock k) {
            return new ServerEvent.Knock(k.time(), k.roomId(), k.knockId(), k.userId(), k.name(), k.address());
        } else if (e instanceof RoomEvent.KnockEnded k) {
            return new ServerEvent.KnockEnded(k.time(), k.roomId(), k.knockId(), k.outcome(), k.userId(), k.name());
        } else if (e instanceof RoomEvent.StreamStopped s) {
            return new ServerEvent.StreamStopped(s.time(), s.roomId(), s.peerId(), s.msid());
        } else if (e instanceof RoomEvent.SpeakerChanged s) {
            return new ServerEvent.SpeakerChanged(s.time(), s.roomId(), s.peerId(), s.msid());
        } else if (e instanceof RoomEvent.DoorChanged d) {
            return new ServerEvent.DoorChanged(d.time(), d.roomId(), d.locked(), d.pinSet());
        } else if (e instanceof RoomEvent.RoomOpened o) {
            return new ServerEvent.RoomOpened(o.time(), o.roomId());
        } else if (e instanceof RoomEvent.RoomClosed c) {
            return new ServerEvent.RoomClosed(c.time(), c.roomId());
        }
        RoomEvent.ClientError err = (RoomEvent.ClientError) e; // the last kind of the sealed RoomEvent
        return new ServerEvent.ClientError(err.time(), err.roomId(), err.peerId(), err.code(), err.message());
    }

    /** Mutes (or unmutes) one kind of a stream for everyone; the room hears configure with by=operator. */
    public void mute(String roomId, String peerId, String msid, boolean audio, boolean muted) throws AdminException {
        try {
            rooms.operatorMute(roomId, peerId, msid, audio ? muted : null, audio ? null : muted);
        } catch (RoomException e) {
            throw new AdminException(e.code(), e.getMessage());
        }
    }

    /** Removes a peer; it receives leave {reason: kicked, message}. */
    public void kick(String roomId, String peerId, String message) throws AdminException {
        try {
            rooms.kick(roomId, peerId, message);
        } catch (RoomException e) {
            throw new AdminException(e.code(), e.getMessage());
        }
    }

    /** Sends a message from "operator" to one peer, or to the whole room when peerId is null. */
    public void message(String roomId, String peerId, JsonNode data) throws AdminException {
        try {
            rooms.operatorMessage(roomId, peerId, data);
        } catch (RoomException e) {
            throw new AdminException(e.code(), e.getMessage());
        }
    }

    /** Locks the room's door (new people wait in the lobby) or unlocks it (everyone waiting comes in). */
    public void lock(String roomId, boolean locked) throws AdminException {
        run(() -> rooms.lock(roomId, locked));
    }

    /** Sets the PIN asked at join; null or blank removes it. */
    public void setPin(String roomId, String pin) throws AdminException {
        run(() -> rooms.pin(roomId, pin));
    }

    /** Lets in the person waiting in the lobby under {@code knockId}. */
    public void admit(String roomId, String knockId) throws AdminException {
        run(() -> rooms.decide(roomId, knockId, true));
    }

    /** Refuses the person waiting under {@code knockId}: their join gets {@code join-refused}. */
    public void refuse(String roomId, String knockId) throws AdminException {
        run(() -> rooms.decide(roomId, knockId, false));
    }

    /** Stops a stream (a screen share) for everyone; its owner receives stopStream. */
    public void stopStream(String roomId, String peerId, String msid) throws AdminException {
        run(() -> rooms.stopStream(roomId, peerId, msid, null));
    }

    /** Mutes the audio of everyone but the dominant speaker; returns how many streams it muted. */
    public int muteAllButSpeaker(String roomId) throws AdminException {
        try {
            return rooms.muteAllButSpeaker(roomId);
        } catch (RoomException e) {
            throw new AdminException(e.code(), e.getMessage());
        }
    }

    /** Lifts every operator audio mute in the room; returns how many. */
    public int unmuteAll(String roomId) throws AdminException {
        try {
            return rooms.unmuteAllAudio(roomId);
        } catch (RoomException e) {
            throw new AdminException(e.code(), e.getMessage());
        }
    }

    private interface RoomCommand {
        void run() throws RoomException;
    }

    private static void run(RoomCommand command) throws AdminException {
        try {
            command.run();
        } catch (RoomException e) {
            throw new AdminException(e.code(), e.getMessage());
        }
    }

    private PeerSnapshot peer(String roomId, Peer p, NetworkDoctor doctor, Instant now) {
        PeerStats f = media.figures(roomId, p.id()).orElse(PeerStats.NONE);
        List<StreamSnapshot> streams = new ArrayList<>();
        for (Stream s : p.streams()) {
            if (s.stopped()) {
                continue; // nobody receives it; its owner was asked to end it
            }
            List<TrackSnapshot> tracks = new ArrayList<>();
            for (PublishedTrack t : s.tracks()) {
                String codec = t.codecs().isEmpty() ? "" : t.codecs().get(0).name();
                TrackStats tf = f.tracks().stream().filter(x -> x.ssrc() == (int) t.ssrc()).findFirst().orElse(null);
                tracks.add(new TrackSnapshot(t.trackId(), t.kind().name().toLowerCase(Locale.ROOT), codec, t.ssrc(),
                        tf == null ? 0 : tf.bitrateBps(), tf == null ? 0 : tf.packets(),
                        tf == null ? 0 : tf.packetsLost(), tf == null ? 0 : tf.jitterMillis(), tf == null ? 0 : tf.layers()));
            }
            MuteState m = s.mute();
            String name = displayName(p);
            streams.add(new StreamSnapshot(s.msid(), s.bitrateKbps(),
                    s.attributes() == null ? null : s.attributes().toString(), tracks,
                    m.audioMuted(), m.videoMuted(), m.audioByOperator(), m.videoByOperator(), s.kind(),
                    (name == null ? p.id() : name) + " · " + s.kind()));
        }
        double jitter = f.tracks().stream().mapToDouble(TrackStats::jitterMillis).max().orElse(0);
        NetworkPath network = doctor.examine(f.path(), f.transportState(), Duration.between(p.joinedAt(), now),
                f.lossPercent(), f.rttMillis(), jitter);
        List<ReceivedVideoSnapshot> receiving = new ArrayList<>();
        for (PeerStats.ReceivedVideo v : f.receiving()) {
            receiving.add(new ReceivedVideoSnapshot(v.publisherId(), v.streamId(), streamLabel(p.room(), v.publisherId(), v.streamId()),
                    v.layer(), v.targetLayer(), v.layers(), v.width(), v.height(), v.reason(), v.bitrateBps()));
        }
        return new PeerSnapshot(p.id(), displayName(p), p.address(), p.joinedAt(), f.transportState(),
                f.bitrateInBps(), f.bitrateOutBps(), f.lossPercent(), f.rttMillis(), streams,
                p.negotiationFailures(), p.lastNegotiationFailure(), f.audioLevel(), f.speaking(), device(p),
                network, f.linkEstimateBps(), receiving);
    }

    /** "Ben · camera" for another peer's stream, as the streams table says it; the msid when that peer is gone. */
    private static String streamLabel(dev.roomdeck.room.Room room, String peerId, String msid) {
        Peer owner = room.peer(peerId).orElse(null);
        if (owner == null) {
            return msid;
        }
        String name = displayName(owner);
        for (Stream s : owner.streams()) {
            if (s.msid().equals(msid)) {
                return (name == null ? owner.id() : name) + " · " + s.kind();
            }
        }
        return msid;
    }

    /** "in-room" or "display" when the peer's join attributes say so ({@code device}), else null. */
    private static String device(Peer p) {
        String d = p.attributes() == null ? "" : p.attributes().path("device").asText("");
        return "in-room".equals(d) || "display".equals(d) ? d : null;
    }

    /** The name the person typed: the peer's join attributes, else its first stream's; null when none. */
    private static String displayName(Peer p) {
        if (p.attributes() != null && p.attributes().path("name").isTextual()) {
            return p.attributes().path("name").asText();
        }
        for (Stream s : p.streams()) {
            if (s.attributes() != null && s.attributes().path("name").isTextual()) {
                return s.attributes().path("name").asText();
            }
        }
        return null;
    }
}
