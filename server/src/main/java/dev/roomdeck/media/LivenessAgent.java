package dev.roomdeck.media;

import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;

/**
 * An ice4j Agent that reports every authenticated incoming connectivity check. After ICE completes the browser
 * keeps sending consent checks (RFC 7675) that ice4j answers internally; this is our only view of them.
 */
final class LivenessAgent extends Agent {
    private final Runnable onCheck;

    LivenessAgent(Runnable onCheck) {
        this.onCheck = onCheck;
    }

    @Override
    protected boolean incomingCheckReceived(TransportAddress remoteAddress, TransportAddress localAddress,
                                            long priority, String remoteUFrag, String localUFrag,
                                            boolean useCandidate) {
        onCheck.run();
        return super.incomingCheckReceived(remoteAddress, localAddress, priority, remoteUFrag, localUFrag, useCandidate);
    }
}
