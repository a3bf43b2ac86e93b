package dev.roomdeck.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.media.DropReason;
import dev.roomdeck.rtp.RtpPacket;
import dev.roomdeck.sdp.Codec;
import dev.roomdeck.sdp.MediaKind;
import dev.roomdeck.sdp.PublishedTrack;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which of a publisher's video packets the SFU uses: every sequence number once. A repair for a packet it lost
 * (RTX, restored to the original) is used however late within 1,024 packets; an RTX copy of a packet it already
 * has (Chrome answering a NACK twice, or probing with RTX "payload padding") is dropped under its reason.
 */
class ProducerTest {
    private static final int SSRC = 0x11223344;
    private static final int RTX_SSRC = 0x55667788;
    private static final int VP8 = 96;
    private static final int RTX = 97;

    private final Producer track = new Producer(null, new PublishedTrack("cam", "cam-video", MediaKind.VIDEO,
            "1", SSRC & 0xFFFFFFFFL, RTX_SSRC & 0xFFFFFFFFL, "cname",
            List.of(new Codec(VP8, "VP8", 90000, 1, null, List.of("nack", "nack pli", "ccm fir"), RTX)), Map.of(),
            List.of()), 0x5E);

    /** Media packet seq on the media SSRC: V=2, marker off, VP8, a payload that names its seq. */
    private static byte[] media(int seq) {
        ByteBuffer b = ByteBuffer.allocate(12 + 40);
        b.put((byte) 0x80).put((byte) VP8).putShort((short) seq).putInt(seq * 3000).putInt(SSRC);
        for (int i = 0; i < 40; i++) {
            b.put((byte) (seq + i));
        }
        return b.array();
    }

    /** The publisher's RTX for media packet {@code osn}, with its own RTX sequence number. */
    private static byte[] rtx(int rtxSeq, int osn) {
        byte[] original = media(osn);
        ByteBuffer b = ByteBuffer.allocate(original.length + 2);
        b.put((byte) 0x80).put((byte) RTX).putShort((short) rtxSeq).putInt(osn * 3000).putInt(RTX_SSRC);
        b.putShort((short) osn).put(original, 12, original.length - 12);
        return b.array();
    }

    /** Chrome's padding-only RTX probe: no OSN, just padding. */
    private static byte[] rtxPadding(int rtxSeq) {
        ByteBuffer b = ByteBuffer.allocate(12 + 224);
        b.put((byte) 0xA0).put((byte) RTX).putShort((short) rtxSeq).putInt(0).putInt(RTX_SSRC);
        b.position(12 + 223);
        b.put((byte) 224);
        return b.array();
    }

    private DropReason admit(byte[] bytes, boolean rtx) {
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(Arrays.copyOf(bytes, bytes.length + 64), 0, bytes.length)).isTrue();
        DropReason verdict = track.streams()[0].admit(p, rtx);
        if (verdict == null && rtx) {
            // restored in place: exactly the packet that was lost
            assertThat(Arrays.copyOfRange(p.buffer(), p.offset(), p.offset() + p.length()))
                    .isEqualTo(media(p.sequenceNumber()));
        }
        return verdict;
    }

    @Test
    void aRepairOfALostPacketIsUsedAndASecondCopyIsNot() {
        assertThat(admit(media(1), false)).isNull();
        assertThat(admit(media(2), false)).isNull();
        assertThat(admit(media(4), false)).isNull(); // 3 lost on the way: the SFU NACKs it
        assertThat(admit(rtx(500, 3), true)).as("the repair").isNull();
        assertThat(admit(rtx(501, 3), true)).as("the answer to a second NACK").isEqualTo(DropReason.RTX_REDUNDANT);
        assertThat(admit(rtx(502, 4), true)).as("payload padding: a copy of a packet the SFU has")
                .isEqualTo(DropReason.RTX_REDUNDANT);
    }

    @Test
    void aLateRepairIsStillUsedWithinTheWindow() {
        assertThat(admit(media(100), false)).isNull();
        for (int seq = 102; seq <= 700; seq++) {
            assertThat(admit(media(seq), false)).isNull();
        }
        assertThat(admit(rtx(1, 101), true)).as("600 packets late, still missing").isNull();
        assertThat(admit(rtx(2, 101), true)).isEqualTo(DropReason.RTX_REDUNDANT);
        for (int seq = 701; seq <= 2000; seq++) {
            admit(media(seq), false);
        }
        assertThat(admit(rtx(3, 900), true)).as("1,100 behind: cannot tell whether it is new")
                .isEqualTo(DropReason.RTX_TOO_LATE);
    }

    @Test
    void probesAndStrangersAreDroppedByReason() {
        assertThat(admit(media(10), false)).isNull();
        assertThat(admit(rtxPadding(7), true)).isEqualTo(DropReason.RTX_PADDING);
        byte[] wrongType = rtx(8, 9);
        wrongType[1] = 99;
        assertThat(admit(wrongType, true)).isEqualTo(DropReason.RTX_UNKNOWN_PAYLOAD_TYPE);
        assertThat(admit(rtx(9, 9), true)).as("the probes changed nothing").isNull();
    }

    @Test
    void aRepairAcrossTheSequenceWrapIsUsed() {
        assertThat(admit(media(65534), false)).isNull();
        assertThat(admit(media(0), false)).isNull(); // 65535 lost
        assertThat(admit(media(1), false)).isNull();
        assertThat(admit(rtx(40, 65535), true)).isNull();
        assertThat(admit(rtx(41, 65535), true)).isEqualTo(DropReason.RTX_REDUNDANT);
        assertThat(admit(rtx(42, 0), true)).isEqualTo(DropReason.RTX_REDUNDANT);
    }
}
