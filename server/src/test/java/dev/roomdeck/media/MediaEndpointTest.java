package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import org.ice4j.ice.harvest.HarvestConfig;
import org.ice4j.ice.harvest.MappingCandidateHarvesters;
import org.junit.jupiter.api.Test;

class MediaEndpointTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final DtlsCertificate CERT = DtlsCertificate.generate();

    @Test
    void ice4jNeverLooksForPublicAddresses() {
        try (MediaEndpoint ignored = MediaEndpoint.open(List.of(LOOPBACK), 0, null, CERT)) {
            assertThat(HarvestConfig.config.enableAwsHarvester()).isFalse();
            assertThat(MappingCandidateHarvesters.getHarvesters()).isEmpty();
        }
    }

    @Test
    void theSharedPortCannotBeTakenTwice() {
        try (MediaEndpoint first = MediaEndpoint.open(List.of(LOOPBACK), 0, null, CERT)) {
            assertThat(first.port()).isPositive();
            assertThatThrownBy(() -> MediaEndpoint.open(List.of(LOOPBACK), first.port(), null, CERT))
                    .isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void transportsAnnounceTheSharedPortAndTheNatAddress() throws Exception {
        InetAddress publicAddress = InetAddress.getByName("203.0.113.7"); // TEST-NET-3, never contacted
        try (MediaEndpoint endpoint = MediaEndpoint.open(List.of(LOOPBACK), 0, publicAddress, CERT)) {
            PeerTransport a = endpoint.createTransport("a");
            PeerTransport b = endpoint.createTransport("b");
            int port = endpoint.port();
            // UDP first (the SDP's m-line takes the first), then ICE-TCP on the same port number, ranked below UDP.
            assertThat(a.localCandidates()).hasSize(4);
            assertThat(a.localCandidates().get(0)).matches("\\S+ 1 udp 2130706431 127\\.0\\.0\\.1 " + port + " typ host");
            assertThat(a.localCandidates().get(1))
                    .isEqualTo("9 1 udp 1694498815 203.0.113.7 " + port + " typ srflx raddr 127.0.0.1 rport " + port);
            assertThat(a.localCandidates().get(2))
                    .matches("\\S+ 1 tcp 1526726655 127\\.0\\.0\\.1 " + port + " typ host tcptype passive");
            assertThat(a.localCandidates().get(3)).isEqualTo("10 1 tcp 1191182335 203.0.113.7 " + port
                    + " typ srflx raddr 127.0.0.1 rport " + port + " tcptype passive");
            assertThat(a.localUfrag()).isNotEqualTo(b.localUfrag());
            assertThat(a.localPwd()).hasSizeGreaterThanOrEqualTo(22);
            assertThat(endpoint.transportCount()).isEqualTo(2);
            a.close();
            assertThat(endpoint.transportCount()).isEqualTo(1);
            endpoint.close();
            assertThat(endpoint.transportCount()).isZero();
            assertThat(b.state()).isEqualTo(TransportState.CLOSED);
            assertThatThrownBy(() -> endpoint.createTransport("c")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void withTcpSwitchedOffOnlyUdpIsAnnouncedAndTheTcpPortStaysClosed() throws Exception {
        try (MediaEndpoint endpoint = MediaEndpoint.open(List.of(LOOPBACK), 0, null, CERT, false)) {
            PeerTransport a = endpoint.createTransport("a");
            assertThat(a.localCandidates()).singleElement().asString().contains(" udp ");
            assertThat(endpoint.iceTcp()).isFalse();
            assertThatThrownBy(() -> new Socket(LOOPBACK, endpoint.port()).close()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aTcpConnectionWhoseFirstCheckNamesNoTransportIsCountedAndClosed() throws Exception {
        try (MediaEndpoint endpoint = MediaEndpoint.open(List.of(LOOPBACK), 0, null, CERT)) {
            endpoint.createTransport("a");
            try (Socket socket = new Socket(LOOPBACK, endpoint.port())) {
                byte[] check = new byte[512];
                int len = StunCodec.bindingRequest(check, new byte[12], "nobody", "x", "pwd-that-is-long-enough-1234",
                        1, true, 7, false);
                OutputStream out = socket.getOutputStream();
                out.write(new byte[] {(byte) (len >> 8), (byte) len}); // RFC 4571 framing
                out.write(check, 0, len);
                out.flush();
                socket.setSoTimeout(5000);
                assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            }
            assertThat(endpoint.counters().drops()).containsEntry("stun-unknown-ufrag", 1L);
        }
    }

    @Test
    void followsTheHostAddressesWhileRunning() throws Exception {
        InetAddress second = InetAddress.getByName("127.0.0.2");
        try (MediaEndpoint endpoint = MediaEndpoint.open(List.of(LOOPBACK), 0, null, CERT)) {
            int port = endpoint.port();
            PeerTransport before = endpoint.createTransport("before");
            assertThat(endpoint.useAddresses(List.of(LOOPBACK, second))).isTrue();
            assertThat(endpoint.createTransport("both").localCandidates())
                    .anyMatch(c -> c.contains(" udp ") && c.contains(" 127.0.0.2 " + port + " "))
                    .anyMatch(c -> c.contains(" tcp ") && c.contains(" 127.0.0.2 " + port + " "));
            assertThat(endpoint.useAddresses(List.of(second))).isTrue();
            assertThat(endpoint.hostAddresses()).containsExactly(second);
            assertThat(endpoint.createTransport("after").localCandidates()).noneMatch(c -> c.contains("127.0.0.1"));
            // The old address's port is free again; the transport made before keeps its own state.
            assertThat(rebindable(new InetSocketAddress(LOOPBACK, port))).isTrue();
            assertThat(before.state()).isEqualTo(TransportState.NEW);
        }
    }

    /**
     * Whether the UDP address can be bound within two seconds: a closed socket whose reader thread is still in
     * receive() is released by the JDK only once that thread has left.
     */
    static boolean rebindable(InetSocketAddress address) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (true) {
            try (DatagramSocket rebound = new DatagramSocket(address)) {
                return rebound.getLocalPort() == address.getPort();
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> MediaEndpoint.open(List.of(), 0, null, CERT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaEndpoint.open(List.of(LOOPBACK), 70000, null, CERT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
