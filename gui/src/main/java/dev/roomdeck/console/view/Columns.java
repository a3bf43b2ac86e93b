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

    /** A text column whose cells also carry the style class prefix + value ("state-ready"): colour with the word. */
    static <S> TableColumn<S, String> tagged(String title, String id, double width,
                                             Function<S, ObservableValue<String>> value, String prefix) {
        TableColumn<S, String> c = new TableColumn<>(title);
        c.setId(id);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> value.apply(f.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            private String tag;

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                String text = empty || item == null ? null : item;
                setText(text);
                String next = text == null || text.isEmpty() ? null : prefix + text;
                if (!java.util.Objects.equals(tag, next)) {
                    getStyleClass().remove(tag);
                    if (next != null) {
                        getStyleClass().add(next);
                    }
                    tag = next;
                }
            }
        });
        return c;
    }

    /** Explains a column on hover: figures whose source is not obvious say where they come from. */
    static <S, T> TableColumn<S, T> explained(TableColumn<S, T> c, String explanation) {
        javafx.scene.control.Label header = new javafx.scene.control.Label(c.getText());
        header.setTooltip(new javafx.scene.control.Tooltip(explanation));
        c.setGraphic(header);
        c.setText(null);
        return c;
    }

    static <S, T> TableColumn<S, T> numeric(String title, String id, double width,
                                            Function<S, ObservableValue<T>> value, Function<T, String> format) {
        TableColumn<S, T> c = of(title, id, width, value, format);
        c.getStyleClass().add("numeric");
        return c;
    }
}
