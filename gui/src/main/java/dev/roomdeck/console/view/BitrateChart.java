package dev.roomdeck.console.view;

import dev.roomdeck.admin.StreamSnapshot;
import dev.roomdeck.console.model.BitrateHistory;
import dev.roomdeck.console.model.ConsoleModel;
import dev.roomdeck.console.model.PeerRow;
import dev.roomdeck.console.model.RoomRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.collections.ObservableList;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The selected room's stream bitrates over the last minute. A room can hold a hundred streams; a readable
 * chart cannot, so it draws the busiest few plus every stream of the selected peer. Points are appended and
 * trimmed in place, never redrawn from scratch.
 */
public final class BitrateChart {
    static final int MAX_SERIES = 8;
    static final double MIN_Y_KBPS = 100;

    private final ConsoleModel model;
    private final NumberAxis x = new NumberAxis();
    private final NumberAxis y = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(x, y);
    private final Label title = new Label();
    private final VBox box = new VBox(2, title, chart);
    private final Map<String, XYChart.Series<Number, Number>> shown = new LinkedHashMap<>();
    private double now;

    public BitrateChart(ConsoleModel model) {
        this.model = model;
        chart.setId("chart");
        title.setId("chartTitle");
        title.getStyleClass().add("chart-title");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(true);
        x.setAutoRanging(false);
        x.setTickUnit(10);
        x.setMinorTickVisible(false);
        x.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number v) {
                return Formats.clock(model.instantAt(v.doubleValue()));
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        });
        chart.setVerticalZeroLineVisible(false); // x = 0 is only when the console started
        y.setLabel("kbit/s");
        y.setAutoRanging(false); // auto-ranging shows a 0..0 axis while nothing flows
        y.setLowerBound(0);
        y.setUpperBound(MIN_Y_KBPS);
        y.setTickUnit(MIN_Y_KBPS / 4);
        VBox.setVgrow(chart, Priority.ALWAYS);
    }

    public VBox node() {
        return box;
    }

    public LineChart<Number, Number> chart() {
        return chart;
    }

    /** Brings the chart up to the model's latest snapshot for this room (and peer in focus). */
    public void show(RoomRow room, PeerRow focus) {
        BitrateHistory history = model.history();
        if (model.nowProperty().get() != null) {
            now = model.secondsSinceOrigin(model.nowProperty().get());
        }
        x.setLowerBound(now - history.windowSeconds());
        x.setUpperBound(now);
        Map<String, String> wanted = room == null ? Map.of() : pick(room, focus, history);
        if (!wanted.keySet().equals(shown.keySet())) {
            Map<String, XYChart.Series<Number, Number>> next = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                XYChart.Series<Number, Number> s = shown.get(e.getKey());
                if (s == null) {
                    s = new XYChart.Series<>();
                    s.setName(e.getValue());
                }
                next.put(e.getKey(), s);
            }
            shown.clear();
            shown.putAll(next);
            chart.getData().setAll(new ArrayList<>(next.values()));
        }
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            shown.get(e.getKey()).setName(e.getValue()); // a label changes when a namesake joins or leaves
        }
        for (Map.Entry<String, XYChart.Series<Number, Number>> e : shown.entrySet()) {
            append(e.getValue().getData(), history.samples(e.getKey()), now - history.windowSeconds());
        }
        scaleY();
        legendTooltips(room);
        int total = room == null ? 0 : room.streamCountProperty().get();
        title.setText(room == null ? "Bitrate (select a room)"
                : "Bitrate of " + room.id() + "'s streams, last 60 s"
                + (total > shown.size() ? " — busiest " + shown.size() + " of " + total : ""));
    }

    /** Each legend entry ("Ben · screen") has its stream's msid in a tooltip. */
    private void legendTooltips(RoomRow room) {
        if (room == null) {
            return;
        }
        Map<String, String> msids = new HashMap<>();
        for (PeerRow p : room.peers()) {
            for (StreamSnapshot s : p.streams()) {
                msids.put(p.streamLabel(s.msid()), s.msid());
            }
        }
        for (javafx.scene.Node n : chart.lookupAll(".chart-legend-item")) {
            if (n instanceof Label l && msids.containsKey(l.getText())) {
                String text = "msid " + msids.get(l.getText());
                if (l.getTooltip() == null) {
                    l.setTooltip(new javafx.scene.control.Tooltip(text));
                } else if (!text.equals(l.getTooltip().getText())) {
                    l.getTooltip().setText(text);
                }
            }
        }
    }

    /** 0 to a round number above the highest point shown (at least MIN_Y_KBPS), in four ticks. */
    private void scaleY() {
        double max = 0;
        for (XYChart.Series<Number, Number> s : shown.values()) {
            for (XYChart.Data<Number, Number> d : s.getData()) {
                max = Math.max(max, d.getYValue().doubleValue());
            }
        }
        double upper = niceCeiling(Math.max(MIN_Y_KBPS, max * 1.1));
        if (upper != y.getUpperBound()) {
            y.setUpperBound(upper);
            y.setTickUnit(upper / 4);
        }
    }

    /** The next of 1, 2, 2.5, 5 × 10^n at or above v. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Adds samples newer than the last point, drops points older than the window. */
    private static void append(ObservableList<XYChart.Data<Number, Number>> data, Iterable<BitrateHistory.Sample> samples,
                               double oldest) {
        double last = data.isEmpty() ? Double.NEGATIVE_INFINITY : data.get(data.size() - 1).getXValue().doubleValue();
        List<XYChart.Data<Number, Number>> add = new ArrayList<>();
        for (BitrateHistory.Sample s : samples) {
            if (s.seconds() > last) {
                add.add(new XYChart.Data<>(s.seconds(), s.kbps()));
            }
        }
        if (!add.isEmpty()) {
            data.addAll(add);
        }
        int drop = 0;
        // Keep one point left of the window so the line reaches its edge.
        while (drop + 1 < data.size() && data.get(drop + 1).getXValue().doubleValue() < oldest) {
            drop++;
        }
        if (drop > 0) {
            data.remove(0, drop);
        }
    }

    /** Series key → label: the focused peer's streams, then the busiest others, at most MAX_SERIES in all. */
    static Map<String, String> pick(RoomRow room, PeerRow focus, BitrateHistory history) {
        record Candidate(String key, String label, double kbps) {
        }
        List<Candidate> all = new ArrayList<>();
        for (PeerRow p : room.peers()) {
            for (StreamSnapshot s : p.streams()) {
                String key = BitrateHistory.key(room.id(), p.id(), s.msid());
                all.add(new Candidate(key, p.streamLabel(s.msid()), history.latestKbps(key)));
            }
        }
        all.sort(Comparator.comparingDouble(Candidate::kbps).reversed().thenComparing(Candidate::key));
        Map<String, String> labels = new HashMap<>();
        all.forEach(c -> labels.put(c.key(), c.label()));
        Set<String> keys = new LinkedHashSet<>();
        if (focus != null && focus.roomId().equals(room.id())) {
            for (StreamSnapshot s : focus.streams()) {
                keys.add(BitrateHistory.key(room.id(), focus.id(), s.msid()));
            }
        }
        for (Candidate c : all) {
            if (keys.size() >= MAX_SERIES) {
                break;
            }
            keys.add(c.key());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : keys) {
            if (labels.containsKey(k)) {
                out.put(k, labels.get(k));
            }
        }
        return out;
    }
}
