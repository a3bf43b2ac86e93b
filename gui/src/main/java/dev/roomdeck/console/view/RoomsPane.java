package dev.roomdeck.console.view;

import dev.roomdeck.console.model.RoomRow;
import java.util.Comparator;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;

/** The rooms, by name, with their peer counts; the selected one fills the peers table and the chart. */
public final class RoomsPane {
    private final ListView<RoomRow> view;

    public RoomsPane(ObservableList<RoomRow> rooms) {
        view = new ListView<>(new SortedList<>(rooms, Comparator.comparing(RoomRow::id)));
        view.setId("rooms");
        view.setPlaceholder(new javafx.scene.control.Label("No rooms yet.\nPeople join with the URL below."));
        view.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(RoomRow item, boolean empty) {
                super.updateItem(item, empty);
                textProperty().unbind();
                if (empty || item == null) {
                    setText(null);
                } else {
                    // Bound to the count, so a new count redraws this cell without a list change event
                    // (an update event would make the list drop its selection).
                    textProperty().bind(Bindings.createStringBinding(() -> label(item), item.peerCountProperty(),
                            item.lockedProperty(), item.lobby()));
                }
            }
        });
        // A first room is selected for the operator; later the operator's choice stands.
        view.getItems().addListener((ListChangeListener<RoomRow>) c -> {
            if (view.getSelectionModel().getSelectedItem() == null && !view.getItems().isEmpty()) {
                view.getSelectionModel().select(0);
            }
        });
    }

    static String label(RoomRow r) {
        int n = r.peerCountProperty().get();
        int waiting = r.lobby().size();
        return r.id() + "  (" + n + (n == 1 ? " peer" : " peers") + ")"
                + (waiting > 0 ? "  · " + waiting + " at the door" : r.lockedProperty().get() ? "  · locked" : "");
    }

    public ListView<RoomRow> node() {
        return view;
    }

    public ReadOnlyObjectProperty<RoomRow> selectedProperty() {
        return view.getSelectionModel().selectedItemProperty();
    }
}
