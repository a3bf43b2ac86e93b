package dev.roomdeck.client;

import dev.roomdeck.sdp.Direction;
import dev.roomdeck.sdp.MediaSection;
import dev.roomdeck.sdp.SdpException;
import dev.roomdeck.sdp.SdpLine;
import dev.roomdeck.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the Java client's answer to a server offer, as a browser would: every m-section mirrored with the same
 * mid, the offered codecs and extensions accepted, the direction reversed, the client's own sending tracks kept
 * in the sections that carry them, DTLS role active.
 */
public final class ClientAnswer {
    private ClientAnswer() {
    }

    public static String write(String offerSdp, ClientOffer.Transport transport, List<ClientOffer.Track> ownTracks,
                               String cname) throws SdpException {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        StringBuilder b = new StringBuilder();
        line(b, "v=0");
        line(b, "o=- 1 2 IN IP4 127.0.0.1");
        line(b, "s=-");
        line(b, "t=0 0");
        List<String> mids = new ArrayList<>();
        for (MediaSection m : offer.media()) {
            if (!m.isRejected()) {
                mids.add(m.mid());
            }
        }
        if (!mids.isEmpty()) {
            line(b, "a=group:BUNDLE " + String.join(" ", mids));
        }
        line(b, "a=msid-semantic: WMS");
        for (MediaSection m : offer.media()) {
            String formats = String.join(" ", m.formats());
            if (m.isRejected()) {
                line(b, "m=" + m.kind() + " 0 " + m.proto() + " " + formats);
                line(b, "a=mid:" + m.mid());
                continue;
            }
            line(b, "m=" + m.kind() + " 9 " + m.proto() + " " + formats);
            line(b, "c=IN IP4 0.0.0.0");
            line(b, "a=ice-ufrag:" + transport.iceUfrag());
            line(b, "a=ice-pwd:" + transport.icePwd());
            line(b, "a=fingerprint:sha-256 " + transport.fingerprint());
            line(b, "a=setup:active");
            line(b, "a=mid:" + m.mid());
            ClientOffer.Track own = ownTracks.stream().filter(t -> t.mid().equals(m.mid())).findFirst().orElse(null);
            Direction offered = m.direction();
            Direction answered = Direction.of(own != null && offered.receives(), offered.sends());
            line(b, "a=" + answered.sdpName());
            if (own != null && answered.sends()) {
                line(b, "a=msid:" + own.streamId() + " " + own.trackId());
            }
            line(b, "a=rtcp-mux");
            for (SdpLine l : m.lines()) {
                if (l.isAttribute("rtpmap") || l.isAttribute("fmtp") || l.isAttribute("rtcp-fb")
                        || l.isAttribute("extmap") || l.isAttribute("rtcp-rsize")) {
                    line(b, l.toString());
                }
            }
            if (own != null && answered.sends() && own.simulcast()) {
                // Chrome answers an offer's a=simulcast:recv with the layers it sends among those, and never
                // names their SSRCs; without one it sends a single encoding, still identified by mid and rid.
                List<String> taken = m.rids("recv").stream().filter(own.rids()::contains).toList();
                if (m.hasAttribute("simulcast") && taken.size() >= 2) {
                    taken.forEach(rid -> line(b, "a=rid:" + rid + " send"));
                    line(b, "a=simulcast:send " + String.join(";", taken));
                }
            } else if (own != null && answered.sends()) {
                if (own.rtxSsrc() != 0) {
                    line(b, "a=ssrc-group:FID " + own.ssrc() + " " + own.rtxSsrc());
                }
                for (long ssrc : own.rtxSsrc() != 0 ? new long[] {own.ssrc(), own.rtxSsrc()} : new long[] {own.ssrc()}) {
                    line(b, "a=ssrc:" + ssrc + " cname:" + cname);
                    line(b, "a=ssrc:" + ssrc + " msid:" + own.streamId() + " " + own.trackId());
                }
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String s) {
        b.append(s).append("\r\n");
    }
}
