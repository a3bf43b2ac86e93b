package dev.roomdeck.forward;

import dev.roomdeck.media.DropReason;
import dev.roomdeck.media.PacketCounters;
import dev.roomdeck.rtp.RtpPacket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a packet's copies for its subscribers are made and sent (per subscriber: rewrite, SRTP protect, sendto):
 * about 90 % of the packet path's CPU, spread here over shards when the machine has cores to spare.
 *
 * <p>Every subscriber belongs to one shard. With one shard (the default up to three cores) the fan-out runs
 * inline on the media worker, exactly as a plain loop: no ring, no copy. With more, each shard is a thread with
 * its own single-producer ring: the media worker copies a packet once into the ring of each shard that has a
 * subscriber of it, and the shard sends that packet to its subscribers. A subscriber's feedback (NACK, PLI/FIR,
 * receiver reports, REMB) goes through its shard's ring too, so everything that touches its consumers' packet-path
 * state (the forwarded numbering, {@link SentPackets}, its repair budget) runs on one thread, in the order it
 * arrived, without a lock. What crosses threads was already shared with the timer and is made for it: the
 * retransmission cache (one monitor per cache), keyframe requesters, link estimates, meters with one writer.
 *
 * <p>A full ring drops the packet for that shard's subscribers and counts it ({@link DropReason#FANOUT_BACKLOG}):
 * the media worker never waits on a shard.
 */
