package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the SFU accepts and offers: codecs (Opus; VP8 first, then VP9 and H264; RTX for those), RTCP feedback and
 * RTP header extensions. Everything else (red, ulpfec, flexfec, CN, telephone-event, AV1, other extensions) is
 * dropped.
 *
 * <p>transport-cc (its rtcp-fb and the transport-wide-cc extension) goes only on sections where the client sends:
 * there the server receives and answers with transport-cc feedback. The server forwards packets to subscribers
 * without stamping transport-wide sequence numbers of its own, so a section where only the server sends keeps
 * goog-remb and abs-send-time: a browser that negotiated transport-cc there would wait for sequence numbers that
 * never come. A section where the client sends <em>and</em> receives has one extension map for both directions
 * (browsers do not act on an {@code a=extmap} direction), so it does get transport-cc, for what the client sends;
 * what the server sends there carries no transport-wide sequence number ({@link SendTrack#extensionIdMap} drops
 * the publisher's), and a browser estimates a stream without one from abs-send-time and reports it by REMB, which
 * stays negotiated alongside.
 */
final class MediaPolicy {
    static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    static final String TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    private static final Set<String> VIDEO_CODECS = Set.of("vp8", "vp9", "h264");

    private final boolean transportCc;
    private final boolean simulcast;

    MediaPolicy(boolean transportCc, boolean simulcast) {
        this.transportCc = transportCc;
        this.simulcast = simulcast;
    }

    boolean simulcast() {
        return simulcast;
    }

    boolean accepts(MediaKind kind, Codec c) {
        String name = c.name().toLowerCase(Locale.ROOT);
        if (kind == MediaKind.AUDIO) {
            return name.equals("opus") && c.clockRate() == 48000;
        }
        return VIDEO_CODECS.contains(name) && c.clockRate() == 90000;
    }

    /**
     * The offered codecs this SFU takes, in answer order (VP8 first, the rest as offered), with only the
     * feedback it understands and RTX kept for video.
     */
    List<Codec> select(MediaKind kind, List<Codec> offered, boolean clientSends) {
        List<Codec> first = new ArrayList<>();
        List<Codec> rest = new ArrayList<>();
        for (Codec c : offered) {
            if (!accepts(kind, c)) {
                continue;
            }
            Codec kept = c.withRtcpFeedback(feedback(c.rtcpFeedback(), clientSends));
            if (kind == MediaKind.AUDIO) {
                kept = kept.withPayloadTypes(kept.payloadType(), -1);
            }
            (c.name().equalsIgnoreCase("vp8") ? first : rest).add(kept);
        }
        first.addAll(rest);
        return first;
    }

    /**
     * The feedback values among {@code offered} that the SFU keeps, in offered order, without repeats;
     * transport-cc only where the client sends.
     */
    List<String> feedback(List<String> offered, boolean clientSends) {
        List<String> kept = new ArrayList<>();
        for (String fb : offered) {
            String v = fb.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            boolean ok = v.equals("nack") || v.equals("nack pli") || v.equals("ccm fir") || v.equals("goog-remb")
                    || transportCc && clientSends && v.equals("transport-cc");
            if (ok && !kept.contains(v)) {
                kept.add(v);
            }
        }
        return kept;
    }

    /**
     * The feedback the server offers for codecs it sends: what it can act on as a sender, and transport-cc for
     * what the client sends in that section, if it does.
     */
    List<String> offerFeedback(MediaKind kind, boolean clientSends) {
        List<String> fb = new ArrayList<>();
        if (kind == MediaKind.VIDEO) {
            fb.add("goog-remb");
        }
        if (transportCc && clientSends) {
            fb.add("transport-cc");
        }
        if (kind == MediaKind.VIDEO) {
            fb.add("ccm fir");
            fb.add("nack");
            fb.add("nack pli");
        }
        return fb;
    }

    boolean acceptsExtension(MediaKind kind, String uri, boolean withRids, boolean clientSends) {
        return switch (uri) {
            case MID, ABS_SEND_TIME -> true;
            case AUDIO_LEVEL -> kind == MediaKind.AUDIO;
            case TRANSPORT_CC -> transportCc && clientSends;
            case RID, REPAIRED_RID -> withRids && kind == MediaKind.VIDEO;
            default -> false;
        };
    }

    Map<String, Integer> selectExtensions(MediaKind kind, Map<String, Integer> offered, boolean withRids,
                                          boolean clientSends) {
        Map<String, Integer> kept = new LinkedHashMap<>();
        offered.forEach((uri, id) -> {
            if (acceptsExtension(kind, uri, withRids, clientSends)) {
                kept.put(uri, id);
            }
        });
        return kept;
    }

    /** The extensions the server offers on sections it adds to send on (the client does not send there). */
    List<String> offerExtensions(MediaKind kind) {
        List<String> uris = new ArrayList<>();
        if (kind == MediaKind.AUDIO) {
            uris.add(AUDIO_LEVEL);
        }
        uris.add(ABS_SEND_TIME);
        uris.add(MID);
        return uris;
    }
}
