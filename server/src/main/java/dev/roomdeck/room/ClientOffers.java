package dev.roomdeck.room;

import dev.roomdeck.sdp.MediaSection;
import dev.roomdeck.sdp.PeerNegotiator;
import dev.roomdeck.sdp.SdpException;
import dev.roomdeck.sdp.SessionDescription;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the room reads from a client's offer before negotiating it: its SDP flavour and its mids. */
final class ClientOffers {
    private ClientOffers() {
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

    /** Whether the offer has a section for every one of these mids. */
    static boolean containsMids(String sdp, List<String> mids) {
        if (mids.isEmpty()) {
            return false;
        }
        try {
            Set<String> offered = new HashSet<>();
            for (MediaSection m : SessionDescription.parse(sdp).media()) {
                offered.add(m.mid());
            }
            return offered.containsAll(mids);
        } catch (SdpException e) {
            return false;
        }
    }
}
