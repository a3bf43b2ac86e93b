package dev.roomdeck.console.model;

import dev.roomdeck.admin.NetworkPath;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One peer's network path as the network doctor sees it (updated in place with each snapshot): the selected
 * candidate pair (this PC's address and the device's, UDP or TCP, the device's candidate type), how long ICE took,
 * the round trip, loss and jitter, the verdict, and the findings in plain words.
 */
public final class NetworkRow {
    private final ObjectProperty<NetworkStatus> status = new SimpleObjectProperty<>(this, "status", NetworkStatus.UNKNOWN);
    private final StringProperty protocol = new SimpleStringProperty(this, "protocol", "");
    private final StringProperty localAddress = new SimpleStringProperty(this, "localAddress", "");
    private final StringProperty remoteAddress = new SimpleStringProperty(this, "remoteAddress", "");
    private final StringProperty candidateType = new SimpleStringProperty(this, "candidateType", "");
    private final LongProperty iceMillis = new SimpleLongProperty(this, "iceMillis", -1);
    private final DoubleProperty rttMillis = new SimpleDoubleProperty(this, "rttMillis", -1);
    private final DoubleProperty lossPercent = new SimpleDoubleProperty(this, "lossPercent");
    private final DoubleProperty jitterMillis = new SimpleDoubleProperty(this, "jitterMillis");
    private final ObservableList<String> findings = FXCollections.observableArrayList();

    NetworkRow() {
    }

    /** The doctor's view of the peer (never null in a snapshot), with the RTT and loss the peer's snapshot carries. */
    void update(NetworkPath p, double rtt, double loss) {
        NetworkPath path = p == null ? NetworkPath.UNKNOWN : p;
        status.set(NetworkStatus.of(path));
        protocol.set(path.protocol() == null ? "" : path.protocol().toUpperCase(Locale.ROOT));
        localAddress.set(path.localAddress() == null ? "" : path.localAddress());
        remoteAddress.set(path.remoteAddress() == null ? "" : path.remoteAddress());
        candidateType.set(path.remoteType() == null ? "" : path.remoteType());
        iceMillis.set(path.iceMillis());
        rttMillis.set(rtt);
        lossPercent.set(loss);
        jitterMillis.set(path.jitterMillis());
        List<String> next = path.findings();
        if (!findings.equals(next)) {
            findings.setAll(next); // only on a change: a view over the list is not redrawn every second
        }
    }

    /** The Network cell's status: verdict and protocol ("UDP ✓", "no media ✗"). */
    public ObjectProperty<NetworkStatus> statusProperty() {
        return status;
    }

    public NetworkStatus status() {
        return status.get();
    }

    /** "UDP" or "TCP" of the selected pair; "" until ICE selected one. */
    public StringProperty protocolProperty() {
        return protocol;
    }

    /** This PC's side of the selected pair ("192.168.1.20:40000"); "" until then. */
    public StringProperty localAddressProperty() {
        return localAddress;
    }

    /** The device's side ("192.168.1.31:53122"); "" until then. */
    public StringProperty remoteAddressProperty() {
        return remoteAddress;
    }

    /** The device's candidate type: "prflx" (browsers hide their host address), "host", ...; "" until then. */
    public StringProperty candidateTypeProperty() {
        return candidateType;
    }

    /** How long ICE took; -1 until it finished. */
    public LongProperty iceMillisProperty() {
        return iceMillis;
    }

    /** Round trip to the peer; -1 until measured. */
    public DoubleProperty rttMillisProperty() {
        return rttMillis;
    }

    /** Loss the peer reports about what it receives. */
    public DoubleProperty lossPercentProperty() {
        return lossPercent;
    }

    /** The worst jitter of the media the peer sends (0 when it sends none). */
    public DoubleProperty jitterMillisProperty() {
        return jitterMillis;
    }

    /** What is off and its likely causes, in plain words; empty when all is well. */
    public ObservableList<String> findings() {
        return findings;
    }
}
