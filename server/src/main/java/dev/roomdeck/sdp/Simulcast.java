package dev.roomdeck.sdp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which simulcast encodings of a client's section the server takes: rid-based ({@code a=simulcast:send} with
 * {@code a=rid:<id> send}, RFC 8853/8851) or plan-b style ({@code a=ssrc-group:SIM}). Both are read lowest
 * resolution first, in the order the client wrote them.
 */
final class Simulcast {
    /** More layers only cost the publisher bandwidth the server never forwards. */
    static final int MAX_LAYERS = 3;

    private Simulcast() {
    }

    /**
     * The rids the server receives, in {@code a=simulcast:send} order: the first alternative of each group, not
     * paused ({@code ~}), declared by {@code a=rid:<id> send}, at most {@link #MAX_LAYERS}. Empty unless that
     * leaves two or more: one encoding is no simulcast, and answering it as one keeps the client's rid anyway.
     */
    static List<String> sendRids(MediaSection m) {
        List<String> declared = m.rids("send");
        Set<String> result = new LinkedHashSet<>();
        for (String group : sendList(m.attribute("simulcast")).split(";")) {
            String first = group.split(",")[0].trim();
            if (declared.contains(first) && result.size() < MAX_LAYERS) {
                result.add(first); // a paused "~q" never matches a declared rid
            }
        }
        return result.size() < 2 ? List.of() : List.copyOf(result);
    }

    /** The send stream list of an {@code a=simulcast} value ("send q;h;f recv r"; old drafts wrote "rid=q;h;f"). */
    private static String sendList(String value) {
        if (value == null) {
            return "";
        }
        String[] parts = value.trim().split("\\s+");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            if (parts[i].equals("send")) {
                return parts[i + 1].startsWith("rid=") ? parts[i + 1].substring(4) : parts[i + 1];
            }
        }
        return "";
    }

    /**
     * The layers of the SIM group that starts with {@code firstSsrc}, each with the RTX its FID group gives, at
     * most {@link #MAX_LAYERS} (the lowest ones); empty when there is no such group of two or more.
     */
    static List<SimulcastLayer> simLayers(List<SsrcGroup> groups, long firstSsrc, Map<Long, Long> rtxOf) {
        for (SsrcGroup g : groups) {
            if (!g.semantics().equals("SIM") || g.ssrcs().size() < 2 || g.ssrcs().get(0) != firstSsrc) {
                continue;
            }
            List<SimulcastLayer> layers = new ArrayList<>();
            for (long ssrc : new LinkedHashSet<>(g.ssrcs())) {
                if (layers.size() < MAX_LAYERS) {
                    layers.add(new SimulcastLayer(null, ssrc, rtxOf.getOrDefault(ssrc, 0L)));
                }
            }
            return layers.size() < 2 ? List.of() : List.copyOf(layers);
        }
        return List.of();
    }

    /** Rid-based layers: the SDP names no SSRC for them. */
    static List<SimulcastLayer> ridLayers(List<String> rids) {
        return rids.stream().map(rid -> new SimulcastLayer(rid, 0, 0)).toList();
    }
}
