package dev.roomdeck.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Which encodings of a client's section the server takes, lowest resolution first. */
class SimulcastTest {

    @Test
    void ridsComeInSimulcastOrderNotInRidLineOrder() throws SdpException {
        assertThat(Simulcast.sendRids(video("a=rid:f send", "a=rid:h send", "a=rid:q send",
                "a=simulcast:send q;h;f"))).containsExactly("q", "h", "f");
    }

    @Test
    void pausedRidsAndLaterAlternativesAreLeftOut() throws SdpException {
        assertThat(Simulcast.sendRids(video("a=rid:q send", "a=rid:a send", "a=rid:h send", "a=rid:f send",
                "a=simulcast:send ~q;a,q;h;f"))).containsExactly("a", "h", "f");
    }

    @Test
    void aRidMustBeDeclaredForSending() throws SdpException {
        assertThat(Simulcast.sendRids(video("a=rid:q send", "a=rid:h recv", "a=rid:f send",
                "a=simulcast:send q;h;f"))).containsExactly("q", "f");
    }

    @Test
    void atMostThreeLayersTheLowestOnes() throws SdpException {
        assertThat(Simulcast.sendRids(video("a=rid:0 send", "a=rid:1 send", "a=rid:2 send", "a=rid:3 send",
                "a=simulcast:send 0;1;2;3"))).containsExactly("0", "1", "2");
    }

    @Test
    void oneEncodingOrNoSimulcastLineIsNoSimulcast() throws SdpException {
        assertThat(Simulcast.sendRids(video("a=rid:q send", "a=simulcast:send q"))).isEmpty();
        assertThat(Simulcast.sendRids(video("a=rid:q send", "a=rid:h send"))).isEmpty();
    }

    @Test
    void theSendListMayFollowARecvListAndOldDraftsPrefixRid() throws SdpException {
        assertThat(Simulcast.sendRids(video("a=rid:q send", "a=rid:h send", "a=rid:x recv",
                "a=simulcast:recv x send q;h"))).containsExactly("q", "h");
        assertThat(Simulcast.sendRids(video("a=rid:q send", "a=rid:h send", "a=simulcast: send rid=q;h")))
                .containsExactly("q", "h");
    }

    @Test
    void simLayersFollowTheGroupWithTheirRtx() {
        List<SsrcGroup> groups = List.of(new SsrcGroup("SIM", List.of(1L, 2L, 3L, 4L)),
                new SsrcGroup("FID", List.of(1L, 11L)), new SsrcGroup("FID", List.of(3L, 13L)));
        Map<Long, Long> rtxOf = Map.of(1L, 11L, 3L, 13L);

        assertThat(Simulcast.simLayers(groups, 1, rtxOf)).containsExactly(new SimulcastLayer(null, 1, 11),
                new SimulcastLayer(null, 2, 0), new SimulcastLayer(null, 3, 13));
        assertThat(Simulcast.simLayers(groups, 2, rtxOf)).as("only the group the track's SSRC starts").isEmpty();
        assertThat(Simulcast.simLayers(List.of(new SsrcGroup("SIM", List.of(1L))), 1, rtxOf)).isEmpty();
    }

    private static MediaSection video(String... attributes) throws SdpException {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=rtpmap:96 VP8/90000\r\n");
        for (String a : attributes) {
            sdp.append(a).append("\r\n");
        }
        return SessionDescription.parse(sdp.toString()).media().get(0);
    }
}
