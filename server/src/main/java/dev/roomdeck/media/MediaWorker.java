package dev.roomdeck.media;

import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that runs the packet path (SRTP, forwarding, RTCP) for every transport of a {@link MediaEndpoint}.
 * The shared port's reader thread only hands media datagrams over, in arrival order, through a bounded ring.
 *
 * <p>Why not forward on the reader thread, with no queue at all: one UDP socket carries media, ICE checks and
 * DTLS records alike, in one kernel queue. When the reader also forwarded and the CPU was busy (eight browsers
 * on a two-core machine; on a meeting-room PC the room display and the console), it fell behind, the kernel queue
 * filled to its 2 MB and every newcomer's ICE check and DTLS record waited behind seconds of media: ICE took
 * 4–20 s for four people arriving at once, and every transport's checks were answered in the same instant once
 * the backlog drained. Reading alone costs a few microseconds, so the reader now keeps the kernel queue short;
 * ICE (ice4j) and handshakes see their datagrams at once, and media waits here, where the wait is bounded and a
 * drop is counted ({@link DropReason#OVERLOAD}).
 *
 * <p>No allocation per packet: the ring holds ice4j's pooled buffers, handed back once processed.
 */
final class MediaWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaWorker.class);

    /** Where a queued datagram goes: a {@link PeerTransport}'s receive path. */
    interface Receiver {
        /**
         * Runs on the worker's thread; the worker returns the buffer to ice4j's pool afterwards. {@code arrivalNanos}:
         * when the reader took the datagram off the socket (System.nanoTime), what transport-cc feedback reports.
         */
        void receivePushed(Buffer buffer, long arrivalNanos);
    }

    /** Datagrams that may wait: about two seconds of a twelve-person meeting's incoming media. */
    static final int CAPACITY = 2048;
    private static final int MASK = CAPACITY - 1;
    /** Taken from the ring per lock round trip: keeps the reader and the worker off each other's lock. */
    private static final int BATCH = 64;

    private final Receiver[] owners = new Receiver[CAPACITY];
    private final Buffer[] buffers = new Buffer[CAPACITY];
    private final long[] arrivals = new long[CAPACITY];
    private final PacketCounters counters;
    private final PathDelay delay = new PathDelay();
    private final Thread thread;
    /** Guarded by this. */
    private int head;
    private int size;
    private int deepest;
    private boolean closed;

    MediaWorker(String name, PacketCounters counters) {
        this.counters = counters;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a datagram for {@code owner} (reader thread; never blocks). False when the ring is full or closed:
     * the caller still owns the buffer.
     */
    boolean hand(Receiver owner, Buffer buffer) {
        return hand(owner, buffer, System.nanoTime());
    }

    /** {@link #hand(Receiver, Buffer)}, read from the socket at {@code arrivalNanos}. */
    boolean hand(Receiver owner, Buffer buffer, long arrivalNanos) {
        synchronized (this) {
            if (closed || size == CAPACITY) {
                return false;
            }
            int slot = (head + size) & MASK;
            owners[slot] = owner;
            buffers[slot] = buffer;
            arrivals[slot] = arrivalNanos;
            size++;
            if (size > deepest) {
                deepest = size;
            }
            if (size == 1) {
                notifyAll();
            }
            return true;
        }
    }

    PathDelay delay() {
        return delay;
    }

    /** The most datagrams that waited at once since the start: how far the packet path fell behind the port. */
    synchronized int deepestBacklog() {
        return deepest;
    }

    private void run() {
        Receiver[] takenOwners = new Receiver[BATCH];
        Buffer[] takenBuffers = new Buffer[BATCH];
        long[] takenArrivals = new long[BATCH];
        while (true) {
            int taken;
            synchronized (this) {
                while (size == 0 && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        closed = true;
                    }
                }
                if (size == 0) {
                    return; // closed and drained
                }
                taken = Math.min(size, BATCH);
                for (int i = 0; i < taken; i++) {
                    int slot = (head + i) & MASK;
                    takenOwners[i] = owners[slot];
                    takenBuffers[i] = buffers[slot];
                    takenArrivals[i] = arrivals[slot];
                    owners[slot] = null;
                    buffers[slot] = null;
                }
                head = (head + taken) & MASK;
                size -= taken;
            }
            for (int i = 0; i < taken; i++) {
                Buffer buffer = takenBuffers[i];
                try {
                    takenOwners[i].receivePushed(buffer, takenArrivals[i]);
                    delay.record(System.nanoTime() - takenArrivals[i]);
                } catch (RuntimeException | Error e) {
                    counters.drop(DropReason.RECEIVER_ERROR);
                    LOG.debug("packet path failed for {}", takenOwners[i], e);
                } finally {
                    BufferPool.returnBuffer.invoke(buffer);
                    takenOwners[i] = null;
                    takenBuffers[i] = null;
                }
            }
        }
    }

    /** Processes what is queued, then stops the thread. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
