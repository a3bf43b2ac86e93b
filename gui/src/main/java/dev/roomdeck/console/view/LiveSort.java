package dev.roomdeck.console.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * A table over a live list whose rows change their figures in place. Cells follow their properties by
 * themselves; the order is brought up to date once per batch ({@link #resort}), and only when a figure change
 * actually broke it. (Firing a list event per changed figure instead would re-lay out the whole table dozens
 * of times a second.) The operator's sort order survives switching to another list.
 */
final class LiveSort<T> {
    private final TableView<T> table;
    private final IntegerProperty tick = new SimpleIntegerProperty();
    private SortedList<T> sorted;

    LiveSort(TableView<T> table) {
        this.table = table;
        // The SortedList below does the sorting; the table's policy only accepts the operator's sort order.
        table.setSortPolicy(t -> true);
    }

    /** Shows this list (null: nothing), sorted the way the operator last chose. */
    void show(ObservableList<T> source) {
        List<TableColumn<T, ?>> order = new ArrayList<>(table.getSortOrder());
        if (source == null) {
            sorted = null;
            table.setItems(FXCollections.observableArrayList());
        } else {
            sorted = new SortedList<>(source);
            // A fresh comparator object on each tick makes the SortedList sort again (one permutation).
            sorted.comparatorProperty().bind(Bindings.createObjectBinding(() -> {
                Comparator<T> c = table.getComparator();
                return c == null ? null : (a, b) -> c.compare(a, b);
            }, table.comparatorProperty(), tick));
            table.setItems(sorted);
        }
        table.getSortOrder().setAll(order); // setItems cleared it
    }

    /** After a batch of figure changes: sorts again if, and only if, the rows are now out of order. */
    void resort() {
        Comparator<? super T> c = sorted == null ? null : sorted.getComparator();
        if (c == null) {
            return;
        }
        for (int i = 1; i < sorted.size(); i++) {
            if (c.compare(sorted.get(i - 1), sorted.get(i)) > 0) {
                tick.set(tick.get() + 1);
                return;
            }
        }
    }
}
