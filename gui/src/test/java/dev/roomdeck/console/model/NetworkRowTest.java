package dev.roomdeck.console.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomdeck.admin.NetworkPath;
import dev.roomdeck.admin.NetworkPath.Verdict;
import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.RoomSnapshot;
import dev.roomdeck.admin.ServerSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** The network doctor's figures on a peer's row, and the words of its Network cell. */
class NetworkRowTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String NO_CHECK = "No connectivity check from this device has reached media port 40000 (UDP or TCP) in %d s.";

    @Test
    void theCellSaysTheVerdictInWordsAndAMark() {
        assertThat(new NetworkStatus(Verdict.OK, "udp").text()).isEqualTo("UDP ✓");
        assertThat(new NetworkStatus(Verdict.WARNING, "tcp").text()).isEqualTo("TCP ⚠");
        assertThat(new NetworkStatus(Verdict.WARNING, "udp").text()).as("UDP with loss").isEqualTo("UDP ⚠");
        assertThat(new NetworkStatus(Verdict.CONNECTING, null).text()).isEqualTo("connecting…");
        assertThat(new NetworkStatus(Verdict.NO_MEDIA, null).text()).isEqualTo("no media ✗");
        assertThat(NetworkStatus.of(NetworkPath.UNKNOWN).text()).isEqualTo("connecting…");

        assertThat(new NetworkStatus(Verdict.NO_MEDIA, null).styleClass()).isEqualTo("network-no-media");
        assertThat(new NetworkStatus(Verdict.WARNING, "tcp").styleClass()).isEqualTo("network-warning");
        assertThat(Stream.of(Verdict.values()).filter(v -> new NetworkStatus(v, "udp").flagged()))
                .containsExactlyInAnyOrder(Verdict.WARNING, Verdict.NO_MEDIA);
    }

    @Test
    void sortedDescendingTheTroubleComesFirst() {
        List<NetworkStatus> all = new ArrayList<>(List.of(new NetworkStatus(Verdict.OK, "udp"),
                new NetworkStatus(Verdict.NO_MEDIA, null), new NetworkStatus(Verdict.CONNECTING, null),
                new NetworkStatus(Verdict.WARNING, "tcp")));
        all.sort(java.util.Comparator.reverseOrder());
        assertThat(all).extracting(NetworkStatus::text).containsExactly("no media ✗", "TCP ⚠", "connecting…", "UDP ✓");
    }

    @Test
    void aHealthyPeerCarriesItsPairIceTimeRttLossAndJitter() {
        ConsoleModel model = new ConsoleModel(T0);
        NetworkPath path = new NetworkPath("udp", "127.0.0.1:40000", "127.0.0.1:51234", "prflx", 35, 1.5,
                Verdict.OK, List.of());

        model.apply(server(T0.plusSeconds(3), peer("alice", path, 0.4, 0.0)));

        NetworkRow n = model.room("r1").peer("alice").network();
        assertThat(n.status().text()).isEqualTo("UDP ✓");
        assertThat(n.protocolProperty().get()).isEqualTo("UDP");
        assertThat(n.localAddressProperty().get()).isEqualTo("127.0.0.1:40000");
        assertThat(n.remoteAddressProperty().get()).isEqualTo("127.0.0.1:51234");
        assertThat(n.candidateTypeProperty().get()).isEqualTo("prflx");
        assertThat(n.iceMillisProperty().get()).isEqualTo(35);
        assertThat(n.rttMillisProperty().get()).isEqualTo(0.4);
        assertThat(n.lossPercentProperty().get()).isZero();
        assertThat(n.jitterMillisProperty().get()).isEqualTo(1.5);
        assertThat(n.findings()).isEmpty();
    }

    @Test
    void aSilentPeerGoesFromConnectingToNoMediaWithItsFindingsOnTheSameRow() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(T0.plusSeconds(2), peer("bob", new NetworkPath(null, null, null, null, -1, 0,
                Verdict.CONNECTING, List.of()), -1, 0)));
        PeerRow bob = model.room("r1").peer("bob");
        NetworkRow n = bob.network();
        assertThat(n.status().text()).isEqualTo("connecting…");
        assertThat(n.status().flagged()).isFalse();
        assertThat(n.protocolProperty().get()).isEmpty();
        assertThat(n.localAddressProperty().get()).isEmpty();
        assertThat(n.iceMillisProperty().get()).isEqualTo(-1);
        List<String> changes = new ArrayList<>();
        n.findings().addListener((ListChangeListener<String>) c -> changes.add(String.valueOf(c.getList())));

        model.apply(server(T0.plusSeconds(11), peer("bob", noMedia(11), -1, 0)));
        model.apply(server(T0.plusSeconds(12), peer("bob", noMedia(12), -1, 0)));
        model.apply(server(T0.plusSeconds(13), peer("bob", noMedia(12), -1, 0))); // the same words: no change

        assertThat(model.room("r1").peer("bob")).isSameAs(bob);
        assertThat(n.status().text()).isEqualTo("no media ✗");
        assertThat(n.status().flagged()).isTrue();
        assertThat(n.findings()).containsExactly(String.format(NO_CHECK, 12), "It cannot reach 127.0.0.1: ...");
        assertThat(changes).hasSize(2);
    }

    @Test
    void overTcpTheRowIsAWarningThatSaysTcp() {
        ConsoleModel model = new ConsoleModel(T0);
        model.apply(server(T0.plusSeconds(5), peer("carol", new NetworkPath("tcp", "127.0.0.1:40000",
                "127.0.0.1:60000", "prflx", 2400, 0, Verdict.WARNING,
                List.of("Media runs over TCP: UDP port 40000 seems blocked ...")), 3, 0)));

        NetworkRow n = model.room("r1").peer("carol").network();
        assertThat(n.status().text()).isEqualTo("TCP ⚠");
        assertThat(n.status().flagged()).isTrue();
        assertThat(n.protocolProperty().get()).isEqualTo("TCP");
        assertThat(n.findings()).singleElement().asString().startsWith("Media runs over TCP");
    }

    private static NetworkPath noMedia(long seconds) {
        return new NetworkPath(null, null, null, null, -1, 0, Verdict.NO_MEDIA,
                List.of(String.format(NO_CHECK, seconds), "It cannot reach 127.0.0.1: ..."));
    }

    private static ServerSnapshot server(Instant t, PeerSnapshot... peers) {
        return new ServerSnapshot(t, 10, 40000, List.of(new RoomSnapshot("r1", List.of(peers))));
    }

    private static PeerSnapshot peer(String id, NetworkPath path, double rtt, double loss) {
        return new PeerSnapshot(id, id, "127.0.0.1:5000", T0, path.verdict() == Verdict.OK ? "ready" : "checking",
                0, 0, loss, rtt, List.of(), 0, null, 0, false, null, path);
    }
}
