package dev.roomdeck.sdp;
import java.util.List;
import java.util.Map;
public record PublishedTrack(String streamId, String trackId, MediaKind kind, String mid, long ssrc, long rtxSsrc, String cname, List<Codec> codecs, Map<String,Integer> extensions, List<String> rids) {}
