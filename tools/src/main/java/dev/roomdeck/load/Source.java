package dev.roomdeck.load;

import dev.roomdeck.client.ClientOffer;
import dev.roomdeck.media.ClientTransport;

/**
 * One synthetic track a publisher sends: video as packets of a fixed size paced evenly at the chosen bitrate,
 * grouped into 30 frames a second (one keyframe every 2 s, and at the next frame after a PLI or FIR), or audio as
 * Opus-sized packets every 20 ms. A simulcast layer is video sent as Chrome sends one rid-based encoding: MID and
 * RID one-byte header extensions on every packet (the server learns the layer's SSRC from them), the VP8
 * descriptor with a 15-bit picture id and TL0PICIDX (what the server rewrites when it switches layers), and its
 * size in every keyframe (what a subscriber's videoSize is matched against). The packet is built once and
 * rewritten in place for each send.
 */
final class Source {
    static final int VIDEO_PT = 96;
    static final int AUDIO_PT = 111;
    private static final int FPS = 30;
    private static final int KEYFRAME_FRAMES = 2 * FPS;
    private static final int AUDIO_PAYLOAD = 100;
    private static final long AUDIO_PERIOD = 20_000_000L;
    /** Simulcast descriptor: X S / I L T / M + picture id (2) / TL0PICIDX / TID Y KEYIDX (RFC 7741 4.2). */
    private static final int LAYER_DESCRIPTOR = 6;

    final boolean video;
    final int stream;
    final long ssrc;
    final long periodNanos;
    /** Simulcast layer, lowest 0; -1 for a single-encoding track. */
    final int layer;
    private final int width;
    private final int height;
    private final int payloadStart;
    private final byte[] packet;
    private ClientTransport transport;
    private int seq;
    private long frame = -1;
    private long keyGroup = -1;
    private int pictureId;
    private int tl0PicIdx;
    private long startNanos;
    private final int timestampBase;
    /** A PLI or FIR named this SSRC: the next frame is a keyframe (set by the receive thread). */
    volatile boolean keyframeWanted;
    long nextDue;
    long sent;

    private Source(boolean video, int stream, long ssrc, int packetLength, long periodNanos, int layer, int width,
                   int height, byte[] extensions) {
        this.video = video;
        this.stream = stream;
        this.ssrc = ssrc;
        this.periodNanos = periodNanos;
        this.layer = layer;
        this.width = width;
        this.height = height;
        this.payloadStart = 12 + extensions.length;
        this.packet = new byte[packetLength];
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        this.seq = r.nextInt(0x10000);
        this.timestampBase = r.nextInt();
        this.pictureId = r.nextInt(0x8000);
        this.tl0PicIdx = r.nextInt(0x100);
        packet[0] = (byte) (extensions.length > 0 ? 0x90 : 0x80);
        packet[1] = (byte) (video ? VIDEO_PT : AUDIO_PT);
        packet[8] = (byte) (ssrc >>> 24);
        packet[9] = (byte) (ssrc >>> 16);
        packet[10] = (byte) (ssrc >>> 8);
        packet[11] = (byte) ssrc;
        System.arraycopy(extensions, 0, packet, 12, extensions.length);
        for (int i = payloadStart + Stamp.MIN_PAYLOAD; i < packetLength; i++) {
            packet[i] = (byte) (i * 31); // stands for compressed media
        }
    }

    /** Video at {@code kbps} in RTP packets of {@code packetLength} bytes (header included, before SRTP). */
    static Source video(int stream, long ssrc, int kbps, int packetLength) {
        checkLength(packetLength, 12);
        return new Source(true, stream, ssrc, packetLength, period(kbps, packetLength), -1, 640, 360, new byte[0]);
    }

    /**
     * One simulcast layer of a video track in mid {@code mid}: {@code rid} in the RID extension, keyframes that say
     * {@code width} x {@code height}, packets of {@code packetLength} bytes (extensions included).
     */
    static Source layer(int stream, long ssrc, int kbps, int packetLength, int layer, String mid, String rid,
                        int width, int height) {
        byte[] ext = oneByteExtensions(ClientOffer.MID_EXTENSION_ID, mid, ClientOffer.RID_EXTENSION_ID, rid);
        checkLength(packetLength, 12 + ext.length);
        return new Source(true, stream, ssrc, packetLength, period(kbps, packetLength), layer, width, height, ext);
    }

    static Source audio(int stream, long ssrc) {
        return new Source(false, stream, ssrc, 12 + AUDIO_PAYLOAD, AUDIO_PERIOD, -1, 0, 0, new byte[0]);
    }

    private static void checkLength(int packetLength, int headerLength) {
        if (packetLength < headerLength + Stamp.MIN_PAYLOAD || packetLength > 1400) {
            throw new IllegalArgumentException("packet size must be " + (headerLength + Stamp.MIN_PAYLOAD)
                    + "..1400 bytes");
        }
    }

    private static long period(int kbps, int packetLength) {
        return Math.round(packetLength * 8 * 1e9 / (kbps * 1000.0));
    }

