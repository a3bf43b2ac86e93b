package dev.roomdeck.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Publisher ids become subscriber ids for shared URIs; everything else is erased into padding. */
class ExtensionIdMapTest {
    private static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    private static final String TWCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    private static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";

    @Test
    void mapsSharedUrisAndErasesTheRest() {
        int[] map = ExtensionIdMap.build(Map.of(AUDIO_LEVEL, 1, TWCC, 3, MID, 4), Map.of(AUDIO_LEVEL, 10, TWCC, 5));
        assertThat(map[1]).isEqualTo(10);
        assertThat(map[3]).isEqualTo(5);
        assertThat(map[4]).as("subscriber has no mid").isZero();

        byte[] b = Hex.bytes("90 6f 00 01 | 00 00 00 a0 | 11 22 33 44 | be de 00 02 | 10 aa 00 31 | 01 02 40 6d | ca fe");
        RtpPacket p = new RtpPacket();
        p.wrap(b, 0, b.length);
        assertThat(p.rewriteExtensionIds(map)).isTrue();
        assertThat(b).containsExactly(Hex.bytes("90 6f 00 01 | 00 00 00 a0 | 11 22 33 44 | be de 00 02 | a0 aa 00 51 | 01 02 00 00 | ca fe"));
    }
}
