package dev.roomdeck.admin;

import java.util.Map;

/**
 * Packet counts on the shared media port since start: media that passed SRTP, and every dropped packet by
 * reason (garbage, wrong ufrag, failed SRTP authentication, replays, unknown SSRCs, malformed RTP/RTCP, ...).
 */
public record PacketsSnapshot(long rtpReceived, long rtcpReceived, long rtpSent, long rtcpSent, Map<String, Long> drops) {
    public PacketsSnapshot {
        drops = Map.copyOf(drops);
    }

    public long drops(String reason) {
        return drops.getOrDefault(reason, 0L);
    }
}