    /** RFC 8285 one-byte header extension block with two elements, zero padded to whole words. */
    private static byte[] oneByteExtensions(int id1, String v1, int id2, String v2) {
        int n = 2 + v1.length() + v2.length();
        byte[] b = new byte[4 + (n + 3) / 4 * 4];
        b[0] = (byte) 0xBE;
        b[1] = (byte) 0xDE;
        b[3] = (byte) ((n + 3) / 4);
        int at = 4;
        for (int k = 0; k < 2; k++) {
            String v = k == 0 ? v1 : v2;
            b[at++] = (byte) ((k == 0 ? id1 : id2) << 4 | (v.length() - 1));
            for (int i = 0; i < v.length(); i++) {
                b[at++] = (byte) v.charAt(i);
            }
        }
        return b;
    }

    void attach(ClientTransport t, long startNanos, long firstDue) {
        this.transport = t;
        this.startNanos = startNanos;
        this.nextDue = firstDue;
    }

    /** Sends the packet due now, stamped with the window; returns false before the transport is attached. */
    boolean send(int window) {
        ClientTransport t = transport;
        if (t == null) {
            return false;
        }
        int ts;
        boolean marker;
        if (video) {
            long f = (nextDue - startNanos) * FPS / 1_000_000_000L;
            long nextFrame = (nextDue + periodNanos - startNanos) * FPS / 1_000_000_000L;
            boolean first = f != frame;
            frame = f;
            ts = timestampBase + (int) (f * (90_000 / FPS));
            marker = nextFrame != f;
            // A keyframe on the first frame of each 2 s, or asked for: a slow layer may send no packet in that
            // exact frame, so it is the first frame that begins in a new 2 s group.
            boolean key = false;
            if (first && (f / KEYFRAME_FRAMES != keyGroup || keyframeWanted)) {
                key = true;
                keyGroup = f / KEYFRAME_FRAMES;
                keyframeWanted = false;
            }
            if (layer >= 0) {
                layerHeader(first, key);
            } else {
                vp8Header(first, key);
            }
        } else {
            ts = timestampBase + (int) (sent * 960);
            marker = false;
        }
        seq = (seq + 1) & 0xFFFF;
        packet[1] = (byte) ((marker ? 0x80 : 0) | (video ? VIDEO_PT : AUDIO_PT));
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        packet[4] = (byte) (ts >>> 24);
        packet[5] = (byte) (ts >>> 16);
        packet[6] = (byte) (ts >>> 8);
        packet[7] = (byte) ts;
        Stamp.write(packet, payloadStart, window, stream, System.nanoTime());
        t.sendRtp(packet, 0, packet.length);
        sent++;
        return true;
    }

    /** VP8 payload descriptor (RFC 7741) and, on a frame's first packet, the frame tag. */
    private void vp8Header(boolean frameStart, boolean key) {
        packet[12] = (byte) (frameStart ? 0x10 : 0x00); // S bit, partition 0
        if (frameStart) {
            packet[13] = (byte) (key ? 0x10 : 0x11);     // show_frame, P = 0 on keyframes
            packet[14] = 0;
            packet[15] = 0;
            packet[16] = (byte) 0x9d;                    // keyframe start code and 640x360
            packet[17] = 0x01;
            packet[18] = 0x2a;
            packet[19] = (byte) 0x80;
            packet[20] = 0x02;
            packet[21] = 0x68;
            packet[22] = 0x01;
        }
    }

    /**
     * A simulcast layer's descriptor as Chrome writes it (every frame a base-layer frame: TID 0, TL0PICIDX and
     * picture id one up per frame) and, on a frame's first packet, the frame tag; a keyframe's says the layer's size.
     */
    private void layerHeader(boolean frameStart, boolean key) {
        int at = payloadStart;
        if (frameStart) {
            pictureId = (pictureId + 1) & 0x7FFF;
            tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
        }
        packet[at] = (byte) (0x80 | (frameStart ? 0x10 : 0)); // X, S, partition 0
        packet[at + 1] = (byte) 0xE0;                          // I, L, T
        packet[at + 2] = (byte) (0x80 | pictureId >>> 8);      // M: 15-bit picture id
        packet[at + 3] = (byte) pictureId;
        packet[at + 4] = (byte) tl0PicIdx;
        packet[at + 5] = 0;                                    // TID 0
        if (frameStart) {
            at += LAYER_DESCRIPTOR;
            packet[at] = (byte) (key ? 0x10 : 0x11);           // show_frame, P = 0 on keyframes
            packet[at + 1] = 0;
            packet[at + 2] = 0;
            packet[at + 3] = (byte) 0x9d;                      // keyframe start code, then 14-bit width and height
            packet[at + 4] = 0x01;
            packet[at + 5] = 0x2a;
            packet[at + 6] = (byte) width;
            packet[at + 7] = (byte) (width >>> 8 & 0x3F);
            packet[at + 8] = (byte) height;
            packet[at + 9] = (byte) (height >>> 8 & 0x3F);
        }
    }
}
