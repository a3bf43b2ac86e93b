package dev.roomdeck.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.protocol.StreamMeta;
import dev.roomdeck.sdp.PublishedTrack;
import java.util.List;

/**
 * A stream one peer publishes (one msid: usually a camera track and a microphone track). Its tracks come from
 * the publisher's SDP; its bitrate and attributes from addStream. Written under the room's lock; volatile so
 * that the admin API can read it from any thread.
 */
public final class Stream {
    private final String msid;
    private final String ownerId;
    private volatile int bitrateKbps;
    private volatile JsonNode attributes;
    private volatile List<PublishedTrack> tracks = List.of();
    private volatile MuteState mute = MuteState.NONE;
    /**
     * Whether the others may be offered this stream: once addStream describes it (its attributes ride in the
     * room meta of that one offer), or when its tracks first appear in a later offer. Tracks of a join offer
     * wait for the addStream that follows, up to {@link #announceByNanos}.
     */
    private boolean announced;
    private long announceByNanos;
    /** The operator stopped it: nobody is offered it any more. */
    private volatile boolean stopped;

    Stream(String msid, String ownerId, int bitrateKbps, JsonNode attributes) {
        this.msid = msid;
        this.ownerId = ownerId;
        this.bitrateKbps = bitrateKbps;
        this.attributes = attributes;
    }

    public String msid() {
        return msid;
    }

    public String ownerId() {
        return ownerId;
    }

    public int bitrateKbps() {
        return bitrateKbps;
    }

    public JsonNode attributes() {
        return attributes;
    }

    public List<PublishedTrack> tracks() {
        return tracks;
    }

    public MuteState mute() {
        return mute;
    }

    boolean announced() {
        return announced;
    }

    void announce() {
        announced = true;
    }

    /** Announces the stream if its addStream is overdue; returns whether that happened. */
    boolean announceIfOverdue(long nowNanos) {
        if (!announced && nowNanos - announceByNanos >= 0) {
            announced = true;
            return true;
        }
        return false;
    }

    void announceBy(long nanos) {
        announceByNanos = nanos;
    }

    void describe(int bitrateKbps, JsonNode attributes) {
        this.bitrateKbps = bitrateKbps;
        this.attributes = attributes;
    }

    void tracks(List<PublishedTrack> tracks) {
        this.tracks = List.copyOf(tracks);
    }

    void mute(MuteState mute) {
        this.mute = mute;
    }

    public boolean stopped() {
        return stopped;
    }

    void stop() {
        stopped = true;
    }

    /** "screen" when addStream said so ({@code attributes.kind}), else "camera". */
    public String kind() {
        JsonNode a = attributes;
        return a != null && "screen".equals(a.path("kind").asText()) ? "screen" : "camera";
    }

    public boolean hasAudio() {
        for (PublishedTrack t : tracks) {
            if (t.kind() == dev.roomdeck.sdp.MediaKind.AUDIO) {
                return true;
            }
        }
        return false;
    }

    StreamMeta meta() {
        return new StreamMeta(msid, bitrateKbps, attributes);
    }
}
