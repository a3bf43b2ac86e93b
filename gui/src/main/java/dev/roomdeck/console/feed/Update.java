package dev.roomdeck.console.feed;

import dev.roomdeck.admin.PacketsSnapshot;
import dev.roomdeck.admin.ServerEvent;
import dev.roomdeck.admin.ServerSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch for the FX thread: the newest snapshot and media counters (null if the server could not give
 * them), the process load, and every event since the last batch.
 */
public record Update(ServerSnapshot snapshot, PacketsSnapshot media, ProcessLoad load, List<ServerEvent> events) {
    public Update {
        events = List.copyOf(events);
    }

    /** This batch, then a later one, as one: the later figures win, events add up. */
    Update followedBy(Update later) {
        List<ServerEvent> all = new ArrayList<>(events);
        all.addAll(later.events);
        return new Update(later.snapshot != null ? later.snapshot : snapshot,
                later.media != null ? later.media : media, later.load, all);
    }
}
