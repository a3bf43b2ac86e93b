package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

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
    void aLatePacketIsUsedOnceWithinTheWindowOf1024(SrtpProfile profile) {
        SrtpSession[] sessions = pair(profile);
        byte[][] wire = new byte[1301][];
        for (int seq = 1; seq <= 1300; seq++) {
            PacketView p = view(Packets.rtp(7, seq, 100));
            assertThat(sessions[0].protectRtp(p)).isNull();
            wire[seq] = bytes(p);
        }
        for (int seq = 1; seq <= 1300; seq++) {
            if (seq != 100 && seq != 700) { // 100 and 700 held back, as a repair would be
                assertThat(sessions[1].unprotectRtp(view(wire[seq]))).isNull();
            }
        }
        PacketView late = view(wire[700]);
        assertThat(sessions[1].unprotectRtp(late)).as("600 packets late (jitsi-srtp alone keeps 64)").isNull();
        assertThat(bytes(late)).isEqualTo(Packets.rtp(7, 700, 100));
        assertThat(sessions[1].unprotectRtp(view(wire[700]))).as("but only once").isEqualTo(DropReason.SRTP_REPLAY);
        assertThat(sessions[1].unprotectRtp(view(wire[100]))).as("1,200 late: cannot tell").isEqualTo(DropReason.SRTP_TOO_OLD);
        assertThat(sessions[1].unprotectRtp(view(wire[1300]))).isEqualTo(DropReason.SRTP_REPLAY);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aForgedCopyDoesNotBlockTheGenuinePacket(SrtpProfile profile) {
        SrtpSession[] sessions = pair(profile);
        PacketView first = view(Packets.rtp(7, 1, 100));
        sessions[0].protectRtp(first);
        assertThat(sessions[1].unprotectRtp(first)).isNull();
        PacketView second = view(Packets.rtp(7, 2, 100));
        sessions[0].protectRtp(second);
        byte[] genuine = bytes(second);
        byte[] forged = genuine.clone();
        forged[20] ^= 0x55;
        assertThat(sessions[1].unprotectRtp(view(forged))).isEqualTo(DropReason.SRTP_AUTH);
        assertThat(sessions[1].unprotectRtp(view(genuine))).isNull();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void theSfuMaySendASequenceNumberAgainAndNothingIsLogged(SrtpProfile profile) {
        // A plain resend (a NACK answered without RTX) repeats the sequence number on the same SSRC. jitsi-srtp's
        // sender check refused it and logged an ERROR line per packet; the subscriber that lost it needs it.
        List<LogRecord> logged = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                    logged.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        // Let jitsi-srtp speak, whatever the logging configuration says: the point is that it has nothing to say.
        Logger jitsi = Logger.getLogger("org.jitsi.srtp.SrtpCryptoContext");
        Level configured = jitsi.getLevel();
        jitsi.setLevel(Level.INFO);
        root.addHandler(handler);
        try {
            SrtpSession[] sessions = pair(profile);
            byte[] tenth = null;
            for (int seq = 1; seq <= 200; seq++) {
                PacketView p = view(Packets.rtp(7, seq, 100));
                assertThat(sessions[0].protectRtp(p)).isNull();
                if (seq == 10) {
                    tenth = bytes(p);
                } else {
                    assertThat(sessions[1].unprotectRtp(p)).isNull(); // 10 lost on the way
                }
            }
            PacketView resend = view(Packets.rtp(7, 10, 100));
            assertThat(sessions[0].protectRtp(resend)).as("190 packets later").isNull();
            assertThat(bytes(resend)).as("same packet, same index: same bytes").isEqualTo(tenth);
            assertThat(sessions[1].unprotectRtp(resend)).as("the subscriber takes it").isNull();
            assertThat(sessions[1].unprotectRtp(view(tenth))).isEqualTo(DropReason.SRTP_REPLAY);
            for (int i = 0; i < 100; i++) {
                assertThat(sessions[1].unprotectRtp(view(tenth))).isEqualTo(DropReason.SRTP_REPLAY);
            }
        } finally {
            root.removeHandler(handler);
            jitsi.setLevel(configured);
        }
        assertThat(logged).extracting(LogRecord::getMessage).as("per-packet conditions are counted, not logged").isEmpty();
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

    /** Cost of protect + unprotect per 1200-byte packet, and what the two allocate per packet (a figure, not a check). */
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
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] rtp = Packets.rtp(5, 1, 1188);
        long allocated = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            System.arraycopy(rtp, 0, buffer, 0, rtp.length);
            buffer[2] = (byte) (i >>> 8);
            buffer[3] = (byte) i;
            v.reset(buffer, 0, rtp.length);
            sessions[0].protectRtp(v);
            sessions[1].unprotectRtp(v);
        }
        long perPacket = (threads.getCurrentThreadAllocatedBytes() - allocated) / 10_000;
        System.out.printf("%s: %.2f us per 1200-byte packet (protect + unprotect), %d bytes allocated per packet%n",
                profile, micros, perPacket);
    }
}
