package dev.roomdeck.network;

import dev.roomdeck.config.Addresses;
import dev.roomdeck.config.ServerConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when this PC's LAN addresses change while the server runs (a new DHCP lease, Wi-Fi ↔ cable), so that the
 * media port, the HTTPS certificate and the join URLs follow without restarting the meeting. It reads the addresses
 * every {@link #PERIOD} on its own daemon thread ({@value #THREAD}; enumerating the interfaces can take a while on
 * Windows, and the signalling timers should not wait for it) and reports a change once two reads in a row agree, so a
 * cable out for a moment does not cost the peers connected through it their media. The set counts, not the order.
 *
 * <p>Only detected addresses are watched ({@link #watches(ServerConfig)}): configured media addresses or a specific
 * bind address are the operator's choice and stay as they are.
 */
public final class AddressWatcher implements AutoCloseable {
    /** How often the addresses are read. */
    public static final Duration PERIOD = Duration.ofSeconds(3);
    static final String THREAD = "address-watcher";
    private static final Logger LOG = LoggerFactory.getLogger(AddressWatcher.class);

    private final Supplier<List<InetAddress>> addresses;
    private final BiConsumer<List<InetAddress>, List<InetAddress>> onChange;
    private final Duration period;
    private final ScheduledExecutorService thread;
    /** What was last reported (or what the server started with); touched only on the watcher's thread. */
    private List<InetAddress> current;
    /** A different set read once, waiting for the next read to confirm it; null when none. */
    private List<InetAddress> candidate;
    private volatile boolean closed;

    /**
     * @param initial   the addresses in use now (what the media port was opened on)
     * @param addresses reads the addresses as they are now
     * @param period    time between reads
     * @param onChange  told (before, after) on the watcher's thread when the set changed; should not throw
     */
    public AddressWatcher(List<InetAddress> initial, Supplier<List<InetAddress>> addresses, Duration period,
                          BiConsumer<List<InetAddress>, List<InetAddress>> onChange) {
        this.current = List.copyOf(initial);
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.period = Objects.requireNonNull(period, "period");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD);
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether this configuration's media addresses are detected (none configured, bound to every interface). */
    public static boolean watches(ServerConfig config) {
        return config.mediaAddresses().isEmpty() && Addresses.parse("bind", config.bind()).isAnyLocalAddress();
    }

    /**
     * A watcher of {@link Addresses#mediaAddresses(ServerConfig)} every {@link #PERIOD}, or null when this
     * configuration's addresses are not detected (see {@link #watches(ServerConfig)}). Not started yet.
     */
    public static AddressWatcher forConfig(ServerConfig config, List<InetAddress> initial,
                                           BiConsumer<List<InetAddress>, List<InetAddress>> onChange) {
        if (!watches(config)) {
            return null;
        }
        return new AddressWatcher(initial, () -> Addresses.mediaAddresses(config), PERIOD, onChange);
    }

    /** Starts reading, the first time one period from now. */
    public void start() {
        long millis = Math.max(1, period.toMillis());
        thread.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One read: compares, and reports a change seen twice in a row. Never throws (that would end the schedule). */
    void check() {
        if (closed) {
            return;
        }
        try {
            List<InetAddress> now = List.copyOf(addresses.get());
            if (sameSet(now, current)) {
                candidate = null;
                return;
            }
            if (candidate == null || !sameSet(now, candidate)) {
                candidate = now;
                return;
            }
            List<InetAddress> before = current;
            current = now;
            candidate = null;
            if (!closed) {
                onChange.accept(before, now);
            }
        } catch (RuntimeException e) {
            LOG.warn("following this PC's addresses failed", e);
        }
    }

    private static boolean sameSet(List<InetAddress> a, List<InetAddress> b) {
        return new LinkedHashSet<>(a).equals(new LinkedHashSet<>(b));
    }

    /** Stops reading; a change being handled right now finishes first (waits at most a few seconds). */
    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
