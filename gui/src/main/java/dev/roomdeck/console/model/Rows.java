package dev.roomdeck.console.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import javafx.collections.ObservableList;

/**
 * Keeps an observable list of rows in step with a snapshot list, by id: rows that stay are updated in place,
 * new ones appended, gone ones removed. Never clears the list, so selections and sort orders of the tables
 * over it survive every refresh.
 */
final class Rows<R, S> {
    private final ObservableList<R> list;
    private final Map<String, R> byId = new HashMap<>();
    private final Function<S, String> idOfSnapshot;
    private final Function<S, R> create;
    private final BiConsumer<R, S> update;

    Rows(ObservableList<R> list, Function<S, String> idOfSnapshot, Function<S, R> create, BiConsumer<R, S> update) {
        this.list = list;
        this.idOfSnapshot = idOfSnapshot;
        this.create = create;
        this.update = update;
    }

    void sync(List<S> snapshots) {
        Set<String> seen = new HashSet<>();
        for (S s : snapshots) {
            String id = idOfSnapshot.apply(s);
            seen.add(id);
            R row = byId.get(id);
            if (row == null) {
                row = create.apply(s);
                byId.put(id, row);
                update.accept(row, s);
                list.add(row);
            } else {
                update.accept(row, s);
            }
        }
        if (byId.size() != seen.size()) {
            Set<R> gone = new HashSet<>();
            byId.entrySet().removeIf(e -> {
                if (seen.contains(e.getKey())) {
                    return false;
                }
                gone.add(e.getValue());
                return true;
            });
            list.removeAll(gone);
        }
    }

    R get(String id) {
        return byId.get(id);
    }
}
