package dev.roomdeck.console;

import dev.roomdeck.client.MediaClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends synthetic RTP from {@link MediaClient}s at fixed bitrates, every flow on one thread. A flow is due
 * 1 + floor(elapsed × rate / packet size) packets at any instant, so a thread the machine held up for a moment
 * catches up and the rate over a second stays the nominal one. Like a real pacer it does not make up for longer
 * stalls: a backlog beyond {@value #MAX_BACKLOG_MILLIS} ms is forgotten, since a burst of seconds of media would
 * only overflow socket buffers. Rates count RTP bytes, the 12-byte header plus payload: what the server's bitrate
 * meters count (SRTP's tag is not media).
 */
public final class PacedSender implements AutoCloseable {
    static final long MAX_BACKLOG_MILLIS = 200;

    /** One kind of one client at one rate. */
    public static final class Flow {
        final MediaClient client;
        final String kind;
        final byte[] payload;
        final long startNanos = System.nanoTime();
        /** The pacing's origin: the rate applies from here, to packets counted from baseSent on. */
        private volatile long baseNanos = startNanos;
        private volatile long baseSent;
        private volatile long bitsPerSecond;
        final int clockRate;
        final AtomicLong sent = new AtomicLong();
        int seq = ThreadLocalRandom.current().nextInt(0, 30000);

        Flow(MediaClient client, String kind, long bitsPerSecond, int payloadBytes) {
            this.client = client;
            this.kind = kind;
            this.bitsPerSecond = bitsPerSecond;
            this.payload = new byte[payloadBytes];
            ThreadLocalRandom.current().nextBytes(payload);
            this.clockRate = kind.equals("audio") ? 48_000 : 90_000;
        }

        long packetBits() {
            return 8L * (12 + payload.length);
        }

        /** Packets sent so far. */
        public long packets() {
            return sent.get();
        }

        /** Changes the rate from now on (the demo's streams vary, as cameras do when the picture moves). */
        public synchronized void rate(long newBitsPerSecond) {
            baseSent = sent.get();
            baseNanos = System.nanoTime();
            bitsPerSecond = newBitsPerSecond;
        }

        synchronized void sendDue(long now) {
            long due = baseSent + 1 + (long) ((now - baseNanos) / 1e9 * bitsPerSecond / packetBits());
            long backlog = Math.max(1, MAX_BACKLOG_MILLIS * bitsPerSecond / 1000 / packetBits());
            if (due - sent.get() > backlog) {
                baseSent = sent.get() + backlog - 1;
                baseNanos = now;
                due = baseSent + 1;
            }
            while (sent.get() < due) {
                int ts = (int) ((now - startNanos) / 1e9 * clockRate);
                // Video: a frame every ~33 ms is a few packets; the marker ends one now and then (nothing here decodes).
                client.sendRtp(kind, seq++ & 0xFFFF, ts, kind.equals("video") && seq % 4 == 0, payload);
                sent.incrementAndGet();
            }
        }
    }

    private final List<Flow> flows = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public PacedSender() {
        thread = new Thread(this::run, "paced-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts sending a kind ("audio", "video") of this client's stream at a bitrate, in packets of this payload size. */
    public Flow send(MediaClient client, String kind, long bitsPerSecond, int payloadBytes) {
        Flow f = new Flow(client, kind, bitsPerSecond, payloadBytes);
        flows.add(f);
        return f;
    }

    public void stop(Flow f) {
        flows.remove(f);
    }

    private void run() {
        while (running) {
            long now = System.nanoTime();
            for (Flow f : flows) {
                try {
                    f.sendDue(now);
                } catch (RuntimeException e) {
                    flows.remove(f); // its client closed: the others go on
                }
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
    }
}
