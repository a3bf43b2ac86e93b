package dev.roomdeck.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.config.ServerConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The address watcher with made-up addresses: what it reports, when, and when it is not there at all. */
class AddressWatcherTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress WIFI = ip("192.168.1.20");
    private static final InetAddress CABLE = ip("10.0.0.7");

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private record Change(List<InetAddress> before, List<InetAddress> after) {
    }

    private final AtomicReference<List<InetAddress>> now = new AtomicReference<>(List.of(WIFI));
    private final List<Change> changes = new CopyOnWriteArrayList<>();

    private AddressWatcher watcher(Duration period) {
        return new AddressWatcher(List.of(WIFI), now::get, period, (b, a) -> changes.add(new Change(b, a)));
    }

    @Test
    void aChangeIsReportedOnceTheNextReadConfirmsItWithTheAddressesBeforeAndAfter() {
        try (AddressWatcher w = watcher(Duration.ofHours(1))) {
            w.check();
            assertThat(changes).isEmpty();

            now.set(List.of(WIFI, CABLE)); // cable plugged in: both for a moment
            w.check();
            assertThat(changes).as("seen once: not yet").isEmpty();
            w.check();
            assertThat(changes).containsExactly(new Change(List.of(WIFI), List.of(WIFI, CABLE)));

            now.set(List.of(CABLE)); // Wi-Fi off
            w.check();
            w.check();
            w.check();
            assertThat(changes).hasSize(2).last().isEqualTo(new Change(List.of(WIFI, CABLE), List.of(CABLE)));
        }
    }

    @Test
    void anAddressGoneForASingleReadIsNoChange() {
        try (AddressWatcher w = watcher(Duration.ofHours(1))) {
            now.set(List.of(LOOPBACK)); // cable out for a moment
            w.check();
            now.set(List.of(WIFI));
            w.check();
            w.check();
            assertThat(changes).isEmpty();

            // Two different reads in a row are no confirmation either: the second must repeat the first.
            now.set(List.of(LOOPBACK));
            w.check();
            now.set(List.of(CABLE));
            w.check();
            assertThat(changes).isEmpty();
            w.check();
            assertThat(changes).containsExactly(new Change(List.of(WIFI), List.of(CABLE)));
        }
    }

    @Test
    void theOrderOfTheAddressesIsNoChange() {
        try (AddressWatcher w = new AddressWatcher(List.of(WIFI, CABLE), now::get, Duration.ofHours(1),
                (b, a) -> changes.add(new Change(b, a)))) {
            now.set(List.of(CABLE, WIFI));
            w.check();
            w.check();
            assertThat(changes).isEmpty();
        }
    }

    @Test
    void aFailingReadOrListenerDoesNotStopTheWatching() throws Exception {
        List<String> seen = new ArrayList<>();
        boolean[] failRead = {true};
        try (AddressWatcher w = new AddressWatcher(List.of(WIFI), () -> {
            if (failRead[0]) {
                throw new IllegalStateException("no interfaces today");
            }
            return now.get();
        }, Duration.ofHours(1), (b, a) -> {
            seen.add(a.toString());
            throw new IllegalStateException("listener broke");
        })) {
            w.check();
            failRead[0] = false;
            now.set(List.of(CABLE));
            w.check();
            w.check();
            assertThat(seen).hasSize(1);
            now.set(List.of(WIFI));
            w.check();
            w.check();
            assertThat(seen).hasSize(2);
        }
    }

    @Test
    void startedItReadsEveryPeriodOnItsOwnThreadAndStopsWhenClosed() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        AddressWatcher w = new AddressWatcher(List.of(WIFI), now::get, Duration.ofMillis(20), (b, a) -> {
            threads.add(Thread.currentThread().getName());
            changes.add(new Change(b, a));
        });
        try {
            w.start();
            now.set(List.of(CABLE));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (changes.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(changes).containsExactly(new Change(List.of(WIFI), List.of(CABLE)));
            assertThat(threads).containsExactly(AddressWatcher.THREAD);
        } finally {
            w.close();
        }
        now.set(List.of(WIFI));
        Thread.sleep(100); // five periods: a running watcher would have reported by now
        assertThat(changes).hasSize(1);
    }

    @Test
    void onlyDetectedAddressesAreWatched() {
        ServerConfig detected = ServerConfig.defaults().withBind("0.0.0.0");
        assertThat(AddressWatcher.watches(detected)).isTrue();
        assertThat(AddressWatcher.watches(detected.withBind("::"))).isTrue();
        assertThat(AddressWatcher.watches(detected.withBind("127.0.0.1"))).as("a specific bind address").isFalse();
        assertThat(AddressWatcher.forConfig(detected.withBind("192.168.1.20"), List.of(WIFI), (b, a) -> { }))
                .isNull();
        assertThat(AddressWatcher.watches(detected.withAddresses(List.of("192.168.1.20"), null)))
                .as("configured media addresses").isFalse();
    }
}
