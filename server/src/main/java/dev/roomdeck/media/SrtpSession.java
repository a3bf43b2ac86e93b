package dev.roomdeck.media;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP/SRTCP for one transport: keys from the DTLS exporter, crypto contexts per SSRC made on first use.
 * Protect runs under the transport's send lock, unprotect on its receive path (one packet at a time); the two
 * sides share nothing.
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
    private final SsrcTable<SrtpCryptoContext> rtpIn = new SsrcTable<>(MAX_SSRCS);
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
        outgoing = new SrtpContextFactory(true, dtlsClient ? clientKey : serverKey, dtlsClient ? clientSalt : serverSalt,
                profile.policy(), profile.policy(), JITSI_LOGGER);
        incoming = new SrtpContextFactory(false, dtlsClient ? serverKey : clientKey, dtlsClient ? serverSalt : clientSalt,
                profile.policy(), profile.policy(), JITSI_LOGGER);
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
        int ssrc = readInt(packet.getBuffer(), packet.getOffset() + 8);
        try {
            SrtpCryptoContext context = rtpIn.get(ssrc);
            if (context != null) {
                return reason(context.reverseTransformPacket(packet, false));
            }
            // Keep a context for a new SSRC only once a packet authenticated with it: forged SSRCs leave nothing behind.
            if (rtpIn.size() >= MAX_SSRCS) {
                return DropReason.SSRC_LIMIT;
            }
            context = incoming.deriveContext(ssrc, 0);
            DropReason result = reason(context.reverseTransformPacket(packet, false));
            if (result == null) {
                rtpIn.put(ssrc, context);
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
            case REPLAY_FAIL, REPLAY_OLD -> DropReason.SRTP_REPLAY;
            default -> DropReason.SRTP_INVALID;
        };
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private static byte[] slice(byte[] src, int off, int len) {
        return Arrays.copyOfRange(src, off, off + len);
    }
}
