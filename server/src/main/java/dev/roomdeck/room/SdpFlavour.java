package dev.roomdeck.room;

import dev.roomdeck.sdp.PeerNegotiator;
import dev.roomdeck.sdp.SdpException;
import dev.roomdeck.sdp.SessionDescription;

/** What the room reads from a client's offer before negotiating it: its SDP flavour. */
final class SdpFlavour {
    private SdpFlavour() {
    }

    /**
     * The SDP decides the flavour when it shows one: some RTCEngine SDKs sent {@code planb: true} from browsers
     * that produce unified-plan SDP. An offer without media sections says nothing, so the flag stands.
     */
    static boolean planB(String sdp, boolean flag) {
        try {
            SessionDescription sd = SessionDescription.parse(sdp);
            if (sd.media().isEmpty()) {
                return flag;
            }
            return PeerNegotiator.looksPlanB(sd);
        } catch (SdpException e) {
            return flag; // the negotiator reports the parse error with its own message
        }
    }
}
