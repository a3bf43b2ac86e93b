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

    StreamMeta meta() {
        return new StreamMeta(msid, bitrateKbps, attributes);
    }
}