final class FanOut implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    /** Shards beyond this gain nothing a meeting-room PC could measure; it also bounds the shard mask. */
    static final int MAX_SHARDS = 32;
    static final int RING_SLOTS = 1024;
    private static final int SLOT_BYTES = 1600;

    /**
     * The shard count for {@code cores} when the operator did not set one: half the cores, since the media worker,
     * ice4j's reader, the timer and the kernel's own UDP work need the rest; so 1 (inline) on two or three cores.
     */
    static int defaultShards(int cores) {
        return Math.max(1, Math.min(MAX_SHARDS, cores / 2));
    }

    private final Shard[] shards;
    /** Subscribers per shard, to place a new one on the least used (guarded by this). */
    private final int[] members;

    /** @param shards 1 = inline on the calling thread; more = that many threads named {@code fan-out-<n>} */
    FanOut(int shards, PacketCounters counters) {
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("shards must be 1.." + MAX_SHARDS + ": " + shards);
        }
        this.shards = new Shard[shards];
        this.members = new int[shards];
        for (int i = 0; i < shards; i++) {
            this.shards[i] = new Shard(i, shards > 1, counters);
        }
    }

    /** A shard for a new peer: the one with the fewest peers. Give it back with {@link #release}. */
    synchronized int assign() {
        int best = 0;
        for (int i = 1; i < members.length; i++) {
            if (members[i] < members[best]) {
                best = i;
            }
        }
        members[best]++;
        return best;
    }

    synchronized void release(int shard) {
        members[shard]--;
    }

    /**
     * Sends {@code packet} of {@code stream} to every consumer of its track (media worker). {@code keyframe}: it
     * begins a keyframe (looked up once for all).
     */
    void forward(IncomingStream stream, RtpPacket packet, boolean keyframe, long now) {
        Consumer[] consumers = stream.producer.consumers;
        if (shards.length == 1) {
            shards[0].forwardInline(consumers, stream, packet, keyframe, now);
            return;
        }
        long mask = 0;
        for (Consumer c : consumers) {
            mask |= 1L << c.subscriber.shard;
        }
        while (mask != 0) {
            int i = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            if (!shards[i].offer(Shard.RTP, stream, null, keyframe, packet.buffer(), packet.offset(), packet.length())) {
                stream.producer.counters.drop(DropReason.FANOUT_BACKLOG);
            }
        }
    }

    /** Handles {@code from}'s feedback as a subscriber (RTCP without its sender reports) on its shard. */
    void feedback(PeerForwarder from, byte[] buf, int off, int len, long now) {
        Shard shard = shards[from.shard];
        if (shards.length == 1) {
            shard.feedbackInline(from, buf, off, len, now);
        } else if (!shard.offer(Shard.FEEDBACK, null, from, false, buf, off, len)) {
            from.counters.drop(DropReason.FANOUT_BACKLOG);
        }
    }

    /** Stops the shard threads after what is queued. */
    @Override
    public void close() {
        for (Shard s : shards) {
            s.close();
        }
    }

    /** One shard: its scratch space and, when it has a thread, its ring. */
    private static final class Shard {
        static final byte RTP = 1;
        static final byte FEEDBACK = 2;
        private static final VarHandle TAIL;
        private static final VarHandle HEAD;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                TAIL = l.findVarHandle(Shard.class, "tail", long.class);
                HEAD = l.findVarHandle(Shard.class, "head", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final int index;
        private final PacketCounters counters;
        // Owned by whichever thread forwards for this shard.
        private final byte[] scratch = new byte[SLOT_BYTES];
        private final RtpPacket scratchView = new RtpPacket();
        private final RtpPacket view = new RtpPacket();

        // The ring (threaded shards only): written by the media worker at tail, read by the shard at head.
        private final byte[] kinds;
        private final IncomingStream[] streams;
        private final PeerForwarder[] peers;
        private final boolean[] keyframes;
        private final int[] lengths;
        private final byte[] data;
        @SuppressWarnings("unused") // through TAIL
        private volatile long tail;
        @SuppressWarnings("unused") // through HEAD
        private volatile long head;
        /** The shard thread is parked, or about to be: the producer must unpark it. */
        private volatile boolean idle;
        private volatile boolean closed;
        private final Thread thread;

        Shard(int index, boolean threaded, PacketCounters counters) {
            this.index = index;
            this.counters = counters;
            int slots = threaded ? RING_SLOTS : 0;
            kinds = new byte[slots];
            streams = new IncomingStream[slots];
            peers = new PeerForwarder[slots];
            keyframes = new boolean[slots];
            lengths = new int[slots];
            data = new byte[slots * SLOT_BYTES];
            if (threaded) {
                thread = new Thread(this::run, "fan-out-" + index);
                thread.setDaemon(true);
                thread.start();
            } else {
                thread = null;
            }
        }

        void forwardInline(Consumer[] consumers, IncomingStream stream, RtpPacket packet, boolean keyframe, long now) {
            for (Consumer c : consumers) {
                c.forward(stream, packet, keyframe, scratch, scratchView, now);
            }
        }

        void feedbackInline(PeerForwarder from, byte[] buf, int off, int len, long now) {
            from.onFeedback(buf, off, len, scratch, scratchView, now);
        }

        /** Queues a copy (media worker only). False when the ring is full, the packet too large or the shard closed. */
        boolean offer(byte kind, IncomingStream stream, PeerForwarder peer, boolean keyframe,
                      byte[] buf, int off, int len) {
            long t = (long) TAIL.getOpaque(this);
            if (closed || len > SLOT_BYTES || t - (long) HEAD.getAcquire(this) >= RING_SLOTS) {
                return false;
            }
            int slot = (int) (t & (RING_SLOTS - 1));
            kinds[slot] = kind;
            streams[slot] = stream;
            peers[slot] = peer;
            keyframes[slot] = keyframe;
            lengths[slot] = len;
            System.arraycopy(buf, off, data, slot * SLOT_BYTES, len);
            tail = t + 1; // volatile: publishes the slot, and orders the read of idle after it
            if (idle) {
                idle = false;
                LockSupport.unpark(thread);
            }
            return true;
        }

        private void run() {
            long h = 0;
            while (true) {
                long t = tail;
                if (h == t) {
                    if (closed) {
                        return;
                    }
                    idle = true; // volatile, then tail re-read: a packet published meanwhile is seen or unparks us
                    if (tail == h && !closed) {
                        LockSupport.park(this);
                    }
                    idle = false;
                    continue;
                }
                for (; h < t; h++) {
                    int slot = (int) (h & (RING_SLOTS - 1));
                    try {
                        process(slot);
                    } catch (RuntimeException | Error e) {
                        counters.drop(DropReason.RECEIVER_ERROR);
                        LOG.debug("fan-out failed", e);
                    }
                    streams[slot] = null;
                    peers[slot] = null;
                    HEAD.setRelease(this, h + 1);
                }
            }
        }

        private void process(int slot) {
            int at = slot * SLOT_BYTES;
            long now = System.nanoTime();
            if (kinds[slot] == FEEDBACK) {
                peers[slot].onFeedback(data, at, lengths[slot], scratch, scratchView, now);
                return;
            }
            IncomingStream stream = streams[slot];
            if (!view.wrap(data, at, lengths[slot])) {
                return;
            }
            boolean keyframe = keyframes[slot];
            for (Consumer c : stream.producer.consumers) {
                if (c.subscriber.shard == index) {
                    c.forward(stream, view, keyframe, scratch, scratchView, now);
                }
            }
        }

        void close() {
            if (thread == null) {
                return;
            }
            closed = true;
            LockSupport.unpark(thread);
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
