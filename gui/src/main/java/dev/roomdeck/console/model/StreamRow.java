package dev.roomdeck.console.model;

import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.admin.TrackSnapshot;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One track of a published stream (a stream's audio or its video), as a row of the streams table. Also carries
 * the stream's mute state of both kinds, because the mute actions work per stream.
 */
public final class StreamRow {
    private final ReadOnlyStringWrapper key;
    private final String msid;
    private final StringProperty kind = new SimpleStringProperty(this, "kind", "");
    private final StringProperty label = new SimpleStringProperty(this, "label", "");
    private final StringProperty streamKind = new SimpleStringProperty(this, "streamKind", "camera");
    private final StringProperty codec = new SimpleStringProperty(this, "codec", "");
    private final javafx.beans.property.IntegerProperty layers =
            new javafx.beans.property.SimpleIntegerProperty(this, "layers");
    private final StringProperty sentAs = new SimpleStringProperty(this, "sentAs", "");
    private final LongProperty bitrate = new SimpleLongProperty(this, "bitrate");
    private final LongProperty packets = new SimpleLongProperty(this, "packets");
    private final LongProperty lost = new SimpleLongProperty(this, "lost");
    private final DoubleProperty jitter = new SimpleDoubleProperty(this, "jitter");
    private final StringProperty muted = new SimpleStringProperty(this, "muted", "");
    private final BooleanProperty audioMutedByOperator = new SimpleBooleanProperty(this, "audioMutedByOperator");
    private final BooleanProperty videoMutedByOperator = new SimpleBooleanProperty(this, "videoMutedByOperator");

    StreamRow(String key, String msid) {
        this.key = new ReadOnlyStringWrapper(this, "key", key);
        this.msid = msid;
        this.label.set(msid);
    }

    static String keyOf(StreamSnapshot s, TrackSnapshot t) {
        return s.msid() + "/" + (t == null ? "" : t.trackId());
    }

    void update(StreamSnapshot s, TrackSnapshot t) {
        streamKind.set(s.kind());
        kind.set(t == null ? "" : t.kind());
        codec.set(t == null ? "" : t.codec());
        layers.set(t == null ? 0 : t.layers());
        sentAs.set(sentAsText(codec.get(), layers.get()));
        bitrate.set(t == null ? 0 : t.bitrateInBps());
        packets.set(t == null ? 0 : t.packetsIn());
        lost.set(t == null ? 0 : t.packetsLost());
        jitter.set(t == null ? 0 : t.jitterMillis());
        audioMutedByOperator.set(s.audioMutedByOperator());
        videoMutedByOperator.set(s.videoMutedByOperator());
        muted.set(mutedText(s, t == null ? "" : t.kind()));
    }

    /** Who silenced this track: "" (nobody), "peer" or "operator" (the operator's mute overrides the peer's). */
    static String mutedText(StreamSnapshot s, String kind) {
        boolean audio = kind.equals("audio");
        boolean isMuted = audio ? s.audioMuted() : s.videoMuted();
        boolean byOperator = audio ? s.audioMutedByOperator() : s.videoMutedByOperator();
        if (!isMuted && !byOperator) {
            return "";
        }
        return byOperator ? "operator" : "peer";
    }

    /**
     * The codec, and the number of sizes (simulcast layers) the video goes out in when more than one: "VP8 · 3 layers".
     * One layer says nothing (most streams), and 0 (before media flows) is not yet known.
     */
    static String sentAsText(String codec, int layers) {
        return layers > 1 ? codec + " · " + layers + " layers" : codec;
    }

    public String key() {
        return key.get();
    }

    public String msid() {
        return msid;
    }

    void label(String text) {
        label.set(text);
    }

    /** What people call the stream: "Ben · camera", "Ben · screen" (the msid is in the tooltip). */
    public StringProperty labelProperty() {
        return label;
    }

    /** The stream's kind: "camera" or "screen" (the track's is {@link #kindProperty}). */
    public StringProperty streamKindProperty() {
        return streamKind;
    }

    public boolean isScreen() {
        return "screen".equals(streamKind.get());
    }

    public StringProperty kindProperty() {
        return kind;
    }

    public StringProperty codecProperty() {
        return codec;
    }

    /** How many simulcast layers the publisher sends of this track now: 1 without simulcast, 0 before media flows. */
    public javafx.beans.property.IntegerProperty layersProperty() {
        return layers;
    }

    /** What the Codec cell says: the codec, with the layers of a simulcast video ("VP8 · 3 layers"). */
    public StringProperty sentAsProperty() {
        return sentAs;
    }

    public LongProperty bitrateProperty() {
        return bitrate;
    }

    public LongProperty packetsProperty() {
        return packets;
    }

    public LongProperty lostProperty() {
        return lost;
    }

    public DoubleProperty jitterProperty() {
        return jitter;
    }

    public StringProperty mutedProperty() {
        return muted;
    }

    public boolean audioMutedByOperator() {
        return audioMutedByOperator.get();
    }

    public boolean videoMutedByOperator() {
        return videoMutedByOperator.get();
    }

    @Override
    public String toString() {
        return key();
    }
}
