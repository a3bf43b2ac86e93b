package dev.roomdeck.sdp;
import java.util.List;
public record Codec(int payloadType, String name, int clockRate, int channels, String fmtp, List<String> rtcpFeedback, int rtxPayloadType) {}
