package dev.roomdeck.console.model;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The last minute of each stream's bitrate, for the chart: samples of (seconds since the console started,
 * kbit/s) per stream key. Kept for every stream, not only the shown room's, so switching rooms shows history.
 */
public final class BitrateHistory {
    /** One point of a stream's bitrate curve. */
    public record Sample(double seconds, double kbps) {
    }

    private final double windowSeconds;
    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    public BitrateHistory(double windowSeconds) {
        this.windowSeconds = windowSeconds;
    }

    public static String key(String roomId, String peerId, String msid) {
        return roomId + "/" + peerId + "/" + msid;
    }

    void record(String key, double seconds, double kbps) {
        Deque<Sample> d = samples.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (!d.isEmpty() && d.peekLast().seconds() >= seconds) {
            return;
        }
        d.addLast(new Sample(seconds, kbps));
        while (!d.isEmpty() && d.peekFirst().seconds() < seconds - windowSeconds) {
            d.removeFirst();
        }
    }

    /** Forgets streams that are gone. */
    void retain(Set<String> alive) {
        samples.keySet().retainAll(alive);
    }

    /** Oldest first; empty for an unknown stream. */
    public Iterable<Sample> samples(String key) {
        Deque<Sample> d = samples.get(key);
        return d == null ? Collections.emptyList() : Collections.unmodifiableCollection(d);
    }

    public double latestKbps(String key) {
        Deque<Sample> d = samples.get(key);
        return d == null || d.isEmpty() ? 0 : d.peekLast().kbps();
    }

    public double windowSeconds() {
        return windowSeconds;
    }
}
