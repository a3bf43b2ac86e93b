package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SRTP/SRTCP with the keys laid out as the DTLS exporter gives them, both profiles. */
class SrtpSessionTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static SrtpSession[] pair(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        RANDOM.nextBytes(material);
        return new SrtpSession[] {
                new SrtpSession(profile, material.clone(), true),
                new SrtpSession(profile, material.clone(), false)};
    }

    private static PacketView view(byte[] packet) {
        byte[] buffer = Arrays.copyOf(packet, packet.length + 64);
        return new PacketView().reset(buffer, 0, packet.length);
    }

    private static byte[] bytes(PacketView v) {
        return Arrays.copyOfRange(v.getBuffer(), v.getOffset(), v.getOffset() + v.getLength());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void clientAndServerKeysPairUpInBothDirections(SrtpProfile profile) {
        SrtpSession[] sessions = pair(profile);
        for (int direction = 0; direction < 2; direction++) {
            SrtpSession sender = sessions[direction];
            SrtpSession receiver = sessions[1 - direction];
            byte[] rtp = Packets.rtp(0xABCDEF, 42, 160);
            PacketView packet = view(rtp);
            assertThat(sender.protectRtp(packet)).isNull();
            assertThat(packet.getLength()).isEqualTo(rtp.length + (profile == SrtpProfile.AEAD_AES_128_GCM ? 16 : 10));
            assertThat(bytes(packet)).isNotEqualTo(rtp);
            assertThat(receiver.unprotectRtp(packet)).isNull();
            assertThat(bytes(packet)).isEqualTo(rtp);

            byte[] rtcp = Packets.senderReport(0xABCDEF, 3);
            PacketView control = view(rtcp);
            assertThat(sender.protectRtcp(control)).isNull();
            assertThat(receiver.unprotectRtcp(control)).isNull();
            assertThat(bytes(control)).isEqualTo(rtcp);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replaysAndTamperingAreRecognised(SrtpProfile profile) {
        SrtpSession[] sessions = pair(profile);
        PacketView packet = view(Packets.rtp(7, 1, 100));
        sessions[0].protectRtp(packet);
        byte[] wire = bytes(packet);

        assertThat(sessions[1].unprotectRtp(view(wire))).isNull();
        assertThat(sessions[1].unprotectRtp(view(wire))).isEqualTo(DropReason.SRTP_REPLAY);
        byte[] tampered = wire.clone();
        tampered[3] ^= 0x01; // other sequence number: fresh index, wrong tag
        assertThat(sessions[1].unprotectRtp(view(tampered))).isEqualTo(DropReason.SRTP_AUTH);
        assertThat(sessions[1].unprotectRtp(view(Arrays.copyOf(wire, 11)))).isEqualTo(DropReason.SRTP_INVALID);

        PacketView control = view(Packets.senderReport(7, 1));
        sessions[0].protectRtcp(control);
        byte[] rtcpWire = bytes(control);
        assertThat(sessions[1].unprotectRtcp(view(rtcpWire))).isNull();
        assertThat(sessions[1].unprotectRtcp(view(rtcpWire))).isEqualTo(DropReason.SRTP_REPLAY);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aForgedNewSsrcLeavesNoContextBehind(SrtpProfile profile) {
        SrtpSession[] sessions = pair(profile);
        for (int ssrc = 1; ssrc <= SrtpSession.MAX_SSRCS + 10; ssrc++) {
            byte[] junk = Packets.rtp(ssrc, 1, 40); // plain RTP is not valid SRTP
            assertThat(sessions[1].unprotectRtp(view(junk))).isEqualTo(DropReason.SRTP_AUTH);
        }
        PacketView genuine = view(Packets.rtp(99_999, 1, 40));
        sessions[0].protectRtp(genuine);
        assertThat(sessions[1].unprotectRtp(genuine)).as("table not filled by forgeries").isNull();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectingManySsrcsStopsAtTheLimit(SrtpProfile profile) {
        SrtpSession sender = pair(profile)[0];
        for (int ssrc = 1; ssrc <= SrtpSession.MAX_SSRCS; ssrc++) {
            assertThat(sender.protectRtp(view(Packets.rtp(ssrc, 1, 10)))).isNull();
        }
        assertThat(sender.protectRtp(view(Packets.rtp(-1, 1, 10)))).isEqualTo(DropReason.SSRC_LIMIT);
        assertThat(sender.protectRtp(view(Packets.rtp(1, 2, 10)))).as("known SSRCs keep working").isNull();
    }

    /** Cost of protect + unprotect per 1200-byte packet with the AES implementation StackSettings picked. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    @EnabledIfSystemProperty(named = "roomdeck.slowTests", matches = "true")
    void costPerPacket(SrtpProfile profile) {
        SrtpSession[] sessions = pair(profile);
        byte[] buffer = new byte[1400];
        PacketView v = new PacketView();
        int n = 200_000;
        long start = 0;
        for (int i = 0; i < n; i++) {
            if (i == 20_000) {
                start = System.nanoTime();
            }
            byte[] rtp = Packets.rtp(5, i & 0xffff, 1188);
            System.arraycopy(rtp, 0, buffer, 0, rtp.length);
            v.reset(buffer, 0, rtp.length);
            sessions[0].protectRtp(v);
            if (sessions[1].unprotectRtp(v) != null) {
                throw new AssertionError("packet " + i);
            }
        }
        double micros = (System.nanoTime() - start) / 1e3 / (n - 20_000);
        System.out.printf("%s with %s: %.2f us per 1200-byte packet (protect + unprotect)%n", profile,
                StackSettings.AES_FACTORY, micros);
    }
}
