package dev.roomdeck.console.feed;

import dev.roomdeck.admin.AdminApi;
import dev.roomdeck.admin.PacketsSnapshot;
import dev.roomdeck.admin.ServerEvent;
import dev.roomdeck.admin.ServerSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the console from the server without ever making the FX thread wait: a background thread takes a
 * snapshot at a steady rate (and soon after any room event), and hands batches to the FX thread. If the FX
 * thread has not yet taken the previous batch, the new one is merged into it, so a slow frame never builds a
 * queue of stale snapshots.
 */
public final class SnapshotFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFeed.class);
    /** Events come in bursts (a join is several); one snapshot a little later covers the whole burst. */
    private static final long EVENT_COALESCE_MILLIS = 40;

    private volatile AdminApi admin;
    private final ProcessMeter meter = new ProcessMeter();
    private final Executor fxThread;
    private final Consumer<Update> sink;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-feed");
        t.setDaemon(true);
        return t;
    });
    private final Queue<ServerEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final Consumer<ServerEvent> listener = this::onEvent;
    private final Object lock = new Object();
    private Update pending; // guarded by lock

    /**
     * @param fxThread runs a task on the FX thread (Platform::runLater)
     * @param sink     takes each batch, on the FX thread
     */
    public SnapshotFeed(AdminApi admin, Executor fxThread, Consumer<Update> sink) {
        this.admin = admin;
        this.fxThread = fxThread;
        this.sink = sink;
    }

    public void start(Duration every) {
        admin.addListener(listener);
        thread.scheduleAtFixedRate(this::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Follows another server (the one new settings started): its events from now on, and a snapshot soon. The
     * former server is gone, so its listener is dropped; nothing else of the feed changes.
     */
    public synchronized void use(AdminApi next) {
        admin.removeListener(listener);
        admin = next;
        next.addListener(listener);
        refreshSoon();
    }

    /** Takes a fresh snapshot soon (after a command, say), without waiting for the next tick. */
    public void refreshSoon() {
        if (refreshQueued.compareAndSet(false, true)) {
            try {
                thread.schedule(this::poll, EVENT_COALESCE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                refreshQueued.set(false);
            }
        }
    }

    private void onEvent(ServerEvent e) {
        // Called on server threads: only queue and return.
        events.add(e);
        refreshSoon();
    }

    private void poll() {
        refreshQueued.set(false);
        List<ServerEvent> batch = new ArrayList<>();
        for (ServerEvent e; (e = events.poll()) != null; ) {
            batch.add(e);
        }
        ServerSnapshot snapshot = null;
        PacketsSnapshot media = null;
        AdminApi from = admin; // both from the same server, also during a restart
        try {
            snapshot = from.snapshot();
            media = from.mediaCounters();
        } catch (RuntimeException e) {
            // A failed snapshot must not stop the feed; the events still go out and the next tick tries again.
            LOG.warn("snapshot failed", e);
        }
        publish(new Update(snapshot, media, meter.sample(), batch));
    }

    private void publish(Update u) {
        boolean schedule;
        synchronized (lock) {
            schedule = pending == null;
            pending = pending == null ? u : pending.followedBy(u);
        }
        if (schedule) {
            fxThread.execute(this::deliver);
        }
    }

    private void deliver() {
        Update u;
        synchronized (lock) {
            u = pending;
            pending = null;
        }
        if (u != null) {
            sink.accept(u);
        }
    }

    @Override
    public synchronized void close() {
        admin.removeListener(listener);
        thread.shutdownNow();
    }
}
