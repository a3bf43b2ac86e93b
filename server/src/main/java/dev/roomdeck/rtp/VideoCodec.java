package dev.roomdeck.rtp;

/**
 * The video codecs whose payloads the forwarder looks into, so it can ask "is this a keyframe?" of a track
 * once it knows the codec's name, without a switch at each call site.
 */
public enum VideoCodec {
    VP8 {
        @Override
        public boolean isKeyframe(byte[] buf, int payloadOffset, int payloadLength) {
            return Vp8Payload.isKeyframe(buf, payloadOffset, payloadLength);
        }
    },
    VP9 {
        @Override
        public boolean isKeyframe(byte[] buf, int payloadOffset, int payloadLength) {
            return Vp9Payload.isKeyframe(buf, payloadOffset, payloadLength);
        }
    },
    H264 {
        @Override
        public boolean isKeyframe(byte[] buf, int payloadOffset, int payloadLength) {
            return H264Payload.isKeyframe(buf, payloadOffset, payloadLength);
        }
    },
    /** Anything else (AV1, audio, unknown): never reports a keyframe. */
    OTHER {
        @Override
        public boolean isKeyframe(byte[] buf, int payloadOffset, int payloadLength) {
            return false;
        }
    };

    /** The codec for an rtpmap encoding name ("VP8", "vp9", "H264"), in any case; OTHER for the rest and null. */
    public static VideoCodec of(String codecName) {
        if (codecName == null) return OTHER;
        if (codecName.equalsIgnoreCase("VP8")) return VP8;
        if (codecName.equalsIgnoreCase("VP9")) return VP9;
        if (codecName.equalsIgnoreCase("H264")) return H264;
        return OTHER;
    }

    /** True when this RTP payload starts a keyframe of this codec; false for malformed payloads. */
    public abstract boolean isKeyframe(byte[] buf, int payloadOffset, int payloadLength);
}
