package dev.roomdeck.load;

import dev.roomdeck.media.ClientTransport;

/**
 * One synthetic track a publisher sends: video as packets of a fixed size paced evenly at the chosen bitrate,
 * grouped into 30 frames a second (one keyframe every 2 s), or audio as Opus-sized packets every 20 ms. The packet
 * is built once and rewritten in place for each send.
 */
final class Source {
    static final int VIDEO_PT = 96;
    static final int AUDIO_PT = 111;
    private static final int FPS = 30;
    private static final int AUDIO_PAYLOAD = 100;
    private static final long AUDIO_PERIOD = 20_000_000L;

    final boolean video;
    final int stream;
    final long ssrc;
    final long periodNanos;
    private final byte[] packet;
    private ClientTransport transport;
    private int seq;
    private long frame = -1;
    private long startNanos;
    private final int timestampBase;
    long nextDue;
    long sent;

    private Source(boolean video, int stream, long ssrc, int packetLength, long periodNanos) {
        this.video = video;
        this.stream = stream;
        this.ssrc = ssrc;
        this.periodNanos = periodNanos;
        this.packet = new byte[packetLength];
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        this.seq = r.nextInt(0x10000);
        this.timestampBase = r.nextInt();
        packet[0] = (byte) 0x80;
        packet[1] = (byte) (video ? VIDEO_PT : AUDIO_PT);
        packet[8] = (byte) (ssrc >>> 24);
        packet[9] = (byte) (ssrc >>> 16);
        packet[10] = (byte) (ssrc >>> 8);
        packet[11] = (byte) ssrc;
        for (int i = 12 + Stamp.MIN_PAYLOAD; i < packetLength; i++) {
            packet[i] = (byte) (i * 31); // stands for compressed media
        }
    }

    /** Video at {@code kbps} in RTP packets of {@code packetLength} bytes (header included, before SRTP). */
    static Source video(int stream, long ssrc, int kbps, int packetLength) {
        if (packetLength < 12 + Stamp.MIN_PAYLOAD || packetLength > 1400) {
            throw new IllegalArgumentException("packet size must be " + (12 + Stamp.MIN_PAYLOAD) + "..1400 bytes");
        }
        long period = Math.round(packetLength * 8 * 1e9 / (kbps * 1000.0));
        return new Source(true, stream, ssrc, packetLength, period);
    }

    static Source audio(int stream, long ssrc) {
        return new Source(false, stream, ssrc, 12 + AUDIO_PAYLOAD, AUDIO_PERIOD);
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
            vp8Header(first, first && f % (2 * FPS) == 0);
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
        Stamp.write(packet, 12, window, stream, System.nanoTime());
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
}
