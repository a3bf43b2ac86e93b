package dev.roomdeck.media;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP/SRTCP for one transport: keys from the DTLS exporter, crypto contexts per SSRC made on first use.
 * Protect runs under the transport's send lock, unprotect on its receive path (one packet at a time); the two
 * sides share nothing.
 *
 * <p>Replay protection of incoming SRTP is ours, not jitsi-srtp's: a {@link ReplayWindow} of 1,024 packets per
 * SSRC, checked before any crypto (a replay costs nothing and nothing is logged) and updated once a packet
 * authenticated. jitsi-srtp's window is 64 packets, which refuses a genuine repair that comes late, and it logs an
 * ERROR line per refused packet. Outgoing SRTP has no replay check at all: it protects nothing on the sending side,
 * and an SFU legitimately sends a sequence number again (a plain resend for a subscriber's NACK); duplicates are
 * kept out further up, where the publisher's packets come in (forward.Producer). SRTCP keeps jitsi-srtp's check: its
 * index is ours per packet and never repeats.
 */
final class SrtpSession {
    /** A room has a handful of senders per peer; this is far above any honest need. */
    static final int MAX_SSRCS = 512;

    private static final Logger JITSI_LOGGER = new LoggerImpl(SrtpSession.class.getName());

    private final SrtpProfile profile;
    private final SrtpContextFactory outgoing;
    private final SrtpContextFactory incoming;
    private final SsrcTable<SrtpCryptoContext> rtpOut = new SsrcTable<>(MAX_SSRCS);
    private final SsrcTable<SrtcpCryptoContext> rtcpOut = new SsrcTable<>(MAX_SSRCS);
    private final SsrcTable<Inbound> rtpIn = new SsrcTable<>(MAX_SSRCS);
    private final SsrcTable<SrtcpCryptoContext> rtcpIn = new SsrcTable<>(MAX_SSRCS);

    /**
     * @param keyingMaterial exporter output laid out as client key, server key, client salt, server salt (RFC 5764 4.2)
     * @param dtlsClient     whether we were the DTLS client: the client sends with the client key
     */
    SrtpSession(SrtpProfile profile, byte[] keyingMaterial, boolean dtlsClient) {
        if (keyingMaterial.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("keying material must be " + profile.keyingMaterialLength() + " bytes");
        }
        this.profile = profile;
        int k = profile.keyLength;
        int s = profile.saltLength;
        byte[] clientKey = slice(keyingMaterial, 0, k);
        byte[] serverKey = slice(keyingMaterial, k, k);
        byte[] clientSalt = slice(keyingMaterial, 2 * k, s);
        byte[] serverSalt = slice(keyingMaterial, 2 * k + s, s);
        SrtpPolicy sendRtp = profile.policy();
        sendRtp.setSendReplayEnabled(false);
        SrtpPolicy receiveRtp = profile.policy();
        receiveRtp.setReceiveReplayEnabled(false); // our ReplayWindow instead
        outgoing = new SrtpContextFactory(true, dtlsClient ? clientKey : serverKey, dtlsClient ? clientSalt : serverSalt,
                sendRtp, profile.policy(), JITSI_LOGGER);
        incoming = new SrtpContextFactory(false, dtlsClient ? serverKey : clientKey, dtlsClient ? serverSalt : clientSalt,
                receiveRtp, profile.policy(), JITSI_LOGGER);
        // The factories keep their own copies; wipe ours.
        for (byte[] secret : new byte[][] {keyingMaterial, clientKey, serverKey, clientSalt, serverSalt}) {
            Arrays.fill(secret, (byte) 0);
        }
    }

    SrtpProfile profile() {
        return profile;
    }

    /** Encrypts and tags an RTP packet in place (the view grows by the tag); null on success, else why not. */
    DropReason protectRtp(PacketView packet) {
        int ssrc = readInt(packet.getBuffer(), packet.getOffset() + 8);
        try {
            SrtpCryptoContext context = rtpOut.get(ssrc);
            if (context == null) {
                context = outgoing.deriveContext(ssrc, 0);
                if (!rtpOut.put(ssrc, context)) {
                    return DropReason.SSRC_LIMIT;
                }
            }
            return reason(context.transformPacket(packet));
        } catch (GeneralSecurityException e) {
            return DropReason.SRTP_INVALID;
        }
    }

    DropReason protectRtcp(PacketView packet) {
        int ssrc = readInt(packet.getBuffer(), packet.getOffset() + 4);
        try {
            SrtcpCryptoContext context = rtcpOut.get(ssrc);
            if (context == null) {
                context = outgoing.deriveControlContext(ssrc);
                if (!rtcpOut.put(ssrc, context)) {
                    return DropReason.SSRC_LIMIT;
                }
            }
            return reason(context.transformPacket(packet));
        } catch (GeneralSecurityException e) {
            return DropReason.SRTP_INVALID;
        }
    }

    /** Checks and decrypts an SRTP packet in place (the view shrinks to the plain RTP); null when it is genuine. */
    DropReason unprotectRtp(PacketView packet) {
        if (packet.getLength() < 12) {
            return DropReason.SRTP_INVALID;
        }
        byte[] b = packet.getBuffer();
        int ssrc = readInt(b, packet.getOffset() + 8);
        int seq = (b[packet.getOffset() + 2] & 0xff) << 8 | (b[packet.getOffset() + 3] & 0xff);
        try {
            Inbound in = rtpIn.get(ssrc);
            if (in != null) {
                switch (in.window.check(seq)) {
                    case ReplayWindow.DUPLICATE:
                        return DropReason.SRTP_REPLAY;
                    case ReplayWindow.TOO_OLD:
                        return DropReason.SRTP_TOO_OLD;
                    default:
                        break;
                }
                DropReason result = reason(in.context.reverseTransformPacket(packet, false));
                if (result == null) {
                    in.window.accept(seq);
                }
                return result;
            }
            // Keep a context for a new SSRC only once a packet authenticated with it: forged SSRCs leave nothing behind.
            if (rtpIn.size() >= MAX_SSRCS) {
                return DropReason.SSRC_LIMIT;
            }
            SrtpCryptoContext context = incoming.deriveContext(ssrc, 0);
            DropReason result = reason(context.reverseTransformPacket(packet, false));
            if (result == null) {
                in = new Inbound(context);
                in.window.accept(seq);
                rtpIn.put(ssrc, in);
            }
            return result;
        } catch (GeneralSecurityException e) {
            return DropReason.SRTP_INVALID;
        }
    }

    DropReason unprotectRtcp(PacketView packet) {
        if (packet.getLength() < 8) {
            return DropReason.SRTP_INVALID;
        }
        int ssrc = readInt(packet.getBuffer(), packet.getOffset() + 4);
        try {
            SrtcpCryptoContext context = rtcpIn.get(ssrc);
            if (context != null) {
                return reason(context.reverseTransformPacket(packet));
            }
            if (rtcpIn.size() >= MAX_SSRCS) {
                return DropReason.SSRC_LIMIT;
            }
            context = incoming.deriveControlContext(ssrc);
            DropReason result = reason(context.reverseTransformPacket(packet));
            if (result == null) {
                rtcpIn.put(ssrc, context);
            }
            return result;
        } catch (GeneralSecurityException e) {
            return DropReason.SRTP_INVALID;
        }
    }

    /** Wipes the master keys; contexts already derived keep working until dropped with this session. */
    void close() {
        outgoing.close();
        incoming.close();
    }

    private static DropReason reason(SrtpErrorStatus status) {
        return switch (status) {
            case OK -> null;
            case AUTH_FAIL -> DropReason.SRTP_AUTH;
            case REPLAY_FAIL -> DropReason.SRTP_REPLAY;
            case REPLAY_OLD -> DropReason.SRTP_TOO_OLD;
            default -> DropReason.SRTP_INVALID;
        };
    }

    /** An incoming SSRC: its crypto context and which of its recent sequence numbers arrived. */
    private static final class Inbound {
        final SrtpCryptoContext context;
        final ReplayWindow window = new ReplayWindow();

        Inbound(SrtpCryptoContext context) {
            this.context = context;
        }
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private static byte[] slice(byte[] src, int off, int len) {
        return Arrays.copyOfRange(src, off, off + len);
    }
}
