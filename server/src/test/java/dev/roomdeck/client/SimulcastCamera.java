package dev.roomdeck.client;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A synthetic simulcast VP8 camera on a {@link MediaClient} that joined with rids: 30 frames a second on every
 * layer, each frame {@value #PACKETS_PER_FRAME} packets ({@link SyntheticVp8} payloads). Like a browser's
 * encoders, each layer is its own RTP stream: its own SSRC, and sequence numbers, timestamps, picture ids and
 * TL0PICIDX starting at random values of their own. Timestamps follow the capture clock (90 kHz), the same
 * instant for all layers of a frame. Two temporal layers (TID 0, 1, 0, 1, ...; TL0PICIDX counts the TID 0 frames).
 * A layer sends a keyframe first, when a keyframe request (PLI or FIR) names its SSRC, and every
 * {@value #KEYFRAME_INTERVAL_MILLIS} ms anyway.
 *
 * <p>Each layer's packets have a payload length of their own ({@link #PAYLOAD_LENGTHS}): a receiver that gets one
 * forwarded stream can tell, packet by packet, which layer it came from ({@link #layerOfPayloadLength}).
 */
public final class SimulcastCamera implements AutoCloseable {
    public static final int FPS = 30;
    public static final int PACKETS_PER_FRAME = 4;
    public static final long KEYFRAME_INTERVAL_MILLIS = 3000;
    /** Width and height per layer, lowest first: Chrome's 720p camera at scale 4, 2, 1. */
    public static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};
    /** Payload bytes of every packet per layer (VP8 descriptor included). */
    public static final int[] PAYLOAD_LENGTHS = {200, 450, 900};

    private final MediaClient client;
    private final int layers;
    private final int[] seq;
    private final int[] timestampBase;
    private final int[] pictureId;
    private final int[] tl0PicIdx;
    /** Frames since the layer's last keyframe: even ones are TID 0. */
    private final int[] sinceKeyframe;
    private final long[] lastKeyframeNanos;
    private final long[] requestsSeen;
    private final LongAdder[] keyframes;
    private final LongAdder frames = new LongAdder();
    private final long startNanos = System.nanoTime();
    private volatile boolean running;
    private Thread thread;

    public SimulcastCamera(MediaClient client) {
        this.client = client;
        this.layers = client.layerCount();
        if (layers < 1 || layers > SIZES.length) {
            throw new IllegalArgumentException(client.user() + " sends " + layers + " simulcast layers; 1 to 3 here");
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        seq = new int[layers];
        timestampBase = new int[layers];
        pictureId = new int[layers];
        tl0PicIdx = new int[layers];
        sinceKeyframe = new int[layers];
        lastKeyframeNanos = new long[layers];
        requestsSeen = new long[layers];
        keyframes = new LongAdder[layers];
        for (int i = 0; i < layers; i++) {
            seq[i] = r.nextInt(1 << 16);
            timestampBase[i] = r.nextInt();
            pictureId[i] = r.nextInt(1 << 15);
            tl0PicIdx[i] = r.nextInt(256);
            sinceKeyframe[i] = -1; // no keyframe yet: the first frame is one
            keyframes[i] = new LongAdder();
        }
    }

    /** Sends frames at {@value #FPS} fps on a thread of its own until {@link #close}. Returns this. */
    public synchronized SimulcastCamera start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(() -> {
            long interval = 1_000_000_000L / FPS;
            long next = System.nanoTime();
            while (running) {
                frame(System.nanoTime());
                next += interval;
                long wait = next - System.nanoTime();
                if (wait < -interval) {
                    next = System.nanoTime(); // a stalled machine: drop frames, as a camera does, rather than burst
                } else if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "simulcast-camera-" + client.user());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** One frame captured at {@code captureNanos}, on every layer, lowest first. */
    public void frame(long captureNanos) {
        int ticks = (int) ((captureNanos - startNanos) * 90_000 / 1_000_000_000L);
        for (int layer = 0; layer < layers; layer++) {
            long requests = client.plisReceived(client.layerSsrc(layer));
            boolean key = sinceKeyframe[layer] < 0 || requests != requestsSeen[layer]
                    || captureNanos - lastKeyframeNanos[layer] >= KEYFRAME_INTERVAL_MILLIS * 1_000_000L;
            if (key) {
                requestsSeen[layer] = requests;
                lastKeyframeNanos[layer] = captureNanos;
                sinceKeyframe[layer] = 0;
                keyframes[layer].increment();
            } else {
                sinceKeyframe[layer]++;
            }
            int tid = sinceKeyframe[layer] % 2;
            if (tid == 0) {
                tl0PicIdx[layer] = (tl0PicIdx[layer] + 1) & 0xFF; // a new base-layer frame
            }
            pictureId[layer] = (pictureId[layer] + 1) & 0x7FFF;
            int ts = timestampBase[layer] + ticks;
            for (int i = 0; i < PACKETS_PER_FRAME; i++) {
                byte[] payload = SyntheticVp8.payload(PAYLOAD_LENGTHS[layer], i == 0, key, pictureId[layer],
                        tl0PicIdx[layer], tid, tid != 0, SIZES[layer][0], SIZES[layer][1], (byte) (layer + 1));
                client.sendLayerRtp(layer, seq[layer], ts, i == PACKETS_PER_FRAME - 1, payload);
                seq[layer] = (seq[layer] + 1) & 0xFFFF;
            }
        }
        frames.increment();
    }

    public long frames() {
        return frames.sum();
    }

    /** Keyframes sent on a layer so far. */
    public long keyframes(int layer) {
        return keyframes[layer].sum();
    }

    /** The layer a forwarded packet came from, by its payload length; -1 when no layer sends that length. */
    public static int layerOfPayloadLength(int length) {
        for (int i = 0; i < PAYLOAD_LENGTHS.length; i++) {
            if (PAYLOAD_LENGTHS[i] == length) {
                return i;
            }
        }
        return -1;
    }

    /** Stops the frames and waits for the thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.join(5000);
        }
    }
}
