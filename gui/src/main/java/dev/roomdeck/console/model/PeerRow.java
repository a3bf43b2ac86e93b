package dev.roomdeck.console.model;

import dev.roomdeck.admin.PeerSnapshot;
import dev.roomdeck.admin.ReceivedVideoSnapshot;
import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.admin.TrackSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** One peer of a room, as a row of the peers table; its streams' tracks are rows of the streams table. */
public final class PeerRow {
    private final String roomId;
    private final String id;
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final ReadOnlyStringWrapper label = new ReadOnlyStringWrapper(this, "label", "");
    private final IntegerProperty negotiationFailures = new SimpleIntegerProperty(this, "negotiationFailures");
    private final StringProperty lastNegotiationFailure = new SimpleStringProperty(this, "lastNegotiationFailure");
    private final StringProperty address = new SimpleStringProperty(this, "address", "");
    private final StringProperty state = new SimpleStringProperty(this, "state", "");
    private final LongProperty connectedSeconds = new SimpleLongProperty(this, "connectedSeconds");
    private final LongProperty bitrateIn = new SimpleLongProperty(this, "bitrateIn");
    private final LongProperty bitrateOut = new SimpleLongProperty(this, "bitrateOut");
    private final DoubleProperty loss = new SimpleDoubleProperty(this, "loss");
    private final DoubleProperty rtt = new SimpleDoubleProperty(this, "rtt");
    private final IntegerProperty streamCount = new SimpleIntegerProperty(this, "streamCount");
    private final IntegerProperty audioLevel = new SimpleIntegerProperty(this, "audioLevel");
    private final javafx.beans.property.BooleanProperty speaking =
            new javafx.beans.property.SimpleBooleanProperty(this, "speaking");
    private final StringProperty device = new SimpleStringProperty(this, "device", "");
    private final NetworkRow network = new NetworkRow();
    private final ObjectProperty<ReceivingSummary> reception = new SimpleObjectProperty<>(this, "reception", ReceivingSummary.NONE);
    /** msid → what the stream is called after the peer's label: "camera", "screen", "screen 2". */
    private java.util.Map<String, String> streamKinds = java.util.Map.of();
    private final ObservableList<StreamRow> tracks = FXCollections.observableArrayList();
    private final Rows<StreamRow, Pair> trackRows = new Rows<>(tracks, Pair::key,
            p -> new StreamRow(p.key(), p.stream().msid()), (row, p) -> row.update(p.stream(), p.track()));
    private Instant joinedAt;
    private Instant negotiationFailureSeenAt;
    private List<StreamSnapshot> streams = List.of();

    /** A stream with one of its tracks (null when the stream has none), keyed as its row. */
    private record Pair(StreamSnapshot stream, TrackSnapshot track) {
        String key() {
            return StreamRow.keyOf(stream, track);
        }
    }

    PeerRow(String roomId, String id) {
        this.roomId = roomId;
        this.id = id;
        this.name.set(id);
        this.label.set(id);
    }

    void update(PeerSnapshot p, Instant now) {
        joinedAt = p.joinedAt();
        name.set(p.name() == null || p.name().isBlank() ? id : p.name().strip());
        if (p.negotiationFailures() > negotiationFailures.get()) {
            negotiationFailureSeenAt = now; // the first snapshot that shows a new failure
        }
        lastNegotiationFailure.set(p.lastNegotiationFailure());
        negotiationFailures.set(p.negotiationFailures());
        address.set(p.address() == null ? "" : p.address());
        state.set(p.transportState() == null ? "" : p.transportState());
        connectedSeconds.set(p.joinedAt() == null ? 0 : Math.max(0, Duration.between(p.joinedAt(), now).toSeconds()));
        bitrateIn.set(p.bitrateInBps());
        bitrateOut.set(p.bitrateOutBps());
        loss.set(p.lossPercent());
        rtt.set(p.rttMillis());
        streamCount.set(p.streams().size());
        audioLevel.set(Math.max(0, Math.min(100, p.audioLevel())));
        speaking.set(p.speaking());
        device.set(p.device() == null ? "" : p.device());
        network.update(p.network(), p.rttMillis(), p.lossPercent());
        streams = p.streams();
        streamKinds = streamKinds(p.streams());
        List<Pair> pairs = new ArrayList<>();
        for (StreamSnapshot s : p.streams()) {
            if (s.tracks().isEmpty()) {
                pairs.add(new Pair(s, null));
            }
            for (TrackSnapshot t : s.tracks()) {
                pairs.add(new Pair(s, t));
            }
        }
        trackRows.sync(pairs);
    }

    public String roomId() {
        return roomId;
    }

    public String id() {
        return id;
    }

    /** The name the person typed (the id when none); two people may type the same one. */
    public String name() {
        return name.get();
    }

    public StringProperty nameProperty() {
        return name;
    }

