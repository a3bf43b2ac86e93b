package dev.roomdeck.console.view;

import java.util.function.Function;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;

/** Table columns whose cells show a formatted value but sort by the raw one (numbers sort as numbers). */
final class Columns {
    private Columns() {
    }

    static <S, T> TableColumn<S, T> of(String title, String id, double width,
                                       Function<S, ObservableValue<T>> value, Function<T, String> format) {
        TableColumn<S, T> c = new TableColumn<>(title);
        c.setId(id);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> value.apply(f.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : format.apply(item));
            }
        });
        return c;
    }

    static <S, T> TableColumn<S, T> numeric(String title, String id, double width,
                                            Function<S, ObservableValue<T>> value, Function<T, String> format) {
        TableColumn<S, T> c = of(title, id, width, value, format);
        c.getStyleClass().add("numeric");
        return c;
    }
}
