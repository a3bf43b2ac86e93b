package dev.roomdeck.forward;

import dev.roomdeck.config.ServerConfig;

/**
 * {@link SimulcastForwardingTest} with the fan-out on three shard threads: the layer switches, the rewritten
 * numbering and the repairs of a rewritten stream live on the subscriber's shard, and the decoder's view of the
 * stream must be the same.
 */
class ShardedSimulcastForwardingTest extends SimulcastForwardingTest {
    @Override
    ServerConfig configure(ServerConfig c) {
        return super.configure(c).withForwardingThreads(3);
    }
}
