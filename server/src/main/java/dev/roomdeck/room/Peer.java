package dev.roomdeck.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomdeck.protocol.PeerMeta;
import dev.roomdeck.sdp.PeerNegotiator;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One participant of a room: its link to the client, its negotiation state, the streams it publishes and the
 * streams it chose not to receive. Guarded by the room's lock, except {@link #videoCaps()} which SDP writing reads.
 */
public final class Peer {
    private final String id;
    private final Room room;
    private final PeerLink link;
    private final PeerMedia media;
    private final PeerNegotiator negotiator;
    private final Instant joinedAt;
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    /** msid → what this peer stopped receiving of that stream (configure remote). */
    private final Map<String, MuteState> receiveMutes = new LinkedHashMap<>();
    /** msid → the largest video this peer wants of that stream (videoSize). */
    private final Map<String, VideoSize> videoSizes = new LinkedHashMap<>();
    /** msid → video cap in kbps, written into b=AS/TIAS of answers to this peer. */
    private final Map<String, Integer> videoCaps = new ConcurrentHashMap<>();
    private final JsonNode attributes;
    private final long joinedNanos = System.nanoTime();
    /**
     * The client answers server offers: it said so in join ({@code answersOffers}, the bundled client does) or it
     * has answered one. RTCEngine's own SDKs never answer; see Room for what such a client gets.
     */
    private boolean answersOffers;
    /** The client asked for speaker messages at join ({@code events: ["speaker"]}). */
    private volatile boolean speakerEvents;
    /** Its first addStream (or removeStream) was answered: a non-answering client's first offer waits for it. */
    private boolean streamChangeAnswered;
    private long offerSentNanos;
    private boolean offerWanted;
    private boolean left;
    private volatile int negotiationFailures;
    private volatile String lastNegotiationFailure;

    Peer(String id, Room room, PeerLink link, PeerMedia media, boolean planB, Instant joinedAt, JsonNode attributes) {
        this.id = id;
        this.attributes = attributes;
        this.room = room;
        this.link = link;
        this.media = media;
        this.joinedAt = joinedAt;
        // Simulcast from publishers, and transport-cc where the client sends (the media plane answers it with
        // feedback); what the server sends is paced by the subscriber's REMB.
        this.negotiator = new PeerNegotiator(planB, media.localTransport(), videoCaps, PeerNegotiator.Options.DEFAULT);
    }

    public String id() {
        return id;
    }

    public Room room() {
        return room;
    }

    public Instant joinedAt() {
        return joinedAt;
    }

    public String address() {
        return link.remoteAddress();
    }

    PeerLink link() {
        return link;
    }

    PeerMedia media() {
        return media;
    }

    PeerNegotiator negotiator() {
        return negotiator;
    }

    Map<String, Integer> videoCaps() {
        return videoCaps;
    }

    /** A copy, taken under the room's lock: safe to read from any thread. */
    public List<Stream> streams() {
        synchronized (room) {
            return List.copyOf(streams.values());
        }
    }

    Map<String, Stream> streamMap() {
        return streams;
    }

    Map<String, MuteState> receiveMutes() {
        return receiveMutes;
    }

    Map<String, VideoSize> videoSizes() {
        return videoSizes;
    }

    boolean speakerEvents() {
        return speakerEvents;
    }

    void speakerEvents(boolean yes) {
        speakerEvents = yes;
    }

    boolean answersOffers() {
        return answersOffers;
    }

    void answersOffers(boolean yes) {
        answersOffers |= yes;
    }

    long joinedNanos() {
        return joinedNanos;
    }

    boolean streamChangeAnswered() {
        return streamChangeAnswered;
    }

    void streamChangeAnswered(boolean yes) {
        streamChangeAnswered |= yes;
    }

    long offerSentNanos() {
        return offerSentNanos;
    }

    void offerSentNanos(long nanos) {
        this.offerSentNanos = nanos;
    }

    /** The peer's attributes from join (e.g. its display name); null when it gave none. */
    public JsonNode attributes() {
        return attributes;
    }

    /** Stream msid → when a no-media report about it was last answered with a keyframe request (room lock). */
    private final java.util.Map<String, Long> keyframeAnswers = new java.util.HashMap<>();

    /** How many server offers this peer's client reported it could not apply (renegotiate requests). */
    public int negotiationFailures() {
        return negotiationFailures;
    }

    /** The browser's words for the last offer it could not apply; null when none failed. */
    public String lastNegotiationFailure() {
        return lastNegotiationFailure;
    }

    /**
     * A no-media report about stream {@code msid} was answered with a keyframe request: true if one already was
     * within {@code windowNanos} (then a keyframe did not help, and a fresh offer is next). Records this one.
     */
    boolean keyframeAlreadyTried(String msid, long nowNanos, long windowNanos) {
        Long before = keyframeAnswers.put(msid, nowNanos);
        return before != null && nowNanos - before < windowNanos;
    }

    void negotiationFailed(String message) {
        lastNegotiationFailure = message;
        negotiationFailures++;
    }

    /** The others' room meta changed in a way the client should hear about even if no track changed. */
    void offerWanted() {
        offerWanted = true;
    }

    boolean takeOfferWanted() {
        boolean wanted = offerWanted;
        offerWanted = false;
        return wanted;
    }

    /** What this peer chose not to receive of a stream (configure remote). */
    public MuteState receiveMute(String msid) {
        synchronized (room) {
            return receiveMutes.getOrDefault(msid, MuteState.NONE);
        }
    }

    boolean left() {
        return left;
    }

    void markLeft() {
        left = true;
    }

    PeerMeta meta() {
        // A stream the operator stopped is no longer the room's, though its owner's SDP may still carry it.
        return new PeerMeta(id, streams.values().stream().filter(s -> !s.stopped()).map(Stream::meta).toList(),
                attributes);
    }
}