    /**
     * What the console calls this peer: its name, with the start of its id when another peer of the room has the
     * same name ("Anna (u-3f9a)"); distinct within the room. Set by the room after each snapshot.
     */
    public String label() {
        return label.get();
    }

    public ReadOnlyStringProperty labelProperty() {
        return label.getReadOnlyProperty();
    }

    void label(String text) {
        label.set(text);
        for (StreamRow row : tracks) {
            row.label(streamLabel(row.msid()));
        }
    }

    /** "camera", "screen" by each stream's kind; a second stream of the same kind is "camera 2", and so on. */
    static java.util.Map<String, String> streamKinds(List<StreamSnapshot> streams) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (StreamSnapshot s : streams) {
            int n = seen.merge(s.kind(), 1, Integer::sum);
            out.put(s.msid(), n == 1 ? s.kind() : s.kind() + " " + n);
        }
        return out;
    }

    /**
     * What the console calls one of this peer's streams: the peer's label and the stream's kind, "Ben · camera",
     * "Ben · screen" (the msid only in tooltips).
     */
    public String streamLabel(String msid) {
        String kind = streamKinds.get(msid);
        return label() + " · " + (kind == null ? msid : kind);
    }

    /** The stream's kind: "camera" or "screen" (camera for one the console does not know). */
    public String streamKind(String msid) {
        for (StreamSnapshot s : streams) {
            if (s.msid().equals(msid)) {
                return s.kind();
            }
        }
        return "camera";
    }

    /**
     * What the peer receives of the others' video, from its snapshot; each stream labelled by {@code label} (the
     * room's names for its publisher's streams, known only once the room labelled all its peers). Set only when it
     * changed, so that a view over it is not redrawn every second for nothing.
     */
    void reception(PeerSnapshot p, java.util.function.Function<ReceivedVideoSnapshot, String> label) {
        List<ReceivedVideoSnapshot> videos = new ArrayList<>(p.receiving().size());
        for (ReceivedVideoSnapshot v : p.receiving()) {
            videos.add(new ReceivedVideoSnapshot(v.publisherId(), v.msid(), label.apply(v), v.layer(), v.targetLayer(),
                    v.layers(), v.width(), v.height(), v.reason(), v.bitrateBps()));
        }
        ReceivingSummary next = new ReceivingSummary(p.linkEstimateBps(), videos);
        if (!next.equals(reception.get())) {
            reception.set(next);
        }
    }

    /** Which layer of each video stream the peer gets and why, and its link estimate (the Receives column). */
    public ObjectProperty<ReceivingSummary> receptionProperty() {
        return reception;
    }

    public ReceivingSummary reception() {
        return reception.get();
    }

    /** The peer's loudest audio now, 0–100 (smoothed by the server; 0 when muted or silent). */
    public IntegerProperty audioLevelProperty() {
        return audioLevel;
    }

    /** Above the speech threshold now. */
    public javafx.beans.property.BooleanProperty speakingProperty() {
        return speaking;
    }

    /** "in-room" (a device in the meeting room), "display" (the room's screen), or "" for an ordinary peer. */
    public StringProperty deviceProperty() {
        return device;
    }

    /** Server offers this peer's browser reported it could not apply. */
    public IntegerProperty negotiationFailuresProperty() {
        return negotiationFailures;
    }

    /** The browser's words for the last offer it could not apply; null when none failed. */
    public StringProperty lastNegotiationFailureProperty() {
        return lastNegotiationFailure;
    }

    /** When the console first saw the latest failure (a snapshot's time); null when none failed. */
    public Instant negotiationFailureSeenAt() {
        return negotiationFailureSeenAt;
    }

    public Instant joinedAt() {
        return joinedAt;
    }

    /** The peer's streams as last seen (immutable snapshots). */
    public List<StreamSnapshot> streams() {
        return streams;
    }

    /** The msids of this peer's streams, in order. */
    public Set<String> msids() {
        Set<String> out = new TreeSet<>();
        streams.forEach(s -> out.add(s.msid()));
        return out;
    }

    /** The network doctor's view of this peer's media path. */
    public NetworkRow network() {
        return network;
    }

    public StringProperty addressProperty() {
        return address;
    }

    public StringProperty stateProperty() {
        return state;
    }

    public LongProperty connectedSecondsProperty() {
        return connectedSeconds;
    }

    public LongProperty bitrateInProperty() {
        return bitrateIn;
    }

    public LongProperty bitrateOutProperty() {
        return bitrateOut;
    }

    public DoubleProperty lossProperty() {
        return loss;
    }

    public DoubleProperty rttProperty() {
        return rtt;
    }

    public IntegerProperty streamCountProperty() {
        return streamCount;
    }

    /** Track rows of this peer's streams, updated in place. */
    public ObservableList<StreamRow> tracks() {
        return tracks;
    }

    @Override
    public String toString() {
        return label();
    }
}
