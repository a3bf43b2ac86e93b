package dev.roomdeck.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Socket.IO packet framing: {@code <type>[<attachments>-][<namespace>,][<ack id>][<JSON>]}. */
class SocketIoPacketTest {

    @Test
    void readsAnEventWithoutAndWithAnAcknowledgement() throws Exception {
        assertThat(SocketIoPacket.parse("2[\"join\",{\"room\":\"r\"}]"))
                .isEqualTo(new SocketIoPacket(SocketIoPacket.EVENT, "/", -1, 0, "[\"join\",{\"room\":\"r\"}]"));
        assertThat(SocketIoPacket.parse("212[\"join\",{}]"))
                .isEqualTo(new SocketIoPacket(SocketIoPacket.EVENT, "/", 12, 0, "[\"join\",{}]"));
    }

    @Test
    void readsNamespacesConnectsAndDisconnects() throws Exception {
        assertThat(SocketIoPacket.parse("0")).isEqualTo(new SocketIoPacket(SocketIoPacket.CONNECT, "/", -1, 0, ""));
        assertThat(SocketIoPacket.parse("0{\"token\":\"t\"}").payload()).isEqualTo("{\"token\":\"t\"}");
        assertThat(SocketIoPacket.parse("0/admin,")).isEqualTo(new SocketIoPacket(SocketIoPacket.CONNECT, "/admin", -1, 0, ""));
        assertThat(SocketIoPacket.parse("0/admin")).isEqualTo(new SocketIoPacket(SocketIoPacket.CONNECT, "/admin", -1, 0, ""));
        assertThat(SocketIoPacket.parse("2/chat,7[\"x\"]"))
                .isEqualTo(new SocketIoPacket(SocketIoPacket.EVENT, "/chat", 7, 0, "[\"x\"]"));
        assertThat(SocketIoPacket.parse("1").type()).isEqualTo(SocketIoPacket.DISCONNECT);
    }

    @Test
    void readsTheAttachmentCountOfBinaryPackets() throws Exception {
        SocketIoPacket p = SocketIoPacket.parse("52-3[\"x\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(p.type()).isEqualTo(SocketIoPacket.BINARY_EVENT);
        assertThat(p.attachments()).isEqualTo(2);
        assertThat(p.ackId()).isEqualTo(3);
    }

    @Test
    void refusesWhatIsNotFraming() {
        assertThatThrownBy(() -> SocketIoPacket.parse("")).isInstanceOf(SocketIoPacket.Malformed.class);
        assertThatThrownBy(() -> SocketIoPacket.parse("9[]")).isInstanceOf(SocketIoPacket.Malformed.class);
        assertThatThrownBy(() -> SocketIoPacket.parse("x")).isInstanceOf(SocketIoPacket.Malformed.class);
        assertThatThrownBy(() -> SocketIoPacket.parse("5[\"x\"]")).isInstanceOf(SocketIoPacket.Malformed.class);
        assertThatThrownBy(() -> SocketIoPacket.parse("5a-[\"x\"]")).isInstanceOf(SocketIoPacket.Malformed.class);
        assertThatThrownBy(() -> SocketIoPacket.parse("21234567890123456[\"x\"]"))
                .isInstanceOf(SocketIoPacket.Malformed.class);
    }

    @Test
    void writesDefaultNamespaceMessagesWithTheEngineIoPrefix() {
        assertThat(SocketIoPacket.message(SocketIoPacket.EVENT, -1, "[\"joined\",{}]")).isEqualTo("42[\"joined\",{}]");
        assertThat(SocketIoPacket.message(SocketIoPacket.ACK, 12, "[{}]")).isEqualTo("4312[{}]");
    }
}
