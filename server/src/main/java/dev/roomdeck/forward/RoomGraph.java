package dev.roomdeck.forward;

import dev.roomdeck.room.MediaPlan;
import dev.roomdeck.room.Reception;
import dev.roomdeck.sdp.MediaKind;
import dev.roomdeck.sdp.SendTrack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The forwarding graph of one room: which subscriber receives which track ({@link Consumer}s of each
 * {@link Producer}), whether it is muted, what size it asked for. Built from two inputs: what each peer negotiated
 * (its forwarder's published tracks and send tracks) and the room's {@link MediaPlan}, which the room pushes after
 * every change. Rebuilt whole on every change; the packet path only ever sees the finished arrays.
 *
 * <p>Locks: the room calls in holding its own lock (Room → RoomGraph); this graph never takes the room's.
 */
final class RoomGraph {
    private final Map<String, PeerForwarder> sessions = new LinkedHashMap<>();
    private final SpeakerDetector speakers = new SpeakerDetector();
    private MediaPlan plan = MediaPlan.EMPTY;

    synchronized void add(PeerForwarder s) {
        sessions.put(s.peerId, s);
    }

    synchronized void remove(PeerForwarder s) {
        if (sessions.get(s.peerId) == s) {
            sessions.remove(s.peerId);
        }
        rebuild();
    }

    synchronized List<PeerForwarder> sessions() {
        return List.copyOf(sessions.values());
    }

    synchronized boolean isEmpty() {
        return sessions.isEmpty();
    }

    /** The room's new plan: mutes, caps, wishes. */
    synchronized void plan(MediaPlan next) {
        plan = next;
        rebuild();
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

    /** The dominant speaker's audio track (its stream's video goes first in a layer choice), or null. */
    Producer speakerVideo() {
        return speakers.speaker();
    }

    /** The video track that peer {@code publisherId} sends in stream {@code streamId}, or null. */
    synchronized Producer publishedVideo(String publisherId, String streamId) {
        PeerForwarder publisher = sessions.get(publisherId);
        if (publisher == null) {
            return null;
        }
        for (Producer t : publisher.published()) {
            if (t.kind == MediaKind.VIDEO && t.streamId.equals(streamId)) {
                return t;
            }
        }
        return null;
    }

    /** The video cap of a stream in bits per second (from addStream's bitrate), for REMB; 0 when none. */
    synchronized long videoCapBps(PeerForwarder publisher, String streamId) {
        MediaPlan.PublishedStream s = plan.stream(publisher.peerId, streamId);
        return s == null ? 0 : s.capBps();
    }

    /**
     * Recomputes every track's consumers from what was negotiated and the plan; asks for a keyframe where a video
     * consumer (re)starts, and re-chooses simulcast layers. Holding this lock.
     */
    synchronized void rebuild() {
        Map<Integer, Producer> bySsrc = new HashMap<>();
        for (PeerForwarder s : sessions.values()) {
            for (Producer t : s.published()) {
                bySsrc.put(t.ssrc, t);
            }
        }
        Map<Producer, List<Consumer>> perTrack = new HashMap<>();
        long now = System.nanoTime();
        for (PeerForwarder sub : sessions.values()) {
            List<Consumer> mine = new ArrayList<>();
            for (SendTrack st : sub.sendTracks()) {
                Producer track = bySsrc.get((int) st.ssrc());
                if (track == null || track.publisher == sub) {
                    continue;
                }
                Consumer c = existing(sub, track, st);
                boolean wasActive = c.active;
                boolean video = track.kind == MediaKind.VIDEO;
                Reception r = plan.reception(sub.peerId, track.publisher.peerId, track.streamId);
                MediaPlan.PublishedStream published = plan.stream(track.publisher.peerId, track.streamId);
                boolean allowed;
                if (r != null) {
                    allowed = video ? r.video() : r.audio();
                } else { // negotiated before the room's plan named it (microseconds): everyone's mutes still hold
                    allowed = published == null || !(video ? published.videoMuted() : published.audioMuted());
                }
                c.wish = r == null ? null : r.wish();
                c.active = allowed && !(video && c.wish != null && c.wish.none());
                if (c.active && !wasActive && video) {
                    c.requestKeyframe(now);
                }
                mine.add(c);
                perTrack.computeIfAbsent(track, k -> new ArrayList<>()).add(c);
            }
            sub.receiving(mine.toArray(new Consumer[0]));
        }
        for (PeerForwarder pub : sessions.values()) {
            for (Producer t : pub.published()) {
                t.consumers = perTrack.getOrDefault(t, List.of()).toArray(Producer.NONE);
                MediaPlan.PublishedStream p = plan.stream(pub.peerId, t.streamId);
                t.audioMuted = p != null && p.audioMuted();
                t.screen = p != null && p.screen();
            }
        }
        for (PeerForwarder sub : sessions.values()) {
            sub.chooseLayers(now, false);
        }
    }

    /**
     * Keeps a consumer (its RTX sequence, meter, numbering, active state) while its negotiated form is unchanged.
     * A new form on the same RTX SSRC continues the RTX sequence: the receiver would take a jump as loss or old news.
     */
    private static Consumer existing(PeerForwarder sub, Producer track, SendTrack st) {
        Consumer before = null;
        for (Consumer s : sub.receiving()) {
            if (s.producer == track && s.sendTrack.equals(st)) {
                return s;
            }
            if (s.producer == track && s.sendTrack.rtxSsrc() == st.rtxSsrc()) {
                before = s;
            }
        }
        return new Consumer(sub, track, st, before == null
                ? ThreadLocalRandom.current().nextInt(0x10000) : before.rtx.nextSequenceNumber());
    }
}
