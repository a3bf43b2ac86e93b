package dev.roomdeck.srtp;

import static dev.roomdeck.srtp.SrtpTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * AES counter mode as SRTP uses it (RFC 3711 4.1.1), against RFC 3711 Appendix B.2: session key
 * 2B7E151628AED2A6ABF7158809CF4F3C, salt F0..FD (already shifted), SSRC 0, ROC 0, SEQ 0; a keystream segment of
 * 65282 blocks.
 */
class AesCounterTest {
    private static final byte[] KEY = hex("2B7E151628AED2A6ABF7158809CF4F3C");
    private static final byte[] IV = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
    private static final int BLOCKS = 65282;

    @Test
    void keystreamOfZerosIsRfc3711AppendixB2s() throws Exception {
        AesCounter aes = new AesCounter(KEY);
        byte[] zeros = new byte[BLOCKS * 16];
        aes.xorKeystream(IV.clone(), zeros, 0, zeros.length);
        assertThat(hex(zeros, 0, 48)).isEqualToIgnoringCase("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
        // counters ...FEFF, ...FF00, ...FF01
        assertThat(hex(zeros, (BLOCKS - 3) * 16, 48)).isEqualToIgnoringCase("EC8CDF7398607CB0F2D21675EA9EA1E4"
                + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44");
    }

    @Test
    void keystreamStartsAtTheIvsCounter() throws Exception {
        AesCounter aes = new AesCounter(KEY);
        byte[] zeros = new byte[48];
        aes.xorKeystream(hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF"), zeros, 0, zeros.length);
        assertThat(hex(zeros)).isEqualToIgnoringCase("EC8CDF7398607CB0F2D21675EA9EA1E4"
                + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44");
    }

    @Test
    void aPartialBlockAtAnOffsetTakesTheKeystreamsFirstBytesAndLeavesTheRestAlone() throws Exception {
        AesCounter aes = new AesCounter(KEY);
        byte[] buf = new byte[40];
        aes.xorKeystream(IV.clone(), buf, 3, 21);
        assertThat(hex(buf, 0, 3)).isEqualTo("000000");
        assertThat(hex(buf, 3, 21)).isEqualToIgnoringCase("E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B");
        assertThat(hex(buf, 24, 16)).isEqualTo("00".repeat(16));
    }

    @Test
    void xoringTwiceRestoresThePlaintextAndTheIvIsNotChanged() throws Exception {
        AesCounter aes = new AesCounter(KEY);
        byte[] plain = SrtpTestSupport.rtp(7, 1, 1200);
        byte[] buf = plain.clone();
        byte[] iv = IV.clone();
        aes.xorKeystream(iv, buf, 0, buf.length);
        assertThat(buf).isNotEqualTo(plain);
        aes.xorKeystream(iv, buf, 0, buf.length);
        assertThat(buf).isEqualTo(plain);
        assertThat(iv).isEqualTo(IV);
    }

    @Test
    void aLongPacketAfterAShortOneStillGetsTheRightKeystream() throws Exception {
        AesCounter aes = new AesCounter(KEY);
        aes.xorKeystream(IV.clone(), new byte[5], 0, 5); // the arrays grow afterwards
        byte[] zeros = new byte[48];
        aes.xorKeystream(IV.clone(), zeros, 0, 48);
        assertThat(hex(zeros)).isEqualToIgnoringCase("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
    }
}
