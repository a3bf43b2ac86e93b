package dev.roomdeck.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
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
            Transport a = endpoint.createTransport("a");
            Transport b = endpoint.createTransport("b");
            int port = endpoint.port();
            assertThat(a.localCandidates()).hasSize(2);
            assertThat(a.localCandidates().get(0)).matches("\\S+ 1 udp 2130706431 127\\.0\\.0\\.1 " + port + " typ host");
            assertThat(a.localCandidates().get(1))
                    .isEqualTo("9 1 udp 1694498815 203.0.113.7 " + port + " typ srflx raddr 127.0.0.1 rport " + port);
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
    void rejectsNonsense() {
        assertThatThrownBy(() -> MediaEndpoint.open(List.of(), 0, null, CERT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaEndpoint.open(List.of(LOOPBACK), 70000, null, CERT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
