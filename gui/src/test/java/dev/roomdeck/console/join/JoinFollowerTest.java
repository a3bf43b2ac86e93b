package dev.roomdeck.console.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.tls.CertificateInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The join help follows this PC's address: a change of the snapshots' media addresses rebuilds it on a background
 * thread, and the FX thread (here: a queue the test drains, as the FX thread would) shows it when it differs.
 */
class JoinFollowerTest {
    private static final CertificateInfo CERT = new CertificateInfo("AB:CD", List.of("localhost"), "CN=room",
            "EC P-256", Instant.EPOCH, Instant.EPOCH, true, null);
    private static final JoinInfo AT_20 = info("192.168.1.20");
    private static final JoinInfo AT_31 = info("192.168.1.31");

    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> new Thread(r, "join-builder"));
    private final LinkedBlockingQueue<Runnable> fxQueue = new LinkedBlockingQueue<>();
    private final List<JoinInfo> shown = new ArrayList<>();
    private final AtomicInteger builds = new AtomicInteger();
    private final AtomicReference<String> builtOn = new AtomicReference<>();
    private volatile JoinInfo current = AT_20;

    @AfterEach
    void stop() {
        background.shutdownNow();
    }

    private JoinFollower follower() {
        return new JoinFollower(background, fxQueue::add, () -> {
            builds.incrementAndGet();
            builtOn.set(Thread.currentThread().getName());
            return current;
        }, AT_20, shown::add);
    }

    @Test
    void aChangedAddressRebuildsOffTheFxThreadAndShowsTheNewUrls() throws Exception {
        JoinFollower f = follower();
        f.addresses(List.of("192.168.1.20")); // the first snapshot: what the shown help was built with
        f.addresses(List.of("192.168.1.20"));
        assertThat(builds).hasValue(0);

        current = AT_31; // the PC moved to another network
        f.addresses(List.of("192.168.1.31"));
        runFxTask();

        assertThat(builtOn).hasValue("join-builder");
        assertThat(shown).containsExactly(AT_31);
        assertThat(shown.get(0).shareUrl()).isEqualTo("https://192.168.1.31:7443/");
    }

    @Test
    void aRebuildThatComesOutTheSameShowsNothing() throws Exception {
        JoinFollower f = follower();
        f.addresses(List.of("192.168.1.20"));
        f.addresses(List.of("192.168.1.20", "10.8.0.2")); // a VPN address for media only: the join URLs stay
        runFxTask();

        assertThat(builds).hasValue(1);
        assertThat(shown).isEmpty();
    }

    @Test
    void aRebuildOverTakenByAnotherServerIsDropped() throws Exception {
        JoinFollower f = follower();
        f.addresses(List.of("192.168.1.20"));
        current = AT_31;
        f.addresses(List.of("192.168.1.31"));
        JoinInfo restarted = info("192.168.1.40");
        f.use(() -> restarted, restarted); // new settings restarted the server before the rebuild was shown
        runFxTask();

        assertThat(shown).isEmpty();
        f.addresses(List.of("192.168.1.40")); // the new server's first snapshot: no rebuild
        assertThat(fxQueue.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(builds).hasValue(1);
    }

    private void runFxTask() throws InterruptedException {
        Runnable task = fxQueue.poll(5, TimeUnit.SECONDS);
        assertThat(task).as("a task for the FX thread").isNotNull();
        task.run();
    }

    private static JoinInfo info(String address) {
        return new JoinInfo(List.of("https://" + address + ":7443/"), "http://localhost:7080/", CERT,
                "http://" + address + ":7080/trust");
    }
}
