package dev.roomdeck.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the unified-plan offers RoomDeck's Java client sends: one m-section per track, the way Chromium
 * writes them (Opus 111; VP8 96 with RTX 97; the same rtcp-fb and header extensions), so the server meets
 * the same SDP from this client as from a browser.
 */
public final class ClientOffer {
    /** The header extension ids Chrome gives the rid extensions (RFC 8852), next to this offer's 1 to 4. */
    public static final int MID_EXTENSION_ID = 4;
    public static final int RID_EXTENSION_ID = 10;
    public static final int REPAIRED_RID_EXTENSION_ID = 11;

    /**
     * One track the client sends. rtxSsrc 0 means no RTX (always 0 for audio). With rids, a video track is sent as
     * rid-based simulcast (one encoding per rid, lowest resolution first), and the SDP names no SSRC for it: ssrc and
     * rtxSsrc are then 0, and packets say their layer by the rid header extension.
     */
    public record Track(String kind, String mid, String streamId, String trackId, long ssrc, long rtxSsrc,
                        List<String> rids) {
        public Track {
            rids = List.copyOf(rids);
        }

        public Track(String kind, String mid, String streamId, String trackId, long ssrc, long rtxSsrc) {
            this(kind, mid, streamId, trackId, ssrc, rtxSsrc, List.of());
        }

        /** A video track sent as Chrome sends simulcast: {@code a=rid:<r> send} per layer, no ssrc lines. */
        public static Track simulcastVideo(String mid, String streamId, String trackId, List<String> rids) {
            if (rids.size() < 2) {
                throw new IllegalArgumentException("simulcast needs two or more rids: " + rids);
            }
            return new Track("video", mid, streamId, trackId, 0, 0, rids);
        }

        public boolean simulcast() {
            return !rids.isEmpty();
        }
    }

    /** The client's transport: ICE credentials, DTLS fingerprint (sha-256) and candidate lines (may be empty). */
    public record Transport(String iceUfrag, String icePwd, String fingerprint, List<String> candidates) {
    }

    private ClientOffer() {
    }

    public static String write(long sessionId, int version, Transport transport, List<Track> tracks, String cname) {
        StringBuilder b = new StringBuilder();
        line(b, "v=0");
        line(b, "o=- " + sessionId + " " + version + " IN IP4 127.0.0.1");
        line(b, "s=-");
        line(b, "t=0 0");
        List<String> mids = new ArrayList<>();
        tracks.forEach(t -> mids.add(t.mid()));
        if (!mids.isEmpty()) {
            line(b, "a=group:BUNDLE " + String.join(" ", mids));
        }
        line(b, "a=extmap-allow-mixed");
        line(b, "a=msid-semantic: WMS " + (tracks.isEmpty() ? "" : tracks.get(0).streamId()));
        for (Track t : tracks) {
            if (t.kind().equals("audio")) {
                line(b, "m=audio 9 UDP/TLS/RTP/SAVPF 111");
            } else {
                line(b, "m=video 9 UDP/TLS/RTP/SAVPF 96 97");
            }
            line(b, "c=IN IP4 0.0.0.0");
            line(b, "a=rtcp:9 IN IP4 0.0.0.0");
            for (String c : transport.candidates()) {
                line(b, "a=candidate:" + c);
            }
            line(b, "a=ice-ufrag:" + transport.iceUfrag());
            line(b, "a=ice-pwd:" + transport.icePwd());
            line(b, "a=ice-options:trickle");
            line(b, "a=fingerprint:sha-256 " + transport.fingerprint());
            line(b, "a=setup:actpass");
            line(b, "a=mid:" + t.mid());
            line(b, "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
            line(b, "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
            line(b, "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
            line(b, "a=extmap:" + MID_EXTENSION_ID + " urn:ietf:params:rtp-hdrext:sdes:mid");
            if (t.simulcast()) {
                line(b, "a=extmap:" + RID_EXTENSION_ID + " urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
                line(b, "a=extmap:" + REPAIRED_RID_EXTENSION_ID
                        + " urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
            }
            line(b, "a=sendonly");
            line(b, "a=msid:" + t.streamId() + " " + t.trackId());
            line(b, "a=rtcp-mux");
            line(b, "a=rtcp-rsize");
            if (t.kind().equals("audio")) {
                line(b, "a=rtpmap:111 opus/48000/2");
                line(b, "a=rtcp-fb:111 transport-cc");
                line(b, "a=fmtp:111 minptime=10;useinbandfec=1");
            } else {
                line(b, "a=rtpmap:96 VP8/90000");
                line(b, "a=rtcp-fb:96 goog-remb");
                line(b, "a=rtcp-fb:96 transport-cc");
                line(b, "a=rtcp-fb:96 ccm fir");
                line(b, "a=rtcp-fb:96 nack");
                line(b, "a=rtcp-fb:96 nack pli");
                line(b, "a=rtpmap:97 rtx/90000");
                line(b, "a=fmtp:97 apt=96");
                if (t.rtxSsrc() != 0) {
                    line(b, "a=ssrc-group:FID " + t.ssrc() + " " + t.rtxSsrc());
                }
            }
            if (t.simulcast()) {
                simulcast(b, t, "send");
                continue; // no ssrc lines: the layers' SSRCs are only on the wire
            }
            ssrc(b, t.ssrc(), cname, t);
            if (t.rtxSsrc() != 0) {
                ssrc(b, t.rtxSsrc(), cname, t);
            }
        }
        return b.toString();
    }

    /** {@code a=rid:<r> <direction>} per layer and {@code a=simulcast:<direction> q;h;f}, as Chrome writes them. */
    static void simulcast(StringBuilder b, Track t, String direction) {
        for (String rid : t.rids()) {
            line(b, "a=rid:" + rid + " " + direction);
        }
        line(b, "a=simulcast:" + direction + " " + String.join(";", t.rids()));
    }

    private static void ssrc(StringBuilder b, long ssrc, String cname, Track t) {
        line(b, "a=ssrc:" + ssrc + " cname:" + cname);
        line(b, "a=ssrc:" + ssrc + " msid:" + t.streamId() + " " + t.trackId());
    }

    private static void line(StringBuilder b, String s) {
        b.append(s).append("\r\n");
    }
}
