package dev.roomdeck.console.feed;

import dev.roomdeck.admin.ServerSnapshot;
import dev.roomdeck.room.RoomEvent;
import java.util.ArrayList;
import java.util.List;

/** One batch for the FX thread: the newest snapshot, the process load, and every event since the last batch. */
public record Update(ServerSnapshot snapshot, ProcessLoad load, List<RoomEvent> events) {
    public Update {
        events = List.copyOf(events);
    }

    /** This batch, then a later one, as one: the later figures win, events add up. */
    Update followedBy(Update later) {
        List<RoomEvent> all = new ArrayList<>(events);
        all.addAll(later.events);
        return new Update(later.snapshot != null ? later.snapshot : snapshot, later.load, all);
    }
}
