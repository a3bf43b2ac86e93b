package dev.roomdeck.media;

import java.io.IOException;

/**
 * Media to a peer connected over ICE-TCP leaves through this queue and its own thread. A TCP write blocks while the
 * peer's receive window is full (a slow link, a browser busy elsewhere), and the packet path is one thread for
 * every peer: one stalled TCP peer must not stall the meeting. When the queue is full the newest packet is dropped
 * and counted ({@link DropReason#SEND_BACKLOG}); NACK and keyframe requests repair it as they repair UDP loss.
 *
 * <p>The slots are allocated once; offering copies the protected packet in.
 */
final class TcpSendQueue implements AutoCloseable {
    /** About half a second of a subscriber receiving seven video streams. */
    static final int CAPACITY = 512;
    private static final int SLOT_BYTES = 2048;

    private final SecureChannel.Sink connection;
    private final PacketCounters counters;
    private final byte[][] slots = new byte[CAPACITY][];
    private final int[] lengths = new int[CAPACITY];
    private final Thread thread;
    /** Guarded by this. */
    private int head;
    private int size;
    private boolean closed;

    /** @param connection writes one datagram to the peer's TCP connection (ice4j adds the RFC 4571 framing) */
    TcpSendQueue(String name, SecureChannel.Sink connection, PacketCounters counters) {
        this.connection = connection;
        this.counters = counters;
        for (int i = 0; i < CAPACITY; i++) {
            slots[i] = new byte[SLOT_BYTES];
        }
        thread = new Thread(this::run, "tcp-send-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a copy of the packet; false (and counted) when the queue is full, too large or closed. */
    boolean offer(byte[] buf, int off, int len) {
        synchronized (this) {
            if (closed || size == CAPACITY || len > SLOT_BYTES) {
                counters.drop(len > SLOT_BYTES ? DropReason.TOO_LARGE : DropReason.SEND_BACKLOG);
                return false;
            }
            int slot = (head + size) % CAPACITY;
            System.arraycopy(buf, off, slots[slot], 0, len);
            lengths[slot] = len;
            size++;
            if (size == 1) {
                notifyAll();
            }
            return true;
        }
    }

    /** Packets waiting now. */
    synchronized int backlog() {
        return size;
    }

    private void run() {
        byte[] out = new byte[SLOT_BYTES];
        while (true) {
            int len;
            synchronized (this) {
                while (size == 0 && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                // Copied out so that the reader and the packet path never wait on each other for a whole write.
                System.arraycopy(slots[head], 0, out, 0, lengths[head]);
                len = lengths[head];
                head = (head + 1) % CAPACITY;
                size--;
            }
            try {
                connection.send(out, 0, len);
            } catch (IOException e) {
                counters.drop(DropReason.SEND_FAILED);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
    }
}
