package dev.roomdeck.sdp;

import java.util.List;
import java.util.Locale;

/**
 * One negotiated RTP format of an m-section: its payload type, rtpmap, fmtp and rtcp-fb lines, and the payload
 * type of its retransmission (RTX, {@code apt=}) format, or -1 when there is none.
 *
 * @param channels 1 unless the rtpmap says otherwise (opus is written as 2)
 * @param fmtp the fmtp parameters as written after the payload type, or null
 * @param rtcpFeedback the rtcp-fb values after the payload type, e.g. "nack", "nack pli", "ccm fir"
 */
public record Codec(int payloadType, String name, int clockRate, int channels, String fmtp,
                    List<String> rtcpFeedback, int rtxPayloadType) {

    public Codec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a codec needs a name");
        }
        rtcpFeedback = rtcpFeedback == null ? List.of() : List.copyOf(rtcpFeedback);
    }

    public boolean hasRtx() {
        return rtxPayloadType >= 0;
    }

    /** The value of one fmtp parameter ({@code key=value;...}), or null. */
    public String parameter(String key) {
        return parameter(fmtp, key);
    }

    /**
     * True when both describe the same format, whatever their payload types: same name, clock rate and channels,
     * and for H264 the same profile (profile-level-id without its level) and packetization-mode, for VP9 the same
     * profile-id. This is the rule for mapping one peer's payload type to another's.
     */
    public boolean sameFormat(Codec other) {
        return other != null && formatKey().equals(other.formatKey());
    }

    public Codec withPayloadTypes(int payloadType, int rtxPayloadType) {
        return new Codec(payloadType, name, clockRate, channels, fmtp, rtcpFeedback, rtxPayloadType);
    }

    public Codec withRtcpFeedback(List<String> feedback) {
        return new Codec(payloadType, name, clockRate, channels, fmtp, feedback, rtxPayloadType);
    }

    /** The text after "a=rtpmap:PT ". */
    String rtpmapValue() {
        return name + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }

    String formatKey() {
        return formatKey(name, clockRate, channels, fmtp);
    }

    static String formatKey(String name, int clockRate, int channels, String fmtp) {
        String n = name.toLowerCase(Locale.ROOT);
        String key = n + "/" + clockRate + "/" + Math.max(1, channels);
        if (n.equals("h264")) {
            String plid = parameter(fmtp, "profile-level-id");
            String profile = plid == null || plid.length() < 4 ? "4200" : plid.substring(0, 4).toLowerCase(Locale.ROOT);
            String mode = parameter(fmtp, "packetization-mode");
            key += "/" + profile + "/" + (mode == null ? "0" : mode.trim());
        } else if (n.equals("vp9")) {
            String profile = parameter(fmtp, "profile-id");
            key += "/" + (profile == null ? "0" : profile.trim());
        }
        return key;
    }

    static String parameter(String fmtp, String key) {
        if (fmtp == null) {
            return null;
        }
        for (String part : fmtp.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(key)) {
                return part.substring(eq + 1).trim();
            }
        }
        return null;
    }
}
