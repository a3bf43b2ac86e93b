package dev.roomdeck.load;

import dev.roomdeck.client.ClientOffer;
import dev.roomdeck.media.RemoteParameters;
import dev.roomdeck.media.ClientTransport;
import dev.roomdeck.sdp.MediaSection;
import dev.roomdeck.sdp.SdpException;
import dev.roomdeck.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The bits of SDP handling both targets share. */
final class Sdp {
    private Sdp() {
    }

    /** The server's ICE credentials, fingerprint, setup and UDP candidates from its first m-section. */
    static RemoteParameters remoteParameters(String sdp) throws SdpException {
        SessionDescription sd = SessionDescription.parse(sdp);
        if (sd.media().isEmpty()) {
            return null;
        }
        MediaSection m = sd.media().get(0);
        String[] fp = sd.attribute(m, "fingerprint").split(" ");
        List<InetSocketAddress> candidates = new ArrayList<>();
        for (MediaSection section : sd.media()) {
            for (String c : section.attributes("candidate")) {
                String[] f = c.split(" ");
                if (f.length >= 8 && f[2].equalsIgnoreCase("udp") && f[7].equals("host") && !f[4].contains(":")) {
                    InetSocketAddress a = new InetSocketAddress(f[4], Integer.parseInt(f[5]));
                    if (!candidates.contains(a)) {
                        candidates.add(a);
                    }
                }
            }
        }
        return new RemoteParameters(sd.attribute(m, "ice-ufrag"), sd.attribute(m, "ice-pwd"), fp[0], fp[1],
                sd.attribute(m, "setup"), candidates);
    }

    static ClientOffer.Transport local(ClientTransport t) {
        return new ClientOffer.Transport(t.localUfrag(), t.localPwd(), t.certificate().fingerprint(),
                t.localCandidates());
    }

    /** The mid of the video track, which simulcast layers also say in their MID extension. */
    static final String VIDEO_MID = "1";
    /** The rids of the simulcast layers, lowest first, as Chrome names them. */
    static final List<String> RIDS = List.of("q", "h", "f");

    /**
     * The offer tracks for a publisher's sources: audio in mid 0, video in mid 1 (as the Java client does); video
     * sent as simulcast layers is one track with a rid per layer and no SSRC.
     */
    static List<ClientOffer.Track> tracks(String msid, List<Source> sources) {
        List<ClientOffer.Track> tracks = new ArrayList<>();
        for (Source s : sources) {
            if (!s.video) {
                tracks.add(new ClientOffer.Track("audio", "0", msid, msid + "-audio", s.ssrc, 0));
            }
        }
        int layers = 0;
        for (Source s : sources) {
            if (s.video && s.layer >= 0) {
                layers++;
            } else if (s.video) {
                tracks.add(new ClientOffer.Track("video", VIDEO_MID, msid, msid + "-video", s.ssrc, 0));
            }
        }
        if (layers > 0) {
            tracks.add(ClientOffer.Track.simulcastVideo(VIDEO_MID, msid, msid + "-video", RIDS.subList(0, layers)));
        }
        return tracks;
    }
}
