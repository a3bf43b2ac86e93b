package dev.roomdeck.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Long-polling bodies: several Engine.IO packets, framed one way by each revision. */
class PayloadTest {

    @Test
    void engineIo4SeparatesPacketsWithTheRecordSeparator() throws Exception {
        assertThat(Payload.encode(EngineIoVersion.V4, List.of("40", "42[\"a\"]", "2"))).isEqualTo("40\u001e42[\"a\"]\u001e2");
        assertThat(Payload.encode(EngineIoVersion.V4, List.of("6"))).isEqualTo("6");
        assertThat(Payload.decode(EngineIoVersion.V4, "40\u001e42[\"a\"]")).containsExactly("40", "42[\"a\"]");
        assertThat(Payload.decode(EngineIoVersion.V4, "bAQID")).containsExactly(Payload.BINARY);
        assertThatThrownBy(() -> Payload.decode(EngineIoVersion.V4, "")).isInstanceOf(Payload.Malformed.class);
        assertThatThrownBy(() -> Payload.decode(EngineIoVersion.V4, "40\u001e")).isInstanceOf(Payload.Malformed.class);
    }

    @Test
    void engineIo3PrefixesEachPacketWithItsLengthInUtf16CodeUnits() throws Exception {
        String wide = "42[\"ü😀\"]"; // the emoji is two code units, as JavaScript counts
        assertThat(wide.length()).isEqualTo(9);
        assertThat(Payload.encode(EngineIoVersion.V3, List.of("40", wide))).isEqualTo("2:409:" + wide);
        assertThat(Payload.decode(EngineIoVersion.V3, "2:409:" + wide)).containsExactly("40", wide);
        assertThat(Payload.decode(EngineIoVersion.V3, "0:1:2")).containsExactly("2"); // "0:" is the empty payload
        assertThat(Payload.decode(EngineIoVersion.V3, "6:b4AQID")).containsExactly(Payload.BINARY);
        for (String bad : List.of("", "0:", "40", ":40", "x:40", "3:40", "2:40junk", "1234567890:4")) {
            assertThatThrownBy(() -> Payload.decode(EngineIoVersion.V3, bad)).as(bad)
                    .isInstanceOf(Payload.Malformed.class);
        }
    }

    @Test
    void engineIo3BinaryBodiesCarryTextAsUtf8AndBinaryAsAMarker() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        entry(body, 0, "451-[\"m\",{\"_placeholder\":true,\"num\":0}]".getBytes(StandardCharsets.UTF_8));
        entry(body, 1, new byte[] {4, 1, 2, 3});
        entry(body, 0, "42[\"ü\"]".getBytes(StandardCharsets.UTF_8)); // 9 bytes, 7 characters
        assertThat(Payload.decodeBinary(body.toByteArray()))
                .containsExactly("451-[\"m\",{\"_placeholder\":true,\"num\":0}]", Payload.BINARY, "42[\"ü\"]");

        assertThatThrownBy(() -> Payload.decodeBinary(new byte[] {2, 1, (byte) 255, 0}))
                .isInstanceOf(Payload.Malformed.class);
        assertThatThrownBy(() -> Payload.decodeBinary(new byte[] {0, 5, (byte) 255, '4', '0'}))
                .isInstanceOf(Payload.Malformed.class);
        assertThatThrownBy(() -> Payload.decodeBinary(new byte[0])).isInstanceOf(Payload.Malformed.class);
    }

    /** One entry as engine.io-parser 2 writes it: the marker, the length one decimal digit a byte, 255, the bytes. */
    private static void entry(ByteArrayOutputStream out, int marker, byte[] bytes) {
        out.write(marker);
        for (char c : Integer.toString(bytes.length).toCharArray()) {
            out.write(c - '0');
        }
        out.write(255);
        out.writeBytes(bytes);
    }
}
