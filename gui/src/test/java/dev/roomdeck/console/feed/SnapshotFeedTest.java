package dev.roomdeck.console.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.TestServer;
import dev.roomdeck.admin.ServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The feed over a real server, with a stand-in for the FX thread that runs nothing until told: however long
 * the FX thread is busy, one batch waits for it, holding the newest snapshot and every event.
 */
class SnapshotFeedTest {
    @Test
    void aBusyFxThreadGetsOneMergedBatchNotAQueue() throws Exception {
        try (TestServer live = TestServer.start().sdkClients()) {
            ConcurrentLinkedQueue<Runnable> fxQueue = new ConcurrentLinkedQueue<>();
            List<Update> delivered = new ArrayList<>();
            try (SnapshotFeed feed = new SnapshotFeed(live.server().admin(), fxQueue::add, delivered::add)) {
                feed.start(Duration.ofMillis(50));
                live.joinWatching("r1", "alice");
                live.joinWatching("r1", "bob");
                Thread.sleep(400); // eight ticks and two joins' worth of events

                assertThat(fxQueue).hasSize(1);
                fxQueue.poll().run();

                assertThat(delivered).hasSize(1);
                Update u = delivered.get(0);
                assertThat(u.snapshot().peerCount()).isEqualTo(2);
                assertThat(u.events()).filteredOn(e -> e instanceof ServerEvent.PeerJoined)
                        .extracting(e -> ((ServerEvent.PeerJoined) e).peerId()).containsExactly("alice", "bob");
                assertThat(u.load().heapUsedBytes()).isPositive();
            }
        }
    }

    @Test
    void anEventBringsAFreshSnapshotWellBeforeTheNextTick() throws Exception {
        try (TestServer live = TestServer.start().sdkClients()) {
            ConcurrentLinkedQueue<Runnable> fxQueue = new ConcurrentLinkedQueue<>();
            List<Update> delivered = new ArrayList<>();
            try (SnapshotFeed feed = new SnapshotFeed(live.server().admin(), fxQueue::add, delivered::add)) {
                feed.start(Duration.ofSeconds(30));
                Thread.sleep(100);
                fxQueue.poll().run(); // the first tick
                long t0 = System.nanoTime();
                live.joinWatching("r1", "alice");
                while (fxQueue.isEmpty() && System.nanoTime() - t0 < 2_000_000_000L) {
                    Thread.sleep(5);
                }
                assertThat(fxQueue).isNotEmpty();
                fxQueue.poll().run();
                assertThat(delivered.get(delivered.size() - 1).snapshot().peerCount()).isEqualTo(1);
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
            }
        }
    }

    @Test
    void closingStopsListeningToTheServer() throws Exception {
        try (TestServer live = TestServer.start().sdkClients()) {
            ConcurrentLinkedQueue<Runnable> fxQueue = new ConcurrentLinkedQueue<>();
            SnapshotFeed feed = new SnapshotFeed(live.server().admin(), fxQueue::add, u -> { });
            feed.start(Duration.ofSeconds(30));
            Thread.sleep(100);
            feed.close();
            fxQueue.clear();

            live.joinWatching("r1", "alice");
            Thread.sleep(200);

            assertThat(fxQueue).isEmpty();
        }
    }
}
