package dev.roomdeck.forward;

import dev.roomdeck.media.PacketCounters;
import dev.roomdeck.rtp.AudioLevelMeter;
import dev.roomdeck.rtp.RtpPacket;
import dev.roomdeck.rtp.VideoCodec;
import dev.roomdeck.sdp.MediaKind;
import dev.roomdeck.sdp.PublishedTrack;
import dev.roomdeck.sdp.SimulcastLayer;
import java.util.Arrays;
import java.util.List;

/**
 * A track as its publisher sends it (mediasoup's Producer): its incoming RTP streams (one, or one per simulcast
 * layer, lowest resolution first), what the track's packets mean (codec, RTX payload types, header extensions),
 * and the {@link Consumer}s it is forwarded to. The streams own the per-SSRC state; a consumer picks which layer
 * it forwards.
 *
 * <p>rid-based simulcast (Chrome and Firefox in unified-plan) names no SSRCs in the SDP: a layer's SSRC is learned
 * from the first authentic packet that carries its rid (its RTX SSRC from the repaired rid) in this track's
 * m-section, and is kept for the producer's life.
 */
final class Producer {
    static final Consumer[] NONE = new Consumer[0];
    static final String RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    static final String REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    final PeerForwarder publisher;
    final PublishedTrack description;
    final String streamId;
    final MediaKind kind;
    /** The SSRC subscribers receive this track on: the publisher's own, or the server's for a simulcast track. */
    final int ssrc;
    final VideoCodec codec;
    /** Per layer: its rid when the SDP gave no SSRC (learned from packets), else null. */
    private final String[] rids;
    private final int senderSsrc;
    /** Per layer, null until its SSRC is known; replaced whole when one is learned (the packet path reads it). */
    private volatile IncomingStream[] streams;
    /** The publisher's RTX payload type → the media payload type it repairs; -1 where none. */
    private final int[] rtxToMedia = new int[128];
    final int ridExtensionId;
    final int repairedRidExtensionId;
    /** Replaced whole on every change (copy on write): the packet path reads it without a lock. */
    volatile Consumer[] consumers = NONE;
    /** Audio only: the level its packets say (RFC 6464), for the speaker detector; null for video. */
    final AudioLevelMeter level;
    /** The publisher's id of the audio-level extension; 0 when not negotiated. */
    final int audioLevelExtensionId;
    /** Audio muted by its owner or the operator (set on every rebuild): never counts as speaking. */
    volatile boolean audioMuted;
    /** A screen share: first in line when a subscriber's link cannot carry everything (set on every rebuild). */
    volatile boolean screen;
    /**
     * The forwarding stage for this track: packets in (used), copies out to subscribers, and drops by reason. A
     * child of its publisher's counters, which feed the media plane's: one count, three levels.
     */
    final PacketCounters counters;

    Producer(PeerForwarder publisher, PublishedTrack description, int senderSsrc) {
        this.publisher = publisher;
        this.counters = new PacketCounters(publisher == null ? null : publisher.counters);
        this.description = description;
        this.streamId = description.streamId();
        this.kind = description.kind();
        this.ssrc = (int) description.ssrc();
        this.senderSsrc = senderSsrc;
        this.codec = description.codecs().isEmpty() ? VideoCodec.OTHER : VideoCodec.of(description.codecs().get(0).name());
        Arrays.fill(rtxToMedia, -1);
        for (var c : description.codecs()) {
            if (c.rtxPayloadType() >= 0 && c.rtxPayloadType() < 128) {
                rtxToMedia[c.rtxPayloadType()] = c.payloadType();
            }
        }
        this.ridExtensionId = description.extensions().getOrDefault(RID_URI, 0);
        this.repairedRidExtensionId = description.extensions().getOrDefault(REPAIRED_RID_URI, 0);
        this.level = kind == MediaKind.VIDEO ? null : new AudioLevelMeter();
        this.audioLevelExtensionId = description.extensions().getOrDefault(AudioLevelMeter.URI, 0);
        List<SimulcastLayer> layers = description.layers();
        if (layers.isEmpty()) {
            rids = new String[1];
            streams = new IncomingStream[] {new IncomingStream(this, 0, ssrc, (int) description.rtxSsrc(), senderSsrc)};
        } else {
            rids = new String[layers.size()];
            streams = new IncomingStream[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                SimulcastLayer l = layers.get(i);
                if (l.ssrc() != 0) {
                    streams[i] = new IncomingStream(this, i, (int) l.ssrc(), (int) l.rtxSsrc(), senderSsrc);
                } else {
                    rids[i] = l.rid();
                }
            }
        }
    }

