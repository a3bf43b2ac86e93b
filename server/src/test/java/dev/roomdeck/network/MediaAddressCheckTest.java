package dev.roomdeck.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up self-check of the media addresses: each problem is one the operator can act on. */
class MediaAddressCheckTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void addressesOnThisPcThatAreBoundAreFine() throws Exception {
        List<InetAddress> lan = List.of(ip("192.168.1.20"));
        assertThat(MediaAddressCheck.run(lan, lan, 10000, List.of(), a -> true)).isEmpty();
    }

    @Test
    void anAddressThatIsNotThisPcsIsNamed() throws Exception {
        List<InetAddress> wanted = List.of(ip("192.168.1.20"), ip("10.0.0.9"));
        List<String> problems = MediaAddressCheck.run(wanted, wanted, 10000, List.of(),
                a -> !a.getHostAddress().equals("10.0.0.9"));
        assertThat(problems).singleElement().asString()
                .startsWith("Media address 10.0.0.9 is not an address of this PC");
    }

    @Test
    void anAddressThatCouldNotBeBoundIsNamed() throws Exception {
        List<String> problems = MediaAddressCheck.run(List.of(ip("192.168.1.20"), ip("192.168.2.20")),
                List.of(ip("192.168.1.20")), 10000, List.of(), a -> true);
        assertThat(problems).containsExactly(
                "Media port 10000 could not be bound on 192.168.2.20: another program may use it.");
    }

    @Test
    void loopbackAloneMeansNobodyElseCanJoinAndSocketProblemsAreCarried() throws Exception {
        List<InetAddress> lo = List.of(ip("127.0.0.1"));
        List<String> problems = MediaAddressCheck.run(lo, lo, 10000, List.of("TCP 127.0.0.1:10000 cannot be bound"),
                MediaAddressCheck::onThisPc);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("Media is announced only on loopback (127.0.0.1)");
        assertThat(problems.get(1)).isEqualTo("TCP 127.0.0.1:10000 cannot be bound");
    }

    @Test
    void thisPcsOwnLoopbackIsOnThisPcAndADocumentationAddressIsNot() throws Exception {
        assertThat(MediaAddressCheck.onThisPc(ip("127.0.0.1"))).isTrue();
        assertThat(MediaAddressCheck.onThisPc(ip("203.0.113.9"))).isFalse();
    }
}
