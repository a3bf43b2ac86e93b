package dev.roomdeck.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.media.IcePath;
import dev.roomdeck.media.IceProtocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the network doctor tells the operator about one peer, from what the server saw of its path. */
class NetworkDoctorTest {
    private static final NetworkDoctor DOCTOR = new NetworkDoctor(
            new NetworkDoctor.Facts(10000, true, List.of("192.168.1.20")));
    private static final NetworkDoctor WITHOUT_TCP = new NetworkDoctor(
            new NetworkDoctor.Facts(10000, false, List.of("192.168.1.20")));
    private static final Duration LONG_AGO = Duration.ofSeconds(15);

    private static IcePath connected(IceProtocol protocol) {
        return new IcePath(protocol, new InetSocketAddress("192.168.1.20", 10000),
                new InetSocketAddress("192.168.1.31", 53122), "prflx", 312, protocol == IceProtocol.UDP,
                protocol == IceProtocol.TCP, null);
    }

    private static IcePath checking(boolean udp, boolean tcp) {
        return new IcePath(null, null, null, null, -1, udp, tcp, null);
    }

    @Test
    void aHealthyPeerShowsItsPairAndNoFindings() {
        NetworkPath path = DOCTOR.examine(connected(IceProtocol.UDP), "ready", LONG_AGO, 0.4, 3, 4);
        assertThat(path.verdict()).isEqualTo(NetworkPath.Verdict.OK);
        assertThat(path.findings()).isEmpty();
        assertThat(path.protocol()).isEqualTo("udp");
        assertThat(path.localAddress()).isEqualTo("192.168.1.20:10000");
        assertThat(path.remoteAddress()).isEqualTo("192.168.1.31:53122");
        assertThat(path.remoteType()).isEqualTo("prflx");
        assertThat(path.iceMillis()).isEqualTo(312);
        assertThat(path.jitterMillis()).isEqualTo(4);
    }

    @Test
    void mediaOverTcpWorksButIsAWarningThatNamesTheBlockedUdpPort() {
        NetworkPath path = DOCTOR.examine(connected(IceProtocol.TCP), "ready", LONG_AGO, 0, 3, 4);
        assertThat(path.verdict()).isEqualTo(NetworkPath.Verdict.WARNING);
        assertThat(path.protocol()).isEqualTo("tcp");
        assertThat(path.findings()).singleElement().asString()
                .startsWith("Media runs over TCP: UDP port 10000 seems blocked").contains("allow UDP 10000");
    }

    @Test
    void lossDelayAndJitterALanShouldNotHaveAreWarnings() {
        NetworkPath path = DOCTOR.examine(connected(IceProtocol.UDP), "ready", LONG_AGO, 12, 400, 80);
        assertThat(path.verdict()).isEqualTo(NetworkPath.Verdict.WARNING);
        assertThat(path.findings()).hasSize(3);
        assertThat(path.findings().get(0)).startsWith("12 % of what it receives is lost");
        assertThat(path.findings().get(1)).startsWith("Round trip 400 ms");
        assertThat(path.findings().get(2)).contains("jitter 80 ms");
    }

    @Test
    void aPeerIsGivenItsGracePeriodBeforeItIsFlagged() {
        NetworkPath early = DOCTOR.examine(checking(false, false), "checking", Duration.ofSeconds(9), 0, -1, 0);
        assertThat(early.verdict()).isEqualTo(NetworkPath.Verdict.CONNECTING);
        assertThat(early.findings()).isEmpty();
        NetworkPath late = DOCTOR.examine(checking(false, false), "checking", NetworkDoctor.GRACE, 0, -1, 0);
        assertThat(late.verdict()).isEqualTo(NetworkPath.Verdict.NO_MEDIA);
    }

    @Test
    void noCheckAtAllMeansTheDeviceCannotReachTheAnnouncedAddress() {
        NetworkPath path = DOCTOR.examine(checking(false, false), "checking", LONG_AGO, 0, -1, 0);
        assertThat(path.findings()).containsExactly(
                "No connectivity check from this device has reached media port 10000 (UDP or TCP) in 15 s.",
                "It cannot reach 192.168.1.20: it may be on another network or VLAN than this PC, on a guest Wi-Fi"
                        + " that keeps devices apart, or a firewall on this PC blocks port 10000.");
        NetworkPath withoutTcp = WITHOUT_TCP.examine(checking(false, false), "checking", LONG_AGO, 0, -1, 0);
        assertThat(withoutTcp.findings()).hasSize(3).last().asString().startsWith("ICE over TCP is switched off");
    }

    @Test
    void checksOnlyOverTcpMeanUdpIsBlocked() {
        IcePath path = new IcePath(null, null, null, null, -1, false, true, "ice-timeout");
        assertThat(DOCTOR.examine(path, "failed", Duration.ofSeconds(3), 0, -1, 0).findings()).containsExactly(
                "UDP to port 10000 is blocked; the device reached it over TCP, but media did not start (ice-timeout).");
    }

    @Test
    void checksThatArriveWithoutIceCompletingMeanTrafficPassesOneWayOnly() {
        NetworkPath path = WITHOUT_TCP.examine(checking(true, false), "checking", LONG_AGO, 0, -1, 0);
        assertThat(path.findings()).first().asString().contains("answers do not get back");
        assertThat(path.findings()).last().asString().startsWith("ICE over TCP is switched off");
    }

    @Test
    void aPathWithoutAFinishedHandshakeBlamesDtls() {
        IcePath path = new IcePath(IceProtocol.UDP, null, null, "prflx", 200, true, false, "dtls-handshake");
        assertThat(DOCTOR.examine(path, "failed", LONG_AGO, 0, -1, 0).findings()).singleElement().asString()
                .startsWith("A path was found over udp but the secure handshake (DTLS) did not complete (dtls-handshake)");
    }

    @Test
    void aBrowserThatNeverAnsweredIsNotANetworkProblem() {
        NetworkPath path = DOCTOR.examine(IcePath.NOT_STARTED, "new", LONG_AGO, 0, -1, 0);
        assertThat(path.verdict()).isEqualTo(NetworkPath.Verdict.NO_MEDIA);
        assertThat(path.findings()).singleElement().asString().contains("has not answered the server's offer");
    }
}
