package dev.roomdeck.sdp;
import java.util.List;
import java.util.Map;
public record SendTrack(String trackId, String streamId, MediaKind kind, String mid, long ssrc, long rtxSsrc, List<Codec> codecs, Map<String,Integer> extensions) {}
