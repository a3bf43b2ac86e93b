package dev.roomdeck.srtp;

import static dev.roomdeck.srtp.SrtpTestSupport.hex;
import static dev.roomdeck.srtp.SrtpTestSupport.inBuffer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.srtp.SrtpTestSupport.JitsiBuffer;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our SRTP and SRTCP against jitsi-srtp, the implementation the server used before, both ways, for each suite: what
 * one protects the other unprotects to the same packet, RTP across a sequence-number wrap (65535 to 0, where the
 * rollover counter enters the IV and, for AES-CM, the tag).
 */
class JitsiSrtpInteropTest {
    private static final byte[] MASTER_KEY = hex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    private static final byte[] MASTER_SALT = hex("a0a1a2a3a4a5a6a7a8a9aaabacad");
    private static final int SSRC = 0x5eed1234;
    private static final int FIRST_SEQ = 65530;
    private static final int PACKETS = 20;

    private static SrtpPolicy policy(SrtpSuite suite) {
        return switch (suite) {
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        };
    }

    private static byte[] salt(SrtpSuite suite) {
        return java.util.Arrays.copyOf(MASTER_SALT, suite.saltLength);
    }

    private static SrtpContextFactory jitsi(SrtpSuite suite, boolean sender) {
        return new SrtpContextFactory(sender, MASTER_KEY.clone(), salt(suite), policy(suite), policy(suite),
                new LoggerImpl(JitsiSrtpInteropTest.class.getName()));
    }

    private static SrtpCipher ours(SrtpSuite suite) throws Exception {
        return suite.cipher(MASTER_KEY.clone(), salt(suite));
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void jitsiUnprotectsOurRtpAcrossTheWrap(SrtpSuite suite) throws Exception {
        SrtpCipher sender = ours(suite);
        SrtpCryptoContext receiver = jitsi(suite, false).deriveContext(SSRC, 0);
        RolloverCounter roc = new RolloverCounter();
        for (int i = 0; i < PACKETS; i++) {
            int seq = (FIRST_SEQ + i) & 0xFFFF;
            byte[] plain = SrtpTestSupport.rtp(seq, SSRC, 100 + i);
            long index = roc.index(seq);
            roc.update(index);
            byte[] buf = inBuffer(plain, 0, sender.rtpOverhead());
            int len = sender.protectRtp(buf, 0, plain.length, SrtpCipher.rtpHeaderLength(plain, 0, plain.length),
                    SSRC, index);
            JitsiBuffer packet = new JitsiBuffer(buf, 0, len);
            assertThat(receiver.reverseTransformPacket(packet, false)).as("seq %d", seq).isEqualTo(SrtpErrorStatus.OK);
            assertThat(hex(packet.bytes())).as("seq %d", seq).isEqualTo(hex(plain));
        }
        assertThat(roc.rollover()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void weUnprotectJitsisRtpAcrossTheWrap(SrtpSuite suite) throws Exception {
        SrtpCryptoContext sender = jitsi(suite, true).deriveContext(SSRC, 0);
        SrtpCipher receiver = ours(suite);
        RolloverCounter roc = new RolloverCounter();
        for (int i = 0; i < PACKETS; i++) {
            int seq = (FIRST_SEQ + i) & 0xFFFF;
            byte[] plain = SrtpTestSupport.rtp(seq, SSRC, 100 + i);
            JitsiBuffer packet = new JitsiBuffer(inBuffer(plain, 0, 32), 0, plain.length);
            assertThat(sender.transformPacket(packet)).isEqualTo(SrtpErrorStatus.OK);
            byte[] buf = packet.getBuffer();
            long index = roc.index(seq);
            int len = receiver.unprotectRtp(buf, packet.getOffset(), packet.getLength(),
                    SrtpCipher.rtpHeaderLength(buf, packet.getOffset(), packet.getLength()), SSRC, index);
            assertThat(len).as("seq %d", seq).isEqualTo(plain.length);
            roc.update(index);
            assertThat(hex(buf, packet.getOffset(), len)).as("seq %d", seq).isEqualTo(hex(plain));
        }
        assertThat(roc.rollover()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void jitsiUnprotectsOurRtcp(SrtpSuite suite) throws Exception {
        SrtpCipher sender = ours(suite);
        SrtcpCryptoContext receiver = jitsi(suite, false).deriveControlContext(SSRC);
        for (int index = 1; index <= 5; index++) {
            byte[] plain = SrtpTestSupport.rtcp(SSRC, index);
            byte[] buf = inBuffer(plain, 0, sender.rtcpOverhead());
            int len = sender.protectRtcp(buf, 0, plain.length, SSRC, index);
            JitsiBuffer packet = new JitsiBuffer(buf, 0, len);
            assertThat(receiver.reverseTransformPacket(packet)).as("index %d", index).isEqualTo(SrtpErrorStatus.OK);
            assertThat(hex(packet.bytes())).isEqualTo(hex(plain));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void weUnprotectJitsisRtcp(SrtpSuite suite) throws Exception {
        SrtcpCryptoContext sender = jitsi(suite, true).deriveControlContext(SSRC);
        SrtpCipher receiver = ours(suite);
        long previous = -1;
        for (int n = 0; n < 5; n++) {
            byte[] plain = SrtpTestSupport.rtcp(SSRC, n);
            JitsiBuffer packet = new JitsiBuffer(inBuffer(plain, 0, 32), 0, plain.length);
            assertThat(sender.transformPacket(packet)).isEqualTo(SrtpErrorStatus.OK);
            byte[] buf = packet.getBuffer();
            long eIndex = receiver.rtcpIndex(buf, packet.getOffset(), packet.getLength());
            assertThat(eIndex & 0x80000000L).as("E flag").isNotZero();
            assertThat(eIndex & 0x7FFFFFFF).isGreaterThan(previous);
            previous = eIndex & 0x7FFFFFFF;
            int len = receiver.unprotectRtcp(buf, packet.getOffset(), packet.getLength(), SSRC);
            assertThat(len).as("packet %d", n).isEqualTo(plain.length);
            assertThat(hex(buf, packet.getOffset(), len)).isEqualTo(hex(plain));
        }
    }
}
