package dev.roomdeck.client;

import dev.roomdeck.rtp.RtpPacket;
import dev.roomdeck.rtp.Vp8Payload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every packet received on one SSRC, in arrival order, as a video decoder looks at it: sequence number,
 * timestamp, the VP8 fields a depacketizer reads, and when it came. Appending fills primitive columns (no
 * allocation but their doubling), so recording keeps up with the receive path; {@link #entries()} makes the
 * records a test asserts on.
 */
public final class PacketLog {
    /**
     * One packet. VP8 fields are -1 when the payload does not have them (not VP8, or no such field); width and
     * height only on a keyframe's first packet. {@code payloadHash} tells payloads apart (see {@link #hash}).
     */
    public record Entry(int seq, int timestamp, boolean marker, int payloadLength, int payloadHash, int pictureId,
                        int tl0PicIdx, int temporalId, boolean startOfFrame, boolean keyframe, int width,
                        int height, long arrivalNanos) {
    }

    private int size;
    private int[] seq = new int[1024];
    private int[] timestamp = new int[1024];
    private int[] payloadLength = new int[1024];
    private int[] payloadHash = new int[1024];
    private int[] pictureId = new int[1024];
    private int[] tl0PicIdx = new int[1024];
    /** temporal id (low 8 bits), then flags: marker, start of frame, keyframe. */
    private int[] bits = new int[1024];
    private int[] width = new int[1024];
    private int[] height = new int[1024];
    private long[] arrival = new long[1024];

    synchronized void add(RtpPacket p, long now) {
        if (size == seq.length) {
            int n = size * 2;
            seq = Arrays.copyOf(seq, n);
            timestamp = Arrays.copyOf(timestamp, n);
            payloadLength = Arrays.copyOf(payloadLength, n);
            payloadHash = Arrays.copyOf(payloadHash, n);
            pictureId = Arrays.copyOf(pictureId, n);
            tl0PicIdx = Arrays.copyOf(tl0PicIdx, n);
            bits = Arrays.copyOf(bits, n);
            width = Arrays.copyOf(width, n);
            height = Arrays.copyOf(height, n);
            arrival = Arrays.copyOf(arrival, n);
        }
        byte[] b = p.buffer();
        int off = p.payloadOffset();
        int len = p.payloadLength();
        int i = size++;
        seq[i] = p.sequenceNumber();
        timestamp[i] = p.timestamp();
        payloadLength[i] = len;
        payloadHash[i] = hash(b, off, len);
        pictureId[i] = Vp8Payload.pictureId(b, off, len);
        tl0PicIdx[i] = Vp8Payload.tl0PicIdx(b, off, len);
        boolean key = Vp8Payload.isKeyframe(b, off, len);
        bits[i] = (Vp8Payload.temporalId(b, off, len) & 0xFF) | (p.marker() ? 0x100 : 0)
                | (Vp8Payload.isStartOfFrame(b, off, len) ? 0x200 : 0) | (key ? 0x400 : 0);
        width[i] = key ? Vp8Payload.width(b, off, len) : -1;
        height[i] = key ? Vp8Payload.height(b, off, len) : -1;
        arrival[i] = now;
    }

    public synchronized int size() {
        return size;
    }

    /** The packets from {@code from} on, oldest first. */
    public synchronized List<Entry> entries(int from) {
        List<Entry> result = new ArrayList<>(Math.max(0, size - from));
        for (int i = Math.max(0, from); i < size; i++) {
            int tid = bits[i] & 0xFF;
            result.add(new Entry(seq[i], timestamp[i], (bits[i] & 0x100) != 0, payloadLength[i], payloadHash[i],
                    pictureId[i], tl0PicIdx[i], tid == 0xFF ? -1 : tid, (bits[i] & 0x200) != 0,
                    (bits[i] & 0x400) != 0, width[i], height[i], arrival[i]));
        }
        return result;
    }

    public List<Entry> entries() {
        return entries(0);
    }

    /** A cheap hash of payload bytes, the same for a packet and its retransmission's restored payload. */
    public static int hash(byte[] b, int off, int len) {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }
}