    /** Several layers: consumers pick one and the forwarded stream is rewritten onto {@link #ssrc}. */
    boolean simulcast() {
        return !description.layers().isEmpty();
    }

    /** The incoming streams by layer, lowest first; an entry is null while its SSRC is not yet known. */
    IncomingStream[] streams() {
        return streams;
    }

    int layerCount() {
        return rids.length;
    }

    /** The stream whose media SSRC this is, or null. */
    IncomingStream byMediaSsrc(int ssrc) {
        for (IncomingStream s : streams) {
            if (s != null && s.ssrc == ssrc) {
                return s;
            }
        }
        return null;
    }

    /** The stream repaired by RTX on this SSRC, or null. */
    IncomingStream byRtxSsrc(int ssrc) {
        for (IncomingStream s : streams) {
            if (s != null && s.rtxSsrc == ssrc && ssrc != 0) {
                return s;
            }
        }
        return null;
    }

    /**
     * A packet on an SSRC no stream has yet: if it carries the rid (or repaired rid) of one of this track's layers,
     * the SSRC becomes that layer's (media or RTX); a layer silent for a second gives way to a new SSRC with its rid
     * (a sender that restarted its encoder). Returns the stream, or null when the packet names no layer of this
     * track. Rare (once per layer and SSRC): may allocate.
     */
    IncomingStream learn(RtpPacket p, long nowNanos) {
        if (ridExtensionId != 0) {
            int layer = layerNamed(p, ridExtensionId);
            if (layer >= 0) {
                IncomingStream[] now = streams;
                if (now[layer] != null && (now[layer].isActive(nowNanos) || now[layer].lastMediaNanos == 0)) {
                    return null; // the layer sends on its SSRC: a second one is a stray, not this layer
                }
                IncomingStream[] next = now.clone();
                next[layer] = new IncomingStream(this, layer, p.ssrc(), 0, senderSsrc);
                streams = next;
                return next[layer];
            }
        }
        if (repairedRidExtensionId != 0) {
            int layer = layerNamed(p, repairedRidExtensionId);
            IncomingStream s = layer >= 0 ? streams[layer] : null;
            if (s != null && s.rtxSsrc == 0) {
                s.rtxSsrc = p.ssrc();
                return s;
            }
        }
        return null;
    }

    /** The layer whose rid the packet's extension {@code id} names, or -1. */
    private int layerNamed(RtpPacket p, int id) {
        int at = p.findExtension(id);
        if (at < 0) {
            return -1;
        }
        int n = p.foundExtensionLength();
        for (int i = 0; i < rids.length; i++) {
            if (rids[i] != null && PeerForwarder.sameAscii(p.buffer(), at, n, rids[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The media payload type an RTX packet of this payload type repairs, or -1. */
    int mediaPayloadTypeForRtx(int rtxPayloadType) {
        return rtxToMedia[rtxPayloadType & 0x7F];
    }

    /** Bits per second arriving now over all layers. */
    long bitsPerSecond(long now) {
        long sum = 0;
        for (IncomingStream s : streams) {
            if (s != null) {
                sum += s.meter.bitsPerSecond(now);
            }
        }
        return sum;
    }

    /** Same SSRCs, layers and codecs: the forwarding state (caches, statistics, consumers) carries over. */
    boolean sameAs(PublishedTrack other) {
        return other.ssrc() == description.ssrc() && other.rtxSsrc() == description.rtxSsrc()
                && other.layers().equals(description.layers())
                && other.codecs().equals(description.codecs()) && other.extensions().equals(description.extensions());
    }
}
