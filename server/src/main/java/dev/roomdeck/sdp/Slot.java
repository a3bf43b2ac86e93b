package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One m-section of a peer's connection as agreed (or as proposed by a pending server offer): what the client
 * sends in it, what the server sends in it, and the codecs and extensions used there. Lists are immutable;
 * {@link #copy()} is shallow.
 */
final class Slot {
    final String mid;
    final String media;
    final String proto;
    /** The server added this section in one of its offers (the client's own sections are never recycled). */
    boolean serverCreated;
    List<String> formats;
    MediaKind kind;
    boolean rejected;
    List<Codec> codecs = List.of();
    Map<String, Integer> extensions = Map.of();
    boolean rtcpRsize;
    boolean clientSends;
    boolean clientReceives;
    List<String> rids = List.of();
    List<PublishedTrack> received = List.of();
    List<OutgoingTrack> sending = List.of();
    List<SendTrack> sendTracks = List.of();

    Slot(String mid, String media, String proto, List<String> formats) {
        this.mid = mid;
        this.media = media;
        this.proto = proto;
        this.formats = List.copyOf(formats);
    }

    Slot copy() {
        Slot c = new Slot(mid, media, proto, formats);
        c.serverCreated = serverCreated;
        c.kind = kind;
        c.rejected = rejected;
        c.codecs = codecs;
        c.extensions = extensions;
        c.rtcpRsize = rtcpRsize;
        c.clientSends = clientSends;
        c.clientReceives = clientReceives;
        c.rids = rids;
        c.received = received;
        c.sending = sending;
        c.sendTracks = sendTracks;
        return c;
    }

    void reject() {
        if (formats.isEmpty()) {
            List<String> pts = new ArrayList<>();
            for (Codec c : codecs) {
                pts.add(Integer.toString(c.payloadType()));
            }
            formats = pts.isEmpty() ? List.of("0") : List.copyOf(pts);
        }
        rejected = true;
        codecs = List.of();
        extensions = Map.of();
        clientSends = false;
        clientReceives = false;
        rids = List.of();
        received = List.of();
        sending = List.of();
        sendTracks = List.of();
    }

    /** Matches each outgoing track's codecs against the section's; tracks with no match are refused. */
    void matchSendTracks(Map<String, OutgoingTrack> refusedOut) {
        List<OutgoingTrack> kept = new ArrayList<>();
        List<SendTrack> matchedTracks = new ArrayList<>();
        for (OutgoingTrack t : sending) {
            List<Codec> matched = new ArrayList<>();
            for (Codec p : t.publisherCodecs()) {
                for (Codec c : codecs) {
                    if (c.sameFormat(p) && !matched.contains(c)) {
                        matched.add(c);
                        break;
                    }
                }
            }
            if (matched.isEmpty()) {
                refusedOut.put(t.trackId(), t);
                continue;
            }
            boolean rtx = t.rtxSsrc() != 0 && matched.stream().anyMatch(Codec::hasRtx);
            kept.add(t);
            matchedTracks.add(new SendTrack(t.trackId(), t.streamId(), t.kind(), mid, t.ssrc(),
                    rtx ? t.rtxSsrc() : 0, matched, extensions));
        }
        sending = List.copyOf(kept);
        sendTracks = List.copyOf(matchedTracks);
    }
}
