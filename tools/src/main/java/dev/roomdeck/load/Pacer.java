package dev.roomdeck.load;

import dev.roomdeck.media.ClientTransport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The one sender thread: every source has a nanoTime schedule (its period, phases spread evenly so that packets
 * do not bunch); the thread sleeps until the earliest is due and sends it. A source that falls more than a
 * second behind skips ahead rather than bursting.
 */
final class Pacer implements AutoCloseable {
    private static final long EARLY_NANOS = 30_000;
    private static final long MAX_LAG_NANOS = 1_000_000_000L;

    private final LoadCounters tally;
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    volatile long skipped;
    /** How late packets went out, worst in the last interval (ns); reset by the reader. */
    volatile long worstLateNanos;

    Pacer(LoadCounters tally) {
        this.tally = tally;
        this.thread = new Thread(this::run, "load-sender");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    /** Starts sending this source, its first packet at a random phase within one period. */
    void add(Source s, ClientTransport transport) {
        long now = System.nanoTime();
        s.attach(transport, now, now + (long) (Math.random() * s.periodNanos));
        sources.add(s);
        LockSupport.unpark(thread);
    }

    private void run() {
        Source[] snapshot = new Source[0];
        int seen = -1;
        while (running) {
            if (sources.size() != seen) {
                snapshot = sources.toArray(new Source[0]);
                seen = snapshot.length;
            }
            Source next = null;
            for (Source s : snapshot) {
                if (next == null || s.nextDue < next.nextDue) {
                    next = s;
                }
            }
            if (next == null) {
                LockSupport.parkNanos(10_000_000L);
                continue;
            }
            long now = System.nanoTime();
            long wait = next.nextDue - now;
            if (wait > EARLY_NANOS) {
                LockSupport.parkNanos(wait - EARLY_NANOS / 2);
                continue;
            }
            if (-wait > MAX_LAG_NANOS) {
                long behind = -wait / next.periodNanos;
                next.nextDue += behind * next.periodNanos;
                skipped += behind;
            }
            if (-wait > worstLateNanos) {
                worstLateNanos = -wait;
            }
            int window = tally.stampWindow;
            next.send(window);
            tally.sentTotal.increment();
            if (window != 0) {
                tally.sentInWindow.incrementAndGet(next.stream);
            }
            next.nextDue += next.periodNanos;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(2000);
    }
}
