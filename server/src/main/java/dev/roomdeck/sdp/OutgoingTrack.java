package dev.roomdeck.sdp;
import java.util.List;
public record OutgoingTrack(String streamId, String trackId, MediaKind kind, long ssrc, long rtxSsrc, String cname, List<Codec> publisherCodecs) {}
