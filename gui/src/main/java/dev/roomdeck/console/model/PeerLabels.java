package dev.roomdeck.console.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the console calls the peers of one room. People are shown by the name they typed; ids are random
 * per-browser strings ("u-3f9a01d2a7b4e865") that mean nothing to an operator. When two people of a room type the
 * same name (ignoring case and surrounding spaces), each gets the start of its id beside it, as short as still
 * tells them apart and at least {@value #MIN_ID_CHARS} characters: "Anna (u-3f9a)" and "Anna (u-77c0)". A peer
 * without a name is called by its id. Labels are recomputed from the ids, so they do not depend on who came first.
 */
final class PeerLabels {
    static final int MIN_ID_CHARS = 6;

    /** One peer: its id and its name (the id when it typed none). */
    record Named(String id, String name) {
    }

    private PeerLabels() {
    }

    /** id → label for one room's peers; labels are distinct within the room. */
    static Map<String, String> of(List<Named> peers) {
        Map<String, List<Named>> byName = new HashMap<>();
        for (Named p : peers) {
            byName.computeIfAbsent(fold(p.name()), k -> new ArrayList<>(2)).add(p);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Named p : peers) {
            List<Named> same = byName.get(fold(p.name()));
            boolean unnamed = p.name().equals(p.id());
            if (same.size() == 1 || unnamed) {
                out.put(p.id(), p.name());
            } else {
                out.put(p.id(), p.name() + " (" + shortId(p.id(), same) + ")");
            }
        }
        // A name typed to look like another's label is the only way to a clash: then the full id says who is who.
        Set<String> seen = new HashSet<>();
        Set<String> clashing = new HashSet<>();
        for (String label : out.values()) {
            if (!seen.add(label)) {
                clashing.add(label);
            }
        }
        if (!clashing.isEmpty()) {
            for (Named p : peers) {
                if (clashing.contains(out.get(p.id())) && !p.name().equals(p.id())) {
                    out.put(p.id(), p.name() + " (" + p.id() + ")");
                }
            }
        }
        return out;
    }

    /** The start of the id, as long as the group's ids need to differ (the same length for all of them). */
    private static String shortId(String id, List<Named> group) {
        int length = MIN_ID_CHARS;
        while (length < id.length() && !distinct(group, length)) {
            length++;
        }
        return length >= id.length() ? id : id.substring(0, length);
    }

    private static boolean distinct(List<Named> group, int length) {
        Set<String> prefixes = new HashSet<>();
        for (Named p : group) {
            if (!p.name().equals(p.id()) && !prefixes.add(p.id().substring(0, Math.min(length, p.id().length())))) {
                return false;
            }
        }
        return true;
    }

    private static String fold(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
