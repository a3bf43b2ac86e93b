package dev.roomdeck.forward;

import dev.roomdeck.room.MediaEvents;
import dev.roomdeck.room.SpeakerLevel;
import dev.roomdeck.rtp.AudioLevelMeter;
import java.util.ArrayList;
import java.util.List;

/**
 * Who has the floor in one room, from the smoothed audio levels of its streams (RFC 6464, read on the packet
 * path). A simpler rule than Jitsi Videobridge's dominant-speaker identification, with the same aim of not
 * flapping: a challenger takes the floor only after being clearly louder ({@link #MARGIN_DB}) for
 * {@link #HOLD_NANOS}, or when the current speaker has been silent for {@link #SILENCE_NANOS} while the
 * challenger speaks. Muted audio never counts. Runs on the media timer every {@link #PERIOD_MILLIS} ms.
 */
final class SpeakerDetector {
    static final long PERIOD_MILLIS = 250;
    /** −dBov below which a stream is speaking (a talker at a laptop is around −20…−35; room noise −50…−60). */
    static final int SPEECH_DBOV = 45;
    static final int MARGIN_DB = 6;
    static final long HOLD_NANOS = 400_000_000L;
    static final long SILENCE_NANOS = 1_000_000_000L;
    /** Levels are re-sent when any moved this much (0–100), at most every period. */
    static final int LEVEL_STEP = 3;

    private volatile Producer speaker;
    private Producer challenger;
    private long challengerSince;
    private long speakerSilentSince;
    private int[] lastSent = new int[0];
    private Producer[] lastTracks = new Producer[0];

    /** The dominant speaker's audio track, or null before anyone spoke. */
    Producer speaker() {
        return speaker;
    }

    /** One evaluation: tells {@code events} when the speaker changed, or when levels moved. */
    synchronized void evaluate(List<PeerForwarder> sessions, long now, MediaEvents events) {
        List<Producer> audio = new ArrayList<>();
        for (PeerForwarder s : sessions) {
            for (Producer t : s.published()) {
                if (t.level != null) {
                    audio.add(t);
                }
            }
        }
        Producer loudest = null;
        int loudestDbov = AudioLevelMeter.SILENT;
        int[] dbov = new int[audio.size()];
        for (int i = 0; i < dbov.length; i++) {
            Producer t = audio.get(i);
            // The loudest since the last tick, not the level at this instant: speech comes in syllables, and a
            // short sound between two ticks would otherwise be missed every time its rhythm matched ours.
            int loudestSinceLast = t.level.takeLoudest(now);
            dbov[i] = t.audioMuted ? AudioLevelMeter.SILENT : loudestSinceLast;
            if (dbov[i] <= SPEECH_DBOV && dbov[i] < loudestDbov) {
                loudest = t;
                loudestDbov = dbov[i];
            }
        }
        boolean changed = decide(audio, dbov, loudest, loudestDbov, now);
        List<SpeakerLevel> levels = new ArrayList<>(audio.size());
        boolean moved = audio.size() != lastTracks.length;
        int[] sent = new int[audio.size()];
        for (int i = 0; i < dbov.length; i++) {
            Producer t = audio.get(i);
            sent[i] = AudioLevelMeter.percent(dbov[i]);
            levels.add(new SpeakerLevel(t.publisher.peerId, t.streamId, sent[i], dbov[i] <= SPEECH_DBOV));
            moved |= i >= lastTracks.length || lastTracks[i] != t || Math.abs(lastSent[i] - sent[i]) >= LEVEL_STEP;
        }
        if (changed) {
            events.speakerChanged(speaker == null ? null : speaker.publisher.peerId,
                    speaker == null ? null : speaker.streamId, levels);
        } else if (moved) {
            events.speakerLevels(levels);
        } else {
            return;
        }
        lastSent = sent;
        lastTracks = audio.toArray(new Producer[0]);
    }

    /** Applies the floor rules; true when the speaker changed. */
    private boolean decide(List<Producer> audio, int[] dbov, Producer loudest, int loudestDbov, long now) {
        int current = speaker == null ? -1 : audio.indexOf(speaker);
        if (speaker != null && current < 0) { // the speaker's stream is gone
            speaker = loudest;
            challenger = null;
            speakerSilentSince = 0;
            return true;
        }
        if (speaker == null) {
            if (loudest == null) {
                return false;
            }
            speaker = loudest;
            challenger = null;
            speakerSilentSince = 0;
            return true;
        }
        int speakerDbov = dbov[current];
        if (speakerDbov <= SPEECH_DBOV) {
            speakerSilentSince = 0;
        } else if (speakerSilentSince == 0) {
            speakerSilentSince = now;
        }
        if (loudest == null || loudest == speaker) {
            challenger = null;
            return false;
        }
        boolean clearlyLouder = loudestDbov + MARGIN_DB <= speakerDbov;
        boolean floorFree = speakerSilentSince != 0 && now - speakerSilentSince >= SILENCE_NANOS;
        if (!clearlyLouder && !floorFree) {
            challenger = null;
            return false;
        }
        if (challenger != loudest) {
            challenger = loudest;
            challengerSince = now;
        }
        if (floorFree || now - challengerSince >= HOLD_NANOS) {
            speaker = loudest;
            challenger = null;
            speakerSilentSince = 0;
            return true;
        }
        return false;
    }

    /** {level 0–100, speaking 0/1} of a peer's loudest unmuted audio now. */
    int[] figures(PeerForwarder s, long now) {
        int best = AudioLevelMeter.SILENT;
        for (Producer t : s.published()) {
            if (t.level != null && !t.audioMuted) {
                best = Math.min(best, t.level.minusDbov(now));
            }
        }
        return new int[] {AudioLevelMeter.percent(best), best <= SPEECH_DBOV ? 1 : 0};
    }
}
