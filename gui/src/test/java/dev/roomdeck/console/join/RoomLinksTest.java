package dev.roomdeck.console.join;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The room's links, built on the console's join URLs as the web page builds its own. */
class RoomLinksTest {
    @Test
    void theRoomImInThisRoomAndTheDisplayOnThisPc() throws Exception {
        JoinInfo join = new JoinInfo(java.util.List.of("https://192.168.1.20:7443/"), "http://localhost:7080/", null);

        assertThat(RoomLinks.room(join, "weekly")).isEqualTo("https://192.168.1.20:7443/?room=weekly");
        assertThat(RoomLinks.inRoom(join, "Board room")).isEqualTo("https://192.168.1.20:7443/?room=Board%20room&inroom=1");
        // On this PC: plain HTTP on localhost (a secure context: the display's camera works, no certificate question).
        assertThat(RoomLinks.display(join, "weekly")).isEqualTo("http://localhost:7080/?room=weekly&display=1");
        // A server bound to one LAN address only: the display goes through HTTPS like everyone.
        JoinInfo lan = new JoinInfo(java.util.List.of("https://192.168.1.20:7443/"), "http://192.168.1.20:7080/", null);
        assertThat(RoomLinks.display(lan, "weekly")).isEqualTo("https://192.168.1.20:7443/?room=weekly&display=1");
    }
}
