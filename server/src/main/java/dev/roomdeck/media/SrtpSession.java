package dev.roomdeck.media;

import dev.roomdeck.srtp.RolloverCounter;
import dev.roomdeck.srtp.SrtpCipher;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * SRTP/SRTCP for one transport: the keys the DTLS exporter gave, one {@link SrtpCipher} per direction (package
 * {@code srtp}), and per SSRC its rollover counter, SRTCP index and replay window. Protect runs under the
 * transport's send lock, unprotect on its receive path (one packet at a time); the two sides share nothing.
 *
 * <p>Replay protection of incoming SRTP is a {@link ReplayWindow} of 1,024 packets per SSRC, checked before any
 * crypto (a replay costs nothing and nothing is logged) and updated once a packet authenticated, so that a genuine
 * repair that comes late is still taken and a forged copy cannot block the genuine packet. Outgoing SRTP has no
 * replay check: it protects nothing on the sending side, and an SFU legitimately sends a sequence number again (a
 * plain resend for a subscriber's NACK: same index, same bytes); duplicates are kept out further up, where the
 * publisher's packets come in (forward.Producer). Incoming SRTCP has a window over its index too.
 *
 * <p>Nothing here allocates per packet once an SSRC is known (AES-GCM's JDK cipher aside, see {@code srtp}).
 */
final class SrtpSession {
    /** A room has a handful of senders per peer; this is far above any honest need. */
    static final int MAX_SSRCS = 512;

    private final SrtpProfile profile;
    private final SrtpCipher out;
    private final SrtpCipher in;
    private final SsrcTable<Outgoing> sent = new SsrcTable<>(MAX_SSRCS);
    private final SsrcTable<Incoming> rtpIn = new SsrcTable<>(MAX_SSRCS);
    private final SsrcTable<ReplayWindow> rtcpIn = new SsrcTable<>(MAX_SSRCS);

    /**
     * @param keyingMaterial exporter output laid out as client key, server key, client salt, server salt (RFC 5764
     *                       4.2); wiped here
     * @param dtlsClient     whether we were the DTLS client: the client sends with the client key
     */
    SrtpSession(SrtpProfile profile, byte[] keyingMaterial, boolean dtlsClient) {
        if (keyingMaterial.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("keying material must be " + profile.keyingMaterialLength() + " bytes");
        }
        this.profile = profile;
        int k = profile.suite.keyLength;
        int s = profile.suite.saltLength;
        byte[] clientKey = slice(keyingMaterial, 0, k);
        byte[] serverKey = slice(keyingMaterial, k, k);
        byte[] clientSalt = slice(keyingMaterial, 2 * k, s);
        byte[] serverSalt = slice(keyingMaterial, 2 * k + s, s);
        try {
            out = profile.suite.cipher(dtlsClient ? clientKey : serverKey, dtlsClient ? clientSalt : serverSalt);
            in = profile.suite.cipher(dtlsClient ? serverKey : clientKey, dtlsClient ? serverSalt : clientSalt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES for SRTP", e);
        } finally {
            for (byte[] secret : new byte[][] {keyingMaterial, clientKey, serverKey, clientSalt, serverSalt}) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    SrtpProfile profile() {
        return profile;
    }

    /** Encrypts and tags an RTP packet in place (the view grows by the tag); null on success, else why not. */
    DropReason protectRtp(PacketView packet) {
        byte[] b = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength();
        int header = SrtpCipher.rtpHeaderLength(b, off, len);
        if (header < 0) {
            return DropReason.NOT_RTP;
        }
        int ssrc = readInt(b, off + 8);
        Outgoing stream = outgoing(ssrc);
        if (stream == null) {
            return DropReason.SSRC_LIMIT;
        }
        long index = stream.rollover.index(readShort(b, off + 2));
        if (index < 0) {
            return DropReason.SRTP_TOO_OLD;
        }
        int protectedLength = out.protectRtp(b, off, len, header, ssrc, index);
        if (protectedLength < 0) {
            return DropReason.SRTP_INVALID;
        }
        stream.rollover.update(index);
        packet.setLength(protectedLength);
        return null;
    }

    DropReason protectRtcp(PacketView packet) {
        byte[] b = packet.getBuffer();
        int off = packet.getOffset();
        int ssrc = readInt(b, off + 4);
        Outgoing stream = outgoing(ssrc);
        if (stream == null) {
            return DropReason.SSRC_LIMIT;
        }
        int protectedLength = out.protectRtcp(b, off, packet.getLength(), ssrc, stream.rtcpIndex);
        if (protectedLength < 0) {
            return DropReason.SRTP_INVALID;
        }
        stream.rtcpIndex = (stream.rtcpIndex + 1) & 0x7FFFFFFF;
        packet.setLength(protectedLength);
        return null;
    }

    /** Checks and decrypts an SRTP packet in place (the view shrinks to the plain RTP); null when it is genuine. */
    DropReason unprotectRtp(PacketView packet) {
        byte[] b = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength();
        int header = SrtpCipher.rtpHeaderLength(b, off, len);
        if (header < 0 || len - header < in.rtpOverhead()) {
            return DropReason.SRTP_INVALID;
        }
        int ssrc = readInt(b, off + 8);
        int seq = readShort(b, off + 2);
        Incoming stream = rtpIn.get(ssrc);
        long index = seq;
        if (stream != null) {
            DropReason replayed = replayed(stream.window, seq);
            if (replayed != null) {
                return replayed;
            }
            index = stream.rollover.index(seq);
            if (index < 0) {
                return DropReason.SRTP_TOO_OLD;
            }
        } else if (rtpIn.size() >= MAX_SSRCS) {
            return DropReason.SSRC_LIMIT;
        }
        int plain = in.unprotectRtp(b, off, len, header, ssrc, index);
        if (plain < 0) {
            return DropReason.SRTP_AUTH;
        }
        if (stream == null) { // kept only once a packet authenticated: forged SSRCs leave nothing behind
            stream = new Incoming();
            rtpIn.put(ssrc, stream);
        }
        stream.window.accept(seq);
        stream.rollover.update(index);
        packet.setLength(plain);
        return null;
    }

    DropReason unprotectRtcp(PacketView packet) {
        byte[] b = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength();
        long eIndex = len < 8 ? -1 : in.rtcpIndex(b, off, len);
        if (eIndex < 0) {
            return DropReason.SRTP_INVALID;
        }
        int ssrc = readInt(b, off + 4);
        int index16 = (int) eIndex & 0xFFFF; // the index counts by one per packet: its low bits extend like a sequence number
        ReplayWindow window = rtcpIn.get(ssrc);
        if (window != null) {
            DropReason replayed = replayed(window, index16);
            if (replayed != null) {
                return replayed;
            }
        } else if (rtcpIn.size() >= MAX_SSRCS) {
            return DropReason.SSRC_LIMIT;
        }
        int plain = in.unprotectRtcp(b, off, len, ssrc);
        if (plain < 0) {
            return DropReason.SRTP_AUTH;
        }
        if (window == null) {
            window = new ReplayWindow();
            rtcpIn.put(ssrc, window);
        }
        window.accept(index16);
        packet.setLength(plain);
        return null;
    }

    /** Nothing to wipe by hand: the session keys live in the ciphers, which go with this session. */
    void close() {
    }

    /** Why a packet with this number is refused before any crypto (seen already, or behind the window); null if fresh. */
    private static DropReason replayed(ReplayWindow window, int number) {
        return switch (window.check(number)) {
            case ReplayWindow.DUPLICATE -> DropReason.SRTP_REPLAY;
            case ReplayWindow.TOO_OLD -> DropReason.SRTP_TOO_OLD;
            default -> null;
        };
    }

    private Outgoing outgoing(int ssrc) {
        Outgoing stream = sent.get(ssrc);
        if (stream == null) {
            stream = new Outgoing();
            if (!sent.put(ssrc, stream)) {
                return null;
            }
        }
        return stream;
    }

    /** An SSRC we send: its packet index, and the index of its next SRTCP packet. */
    private static final class Outgoing {
        final RolloverCounter rollover = new RolloverCounter();
        int rtcpIndex;
    }

    /** An SSRC we receive: its packet index and which of its recent sequence numbers arrived. */
    private static final class Incoming {
        final RolloverCounter rollover = new RolloverCounter();
        final ReplayWindow window = new ReplayWindow();
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private static int readShort(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    private static byte[] slice(byte[] src, int off, int len) {
        return Arrays.copyOfRange(src, off, off + len);
    }
}
