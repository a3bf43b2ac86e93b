package dev.roomdeck.forward;

import dev.roomdeck.room.MuteState;
import dev.roomdeck.room.Peer;
import dev.roomdeck.room.Room;
import dev.roomdeck.room.Stream;
import dev.roomdeck.sdp.MediaKind;
import dev.roomdeck.sdp.SendTrack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The forwarding graph of one room: which subscriber receives which track, and whether it is muted. Rebuilt
 * whole on every change (negotiation, mute, leave) under the room's lock; the packet path only ever sees the
 * finished arrays.
 */
final class RoomGraph {
    private final Room room;
    private final Map<String, PeerForwarder> sessions = new LinkedHashMap<>();
    private final SpeakerDetector speakers = new SpeakerDetector();

    RoomGraph(Room room) {
        this.room = room;
    }

    synchronized void add(PeerForwarder s) {
        sessions.put(s.peerId, s);
    }

    /**
     * Takes the room's lock before this graph's, as every room change does (Room → RoomGraph): a peer closed at
     * shutdown, while another thread changes the room, must not hold this lock and wait for the room's.
     */
    void remove(PeerForwarder s) {
        synchronized (room) {
            synchronized (this) {
                if (sessions.get(s.peerId) == s) {
                    sessions.remove(s.peerId);
                }
                rebuildLocked();
            }
        }
    }

    synchronized List<PeerForwarder> sessions() {
        return List.copyOf(sessions.values());
    }

    synchronized boolean isEmpty() {
        return sessions.isEmpty();
    }

    /** Every {@link SpeakerDetector#PERIOD_MILLIS}: picks the dominant speaker and tells the room. */
    void detectSpeaker(long now) {
        List<PeerForwarder> all = sessions();
        if (all.isEmpty()) {
            return;
        }
        speakers.evaluate(all, now, all.get(0).events);
    }

    /** The level (0–100) and speaking state of a peer's loudest audio now, for the operator. */
    int[] audioFigures(PeerForwarder s, long now) {
        return speakers.figures(s, now);
    }

    /** The video track that peer {@code publisherId} sends in stream {@code streamId}, or null. */
    synchronized IncomingTrack publishedVideo(String publisherId, String streamId) {
        PeerForwarder publisher = sessions.get(publisherId);
        if (publisher == null) {
            return null;
        }
        for (IncomingTrack t : publisher.published()) {
            if (t.kind == MediaKind.VIDEO && t.streamId.equals(streamId)) {
                return t;
            }
        }
        return null;
    }

    /** The video cap of a stream in bits per second (from addStream's bitrate), for REMB. */
    long videoCapBps(PeerForwarder publisher, String streamId) {
        Peer peer = room.peer(publisher.peerId).orElse(null);
        if (peer == null) {
            return 0;
        }
        for (Stream s : peer.streams()) {
            if (s.msid().equals(streamId)) {
                return s.bitrateKbps() * 1000L;
            }
        }
        return 0;
    }

    /**
     * Recomputes every track's subscriber list; asks for a keyframe where a video subscription (re)starts. Reads
     * the room's model, so it takes the room's lock first (a no-op when called from a room change, which holds it).
     */
    void rebuild() {
        synchronized (room) {
            synchronized (this) {
                rebuildLocked();
            }
        }
    }

    /** Holding the room's lock, then this one. */
    private void rebuildLocked() {
        Map<Integer, IncomingTrack> bySsrc = new HashMap<>();
        Map<String, MuteState> operatorMutes = new HashMap<>();
        for (PeerForwarder s : sessions.values()) {
            for (IncomingTrack t : s.published()) {
                bySsrc.put(t.ssrc, t);
            }
        }
        for (Peer p : room.peers()) {
            for (Stream st : p.streams()) {
                operatorMutes.put(p.id() + "\n" + st.msid(), st.mute());
            }
        }
        Map<IncomingTrack, List<Subscription>> perTrack = new HashMap<>();
        long now = System.nanoTime();
        for (PeerForwarder sub : sessions.values()) {
            Peer subscriberPeer = room.peer(sub.peerId).orElse(null);
            List<Subscription> mine = new ArrayList<>();
            for (SendTrack st : sub.sendTracks()) {
                IncomingTrack track = bySsrc.get((int) st.ssrc());
                if (track == null || track.publisher == sub) {
                    continue;
                }
                Subscription s = existing(sub, track, st);
                boolean wasActive = s.active;
                MuteState operator = operatorMutes.getOrDefault(track.publisher.peerId + "\n" + track.streamId, MuteState.NONE);
                MuteState own = subscriberPeer == null ? MuteState.NONE : subscriberPeer.receiveMute(track.streamId);
                boolean video = track.kind == MediaKind.VIDEO;
                boolean muted = video ? operator.videoByOperator() || own.videoByOwner()
                        : operator.audioByOperator() || own.audioByOwner();
                s.active = !muted;
                if (s.active && !wasActive && video) {
                    track.publisher.requestKeyframe(track, now);
                }
                mine.add(s);
                perTrack.computeIfAbsent(track, k -> new ArrayList<>()).add(s);
            }
            sub.receiving(mine.toArray(new Subscription[0]));
        }
        for (PeerForwarder pub : sessions.values()) {
            for (IncomingTrack t : pub.published()) {
                t.subscriptions = perTrack.getOrDefault(t, List.of()).toArray(IncomingTrack.NONE);
                if (t.kind == MediaKind.AUDIO) {
                    MuteState m = operatorMutes.getOrDefault(pub.peerId + "\n" + t.streamId, MuteState.NONE);
                    t.audioMuted = m.audioMuted();
                }
            }
        }
    }

    /**
     * Keeps a subscription (its RTX sequence, meter, active state) while its negotiated form is unchanged. A new
     * form on the same RTX SSRC continues the RTX sequence: the receiver would take a jump as loss or old news.
     */
    private static Subscription existing(PeerForwarder sub, IncomingTrack track, SendTrack st) {
        Subscription before = null;
        for (Subscription s : sub.receiving()) {
            if (s.track == track && s.sendTrack.equals(st)) {
                return s;
            }
            if (s.track == track && s.sendTrack.rtxSsrc() == st.rtxSsrc()) {
                before = s;
            }
        }
        return new Subscription(sub, track, st, before == null
                ? ThreadLocalRandom.current().nextInt(0x10000) : before.rtx.nextSequenceNumber());
    }
}
